/*
 * kernel/exit.c — a process's end: releasing what it holds, becoming a
 * zombie, telling its parent; and the parent's side, wait4.
 *
 *   do_exit:  drop mm (exit_mm), files and cwd -> under tasklist_lock: hand children
 *             to init, become a zombie, SIGCHLD + wake the parent -> switch
 *             away for good (the scheduler frees the kernel stack)
 *   wait4:    find a zombie child -> copy its status out -> release_task
 *             frees what is left (signal state, arch state, task struct)
 *
 * Locks: tasklist_lock (interrupts off). do_exit keeps interrupts off from
 * becoming a zombie to its final switch, so the parent cannot free the
 * task while it still runs on its stack.
 */
#include <kernel/exit.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <mm/mlock.h>
#include <arch/x86/process.h>
#include <kernel/preempt.h>
#include <arch/x86/irqflags.h>
#include <mm/mm.h>
#include <mm/pgtable.h>
#include <mm/paging.h>
#include <fs/file.h>
#include <fs/fs_struct.h>
#include <mm/slab.h>

#define WNOHANG    0x00000001
#define WUNTRACED  0x00000002
#define WCONTINUED 0x00000008
#define __WNOTHREAD 0x20000000
#define __WALL     0x40000000
#define __WCLONE   0x80000000
#define RUSAGE_BYTES 72                /* struct rusage on i386 */

/* Gives every child of t to init; wakes init if one is already a zombie. */
static void
reparent_children_locked(struct task *t)
{
	struct task *init = task_by_pid_locked(INIT_PID), *c, *tmp;
	bool zombie = false;

	list_for_each_entry_safe(c, tmp, &t->children, sibling) {
		list_del(&c->sibling);
		c->parent = init;
		list_add_tail(&c->sibling, &init->children);
		zombie |= c->zombie;
	}
	if (zombie) {
		init->child_events++;
		wake_up(init->child_wait);
	}
}

volatile enum exit_mm_test_point exit_mm_test_preempt_at;
volatile unsigned exit_mm_test_preemptions;

/* TEST ONLY (see exit.h): a timer preemption here, if one could happen. */
static void
exit_mm_test_preempt_point(enum exit_mm_test_point here)
{
	if (exit_mm_test_preempt_at != here || preempt_count != 0 || irqs_disabled())
		return;
	exit_mm_test_preemptions++;
	preempt_schedule_irq();
}

/*
 * A switch back to t loads t->mm's page directory (arch_prepare_switch), so
 * t->mm is cleared before CR3 leaves the directory, and the two happen with
 * preemption off: no switch can ever find them disagreeing. Only then may
 * mmput free the directory (pgd_free asserts it is not the loaded one).
 */
void
exit_mm(struct task *t)
{
	struct mm_struct *mm = t->mm;

	BUG_ON(t != current);
	if (!mm)
		return;
	munlock_mm(mm);                          /* its mlocked pages may go back to reclaim */
	preempt_disable();
	t->mm = NULL;
	exit_mm_test_preempt_point(EXIT_MM_BETWEEN_DETACH_STEPS);
	switch_pgd(swapper_pg_dir);
	preempt_enable();
	exit_mm_test_preempt_point(EXIT_MM_BEFORE_MMPUT);
	mmput(mm);
}

/* Drops the resources a zombie no longer needs. */
static void
exit_resources(struct task *t)
{
	exit_mm(t);
	if (t->files) {
		files_put(t->files);
		t->files = NULL;
	}
	if (t->fs) {
		fs_struct_put(t->fs);
		t->fs = NULL;
	}
}

static void
notify_parent_locked(struct task *t)
{
	struct task *p = t->parent;
	struct ksiginfo info = { .signo = SIGCHLD, .pid = t->pid };

	/* si_status is the exit code, or the signal that killed it. */
	if (t->exit_status & 0x7f) {
		info.code = CLD_KILLED;
		info.status = t->exit_status & 0x7f;
	} else {
		info.code = CLD_EXITED;
		info.status = (t->exit_status >> 8) & 0xff;
	}
	send_signal_info(p, &info);
	p->child_events++;
	wake_up(p->child_wait);
}

void
do_exit(int status)
{
	struct task *t = current;

	if (t->pid == INIT_PID)
		panic("init exited with status %#x", status);
	exit_resources(t);
	local_irq_disable();                  /* stays off until the final switch */
	spin_lock(&tasklist_lock);
	reparent_children_locked(t);
	t->exit_status = status;
	t->zombie = true;
	notify_parent_locked(t);
	spin_unlock(&tasklist_lock);
	task_exit_final();
}

/* Frees a reaped zombie, off every list. tasklist_lock not held: freeing
 * takes the allocator's locks, which mm/LOCKING.md does not put under it. */
static void
release_task(struct task *t)
{
	signal_state_free(t->signal);
	process_arch_free(t);
	kfree(t->child_wait);
	free_task_struct(t);
}

static bool
child_matches(const struct task *c, int pid, const struct task *parent)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == parent->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return true;
}

/* Looks for a zombie child matching pid: unlinks it into *reaped (for
 * release_task once the lock is dropped) and *status and returns its pid,
 * or 0 if matching children exist but none has exited, or -ECHILD.
 * tasklist_lock held. */
static int
reap_one_locked(int pid, int *status, struct task **reaped)
{
	struct task *c;
	bool any = false;

	list_for_each_entry(c, &current->children, sibling) {
		if (!child_matches(c, pid, current))
			continue;
		any = true;
		if (c->zombie) {
			int found = c->pid;

			BUG_ON(c->stack);         /* do_exit's switch has happened */
			*status = c->exit_status;
			list_del(&c->sibling);
			list_del(&c->process_link);
			*reaped = c;
			return found;
		}
	}
	return any ? 0 : -ECHILD;
}

static long
sys_wait4(int pid, int *ustatus, int options, void *urusage)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	for (;;) {
		unsigned long seen = current->child_events;
		int status = 0, found;
		struct task *reaped = NULL;
		uint32_t flags = spin_lock_irqsave(&tasklist_lock);

		found = reap_one_locked(pid, &status, &reaped);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (reaped)
			release_task(reaped);
		if (found > 0) {
			if (ustatus && put_user_u32(status, ustatus))
				return -EFAULT;
			if (urusage && clear_user(urusage, RUSAGE_BYTES))
				return -EFAULT;
			return found;
		}
		if (found < 0 || (options & WNOHANG))
			return found;
		if (wait_event_interruptible(*current->child_wait, current->child_events != seen))
			return -ERESTARTSYS;
	}
}
SYSCALL_DEFINE(wait4, sys_wait4);

static long
sys_waitpid(int pid, int *ustatus, int options)
{
	return sys_wait4(pid, ustatus, options, NULL);
}
SYSCALL_DEFINE(waitpid, sys_waitpid);

static long
sys_exit(int code)
{
	do_exit(EXIT_STATUS(code));
}
SYSCALL_DEFINE(exit, sys_exit);

static long
sys_exit_group(int code)
{
	do_exit(EXIT_STATUS(code));
}
SYSCALL_DEFINE(exit_group, sys_exit_group);
