/*
 * kernel/wait.h — wait queues: sleeping until a condition becomes true.
 *
 *   wait_event(wq, cond)   sleeps until cond is true. cond is re-checked
 *                          after the task is on the queue and marked
 *                          asleep, so a wake_up() between the check and
 *                          the sleep is never lost.
 *   wake_up(wq)            makes every task waiting on wq runnable; each
 *                          re-checks its own condition.
 *
 * A completion is a wait queue plus a "done" count, for "wait until that
 * thread has finished".
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/spinlock.h>
#include <kernel/task.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <libk/list.h>
#include <kernel/errno.h>

struct wait_queue_head {
	spinlock_t lock;             /* protects waiters */
	struct list_head waiters;    /* of struct wait_entry */
};

struct wait_entry {
	struct task *task;
	struct list_head link;       /* on wait_queue_head.waiters, or empty */
};

#define WAIT_QUEUE_HEAD_INIT(n) { SPINLOCK_INIT_CLASS(n, LC_WAITQUEUE), LIST_HEAD_INIT((n).waiters) }
#define DEFINE_WAIT_QUEUE_HEAD(n) struct wait_queue_head n = WAIT_QUEUE_HEAD_INIT(n)

void init_waitqueue_head(struct wait_queue_head *wq);
void prepare_to_wait(struct wait_queue_head *wq, struct wait_entry *e, enum task_state state);
void finish_wait(struct wait_queue_head *wq, struct wait_entry *e);
void wake_up(struct wait_queue_head *wq);

#define wait_event(wq, cond)                                                   \
	do {                                                                   \
		struct wait_entry __we = { current, LIST_HEAD_INIT(__we.link) }; \
		for (;;) {                                                     \
			prepare_to_wait(&(wq), &__we, TASK_UNINTERRUPTIBLE);   \
			if (cond)                                              \
				break;                                         \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq), &__we);                                     \
	} while (0)

/*
 * wait_event_interruptible — like wait_event, but gives up when a signal
 * arrives: evaluates to 0 once cond holds, or -ERESTARTSYS.
 */
#define wait_event_interruptible(wq, cond)                                     \
	({                                                                     \
		int __ret = 0;                                                 \
		struct wait_entry __we = { current, LIST_HEAD_INIT(__we.link) }; \
		for (;;) {                                                     \
			prepare_to_wait(&(wq), &__we, TASK_INTERRUPTIBLE);     \
			if (cond)                                              \
				break;                                         \
			if (signal_pending(current)) {                         \
				__ret = -ERESTARTSYS;                          \
				break;                                         \
			}                                                      \
			schedule();                                            \
		}                                                              \
		finish_wait(&(wq), &__we);                                     \
		__ret;                                                         \
	})

struct completion {
	unsigned done;
	struct wait_queue_head wait;
};

void init_completion(struct completion *c);
/* Sleeps until complete() has been called (once per wait). */
void wait_for_completion(struct completion *c);
void complete(struct completion *c);
#endif
