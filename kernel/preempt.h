/*
 * kernel/preempt.h — the preemption counter.
 *
 * The timer may switch threads when it interrupts code with
 * preempt_count == 0. Spinlocks raise it, so a thread is never preempted
 * while it holds one. anvil is uniprocessor and every context switch
 * happens with the count at exactly one (inside schedule()'s lock), so one
 * global counter describes the running thread; SMP would make it per CPU.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

extern volatile int preempt_count;

static inline void preempt_disable(void)
{
	preempt_count++;
	__asm__ volatile("" : : : "memory");
}

static inline void preempt_enable_no_resched(void)
{
	__asm__ volatile("" : : : "memory");
	preempt_count--;
}

/* Drops the count and, if it reached zero with a reschedule pending, yields. */
void preempt_enable(void);

#endif
