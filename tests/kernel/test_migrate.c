/*
 * tests/kernel/test_migrate.c — a fault that meets a page under migration.
 *
 * In normal running the window between "every PTE is a migration entry"
 * and "every PTE maps the new frame" is a few instructions wide, so no
 * fault ever lands in it (/proc/vmstat's migration_entry_wait stays 0).
 * These tests open the window on purpose with migrate_unmapped_test_hook
 * (mm/migrate.h): while the old page is locked and unmapped, the hook
 * starts kernel threads that fault on the page's address in their mm, and
 * lets them run until each one is asleep in migration_entry_wait. Then the
 * migration finishes, and each faulter must have been woken only then and
 * find the NEW frame, with the old contents, mapped as before (writable if
 * it was writable).
 *
 *   test thread                          faulter thread(s)
 *   migrate_page_to(old, new)
 *     lock old, try_to_migrate
 *     hook: kthread_run(faulter) ------> mmap_lock, handle_mm_fault
 *           yield until all asleep         migration entry: sleep on old's lock
 *     copy, remove_migration_ptes
 *     unlock old --------------------- > woken: the fault returns
 *   wait_for_completion <--------------- PTE maps new; complete
 */
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <mm/migrate.h>
#include <mm/page_lock.h>
#include <mm/rmap.h>
#include <mm/swapops.h>
#include "mm_fixture.h"

#define BASE         0x40000000u
#define PAGES        4
#define TARGET       (BASE + 2 * PAGE_SIZE)    /* the page that is migrated */
#define MAX_FAULTERS 2
#define MAX_YIELDS   1000                      /* far more than 2 faulters need */
#define EXTRA_YIELDS 20                        /* then they must still be asleep */

/* One kernel thread faulting on TARGET in mm, and what it found. */
struct faulter {
	struct mm_struct *mm;
	enum fault_access access;
	struct task *task;
	volatile bool returned;        /* handle_mm_fault has come back */
	enum fault_result result;
	pte_t pte_after;               /* TARGET's PTE right after it came back */
	struct completion done;
};

/* What the hook saw, for the test body to judge after the migration. */
struct migration_race {
	struct page *old;              /* the page being migrated */
	int nr;
	struct faulter f[MAX_FAULTERS];
	bool hook_ran;
	bool entries_installed;        /* every faulter's PTE was a migration entry for old */
	bool started;                  /* every faulter thread was created */
	unsigned long waits;           /* migration_entry_wait events while we yielded */
	bool asleep;                   /* each faulter asleep, not returned, old locked */
};

static struct migration_race race;

/* The word at index i of the test pattern. */
static uint32_t
pattern(unsigned i)
{
	return 0xA5A50000u ^ (i * 0x9E3779B1u);
}

