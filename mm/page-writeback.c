/*
 * mm/page-writeback.c — dirty page-cache pages and writing them back.
 *
 * A page becomes dirty in two ways: write() stores into it
 * (generic_file_write), or a process stores through a shared mapping —
 * and that store always faults first, because a shared file page is
 * mapped read-only until page_mkwrite has dirtied it (mm/fault.c). So
 * PG_dirty alone tells what must be written; the PTE dirty bits need
 * not be collected.
 *
 * Writeback of one page (write_dirty_page), with the page locked:
 *   1. page_mkclean: every PTE that maps the page writable, in every
 *      process, is write-protected (found through i_mmap by rmap_walk),
 *   2. PG_dirty is cleared and the dirty tag dropped,
 *   3. PG_writeback is set and a_ops->writepage writes it,
 *   4. PG_writeback is cleared.
 * A store after step 1 faults and waits for the page lock, then dirties
 * the page again: no store is lost, and a page is written once per
 * round however many PTEs map it.
 *
 * Invariants: a page of a mapping that can write back is tagged
 * PAGECACHE_TAG_DIRTY exactly when PG_dirty is set, and NR_FILE_DIRTY
 * counts those pages; pages of ramfs/tmpfs (no writepage) may carry
 * PG_dirty but are never tagged nor counted (they cannot be cleaned).
 *
 * Locks: page lock → i_mmap_lock → page_table_lock (page_mkclean);
 * tree_lock (spin) around every change of PG_dirty and the tags of a
 * cached page. The caller of filemap_write_and_wait_range may hold
 * i_mutex (fsync, O_SYNC writes) but no page lock and no mmap_lock of a
 * process that maps the file, except its own: balance_dirty_pages is
 * called by write() under i_mutex and by a shared write fault under the
 * faulting task's mmap_lock (rmap_walk allows a walker its own).
 */
#include <mm/filemap.h>
#include <mm/page.h>
#include <mm/page_lock.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/vmstat.h>
#include <fs/vfs.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <libk/string.h>

/* Writers start writing back their own dirty pages when the dirty and
 * under-writeback pages together pass this share of memory (Linux's
 * vm.dirty_ratio, default 20). */
#define DIRTY_RATIO_PERCENT 20
/* Pages looked up per batch of a writeback scan. */
#define WRITEBACK_BATCH 16

bool
set_page_dirty(struct page *page)
{
	struct address_space *mapping = page->mapping;
	bool was_clean;

	if (!mapping || PageAnon(page) || !mapping_can_writeback(mapping)) {
		was_clean = !PageFlag(page, PG_dirty);
		SetPageFlag(page, PG_dirty);
		return was_clean;
	}
	spin_lock(&mapping->tree_lock);
	was_clean = !PageFlag(page, PG_dirty);
	if (was_clean && page->mapping == mapping) {
		SetPageFlag(page, PG_dirty);
		radix_tree_tag_set(&mapping->page_tree, page->index, PAGECACHE_TAG_DIRTY);
		mod_node_page_state(NR_FILE_DIRTY, 1);
	}
	spin_unlock(&mapping->tree_lock);
	return was_clean;
}

/* Steps 1 and 2 above, page locked: true if the page was dirty (and is now
 * clean, with no writable PTE left), false if there was nothing to write. */
static bool
clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page->mapping;
	bool was_dirty;

	assert_page_locked(page);
	if (page_mapcount(page))
		page_mkclean(page);
	spin_lock(&mapping->tree_lock);
	was_dirty = PageFlag(page, PG_dirty);
	if (was_dirty) {
		ClearPageFlag(page, PG_dirty);
		radix_tree_tag_clear(&mapping->page_tree, page->index, PAGECACHE_TAG_DIRTY);
		mod_node_page_state(NR_FILE_DIRTY, -1);
	}
	spin_unlock(&mapping->tree_lock);
	return was_dirty;
}

