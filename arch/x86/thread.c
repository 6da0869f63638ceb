/*
 * arch/x86/thread.c — the architecture's part of creating and switching
 * threads: the initial stack frame (see switch.S) and the TSS stack.
 */
#include <kernel/sched.h>
#include <arch/x86/segments.h>

extern char thread_entry[];

void
arch_thread_setup(struct task *t, int (*fn)(void *), void *arg)
{
	uint32_t *sp = (uint32_t *)((char *)t->stack + THREAD_SIZE);

	*--sp = (uint32_t)arg;
	*--sp = (uint32_t)fn;
	*--sp = (uint32_t)thread_entry;
	*--sp = 0;                   /* ebp */
	*--sp = 0;                   /* ebx */
	*--sp = 0;                   /* esi */
	*--sp = 0;                   /* edi */
	t->kernel_esp = (uint32_t)sp;
}

void
arch_prepare_switch(struct task *next)
{
	tss_set_kernel_stack((uint32_t)next->stack + THREAD_SIZE);
}
