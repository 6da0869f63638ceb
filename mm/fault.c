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
 *     +-- PTE holds a swap entry ------------ do_swap_page: the page from the swap
 *     |                                       cache, or read from its slot
 *     |
 *     +-- PTE holds a file offset ----------- do_nonlinear_fault: do_file_fault
 *     |   (a nonlinear VMA's layout)          at that offset, not the linear one
 *     |
 *     +-- PTE empty
 *     |     +-- file (shared anonymous memory is a tmpfs file)
 *     |     |     do_file_fault: the page-cache page at that offset, read in
 *     |     |     if needed (SIGBUS wholly past EOF); a private write maps
 *     |     |     a copy of it, a shared write dirties it first (page_mkwrite)
 *     |     +-- anonymous ------------------- do_anonymous_page: a zeroed page
 *     |
 *     +-- PTE present, write to read-only --- do_wp_page: a shared file page
 *     |                                       is dirtied (page_mkwrite) and made
 *     |                                       writable; a private page is reused
 *     |                                       if we are its only user, else
 *     |                                       copied (COW)
 *     +-- PTE present and allows it --------- someone else fixed it: done
 *
 * A shared file page of a file with backing store is mapped writable only
 * after page_mkwrite has dirtied it (its VMA's vm_page_prot lacks _PAGE_RW:
 * vma_wants_writenotify), so writeback, which write-protects the page
 * before writing it, sees every later store as a new fault: PG_dirty
 * alone says what must be written. Having dirtied a page, the faulting
 * task is throttled as a write() would be (balance_dirty_pages).
 *
 * Each handler allocates what it needs first, then takes
 * mm->page_table_lock and checks that the PTE is still what it saw (an
 * rmap walker — migration, writeback — may have changed it meanwhile,
 * since walkers do not take mmap_lock); if not, it gives up and the
 * access faults again.
 *
 * Locks: the caller holds mm->mmap_lock; page allocation and reading a
 * file page happen under it; a file page's lock while it is mapped, so a
 * truncate or migration is never halfway through it;
 * mm->page_table_lock around each PTE change.
 */
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/page_alloc.h>
#include <mm/filemap.h>
#include <mm/swapops.h>
#include <mm/swap_state.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <mm/migrate.h>
#include <mm/page_lock.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <fs/file.h>
#include <libk/string.h>

/* The PTE that maps page in vma (read-only if !writable; a writable one
 * is made dirty at once, since the write is what faulted). */
static pte_t
make_user_pte(struct vm_area_struct *vma, struct page *page, bool writable)
{
	pteval_t prot = vma->vm_page_prot | _PAGE_ACCESSED;

	if (!vma->vm_page_prot)                  /* PROT_NONE: swapoff brings a page back */
		return pfn_pte(page_to_pfn(page), _PAGE_PROTNONE);
	if (!writable)
		prot &= ~_PAGE_RW;
	else
		prot |= _PAGE_RW | _PAGE_DIRTY;
	return pfn_pte(page_to_pfn(page), prot);
}

/* Takes the page-table lock if *ptep still holds orig (empty, or a
 * nonlinear VMA's file PTE); false (unlocked) if something changed it
 * meanwhile. */
static bool
lock_pte_unchanged(struct mm_struct *mm, pte_t *ptep, pte_t orig)
{
	spin_lock(&mm->page_table_lock);
	if (ptep->pte == orig.pte)
		return true;
	spin_unlock(&mm->page_table_lock);
	return false;
}

/* Maps a new private page at the empty PTE for addr, with its reference:
 * it is new to the world and joins vma's anon_vma (prepared). If the PTE
 * was filled meanwhile, the page is let go and the access simply retries. */
static enum fault_result
map_new_anon_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!lock_pte_unchanged(mm, ptep, (pte_t){ 0 })) {
		put_page(page);
		return FAULT_HANDLED;
	}
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
	return map_new_anon_page(vma, ptep, addr, page);
}

/* Maps the locked page-cache page at the PTE for addr, if it still holds
 * orig: one more mapping and reference of it. */
