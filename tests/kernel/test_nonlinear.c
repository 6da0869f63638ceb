/*
 * tests/kernel/test_nonlinear.c — nonlinear mappings (remap_file_pages,
 * mm/fremap.c) seen from inside: the file PTE encoding; rmap_walk finding
 * a file page at every address of a nonlinear window that shows it (two
 * in one VMA) and in a linear mapping of another process; try_to_unmap
 * leaving file PTEs that bring the same offset back; fork copying the
 * layout; truncate turning the pages past the new end into file PTEs in
 * every window (seed 000's truncate bug); migration moving a nonlinearly
 * mapped page under all its mappings. The rmap checker agrees throughout.
 */
#include <kernel/ktest.h>
#include "file_fixture.h"
#include <mm/migrate.h>
#include <mm/mm.h>
#include <mm/rmap.h>
#include <mm/swapops.h>

#define BASE        0x40000000u
#define FILE_PAGES  8
#define WINDOW      4                    /* pages of the nonlinear window */

/* The file page each window page shows: page 5 twice, at 0 and 2. */
static const uint32_t layout[WINDOW] = { 5, 7, 5, 6 };

static pte_t
pte_at(struct mm_struct *mm, uint32_t addr)
{
	pte_t *ptep = pte_lookup(mm->pgd, addr);

	return ptep ? *ptep : (pte_t){ 0 };
}

static int
checker(struct mm_struct *a, struct mm_struct *b, struct mm_struct *c)
{
	struct mm_struct *mms[3] = { a, b, c };

	return rmap_check_mms(mms, c ? 3 : 2, true);
}

/* Points window page i at file page layout[i], one call per page, the
 * odd ones MAP_NONBLOCK; then touches every page. */
static bool
remap_window(struct mm_struct *mm)
{
	for (uint32_t i = 0; i < WINDOW; i++)
		if (do_remap_file_pages(mm, BASE + i * PAGE_SIZE, PAGE_SIZE, 0, layout[i],
					i & 1 ? MAP_NONBLOCK : 0))
			return false;
	for (uint32_t i = 0; i < WINDOW; i++)
		if (!touch(mm, BASE + i * PAGE_SIZE, FAULT_READ))
			return false;
	return true;
}

KTEST(nonlinear_file_pte_encoding)
{
	static const uint32_t offsets[] = { 0, 1, 31, 32, 33, 63, 64, 0x12345, (1u << 29) - 1 };

	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		pte_t pte = pgoff_to_pte(offsets[i]);

		KT_CHECK(pte_to_pgoff(pte) == offsets[i], "offset %#x came back as %#x", offsets[i],
			 pte_to_pgoff(pte));
		KT_CHECK(pte_file(pte) && !pte_none(pte) && !pte_present(pte) && !pte_mapped(pte) &&
			 !pte_is_swap(pte) && !is_migration_entry(pte),
			 "file PTE %#x for offset %#x is taken for something else", pte.pte, offsets[i]);
	}
	KT_CHECK(!pte_file(swp_pte(MAX_SWAPFILES, (1u << SWP_OFFSET_BITS) - 1)) &&
		 !pte_file(make_migration_entry(pfn_to_page(1), true)) &&
		 !pte_file(pfn_pte(1, _PAGE_PROTNONE)) &&
		 !pte_file(pfn_pte(1, _PAGE_PRESENT | _PAGE_DIRTY)),
		 "a swap, migration, PROT_NONE or dirty present PTE looks like a file PTE");
}

