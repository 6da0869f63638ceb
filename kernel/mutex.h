/*
 * kernel/mutex.h — a sleeping lock. Unlike a spinlock the holder may sleep
 * (allocate memory, wait for I/O); waiters sleep instead of spinning and
 * are handed the lock in FIFO order. Only the owner may unlock. Never take
 * a mutex in interrupt context or with a spinlock held.
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
};

#define MUTEX_INIT(n) { SPINLOCK_INIT(n), NULL, LIST_HEAD_INIT((n).waiters), #n }
#define DEFINE_MUTEX(n) struct mutex n = MUTEX_INIT(n)

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
static inline bool mutex_is_locked(const struct mutex *m) { return m->owner != NULL; }
#endif
