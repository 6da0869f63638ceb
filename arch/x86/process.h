/*
 * arch/x86/process.h — what a process needs from the CPU beyond its page
 * tables (arch/x86/process.c): TLS descriptors, x87 FPU registers, the
 * user trap frame, and the way into user mode. kernel/fork.c, exec.c,
 * exit.c and init.c call these at the matching points of a process's life.
 */
#ifndef ARCH_X86_PROCESS_H
#define ARCH_X86_PROCESS_H

#include <kernel/task.h>
#include <arch/x86/trap.h>

/* The user trap frame at the top of t's kernel stack. */
static inline struct trapframe *task_user_regs(struct task *t)
{
	return (struct trapframe *)((char *)t->stack + THREAD_SIZE) - 1;
}

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