static enum fault_result
map_file_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, struct page *page,
	      bool writable, pte_t orig)
{
	struct mm_struct *mm = vma->vm_mm;

	assert_page_locked(page);
	if (!lock_pte_unchanged(mm, ptep, orig))
		return FAULT_HANDLED;
	get_page(page);
	page_dup_rmap(page);
	set_pte(ptep, make_user_pte(vma, page, writable));
	mm->rss++;
	spin_unlock(&mm->page_table_lock);
	return FAULT_HANDLED;
}

/* A private write to a file page not mapped yet: the process gets its own
 * copy at once (Linux's do_cow_fault). */
static enum fault_result
map_private_copy(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, struct page *src)
{
	struct page *copy;

	if (anon_vma_prepare(vma))
		return FAULT_OOM;
	copy = alloc_page(GFP_KERNEL);
	if (!copy)
		return FAULT_OOM;
	memcpy(page_address(copy), page_address(src), PAGE_SIZE);
	count_vm_event(COW_FAULT);
	return map_new_anon_page(vma, ptep, addr, copy);
}

/* How many pages around a read fault of a file a fault maps at once, if
 * they are in the page cache already (Linux's fault_around_bytes, 64 KiB):
 * a program reading through a file takes one fault per 16 pages. */
#define FAULT_AROUND_PAGES 16

/* Maps, read-only, the cached uptodate pages of the FAULT_AROUND_PAGES-
 * aligned window around addr (whose own page is mapped) that have an
 * empty PTE. Under page_table_lock, with preemption off, a page that is
 * unlocked, still in the cache and inside EOF cannot be in the middle of
 * a truncate (which locks it, and has moved EOF first) nor a migration. */
