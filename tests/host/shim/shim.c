/*
 * tests/host/shim/shim.c — the kernel services that mm/page_alloc.c and
 * mm/slab.c call, re-implemented for a host process:
 *
 *   - printk/vprintk write to stderr (the "<N>" level prefix is dropped);
 *   - panic prints its message, then longjmps to a hook armed by
 *     shim_expect_panic, or aborts if none is armed;
 *   - preempt_count/preempt_enable and the simulated interrupt flag
 *     (shim_eflags) let a test check that locks were released;
 *   - the lock-order check (kernel/lockrank.h) is off: its hooks are never
 *     called, and a failed lock assertion is a panic;
 *   - shim_make_memory builds a fake physical memory and its mem_map.
 */
#include "shim.h"

#include <mm/page_alloc.h>
#include <mm/vmscan.h>
#include <kernel/lockrank.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <arch/x86/irqflags.h>
#include <arch/x86/memlayout.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

/* Fake physical memory is aligned like the largest buddy block, as the
 * kernel's direct map (PAGE_OFFSET is 1 GiB aligned) keeps it aligned. */
#define SHIM_MEMORY_ALIGN ((size_t)PAGE_SIZE << MAX_ORDER)

/* A printk level prefix: '<', one digit, '>'. */
#define LEVEL_PREFIX_LEN 3

char *host_phys_base;
volatile int preempt_count;
uint32_t shim_eflags = EFLAGS_IF;

static size_t memory_bytes;
static jmp_buf *panic_hook;
static char last_panic[SHIM_PANIC_MSG_MAX];

/* Returns fmt without its "<N>" level prefix, if it has one. */
static const char *
strip_level(const char *fmt)
{
	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '9' && fmt[2] == '>')
		return fmt + LEVEL_PREFIX_LEN;
	return fmt;
}

int
vprintk(const char *fmt, va_list ap)
{
	return vfprintf(stderr, strip_level(fmt), ap);
}

int
printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Drops the preemption count; there is no scheduler to yield to. */
void
preempt_enable(void)
{
	if (preempt_count <= 0)
		panic("preempt_enable: count underflow (%d)", preempt_count);
	__asm__ volatile("" : : : "memory");
	preempt_count--;
}

bool lockcheck_enabled;                  /* never set: the hooks below are not reached */

void lockrank_acquire(uint8_t *c, const char *n, bool m, const void *l) { abort(); }
void lockrank_trylock_acquired(uint8_t *c, const char *n, bool m, const void *l) { abort(); }
void lockrank_release(uint8_t *c, const char *n, bool m) { abort(); }
void __lockrank_reclaim_enter(struct held_locks *saved) { abort(); }
void __lockrank_reclaim_exit(const struct held_locks *saved) { abort(); }
/* No host test puts a page on an LRU list. */
void lru_page_freed(struct page *p) { abort(); }
/* Nor reclaims: an allocation that finds no free block fails at once,
 * and every one may take the reserve (the tests model the buddy alone). */
unsigned long try_to_free_pages(gfp_t gfp) { return 0; }
bool reclaim_may_use_reserve(void) { return true; }
void wakeup_kswapd(void) { }
void reclaim_throttle(void) { }

void
lock_assert_failed(const char *what, const char *name, const char *file, int line,
		   const char *func)
{
	panic("lock assertion failed: %s %s at %s:%d (%s)", name, what, file, line, func);
}

void
panic(const char *fmt, ...)
{
	jmp_buf *hook = panic_hook;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_panic, sizeof(last_panic), fmt, ap);
	va_end(ap);
	panic_hook = NULL;
	fprintf(stderr, "%s: %s\n", hook ? "panic (expected by the test)" : "kernel panic",
		last_panic);
	if (hook)
		longjmp(*hook, 1);
	abort();
}

void
shim_expect_panic(jmp_buf *jb)
{
	panic_hook = jb;
}

const char *
shim_last_panic(void)
{
	return last_panic;
}

void
shim_poison_frames(unsigned long pfn, unsigned long n)
{
#ifdef __SANITIZE_ADDRESS__
	ASAN_POISON_MEMORY_REGION(host_phys_base + pfn * PAGE_SIZE, n * PAGE_SIZE);
#endif
}

void
shim_unpoison_frames(unsigned long pfn, unsigned long n)
{
#ifdef __SANITIZE_ADDRESS__
	ASAN_UNPOISON_MEMORY_REGION(host_phys_base + pfn * PAGE_SIZE, n * PAGE_SIZE);
#endif
}

void
shim_free_memory(void)
{
	if (host_phys_base) {
		shim_unpoison_frames(0, memory_bytes / PAGE_SIZE);
		free(host_phys_base);
	}
	free(mem_map);
	host_phys_base = NULL;
	mem_map = NULL;
	max_pfn = 0;
	memory_bytes = 0;
}

struct page *
shim_make_memory(unsigned long nr_pages)
{
	struct page *map;

	shim_free_memory();
	/* aligned_alloc wants a size that is a multiple of the alignment. */
	memory_bytes = ((size_t)nr_pages * PAGE_SIZE + SHIM_MEMORY_ALIGN - 1) &
		       ~(SHIM_MEMORY_ALIGN - 1);
	host_phys_base = aligned_alloc(SHIM_MEMORY_ALIGN, memory_bytes);
	map = calloc(nr_pages, sizeof(*map));
	if (!host_phys_base || !map) {
		fprintf(stderr, "shim_make_memory: out of host memory for %lu pages\n", nr_pages);
		abort();
	}
	memset(host_phys_base, SHIM_POISON_BYTE, memory_bytes);
	preempt_count = 0;
	shim_eflags = EFLAGS_IF;
	buddy_init(map, nr_pages);
	return map;
}

/* mm/rmap.c's hook for a freed page: host tests never map pages. */
void
page_clear_rmap_on_free(struct page *page)
{
	page->mapping = NULL;
}
