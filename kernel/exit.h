/*
 * kernel/exit.h — ending a process and reaping it.
 *
 * A wait status is encoded as Linux does: an exit code c gives c << 8,
 * death by signal s gives s (no core dumps in anvil).
 */
#ifndef KERNEL_EXIT_H
#define KERNEL_EXIT_H

#define EXIT_STATUS(code)   (((code) & 0xff) << 8)
#define SIGNAL_STATUS(sig)  ((sig) & 0x7f)

/* Ends the current process with the given wait status. Never returns. */
void do_exit(int status) __attribute__((noreturn));

struct task;
/* Drops t's address space (t == current: a process, or a kernel thread that
 * was given one); t then runs on swapper_pg_dir with t->mm NULL. May sleep. */
void exit_mm(struct task *t);

/*
 * TEST ONLY — the ktest exit_mm_preempted_midway sets exit_mm_test_preempt_at
 * to one of the points below: exit_mm then calls the scheduler at that point
 * if a timer interrupt could preempt it there (preemption and interrupts
 * enabled), exactly as the tick would with need_resched set, and counts the
 * switch in exit_mm_test_preemptions. EXIT_MM_NO_TEST_POINT (0) otherwise.
 * One point per run: a second switch would reload CR3 from the task's
 * state and hide what a switch at the first point did.
 */
enum exit_mm_test_point {
	EXIT_MM_NO_TEST_POINT,
	EXIT_MM_BETWEEN_DETACH_STEPS,    /* between clearing t->mm and leaving its pgd */
	EXIT_MM_BEFORE_MMPUT,            /* detached, the mm not yet dropped */
	EXIT_MM_TEST_POINTS,
};
extern volatile enum exit_mm_test_point exit_mm_test_preempt_at;
extern volatile unsigned exit_mm_test_preemptions;
#endif
