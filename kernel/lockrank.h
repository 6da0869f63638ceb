/*
 * kernel/lockrank.h — lock assertions, and the run-time check of the lock
 * order of mm/LOCKING.md (lockcheck=1 on the kernel command line).
 *
 * Assertions (always on; a failure is a BUG, an oops with a backtrace,
 * through lock_assert_failed):
 *
 *   lockdep_assert_held(l)       kernel/mutex.h. spinlock_t *: l is locked
 *                                (on one CPU its holder runs with preemption
 *                                off, so it is the current context);
 *                                struct mutex *: the current task owns it
 *   lockdep_assert_not_held(m)   kernel/mutex.h: the current task does not own m
 *   assert_spin_locked(l)        kernel/spinlock.h
 *   assert_preemption_disabled() kernel/spinlock.h: a spinlock or an irqs-off
 *                                section is held
 *   might_sleep()                kernel/spinlock.h: neither is
 *   assert_page_locked(page)     mm/page_lock.h
 *
 * The rank check: every lock belongs to a class (its name, resolved once
 * through the table in lockrank.c, which is the tree of mm/LOCKING.md).
 * Taking a lock of class B while holding one of class A is allowed only if
 * A is an ancestor of B in the tree: siblings and cousins are unordered,
 * neither may be taken under the other. A violation is a BUG naming both
 * locks. Two locks of one class may be held together only where the tree
 * says so (mmap_lock: ascending addresses, as the rmap checker takes them).
 * A trylock cannot deadlock, so it is recorded but not checked. Locks whose
 * name is not in the table (a test's own) are not checked.
 *
 * Each task records the classes it holds (struct held_locks in struct
 * task); code that runs before the first task exists uses a boot record.
 * Interrupt handlers record on the task they interrupted, which is why the
 * locks they take are at the bottom of the tree (below every lock a task
 * may hold with interrupts on).
 */
#ifndef KERNEL_LOCKRANK_H
#define KERNEL_LOCKRANK_H

#include <stdbool.h>
#include <stdint.h>

/* Lock classes: the tree of mm/LOCKING.md, outer locks first. */
enum lock_class {
	LOCK_CLASS_UNRESOLVED,       /* not looked up yet (a fresh lock) */
	LOCK_CLASS_NONE,             /* not in the tree: never checked */
	/* sleeping locks and what nests under them */
	LC_NAMESPACE,
	LC_PIPE,
	LC_MIGRATE,
	LC_SWAPON,                   /* swapon_mutex: swapon, swapoff, /proc/swaps */
	LC_I_MUTEX,
	LC_MMAP,
	LC_PAGE,                     /* PG_locked, a sleeping bit lock */
	LC_I_MMAP,
	LC_ANON_VMA,
	LC_PAGE_TABLE,
	LC_TREE_LOCK,
	LC_SWAP_CACHE,               /* swap_cache_lock: the swap cache's tree */
	LC_INODE_SB_LIST,            /* a top-tree leaf: interrupts stay on under it */
	LC_EXT2_ALLOC,
	LC_EXT2_SB,
	LC_BUFFER,
	LC_BUFFER_HASH,
	LC_DCACHE,
	LC_BDEV,                     /* block_device->lock: one request in a driver */
	LC_ATA_CHANNEL,
	/* the bottom: may be taken with any lock above held */
	LC_ALL_CACHES,
	LC_KMEM_CACHE,
	LC_ZONE,
	LC_MMLIST,
	LC_TASKLIST,
	LC_TTY,
	LC_WAITQUEUE,
	LC_MUTEX_WAIT,
	LC_RANDOM,
	LC_INODE_HASH,
	LC_SB_LIST,
	LC_DEFERRED_IPUT,
	LC_BLKDEV_LIST,
	LC_LRU,
	LC_SWAP,                     /* swap_lock: the swap areas' slot maps */
	LC_RQ,
	LC_CONSOLE,
	LOCK_CLASSES
};

/* The classes a task holds, and how many locks of each. */
struct held_locks {
	uint64_t mask;                      /* bit c: count[c] > 0 */
	uint16_t count[LOCK_CLASSES];
	uintptr_t top_address;              /* highest lock of a nestable class held */
	bool in_reclaim;                    /* between lockrank_reclaim_enter and _exit */
};

