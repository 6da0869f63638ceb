/*
 * tests/kernel/test_filemap.c — the page cache seen from inside: a file of
 * a test file system whose writepage records what it is asked to write,
 * mapped MAP_SHARED and MAP_PRIVATE into address spaces built in the
 * kernel. What user space cannot see: writeback write-protects the PTE of
 * every process before it writes, writes a page once however many map it,
 * and a store after that dirties the page again through a fault; truncate
 * takes the pages out of every mapping (private copies too) and out of the
 * cache; the rmap checker agrees with the page tables throughout.
 */
#include <kernel/ktest.h>
#include "file_fixture.h"
#include <mm/rmap.h>

#define BASE        0x40000000u
#define FILE_PAGES  4

static bool
pte_writable_at(struct mm_struct *mm, uint32_t addr)
{
	pte_t *ptep = pte_lookup(mm->pgd, addr);

	return ptep && pte_present(*ptep) && pte_write(*ptep);
}

KTEST(filemap_writeback_write_protects_every_mapping)
{
	struct file *f = recording_file(FILE_PAGES);
	struct mm_struct *a, *b;
	struct page *page;

	KT_CHECK(f, "no file");
	a = mm_mapping(f, BASE, FILE_PAGES, MAP_SHARED);
	b = mm_mapping(f, BASE, FILE_PAGES, MAP_SHARED);
	KT_CHECK(a && b, "mmap failed");
	KT_CHECK(touch(b, BASE, FAULT_READ), "read fault");
	KT_CHECK(!pte_writable_at(b, BASE), "a read fault of a file with backing store mapped it writable");
	KT_CHECK(touch(a, BASE, FAULT_WRITE) && touch(b, BASE, FAULT_WRITE), "write faults");
	page = page_at(a, BASE);
	KT_CHECK(page && page == page_at(b, BASE), "two shared mappings map two frames");
	KT_CHECK(PageFlag(page, PG_dirty) && pte_writable_at(a, BASE) && pte_writable_at(b, BASE),
		 "after write faults: dirty %d, writable %d %d", PageFlag(page, PG_dirty),
		 pte_writable_at(a, BASE), pte_writable_at(b, BASE));
	KT_CHECK(global_node_page_state(NR_FILE_DIRTY) >= 1, "Dirty does not count the page");
	KT_CHECK(filemap_write_and_wait(f->f_inode->i_mapping) == 0, "writeback failed");
	KT_CHECK(recorded_writes[0] == 1 && recorded_writes[1] == 0,
		 "writepage calls: %u for the page, %u for a clean one",
		 recorded_writes[0], recorded_writes[1]);
	KT_CHECK(!PageFlag(page, PG_dirty), "still dirty after writeback");
	KT_CHECK(!pte_writable_at(a, BASE) && !pte_writable_at(b, BASE),
		 "a PTE stayed writable through writeback (%d %d): its stores would be lost",
		 pte_writable_at(a, BASE), pte_writable_at(b, BASE));
	KT_CHECK(filemap_write_and_wait(f->f_inode->i_mapping) == 0 && recorded_writes[0] == 1,
		 "a clean page written again (%u)", recorded_writes[0]);
	KT_CHECK(touch(b, BASE, FAULT_WRITE), "write fault after writeback");
	KT_CHECK(PageFlag(page, PG_dirty) && pte_writable_at(b, BASE) && !pte_writable_at(a, BASE),
		 "the store after writeback did not dirty the page through a fault");
	KT_CHECK(filemap_write_and_wait(f->f_inode->i_mapping) == 0 && recorded_writes[0] == 2,
		 "the page dirtied again was written %u times in all, expected 2", recorded_writes[0]);
	{
		struct mm_struct *mms[2] = { a, b };

		KT_CHECK(rmap_check_mms(mms, 2, true) == 0, "rmap_check found mismatches");
	}
	mmput(a);
	mmput(b);
	fput(f);
}

KTEST(filemap_truncate_unmaps_every_mapping)
{
	struct file *f = recording_file(FILE_PAGES);
	struct address_space *mapping;
	struct mm_struct *shared, *priv;
	struct inode *inode;

	KT_CHECK(f, "no file");
	inode = f->f_inode;
	mapping = inode->i_mapping;
	shared = mm_mapping(f, BASE, FILE_PAGES, MAP_SHARED);
	priv = mm_mapping(f, BASE, FILE_PAGES, MAP_PRIVATE);
	KT_CHECK(shared && priv, "mmap failed");
	for (uint32_t i = 0; i < FILE_PAGES; i++) {
		KT_CHECK(touch(shared, BASE + i * PAGE_SIZE, FAULT_WRITE), "shared write fault");
		KT_CHECK(touch(priv, BASE + i * PAGE_SIZE, i & 1 ? FAULT_WRITE : FAULT_READ),
			 "private fault");
	}
	KT_CHECK(page_at(priv, BASE) == page_at(shared, BASE), "a private read maps a copy");
	KT_CHECK(PageAnon(page_at(priv, BASE + PAGE_SIZE)), "a private write maps the cache page");
	KT_CHECK(mapping->nrpages == FILE_PAGES, "%lu pages cached", mapping->nrpages);
	mutex_lock(&inode->i_mutex);
	truncate_setsize(inode, PAGE_SIZE + 100);
	mutex_unlock(&inode->i_mutex);
	KT_CHECK(mapping->nrpages == 2, "%lu pages cached after the truncate, expected 2", mapping->nrpages);
	KT_CHECK(page_at(shared, BASE) && page_at(priv, BASE + PAGE_SIZE),
		 "truncate unmapped pages before the new end");
	for (uint32_t i = 2; i < FILE_PAGES; i++)
		KT_CHECK(!page_at(shared, BASE + i * PAGE_SIZE) && !page_at(priv, BASE + i * PAGE_SIZE),
			 "page %u past the end still mapped (shared %d, private %d)", i,
			 page_at(shared, BASE + i * PAGE_SIZE) != NULL, page_at(priv, BASE + i * PAGE_SIZE) != NULL);
	mutex_lock(&shared->mmap_lock);
	KT_CHECK(handle_mm_fault(shared, BASE + 2 * PAGE_SIZE, FAULT_READ) == FAULT_SIGBUS,
		 "a fault past the end is not SIGBUS");
	mutex_unlock(&shared->mmap_lock);
	{
		struct page *last = find_get_page(mapping, 1);
		char *tail;
		bool zero = true;

		KT_CHECK(last, "the last page left the cache");
		tail = (char *)page_address(last) + 100;
		for (unsigned i = 0; i < PAGE_SIZE - 100; i++)
			zero &= tail[i] == 0;
		put_page(last);
		KT_CHECK(zero, "the last page is not zero past the new end");
	}
	{
		struct mm_struct *mms[2] = { shared, priv };

		KT_CHECK(rmap_check_mms(mms, 2, true) == 0, "rmap_check found mismatches");
	}
	mmput(shared);
	mmput(priv);
	fput(f);
}
