/*
 * mm/migrate.c — moving one physical page to another frame while every
 * process that maps it keeps running.
 *
 *   lock the old page
 *   try_to_migrate: every PTE mapping it becomes a migration entry
 *                   (a task touching it now sleeps in migration_entry_wait)
 *   check that no one else holds it (references == what we can account for)
 *   copy the contents, move mapping/index/flags to the new page
 *   remove_migration_ptes: every entry now maps the new page
 *   unlock the old page (waking the waiters, who fault again and find it)
 *
 * If the page cannot be moved, the entries are pointed back at the old
 * page and nothing has changed.
 *
 * Invariants: while the page is locked and unmapped, no PTE maps it, so
 * its contents cannot change under the copy; a migration entry holds no
 * reference and no mapcount (both move with the entry's replacement).
 *
 * Locks: page lock → file i_mmap_lock / anon_vma root lock →
 * page_table_lock (through rmap_walk). migrate_mutex serialises
 * migrations with each other and with the rmap checker. Called with no
 * mmap_lock held (a faulting task holds its mmap_lock while it waits for
 * our page lock).
 */
#include <mm/migrate.h>
#include <mm/rmap.h>
#include <mm/filemap.h>
#include <mm/page_lock.h>
#include <mm/page_alloc.h>
#include <mm/lru.h>
#include <mm/swapops.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <libk/string.h>

/* Held by a migration from start to end, and by the rmap checker. */
DEFINE_MUTEX(migrate_mutex);

/* Test-only (see migrate.h); NULL outside tests/kernel/test_migrate.c. */
void (*migrate_unmapped_test_hook)(struct page *page);

/* Page flags that describe contents or state and go with the page. */
#define MIGRATE_FLAGS ((1u << PG_dirty) | (1u << PG_referenced) | (1u << PG_active) | \
		       (1u << PG_unevictable) | (1u << PG_mlocked) | (1u << PG_uptodate))

/* References on page that migration can explain once it is unmapped:
 * the caller's one, and its page cache's. */
static int
expected_refs(const struct page *page)
{
	return 1 + (page_mapping(page) ? 1 : 0);
}

/* Gives newpage old's contents, flags and place in its mapping. */
static void
move_page_state(struct page *old, struct page *newpage)
{
	memcpy(page_address(newpage), page_address(old), PAGE_SIZE);
	newpage->flags |= old->flags & MIGRATE_FLAGS;
	if (page_mapping(old)) {
		replace_page_cache_page(old, newpage);
		return;
	}
	/* anonymous: newpage joins old's anon_vma; old keeps its own reference
	 * on it until the caller lets old go */
	newpage->index = old->index;
	newpage->mapping = old->mapping;
	get_anon_vma(page_anon_vma(newpage));
}

int
migrate_page_to(struct page *page, struct page *newpage)
{
	bool file;

	/* migration never takes an mmap_lock, nor waits holding one (a
	 * faulting task holds its own while it waits for our page lock) */
	BUG_ON(lockrank_held(LC_MMAP));
	if (current->mm)
		lockdep_assert_not_held(&current->mm->mmap_lock);
	if (!page->mapping)
		return -EBUSY;                   /* not a user page */
	file = page_mapping(page) != NULL;
	mutex_lock(&migrate_mutex);
	lock_page(page);
	/* newpage is fresh, no one else can hold it: a trylock that cannot
	 * fail, and two page locks never wait for each other */
	if (!trylock_page(newpage))
		BUG();
	try_to_migrate(page);
	if (migrate_unmapped_test_hook)
		migrate_unmapped_test_hook(page);
	if (page_mapcount(page) != 0 || page_count(page) != expected_refs(page)) {
		/* a PTE we could not reach, or a reference held elsewhere */
		remove_migration_ptes(page, NULL);
		unlock_page(newpage);
		unlock_page(page);
		mutex_unlock(&migrate_mutex);
		count_vm_event(PGMIGRATE_FAIL);
		return -EBUSY;
	}
	move_page_state(page, newpage);
	lru_replace_page(page, newpage);         /* newpage takes its place on the LRU */
	remove_migration_ptes(page, newpage);
	if (!file)
		page_clear_rmap_on_free(page);   /* old lets go of the anon_vma */
	put_page(newpage);                       /* the PTEs and the cache hold it now */
	page->flags &= ~MIGRATE_FLAGS;           /* they went with the contents */
	unlock_page(newpage);
	unlock_page(page);
	mutex_unlock(&migrate_mutex);
	count_vm_event(PGMIGRATE_SUCCESS);
	return 0;
}

void
migration_entry_wait(pte_t *ptep)
{
	pte_t pte = *ptep;

	BUG_ON(lockcheck_enabled && !lockrank_held(LC_MMAP));   /* the faulting mm's */
	count_vm_event(MIGRATION_ENTRY_WAIT);
	/* mem_map is never freed, so the old page's flags stay readable even
	 * if the migration finishes (and frees it) before we look */
	if (is_migration_entry(pte))
		wait_on_page_locked(migration_entry_to_page(pte));
}