/* Set by lockcheck=1: record and check every lock taken. */
extern bool lockcheck_enabled;

/* Hooks of spin_lock, mutex_lock and lock_page (only when lockcheck_enabled).
 * *class caches the lock's class; name is its name, is_mutex its kind. */
void lockrank_acquire(uint8_t *class, const char *name, bool is_mutex, const void *lock);
void lockrank_trylock_acquired(uint8_t *class, const char *name, bool is_mutex, const void *lock);
void lockrank_release(uint8_t *class, const char *name, bool is_mutex);
/*
 * Reclaim (mm/vmscan.c) runs inside an allocation, under whatever locks the
 * allocating task holds — a file system's own, for a GFP_NOFS allocation —
 * and takes locks that are not below all of those in the tree (the inode
 * list, the page cache's). It cannot deadlock with them because it never
 * waits for a sleeping lock: it spins (with preemption off, so no holder
 * is waiting behind it on this CPU) or trylocks. So between
 * lockrank_reclaim_enter and lockrank_reclaim_exit the task's record starts
 * empty: reclaim's locks are checked against each other only, and taking
 * a sleeping lock any other way than trylock is a BUG. _exit checks that
 * reclaim let go of all it took, then gives the caller's record back.
 */
void __lockrank_reclaim_enter(struct held_locks *saved);
void __lockrank_reclaim_exit(const struct held_locks *saved);
static inline void lockrank_reclaim_enter(struct held_locks *saved)
{
	if (__builtin_expect(lockcheck_enabled, 0))
		__lockrank_reclaim_enter(saved);
}
static inline void lockrank_reclaim_exit(const struct held_locks *saved)
{
	if (__builtin_expect(lockcheck_enabled, 0))
		__lockrank_reclaim_exit(saved);
}
/*
 * Swap I/O inside direct reclaim (mm/vmscan.c): between _io_begin and
 * _io_end the task's record is its caller's locks plus reclaim's, and
 * sleeping locks are allowed: the I/O's locks (bd_lock) are checked
 * against everything really held. _io_end checks the I/O let go of what
 * it took and gives reclaim its record back.
 */
void __lockrank_reclaim_io_begin(const struct held_locks *callers, struct held_locks *reclaims);
void __lockrank_reclaim_io_end(const struct held_locks *callers,
			       const struct held_locks *reclaims);
static inline void lockrank_reclaim_io_begin(const struct held_locks *callers,
					     struct held_locks *reclaims)
{
	if (__builtin_expect(lockcheck_enabled, 0))
		__lockrank_reclaim_io_begin(callers, reclaims);
}
static inline void lockrank_reclaim_io_end(const struct held_locks *callers,
					   const struct held_locks *reclaims)
{
	if (__builtin_expect(lockcheck_enabled, 0))
		__lockrank_reclaim_io_end(callers, reclaims);
}
/* Checks the order as lockrank_acquire does, without recording (a wait for
 * a lock that is not then held: wait_on_page_locked). */
void lockrank_check(uint8_t *class, const char *name, bool is_mutex, const void *lock);
/* A new task's first code holds the lock the context switch took for it:
 * record it without a check (schedule_tail). */
void lockrank_inherit(uint8_t *class, const char *name, bool is_mutex);

unsigned __lockrank_held(enum lock_class c);
/* How many locks of class c the current task holds (lockcheck only; 0 when
 * lockcheck is off). */
static inline unsigned lockrank_held(enum lock_class c)
{
	return __builtin_expect(lockcheck_enabled, 0) ? __lockrank_held(c) : 0;
}
/* Whether held classes `outer` allow taking class `inner` (the tree's rule;
 * for tests). */
bool lockrank_allowed(enum lock_class outer, enum lock_class inner);
/* The class of a lock name and kind, from the table. */
enum lock_class lockrank_class_of(const char *name, bool is_mutex);

/* An assertion failed: BUG naming the lock and the caller. */
void lock_assert_failed(const char *what, const char *name, const char *file, int line,
			const char *func) __attribute__((noreturn));

#endif
