/*
 * mm/swapoff.c — bringing every page of a swap area back (Linux's
 * try_to_unuse), so that swapoff can free the area.
 *
 * The area is SWP_SWAPOFF: it hands out no new slots, so the only new
 * references to its slots are forks copying swap PTEs that exist already.
 * Each pass visits every process: in each VMA that may hold swap PTEs
 * (those with an anon_vma), every swap PTE naming a slot of the area is
 * resolved as a read fault would resolve it (unuse_swap_pte), whatever
 * the VMA's protection; then every shared-memory page in the area is
 * read back into its file's page cache (shmem_unuse); then the pages left
 * in the swap cache for its slots leave it. Passes repeat until no slot is in use; a pass that
 * frees none means a reference no process holds — a kernel bug — and
 * swapoff fails with EBUSY rather than loop.
 *
 * Invariants: a page is never dropped: each comes back into memory before
 * its slot is freed; on failure the area is made active again by the
 * caller (mm/swapfile.c swapoff_area) with every remaining slot intact.
 *
 * Locks: each mm's mmap_lock in turn (the pages' faults run under it),
 * the page locks and page-table locks the fault takes; nothing else is
 * held (not swapon_mutex).
 */
#include <mm/swapfile.h>
#include <mm/swap_state.h>
#include <mm/memory.h>
#include <mm/mm.h>
#include <mm/pagewalk.h>
#include <mm/shmem.h>
#include <mm/page_alloc.h>
#include <kernel/errno.h>
#include <kernel/signal.h>
#include <kernel/task.h>

#define MAX_UNUSE_MMS (PAGE_SIZE / sizeof(struct mm_struct *))

/* What a walk of one VMA needs. */
struct unuse_walk {
	struct vm_area_struct *vma;
	uint32_t type;
};

/* pte_entry: a swap PTE naming a slot of the area maps its page again.
 * No page_table_lock: mmap_lock keeps the table, and the fault takes the
 * lock itself. Non-zero (an errno) stops the walk. */
static int
unuse_pte(pte_t *ptep, uint32_t addr, struct mm_walk *walk)
{
	const struct unuse_walk *u = walk->private;
	pte_t pte = *ptep;

	if (!pte_is_swap(pte) || is_migration_entry(pte) || pte_swp_type(pte) != u->type)
		return 0;
	return -unuse_swap_pte(u->vma, ptep, addr);
}

static const struct mm_walk_ops unuse_ops = { .pte_entry = unuse_pte };

/* One process's swap PTEs of area type: 0 or -errno. */
static int
unuse_mm(struct mm_struct *mm, uint32_t type)
{
	struct vm_area_struct *vma;
	int err = 0;

	mutex_lock(&mm->mmap_lock);
	list_for_each_entry(vma, &mm->mmap_list, vm_list) {
		struct unuse_walk u = { vma, type };

		if (!vma->anon_vma)
			continue;                    /* no anonymous page: no swap PTE */
		err = -walk_page_range(mm, vma->vm_start, vma->vm_end, &unuse_ops, &u);
		if (err)
			break;
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* One pass over every process: 0 or -errno. */
static int
unuse_all_mms(struct mm_struct **mms, uint32_t type)
{
	int n = grab_all_mms(mms, MAX_UNUSE_MMS), err = 0;

	for (int i = 0; i < n; i++) {
		if (!err)
			err = unuse_mm(mms[i], type);
		mmdrop(mms[i]);
	}
	return err;
}

int
try_to_unuse(uint32_t type)
{
	struct mm_struct **mms = get_free_pages(GFP_KERNEL, 0);
	uint32_t inuse, left;
	int err = 0;

	if (!mms)
		return -ENOMEM;
	while (swap_area_slots(type, &inuse) && inuse) {
		if (signal_pending(current)) {
			err = -EINTR;
			break;
		}
		err = unuse_all_mms(mms, type);
		if (!err)
			err = shmem_unuse(type);
		if (err)
			break;
		free_swap_cache_of_type(type);
		if (swap_area_slots(type, &left) && left >= inuse) {
			err = -EBUSY;                /* references no process holds */
			break;
		}
	}
	free_pages(mms, 0);
	return err;
}
