/*
 * mm/fremap.c — remap_file_pages: nonlinear mappings of a file.
 *
 * remap_file_pages(start, size, 0, pgoff, flags) makes the pages of
 * [start, start + size) of a shared file mapping show the file pages
 * pgoff, pgoff + 1, ... instead of the ones mmap gave them, in place: a
 * database maps a 4 MiB window once and points its pages at whichever
 * parts of a 64 MiB file it needs, one call per window, with no new VMA
 * per window. Linux had this from 2.5.46 to 3.19 and then emulated it
 * with one VMA per window, because nonlinear VMAs were hard to get right
 * with reverse mapping (seeds 000 and 002). anvil does it natively:
 *
 *   - the VMA is made nonlinear (VM_NONLINEAR): vma_set_nonlinear moves it
 *     from its file's i_mmap tree, where a VMA is filed under the offsets
 *     it maps linearly, to the file's i_mmap_nonlinear list, where it is
 *     searched (mm/rmap.c: rmap_walk_file scans its page tables for the
 *     frame; truncate scans it for pages past the new end);
 *   - each PTE of the range gets a file PTE naming its file page
 *     (arch/x86/mmu.h: pgoff_to_pte), after the page it mapped, if any,
 *     is unmapped; a fault on a file PTE maps that file page
 *     (mm/fault.c: do_nonlinear_fault; SIGBUS past EOF);
 *   - unless MAP_NONBLOCK (or the VMA is mlocked), the range is then
 *     populated: each page is faulted in through its file PTE.
 *
 * The arguments are checked as Linux 2.6.23–3.19 did, in its order, all
 * EINVAL: prot must be 0; start and size are rounded down to pages, and
 * the range must not be empty or wrap; pgoff + pages must neither wrap
 * nor reach 2^PTE_FILE_MAX_BITS (what a file PTE holds); start must lie
 * in a VMA that is a shared mapping of a file open for writing (shared
 * anonymous memory is one: a tmpfs file), and the range must end inside it. A range that
 * asks for the offsets a linear VMA shows anyway changes nothing (but is
 * populated like any other).
 *
 * Invariants: a file PTE appears only in a VM_NONLINEAR VMA (rmap_check
 * verifies it); there an empty PTE means the linear offset, a file PTE
 * its own, and a present PTE the page-cache page of the offset it was
 * faulted for (page->index). VM_NONLINEAR is never cleared, and a split
 * or moved part of a nonlinear VMA is nonlinear too.
 *
 * Locks: mmap_lock for the whole call, populating faults included →
 * i_mmap_lock (vma_set_nonlinear) → page_table_lock around the PTE
 * changes of each page table.
 */
#include <mm/mman.h>
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/mlock.h>
#include <mm/vma.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>

/* The largest file page offset a file PTE can name, plus one. */
#define FILE_PTE_PGOFF_LIMIT (1u << PTE_FILE_MAX_BITS)

/* The checks Linux makes before it looks at the VMAs: 0 or -EINVAL. */
static long
remap_check_args(uint32_t start, uint32_t size, uint32_t prot, uint32_t pgoff)
{
	uint32_t pages = size >> PAGE_SHIFT;

	if (prot)
		return -EINVAL;
	if (start + size <= start)
		return -EINVAL;                  /* empty, or wraps */
	if (pgoff + pages < pgoff || pgoff + pages >= FILE_PTE_PGOFF_LIMIT)
		return -EINVAL;
	return 0;
}

/* The shared file VMA that holds all of [start, start + size), else NULL.
 * A MAP_SHARED mapping of a file not open for writing does not count:
 * Linux takes VM_SHARED from it (it can never be written), where anvil
 * takes VM_MAYWRITE (mm/mmap.c: mmap_file_check). */
static struct vm_area_struct *
remap_find_vma(struct mm_struct *mm, uint32_t start, uint32_t size)
{
	struct vm_area_struct *vma = vma_lookup(mm, start);

	if (!vma || (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE) ||
	    !vma_mapping(vma))
		return NULL;
	if (size > vma->vm_end - start)
		return NULL;
	return vma;
}

/* Faults in each page of [start, end) for reading, as Linux's
 * mm_populate, whose errors the call does not report: a page past EOF is
 * left as it is (its file PTE says what a touch will bring), and running
 * out of memory ends the populating. */
static void
remap_populate(struct mm_struct *mm, uint32_t start, uint32_t end)
{
	for (uint32_t addr = start; addr < end; addr += PAGE_SIZE)
		if (handle_mm_fault(mm, addr, FAULT_READ) == FAULT_OOM)
			return;
}

long
do_remap_file_pages(struct mm_struct *mm, uint32_t start, uint32_t size, uint32_t prot,
		    uint32_t pgoff, uint32_t flags)
{
	struct vm_area_struct *vma;
	uint32_t end;
	long err;

	start &= PAGE_MASK;
	size &= PAGE_MASK;
	err = remap_check_args(start, size, prot, pgoff);
	if (err)
		return err;
	end = start + size;
	mutex_lock(&mm->mmap_lock);
	vma = remap_find_vma(mm, start, size);
	if (!vma) {
		mutex_unlock(&mm->mmap_lock);
		return -EINVAL;
	}
	if ((vma->vm_flags & VM_NONLINEAR) || pgoff != linear_page_index(vma, start)) {
		vma_set_nonlinear(vma);
		if (vma->vm_flags & VM_LOCKED)
			munlock_vma_range(vma, start, end);   /* the pages leaving the range */
		err = install_file_ptes(vma, start, end, pgoff);
	}
	if (!err && (!(flags & MAP_NONBLOCK) || (vma->vm_flags & VM_LOCKED)))
		remap_populate(mm, start, end);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static long
sys_remap_file_pages(uint32_t start, uint32_t size, uint32_t prot, uint32_t pgoff, uint32_t flags)
{
	return do_remap_file_pages(current->mm, start, size, prot, pgoff, flags);
}
SYSCALL_DEFINE(remap_file_pages, sys_remap_file_pages);
