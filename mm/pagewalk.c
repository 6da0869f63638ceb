/*
 * mm/pagewalk.c — walking the page tables of a range (see pagewalk.h).
 *
 * Invariant of the loop: addr is the first address not yet visited, and
 * [addr, next) is the part of the range the page table of addr maps.
 * next is computed so that it cannot wrap past the top of the address
 * space: the boundary after the last table is 2^32, which is 0 in 32
 * bits, and "boundary - 1 < end - 1" compares the last addresses of the
 * two candidates instead, which both fit.
 *
 * Locks: mm->mmap_lock held by the caller; mm->page_table_lock around each
 * present table's callbacks when ops->flags has WALK_LOCK_PTL.
 */
#include <mm/pagewalk.h>
#include <mm/pgtable.h>
#include <kernel/printk.h>

/* The end of the part of [addr, end) that addr's page table maps. */
static uint32_t
table_span_end(uint32_t addr, uint32_t end)
{
	uint32_t boundary = (addr & ~(PGDIR_SIZE - 1)) + PGDIR_SIZE;   /* 0 after the last table */

	return boundary - 1 < end - 1 ? boundary : end;
}

/* Calls pte_entry for each slot of [addr, end) from ptep on. */
static int
walk_pte_entries(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	int err = 0;

	for (uint32_t n = (end - addr) >> PAGE_SHIFT; n && !err; n--, ptep++, addr += PAGE_SIZE)
		err = walk->ops->pte_entry(ptep, addr, walk);
	return err;
}

/* The callbacks of one present table's piece [addr, end). */
static int
walk_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	const struct mm_walk_ops *ops = walk->ops;
	int err = 0;

	if (!ops->pte_table && !ops->pte_entry)
		return 0;
	if (ops->flags & WALK_LOCK_PTL)
		spin_lock(&walk->mm->page_table_lock);
	if (ops->pte_table)
		err = ops->pte_table(ptep, addr, end, walk);
	else
		err = walk_pte_entries(ptep, addr, end, walk);
	if (ops->flags & WALK_LOCK_PTL)
		spin_unlock(&walk->mm->page_table_lock);
	return err;
}

int
walk_page_range(struct mm_struct *mm, uint32_t start, uint32_t end,
		const struct mm_walk_ops *ops, void *private)
{
	struct mm_walk walk = { mm, ops, private };
	uint32_t addr = start;

	BUG_ON(!mutex_is_locked(&mm->mmap_lock));
	BUG_ON(!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) || start > end);
	while (addr != end) {
		uint32_t next = table_span_end(addr, end);
		pte_t *ptep = pte_lookup(mm->pgd, addr);
		int err = 0;

		if (ptep)
			err = walk_table(ptep, addr, next, &walk);
		else if (ops->pte_hole)
			err = ops->pte_hole(addr, next, &walk);
		if (err)
			return err;
		addr = next;
	}
	return 0;
}
