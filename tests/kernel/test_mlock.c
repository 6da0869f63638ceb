/*
 * tests/kernel/test_mlock.c — mlocked pages (mm/mlock.c) on address spaces
 * built in the kernel: locking a VMA moves its pages to the unevictable
 * list with PG_mlocked (NR_MLOCK counts them); unlocking moves them back
 * to the inactive list of their kind, unless another VM_LOCKED VMA still
 * maps them (found through rmap_walk); munmap and the end of a program
 * unlock the same way; a COW copy in a locked VMA is locked and the page
 * it replaced is not; a page faulted into a locked VMA is locked at once;
 * reclaim's cull (mlock_page_found_locked) moves a page off an evictable
 * list; a page freed while mlocked leaves the list and the count. After
 * each step lru_check and the rmap checker (which checks "PG_mlocked <=>
 * mapped by a VM_LOCKED PTE") find nothing wrong.
 *
 * The munlock walks follow rmap_walk's rule (the caller holds no
 * mmap_lock but its own mm's), so the test thread takes each mm as its
 * current->mm while it works on it (adopt), as a process would.
 */
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include "mm_fixture.h"
#include <mm/mlock.h>
#include <mm/lru.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>

#define BASE  0x40000000u
#define PAGES 4

/* The test thread works on mm as its process would (no CR3 switch: it
 * only looks at page tables and struct pages). */
static void
adopt(struct mm_struct *mm)
{
	current->mm = mm;
}

/* vma_apply_range's step for set_lock: VM_LOCKED on or off. */
static int
lock_piece(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end, void *lock)
{
	uint32_t flags = *(bool *)lock ? vma->vm_flags | VM_LOCKED : vma->vm_flags & ~VM_LOCKED;

	return mlock_fixup(mm, vma, start, end, flags) ? 0 : -ENOMEM;
}

/* Locks or unlocks [start, start + len) of the adopted mm, as mlock and
 * munlock do. */
static bool
set_lock(struct mm_struct *mm, uint32_t start, uint32_t len, bool lock)
{
	int err;

	BUG_ON(current->mm != mm);
	mutex_lock(&mm->mmap_lock);
	err = vma_apply_range(mm, start, start + len, lock_piece, &lock);
	mutex_unlock(&mm->mmap_lock);
	return err == 0;
}

/* True if every page of [BASE, +pages) of mm is mlocked on the unevictable
 * list (locked) or neither (on an evictable list). */
static bool
pages_locked(struct mm_struct *mm, uint32_t pages, bool locked)
{
	for (uint32_t i = 0; i < pages; i++) {
		struct page *page = page_at(mm, BASE + i * PAGE_SIZE);

		if (!page || !PageFlag(page, PG_lru) || PageFlag(page, PG_mlocked) != locked ||
		    PageFlag(page, PG_unevictable) != locked)
			return false;
	}
	return true;
}

static int
check_all(struct mm_struct *a, struct mm_struct *b)
{
	struct mm_struct *mms[2] = { a, b };

	return lru_check(true) + rmap_check_mms(mms, b ? 2 : 1, true);
}

/* Unlocks what mm has locked, then lets it go, as an exiting process. */
static void
end_program(struct mm_struct *mm)
{
	adopt(mm);
	munlock_mm(mm);
	adopt(NULL);
	mmput(mm);
}