static void
do_fault_around(struct vm_area_struct *vma, uint32_t addr)
{
	const uint32_t window = FAULT_AROUND_PAGES * PAGE_SIZE;
	struct address_space *mapping = vma_mapping(vma);
	struct mm_struct *mm = vma->vm_mm;
	uint32_t start = addr & ~(window - 1), end = start + window;
	struct page *pages[FAULT_AROUND_PAGES];
	uint32_t first, eof_index, nr;
	unsigned n;
	pte_t *ptep;

	if (start < vma->vm_start)
		start = vma->vm_start;
	if (end > vma->vm_end || end < start)
		end = vma->vm_end;
	first = linear_page_index(vma, start);
	nr = (end - start) >> PAGE_SHIFT;
	n = find_get_pages(mapping, first, nr, pages);   /* from first on: maybe far past the window */
	ptep = pte_lookup(mm->pgd, start);       /* the window lies in addr's table */
	spin_lock(&mm->page_table_lock);
	eof_index = (uint32_t)((mapping->host->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	for (unsigned i = 0; i < n; i++) {
		struct page *page = pages[i];
		uint32_t offset = page->index - first;  /* in pages: compared before it is shifted */
		pte_t *slot;

		if (offset >= nr)
			continue;                    /* a page of the file far past the window */
		slot = ptep + offset;
		if (page->index >= eof_index || !pte_none(*slot) || page->mapping != mapping ||
		    PageLocked(page) || !PageFlag(page, PG_uptodate))
			continue;
		get_page(page);
		page_dup_rmap(page);
		set_pte(slot, make_user_pte(vma, page, false));   /* at start + offset pages */
		mm->rss++;
	}
	spin_unlock(&mm->page_table_lock);
	while (n)
		put_page(pages[--n]);
}

/* A write fault dirtied a page of mapping through a shared mapping:
 * throttle the writer as write() is throttled (Linux's
 * balance_dirty_pages_ratelimited in the fault path), or stores through
 * mappings could fill memory with dirty pages. Only for the task's own
 * address space: writeback walks rmap, which allows the walker no mmap_lock
 * but its own. Called with no page lock held. */
static void
throttle_shared_writer(struct vm_area_struct *vma, struct address_space *mapping)
{
	if (vma->vm_mm == current->mm)
		balance_dirty_pages(mapping);
}

/* The file's page at offset pgoff (SIGBUS wholly past EOF) for the PTE
 * of addr, which held orig (empty, or a file PTE naming pgoff), mapped
 * under its page lock while it is still in the page cache
 * (filemap_fault_page checks): a truncate or migration finished since the
 * lookup sends the access back to fault again. A write to a private
 * mapping maps a copy; a write to a shared one dirties the page first. */
static enum fault_result
do_file_fault(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, enum fault_access access,
	      uint32_t pgoff, pte_t orig)
{
	bool shared = vma->vm_flags & VM_SHARED, write = access == FAULT_WRITE;
	enum fault_result r;
	struct page *page;

	r = filemap_fault_page(vma, pgoff, &page);
	if (r != FAULT_HANDLED)
		return r;
	if (write && !shared)
		r = map_private_copy(vma, ptep, addr, page);
	else if (write && page_mkwrite(vma, page))
		r = FAULT_SIGBUS;                /* no room for it in the file system */
	else
		r = map_file_page(vma, ptep, addr, page,
				  shared && (vma->vm_flags & VM_WRITE) &&
				  (write || !vma_wants_writenotify(vma)), orig);
	unlock_page(page);
	put_page(page);
	if (write && shared && r == FAULT_HANDLED)
		throttle_shared_writer(vma, vma_mapping(vma));
	if (!write && r == FAULT_HANDLED && !(vma->vm_flags & VM_NONLINEAR))
		do_fault_around(vma, addr);      /* its neighbours are linear only here */
	return r;
}

/* A fault on a file PTE: the page a nonlinear VMA shows there is the file
 * page the PTE names (Linux's do_nonlinear_fault). Anywhere else a file
 * PTE is a kernel bug: the access gets SIGBUS and the console a report. */
static enum fault_result
do_nonlinear_fault(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, enum fault_access access)
{
	pte_t orig = *ptep;

	if (!(vma->vm_flags & VM_NONLINEAR)) {
		printk(KERN_ERR "fault: file PTE %#x at %#x in a linear VMA [%#x, %#x)\n", orig.pte,
		       addr, vma->vm_start, vma->vm_end);
		return FAULT_SIGBUS;
	}
	return do_file_fault(vma, ptep, addr, access, pte_to_pgoff(orig), orig);
}

/* True if no one but this PTE can see the anonymous page, so writing it
 * in place is safe: one mapping and one reference. The swap cache's
 * reference does not count if no swap PTE needs the slot any more: the
 * page leaves the cache (its slot would be stale after the write), so
 * neither the cache fools the test into a needless copy nor a relative
 * still swapped out into a wrong reuse. page_table_lock held. */
static bool
page_exclusive(struct page *page)
{
	if (page_mapcount(page) != 1)
		return false;
	if (PageSwapCache(page) && page_count(page) == 2 && trylock_page(page)) {
		try_to_free_swap(page);
		unlock_page(page);
	}
	return page_count(page) == 1;
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

/* The first store to a shared file page mapped read-only (after a read
 * fault or writeback): dirty it (page_mkwrite, under its page lock), then
 * make the PTE writable if it still maps the page. */
static enum fault_result
do_shared_wp_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, pte_t orig,
		  struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	struct address_space *mapping = page_mapping(page);
	enum fault_result r = FAULT_HANDLED;

	lock_page(page);
	if (page->mapping != mapping) {
		unlock_page(page);               /* truncated meanwhile: fault again */
		return FAULT_HANDLED;
	}
	if (page_mkwrite(vma, page)) {
		r = FAULT_SIGBUS;
	} else {
		spin_lock(&mm->page_table_lock);
		if (ptep->pte == orig.pte)
			reuse_page(vma, ptep, addr, page);
		spin_unlock(&mm->page_table_lock);
	}
	unlock_page(page);
	if (r == FAULT_HANDLED)
		throttle_shared_writer(vma, mapping);
	return r;
}

/* A write to a present read-only PTE in a writable VMA. */
static enum fault_result
do_wp_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	struct mm_struct *mm = vma->vm_mm;
	enum fault_result r;
	pte_t orig;
	struct page *page;

	spin_lock(&mm->page_table_lock);
	orig = *ptep;
	if (!pte_present(orig) || pte_write(orig)) {
		spin_unlock(&mm->page_table_lock);   /* changed meanwhile: retry */
		return FAULT_HANDLED;
	}
	page = pfn_to_page(pte_pfn(orig));
	if ((vma->vm_flags & VM_SHARED) && vma_wants_writenotify(vma) && page_mapping(page)) {
		get_page(page);
		spin_unlock(&mm->page_table_lock);
		r = do_shared_wp_page(vma, ptep, addr, orig, page);
		put_page(page);
		return r;
	}
	if ((vma->vm_flags & VM_SHARED) || (PageAnon(page) && page_exclusive(page))) {
		reuse_page(vma, ptep, addr, page);
		spin_unlock(&mm->page_table_lock);
		return FAULT_HANDLED;
	}
	spin_unlock(&mm->page_table_lock);
	return cow_page(vma, ptep, addr, orig);
}

/* Should a swapped-in page leave the swap cache at once? Linux's
 * should_try_to_free_swap: when swap is getting full, or the page will
 * stay resident anyway (mlocked); else its slot keeps a clean copy, so a
 * page that is not written can be reclaimed again without a write. */
static bool
swapin_frees_slot(const struct vm_area_struct *vma)
{
	return vm_swap_full() || (vma->vm_flags & VM_LOCKED);
}

/* A fault on a swap PTE: the page comes back from the swap cache or from
 * its slot (Linux's do_swap_page), and the PTE maps it again. If this PTE
 * was the only one that could reach it (the slot's count is the PTE's
 * and the cache's, and no PTE maps the page yet), the page is exclusive:
 * it joins vma's own anon_vma and a write maps it writable at once. */
static enum fault_result
do_swap_page(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, enum fault_access access)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t orig = *ptep;
	swp_entry_t entry = pte_to_swp_entry(orig);
	bool major, exclusive, writable = false;
	struct page *page;
	int err;

	if (anon_vma_prepare(vma))
		return FAULT_OOM;
	page = swapin_page(entry, &major, &err);
	if (!page) {
		if (err == -ENOMEM)
			return FAULT_OOM;
		return err ? FAULT_SIGBUS : FAULT_HANDLED;   /* the slot was freed: look again */
	}
	if (major)
		count_vm_event(PGMAJFAULT);
	if (!lock_pte_unchanged(mm, ptep, orig)) {
		unlock_page(page);
		put_page(page);
		return FAULT_HANDLED;
	}
	exclusive = page_mapcount(page) == 0 && swap_count(entry) == 2;
	page_add_anon_rmap(page, vma, addr, exclusive);
	mm->rss++;
	mm->swap_ents--;
	swap_free(entry);                        /* the PTE's count; our reference is the PTE's */
	if (exclusive && ((access == FAULT_WRITE && (vma->vm_flags & VM_WRITE)) ||
			  swapin_frees_slot(vma)))
		try_to_free_swap(page);
	writable = exclusive && access == FAULT_WRITE && (vma->vm_flags & VM_WRITE) &&
		   !PageSwapCache(page);
	set_pte(ptep, make_user_pte(vma, page, writable));
	spin_unlock(&mm->page_table_lock);
	unlock_page(page);
	if (access == FAULT_WRITE && !writable && (vma->vm_flags & VM_WRITE))
		return do_wp_page(vma, ptep, addr);  /* shared with others: copy now */
	return FAULT_HANDLED;
}

int
unuse_swap_pte(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr)
{
	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	switch (do_swap_page(vma, ptep, addr, FAULT_READ)) {
	case FAULT_HANDLED:
		return 0;
	case FAULT_OOM:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

static bool
access_allowed(const struct vm_area_struct *vma, enum fault_access access)
{
	if (access == FAULT_WRITE)
		return vma->vm_flags & VM_WRITE;
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

static enum fault_result
fault_empty_pte(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr, enum fault_access access)
{
	if (vma->vm_file)
		return do_file_fault(vma, ptep, addr, access, linear_page_index(vma, addr), (pte_t){ 0 });
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
	if (pte_file(*ptep))
		return do_nonlinear_fault(vma, ptep, addr & PAGE_MASK, access);
	if (pte_is_swap(*ptep))
		return do_swap_page(vma, ptep, addr & PAGE_MASK, access);
	if (pte_none(*ptep))
		return fault_empty_pte(vma, ptep, addr & PAGE_MASK, access);
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
