/*
 * mm/fault.c — resolving a page fault in a user address space.
 *
 *   fault at addr
 *     |
 *     +-- no VMA covers addr ---------------- stack VMA just above? grow it
 *     |                                       else FAULT_BAD_ADDRESS (SEGV_MAPERR)
 *     +-- VMA forbids this access ----------- FAULT_BAD_ACCESS (SEGV_ACCERR)
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
 * Locks: the caller holds mm->mmap_lock; page allocation happens under it.
 */
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/page_alloc.h>
#include <mm/shmem.h>
#include <mm/vma.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <fs/file.h>
#include <libk/string.h>

/* Maps page at addr with the VMA's protection (read-only if !writable). */
static void
install_pte(struct vm_area_struct *vma, pte_t *ptep, struct page *page, bool writable)
{
	pteval_t prot = vma->vm_page_prot | _PAGE_ACCESSED;

	if (!writable)
		prot &= ~_PAGE_RW;
	else
		prot |= _PAGE_DIRTY;
	set_pte(ptep, pfn_pte(page_to_pfn(page), prot));
	vma->vm_mm->rss++;
}

static enum fault_result
do_anonymous_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return FAULT_OOM;
	page_add_new_anon_rmap(page, vma, addr);
	install_pte(vma, ptep, page, vma->vm_flags & VM_WRITE);
	return FAULT_HANDLED;
}

static enum fault_result
do_shared_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	struct page *page = shmem_find_or_create_page(vma->vm_shmem,
						      linear_page_index(vma, addr));

	if (!page)
		return addr >= vma->vm_end ? FAULT_SIGBUS : FAULT_OOM;
	page_dup_rmap(page);
	install_pte(vma, ptep, page, vma->vm_flags & VM_WRITE);
	return FAULT_HANDLED;
}

/* A private file page: the file's bytes at this offset, zeros past its end. */
static enum fault_result
do_file_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	uint64_t off = (uint64_t)linear_page_index(vma, addr) << PAGE_SHIFT;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	ssize_t n;

	if (!page)
		return FAULT_OOM;
	n = kernel_read(vma->vm_file, page_address(page), PAGE_SIZE, off);
	if (n < 0) {
		__free_pages(page, 0);
		return FAULT_SIGBUS;
	}
	page_add_new_anon_rmap(page, vma, addr);
	install_pte(vma, ptep, page, vma->vm_flags & VM_WRITE);
	return FAULT_HANDLED;
}

/* True if no one but this PTE can see the page, so writing it in place is safe. */
static bool
page_exclusive(struct page *page)
{
	return page_mapcount(page) == 1 && page_count(page) == 1;
}

static enum fault_result
do_wp_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	struct page *old = pfn_to_page(pte_pfn(*ptep)), *copy;

	if ((vma->vm_flags & VM_SHARED) || page_exclusive(old)) {
		set_pte(ptep, pte_mkwrite(*ptep));
		ptep->pte |= _PAGE_DIRTY | _PAGE_ACCESSED;
		flush_tlb_range(vma->vm_mm->pgd, addr, addr + PAGE_SIZE);
		return FAULT_HANDLED;
	}
	copy = alloc_page(GFP_KERNEL);
	if (!copy)
		return FAULT_OOM;
	memcpy(page_address(copy), page_address(old), PAGE_SIZE);
	page_add_new_anon_rmap(copy, vma, addr);
	vma->vm_mm->rss--;                  /* install_pte counts the new page */
	install_pte(vma, ptep, copy, true);
	flush_tlb_range(vma->vm_mm->pgd, addr, addr + PAGE_SIZE);
	page_remove_rmap(old);
	put_page(old);
	return FAULT_HANDLED;
}

/* Extends a VM_GROWSDOWN stack VMA down to addr, within the stack limit. */
static bool
expand_stack(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t addr)
{
	uint32_t start = addr & PAGE_MASK;
	struct vm_area_struct *prev = vma_prev(mm, vma);

	if (!(vma->vm_flags & VM_GROWSDOWN) || vma->vm_end - start > mm->stack_limit)
		return false;
	if (prev && prev->vm_end > start - PAGE_SIZE)
		return false;                   /* keep a guard page to the neighbour */
	vma_unlink(mm, vma);
	vma->vm_pgoff -= (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	vma_link(mm, vma);
	return true;
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

	if (!vma || (addr < vma->vm_start && !expand_stack(mm, vma, addr)))
		return FAULT_BAD_ADDRESS;
	if (!access_allowed(vma, access))
		return FAULT_BAD_ACCESS;
	ptep = pte_alloc(mm->pgd, addr);
	if (!ptep)
		return FAULT_OOM;
	if (!pte_mapped(*ptep))
		return fault_empty_pte(vma, ptep, addr & PAGE_MASK);
	if (pte_protnone(*ptep)) {
		/* the VMA allows the access now (mprotect raced ahead): refresh */
		change_protection(vma, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE);
		return FAULT_HANDLED;
	}
	if (access == FAULT_WRITE && !pte_write(*ptep))
		return do_wp_page(vma, ptep, addr & PAGE_MASK);
	ptep->pte |= _PAGE_ACCESSED;
	return FAULT_HANDLED;
}

int
populate_range(struct mm_struct *mm, uint32_t start, uint32_t end, enum fault_access access)
{
	for (uint32_t addr = start; addr < end; addr += PAGE_SIZE) {
		enum fault_result r = handle_mm_fault(mm, addr, access);

		if (r == FAULT_OOM)
			return -ENOMEM;
		if (r != FAULT_HANDLED)
			return -EFAULT;
	}
	return 0;
}