KTEST(mlock_unevictable_and_back)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, PAGES, MAP_PRIVATE);
	long mlocked = global_node_page_state(NR_MLOCK);
	unsigned long unevictable = lru_list_pages(LRU_UNEVICTABLE);
	unsigned long munlocked = vm_event(UNEVICTABLE_PGMUNLOCKED);

	KT_CHECK(mm, "no mm");
	adopt(mm);
	KT_CHECK(pages_locked(mm, PAGES, false), "fresh pages are mlocked or on the wrong list");
	KT_CHECK(set_lock(mm, BASE, PAGES * PAGE_SIZE, true), "mlock failed");
	KT_CHECK(pages_locked(mm, PAGES, true), "locked pages are not mlocked on the unevictable list");
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked + PAGES &&
		 lru_list_pages(LRU_UNEVICTABLE) == unevictable + PAGES,
		 "NR_MLOCK %lu (was %ld), unevictable %lu (was %lu)",
		 global_node_page_state(NR_MLOCK), mlocked, lru_list_pages(LRU_UNEVICTABLE), unevictable);
	adopt(NULL);
	KT_CHECK(check_all(mm, NULL) == 0, "checkers found mismatches with the range locked");
	adopt(mm);
	KT_CHECK(set_lock(mm, BASE + PAGE_SIZE, PAGE_SIZE, false), "munlock of one page failed");
	KT_CHECK(!PageFlag(page_at(mm, BASE + PAGE_SIZE), PG_mlocked) &&
		 PageFlag(page_at(mm, BASE), PG_mlocked), "munlock of one page did not unlock just it");
	KT_CHECK(set_lock(mm, BASE, PAGES * PAGE_SIZE, false), "munlock failed");
	KT_CHECK(pages_locked(mm, PAGES, false) && !PageFlag(page_at(mm, BASE), PG_active) &&
		 PageFlag(page_at(mm, BASE), PG_swapbacked),
		 "unlocked pages are not on the inactive anon list (flags %#x)", page_at(mm, BASE)->flags);
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked &&
		 lru_list_pages(LRU_UNEVICTABLE) == unevictable, "the counts did not come back");
	KT_CHECK(vm_event(UNEVICTABLE_PGMUNLOCKED) == munlocked + PAGES, "munlocked counted %lu",
		 vm_event(UNEVICTABLE_PGMUNLOCKED) - munlocked);
	adopt(NULL);
	KT_CHECK(check_all(mm, NULL) == 0, "checkers found mismatches after munlock");
	mmput(mm);
}

KTEST(mlock_fault_into_locked_vma)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, 1, MAP_PRIVATE);
	long mlocked = global_node_page_state(NR_MLOCK);

	KT_CHECK(mm, "no mm");
	KT_CHECK(do_mmap(mm, BASE + PAGE_SIZE, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED, NULL, 0) ==
		 (long)(BASE + PAGE_SIZE), "mmap(MAP_LOCKED) failed");
	for (uint32_t i = 1; i <= PAGES; i++) {
		struct page *page = page_at(mm, BASE + i * PAGE_SIZE);

		KT_CHECK(page && PageFlag(page, PG_mlocked) && PageFlag(page, PG_unevictable),
			 "page %u populated by MAP_LOCKED is not mlocked", i);
	}
	KT_CHECK(!PageFlag(page_at(mm, BASE), PG_mlocked), "the unlocked neighbour got mlocked");
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked + PAGES, "NR_MLOCK off");
	KT_CHECK(check_all(mm, NULL) == 0, "checkers found mismatches");
	end_program(mm);
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked,
		 "the end of the program left %lu mlocked", global_node_page_state(NR_MLOCK) - mlocked);
}

/* Shared memory mapped by two processes, locked by both: it stays mlocked
 * until the second unlocks it, whichever way (munlock, munmap, exit). */
KTEST(mlock_shared_page_locked_twice)
{
	struct mm_struct *a = mm_with_written_pages(BASE, PAGES, MAP_SHARED), *b;
	long mlocked = global_node_page_state(NR_MLOCK);

	KT_CHECK(a, "no mm");
	b = dup_mm(a);
	KT_CHECK(b, "fork failed");
	for (uint32_t i = 0; i < PAGES; i++)
		KT_CHECK(touch(b, BASE + i * PAGE_SIZE, FAULT_READ), "the child's fault failed");
	KT_CHECK(page_at(a, BASE) == page_at(b, BASE), "the two do not share the page");

	adopt(a);
	KT_CHECK(set_lock(a, BASE, PAGES * PAGE_SIZE, true), "mlock in a failed");
	adopt(b);
	KT_CHECK(set_lock(b, BASE, PAGES * PAGE_SIZE, true), "mlock in b failed");
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked + PAGES,
		 "a page locked twice is counted twice");
	adopt(a);
	KT_CHECK(set_lock(a, BASE, PAGES * PAGE_SIZE, false), "munlock in a failed");
	KT_CHECK(pages_locked(a, PAGES, true), "b still locks the pages, but they were munlocked");
	adopt(NULL);
	KT_CHECK(check_all(a, b) == 0, "checkers found mismatches with one lock left");
	adopt(b);
	KT_CHECK(set_lock(b, BASE, PAGES * PAGE_SIZE, false), "munlock in b failed");
	KT_CHECK(pages_locked(a, PAGES, false), "no one locks the pages, but they stay mlocked");
	KT_CHECK(PageFlag(page_at(a, BASE), PG_swapbacked), "unlocked shared memory is not on an anon list");

	/* again, ending with munmap in one and the end of the program in the other */
	adopt(a);
	KT_CHECK(set_lock(a, BASE, PAGES * PAGE_SIZE, true), "mlock in a failed");
	adopt(b);
	KT_CHECK(set_lock(b, BASE, PAGES * PAGE_SIZE, true), "mlock in b failed");
	adopt(a);
	mutex_lock(&a->mmap_lock);
	KT_CHECK(do_munmap(a, BASE, PAGES * PAGE_SIZE) == 0, "munmap failed");
	mutex_unlock(&a->mmap_lock);
	KT_CHECK(pages_locked(b, PAGES, true), "munmap in a munlocked pages b still locks");
	adopt(NULL);
	KT_CHECK(check_all(a, b) == 0, "checkers found mismatches after the munmap");
	adopt(b);
	munlock_mm(b);
	KT_CHECK(pages_locked(b, PAGES, false), "the end of b's program left the pages mlocked");
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked, "NR_MLOCK did not come back");
	adopt(NULL);
	KT_CHECK(check_all(a, b) == 0, "checkers found mismatches at the end");
	mmput(b);
	mmput(a);
}

