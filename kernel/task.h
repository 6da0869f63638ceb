/*
 * kernel/task.h — a thread of execution: its kernel stack, saved context
 * and scheduling state. A user process is a task whose process fields
 * (address space, files, family, signals) are set; a kernel thread leaves
 * them NULL. anvil processes have one thread each, so pid == tid.
 *
 * State and queues (all under the runqueue lock in sched.c):
 *
 *   TASK_RUNNING          running (== current) or runnable; a runnable task
 *                         other than current is on the run queue (on_rq).
 *   TASK_INTERRUPTIBLE    asleep until wake_up_process(); it sits on a
 *   TASK_UNINTERRUPTIBLE  wait queue or timer list, never on the run queue
 *                         (except when preempted just before sleeping).
 *   TASK_DEAD             exited; its stack is freed by the next context
 *                         switch, and its struct too unless it is a
 *                         process, whose parent frees it when it reaps it
 *                         (kernel/exit.c).
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <libk/list.h>
#include <kernel/lockrank.h>
#include <stdint.h>
#include <stdbool.h>

struct mm_struct;
struct files_struct;
struct fs_struct;
struct trapframe;
struct wait_queue_head;
struct signal_state;
struct thread_arch;

#define THREAD_ORDER  1                      /* 8 KiB kernel stacks */
#define THREAD_SIZE   (4096u << THREAD_ORDER)
#define STACK_MAGIC   0x57AC6E9Du            /* bottom word of every stack */
#define TASK_COMM_LEN 16

enum task_state {
	TASK_RUNNING,
	TASK_INTERRUPTIBLE,
	TASK_UNINTERRUPTIBLE,
	TASK_DEAD,
};

#define RLIM_NLIMITS 16
/* One resource limit as prlimit64 reports it (RLIM64_INFINITY: none). */
struct rlimit64 {
	uint64_t rlim_cur;            /* the limit enforced */
	uint64_t rlim_max;            /* how far rlim_cur may be raised */
};

struct task {
	uint32_t kernel_esp;          /* saved by switch_to; must stay first */
	void *stack;                  /* THREAD_SIZE bytes, STACK_MAGIC at [0] */
	enum task_state state;
	bool on_rq;                   /* on the run queue */
	int tid;
	char comm[TASK_COMM_LEN];     /* name, for ps and oopses */
	unsigned timeslice;           /* ticks left before preemption */
	unsigned long wake_at;        /* jiffies at which a timed sleep ends */
	struct list_head run_list;    /* run queue link */
	struct list_head timer_list;  /* sleepers-with-timeout link */
	struct list_head all_list;    /* on sched.c's all_tasks: every task, for a debugger */

	/* ---- user processes; NULL for kernel threads (kernel/proc.c) ---- */
	struct mm_struct *mm;         /* address space (mm/mm_types.h) */
	struct files_struct *files;   /* open file table (fs/file.h) */
	struct fs_struct *fs;         /* root and working directory (fs/fs_struct.h) */
	struct trapframe *user_regs;  /* user registers saved on entry to the kernel */

	/* ---- process family (kernel/proc.c, kernel/exit.c); under tasklist_lock ---- */
	int pid;                      /* == tid: anvil processes have one thread */
	int pgid;                     /* process group: kill(0, sig), waitpid(0), ^C */
	struct task *parent;          /* who wait4s for it; init adopts orphans */
	struct list_head children;    /* its children, by sibling */
	struct list_head sibling;     /* on parent->children */
	bool zombie;                  /* exited; kept until the parent reaps it */
	int exit_status;              /* wait status as Linux encodes it (valid if zombie) */
	struct wait_queue_head *child_wait;  /* where the parent sleeps in wait4 */
	uint32_t clear_child_tid;     /* set_tid_address */
	unsigned long child_events;   /* bumped when a child exits: wait4 sleeps on it */
	struct list_head process_link;/* on process_list, in pid order */
	char cmdline[256];            /* argv, NUL-separated, for /proc/PID/cmdline */
	unsigned cmdline_len;
	struct rlimit64 rlim[RLIM_NLIMITS]; /* getrlimit/setrlimit (kernel/resource.c) */

	/* ---- signals (kernel/signal.c) ---- */
	struct signal_state *signal;  /* handlers, pending and blocked sets */

	/* ---- architecture state (arch/x86/process.c) ---- */
	struct thread_arch *arch;     /* TLS descriptors, FPU registers */

	/* ---- lock classes held, for lockcheck=1 (kernel/lockrank.c) ---- */
	struct held_locks held_locks;

	/* ---- memory reclaim (mm/vmscan.c) ---- */
	bool memalloc;                /* reclaiming (kswapd always): its allocations
				       * do not reclaim again and may use the reserve */
};

extern struct task *current;
#endif