static void
set_page_writeback(struct address_space *mapping, struct page *page, bool on)
{
	spin_lock(&mapping->tree_lock);
	if (on) {
		SetPageFlag(page, PG_writeback);
		radix_tree_tag_set(&mapping->page_tree, page->index, PAGECACHE_TAG_WRITEBACK);
	} else {
		ClearPageFlag(page, PG_writeback);
		radix_tree_tag_clear(&mapping->page_tree, page->index, PAGECACHE_TAG_WRITEBACK);
	}
	spin_unlock(&mapping->tree_lock);
	mod_node_page_state(NR_WRITEBACK, on ? 1 : -1);
}

/* Records the first writeback error for the next fsync to report. */
static void
mapping_set_error(struct address_space *mapping, int err)
{
	if (err && !mapping->wb_err)
		mapping->wb_err = err;
}

/* Steps 3 and 4 for a locked page just cleaned. The bytes of a page that
 * straddles EOF past the end are zeroed first (a shared mapping may have
 * stored there; they must never reach the disk, where a later extension
 * of the file would show them). */
static int
writeout(struct address_space *mapping, struct page *page)
{
	loff_t size = mapping->host->i_size, start = (loff_t)page->index << PAGE_SHIFT;
	int err;

	if (start >= size)
		return 0;                        /* wholly past EOF: truncate will drop it */
	if (size - start < PAGE_SIZE)
		memset((char *)page_address(page) + (size - start), 0,
		       PAGE_SIZE - (size_t)(size - start));
	set_page_writeback(mapping, page, true);
	err = mapping->a_ops->writepage(mapping, page);
	set_page_writeback(mapping, page, false);
	if (err) {
		SetPageFlag(page, PG_error);
		mapping_set_error(mapping, err);
	}
	return err;
}

int
pageout_page(struct page *page)
{
	struct address_space *mapping = page->mapping;

	assert_page_locked(page);
	if (!clear_page_dirty_for_io(page))
		return 0;
	return writeout(mapping, page);
}

/* Writes the dirty pages with offsets in [first, last]: every one of them
 * that is dirty when the scan reaches it is written once. 0 or the first
 * error. */
static int
write_cache_pages(struct address_space *mapping, uint32_t first, uint32_t last)
{
	struct page *pages[WRITEBACK_BATCH];
	uint32_t index = first;
	int ret = 0;
	unsigned n;

	while (index <= last &&
	       (n = find_get_pages_tag(mapping, &index, PAGECACHE_TAG_DIRTY, WRITEBACK_BATCH, pages))) {
		for (unsigned i = 0; i < n; i++) {
			struct page *page = pages[i];

			if (page->index <= last) {
				lock_page(page);
				if (page->mapping == mapping && clear_page_dirty_for_io(page)) {
					int err = writeout(mapping, page);

					if (err && !ret)
						ret = err;
				}
				unlock_page(page);
			}
			put_page(page);
		}
		if (!index)
			break;                       /* wrapped past offset 0xFFFFFFFF */
	}
	return ret;
}

int
filemap_check_errors(struct address_space *mapping)
{
	int err = mapping->wb_err;

	mapping->wb_err = 0;
	return err;
}

int
filemap_write_and_wait_range(struct address_space *mapping, loff_t start, loff_t end)
{
	int err = 0;

	if (start < 0 || end < start)
		return 0;
	if (mapping_can_writeback(mapping) && radix_tree_tagged(&mapping->page_tree, PAGECACHE_TAG_DIRTY))
		err = write_cache_pages(mapping, page_index_of(start), page_index_of(end));
	/* writepage is synchronous: when it returns the page is on disk */
	if (!err)
		err = filemap_check_errors(mapping);
	else
		filemap_check_errors(mapping);
	return err;
}

int
filemap_write_and_wait(struct address_space *mapping)
{
	return filemap_write_and_wait_range(mapping, 0, MAX_LFS_FILESIZE);
}

void
balance_dirty_pages(struct address_space *mapping)
{
	unsigned long limit = nr_managed_pages() * DIRTY_RATIO_PERCENT / 100;

	if (!mapping_can_writeback(mapping))
		return;
	if (global_node_page_state(NR_FILE_DIRTY) + global_node_page_state(NR_WRITEBACK) <= limit)
		return;
	/* errors are kept in the mapping for the next fsync */
	write_cache_pages(mapping, 0, 0xFFFFFFFFu);
}