/* fork shares a locked VMA's pages copy-on-write with the child's unlocked
 * VMA; a write in the parent copies: the copy is locked, the old page
 * (now the child's alone) is not. */
KTEST(mlock_cow_copy_in_locked_vma)
{
	struct mm_struct *parent = mm_with_written_pages(BASE, 1, MAP_PRIVATE), *child;
	struct page *old, *copy;

	KT_CHECK(parent, "no mm");
	adopt(parent);
	KT_CHECK(set_lock(parent, BASE, PAGE_SIZE, true), "mlock failed");
	adopt(NULL);
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	old = page_at(parent, BASE);
	KT_CHECK(page_at(child, BASE) == old && PageFlag(old, PG_mlocked),
		 "the child does not share the locked page");
	KT_CHECK(check_all(parent, child) == 0, "checkers found mismatches after fork");
	adopt(parent);
	KT_CHECK(touch(parent, BASE, FAULT_WRITE), "the COW fault failed");
	copy = page_at(parent, BASE);
	KT_CHECK(copy != old && PageFlag(copy, PG_mlocked) && PageFlag(copy, PG_unevictable),
		 "the copy in the locked VMA is not mlocked");
	KT_CHECK(!PageFlag(old, PG_mlocked) && !PageFlag(old, PG_unevictable) && PageFlag(old, PG_lru),
		 "the page left to the child's unlocked VMA stays mlocked (flags %#x)", old->flags);
	adopt(NULL);
	KT_CHECK(check_all(parent, child) == 0, "checkers found mismatches after the COW");
	mmput(child);
	end_program(parent);
}

/* Reclaim's cull: a page still on an evictable list that a locked VMA maps
 * (the race mlock's pass closes later) moves to the unevictable list. */
KTEST(mlock_cull_off_evictable_list)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, 1, MAP_PRIVATE);
	unsigned long culled = vm_event(UNEVICTABLE_PGCULLED);
	struct page *page;

	KT_CHECK(mm, "no mm");
	page = page_at(mm, BASE);
	mlock_page_found_locked(page);
	KT_CHECK(PageFlag(page, PG_mlocked) && PageFlag(page, PG_unevictable) && PageFlag(page, PG_lru),
		 "a culled page is not mlocked on the unevictable list (flags %#x)", page->flags);
	KT_CHECK(vm_event(UNEVICTABLE_PGCULLED) == culled + 1, "the cull was not counted");
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches");
	adopt(mm);
	KT_CHECK(set_lock(mm, BASE, PAGE_SIZE, true) && set_lock(mm, BASE, PAGE_SIZE, false),
		 "mlock/munlock failed");
	KT_CHECK(!PageFlag(page, PG_mlocked) && !PageFlag(page, PG_unevictable), "munlock left it locked");
	adopt(NULL);
	KT_CHECK(check_all(mm, NULL) == 0, "checkers found mismatches");
	mmput(mm);
}

