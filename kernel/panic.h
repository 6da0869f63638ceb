/*
 * kernel/panic.h — stopping the machine after a kernel bug.
 *
 * panic() and die() (an unexpected exception) both bracket their report
 * with oops_begin()/oops_end(). oops_end() then halts the CPU for good —
 * or, on a test boot (ktest= given), leaves QEMU with the failure code so
 * the host runner sees the failure at once instead of waiting for a
 * timeout. A fault while reporting an oops halts immediately.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

enum panic_action {
	PANIC_HALT,          /* cli; hlt forever: the default */
	PANIC_EXIT_QEMU,     /* test boots: isa-debug-exit with QEMU_EXIT_FAIL */
};

extern enum panic_action panic_action;

void oops_begin(void);
void oops_end(void) __attribute__((noreturn));
/* Stops the CPU with interrupts off. */
void halt_forever(void) __attribute__((noreturn));

#endif
