/*
 * kernel/task.h — a thread of execution: its kernel stack, saved context
 * and scheduling state. Processes (user space) will extend it.
 *
 * State and queues (all under the runqueue lock in sched.c):
 *
 *   TASK_RUNNING          running (== current) or runnable; a runnable task
 *                         other than current is on the run queue (on_rq).
 *   TASK_INTERRUPTIBLE    asleep until wake_up_process(); it sits on a
 *   TASK_UNINTERRUPTIBLE  wait queue or timer list, never on the run queue
 *                         (except when preempted just before sleeping).
 *   TASK_DEAD             exited; freed by the next context switch.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <libk/list.h>
#include <stdint.h>
#include <stdbool.h>

#define THREAD_ORDER  1                      /* 8 KiB kernel stacks */
#define THREAD_SIZE   (4096u << THREAD_ORDER)
#define STACK_MAGIC   0x57AC6E9Du            /* bottom word of every stack */
#define TASK_COMM_LEN 16

enum task_state {
	TASK_RUNNING,
	TASK_INTERRUPTIBLE,
	TASK_UNINTERRUPTIBLE,
	TASK_DEAD,
};

struct task {
	uint32_t kernel_esp;          /* saved by switch_to; must stay first */
	void *stack;                  /* THREAD_SIZE bytes, STACK_MAGIC at [0] */
	enum task_state state;
	bool on_rq;                   /* on the run queue */
	int tid;
	char comm[TASK_COMM_LEN];     /* name, for ps and oopses */
	unsigned timeslice;           /* ticks left before preemption */
	unsigned long wake_at;        /* jiffies at which a timed sleep ends */
	struct list_head run_list;    /* run queue link */
	struct list_head timer_list;  /* sleepers-with-timeout link */
	struct list_head all_list;    /* every task, for ps and debugging */
};

extern struct task *current;
#endif
