/*
 * kernel/exit.h — ending a process and reaping it.
 *
 * A wait status is encoded as Linux does: an exit code c gives c << 8,
 * death by signal s gives s (no core dumps in anvil).
 */
#ifndef KERNEL_EXIT_H
#define KERNEL_EXIT_H

#define EXIT_STATUS(code)   (((code) & 0xff) << 8)
#define SIGNAL_STATUS(sig)  ((sig) & 0x7f)

/* Ends the current process with the given wait status. Never returns. */
void do_exit(int status) __attribute__((noreturn));
#endif
