/*
 * kernel/fork.h — creating processes (kernel/fork.c): fork and vfork are
 * system calls; the first process is made here from a kernel thread.
 */
#ifndef KERNEL_FORK_H
#define KERNEL_FORK_H

/* Makes the current kernel thread a process: signal state, arch state,
 * child wait queue and limits, pid = its tid, on the process list
 * (kernel/init.c does so for the first one, pid 1). 0 or -ENOMEM. */
int process_init_current(void);

#endif
