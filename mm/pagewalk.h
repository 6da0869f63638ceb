/*
 * mm/pagewalk.h — the one walk over the page tables of an address range.
 *
 * Everything in mm/ (and fs/proc) that looks at or changes the PTEs of a
 * range — zap, fork's copy, mprotect, mremap, mincore, the rmap checker,
 * smaps and pagemap — goes through walk_page_range(), or, reaching another
 * process through reverse mapping, walk_vma_range_rmap() (see Locks): the
 * two differ only in what they assert. The walk cuts the range at
 * page-table boundaries (PGDIR_SIZE, 4 MiB), so each piece lies in one
 * page table, and for each piece calls
 *
 *     table present   ops->pte_table(ptep, addr, end, walk)   once, or, if
 *                     that is NULL, ops->pte_entry(ptep, addr, walk) for
 *                     each page (ptep is the slot of addr; the slots of
 *                     the piece follow it: ptep[(a - addr) >> PAGE_SHIFT])
 *     table missing   ops->pte_hole(addr, end, walk), if set
 *
 * A missing table is skipped in one step. Every NULL callback is skipped.
 * Empty PTEs (pte_none) are passed to the callbacks like any other. A
 * callback returns 0 to go on; anything else ends the walk, and
 * walk_page_range returns it.
 *
 * pte_table is for hot paths (fork, munmap, mprotect): one call per
 * table, and the callback's own loop over the slots. pte_entry is simpler
 * where a call per page costs nothing that matters.
 *
 * The walk is inline (there is no pagewalk.c): every caller passes a
 * constant ops, so its flags fold away and its callbacks become direct
 * calls or inline code. A one-page munmap then costs a few instructions
 * more than the hand-written loop it replaced, instead of about sixty.
 *
 * Locks: the caller holds mm->mmap_lock (asserted), so the page tables
 * walked are neither freed nor replaced; a caller reaching another mm
 * through reverse mapping holds the i_mmap_lock of the VMA's file
 * instead (walk_vma_range_rmap, asserted). With WALK_LOCK_PTL in ops->flags
 * the walk holds mm->page_table_lock around the callbacks of each present
 * table (so they must not sleep or allocate); without it a callback that
 * changes PTEs takes page_table_lock itself, or its caller holds it
 * around the whole walk (never both).
 */
#ifndef MM_PAGEWALK_H
#define MM_PAGEWALK_H

#include <mm/mm_types.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/filemap.h>
#include <kernel/printk.h>
#include <stdint.h>

struct mm_walk;

struct mm_walk_ops {
	/* The slots of [addr, end), all in one present table, from ptep on. */
	int (*pte_table)(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk);
	/* One slot, at addr (used only when pte_table is NULL). */
	int (*pte_entry)(pte_t *ptep, uint32_t addr, struct mm_walk *walk);
	/* [addr, end) lies in one page table that does not exist. */
	int (*pte_hole)(uint32_t addr, uint32_t end, struct mm_walk *walk);
	unsigned flags;                       /* WALK_* */
};

#define WALK_LOCK_PTL 0x1u                    /* hold page_table_lock per table */

/* What the callbacks are given besides their slot and range. */
struct mm_walk {
	struct mm_struct *mm;
	const struct mm_walk_ops *ops;
	void *private;                        /* the caller's argument */
};

/*
 * The end of the part of [addr, end) that addr's page table maps. The
 * boundary after the last table is 2^32, which is 0 in 32 bits; comparing
 * "boundary - 1 < end - 1" compares the last addresses of the two
 * candidates instead, which both fit, so the walk stops at end.
 */
static inline uint32_t
pagewalk_table_end(uint32_t addr, uint32_t end)
{
	uint32_t boundary = (addr & ~(PGDIR_SIZE - 1)) + PGDIR_SIZE;

	return boundary - 1 < end - 1 ? boundary : end;
}

/*
 * Walks the page tables of [start, end) of mm (page aligned, start <= end;
 * a range may reach the last table of the address space, the walk stops
 * at end without wrapping) with ops, passing private in walk->private.
 * The caller holds what keeps those page tables alive: see
 * walk_page_range and walk_vma_range_rmap below.
 * Returns 0, or the first non-zero value a callback returned.
 *
 * Invariant of the loop: addr is the first address not yet visited, and
 * [addr, next) is the part of the range that addr's page table maps.
 */
static inline __attribute__((always_inline)) int
__walk_page_range(struct mm_struct *mm, uint32_t start, uint32_t end,
		  const struct mm_walk_ops *ops, void *private)
{
	struct mm_walk walk = { mm, ops, private };
	uint32_t addr = start;

	BUG_ON(!PAGE_ALIGNED(start | end) || start > end);
	while (addr != end) {
		uint32_t next = pagewalk_table_end(addr, end);
		pte_t *ptep = pte_lookup(mm->pgd, addr);
		int err = 0;

		if (ptep && (ops->pte_table || ops->pte_entry)) {
			if (ops->flags & WALK_LOCK_PTL)
				spin_lock(&mm->page_table_lock);
			if (ops->pte_table)
				err = ops->pte_table(ptep, addr, next, &walk);
			else
				for (uint32_t a = addr; a != next && !err; a += PAGE_SIZE, ptep++)
					err = ops->pte_entry(ptep, a, &walk);
			if (ops->flags & WALK_LOCK_PTL)
				spin_unlock(&mm->page_table_lock);
		} else if (!ptep && ops->pte_hole) {
			err = ops->pte_hole(addr, next, &walk);
		}
		if (err)
			return err;
		addr = next;
	}
	return 0;
}

/* __walk_page_range for the owner of the address space.
 * => mm->mmap_lock held by the caller. */
static inline __attribute__((always_inline)) int
walk_page_range(struct mm_struct *mm, uint32_t start, uint32_t end,
		const struct mm_walk_ops *ops, void *private)
{
	lockdep_assert_held(&mm->mmap_lock);
	return __walk_page_range(mm, start, end, ops, private);
}

/* __walk_page_range over part of vma for a caller reaching another
 * process's page tables through reverse mapping, without its mmap_lock
 * (truncate and MADV_REMOVE unmapping a range of a file from every
 * process that maps it: zap_page_range_rmap).
 * => the lock of an rmap tree vma is in is held: its file's i_mmap_lock.
 *    vma stays linked while it is held, and page tables are
 *    freed only with the mm (mm/mm.c), after every VMA is unlinked.
 * Callbacks that change PTEs need WALK_LOCK_PTL. */
static inline __attribute__((always_inline)) int
walk_vma_range_rmap(struct vm_area_struct *vma, uint32_t start, uint32_t end,
		    const struct mm_walk_ops *ops, void *private)
{
	BUG_ON(!vma->vm_file);
	lockdep_assert_held(&vma_mapping(vma)->i_mmap_lock);
	BUG_ON(start < vma->vm_start || end > vma->vm_end);
	return __walk_page_range(vma->vm_mm, start, end, ops, private);
}

#endif
