/*
 * mm/madvise.c — madvise: what a process tells the kernel about how it
 * will use a range, with Linux's advice values and errno for each.
 *
 *   NORMAL RANDOM SEQUENTIAL WILLNEED DONTDUMP DODUMP
 *                          accepted (hints; nothing to read ahead)
 *   COLD                   the range's pages that no other PTE maps go to
 *                          their inactive LRU list, unreferenced
 *   PAGEOUT                those pages are reclaimed now: anonymous ones
 *                          written to swap (if there is swap), file ones
 *                          written back if dirty, then dropped
 *   DONTNEED (FREE)        the range's PTEs are dropped: private
 *                          anonymous memory reads zero again, shared
 *                          memory and files read their object again (a
 *                          nonlinear window the same file pages)
 *   REMOVE                 shared memory: free the object's pages, unmapped
 *                          first from every process that maps them (not
 *                          through a nonlinear window: EINVAL)
 *   DONTFORK DOFORK        a child does (not) inherit the range
 *   WIPEONFORK KEEPONFORK  a child gets it empty (private anon only)
 *   POPULATE_(READ|WRITE)  fault the range in now
 *   SOFT_OFFLINE           move each page to a new frame, retire the old
 *                          (mm/memory-failure.c)
 *   anything else          EINVAL (MERGEABLE comes with KSM)
 *
 * A range with holes is applied to its mapped parts, then fails with
 * ENOMEM, as on Linux.
 *
 * Locks: mmap_lock for the whole call (dropped for SOFT_OFFLINE); REMOVE
 * also takes the pages' locks and the file's i_mmap_lock (mm/truncate.c),
 * DONTNEED of a nonlinear VMA the i_mmap_lock.
 */
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/migrate.h>
#include <mm/rmap.h>
#include <mm/shmem.h>
#include <mm/lru.h>
#include <mm/pagewalk.h>
#include <mm/vmscan.h>
#include <fs/file.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>

enum madv {
	MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3,
	MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10,
	MADV_DOFORK = 11, MADV_DONTDUMP = 16, MADV_DODUMP = 17, MADV_WIPEONFORK = 18,
	MADV_KEEPONFORK = 19, MADV_COLD = 20, MADV_PAGEOUT = 21, MADV_POPULATE_READ = 22,
	MADV_POPULATE_WRITE = 23, MADV_DONTNEED_LOCKED = 24, MADV_SOFT_OFFLINE = 101,
};

static bool
advice_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK:
	case MADV_DOFORK: case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK:
	case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT: case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: case MADV_DONTNEED_LOCKED: case MADV_SOFT_OFFLINE:
		return true;
	default:
		return false;
	}
}

/* MADV_REMOVE: the file's pages behind [start, end) go for every
 * process that maps them, a hole punched in the file: first their PTEs,
 * in every VMA of the file, then the pages. All read zero again. Only
 * tmpfs (shared memory) can punch holes here, as on a Linux without
 * fallocate in the file system: another file gives EOPNOTSUPP. */
static int
madvise_remove(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	loff_t first = (loff_t)linear_page_index(vma, start) << PAGE_SHIFT;

	if (!vma->vm_file || !(vma->vm_flags & VM_SHARED) || (vma->vm_flags & VM_NONLINEAR))
		return -EINVAL;                  /* (Linux 3.x: no holes through a nonlinear window) */
	if (!(vma->vm_flags & VM_MAYWRITE))
		return -EACCES;                  /* a shared mapping that may never be written */
	if (!vma_is_shmem(vma))
		return -EOPNOTSUPP;
	return shmem_punch_hole(vma->vm_file->f_inode, first, end - start);
}

/* DONTNEED in a nonlinear VMA drops the pages but keeps the layout: each
 * PTE keeps the file page it showed (as Linux 3.x's zap with
 * nonlinear_vma details), so the next touch reads that page again. */
static void
zap_keeping_layout(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct address_space *mapping = vma_mapping(vma);

	mutex_lock(&mapping->i_mmap_lock);
	zap_nonlinear_range(vma, start, end, 0, 0xFFFFFFFFu);
	mutex_unlock(&mapping->i_mmap_lock);
}

/* Drops the PTEs of [start, end); REMOVE also frees the tmpfs pages. */
static int
madvise_dontneed(struct vm_area_struct *vma, uint32_t start, uint32_t end, int advice)
{
	if ((vma->vm_flags & VM_LOCKED) && advice != MADV_DONTNEED_LOCKED)
		return -EINVAL;
	if (advice == MADV_FREE && !vma_is_anonymous(vma))
		return -EINVAL;
	if (advice == MADV_REMOVE)
		return madvise_remove(vma, start, end);
	if (vma->vm_flags & VM_NONLINEAR)
		zap_keeping_layout(vma, start, end);
	else
		zap_page_range(vma, start, end);
	return 0;
}

