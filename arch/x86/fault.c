/*
 * arch/x86/fault.c — the page-fault entry. Reads CR2 and the error code
 * and decides whose fault it is. For now only the kernel runs, and a
 * kernel page fault is a bug: oops. User faults (demand paging,
 * copy-on-write, SIGSEGV) arrive with user space.
 */
#include <arch/x86/trap.h>
#include <kernel/panic.h>

void
do_page_fault(struct trapframe *tf)
{
	die(tf);
}