KTEST(nonlinear_rmap_walk_and_unmap)
{
	struct file *f = recording_file(FILE_PAGES);
	struct mm_struct *nl, *lin;
	struct page *five;
	struct found found;
	bool nonlinear;

	KT_CHECK(f, "no file");
	nl = mm_mapping(f, BASE, WINDOW, MAP_SHARED);
	lin = mm_mapping(f, BASE, FILE_PAGES, MAP_SHARED);
	KT_CHECK(nl && lin, "mmap failed");
	KT_CHECK(remap_window(nl), "remap or fault failed");
	KT_CHECK(touch(lin, BASE + 5 * PAGE_SIZE, FAULT_READ), "linear fault failed");
	mutex_lock(&nl->mmap_lock);
	nonlinear = vma_lookup(nl, BASE)->vm_flags & VM_NONLINEAR;
	mutex_unlock(&nl->mmap_lock);
	KT_CHECK(nonlinear, "the window did not become nonlinear");
	five = page_at(lin, BASE + 5 * PAGE_SIZE);
	KT_CHECK(five && five->index == 5, "the linear mapping shows page %d", five ? (int)five->index : -1);
	for (uint32_t i = 0; i < WINDOW; i++)
		KT_CHECK(page_at(nl, BASE + i * PAGE_SIZE) &&
			 page_at(nl, BASE + i * PAGE_SIZE)->index == layout[i],
			 "window page %u does not show file page %u", i, layout[i]);
	found = rmap_walk_found(five);
	KT_CHECK(found_exactly(&found, (struct mapping[]){ { nl, BASE }, { nl, BASE + 2 * PAGE_SIZE },
							    { lin, BASE + 5 * PAGE_SIZE } }, 3),
		 "rmap_walk found %d of the 3 mappings of file page 5", found.n);
	KT_CHECK(page_mapcount(five) == 3, "mapcount %d", page_mapcount(five));
	KT_CHECK(checker(nl, lin, NULL) == 0, "rmap_check found mismatches");

	get_page(five);
	KT_CHECK(try_to_unmap(five) == 3, "try_to_unmap did not reach all 3 PTEs");
	KT_CHECK(pte_file(pte_at(nl, BASE)) && pte_to_pgoff(pte_at(nl, BASE)) == 5 &&
		 pte_file(pte_at(nl, BASE + 2 * PAGE_SIZE)) && pte_none(pte_at(lin, BASE + 5 * PAGE_SIZE)),
		 "after unmap: window PTEs %#x %#x (file PTEs for 5 expected), linear %#x (empty)",
		 pte_at(nl, BASE).pte, pte_at(nl, BASE + 2 * PAGE_SIZE).pte,
		 pte_at(lin, BASE + 5 * PAGE_SIZE).pte);
	put_page(five);
	KT_CHECK(touch(nl, BASE, FAULT_READ) && page_at(nl, BASE) == five,
		 "a fault on the file PTE did not bring file page 5 back");
	KT_CHECK(checker(nl, lin, NULL) == 0, "rmap_check found mismatches after unmap");
	mmput(nl);
	mmput(lin);
	fput(f);
}

KTEST(nonlinear_fork_and_migrate)
{
	struct file *f = recording_file(FILE_PAGES);
	struct mm_struct *parent, *child, *lin;
	struct page *old, *newpage;

	KT_CHECK(f, "no file");
	parent = mm_mapping(f, BASE, WINDOW, MAP_SHARED);
	lin = mm_mapping(f, BASE, FILE_PAGES, MAP_SHARED);
	KT_CHECK(parent && lin && remap_window(parent), "setup failed");
	KT_CHECK(do_remap_file_pages(parent, BASE + 3 * PAGE_SIZE, PAGE_SIZE, 0, 1, MAP_NONBLOCK) == 0,
		 "remap failed");
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	KT_CHECK(pte_file(pte_at(child, BASE + 3 * PAGE_SIZE)) &&
		 pte_to_pgoff(pte_at(child, BASE + 3 * PAGE_SIZE)) == 1,
		 "the child did not inherit the file PTE for page 1 (%#x)",
		 pte_at(child, BASE + 3 * PAGE_SIZE).pte);
	KT_CHECK(page_at(child, BASE + 2 * PAGE_SIZE) == page_at(parent, BASE),
		 "the child does not map file page 5 at window page 2");
	KT_CHECK(touch(lin, BASE + 5 * PAGE_SIZE, FAULT_WRITE), "linear write fault");
	old = page_at(lin, BASE + 5 * PAGE_SIZE);
	memset(page_address(old), 0x6b, PAGE_SIZE);
	KT_CHECK(page_mapcount(old) == 5, "mapcount %d, expected 5 (2 + 2 + 1)", page_mapcount(old));

	newpage = alloc_page(GFP_KERNEL);
	KT_CHECK(newpage, "no page to migrate to");
	get_page(old);
	KT_CHECK(migrate_page_to(old, newpage) == 0, "migration of a nonlinearly mapped page failed");
	KT_CHECK(page_at(parent, BASE) == newpage && page_at(parent, BASE + 2 * PAGE_SIZE) == newpage &&
		 page_at(child, BASE) == newpage && page_at(child, BASE + 2 * PAGE_SIZE) == newpage &&
		 page_at(lin, BASE + 5 * PAGE_SIZE) == newpage, "a PTE still maps the old frame");
	KT_CHECK(page_mapcount(old) == 0 && page_count(old) == 1,
		 "old frame: mapcount %d count %d", page_mapcount(old), page_count(old));
	KT_CHECK(((unsigned char *)page_address(newpage))[PAGE_SIZE - 1] == 0x6b, "contents did not move");
	KT_CHECK(find_get_page(f->f_inode->i_mapping, 5) == newpage, "the page cache kept the old frame");
	put_page(newpage);                       /* find_get_page's */
	KT_CHECK(checker(parent, child, lin) == 0, "rmap_check found mismatches");
	put_page(old);
	mmput(child);
	mmput(parent);
	mmput(lin);
	fput(f);
}

