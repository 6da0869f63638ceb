/*
 * mm/pgtable.h — user page tables: allocation and lookup.
 *
 * A user page directory is one page: entries 0..767 map user space through
 * page tables of its own; entries 768..1023 are copied from swapper_pg_dir
 * and shared by every process (the kernel's direct map). Page-table pages
 * are allocated on demand and freed with the page directory.
 * Callers hold the mm's mmap_lock (pte_alloc: it changes the directory),
 * or, for pte_lookup, a lock that keeps the mm's VMAs from going away: a
 * page table lives as long as its directory, and the directory outlives
 * every VMA (rmap walkers hold the anon_vma or i_mmap lock). Ranges are
 * walked with walk_page_range (mm/pagewalk.h).
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <arch/x86/mmu.h>
#include <arch/x86/memlayout.h>
#include <stddef.h>
#include <stdint.h>

#define USER_PGD_ENTRIES (KERNEL_PGD_FIRST)
#define KERNEL_PGD_FIRST 768          /* pgd_index(PAGE_OFFSET) */
#define _PAGE_TABLE_USER (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

/* A new page directory with the kernel half filled in; NULL if out of memory. */
pgd_t *pgd_alloc(void);
/* Frees the directory and every user page table under it (not the pages mapped). */
void pgd_free(pgd_t *pgd);
/* The PTE slot for addr, or NULL when there is no page table for it
 * (inline: every fault and every table of a walk asks). */
static inline pte_t *
pte_lookup(pgd_t *pgd, uint32_t addr)
{
	pgd_t entry = pgd[pgd_index(addr)];

	if (!pgd_present(entry))
		return NULL;
	return (pte_t *)__va(pgd_table_phys(entry)) + pte_index(addr);
}
/* How many user page tables pgd has (Linux's mm_pgtables_bytes / PAGE_SIZE,
 * without the directory). Reads only the directory's entries: safe without
 * mmap_lock while the directory lives, as tables are freed only with it. */
unsigned long pgd_user_tables(const pgd_t *pgd);
/* The PTE slot for addr, allocating the page table; NULL if out of memory. */
pte_t *pte_alloc(pgd_t *pgd, uint32_t addr);
/* Loads pgd into CR3 (switching address spaces). */
void switch_pgd(pgd_t *pgd);
/* Makes the TLB forget [start, end) of pgd if pgd is the one loaded. */
void flush_tlb_range(pgd_t *pgd, uint32_t start, uint32_t end);

#endif
