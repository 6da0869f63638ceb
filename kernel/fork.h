/*
 * kernel/fork.h — creating processes (kernel/fork.c): fork and vfork are
 * system calls; the first process is made here from a kernel thread.
 */
#ifndef KERNEL_FORK_H
#define KERNEL_FORK_H

/* Gives a kernel thread what a process needs (signal state, arch state,
 * child wait queue), making it the first process, pid 1, if pid1. */
int process_init_current(void);

#endif