KTEST(nonlinear_truncate_leaves_file_ptes)
{
	struct file *f = recording_file(FILE_PAGES);
	struct inode *inode;
	struct mm_struct *nl, *lin;
	enum fault_result fault;

	KT_CHECK(f, "no file");
	inode = f->f_inode;
	nl = mm_mapping(f, BASE, WINDOW, MAP_SHARED);
	lin = mm_mapping(f, BASE, FILE_PAGES, MAP_SHARED);
	KT_CHECK(nl && lin && remap_window(nl), "setup failed");
	mutex_lock(&inode->i_mutex);
	truncate_setsize(inode, 6 * PAGE_SIZE);  /* pages 6 and 7 go; 5 stays */
	mutex_unlock(&inode->i_mutex);
	KT_CHECK(inode->i_mapping->nrpages == 1 && find_get_page(inode->i_mapping, 6) == NULL &&
		 find_get_page(inode->i_mapping, 7) == NULL,
		 "%lu pages cached after the truncate, expected only page 5", inode->i_mapping->nrpages);
	KT_CHECK(page_at(nl, BASE) && page_at(nl, BASE + 2 * PAGE_SIZE),
		 "truncate unmapped file page 5, below the new end");
	KT_CHECK(pte_file(pte_at(nl, BASE + PAGE_SIZE)) && pte_to_pgoff(pte_at(nl, BASE + PAGE_SIZE)) == 7 &&
		 pte_file(pte_at(nl, BASE + 3 * PAGE_SIZE)) &&
		 pte_to_pgoff(pte_at(nl, BASE + 3 * PAGE_SIZE)) == 6,
		 "window pages past the end hold %#x %#x, expected file PTEs for 7 and 6",
		 pte_at(nl, BASE + PAGE_SIZE).pte, pte_at(nl, BASE + 3 * PAGE_SIZE).pte);
	mutex_lock(&nl->mmap_lock);
	fault = handle_mm_fault(nl, BASE + PAGE_SIZE, FAULT_READ);
	mutex_unlock(&nl->mmap_lock);
	KT_CHECK(fault == FAULT_SIGBUS, "a fault on a window page past the end gave %d, not SIGBUS", fault);
	KT_CHECK(checker(nl, lin, NULL) == 0, "rmap_check found mismatches after truncate");

	mutex_lock(&inode->i_mutex);
	truncate_setsize(inode, FILE_PAGES * PAGE_SIZE);
	mutex_unlock(&inode->i_mutex);
	KT_CHECK(touch(nl, BASE + PAGE_SIZE, FAULT_READ) && page_at(nl, BASE + PAGE_SIZE)->index == 7,
		 "after growing, window page 1 does not show file page 7 again");
	mmput(nl);
	mmput(lin);
	fput(f);
}
