/*
 * arch/x86/thread.c — the architecture's part of creating and switching
 * threads: the initial stack frame (see switch.S) and the TSS stack.
 */
#include <kernel/sched.h>
#include <arch/x86/segments.h>
#include <arch/x86/trap.h>

extern char thread_entry[];

void
arch_thread_setup(struct task *t, int (*fn)(void *), void *arg)
{
	/* Leave room for a user trap frame at the top: a kernel thread that
	 * becomes a process (init) builds one there without clobbering the
	 * frames of its own call chain. */
	uint32_t *sp = (uint32_t *)((char *)t->stack + THREAD_SIZE - sizeof(struct trapframe));

	*--sp = (uint32_t)arg;
	*--sp = (uint32_t)fn;
	*--sp = (uint32_t)thread_entry;
	*--sp = 0;                   /* ebp */
	*--sp = 0;                   /* ebx */
	*--sp = 0;                   /* esi */
	*--sp = 0;                   /* edi */
	t->kernel_esp = (uint32_t)sp;
}
