/*
 * tests/host/shim/arch/x86/memlayout.h — the memory map, for host tests.
 *
 * The constants are those of arch/x86/memlayout.h. What differs is the
 * direct map: on the host, "physical memory" is one buffer allocated by
 * shim_make_memory (tests/host/shim/shim.c), and
 *
 *   __va(pa) = host_phys_base + pa        __pa(va) = va - host_phys_base
 *
 * so page_address(), virt_to_page() and friends in mm/page.h work on
 * 64-bit host pointers exactly as they do on the 32-bit kernel.
 */
#ifndef ARCH_X86_MEMLAYOUT_H
#define ARCH_X86_MEMLAYOUT_H

#define KERNEL_VIRT_BASE  0xC0000000u
#define PAGE_OFFSET       KERNEL_VIRT_BASE
#define KERNEL_LOAD_PHYS  0x00100000u
#define LOWMEM_LIMIT      0x38000000u
#define EARLY_MAP_LIMIT   0x04000000u

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Where physical address 0 lives in the test process (set by shim_make_memory). */
extern char *host_phys_base;

#define __va(pa)  ((void *)(host_phys_base + (uintptr_t)(pa)))
#define __pa(va)  ((uintptr_t)((const char *)(va) - host_phys_base))
#endif

#endif
