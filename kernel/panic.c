/*
 * kernel/panic.c — panic(), and the common ending of every oops.
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <arch/x86/cpu.h>
#include <arch/x86/irqflags.h>
#include <arch/x86/stacktrace.h>
#include <drivers/qemu_exit.h>
#include <drivers/serial.h>

enum panic_action panic_action = PANIC_HALT;
static int oops_depth;

void
halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void
oops_begin(void)
{
	local_irq_disable();
	if (oops_depth++) {
		/* A fault while printing the first report: say so and stop. */
		serial_write("\nnested oops: halting\n", 22);
		if (panic_action == PANIC_EXIT_QEMU)
			qemu_exit(QEMU_EXIT_FAIL);
		halt_forever();
	}
	console_break_lock();
	printk(KERN_EMERG "------------[ cut here ]------------\n");
}

void
oops_end(void)
{
	printk(KERN_EMERG "---[ end trace: system halted ]---\n");
	if (panic_action == PANIC_EXIT_QEMU)
		qemu_exit(QEMU_EXIT_FAIL);
	halt_forever();
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	oops_begin();
	printk(KERN_EMERG "Kernel panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "\n");
	/* start at panic's caller: its return address, then its caller's frame */
	show_backtrace((uint32_t)__builtin_return_address(0), *(uint32_t *)read_ebp());
	oops_end();
}
