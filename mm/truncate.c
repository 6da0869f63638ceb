/*
 * mm/truncate.c — taking pages out of a file's page cache and out of
 * every mapping of them: truncate, hole punching, invalidation.
 *
 * Shrinking a file (truncate_setsize) is, in this order:
 *   1. i_size = the new size: from now on a fault past it is SIGBUS
 *      (filemap_fault_page checks i_size under the page lock, after the
 *      lookup) and read() stops there;
 *   2. unmap_mapping_range(even_cows): every PTE that maps a page past
 *      the new end — page-cache pages and the private copies processes
 *      made of them, as Linux's truncate does — is zapped, in every
 *      process, through the file's i_mmap (seed 002: objrmap; one VMA at
 *      a time, only the VMAs that cover the range), and every nonlinear
 *      VMA on i_mmap_nonlinear is searched whole, its pages past the end
 *      replaced by file PTEs (the layout stays: the next touch there is
 *      SIGBUS, or zeros once the file grows again);
 *   3. truncate_inode_pages: each page past the end is locked and taken
 *      out of the cache; a fault that mapped it again between 2 and 3 (it
 *      looked the page up before step 1) is undone with try_to_unmap
 *      under the page lock, so no process keeps a page the file let go;
 *   4. the part of the last page past the new end is zeroed, so growing
 *      the file again shows zeros, never old bytes;
 *   5. unmap_mapping_range again, for a private copy a fault made from a
 *      page between 2 and 3 (Linux's truncate_pagecache does the same).
 * The file system then frees its blocks past the end.
 *
 * Growing a file — by truncate, or by a write() past the end — zeroes the
 * bytes past the old end in its last page (pagecache_isize_extended: a
 * shared mapping may have stored there, and such stores never reach the
 * file).
 *
 * Nonlinear mappings (remap_file_pages; seed 000, step (a): "fix the
 * truncate() bug"). Of the three fixes wli lists, this is (i): the VMAs
 * remap_file_pages touched are tagged (VM_NONLINEAR, on their own list)
 * and searched exhaustively in step 2, under the same i_mmap_lock hold as
 * the linear ones, so a VMA being made nonlinear is found on one list or
 * the other. Fixes (ii) and (iii) — try_to_unmap on each truncated page —
 * took page locks inside the VM's locks in the 2003 kernel: the wrong
 * order, so a page could stay mapped. Here step 3 is (ii) as a safety
 * net in the right order: it takes the page lock first and try_to_unmap
 * takes i_mmap_lock inside it (page lock → i_mmap_lock, the lock order),
 * and rmap_walk searches nonlinear VMAs too; so a fault that raced past
 * step 2 with a page it looked up before step 1 is undone, and a fault
 * after step 1 sees the new i_size under the page lock and gets SIGBUS.
 * No truncated page stays mapped anywhere.
 *
 * Locks: i_mutex (held by the caller of truncate_setsize and of hole
 * punching) → page lock → i_mmap_lock → page_table_lock. The page lock
 * is what a racing fault and this code meet at (mm/filemap.h).
 */
#include <mm/filemap.h>
#include <mm/page.h>
#include <mm/page_lock.h>
#include <mm/memory.h>
#include <mm/rmap.h>
#include <fs/vfs.h>
#include <kernel/lockrank.h>
#include <kernel/printk.h>
#include <libk/string.h>

#define TRUNCATE_BATCH 16

/* In vma, zaps the pages of its file with offsets in [first, last]. */
static void
zap_vma_pgoffs(struct vm_area_struct *vma, uint32_t first, uint32_t last, bool even_cows)
{
	uint32_t lo = first > vma->vm_pgoff ? first : vma->vm_pgoff;
	uint32_t hi = last < vma_last_pgoff(vma) ? last : vma_last_pgoff(vma);

	if (lo <= hi)
		zap_page_range_rmap(vma, vma->vm_start + ((lo - vma->vm_pgoff) << PAGE_SHIFT),
				    vma->vm_start + ((hi - vma->vm_pgoff + 1) << PAGE_SHIFT),
				    even_cows);
}

void
unmap_mapping_range(struct address_space *mapping, loff_t start, loff_t len, bool even_cows)
{
	uint32_t first = page_index_of(start);
	uint32_t last = len ? page_index_of(start + len - 1) : 0xFFFFFFFFu;
	struct vm_area_struct *vma;

	if (!mapping->nr_mapped_vmas)
		return;
	mutex_lock(&mapping->i_mmap_lock);
	mapping_for_each_vma(vma, mapping, first, last)
		zap_vma_pgoffs(vma, first, last, even_cows);
	list_for_each_entry(vma, &mapping->i_mmap_nonlinear, nonlinear)
		zap_nonlinear_range(vma, vma->vm_start, vma->vm_end, first, last);
	mutex_unlock(&mapping->i_mmap_lock);
}

