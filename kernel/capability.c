/*
 * kernel/capability.c — capable(), and capget/capset with Linux's
 * checks and errno values (kernel/capability.h says what they are for).
 *
 * The user ABI: a header { version, pid } and one (version 1) or two
 * (versions 2 and 3) { effective, permitted, inheritable } words of 32
 * bits, the low word first. An unknown version is EINVAL, and the kernel
 * writes the version it prefers (3) into the header, as Linux does so
 * that libcap can probe it. capset may change only the caller (pid 0 or
 * its own: else EPERM) and only as Linux's cap_capset allows: the new
 * permitted set within the old, the new effective within the new
 * permitted, and, without CAP_SETPCAP, the new inheritable within the old
 * inheritable and permitted (EPERM otherwise).
 *
 * Locks: none (a task changes only its own sets).
 */
#include <kernel/capability.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/spinlock.h>

#define LINUX_CAPABILITY_VERSION_1 0x19980330u
#define LINUX_CAPABILITY_VERSION_2 0x20071026u
#define LINUX_CAPABILITY_VERSION_3 0x20080522u
#define CAP_U32S_MAX 2

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

bool
capable(int cap)
{
	return current->caps.effective & CAP_TO_MASK(cap);
}

void
caps_init(struct task *t)
{
	t->caps = (struct task_caps){ CAP_FULL_SET, CAP_FULL_SET, 0 };
}

void
caps_exec(struct task *t)
{
	t->caps.permitted = CAP_FULL_SET;
	t->caps.effective = CAP_FULL_SET;
}

/* How many 32-bit words of each set the header's version carries;
 * -EINVAL (after writing the preferred version back) or -EFAULT. */
static int
cap_words(struct cap_header *uheader)
{
	uint32_t version, preferred = LINUX_CAPABILITY_VERSION_3;

	if (copy_from_user(&version, &uheader->version, sizeof(version)))
		return -EFAULT;
	if (version == LINUX_CAPABILITY_VERSION_1)
		return 1;
	if (version == LINUX_CAPABILITY_VERSION_2 || version == LINUX_CAPABILITY_VERSION_3)
		return 2;
	if (copy_to_user(&uheader->version, &preferred, sizeof(preferred)))
		return -EFAULT;
	return -EINVAL;
}

/* The sets of the process pid (0: the caller); -ESRCH if there is none. */
static int
caps_of(int pid, struct task_caps *out)
{
	struct task *t = current;
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);

	if (pid && pid != current->pid)
		t = task_by_pid_locked(pid);
	if (t)
		*out = t->caps;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t ? 0 : -ESRCH;
}

static long
sys_capget(struct cap_header *uheader, struct cap_data *udata)
{
	struct cap_data data[CAP_U32S_MAX];
	struct task_caps caps;
	int words = cap_words(uheader), pid, err;

	if (!udata)                              /* a probe of the version */
		return words == -EFAULT ? -EFAULT : 0;
	if (words < 0)
		return words;
	if (copy_from_user(&pid, &uheader->pid, sizeof(pid)))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	err = caps_of(pid, &caps);
	if (err)
		return err;
	for (int i = 0; i < words; i++)
		data[i] = (struct cap_data){ (uint32_t)(caps.effective >> (32 * i)),
					     (uint32_t)(caps.permitted >> (32 * i)),
					     (uint32_t)(caps.inheritable >> (32 * i)) };
	return copy_to_user(udata, data, words * sizeof(data[0])) ? -EFAULT : 0;
}
SYSCALL_DEFINE(capget, sys_capget);

static bool
cap_subset(uint64_t a, uint64_t b)
{
	return !(a & ~b);
}

static long
sys_capset(struct cap_header *uheader, const struct cap_data *udata)
{
	struct cap_data data[CAP_U32S_MAX] = { 0 };
	struct task_caps new = { 0 }, *old = &current->caps;
	int words = cap_words(uheader), pid;

	if (words < 0)
		return words;
	if (copy_from_user(&pid, &uheader->pid, sizeof(pid)))
		return -EFAULT;
	if (pid != 0 && pid != current->pid)
		return -EPERM;
	if (copy_from_user(data, udata, words * sizeof(data[0])))
		return -EFAULT;
	for (int i = 0; i < words; i++) {
		new.effective |= (uint64_t)data[i].effective << (32 * i);
		new.permitted |= (uint64_t)data[i].permitted << (32 * i);
		new.inheritable |= (uint64_t)data[i].inheritable << (32 * i);
	}
	new.effective &= CAP_FULL_SET;
	new.permitted &= CAP_FULL_SET;
	new.inheritable &= CAP_FULL_SET;
	if (!capable(CAP_SETPCAP) && !cap_subset(new.inheritable, old->inheritable | old->permitted))
		return -EPERM;
	if (!cap_subset(new.permitted, old->permitted) || !cap_subset(new.effective, new.permitted))
		return -EPERM;
	*old = new;
	return 0;
}
SYSCALL_DEFINE(capset, sys_capset);
