/*
 * arch/x86/trap.c — where every interrupt, exception and system call
 * lands (from isr.S), and the oops for exceptions the kernel did not
 * expect.
 *
 *   vector 0-31   exceptions: page faults go to do_page_fault(); any other
 *                 exception in kernel mode is a kernel bug: oops.
 *   vector 32-47  IRQs: the registered handler, then end-of-interrupt.
 *   vector 0x80   system call (user space, later).
 *
 * On the way out, if the timer asked for a reschedule and the interrupted
 * code is preemptible, the current thread yields the CPU here.
 */
#include <arch/x86/trap.h>
#include <arch/x86/pic.h>
#include <arch/x86/cpu.h>
#include <arch/x86/stacktrace.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/preempt.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <arch/x86/irqflags.h>

static irq_handler_t irq_handlers[IRQ_COUNT];

static const char *const exception_names[T_EXCEPTIONS] = {
	[T_DIVIDE] = "divide error",           [T_DEBUG] = "debug",
	[T_NMI] = "non-maskable interrupt",    [T_BRKPT] = "breakpoint",
	[T_OFLOW] = "overflow",                [T_BOUND] = "bound range exceeded",
	[T_ILLOP] = "invalid opcode",          [T_DEVICE] = "device not available",
	[T_DBLFLT] = "double fault",           [9] = "coprocessor segment overrun",
	[T_TSS] = "invalid TSS",               [T_SEGNP] = "segment not present",
	[T_STACK] = "stack-segment fault",     [T_GPFLT] = "general protection fault",
	[T_PGFLT] = "page fault",              [T_FPERR] = "x87 floating-point error",
	[T_ALIGN] = "alignment check",         [T_MCHK] = "machine check",
	[T_SIMDERR] = "SIMD floating-point exception", [20] = "virtualization exception",
	[21] = "control protection exception",
};

const char *
trap_name(unsigned vector)
{
	if (vector < T_EXCEPTIONS && exception_names[vector])
		return exception_names[vector];
	if (vector >= IRQ_BASE && vector < IRQ_BASE + IRQ_COUNT)
		return "IRQ";
	if (vector == T_SYSCALL)
		return "system call";
	return "reserved";
}

void
irq_register(unsigned irq, irq_handler_t handler)
{
	BUG_ON(irq >= IRQ_COUNT);
	irq_handlers[irq] = handler;
	pic_unmask(irq);
}

/* Prints every register of the frame (and CR2 for a page fault). */
static void
show_regs(const struct trapframe *tf)
{
	printk(KERN_EMERG "EIP: %04x:%08x EFLAGS: %08x  (%s mode)\n", tf->cs & 0xFFFF,
	       tf->eip, tf->eflags, trap_from_user(tf) ? "user" : "kernel");
	printk(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n",
	       tf->eax, tf->ebx, tf->ecx, tf->edx);
	printk(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", tf->esi, tf->edi,
	       tf->ebp, trap_from_user(tf) ? tf->user_esp : (uint32_t)&tf->user_esp);
	printk(KERN_EMERG "DS: %04x ES: %04x FS: %04x GS: %04x", tf->ds & 0xFFFF,
	       tf->es & 0xFFFF, tf->fs & 0xFFFF, tf->gs & 0xFFFF);
	if (trap_from_user(tf))
		printk(KERN_EMERG " SS: %04x", tf->user_ss & 0xFFFF);
	printk(KERN_EMERG "\nCR0: %08x CR2: %08x CR3: %08x CR4: %08x\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/*
 * die — report an exception the kernel cannot handle and stop.
 * Prints the exception's name, error code, CR2 for a page fault, all
 * registers and a symbolised backtrace starting at the faulting EIP.
 */
void
die(struct trapframe *tf)
{
	oops_begin();
	printk(KERN_EMERG "Oops: %s (vector %u), error code 0x%04x\n",
	       trap_name(tf->vector), tf->vector, tf->err);
	if (tf->vector == T_PGFLT)
		printk(KERN_EMERG "Page fault at address 0x%08x: %s, %s access, %s mode\n",
		       read_cr2(), tf->err & PF_PROT ? "protection violation" : "page not present",
		       tf->err & PF_INSTR ? "instruction fetch" : tf->err & PF_WRITE ? "write" : "read",
		       tf->err & PF_USER ? "user" : "kernel");
	show_regs(tf);
	show_backtrace(tf->eip, tf->ebp);
	oops_end();
}

static void
handle_irq(struct trapframe *tf)
{
	unsigned irq = tf->vector - IRQ_BASE;

	pic_eoi(irq);
	if (irq_handlers[irq])
		irq_handlers[irq](tf);
}

/* An exception raised by user code becomes a signal, as on Linux. */
static void
user_exception_signal(struct trapframe *tf)
{
	switch (tf->vector) {
	case T_DIVIDE:
		force_signal_fault(SIGFPE, FPE_INTDIV, tf->eip);
		break;
	case T_FPERR:
		force_signal_fault(SIGFPE, SI_KERNEL, tf->eip);
		break;
	case T_DEBUG:
	case T_BRKPT:
		force_signal_fault(SIGTRAP, SI_KERNEL, tf->eip);
		break;
	case T_ILLOP:
		force_signal_fault(SIGILL, ILL_ILLOPN, tf->eip);
		break;
	case T_ALIGN:
		force_signal_fault(SIGBUS, BUS_ADRERR, 0);
		break;
	default:                          /* #GP, #SS, #NP, #BR, #OF ... */
		force_signal_fault(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

/* Work due before going back to user mode: rescheduling, then signals. */
static void
exit_to_user_mode(struct trapframe *tf)
{
	while (need_resched || signal_pending(current)) {
		local_irq_enable();
		if (need_resched)
			schedule();
		else
			do_signal(tf);
		local_irq_disable();
	}
}

void
trap(struct trapframe *tf)
{
	if (tf->vector == T_SYSCALL) {           /* the hot path: int 0x80 from user mode */
		local_irq_enable();
		syscall_dispatch(tf);
		local_irq_disable();
		exit_to_user_mode(tf);
		return;
	}
	if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + IRQ_COUNT) {
		handle_irq(tf);
	} else {
		uint32_t cr2 = read_cr2();           /* before an interrupt can fault */

		if (tf->eflags & EFLAGS_IF)
			local_irq_enable();
		if (tf->vector == T_PGFLT)
			do_page_fault(tf, cr2);
		else if (trap_from_user(tf))
			user_exception_signal(tf);
		else if (!fixup_exception(tf))
			die(tf);
		local_irq_disable();
	}
	if (trap_from_user(tf))
		exit_to_user_mode(tf);
	else if (need_resched && preempt_count == 0 && (tf->eflags & EFLAGS_IF))
		preempt_schedule_irq();
}
