/*
 * tests/kernel/test_lockrank.c — the lock assertions and the lock-order
 * check (kernel/lockrank.c): the tree's rule on pairs of classes, what a
 * task records while it holds locks, reclaim under a file system's lock
 * (checked on its own), and three deliberate bugs that must oops with a
 * report naming the locks (KTEST_CRASH, checked by
 * OOPS_TESTS in tools/runner.py; test boots run with lockcheck=1).
 */
#include <kernel/ktest.h>
#include <kernel/lockrank.h>
#include <kernel/mutex.h>
#include <mm/mm.h>
#include <mm/migrate.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/gfp.h>

/* The rule: an ancestor may be held, a descendant, sibling or cousin not. */
KTEST(lockrank_tree_order)
{
	KT_CHECK(lockrank_allowed(LC_MMAP, LC_PAGE_TABLE), "page_table_lock under mmap_lock refused");
	KT_CHECK(lockrank_allowed(LC_MIGRATE, LC_ANON_VMA), "anon_vma under migrate_mutex refused");
	KT_CHECK(!lockrank_allowed(LC_PAGE_TABLE, LC_MMAP), "mmap_lock under page_table_lock allowed");
	KT_CHECK(!lockrank_allowed(LC_MMAP, LC_MIGRATE), "migrate_mutex under mmap_lock allowed");
	KT_CHECK(lockrank_allowed(LC_I_MMAP, LC_ANON_VMA) && !lockrank_allowed(LC_ANON_VMA, LC_I_MMAP),
		 "anon_vma not strictly under i_mmap_lock");
	KT_CHECK(lockrank_allowed(LC_I_MUTEX, LC_MMAP) && !lockrank_allowed(LC_MMAP, LC_I_MUTEX),
		 "mmap_lock not strictly under i_mutex");
	KT_CHECK(!lockrank_allowed(LC_I_MMAP, LC_TREE_LOCK) || lockrank_allowed(LC_PAGE_TABLE, LC_TREE_LOCK),
		 "tree_lock not under page_table_lock");
	KT_CHECK(!lockrank_allowed(LC_DCACHE, LC_TREE_LOCK) && !lockrank_allowed(LC_TREE_LOCK, LC_DCACHE),
		 "cousins dcache_lock and tree_lock ordered");
	KT_CHECK(lockrank_allowed(LC_PAGE_TABLE, LC_ZONE) && lockrank_allowed(LC_PAGE_TABLE, LC_KMEM_CACHE),
		 "the allocator refused under page_table_lock");
	KT_CHECK(!lockrank_allowed(LC_ZONE, LC_PAGE_TABLE), "page_table_lock under zone.lock allowed");
	KT_CHECK(!lockrank_allowed(LC_ZONE, LC_KMEM_CACHE), "kmem_cache.lock under zone.lock allowed");
	KT_CHECK(!lockrank_allowed(LC_RQ, LC_ZONE), "zone.lock under the leaf rq_lock allowed");
	KT_CHECK(lockrank_allowed(LC_WAITQUEUE, LC_RQ), "rq_lock under a wait queue's lock refused");
	KT_CHECK(lockrank_allowed(LC_ZONE, LC_CONSOLE) && lockrank_allowed(LC_RQ, LC_CONSOLE),
		 "printk's console_lock refused under a bottom lock");
	KT_CHECK(lockrank_class_of("mmap_lock", true) == LC_MMAP, "mmap_lock has no class");
	KT_CHECK(lockrank_class_of("mmap_lock", false) == LOCK_CLASS_NONE,
		 "a spinlock named like a mutex got the mutex's class");
	KT_CHECK(lockrank_class_of("no such lock", false) == LOCK_CLASS_NONE, "an unknown name got a class");
}

/* With lockcheck=1 the task's record follows what it holds, nested
 * mmap_locks included (ascending addresses, as the rmap checker takes them). */
KTEST(lockrank_records_held_locks)
{
	struct mm_struct *a = mm_alloc(), *b = mm_alloc(), *lo, *hi;
	unsigned mmap_held, ptl_held, after;

	KT_CHECK(lockcheck_enabled, "this test needs lockcheck=1 on the command line");
	KT_CHECK(a && b, "mm_alloc failed");
	lo = a < b ? a : b;
	hi = a < b ? b : a;
	mutex_lock(&lo->mmap_lock);
	mutex_lock(&hi->mmap_lock);
	mmap_held = lockrank_held(LC_MMAP);
	spin_lock(&hi->page_table_lock);
	ptl_held = lockrank_held(LC_PAGE_TABLE);
	spin_unlock(&hi->page_table_lock);
	mutex_unlock(&hi->mmap_lock);
	mutex_unlock(&lo->mmap_lock);
	after = lockrank_held(LC_MMAP) + lockrank_held(LC_PAGE_TABLE);
	mmput(a);
	mmput(b);
	KT_CHECK(mmap_held == 2, "two mmap_locks held, %u recorded", mmap_held);
	KT_CHECK(ptl_held == 1, "page_table_lock held, %u recorded", ptl_held);
	KT_CHECK(after == 0, "%u locks still recorded after all were released", after);
}

/* Reclaim runs inside an allocation, under whatever its caller holds: here
 * ext2's allocator lock, as when getblk allocates a buffer while ext2 picks
 * a block (disk/file_bigger_than_memory hit it). The page-cache shrinker's
 * inode walk and page-cache locks are not below ext2's locks in the tree,
 * but reclaim only spins and trylocks, so they cannot deadlock with them:
 * the check looks at reclaim's own locks alone. */
KTEST(lockrank_reclaim_under_fs_lock)
{
	struct mutex fs_lock;

	KT_CHECK(lockcheck_enabled, "this test needs lockcheck=1 on the command line");
	mutex_init(&fs_lock, "ext2_alloc");
	mutex_lock(&fs_lock);
	try_to_free_pages(GFP_NOFS);
	KT_CHECK(lockrank_held(LC_EXT2_ALLOC) == 1, "the caller's lock is not recorded after reclaim");
	mutex_unlock(&fs_lock);
	KT_CHECK(lockrank_held(LC_EXT2_ALLOC) == 0 && lockrank_held(LC_INODE_SB_LIST) == 0,
		 "locks still recorded after reclaim and the unlock");
}

/* migrate_mutex is outside every mmap_lock: taking it inside one is the
 * order inverted, which must be a BUG naming both. */
KTEST_CRASH(oops_lock_order)
{
	struct mm_struct *mm = mm_alloc();

	BUG_ON(!mm);
	mutex_lock(&mm->mmap_lock);
	mutex_lock(&migrate_mutex);
	mutex_unlock(&migrate_mutex);
	mutex_unlock(&mm->mmap_lock);
}

/* Reclaim may run under any lock its caller holds, so waiting for a
 * sleeping lock there is a BUG naming the lock. */
KTEST_CRASH(oops_reclaim_waits)
{
	struct held_locks callers;
	struct mm_struct *mm = mm_alloc();

	BUG_ON(!mm);
	lockrank_reclaim_enter(&callers);
	mutex_lock(&mm->mmap_lock);
	mutex_unlock(&mm->mmap_lock);
	lockrank_reclaim_exit(&callers);
}

/* find_vma's contract is mmap_lock held: calling it without must be a BUG
 * naming the lock and the function (an assertion, on in every boot). */
KTEST_CRASH(oops_lock_not_held)
{
	struct mm_struct *mm = mm_alloc();

	BUG_ON(!mm);
	find_vma(mm, 0);
}
