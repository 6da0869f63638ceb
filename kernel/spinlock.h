/*
 * kernel/spinlock.h — spinlocks, uniprocessor edition.
 *
 * On one CPU a spinlock only has to keep the timer (and, with _irqsave,
 * every interrupt) from running other code that takes the same lock. So
 * spin_lock disables preemption and spin_lock_irqsave also disables
 * interrupts. The lock word is still kept: taking a lock that is already
 * held can only be a deadlock here, and it is reported as a BUG. The API
 * is the one SMP would need, so callers will not change if anvil grows a
 * second CPU.
 *
 * Rules: never sleep while holding a spinlock; a lock taken from interrupt
 * context must always be taken with _irqsave.
 *
 * With lockcheck=1 every acquire and release also goes through
 * kernel/lockrank.c, which checks the order of mm/LOCKING.md; the lock's
 * class is looked up from its name once and kept in lock_class. Off, the
 * check costs one load and one branch per acquire and release.
 *
 * Assertions: assert_spin_locked(l) (held by the current context: on one
 * CPU a holder runs with preemption off), assert_preemption_disabled()
 * and might_sleep(); a failure is a BUG.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <arch/x86/irqflags.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <kernel/lockrank.h>

typedef struct spinlock {
	volatile int locked;
	const char *name;
	uint8_t lock_class;          /* enum lock_class; resolved from name when 0 */
} spinlock_t;

#define SPINLOCK_INIT(n) { 0, #n, LOCK_CLASS_UNRESOLVED }
/* A lock whose class is not its name's (a wait queue's, a cache's). */
#define SPINLOCK_INIT_CLASS(n, cls) { 0, #n, cls }
#define DEFINE_SPINLOCK(n) spinlock_t n = SPINLOCK_INIT(n)

static inline void spin_lock_init_class(spinlock_t *l, const char *name, enum lock_class cls)
{
	l->locked = 0;
	l->name = name;
	l->lock_class = cls;
}

static inline void spin_lock_init(spinlock_t *l, const char *name)
{
	spin_lock_init_class(l, name, LOCK_CLASS_UNRESOLVED);
}

static inline void __spin_rank_acquire(spinlock_t *l)
{
	if (__builtin_expect(lockcheck_enabled, 0))
		lockrank_acquire(&l->lock_class, l->name, false, l);
}

static inline void __spin_rank_release(spinlock_t *l)
{
	if (__builtin_expect(lockcheck_enabled, 0))
		lockrank_release(&l->lock_class, l->name, false);
}

static inline void __spin_acquire(spinlock_t *l)
{
	if (__builtin_expect(l->locked, 0))
		panic("spinlock %s: recursive acquire (deadlock)", l->name);
	l->locked = 1;
}

static inline void __spin_release(spinlock_t *l)
{
	if (__builtin_expect(!l->locked, 0))
		panic("spinlock %s: released while not held", l->name);
	l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	__spin_rank_acquire(l);
	__spin_acquire(l);
}

static inline void spin_unlock(spinlock_t *l)
{
	__spin_release(l);
	__spin_rank_release(l);
	preempt_enable();
}

static inline uint32_t spin_lock_irqsave(spinlock_t *l)
{
	uint32_t flags = local_irq_save();

	preempt_disable();
	__spin_rank_acquire(l);
	__spin_acquire(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, uint32_t flags)
{
	__spin_release(l);
	__spin_rank_release(l);
	preempt_enable_no_resched();
	local_irq_restore(flags);
}

static inline int spin_is_locked(const spinlock_t *l) { return l->locked; }

static inline void __assert_spin_locked(spinlock_t *l, const char *file, int line, const char *func)
{
	if (__builtin_expect(!l->locked, 0))
		lock_assert_failed("not held", l->name, file, line, func);
}
#define assert_spin_locked(l) __assert_spin_locked((l), __FILE__, __LINE__, __func__)

/* A spinlock, or an irqs-off section, is held: the caller cannot be preempted. */
#define assert_preemption_disabled()                                           \
	do {                                                                   \
		if (__builtin_expect(!preempt_count && !irqs_disabled(), 0))   \
			lock_assert_failed("enabled (no spinlock held)", "preemption", \
					   __FILE__, __LINE__, __func__);      \
	} while (0)

/* The caller may sleep: it holds no spinlock. */
#define might_sleep()                                                          \
	do {                                                                   \
		if (__builtin_expect(preempt_count != 0, 0))                   \
			lock_assert_failed("disabled (a spinlock is held) where the code may sleep", \
					   "preemption", __FILE__, __LINE__, __func__); \
	} while (0)

#endif
