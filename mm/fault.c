/*
 * mm/fault.c — resolving a page fault in a user address space.
 *
 *   fault at addr
 *     |
 *     +-- no VMA covers addr ---------------- stack VMA just above? grow it (within
 *     |                                       its limit and guard gap)
 *     |                                       else FAULT_BAD_ADDRESS (SEGV_MAPERR)
 *     +-- VMA forbids this access ----------- FAULT_BAD_ACCESS (SEGV_ACCERR)
 *     |
 *     +-- PTE holds a migration entry -------- wait for the migration, retry
 *     |
 *     +-- PTE empty
 *     |     +-- shared anonymous ------------ do_shared_page: the shmem object's page
 *     |     +-- file (private) -------------- do_file_page: read into a new page
 *     |     +-- anonymous ------------------- do_anonymous_page: a zeroed page
 *     |
 *     +-- PTE present, write to read-only --- do_wp_page: reuse if we are the
 *     |                                       only user, else copy (COW)
 *     +-- PTE present and allows it --------- someone else fixed it: done
 *
 * Each handler allocates what it needs first, then takes
 * mm->page_table_lock and checks that the PTE is still what it saw (an
 * rmap walker — migration — may have changed it meanwhile, since walkers
 * do not take mmap_lock); if not, it gives up and the access faults again.
 *
 * Locks: the caller holds mm->mmap_lock; page allocation happens under it;
 * a shared page's lock while it is mapped (do_shared_page);
 * mm->page_table_lock around each PTE change.
 */
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/page_alloc.h>
#include <mm/shmem.h>
#include <mm/swapops.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <mm/migrate.h>
#include <mm/page_lock.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <fs/file.h>
#include <libk/string.h>

/* The PTE that maps page in vma (read-only if !writable). */
static pte_t
make_user_pte(struct vm_area_struct *vma, struct page *page, bool writable)
{
	pteval_t prot = vma->vm_page_prot | _PAGE_ACCESSED;

	if (!writable)
		prot &= ~_PAGE_RW;
	else
		prot |= _PAGE_DIRTY;
	return pfn_pte(page_to_pfn(page), prot);
}

/* Takes the page-table lock if *ptep is still empty; false (unlocked) if
 * something filled it meanwhile. */
static bool
lock_empty_pte(struct mm_struct *mm, pte_t *ptep)
{
	spin_lock(&mm->page_table_lock);
	if (pte_none(*ptep))
		return true;
	spin_unlock(&mm->page_table_lock);
	return false;
}

/* Maps page at the empty PTE for addr, with its reference: a shared
 * object's page gains one more mapping, a private page is new to the
 * world and joins vma's anon_vma. If the PTE was filled meanwhile, the
 * page is let go and the access simply retries. */
static enum fault_result
map_new_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!lock_empty_pte(mm, ptep)) {
		put_page(page);
		return FAULT_HANDLED;
	}
	if (vma->vm_shmem)
		page_dup_rmap(page);
	else
		page_add_new_anon_rmap(page, vma, addr);
	set_pte(ptep, make_user_pte(vma, page, vma->vm_flags & VM_WRITE));
	mm->rss++;
	spin_unlock(&mm->page_table_lock);
	return FAULT_HANDLED;
}

static enum fault_result
do_anonymous_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	struct page *page;

	if (anon_vma_prepare(vma))
		return FAULT_OOM;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return FAULT_OOM;
	return map_new_page(vma, ptep, addr, page);
}

/* The object's page, mapped under its page lock and only if it is still
 * the object's: a hole punched (shmem_punch_hole) or a migration finished
 * since it was looked up sends the access back to fault again. */
static enum fault_result
do_shared_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	uint32_t pgoff = linear_page_index(vma, addr);
	enum fault_result r;
	struct page *page;

	if (pgoff >= vma->vm_shmem->nr_pages)
		return FAULT_SIGBUS;             /* past the object (mremap grew the VMA) */
	page = shmem_find_or_create_page(vma->vm_shmem, pgoff);
	if (!page)
		return FAULT_OOM;
	lock_page(page);
	if (page->mapping != vma->vm_shmem) {
		unlock_page(page);
		put_page(page);
		return FAULT_HANDLED;
	}
	r = map_new_page(vma, ptep, addr, page);   /* the object keeps it alive */
	unlock_page(page);
	return r;
}

/* A private file page: the file's bytes at this offset, zeros past its end. */
static enum fault_result
do_file_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	uint64_t off = (uint64_t)linear_page_index(vma, addr) << PAGE_SHIFT;
	struct page *page;
	ssize_t n;

	if (anon_vma_prepare(vma))
		return FAULT_OOM;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return FAULT_OOM;
	n = kernel_read(vma->vm_file, page_address(page), PAGE_SIZE, off);
	if (n < 0) {
		put_page(page);
		return FAULT_SIGBUS;
	}
	count_vm_event(PGMAJFAULT);
	return map_new_page(vma, ptep, addr, page);
}

