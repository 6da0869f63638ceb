/*
 * arch/x86/switch.S — the context switch, and the first instructions of
 * every new kernel thread.
 *
 * switch_to(prev, next) saves the callee-saved registers on prev's stack,
 * stores ESP in prev->kernel_esp (offset 0 of struct task), loads next's
 * ESP and pops next's registers. The `ret` then continues next wherever it
 * called switch_to — or, for a new thread, in thread_entry, because
 * arch_thread_setup() built its stack to look like this (top down):
 *
 *     arg                 argument of fn
 *     fn                  the thread function
 *     thread_entry        "return address" of switch_to
 *     ebp = 0             ends backtraces
 *     ebx, esi, edi = 0   <- kernel_esp
 */
#define TASK_KERNEL_ESP 0

	.text
	.globl switch_to, thread_entry
switch_to:
	movl 4(%esp), %eax           /* prev */
	movl 8(%esp), %edx           /* next */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, TASK_KERNEL_ESP(%eax)
	movl TASK_KERNEL_ESP(%edx), %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

thread_entry:
	call schedule_tail           /* drop the run-queue lock, irqs on */
	popl %eax                    /* fn; arg is now at (%esp) */
	call *%eax
	pushl %eax
	call kthread_exit            /* never returns */

/*
 * fork_return: where a forked child first runs (see arch_fork_setup).
 * ESP points at its user trap frame once the switch frame is popped.
 */
	.globl fork_return
fork_return:
	call schedule_tail
	jmp trap_return
