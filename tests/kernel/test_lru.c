/*
 * tests/kernel/test_lru.c — the LRU lists (mm/lru.c): which list a new
 * anonymous, file or shared-memory page joins, that it holds no reference
 * there (a COW fault's page_count test stays exact), that it leaves its
 * list when freed, that migration puts the new frame in its place, and
 * that the lists agree with the pages' flags and the counters.
 */
#include <kernel/ktest.h>
#include "file_fixture.h"
#include <mm/lru.h>
#include <mm/migrate.h>
#include <mm/rmap.h>

#define BASE  0x40000000u
#define PAGES 4

static bool
on_list(struct page *page, bool active, bool swapbacked)
{
	return PageFlag(page, PG_lru) && PageFlag(page, PG_active) == active &&
	       PageFlag(page, PG_swapbacked) == swapbacked && !PageFlag(page, PG_unevictable);
}

KTEST(lru_anon_pages_join_and_leave)
{
	unsigned long before = lru_list_pages(LRU_ACTIVE_ANON);
	struct mm_struct *mm = mm_with_written_pages(BASE, PAGES, MAP_PRIVATE);
	struct page *page;

	KT_CHECK(mm, "no mm");
	page = page_at(mm, BASE);
	KT_CHECK(page && on_list(page, true, true),
		 "a new anonymous page is not on the active anon list (flags %#x)", page ? page->flags : 0);
	KT_CHECK(page_count(page) == 1, "the LRU holds a reference: count %d", page_count(page));
	KT_CHECK(lru_list_pages(LRU_ACTIVE_ANON) == before + PAGES, "active anon grew by %lu, not %u",
		 lru_list_pages(LRU_ACTIVE_ANON) - before, PAGES);
	KT_CHECK(global_node_page_state(NR_ACTIVE_ANON) == lru_list_pages(LRU_ACTIVE_ANON),
		 "the node counter differs from the list");
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches");
	mmput(mm);
	KT_CHECK(lru_list_pages(LRU_ACTIVE_ANON) == before,
		 "freed pages stayed on the list (%lu, was %lu)", lru_list_pages(LRU_ACTIVE_ANON), before);
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches after the free");
}

KTEST(lru_file_and_shmem_pages)
{
	struct file *f = recording_file(PAGES);
	struct mm_struct *file_mm, *shm_mm;
	struct page *fpage, *spage;

	KT_CHECK(f, "no file");
	file_mm = mm_mapping(f, BASE, PAGES, MAP_SHARED);
	shm_mm = mm_with_written_pages(BASE, PAGES, MAP_SHARED);
	KT_CHECK(file_mm && shm_mm, "mmap failed");
	KT_CHECK(touch(file_mm, BASE, FAULT_READ), "file fault");
	fpage = page_at(file_mm, BASE);
	spage = page_at(shm_mm, BASE);
	KT_CHECK(fpage && on_list(fpage, false, false),
		 "a new page-cache page is not on the inactive file list (flags %#x)",
		 fpage ? fpage->flags : 0);
	KT_CHECK(spage && on_list(spage, false, true),
		 "a shared-memory page is not on the inactive anon list (flags %#x)",
		 spage ? spage->flags : 0);
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches");
	mmput(file_mm);
	mmput(shm_mm);
	fput(f);
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches after the free");
}

KTEST(lru_migration_keeps_the_place)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, PAGES, MAP_PRIVATE);
	struct page *old, *newpage;
	unsigned long active;

	KT_CHECK(mm, "no mm");
	old = page_at(mm, BASE);
	active = lru_list_pages(LRU_ACTIVE_ANON);
	newpage = alloc_page(GFP_KERNEL);
	KT_CHECK(newpage, "no page to migrate to");
	get_page(old);
	KT_CHECK(migrate_page_to(old, newpage) == 0, "migration failed");
	KT_CHECK(page_at(mm, BASE) == newpage && on_list(newpage, true, true),
		 "the new frame is not on the active anon list (flags %#x)", newpage->flags);
	KT_CHECK(!PageFlag(old, PG_lru) && lru_list_pages(LRU_ACTIVE_ANON) == active,
		 "the old frame stayed on a list, or the count changed (%lu, was %lu)",
		 lru_list_pages(LRU_ACTIVE_ANON), active);
	put_page(old);
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches");
	mmput(mm);
}