/* True if no one but this PTE can see the page, so writing it in place is safe. */
static bool
page_exclusive(struct page *page)
{
	return page_mapcount(page) == 1 && page_count(page) == 1;
}

/* Makes the PTE writable in place: a shared page, or a private one that
 * only this PTE maps. Page-table lock held. */
static void
reuse_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, struct page *page)
{
	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!(vma->vm_flags & VM_SHARED))
		page_move_anon_rmap(page, vma);
	set_pte(ptep, (pte_t){ pte_mkwrite(*ptep).pte | _PAGE_DIRTY | _PAGE_ACCESSED });
	flush_tlb_range(vma->vm_mm->pgd, addr, addr + PAGE_SIZE);
}

/* Copies old into a new private page for vma at addr, unless the PTE
 * changed since it read orig (then the access simply faults again). */
static enum fault_result
cow_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, pte_t orig)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *old = pfn_to_page(pte_pfn(orig)), *copy;

	if (anon_vma_prepare(vma))
		return FAULT_OOM;
	copy = alloc_page(GFP_KERNEL);
	if (!copy)
		return FAULT_OOM;
	spin_lock(&mm->page_table_lock);
	if (ptep->pte != orig.pte) {
		spin_unlock(&mm->page_table_lock);
		put_page(copy);
		return FAULT_HANDLED;
	}
	memcpy(page_address(copy), page_address(old), PAGE_SIZE);
	page_add_new_anon_rmap(copy, vma, addr);
	set_pte(ptep, make_user_pte(vma, copy, true));
	flush_tlb_range(mm->pgd, addr, addr + PAGE_SIZE);
	page_remove_rmap(old);
	spin_unlock(&mm->page_table_lock);
	put_page(old);
	count_vm_event(COW_FAULT);
	return FAULT_HANDLED;
}

/* A write to a present read-only PTE in a writable VMA. */
static enum fault_result
do_wp_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t orig;
	struct page *page;

	spin_lock(&mm->page_table_lock);
	orig = *ptep;
	if (!pte_present(orig) || pte_write(orig)) {
		spin_unlock(&mm->page_table_lock);   /* changed meanwhile: retry */
		return FAULT_HANDLED;
	}
	page = pfn_to_page(pte_pfn(orig));
	if ((vma->vm_flags & VM_SHARED) || page_exclusive(page)) {
		reuse_page(vma, ptep, addr, page);
		spin_unlock(&mm->page_table_lock);
		return FAULT_HANDLED;
	}
	spin_unlock(&mm->page_table_lock);
	return cow_page(vma, ptep, addr, orig);
}

static bool
access_allowed(const struct vm_area_struct *vma, enum fault_access access)
{
	if (access == FAULT_WRITE)
		return vma->vm_flags & VM_WRITE;
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

static enum fault_result
fault_empty_pte(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	if (vma->vm_shmem)
		return do_shared_page(vma, ptep, addr);
	if (vma->vm_file)
		return do_file_page(vma, ptep, addr);
	return do_anonymous_page(vma, ptep, addr);
}

enum fault_result
handle_mm_fault(struct mm_struct *mm, uint32_t addr, enum fault_access access)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	pte_t *ptep;

	lockdep_assert_held(&mm->mmap_lock);
	if (!vma || (addr < vma->vm_start && !expand_stack(mm, vma, addr)))
		return FAULT_BAD_ADDRESS;
	if (!access_allowed(vma, access))
		return FAULT_BAD_ACCESS;
	ptep = pte_alloc(mm->pgd, addr);
	if (!ptep)
		return FAULT_OOM;
	count_vm_event(PGFAULT);
	if (is_migration_entry(*ptep)) {
		migration_entry_wait(ptep);
		return FAULT_HANDLED;            /* the access retries */
	}
	if (pte_is_swap(*ptep))
		return FAULT_SIGBUS;             /* no swap areas yet */
	if (pte_none(*ptep))
		return fault_empty_pte(vma, ptep, addr & PAGE_MASK);
	if (pte_protnone(*ptep)) {
		/* the VMA allows the access now (mprotect raced ahead): refresh */
		change_protection(vma, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE);
		return FAULT_HANDLED;
	}
	if (access == FAULT_WRITE && !pte_write(*ptep))
		return do_wp_page(vma, ptep, addr & PAGE_MASK);
	spin_lock(&mm->page_table_lock);
	if (pte_present(*ptep))
		ptep->pte |= _PAGE_ACCESSED;
	spin_unlock(&mm->page_table_lock);
	return FAULT_HANDLED;
}

int
populate_range(struct mm_struct *mm, uint32_t start, uint32_t end, enum fault_access access)
{
	lockdep_assert_held(&mm->mmap_lock);
	for (uint32_t addr = start; addr < end; addr += PAGE_SIZE) {
		enum fault_result r = handle_mm_fault(mm, addr, access);

		if (r == FAULT_OOM)
			return -ENOMEM;
		if (r != FAULT_HANDLED)
			return -EFAULT;
	}
	return 0;
}
