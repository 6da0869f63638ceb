/*
 * kernel/proc.h — the process table (kernel/proc.c): every user process,
 * found by pid, with its parent and children.
 *
 * A process in anvil is a struct task (kernel/task.h) with an address
 * space (mm), open files and a parent; there are no multi-threaded
 * processes, so pid == tid. There are two ways into the table:
 *
 *   - procfs and ps read processes through the snapshot functions
 *     (proc_list_pids, proc_get_info, proc_get_mm), which take
 *     tasklist_lock themselves and return copies or references; they
 *     never walk the table;
 *   - fork, exit, wait and signal delivery change and walk the table
 *     itself (process_list, task_by_pid_locked) under tasklist_lock.
 *
 * Creating a process: kernel/fork.h; its CPU state: arch/x86/process.h;
 * signals: kernel/signal.h.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <kernel/task.h>
#include <kernel/spinlock.h>
#include <stddef.h>

#define PROC_CMDLINE_MAX 256
#define INIT_PID 1                         /* the first user process */

/* ---- snapshots, for procfs and ps ---- */

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

/* ---- the table itself, for fork, exit, wait and signal delivery ---- */

extern spinlock_t tasklist_lock;
extern struct list_head process_list;  /* every process, in pid order */

/* The process with this pid, or NULL; tasklist_lock held. */
struct task *task_by_pid_locked(int pid);

#endif
