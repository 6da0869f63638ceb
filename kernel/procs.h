/*
 * kernel/procs.h — the process table's internals, for fork, exit, wait
 * and signal delivery (others use kernel/proc.h).
 */
#ifndef KERNEL_PROCS_H
#define KERNEL_PROCS_H

#include <kernel/task.h>
#include <kernel/spinlock.h>

extern spinlock_t tasklist_lock;
extern struct list_head process_list;

/* The process with this pid, or NULL; tasklist_lock held. */
struct task *task_by_pid_locked(int pid);
#endif