/* Sets or clears flag on [start, end) of vma. */
static int
madvise_flag(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
	     uint32_t flag, bool set)
{
	uint32_t newflags = set ? vma->vm_flags | flag : vma->vm_flags & ~flag;

	return vma_modify_flags(mm, vma, start, end, newflags) ? 0 : -ENOMEM;
}

static int
madvise_populate(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
		 int advice)
{
	bool write = advice == MADV_POPULATE_WRITE;

	if (!(vma->vm_flags & (write ? VM_WRITE : VM_ACCESS_FLAGS)))
		return -EFAULT;
	return populate_range(mm, start, end, write ? FAULT_WRITE : FAULT_READ);
}

/* pte_entry of COLD and PAGEOUT: isolates the page a present PTE maps if
 * no other PTE maps it (Linux leaves pages others map alone), its
 * accessed bit cleared, onto the list *private. => page_table_lock held. */
static int
isolate_own_page(pte_t *ptep, uint32_t addr, struct mm_walk *walk)
{
	struct list_head *isolated = walk->private;
	struct page *page;

	(void)addr;
	if (!pte_present(*ptep))
		return 0;
	page = pfn_to_page(pte_pfn(*ptep));
	if (page_mapcount(page) != 1 || !lru_isolate_page(page))
		return 0;
	if (pte_young(*ptep)) {
		set_pte(ptep, pte_mkold(*ptep));
		flush_tlb_range(walk->mm->pgd, addr, addr + PAGE_SIZE);
	}
	list_add_tail(&page->lru, isolated);
	return 0;
}

static const struct mm_walk_ops isolate_own_ops = { .pte_entry = isolate_own_page,
						    .flags = WALK_LOCK_PTL };

/* COLD: the range's own pages go to their inactive list, unreferenced,
 * as reclaim's next candidates; PAGEOUT: they are reclaimed now (anonymous
 * ones written to swap, file ones written back if dirty and dropped). */
static int
madvise_cold_or_pageout(struct vm_area_struct *vma, uint32_t start, uint32_t end, int advice)
{
	LIST_HEAD(isolated);

	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	walk_page_range(vma->vm_mm, start, end, &isolate_own_ops, &isolated);
	while (!list_empty(&isolated)) {
		struct page *page = list_first_entry(&isolated, struct page, lru);

		list_del_init(&page->lru);
		if (advice == MADV_PAGEOUT)
			reclaim_isolated_page(page);
		else
			deactivate_isolated_page(page);
	}
	return 0;
}

/* Applies advice to [start, end), which lies inside vma. */
static int
madvise_vma(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
	    int advice)
{
	switch (advice) {
	case MADV_DONTNEED: case MADV_DONTNEED_LOCKED: case MADV_FREE: case MADV_REMOVE:
		return madvise_dontneed(vma, start, end, advice);
	case MADV_DONTFORK: case MADV_DOFORK:
		return madvise_flag(mm, vma, start, end, VM_DONTCOPY, advice == MADV_DONTFORK);
	case MADV_WIPEONFORK: case MADV_KEEPONFORK:
		if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		return madvise_flag(mm, vma, start, end, VM_WIPEONFORK, advice == MADV_WIPEONFORK);
	case MADV_COLD: case MADV_PAGEOUT:
		return madvise_cold_or_pageout(vma, start, end, advice);
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return madvise_populate(mm, vma, start, end, advice);
	default:
		return 0;                        /* hints */
	}
}

/* Walks the VMAs of [start, end): holes make the result ENOMEM, but the
 * mapped parts are still advised (Linux's order). */
static int
madvise_walk(struct mm_struct *mm, uint32_t start, uint32_t end, int advice)
{
	int unmapped_error = 0;

	while (start < end) {
		struct vm_area_struct *vma = find_vma(mm, start);
		uint32_t stop;
		int err;

		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		stop = vma->vm_end < end ? vma->vm_end : end;
		err = madvise_vma(mm, vma, start, stop, advice);
		if (err)
			return err;
		start = stop;
	}
	return unmapped_error;
}

static long
sys_madvise(uint32_t start, uint32_t len_in, int advice)
{
	struct mm_struct *mm = current->mm;
	uint32_t len, end;
	long err;

	if (!advice_known(advice) || !PAGE_ALIGNED(start))
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (advice == MADV_SOFT_OFFLINE)
		return madvise_soft_offline(start, start + len_in);
	mutex_lock(&mm->mmap_lock);
	err = madvise_walk(mm, start, end, advice);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(madvise, sys_madvise);
