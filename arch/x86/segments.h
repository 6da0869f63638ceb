/*
 * arch/x86/segments.h — the GDT layout and segment selectors.
 *
 *   index  selector  descriptor
 *   0      0x00      null
 *   1      0x08      kernel code  (ring 0, flat 4 GiB)
 *   2      0x10      kernel data  (ring 0, flat 4 GiB)
 *   3      0x1B      user code    (ring 3, flat 4 GiB)
 *   4      0x23      user data    (ring 3, flat 4 GiB)
 *   5      0x28      TSS          (ESP0/SS0 for ring 3 -> ring 0)
 *   6..8   0x33..    TLS slots for set_thread_area (switched per task)
 *
 * A selector is index << 3 | table (0 = GDT) | requested privilege level.
 */
#ifndef ARCH_X86_SEGMENTS_H
#define ARCH_X86_SEGMENTS_H

#define GDT_ENTRY_KERNEL_CS 1
#define GDT_ENTRY_KERNEL_DS 2
#define GDT_ENTRY_USER_CS   3
#define GDT_ENTRY_USER_DS   4
#define GDT_ENTRY_TSS       5
#define GDT_ENTRY_TLS_MIN   6
#define GDT_ENTRY_TLS_COUNT 3
#define GDT_ENTRIES         (GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_COUNT)

#define KERNEL_CS (GDT_ENTRY_KERNEL_CS << 3)
#define KERNEL_DS (GDT_ENTRY_KERNEL_DS << 3)
#define USER_CS   ((GDT_ENTRY_USER_CS << 3) | 3)
#define USER_DS   ((GDT_ENTRY_USER_DS << 3) | 3)
#define TSS_SEL   (GDT_ENTRY_TSS << 3)

#ifndef __ASSEMBLY__
#include <stdint.h>

void gdt_init(void);
/* The kernel stack top the CPU switches to on entry from user mode. */
void tss_set_kernel_stack(uint32_t esp0);
/* Loads a task's TLS descriptors into GDT slots GDT_ENTRY_TLS_MIN.. */
void gdt_set_tls(const uint64_t tls[GDT_ENTRY_TLS_COUNT]);
/* Sets up the x87 FPU (CR0 bits, initial register image). */
void fpu_init(void);
#endif

#endif