/* The checkers see a page mapped by a locked VMA without PG_mlocked. */
KTEST(mlock_checker_sees_missing_flag)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, 1, MAP_PRIVATE);
	struct page *page;

	KT_CHECK(mm, "no mm");
	adopt(mm);
	KT_CHECK(set_lock(mm, BASE, PAGE_SIZE, true), "mlock failed");
	adopt(NULL);
	page = page_at(mm, BASE);
	KT_CHECK(lru_clear_mlocked(page), "the page was not mlocked");
	KT_CHECK(check_all(mm, NULL) > 0, "the checkers did not notice a locked page without PG_mlocked");
	lru_set_mlocked(page);
	KT_CHECK(check_all(mm, NULL) == 0, "checkers found mismatches once repaired");
	end_program(mm);
}

/* A page freed while still PG_mlocked (reclaim's cull can leave an
 * isolated page so once its mappings go) leaves the unevictable list and
 * NR_MLOCK with its last reference (lru_page_freed). */
KTEST(mlock_page_freed_while_mlocked)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, 1, MAP_PRIVATE);
	long mlocked = global_node_page_state(NR_MLOCK);
	unsigned long unevictable = lru_list_pages(LRU_UNEVICTABLE);
	unsigned long cleared = vm_event(UNEVICTABLE_PGCLEARED);
	struct page *page;

	KT_CHECK(mm, "no mm");
	page = page_at(mm, BASE);
	get_page(page);
	mmput(mm);                               /* unmapped; our reference keeps it */
	KT_CHECK(page_mapcount(page) == 0 && PageFlag(page, PG_lru), "the page is still mapped");
	lru_set_mlocked(page);
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked + 1 &&
		 lru_list_pages(LRU_UNEVICTABLE) == unevictable + 1, "lru_set_mlocked did not count it");
	put_page(page);
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked &&
		 lru_list_pages(LRU_UNEVICTABLE) == unevictable,
		 "the freed page stayed counted: NR_MLOCK %lu (was %ld), unevictable %lu (was %lu)",
		 global_node_page_state(NR_MLOCK), mlocked, lru_list_pages(LRU_UNEVICTABLE), unevictable);
	KT_CHECK(vm_event(UNEVICTABLE_PGCLEARED) == cleared + 1, "the free was not counted as cleared");
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches");
}

/* The cull and munlock of a page reclaim has isolated: its putback
 * (lru_putback) lands it on the list its new state names, and one freed
 * while isolated and mlocked leaves NR_MLOCK. */
KTEST(mlock_isolated_page_putback)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, 1, MAP_PRIVATE);
	long mlocked = global_node_page_state(NR_MLOCK);
	struct page *page;

	KT_CHECK(mm, "no mm");
	page = page_at(mm, BASE);
	KT_CHECK(lru_isolate_page(page), "the page could not be isolated");
	mlock_page_found_locked(page);           /* the cull, while reclaim holds it */
	lru_putback(page);
	KT_CHECK(PageFlag(page, PG_mlocked) && PageFlag(page, PG_unevictable) && PageFlag(page, PG_lru),
		 "a page culled while isolated went back to an evictable list (flags %#x)", page->flags);
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches after the putback");

	KT_CHECK(lru_isolate_page(page), "the mlocked page could not be isolated");
	clear_page_mlock(page);                  /* its locked mapping went, while isolated */
	lru_putback(page);
	KT_CHECK(!PageFlag(page, PG_mlocked) && !PageFlag(page, PG_unevictable) &&
		 PageFlag(page, PG_swapbacked) && PageFlag(page, PG_lru),
		 "a page munlocked while isolated went back to the unevictable list (flags %#x)",
		 page->flags);

	KT_CHECK(lru_isolate_page(page), "the page could not be isolated again");
	adopt(mm);
	mutex_lock(&mm->mmap_lock);
	KT_CHECK(do_munmap(mm, BASE, PAGE_SIZE) == 0, "munmap failed");   /* reclaim's is the last reference */
	mutex_unlock(&mm->mmap_lock);
	adopt(NULL);
	lru_set_mlocked(page);                   /* mlocked, unmapped and isolated: freed so */
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked + 1, "not counted");
	put_page(page);                          /* the isolation's reference: the last */
	KT_CHECK(global_node_page_state(NR_MLOCK) == (unsigned long)mlocked,
		 "a page freed while isolated and mlocked stayed counted: NR_MLOCK %lu, was %ld",
		 global_node_page_state(NR_MLOCK), mlocked);
	KT_CHECK(lru_check(true) == 0, "lru_check found mismatches");
	mmput(mm);
}
