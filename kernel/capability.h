/*
 * kernel/capability.h — a process's capabilities (Linux's three sets,
 * effective, permitted and inheritable, 41 bits each), capable(), and
 * capget/capset.
 *
 * Every anvil process runs as uid 0 and starts with every capability; the
 * one way to lose some is capset(2), with Linux's rules (kernel/capability.c).
 * Checked today: CAP_IPC_LOCK (mlock and RLIMIT_MEMLOCK, mm/mlock.c) and
 * CAP_SYS_RESOURCE (raising a hard resource limit, kernel/resource.c).
 * Other privileged calls (reboot, swapon, mount) still let any process
 * through.
 *
 * Locks: a task's sets are changed only by itself (capset) and read by
 * itself, or copied by fork from the parent running it.
 */
#ifndef KERNEL_CAPABILITY_H
#define KERNEL_CAPABILITY_H

#include <kernel/task.h>
#include <stdint.h>
#include <stdbool.h>

/* Capability numbers (Linux's). */
#define CAP_SETPCAP       8
#define CAP_IPC_LOCK     14
#define CAP_SYS_RESOURCE 24
#define CAP_LAST_CAP     40              /* CAP_CHECKPOINT_RESTORE, Linux 5.9 to 6.18 */

#define CAP_TO_MASK(cap) (1ull << (cap))
#define CAP_FULL_SET     ((1ull << (CAP_LAST_CAP + 1)) - 1)

/* struct task_caps, the three sets, is in kernel/task.h (task->caps). */

/* True if the current process has cap in its effective set. */
bool capable(int cap);
/* A new task (kernel thread, or init before it becomes a process): every
 * capability, none inheritable, as Linux's init_cred. */
void caps_init(struct task *t);
/* execve by uid 0: as Linux for root without file capabilities, the
 * permitted and effective sets become the whole bounding set (every
 * capability: anvil's bounding set is never reduced). */
void caps_exec(struct task *t);

#endif
