/*
 * kernel/mutex.h — a sleeping lock. Unlike a spinlock the holder may sleep
 * (allocate memory, wait for I/O); waiters sleep instead of spinning and
 * are handed the lock in FIFO order. Only the owner may unlock. Never take
 * a mutex in interrupt context or with a spinlock held (might_sleep checks).
 * With lockcheck=1 mutex_lock checks the order of mm/LOCKING.md
 * (kernel/lockrank.h); the mutex records its owner, so lockdep_assert_held
 * can ask whether the current task holds it.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <kernel/spinlock.h>
#include <kernel/task.h>
#include <libk/list.h>

struct mutex {
	spinlock_t wait_lock;        /* protects owner and waiters */
	struct task *owner;          /* NULL when free */
	struct list_head waiters;    /* of struct mutex_waiter, FIFO */
	const char *name;
	uint8_t lock_class;          /* enum lock_class; resolved from name when 0 */
};

#define MUTEX_INIT(n) { SPINLOCK_INIT_CLASS(n, LC_MUTEX_WAIT), NULL,         \
			LIST_HEAD_INIT((n).waiters), #n, LOCK_CLASS_UNRESOLVED }
#define DEFINE_MUTEX(n) struct mutex n = MUTEX_INIT(n)

void mutex_init(struct mutex *m, const char *name);
/* Sleeps until the lock is the caller's. => no spinlock held. */
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
/* => the caller owns m. */
void mutex_unlock(struct mutex *m);
static inline bool mutex_is_locked(const struct mutex *m) { return m->owner != NULL; }
/* Whether the current task owns m. */
static inline bool mutex_owned(const struct mutex *m) { return m->owner == current; }

static inline void __assert_mutex_owned(struct mutex *m, const char *file, int line, const char *func)
{
	if (__builtin_expect(m->owner != current, 0))
		lock_assert_failed("not held by the current task", m->name, file, line, func);
}

static inline void __assert_mutex_not_owned(struct mutex *m, const char *file, int line,
					    const char *func)
{
	if (__builtin_expect(m->owner == current, 0))
		lock_assert_failed("held by the current task", m->name, file, line, func);
}

/* BUG unless l is held: a spinlock_t * locked, a struct mutex * owned by
 * the current task (see kernel/lockrank.h). */
#define lockdep_assert_held(l)                                                 \
	_Generic((l), spinlock_t *: __assert_spin_locked,                      \
		      struct mutex *: __assert_mutex_owned)((l), __FILE__, __LINE__, __func__)
/* BUG if the current task owns mutex m. */
#define lockdep_assert_not_held(m) __assert_mutex_not_owned((m), __FILE__, __LINE__, __func__)
#endif
