/*
 * kernel/fork.c — fork (and vfork, which behaves as fork).
 *
 * The child gets a copy-on-write copy of the address space (dup_mm), the
 * parent's open files (sharing offsets), cwd, signal handlers and mask,
 * TLS and FPU state, and a copy of the parent's user registers with EAX 0.
 * It is linked into the process table before it can run.
 */
#include <kernel/fork.h>
#include <kernel/proc.h>
#include <kernel/resource.h>
#include <kernel/capability.h>
#include <kernel/signal.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <fs/file.h>
#include <fs/fs_struct.h>
#include <arch/x86/process.h>
#include <libk/string.h>

/* Child wait queue, signal state and arch state for a new process. */
static int
process_alloc_common(struct task *t)
{
	t->child_wait = kmalloc(sizeof(*t->child_wait), GFP_KERNEL);
	if (!t->child_wait)
		return -ENOMEM;
	init_waitqueue_head(t->child_wait);
	return 0;
}

/* Undoes a half-built child (nothing of it is visible yet). */
static void
fork_cleanup(struct task *c)
{
	if (c->mm)
		mmput(c->mm);
	if (c->files)
		files_put(c->files);
	if (c->fs)
		fs_struct_put(c->fs);
	if (c->signal)
		signal_state_free(c->signal);
	process_arch_free(c);
	kfree(c->child_wait);
	task_destroy_unstarted(c);
}

static int
copy_process_state(struct task *c, struct task *p)
{
	if (process_alloc_common(c))
		return -ENOMEM;
	c->mm = dup_mm(p->mm);
	c->files = files_dup(p->files);
	c->fs = fs_struct_dup(p->fs);
	c->signal = signal_state_dup(p->signal);
	if (!c->mm || !c->files || !c->fs || !c->signal || process_arch_dup(c, p))
		return -ENOMEM;
	c->pgid = p->pgid;
	memcpy(c->cmdline, p->cmdline, sizeof(c->cmdline));
	c->cmdline_len = p->cmdline_len;
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	c->caps = p->caps;
	c->oom_score_adj = p->oom_score_adj;
	return 0;
}

static long
do_fork(void)
{
	struct task *parent = current, *child = task_create(parent->comm);
	uint32_t flags;

	if (!child)
		return -ENOMEM;
	if (copy_process_state(child, parent)) {
		fork_cleanup(child);
		return -ENOMEM;
	}
	arch_fork_setup(child, current->user_regs);
	flags = spin_lock_irqsave(&tasklist_lock);
	child->parent = parent;
	list_add_tail(&child->sibling, &parent->children);
	list_add_tail(&child->process_link, &process_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	wake_up_new_task(child);
	return child->pid;
}

static long
sys_fork(void)
{
	return do_fork();
}
SYSCALL_DEFINE(fork, sys_fork);

static long
sys_vfork(void)
{
	return do_fork();
}
SYSCALL_DEFINE(vfork, sys_vfork);

int
process_init_current(void)
{
	struct task *t = current;
	uint32_t flags;

	if (process_alloc_common(t) || !(t->signal = signal_state_alloc()) || process_arch_alloc(t))
		return -ENOMEM;
	t->pid = t->tid;
	t->pgid = t->pid;
	rlimits_init(t);
	flags = spin_lock_irqsave(&tasklist_lock);
	list_add_tail(&t->process_link, &process_list);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}
