/*
 * mm/memory.c — page tables of VMA ranges: zap, fork copy, protection.
 *
 * Invariants kept here: a mapped user PTE (present, or PROT_NONE) holds one reference on its
 * page and is counted once in the page's mapcount; a private page mapped
 * by more than one PTE, or referenced by anyone else, is never writable
 * through any of them (that is what makes copy-on-write safe).
 *
 * Locks: mm->mmap_lock of each mm involved (fork holds the parent's; the
 * child is not visible to anyone yet).
 */
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/page_alloc.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

pteval_t
vm_get_page_prot(uint32_t vm_flags)
{
	pteval_t prot = _PAGE_PRESENT | _PAGE_USER;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return 0;                        /* PROT_NONE: every access faults */
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	return prot;
}

/* Drops the mapping held by one present PTE. */
static void
zap_pte(struct mm_struct *mm, pte_t *ptep)
{
	struct page *page = pfn_to_page(pte_pfn(*ptep));

	set_pte(ptep, (pte_t){ 0 });
	page_remove_rmap(page);
	put_page(page);
	mm->rss--;
}

void
zap_page_range(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct mm_struct *mm = vma->vm_mm;

	for (uint32_t addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = pte_lookup(mm->pgd, addr);

		if (!ptep) {
			addr = (addr & ~(PGDIR_SIZE - 1)) + PGDIR_SIZE - PAGE_SIZE;
			if (addr + PAGE_SIZE < addr)
				break;
			continue;
		}
		if (pte_mapped(*ptep))
			zap_pte(mm, ptep);
	}
	flush_tlb_range(mm->pgd, start, end);
}

int
copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	bool cow = !(vma->vm_flags & VM_SHARED);

	for (uint32_t addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		pte_t *sp = pte_lookup(src->pgd, addr), *dp;

		if (!sp) {
			addr = (addr & ~(PGDIR_SIZE - 1)) + PGDIR_SIZE - PAGE_SIZE;
			continue;
		}
		if (!pte_mapped(*sp))
			continue;
		dp = pte_alloc(dst->pgd, addr);
		if (!dp)
			return -ENOMEM;
		if (cow)
			set_pte(sp, pte_wrprotect(*sp));
		set_pte(dp, *sp);
		page_dup_rmap(pfn_to_page(pte_pfn(*sp)));
		get_page(pfn_to_page(pte_pfn(*sp)));
		dst->rss++;
	}
	if (cow)
		flush_tlb_range(src->pgd, vma->vm_start, vma->vm_end);
	return 0;
}

void
change_protection(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct mm_struct *mm = vma->vm_mm;
	pteval_t prot = vma->vm_page_prot;

	/* A private page may be shared copy-on-write: leave it read-only and
	 * let the write fault decide whether it can be reused. */
	if (!(vma->vm_flags & VM_SHARED))
		prot &= ~_PAGE_RW;
	for (uint32_t addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = pte_lookup(mm->pgd, addr);

		if (!ptep || !pte_mapped(*ptep))
			continue;
		if (!prot)
			set_pte(ptep, pfn_pte(pte_pfn(*ptep), _PAGE_PROTNONE));
		else
			set_pte(ptep, pfn_pte(pte_pfn(*ptep), prot | (ptep->pte & (_PAGE_ACCESSED | _PAGE_DIRTY))));
	}
	flush_tlb_range(mm->pgd, start, end);
}
