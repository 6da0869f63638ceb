/*
 * kernel/lockrank.c — the lock tree of mm/LOCKING.md as a table, and the
 * run-time check that every lock is taken in its order (see lockrank.h).
 *
 * The table gives each class its parents: the classes that may be held
 * when it is taken. ancestors[c], computed once when the check is turned
 * on, is the closure of that relation; a class of the bottom block also
 * gets every class of the top tree, since it may be taken under any of
 * them. Taking c is then one test: the held classes minus c's ancestors
 * must be empty (minus c itself for the one class that nests).
 *
 * Invariant: a task's held_locks.count[c] is the number of locks of class
 * c it holds (acquired and not released), and bit c of mask is set iff
 * that count is non-zero. Interrupt handlers take only bottom locks and
 * release them before returning, so a record they change is back as it
 * was when the interrupted code looks at it again.
 *
 * Locks: none. The hooks run with preemption off (inside spin_lock) or in
 * the task's own context (mutex_lock, lock_page); the record is the
 * current task's own.
 */
#include <kernel/lockrank.h>
#include <kernel/cmdline.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/task.h>
#include <arch/x86/cpu.h>
#include <arch/x86/irqflags.h>
#include <arch/x86/stacktrace.h>
#include <libk/stdio.h>
#include <libk/string.h>
#include <stdarg.h>

#define MAX_PARENTS   4
#define VIOLATION_MAX 256

enum class_flags {
	BOTTOM = 1 << 0,             /* may be taken with any lock of the top tree held */
	ANYWHERE = 1 << 1,           /* a leaf that may be taken with any lock at all held */
	NEST_ASCENDING = 1 << 2,     /* several may be held, taken in ascending address order */
};

struct class_desc {
	const char *name;            /* the name its locks are given (NULL: set explicitly) */
	bool is_mutex;               /* a sleeping lock (a mutex or the page lock) */
	unsigned flags;
	enum lock_class parent[MAX_PARENTS];  /* LOCK_CLASS_UNRESOLVED ends the list */
};

/* mm/LOCKING.md, line by line. */
static const struct class_desc classes[LOCK_CLASSES] = {
	[LOCK_CLASS_UNRESOLVED] = { "(unresolved)", false, 0, { 0 } },
	[LOCK_CLASS_NONE]   = { "(unranked)", false, 0, { 0 } },
	[LC_NAMESPACE]      = { "namespace_mutex", true, 0, { 0 } },
	[LC_PIPE]           = { "pipe", true, 0, { LC_NAMESPACE } },
	[LC_MIGRATE]        = { "migrate_mutex", true, 0, { 0 } },
	[LC_SWAPON]         = { "swapon_mutex", true, 0, { 0 } },
	[LC_I_MUTEX]        = { "i_mutex", true, 0, { LC_NAMESPACE } },
	[LC_MMAP]           = { "mmap_lock", true, NEST_ASCENDING,
				{ LC_NAMESPACE, LC_PIPE, LC_MIGRATE, LC_I_MUTEX } },
	[LC_PAGE]           = { NULL, true, 0, { LC_MMAP, LC_SWAPON } },
	[LC_I_MMAP]         = { "i_mmap", true, 0, { LC_PAGE } },
	[LC_ANON_VMA]       = { "anon_vma", true, 0, { LC_PAGE, LC_I_MMAP } },
	[LC_PAGE_TABLE]     = { "page_table_lock", false, 0, { LC_ANON_VMA, LC_I_MMAP } },
	[LC_TREE_LOCK]      = { "tree_lock", false, 0, { LC_PAGE_TABLE } },
	[LC_SWAP_CACHE]     = { "swap_cache_lock", false, 0, { LC_PAGE_TABLE } },
	[LC_INODE_SB_LIST]  = { "inode_sb_list_lock", false, 0, { LC_TREE_LOCK } },
	[LC_EXT2_ALLOC]     = { "ext2_alloc", true, 0, { LC_PAGE, LC_SWAPON } },
	[LC_EXT2_SB]        = { "ext2_sb", true, 0, { LC_EXT2_ALLOC } },
	[LC_BUFFER]         = { "buffer", true, 0, { LC_EXT2_SB } },
	[LC_BUFFER_HASH]    = { "buffer_lock", false, 0, { LC_BUFFER } },
	[LC_DCACHE]         = { "dcache_lock", false, 0, { LC_MMAP } },
	[LC_BDEV]           = { "bd_lock", true, 0, { LC_I_MUTEX, LC_PAGE, LC_BUFFER, LC_SWAPON } },
	[LC_ATA_CHANNEL]    = { "ata_channel", true, 0, { LC_BDEV } },
	[LC_ALL_CACHES]     = { "all_caches_lock", false, BOTTOM, { 0 } },
	[LC_KMEM_CACHE]     = { NULL, false, BOTTOM, { LC_ALL_CACHES } },
	[LC_ZONE]           = { "zone", false, BOTTOM, { LC_KMEM_CACHE } },
	[LC_MMLIST]         = { "mmlist_lock", false, BOTTOM, { 0 } },
	[LC_TASKLIST]       = { "tasklist_lock", false, BOTTOM, { 0 } },
	[LC_TTY]            = { "console_tty.lock", false, BOTTOM, { 0 } },
	[LC_WAITQUEUE]      = { "waitqueue", false, BOTTOM, { LC_TASKLIST } },
	[LC_MUTEX_WAIT]     = { NULL, false, BOTTOM, { 0 } },
	[LC_RANDOM]         = { "random_lock", false, BOTTOM, { 0 } },
	[LC_INODE_HASH]     = { "inode_hash_lock", false, BOTTOM, { LC_INODE_SB_LIST } },
	[LC_SB_LIST]        = { "sb_list_lock", false, BOTTOM, { 0 } },
	[LC_DEFERRED_IPUT]  = { "deferred_iput_lock", false, BOTTOM, { 0 } },
	[LC_BLKDEV_LIST]    = { "blkdev_list_lock", false, BOTTOM, { 0 } },
	[LC_LRU]            = { "lru_lock", false, BOTTOM, { 0 } },
	[LC_SWAP]           = { "swap_lock", false, BOTTOM, { 0 } },
	[LC_RQ]             = { "rq_lock", false, BOTTOM, { LC_TASKLIST, LC_WAITQUEUE, LC_MUTEX_WAIT } },
	[LC_CONSOLE]        = { "console_lock", false, ANYWHERE, { 0 } },
};

