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
 * mprotect keeps them. Swap PTEs (mm/swap_state.h) hold a count of
 * their slot: zap frees it (and the cached page nobody maps),
 * fork duplicates it, mprotect leaves it. File PTEs (a nonlinear VMA's layout, mm/fremap.c)
 * hold nothing and count nowhere: zap clears them, fork copies them,
 * mprotect leaves them; zap_nonlinear_range unmaps pages but keeps the
 * layout (truncate, MADV_DONTNEED).
 *
 * Every range is walked with walk_page_range (mm/pagewalk.h), one page
 * table at a time; zap_page_range_rmap with walk_vma_range_rmap.
 *
 * Locks: mm->mmap_lock of each mm involved (fork holds the parent's and
 * the child's: mm/mm.c), except for zap_page_range_rmap, whose caller
 * holds the file's i_mmap_lock instead; and mm->page_table_lock
 * around the PTE changes of each page table, which rmap walkers of other
 * tasks may race with.
 */
#include <mm/memory.h>
#include <mm/pagewalk.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/filemap.h>
#include <mm/page_alloc.h>
#include <mm/swapops.h>
#include <mm/swap_state.h>
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

bool
vma_wants_writenotify(const struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	return mapping && (vma->vm_flags & VM_SHARED) && mapping_can_writeback(mapping);
}

void
vma_set_page_prot(struct vm_area_struct *vma)
{
	pteval_t prot = vm_get_page_prot(vma->vm_flags);

	if (vma_wants_writenotify(vma))
		prot &= ~_PAGE_RW;               /* the first store faults: page_mkwrite */
	vma->vm_page_prot = prot;
}

/* Empties one PTE: a page mapping drops its reference and mapcount.
 * Inline in both zap loops: munmap and exit run it once per page. */
static inline __attribute__((always_inline)) void
zap_pte(struct mm_struct *mm, pte_t *ptep)
{
	pte_t pte = *ptep;
	struct page *page;

	set_pte(ptep, (pte_t){ 0 });
	if (!pte_mapped(pte)) {
		if (is_migration_entry(pte)) {
			mm->rss--;
		} else if (pte_is_swap(pte)) {
			mm->swap_ents--;
			free_swap_and_cache(pte_to_swp_entry(pte));
		}
		return;                          /* a file PTE: no page behind it */
	}
	page = pfn_to_page(pte_pfn(pte));
	page_remove_rmap(page);
	put_page(page);
	mm->rss--;
}

/* pte_table of zap: empties the slots of [addr, end). => page_table_lock held.
 * Inline into zap_page_range's walk: munmap is a hot path. */
static inline __attribute__((always_inline)) int
zap_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	for (uint32_t n = (end - addr) >> PAGE_SHIFT; n; n--, ptep++)
		if (!pte_none(*ptep))
			zap_pte(walk->mm, ptep);
	return 0;
}

static const struct mm_walk_ops zap_ops = { .pte_table = zap_pte_table, .flags = WALK_LOCK_PTL };

/* pte_table of a zap that keeps private copies: only PTEs of file pages
 * (and migration entries standing in for them) go. */
static int
zap_file_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	for (uint32_t n = (end - addr) >> PAGE_SHIFT; n; n--, ptep++) {
		pte_t pte = *ptep;
		struct page *page;

		if (pte_none(pte) || pte_file(pte) || (pte_is_swap(pte) && !is_migration_entry(pte)))
			continue;
		page = is_migration_entry(pte) ? migration_entry_to_page(pte) : pfn_to_page(pte_pfn(pte));
		if (!PageAnon(page))
			zap_pte(walk->mm, ptep);
	}
	return 0;
}

static const struct mm_walk_ops zap_file_ops = { .pte_table = zap_file_pte_table,
						 .flags = WALK_LOCK_PTL };

void
zap_page_range(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct mm_struct *mm = vma->vm_mm;

	walk_page_range(mm, start, end, &zap_ops, NULL);
	flush_tlb_range(mm->pgd, start, end);
}

void
zap_page_range_rmap(struct vm_area_struct *vma, uint32_t start, uint32_t end, bool even_cows)
{
	walk_vma_range_rmap(vma, start, end, even_cows ? &zap_ops : &zap_file_ops, NULL);
	flush_tlb_range(vma->vm_mm->pgd, start, end);
}

/* What zap_nonlinear_range unmaps: the file pages of vma with offsets
 * in [first, last]. */
struct nonlinear_zap {
	struct vm_area_struct *vma;
	uint32_t first, last;
};

/* pte_table of zap_nonlinear_range: each slot of [addr, end) that maps
 * (or is migrating) a page with offset in the range gets the PTE that
 * keeps its place in the layout. => page_table_lock held. */
static int
zap_nonlinear_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	const struct nonlinear_zap *r = walk->private;

	for (; addr != end; addr += PAGE_SIZE, ptep++) {
		pte_t pte = *ptep;
		struct page *page;

		if (pte_mapped(pte))
			page = pfn_to_page(pte_pfn(pte));
		else if (is_migration_entry(pte))
			page = migration_entry_to_page(pte);
		else
			continue;                    /* empty, or a file PTE already */
		if (page->index < r->first || page->index > r->last)
			continue;
		zap_pte(walk->mm, ptep);
		set_pte(ptep, pte_after_unmap(r->vma, addr, page));
	}
	return 0;
}

static const struct mm_walk_ops zap_nonlinear_ops = { .pte_table = zap_nonlinear_pte_table,
						      .flags = WALK_LOCK_PTL };

void
zap_nonlinear_range(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t first,
		    uint32_t last)
{
	struct nonlinear_zap r = { vma, first, last };

	BUG_ON(!(vma->vm_flags & VM_NONLINEAR));
	walk_vma_range_rmap(vma, start, end, &zap_nonlinear_ops, &r);
	flush_tlb_range(vma->vm_mm->pgd, start, end);
}

