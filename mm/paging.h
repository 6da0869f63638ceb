/* mm/paging.h — the kernel page tables (see paging_init.c). */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include <arch/x86/mmu.h>

extern pgd_t swapper_pg_dir[PTRS_PER_PGD];

/* Builds the direct map of [0, lowmem_end) and switches to it. */
void paging_init(uint32_t lowmem_end);
#endif