/* What a class is called in a report when it has no name of its own. */
static const char *const unnamed[LOCK_CLASSES] = {
	[LC_PAGE] = "page lock",
	[LC_KMEM_CACHE] = "kmem_cache.lock",
	[LC_MUTEX_WAIT] = "mutex.wait_lock",
};

bool lockcheck_enabled;
static bool lockcheck_warn_only;           /* lockcheck=warn: report and go on */
static uint64_t ancestors[LOCK_CLASSES];
static struct held_locks boot_held;        /* before the first task exists */

static const char *
class_name(enum lock_class c)
{
	return classes[c].name ? classes[c].name : unnamed[c];
}

static void
compute_ancestors(void)
{
	uint64_t top = 0;

	for (int c = LC_NAMESPACE; c < LOCK_CLASSES; c++)
		if (!(classes[c].flags & (BOTTOM | ANYWHERE)))
			top |= 1ull << c;
	/* parents come before their children in the table */
	for (int c = LC_NAMESPACE; c < LOCK_CLASSES; c++) {
		uint64_t a = 0;

		for (int i = 0; i < MAX_PARENTS && classes[c].parent[i]; i++)
			a |= 1ull << classes[c].parent[i] | ancestors[classes[c].parent[i]];
		if (classes[c].flags & BOTTOM)
			a |= top;
		if (classes[c].flags & ANYWHERE)
			a = ~(1ull << c);
		ancestors[c] = a;
	}
}

static int
parse_lockcheck(const char *val)
{
	if (strcmp(val, "1") && strcmp(val, "warn") && strcmp(val, "0"))
		return -1;
	compute_ancestors();
	lockcheck_warn_only = strcmp(val, "warn") == 0;
	lockcheck_enabled = strcmp(val, "0") != 0;
	return 0;
}
KERNEL_PARAM("lockcheck", parse_lockcheck,
	     "check the lock order of mm/LOCKING.md at run time: 1 (BUG), warn, 0");

enum lock_class
lockrank_class_of(const char *name, bool is_mutex)
{
	for (int c = LC_NAMESPACE; c < LOCK_CLASSES; c++)
		if (classes[c].name && classes[c].is_mutex == is_mutex &&
		    strcmp(classes[c].name, name) == 0)
			return c;
	return LOCK_CLASS_NONE;
}

bool
lockrank_allowed(enum lock_class outer, enum lock_class inner)
{
	if (!ancestors[LC_PIPE])
		compute_ancestors();
	return (ancestors[inner] >> outer) & 1;
}

static struct held_locks *
held_record(void)
{
	return current ? &current->held_locks : &boot_held;
}

static enum lock_class
resolve(uint8_t *class, const char *name, bool is_mutex)
{
	if (*class == LOCK_CLASS_UNRESOLVED)
		*class = lockrank_class_of(name, is_mutex);
	return *class;
}

/* Reports a broken rule: a BUG, or with lockcheck=warn a message and a
 * backtrace. The check is off while the report runs (it takes locks). */
static void __attribute__((format(printf, 1, 2)))
violation(const char *fmt, ...)
{
	char msg[VIOLATION_MAX];
	va_list ap;

	lockcheck_enabled = false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!lockcheck_warn_only)
		panic("%s", msg);
	printk(KERN_ERR "lockcheck: %s\n", msg);
	show_backtrace((uint32_t)__builtin_return_address(0), *(uint32_t *)read_ebp());
	lockcheck_enabled = true;
}

/* The first class of mask, to name in a report. */
static enum lock_class
first_class(uint64_t mask)
{
	return (enum lock_class)__builtin_ctzll(mask);
}

