/*
 * kernel/process.h — creating processes: fork, and the first process.
 * The architecture supplies the parts that know about registers.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <kernel/task.h>
#include <arch/x86/trap.h>

/* The user trap frame at the top of t's kernel stack. */
static inline struct trapframe *task_user_regs(struct task *t)
{
	return (struct trapframe *)((char *)t->stack + THREAD_SIZE) - 1;
}

/* Gives a kernel thread what a process needs (signal state, arch state,
 * child wait queue), making it the first process, pid 1, if pid1. */
int process_init_current(void);

/* arch: per-process state (TLS slots, FPU registers). */
int process_arch_alloc(struct task *t);
int process_arch_dup(struct task *child, struct task *parent);
void process_arch_free(struct task *t);
/* arch: exec starts with a clean FPU and no TLS. */
void process_arch_reset(struct task *t);
/* arch: the child of fork returns to user mode with regs, EAX = 0. */
void arch_fork_setup(struct task *child, const struct trapframe *regs);
/* arch: leaves the kernel for user mode with the frame at the top of the stack. */
void arch_enter_user(void) __attribute__((noreturn));
#endif
