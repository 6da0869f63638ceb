/*
 * mm/pgtable.c — user page directories and page tables (see pgtable.h).
 * Only arch/x86/mmu.h accessors touch the entries.
 */
#include <mm/pgtable.h>
#include <mm/paging.h>
#include <mm/page_alloc.h>
#include <arch/x86/memlayout.h>
#include <arch/x86/cpu.h>
#include <kernel/printk.h>
#include <libk/string.h>

#define TLB_FLUSH_ALL_THRESHOLD 32     /* pages: above this, reload CR3 */

pgd_t *
pgd_alloc(void)
{
	pgd_t *pgd = get_free_pages(GFP_KERNEL | __GFP_ZERO, 0);

	if (pgd)
		memcpy(&pgd[KERNEL_PGD_FIRST], &swapper_pg_dir[KERNEL_PGD_FIRST],
		       (PTRS_PER_PGD - KERNEL_PGD_FIRST) * sizeof(pgd_t));
	return pgd;
}

void
pgd_free(pgd_t *pgd)
{
	/* freeing the directory the CPU walks would leave CR3 on a free page */
	BUG_ON(read_cr3() == __pa(pgd));
	for (unsigned i = 0; i < KERNEL_PGD_FIRST; i++)
		if (pgd_present(pgd[i]))
			free_pages(__va(pgd_table_phys(pgd[i])), 0);
	free_pages(pgd, 0);
}

unsigned long
pgd_user_tables(const pgd_t *pgd)
{
	unsigned long n = 0;

	for (unsigned i = 0; i < USER_PGD_ENTRIES; i++)
		n += pgd_present(pgd[i]);
	return n;
}

pte_t *
pte_alloc(pgd_t *pgd, uint32_t addr)
{
	pgd_t *slot = &pgd[pgd_index(addr)];

	if (!pgd_present(*slot)) {
		void *table = get_free_pages(GFP_KERNEL | __GFP_ZERO, 0);

		if (!table)
			return NULL;
		set_pgd(slot, mk_pgd_table(__pa(table), _PAGE_TABLE_USER));
	}
	return pte_lookup(pgd, addr);
}

void
switch_pgd(pgd_t *pgd)
{
	uint32_t phys = __pa(pgd);

	if (read_cr3() != phys)
		write_cr3(phys);
}

void
flush_tlb_range(pgd_t *pgd, uint32_t start, uint32_t end)
{
	if (read_cr3() != __pa(pgd))
		return;                         /* not loaded: nothing cached */
	if ((end - start) >> PAGE_SHIFT > TLB_FLUSH_ALL_THRESHOLD) {
		flush_tlb_local();
		return;
	}
	for (uint32_t a = start; a < end; a += PAGE_SIZE)
		invlpg(a);
}
