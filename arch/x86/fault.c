/*
 * arch/x86/fault.c — the page-fault entry: whose fault is it?
 *
 *   user address, process context -> handle_mm_fault (demand paging, COW,
 *       stack growth), for user code and for the kernel's uaccess routines
 *       alike; if it cannot be resolved:
 *         user mode   -> SIGSEGV (SEGV_MAPERR / SEGV_ACCERR) or SIGBUS;
 *                        out of memory: pagefault_out_of_memory (the OOM
 *                        killer, mm/oom_kill.c), then the fault is retried
 *         kernel mode -> the uaccess fixup returns -EFAULT (out of memory
 *                        too, as on Linux)
 *   user address from kernel mode where sleeping is not allowed
 *       (preemption disabled, a spinlock held, interrupts off) -> never
 *       mmap_lock (a mutex): straight to the fixup (-EFAULT), else oops
 *   kernel address from user mode  -> SIGSEGV, SEGV_MAPERR (as Linux)
 *   kernel address from kernel mode -> exception fixup, else oops
 */
#include <arch/x86/trap.h>
#include <kernel/panic.h>
#include <kernel/signal.h>
#include <kernel/exit.h>
#include <kernel/uaccess.h>
#include <kernel/printk.h>
#include <mm/memory.h>
#include <mm/oom_kill.h>
#include <mm/mm_types.h>
#include <kernel/task.h>
#include <kernel/preempt.h>
#include <arch/x86/cpu.h>

/* A user-mode fault handle_mm_fault could not resolve: the signal it
 * deserves, or, out of memory, the OOM killer and a retry. */
static void
user_fault_failed(enum fault_result r, uint32_t addr)
{
	switch (r) {
	case FAULT_BAD_ACCESS:
		force_signal_fault(SIGSEGV, SEGV_ACCERR, addr);
		break;
	case FAULT_SIGBUS:
		force_signal_fault(SIGBUS, BUS_ADRERR, addr);
		break;
	case FAULT_OOM:
		pagefault_out_of_memory();   /* returning retries the instruction */
		break;
	default:
		force_signal_fault(SIGSEGV, SEGV_MAPERR, addr);
		break;
	}
}

/* Linux's faulthandler_disabled(): the kernel was interrupted where it may
 * not sleep, so the fault may not take mmap_lock to resolve the address. */
static bool
faulthandler_disabled(const struct trapframe *tf)
{
	return preempt_count != 0 || !(tf->eflags & EFLAGS_IF);
}

void
do_page_fault(struct trapframe *tf, uint32_t cr2)
{
	bool user = trap_from_user(tf);
	enum fault_result r = FAULT_BAD_ADDRESS;
	struct mm_struct *mm = current->mm;

	if (cr2 < USER_TOP && mm && (user || !faulthandler_disabled(tf))) {
		mutex_lock(&mm->mmap_lock);
		r = handle_mm_fault(mm, cr2, (tf->err & PF_WRITE) ? FAULT_WRITE : FAULT_READ);
		mutex_unlock(&mm->mmap_lock);
		if (r == FAULT_HANDLED)
			return;
	}
	if (user)
		user_fault_failed(r, cr2);
	else if (!fixup_exception(tf))
		die(tf);
}