/* pte_table of install_file_ptes: empties each slot of [addr, end) and
 * gives it a file PTE, for consecutive file pages from *private on.
 * => page_table_lock held. */
static int
install_file_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	uint32_t *pgoff = walk->private;

	for (; addr != end; addr += PAGE_SIZE, ptep++) {
		if (!pte_none(*ptep))
			zap_pte(walk->mm, ptep);
		set_pte(ptep, pgoff_to_pte((*pgoff)++));
	}
	return 0;
}

static const struct mm_walk_ops install_file_ops = { .pte_table = install_file_pte_table,
						     .flags = WALK_LOCK_PTL };

int
install_file_ptes(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t pgoff)
{
	struct mm_struct *mm = vma->vm_mm;

	BUG_ON(!(vma->vm_flags & VM_NONLINEAR) || start < vma->vm_start || end > vma->vm_end);
	for (uint32_t addr = start; addr < end; addr = pagewalk_table_end(addr, end))
		if (!pte_alloc(mm->pgd, addr))
			return -ENOMEM;
	walk_page_range(mm, start, end, &install_file_ops, &pgoff);
	flush_tlb_range(mm->pgd, start, end);
	return 0;
}

/* fork: one PTE of a private (cow) or shared mapping, copied to dp.
 * 0, or -ENOMEM if a swap slot's count is full. */
static int
copy_one_pte(struct mm_struct *dst, pte_t *sp, pte_t *dp, bool cow)
{
	pte_t pte = *sp;
	struct page *page;

	if (pte_file(pte)) {
		set_pte(dp, pte);                /* a nonlinear layout: the same offset */
		return 0;
	}
	if (is_migration_entry(pte)) {
		if (cow && is_write_migration_entry(pte)) {
			pte = make_migration_entry(migration_entry_to_page(pte), false);
			set_pte(sp, pte);
		}
		set_pte(dp, pte);
		dst->rss++;
		return 0;
	}
	if (pte_is_swap(pte)) {
		if (swap_duplicate(pte_to_swp_entry(pte)))
			return -ENOMEM;
		set_pte(dp, pte);                /* both name the slot: it comes back shared */
		dst->swap_ents++;
		return 0;
	}
	page = pfn_to_page(pte_pfn(pte));
	if (cow)
		set_pte(sp, pte = pte_wrprotect(pte));
	set_pte(dp, pte);
	page_dup_rmap(page);
	get_page(page);
	dst->rss++;
	return 0;
}

/* What fork's walk of a parent VMA needs. */
struct copy_walk {
	struct mm_struct *dst;
	bool cow;
};

/* pte_table of fork: copies the used slots of [addr, end) of the parent
 * into the child, allocating the child's page table first (outside the
 * parent's page_table_lock, which covers the copy). 0 or -ENOMEM. */
static int
copy_pte_table(pte_t *sp, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	struct copy_walk *c = walk->private;
	struct mm_struct *src = walk->mm;
	uint32_t n = (end - addr) >> PAGE_SHIFT;
	pte_t *dp;

	for (; n && pte_none(*sp); n--, sp++)
		addr += PAGE_SIZE;               /* nothing to copy before the first used slot */
	if (!n)
		return 0;
	dp = pte_alloc(c->dst->pgd, addr);
	if (!dp)
		return -ENOMEM;
	spin_lock(&src->page_table_lock);
	for (; n; n--, sp++, dp++)
		if (!pte_none(*sp) && copy_one_pte(c->dst, sp, dp, c->cow))
			break;
	spin_unlock(&src->page_table_lock);
	return n ? -ENOMEM : 0;
}

static const struct mm_walk_ops copy_ops = { .pte_table = copy_pte_table };

int
copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	struct copy_walk c = { dst, !(vma->vm_flags & VM_SHARED) };
	int err = walk_page_range(src, vma->vm_start, vma->vm_end, &copy_ops, &c);

	if (err)
		return err;
	if (c.cow)
		flush_tlb_range(src->pgd, vma->vm_start, vma->vm_end);
	return 0;
}

/* pte_table of mprotect: rewrites the used slots of [addr, end) for the
 * protection *private. => page_table_lock held. */
static int
change_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	pteval_t prot = *(const pteval_t *)walk->private;

	for (uint32_t n = (end - addr) >> PAGE_SHIFT; n; n--, ptep++) {
		if (is_write_migration_entry(*ptep) && !(prot & _PAGE_RW))
			set_pte(ptep, make_migration_entry(migration_entry_to_page(*ptep), false));
		else if (pte_mapped(*ptep) && !prot)
			set_pte(ptep, pfn_pte(pte_pfn(*ptep), _PAGE_PROTNONE));
		else if (pte_mapped(*ptep))
			set_pte(ptep, pfn_pte(pte_pfn(*ptep), prot | (ptep->pte & (_PAGE_ACCESSED | _PAGE_DIRTY))));
	}
	return 0;
}

static const struct mm_walk_ops change_prot_ops = { .pte_table = change_pte_table,
						    .flags = WALK_LOCK_PTL };

void
change_protection(struct vm_area_struct *vma, uint32_t start, uint32_t end)
{
	struct mm_struct *mm = vma->vm_mm;
	pteval_t prot = vma->vm_page_prot;

	/* A private page may be shared copy-on-write: leave it read-only and
	 * let the write fault decide whether it can be reused. */
	if (!(vma->vm_flags & VM_SHARED))
		prot &= ~_PAGE_RW;
	walk_page_range(mm, start, end, &change_prot_ops, &prot);
	flush_tlb_range(mm->pgd, start, end);
}
