/*
 * tests/host/shim/shim.h — what host tests add to the kernel API: a fake
 * physical memory behind the buddy allocator, and a way to survive a panic
 * that a test provokes on purpose.
 *
 * The kernel side of the shim (printk, panic, preempt_enable, the simulated
 * interrupt flag) is in shim.c; the headers next to this file replace the
 * kernel headers of the same name (arch/x86/irqflags.h,
 * arch/x86/memlayout.h, libk/string.h).
 */
#ifndef TESTS_HOST_SHIM_SHIM_H
#define TESTS_HOST_SHIM_SHIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <mm/page.h>

/* Longest panic message kept for shim_last_panic(). */
#define SHIM_PANIC_MSG_MAX 512

/* Byte that fills fresh fake memory, so nothing reads as zero by accident. */
#define SHIM_POISON_BYTE 0x6b

/*
 * Allocates nr_pages frames of fake physical memory (aligned like the
 * largest buddy block, filled with SHIM_POISON_BYTE), points host_phys_base
 * at it, builds a mem_map for it and calls buddy_init: every frame starts
 * reserved. The test hands frames to the allocator with free_boot_range.
 * Frees the memory of an earlier call first. Returns mem_map.
 */
struct page *shim_make_memory(unsigned long nr_pages);
/* Releases what shim_make_memory allocated. */
void shim_free_memory(void);

/*
 * Arms a one-shot panic hook: the next panic() longjmps to *jb (with value
 * 1) instead of aborting. NULL disarms it.
 */
void shim_expect_panic(jmp_buf *jb);
/* The message of the most recent panic, "" if none yet. */
const char *shim_last_panic(void);

/*
 * Runs stmt with the panic hook armed; evaluates to true if stmt panicked.
 * Use it as a whole statement's value: bool p = SHIM_PANICS(free(x));
 */
#define SHIM_PANICS(stmt)                                                      \
	({                                                                     \
		jmp_buf shim_jb_;                                              \
		volatile bool shim_panicked_ = false;                          \
		if (setjmp(shim_jb_) == 0) {                                   \
			shim_expect_panic(&shim_jb_);                          \
			stmt;                                                  \
			shim_expect_panic(NULL);                               \
		} else {                                                       \
			shim_panicked_ = true;                                 \
		}                                                              \
		(bool)shim_panicked_;                                          \
	})

/*
 * Marks frames [pfn, pfn + n) as off limits to AddressSanitizer (any access
 * is reported), or accessible again. No-ops in a build without ASan.
 */
void shim_poison_frames(unsigned long pfn, unsigned long n);
void shim_unpoison_frames(unsigned long pfn, unsigned long n);

#endif
