/*
 * kernel/sched.h — the scheduler: preemptive round robin over kernel
 * threads, driven by the PIT. See kernel/sched.c.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/task.h>

#define DEFAULT_TIMESLICE 5            /* ticks */

extern volatile int need_resched;
extern volatile unsigned long jiffies;
extern unsigned hz;

#define time_after(a, b)     ((long)((b) - (a)) < 0)
#define time_after_eq(a, b)  ((long)((a) - (b)) >= 0)

/* Makes the boot thread the idle task and starts the timer. */
void sched_init(void);
/* Picks the next runnable task and switches to it. May not be called
 * with a spinlock held other than under the rules in sched.c. */
void schedule(void);
/* Called by trap() on the way out of an interrupt that set need_resched. */
void preempt_schedule_irq(void);
void yield(void);
/* Makes a sleeping task runnable; true if it was asleep. Any context. */
bool wake_up_process(struct task *t);
/* Sleeps (as TASK_UNINTERRUPTIBLE) for at least ticks timer ticks. */
void schedule_timeout(unsigned long ticks);
/* The same, in the state the caller already set (TASK_INTERRUPTIBLE: a
 * signal's wake_up_process ends the sleep early). */
void schedule_timeout_state(unsigned long ticks);
void msleep(unsigned ms);
/* The idle loop: what the boot thread does once init has started. */
void cpu_idle(void) __attribute__((noreturn));

/* A new task with a kernel stack, not yet runnable (fork fills it in). */
struct task *task_create(const char *name);
void wake_up_new_task(struct task *t);
/* Frees a task made by task_create that never ran (fork failed). */
void task_destroy_unstarted(struct task *t);
/* Frees a dead process's task struct (when its parent reaps it). */
void free_task_struct(struct task *t);
/* The last act of a task: marks it dead and switches away for good.
 * Interrupts go off here and stay off until the switch. */
void task_exit_final(void) __attribute__((noreturn));

/* Creates a kernel thread running fn(arg) and makes it runnable. */
struct task *kthread_run(int (*fn)(void *), void *arg, const char *name);
void kthread_exit(int code) __attribute__((noreturn));
/* Number of tasks that exist (running, sleeping or dead not yet freed). */
unsigned nr_tasks(void);

/* arch: switch stacks from prev to next (arch/x86/switch.S). */
void switch_to(struct task *prev, struct task *next);
/* arch: lay out a new thread's stack so switch_to "returns" into fn(arg). */
void arch_thread_setup(struct task *t, int (*fn)(void *), void *arg);
/* arch: called just before switching to next (sets the ring-0 stack). */
void arch_prepare_switch(struct task *next);
#endif
