/*
 * kernel/proc.h — processes as other subsystems see them.
 *
 * A process in anvil is a struct task (kernel/task.h) with an address
 * space (mm), open files and a parent; there are no multi-threaded
 * processes, so pid == tid. procfs and ps read processes through the
 * snapshot functions below and never walk the task list themselves.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <kernel/task.h>
#include <stddef.h>

#define PROC_CMDLINE_MAX 256
#define INIT_PID 1                         /* the first user process */

struct proc_info {
	int pid, ppid, pgid;
	char state;                        /* Linux letters: R S D Z */
	char comm[TASK_COMM_LEN];
	unsigned long vm_bytes;            /* total size of the address space */
	unsigned long rss_pages;           /* resident pages */
	char cmdline[PROC_CMDLINE_MAX];    /* NUL-separated arguments */
	size_t cmdline_len;
};

/* Fills pids[] with up to max live pids in increasing order; returns how many. */
int proc_list_pids(int *pids, int max);
/* Copies what is known of process pid; -ESRCH if there is none. */
int proc_get_info(int pid, struct proc_info *out);
struct mm_struct;
/* The address space of process pid with a user reference (mmget) that
 * the caller drops with mmput; NULL if there is no such process or it is
 * a zombie. Lets procfs read another process's memory map safely. */
struct mm_struct *proc_get_mm(int pid);

/* Sends sig from the kernel to every process of group pgid; 0 or -ESRCH. */
int kill_pgrp(int pgid, int sig);
/* Sends sig to t (kernel/signal.c); 0 or -errno. */
int send_signal(struct task *t, int sig);
/* True if t has an unblocked signal waiting: blocking calls should return
 * -ERESTARTSYS (seen by user space as EINTR). */
bool signal_pending(struct task *t);

#endif