static void
fill_pattern(struct page *page)
{
	uint32_t *w = page_address(page);

	for (unsigned i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		w[i] = pattern(i);
}

static bool
has_pattern(struct page *page)
{
	const uint32_t *w = page_address(page);

	for (unsigned i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		if (w[i] != pattern(i))
			return false;
	return true;
}

/* A faulter thread: one fault at TARGET, as the CPU would raise it, with
 * mmap_lock held as the page-fault handler holds it. */
static int
faulter_thread(void *arg)
{
	struct faulter *f = arg;

	mutex_lock(&f->mm->mmap_lock);
	f->result = handle_mm_fault(f->mm, TARGET, f->access);
	f->pte_after = *pte_lookup(f->mm->pgd, TARGET);
	f->returned = true;
	mutex_unlock(&f->mm->mmap_lock);
	complete(&f->done);
	return 0;
}

static bool
any_returned(void)
{
	for (int i = 0; i < race.nr; i++)
		if (race.f[i].returned)
			return true;
	return false;
}

/* True if every faulter that has not returned sleeps uninterruptibly. */
static bool
all_asleep(void)
{
	for (int i = 0; i < race.nr; i++)
		if (race.f[i].returned || race.f[i].task->state != TASK_UNINTERRUPTIBLE)
			return false;
	return true;
}

/* migrate_unmapped_test_hook: old is locked and unmapped. Starts the
 * faulters and yields until each has met the migration entry and gone to
 * sleep; records what it saw. */
static void
start_faulters_while_unmapped(struct page *page)
{
	unsigned long waits_before = vm_event(MIGRATION_ENTRY_WAIT);

	if (page != race.old)
		return;
	race.hook_ran = true;
	race.entries_installed = PageLocked(page);
	for (int i = 0; i < race.nr; i++) {
		pte_t *ptep = pte_lookup(race.f[i].mm->pgd, TARGET);

		race.entries_installed &= ptep && is_migration_entry(*ptep) &&
					  migration_entry_to_page(*ptep) == page;
	}
	race.started = true;
	for (int i = 0; i < race.nr; i++) {
		race.f[i].task = kthread_run(faulter_thread, &race.f[i], "faulter");
		if (!race.f[i].task) {
			race.started = false;
			race.nr = i;               /* only wait for those that exist */
			return;
		}
	}
	for (int y = 0; y < MAX_YIELDS && !any_returned() &&
	     vm_event(MIGRATION_ENTRY_WAIT) - waits_before < (unsigned long)race.nr; y++)
		yield();
	for (int y = 0; y < EXTRA_YIELDS && !any_returned(); y++)
		yield();
	race.waits = vm_event(MIGRATION_ENTRY_WAIT) - waits_before;
	race.asleep = all_asleep() && PageLocked(page);
}

/* Migrates the page at TARGET of mms[0] while nr faulters (mms[i],
 * access[i]) fault on it; checks everything the file comment promises. */
static void
migrate_under_faults(struct mm_struct **mms, const enum fault_access *access, int nr)
{
	struct page *old = page_at(mms[0], TARGET), *newpage;
	unsigned long migrated_before = vm_event(PGMIGRATE_SUCCESS);
	int err;

	KT_CHECK(old, "no page at the target address");
	fill_pattern(old);
	race = (struct migration_race){ .old = old, .nr = nr };
	for (int i = 0; i < nr; i++) {
		race.f[i].mm = mms[i];
		race.f[i].access = access[i];
		init_completion(&race.f[i].done);
	}
	newpage = alloc_page(GFP_KERNEL);
	KT_CHECK(newpage, "no page to migrate to");
	get_page(old);
	migrate_unmapped_test_hook = start_faulters_while_unmapped;
	err = migrate_page_to(old, newpage);
	migrate_unmapped_test_hook = NULL;
	for (int i = 0; i < race.nr; i++)
		wait_for_completion(&race.f[i].done);

	KT_CHECK(race.hook_ran, "the migration never reached the hook");
	KT_CHECK(race.started, "could not start faulter %d", race.nr);
	KT_CHECK(race.entries_installed, "with the page locked and unmapped, a PTE was not a "
		 "migration entry for it");
	KT_CHECK(race.waits == (unsigned long)nr, "%d faults met the migration entry, "
		 "migration_entry_wait counted %lu", nr, race.waits);
	KT_CHECK(race.asleep, "a faulter did not stay asleep on the page lock while the "
		 "migration was unfinished");
	KT_CHECK(err == 0, "migration failed: %d", err);
	KT_CHECK(vm_event(PGMIGRATE_SUCCESS) == migrated_before + 1, "pgmigrate_success did "
		 "not count the migration");
	for (int i = 0; i < nr; i++) {
		struct faulter *f = &race.f[i];

		KT_CHECK(f->result == FAULT_HANDLED, "faulter %d: fault result %d", i, f->result);
		KT_CHECK(pte_present(f->pte_after) && pte_pfn(f->pte_after) == page_to_pfn(newpage),
			 "faulter %d woke to PTE %#x, not the new frame %#lx", i,
			 (unsigned)f->pte_after.pte, page_to_pfn(newpage));
		KT_CHECK(page_at(f->mm, TARGET) == newpage, "faulter %d: the new frame is not "
			 "mapped", i);
		KT_CHECK(pte_write(f->pte_after), "faulter %d: a writable PTE came back read-only",
			 i);
	}
	KT_CHECK(newpage != old && has_pattern(newpage), "the new frame lacks the old contents");
	KT_CHECK(page_mapcount(old) == 0 && page_count(old) == 1,
		 "old frame after migration: mapcount %d count %d", page_mapcount(old),
		 page_count(old));
	KT_CHECK(page_mapcount(newpage) == nr, "new frame: mapcount %d, %d PTEs",
		 page_mapcount(newpage), nr);
	KT_CHECK(rmap_check_mms(mms, nr, true) == 0, "rmap checker found mismatches");
	put_page(old);
}

/* A private page: its one user writes it while it moves. */
KTEST(migrate_fault_waits_private)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, PAGES, MAP_PRIVATE);

	KT_CHECK(mm, "setting up the mm failed");
	migrate_under_faults((struct mm_struct *[]){ mm }, (enum fault_access[]){ FAULT_WRITE },
			     1);
	mmput(mm);
}

/* A shared anonymous page mapped by parent and child: one writes and one
 * reads while it moves; both sleep and both wake to the new frame. */
KTEST(migrate_fault_waits_shared)
{
	struct mm_struct *parent = mm_with_written_pages(BASE, PAGES, MAP_SHARED), *child;

	KT_CHECK(parent, "setting up the parent failed");
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	KT_CHECK(touch(child, TARGET, FAULT_READ), "child fault failed");
	migrate_under_faults((struct mm_struct *[]){ parent, child },
			     (enum fault_access[]){ FAULT_WRITE, FAULT_READ }, 2);
	mmput(child);
	mmput(parent);
}
