/*
 * kernel/lockrank.h — lock assertions. A failure is a BUG, an oops with a
 * backtrace, through lock_assert_failed:
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
 */
#ifndef KERNEL_LOCKRANK_H
#define KERNEL_LOCKRANK_H

/* An assertion failed: BUG naming the lock and the caller. */
void lock_assert_failed(const char *what, const char *name, const char *file, int line,
			const char *func) __attribute__((noreturn));

#endif
