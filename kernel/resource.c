/*
 * kernel/resource.c — resource limits: ugetrlimit, setrlimit and
 * prlimit64, with Linux's defaults, checks and errno values. (The old
 * getrlimit, 76, is not in musl's list and not offered.)
 *
 * Which limits anvil enforces: RLIMIT_STACK (the stack VMA's growth, read
 * at exec) and RLIMIT_MEMLOCK (mlock, mlockall, MAP_LOCKED and the growth
 * of a locked mapping, for a process without CAP_IPC_LOCK: mm/mlock.c).
 * The others are kept and reported faithfully. Raising a hard limit needs
 * CAP_SYS_RESOURCE (EPERM), as on Linux; lowering one is always allowed.
 *
 * Locks: a task's limits are changed only by itself (prlimit64 on another
 * pid reads or writes them under tasklist_lock; a uniprocessor store of
 * two words with interrupts off is atomic enough for readers).
 */
#include <kernel/resource.h>
#include <kernel/capability.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>

#define DEFAULT_STACK      (8ull << 20)
#define DEFAULT_MEMLOCK    (8ull << 20)
#define DEFAULT_NOFILE     1024
#define DEFAULT_NOFILE_MAX 4096
#define DEFAULT_MSGQUEUE   819200
#define DEFAULT_PENDING    3794          /* what Linux computes for a small machine */

struct rlimit32 {
	uint32_t rlim_cur, rlim_max;
};

void
rlimits_init(struct task *t)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		t->rlim[i] = (struct rlimit64){ RLIM64_INFINITY, RLIM64_INFINITY };
	t->rlim[RLIMIT_STACK].rlim_cur = DEFAULT_STACK;
	t->rlim[RLIMIT_CORE].rlim_cur = 0;
	t->rlim[RLIMIT_NOFILE] = (struct rlimit64){ DEFAULT_NOFILE, DEFAULT_NOFILE_MAX };
	t->rlim[RLIMIT_MEMLOCK] = (struct rlimit64){ DEFAULT_MEMLOCK, DEFAULT_MEMLOCK };
	t->rlim[RLIMIT_NPROC] = (struct rlimit64){ DEFAULT_PENDING, DEFAULT_PENDING };
	t->rlim[RLIMIT_SIGPENDING] = (struct rlimit64){ DEFAULT_PENDING, DEFAULT_PENDING };
	t->rlim[RLIMIT_MSGQUEUE] = (struct rlimit64){ DEFAULT_MSGQUEUE, DEFAULT_MSGQUEUE };
	t->rlim[RLIMIT_NICE] = (struct rlimit64){ 0, 0 };
	t->rlim[RLIMIT_RTPRIO] = (struct rlimit64){ 0, 0 };
}

uint64_t
rlimit(int resource)
{
	return current->rlim[resource].rlim_cur;
}

/* Reads and/or replaces a limit of task t; 0 or -errno. */
static int
do_prlimit(struct task *t, int resource, const struct rlimit64 *new, struct rlimit64 *old)
{
	if ((unsigned)resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new && resource == RLIMIT_NOFILE && new->rlim_max > 1048576)
		return -EPERM;                   /* fs.nr_open */
	if (new && new->rlim_max > t->rlim[resource].rlim_max && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	if (old)
		*old = t->rlim[resource];
	if (new)
		t->rlim[resource] = *new;
	return 0;
}

static long
sys_prlimit64(int pid, int resource, const struct rlimit64 *unew, struct rlimit64 *uold)
{
	struct rlimit64 new, old;
	struct task *t = current;
	uint32_t flags;
	int err;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	flags = spin_lock_irqsave(&tasklist_lock);
	if (pid && pid != current->pid)
		t = task_by_pid_locked(pid);
	err = t ? do_prlimit(t, resource, unew ? &new : NULL, uold ? &old : NULL) : -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}
SYSCALL_DEFINE(prlimit64, sys_prlimit64);

/* A 64-bit limit in the 32-bit struct: infinity and anything larger than
 * 32 bits read as RLIM_INFINITY (~0). */
static uint32_t
limit32(uint64_t v)
{
	return v > 0xffffffffull ? 0xffffffffu : (uint32_t)v;
}

static uint64_t
limit64(uint32_t v)
{
	return v == 0xffffffffu ? RLIM64_INFINITY : v;
}

static long
sys_ugetrlimit(int resource, struct rlimit32 *ulim)
{
	struct rlimit64 old;
	struct rlimit32 r;
	int err = (unsigned)resource < RLIM_NLIMITS ? do_prlimit(current, resource, NULL, &old) : -EINVAL;

	if (err)
		return err;
	r = (struct rlimit32){ limit32(old.rlim_cur), limit32(old.rlim_max) };
	return copy_to_user(ulim, &r, sizeof(r)) ? -EFAULT : 0;
}
SYSCALL_DEFINE(ugetrlimit, sys_ugetrlimit);

static long
sys_setrlimit(int resource, const struct rlimit32 *ulim)
{
	struct rlimit32 r;
	struct rlimit64 new;

	if (copy_from_user(&r, ulim, sizeof(r)))
		return -EFAULT;
	new = (struct rlimit64){ limit64(r.rlim_cur), limit64(r.rlim_max) };
	return do_prlimit(current, resource, &new, NULL);
}
SYSCALL_DEFINE(setrlimit, sys_setrlimit);