/* Whether taking a lock of class c at address lock is allowed now. */
static void
check_order(struct held_locks *h, enum lock_class c, const char *name, const void *lock)
{
	uint64_t bad = h->mask & ~ancestors[c] & ~(1ull << c);

	if (bad)
		violation("lock order violation: %s taken while holding %s (mm/LOCKING.md does not "
			  "put %s outside %s)", name, class_name(first_class(bad)),
			  class_name(first_class(bad)), class_name(c));
	if (!h->count[c])
		return;
	if (!(classes[c].flags & NEST_ASCENDING))
		violation("lock order violation: %s taken while holding another %s (two %s locks "
			  "never nest)", name, class_name(c), class_name(c));
	else if ((uintptr_t)lock <= h->top_address)
		violation("lock order violation: %s taken while holding a %s at a higher address "
			  "(%s locks nest in ascending address order only)", name, class_name(c),
			  class_name(c));
}

static void
record_acquire(struct held_locks *h, enum lock_class c, const void *lock)
{
	if (classes[c].flags & NEST_ASCENDING && (uintptr_t)lock > h->top_address)
		h->top_address = (uintptr_t)lock;
	h->count[c]++;
	h->mask |= 1ull << c;
}

/* Reclaim may not wait for a sleeping lock: its caller may hold it. */
static void
check_reclaim_wait(const struct held_locks *h, const char *name, bool is_mutex)
{
	if (h->in_reclaim && is_mutex)
		violation("reclaim waits for %s: it runs under its caller's locks and may only spin "
			  "or trylock", name);
}

void
lockrank_check(uint8_t *class, const char *name, bool is_mutex, const void *lock)
{
	enum lock_class c = resolve(class, name, is_mutex);

	check_reclaim_wait(held_record(), name, is_mutex);
	if (c != LOCK_CLASS_NONE)
		check_order(held_record(), c, name, lock);
}

void
lockrank_acquire(uint8_t *class, const char *name, bool is_mutex, const void *lock)
{
	uint32_t flags = local_irq_save();
	enum lock_class c = resolve(class, name, is_mutex);

	check_reclaim_wait(held_record(), name, is_mutex);
	if (c != LOCK_CLASS_NONE) {
		check_order(held_record(), c, name, lock);
		record_acquire(held_record(), c, lock);
	}
	local_irq_restore(flags);
}

void
__lockrank_reclaim_enter(struct held_locks *saved)
{
	struct held_locks *h = held_record();
	uint32_t flags = local_irq_save();

	*saved = *h;
	memset(h, 0, sizeof(*h));
	h->in_reclaim = true;
	local_irq_restore(flags);
}

void
__lockrank_reclaim_exit(const struct held_locks *saved)
{
	struct held_locks *h = held_record();
	uint32_t flags = local_irq_save();

	if (h->mask)
		violation("reclaim returns holding %s", class_name(first_class(h->mask)));
	*h = *saved;
	local_irq_restore(flags);
}

void
__lockrank_reclaim_io_begin(const struct held_locks *callers, struct held_locks *reclaims)
{
	struct held_locks *h = held_record();
	uint32_t flags = local_irq_save();

	*reclaims = *h;
	h->mask |= callers->mask;
	for (int c = 0; c < LOCK_CLASSES; c++)
		h->count[c] += callers->count[c];
	if (callers->top_address > h->top_address)
		h->top_address = callers->top_address;
	h->in_reclaim = false;
	local_irq_restore(flags);
}

void
__lockrank_reclaim_io_end(const struct held_locks *callers, const struct held_locks *reclaims)
{
	struct held_locks *h = held_record();
	uint32_t flags = local_irq_save();
	uint64_t taken = h->mask & ~(reclaims->mask | callers->mask);

	if (taken)
		violation("swap I/O in reclaim returns holding %s", class_name(first_class(taken)));
	*h = *reclaims;
	local_irq_restore(flags);
}

void
lockrank_trylock_acquired(uint8_t *class, const char *name, bool is_mutex, const void *lock)
{
	uint32_t flags = local_irq_save();
	enum lock_class c = resolve(class, name, is_mutex);

	if (c != LOCK_CLASS_NONE)
		record_acquire(held_record(), c, lock);
	local_irq_restore(flags);
}

void
lockrank_inherit(uint8_t *class, const char *name, bool is_mutex)
{
	lockrank_trylock_acquired(class, name, is_mutex, NULL);
}

void
lockrank_release(uint8_t *class, const char *name, bool is_mutex)
{
	uint32_t flags = local_irq_save();
	enum lock_class c = resolve(class, name, is_mutex);
	struct held_locks *h = held_record();

	if (c != LOCK_CLASS_NONE) {
		if (!h->count[c])
			violation("%s released, but the task holds no %s", name, class_name(c));
		else if (!--h->count[c]) {
			h->mask &= ~(1ull << c);
			if (classes[c].flags & NEST_ASCENDING)
				h->top_address = 0;
		}
	}
	local_irq_restore(flags);
}

unsigned
__lockrank_held(enum lock_class c)
{
	return held_record()->count[c];
}

void
lock_assert_failed(const char *what, const char *name, const char *file, int line,
		   const char *func)
{
	lockcheck_enabled = false;
	panic("lock assertion failed: %s %s at %s:%d (%s)", name, what, file, line, func);
}
