/* kernel/init.h — the first user process (see init.c). */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

/* Turns the calling kernel thread into process 1 running init. */
void start_init_process(void) __attribute__((noreturn));
#endif
