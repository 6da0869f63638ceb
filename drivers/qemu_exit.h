/*
 * drivers/qemu_exit.h — QEMU's isa-debug-exit device (iobase 0xf4).
 * Writing v makes QEMU exit with status (v << 1) | 1, so the host runner
 * can tell a finished test boot from a crash (any other status).
 */
#ifndef DRIVERS_QEMU_EXIT_H
#define DRIVERS_QEMU_EXIT_H

enum qemu_exit_code {
	QEMU_EXIT_PASS = 0x10,    /* QEMU exits with 33 */
	QEMU_EXIT_FAIL = 0x11,    /* QEMU exits with 35 */
};

/* Leaves QEMU; on real hardware (no device) it returns and the caller halts. */
void qemu_exit(enum qemu_exit_code code);
#endif
