/*
 * mm/memory.c — page tables of VMA ranges: zap, fork copy, protection.
 *
 * Invariants kept here: a mapped user PTE (present, or PROT_NONE) holds one reference on its
 * page and is counted once in the page's mapcount; a private page mapped
 * by more than one PTE, or referenced by anyone else, is never writable
 * through any of them (that is what makes copy-on-write safe).
 *
 * Migration entries (mm/swapops.h) stand in for a page while it moves:
 * they hold neither a reference nor a mapcount but still count in rss;
 * zap clears them, fork copies them (read-only for a COW mapping) and
 * mprotect keeps them.
 *
 * Locks: mm->mmap_lock of each mm involved (fork holds the parent's; the
 * child is not visible to anyone yet), and mm->page_table_lock around the
 * PTE changes, which rmap walkers of other tasks may race with.
 */
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/page_alloc.h>
#include <mm/swapops.h>
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

/* Empties one PTE: a page mapping drops its reference and mapcount. */
static void
zap_pte(struct mm_struct *mm, pte_t *ptep)
{
	pte_t pte = *ptep;
	struct page *page;

	set_pte(ptep, (pte_t){ 0 });
	if (pte_is_swap(pte)) {
		if (!is_migration_entry(pte))
			mm->swap_ents--;
		else
			mm->rss--;
		return;
	}
	page = pfn_to_page(pte_pfn(pte));
	page_remove_rmap(page);
	put_page(page);
	mm->rss--;
}

/* The next address at which a page table starts (0 on wrap-around). */
static uint32_t
next_table(uint32_t addr)
{
	return (addr & ~(PGDIR_SIZE - 1)) + PGDIR_SIZE;
}

void
zap_page_range(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct mm_struct *mm = vma->vm_mm;

	for (uint32_t addr = start; addr < end && addr >= start; ) {
		pte_t *ptep = pte_lookup(mm->pgd, addr);

		if (!ptep) {
			addr = next_table(addr);
			continue;
		}
		spin_lock(&mm->page_table_lock);
		for (; addr < end && ptep; addr += PAGE_SIZE, ptep++) {
			if (!pte_none(*ptep))
				zap_pte(mm, ptep);
			if (pte_index(addr) == PTRS_PER_PTE - 1) {
				addr += PAGE_SIZE;
				break;
			}
		}
		spin_unlock(&mm->page_table_lock);
		if (!addr)
			break;
	}
	flush_tlb_range(mm->pgd, start, end);
}

/* fork: one PTE of a private (cow) or shared mapping, copied to dp. */
static void
copy_one_pte(struct mm_struct *dst, pte_t *sp, pte_t *dp, bool cow)
{
	pte_t pte = *sp;
	struct page *page;

	if (is_migration_entry(pte)) {
		if (cow && is_write_migration_entry(pte)) {
			pte = make_migration_entry(migration_entry_to_page(pte), false);
			set_pte(sp, pte);
		}
		set_pte(dp, pte);
		dst->rss++;
		return;
	}
	page = pfn_to_page(pte_pfn(pte));
	if (cow)
		set_pte(sp, pte = pte_wrprotect(pte));
	set_pte(dp, pte);
	page_dup_rmap(page);
	get_page(page);
	dst->rss++;
}

int
copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	bool cow = !(vma->vm_flags & VM_SHARED);

	for (uint32_t addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		pte_t *sp = pte_lookup(src->pgd, addr), *dp;

		if (!sp) {
			addr = next_table(addr) - PAGE_SIZE;
			if (addr + PAGE_SIZE == 0)
				break;
			continue;
		}
		if (pte_none(*sp))
			continue;
		dp = pte_alloc(dst->pgd, addr);
		if (!dp)
			return -ENOMEM;
		spin_lock(&src->page_table_lock);
		if (!pte_none(*sp))
			copy_one_pte(dst, sp, dp, cow);
		spin_unlock(&src->page_table_lock);
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

		if (!ptep)
			continue;
		spin_lock(&mm->page_table_lock);
		if (is_write_migration_entry(*ptep) && !(prot & _PAGE_RW))
			set_pte(ptep, make_migration_entry(migration_entry_to_page(*ptep), false));
		else if (pte_mapped(*ptep) && !prot)
			set_pte(ptep, pfn_pte(pte_pfn(*ptep), _PAGE_PROTNONE));
		else if (pte_mapped(*ptep))
			set_pte(ptep, pfn_pte(pte_pfn(*ptep), prot | (ptep->pte & (_PAGE_ACCESSED | _PAGE_DIRTY))));
		spin_unlock(&mm->page_table_lock);
	}
	flush_tlb_range(mm->pgd, start, end);
}
