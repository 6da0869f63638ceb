/*
 * arch/x86/memlayout.h — the virtual and physical memory map of anvil.
 *
 * Virtual (3G/1G split):
 *
 *   0x00000000 +------------------------------+
 *              | user space (3 GiB)           |  per process, later
 *   0xC0000000 +------------------------------+  KERNEL_VIRT_BASE = PAGE_OFFSET
 *              | direct map of low memory     |  virt = phys + PAGE_OFFSET
 *              |   0xC0100000 kernel image    |
 *   0xF8000000 +------------------------------+  PAGE_OFFSET + LOWMEM_LIMIT
 *              | reserved for kmap/vmalloc    |  (not used yet)
 *   0xFFFFFFFF +------------------------------+
 *
 * Physical frames above LOWMEM_LIMIT (896 MiB, as on Linux i386) are not
 * used: anvil has no highmem. Everything the kernel touches is in the
 * direct map, so __va/__pa are simple additions.
 */
#ifndef ARCH_X86_MEMLAYOUT_H
#define ARCH_X86_MEMLAYOUT_H

#define KERNEL_VIRT_BASE  0xC0000000u
#define PAGE_OFFSET       KERNEL_VIRT_BASE
#define KERNEL_LOAD_PHYS  0x00100000u          /* where GRUB puts the image */
#define LOWMEM_LIMIT      0x38000000u          /* 896 MiB of direct map */
#define EARLY_MAP_LIMIT   0x04000000u          /* boot page directory maps 64 MiB */

#ifndef __ASSEMBLY__
#include <stdint.h>

/* phys <-> kernel virtual, valid only for phys < LOWMEM_LIMIT */
#define __va(pa)  ((void *)((uintptr_t)(pa) + PAGE_OFFSET))
#define __pa(va)  ((uintptr_t)(va) - PAGE_OFFSET)
#endif

#endif
