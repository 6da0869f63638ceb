/*
 * kernel/proc.c — the process table: pids, parents and children, lookup.
 *
 * Every user process is on process_list and on its parent's children
 * list. tasklist_lock (a spinlock taken with interrupts off) protects both
 * lists, every task's parent, children, sibling and zombie fields, and
 * keeps a task found by pid from being freed while the lock is held.
 * procfs reads processes only through the copies made here (proc_get_info)
 * and the mm references handed out by proc_get_mm.
 * Lock order: tasklist_lock, then the scheduler's rq_lock.
 */
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/errno.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <libk/string.h>

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(process_list);

struct task *
task_by_pid_locked(int pid)
{
	struct task *t;

	list_for_each_entry(t, &process_list, process_link)
		if (t->pid == pid)
			return t;
	return NULL;
}

int
proc_list_pids(int *pids, int max)
{
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t;
	int n = 0;

	/* process_list is kept in pid order (pids only grow) */
	list_for_each_entry(t, &process_list, process_link)
		if (n < max)
			pids[n++] = t->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

static char
state_letter(const struct task *t)
{
	if (t->zombie)
		return 'Z';
	switch (t->state) {
	case TASK_RUNNING:         return 'R';
	case TASK_INTERRUPTIBLE:   return 'S';
	case TASK_UNINTERRUPTIBLE: return 'D';
	default:                   return 'X';
	}
}

int
proc_get_info(int pid, struct proc_info *out)
{
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = task_by_pid_locked(pid);

	if (!t) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -ESRCH;
	}
	memset(out, 0, sizeof(*out));
	out->pid = t->pid;
	out->ppid = t->parent ? t->parent->pid : 0;
	out->pgid = t->pgid;
	out->state = state_letter(t);
	memcpy(out->comm, t->comm, sizeof(out->comm));
	if (t->mm) {
		out->vm_bytes = t->mm->total_vm << PAGE_SHIFT;
		out->rss_pages = t->mm->rss;
	}
	memcpy(out->cmdline, t->cmdline, t->cmdline_len);
	out->cmdline_len = t->cmdline_len;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

/* The task's mm cannot be dropped while tasklist_lock is held: exit and
 * exec clear or replace t->mm before their mmput, and with interrupts off
 * neither can run between our read of t->mm and mmget. */
struct mm_struct *
proc_get_mm(int pid)
{
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = task_by_pid_locked(pid);
	struct mm_struct *mm = NULL;

	if (t && !t->zombie && t->mm) {
		mm = t->mm;
		mmget(mm);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return mm;
}