/* Takes the locked page out of its cache, and out of any PTE a racing
 * fault gave it (step 3 above). */
static void
truncate_locked_page(struct page *page)
{
	assert_page_locked(page);
	if (page_mapcount(page))
		try_to_unmap(page);
	delete_from_page_cache(page);
}

/* Calls fn for each cached page of mapping with offset in [first, last],
 * in order, holding a reference on it (not its lock) across fn, which may
 * sleep. The pages are looked up TRUNCATE_BATCH at a time. */
static void
for_each_cached_page(struct address_space *mapping, uint32_t first, uint32_t last,
		     void (*fn)(struct address_space *mapping, struct page *page, void *arg), void *arg)
{
	struct page *pages[TRUNCATE_BATCH];
	uint32_t index = first;
	unsigned n;

	while (index <= last && (n = find_get_pages(mapping, index, TRUNCATE_BATCH, pages))) {
		for (unsigned i = 0; i < n; i++) {
			index = pages[i]->index + 1;
			if (pages[i]->index <= last)
				fn(mapping, pages[i], arg);
			put_page(pages[i]);
		}
		if (!index)
			break;                       /* wrapped past offset 0xFFFFFFFF */
	}
}

static void
truncate_one(struct address_space *mapping, struct page *page, void *arg)
{
	(void)arg;
	lock_page(page);
	if (page->mapping == mapping)
		truncate_locked_page(page);
	unlock_page(page);
}

/* Takes out every cached page with offset in [first, last]. */
static void
truncate_page_range(struct address_space *mapping, uint32_t first, uint32_t last)
{
	for_each_cached_page(mapping, first, last, truncate_one, NULL);
}

/* Zeroes bytes [from, to) of the cached page at index, if there is one. */
static void
zero_page_range(struct address_space *mapping, uint32_t index, unsigned from, unsigned to)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return;
	if (PageFlag(page, PG_uptodate))
		memset((char *)page_address(page) + from, 0, to - from);
	unlock_page(page);
	put_page(page);
}

void
truncate_inode_pages(struct address_space *mapping, loff_t start)
{
	unsigned partial = (unsigned)start & ~PAGE_MASK;

	if (!mapping->nrpages)
		return;
	truncate_page_range(mapping, page_index_of(start + PAGE_SIZE - 1), 0xFFFFFFFFu);
	if (partial)
		zero_page_range(mapping, page_index_of(start), partial, PAGE_SIZE);
}

void
truncate_pagecache_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	struct address_space *mapping = inode->i_mapping;

	BUG_ON(lstart & ~PAGE_MASK || (lend + 1) & ~PAGE_MASK || lend < lstart);
	unmap_mapping_range(mapping, lstart, lend - lstart + 1, true);
	truncate_page_range(mapping, page_index_of(lstart), page_index_of(lend));
	unmap_mapping_range(mapping, lstart, lend - lstart + 1, true);
}

void
pagecache_isize_extended(struct inode *inode, loff_t oldsize)
{
	lockdep_assert_held(&inode->i_mutex);
	if (oldsize & ~PAGE_MASK)
		zero_page_range(inode->i_mapping, page_index_of(oldsize), (unsigned)oldsize & ~PAGE_MASK,
				PAGE_SIZE);
}

void
truncate_setsize(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t oldsize = inode->i_size;

	lockdep_assert_held(&inode->i_mutex);
	inode->i_size = newsize;
	if (newsize > oldsize) {
		pagecache_isize_extended(inode, oldsize);
		return;
	}
	if (newsize == oldsize)
		return;
	loff_t holebegin = (newsize + PAGE_SIZE - 1) & ~(loff_t)(PAGE_SIZE - 1);

	unmap_mapping_range(mapping, holebegin, 0, true);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_range(mapping, holebegin, 0, true);
}

/* Drops page if no one needs it: clean, unmapped, unlocked, referenced
 * by the cache and the walk only. Counts it in *arg. */
static void
invalidate_one(struct address_space *mapping, struct page *page, void *arg)
{
	if (!trylock_page(page))
		return;
	if (page->mapping == mapping && !page_mapcount(page) && !PageFlag(page, PG_dirty) &&
	    !PageFlag(page, PG_writeback) && page_count(page) == 2) {   /* the cache's and ours */
		delete_from_page_cache(page);
		(*(unsigned long *)arg)++;
	}
	unlock_page(page);
}

unsigned long
invalidate_mapping_pages(struct address_space *mapping, uint32_t start, uint32_t end)
{
	unsigned long gone = 0;

	for_each_cached_page(mapping, start, end, invalidate_one, &gone);
	return gone;
}
