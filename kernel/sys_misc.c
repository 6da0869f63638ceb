/*
 * kernel/sys_misc.c — the small system calls: identity (getpid and
 * friends), uname, sysinfo, kill/tkill/tgkill, sched_yield,
 * set_tid_address, reboot.
 */
#include <kernel/syscall.h>
#include <fs/vfs.h>
#include <kernel/proc.h>
#include <kernel/signal.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/swapfile.h>
#include <drivers/qemu_exit.h>
#include <libk/string.h>

#define UTS_LEN 65
#define ANVIL_SYSNAME "anvil"
#define ANVIL_RELEASE "0.3.0"
#define ANVIL_MACHINE "i686"

static long sys_getpid(void)  { return current->pid; }
static long sys_gettid(void)  { return current->tid; }
static long sys_getuid(void)  { return 0; }
SYSCALL_DEFINE(getpid, sys_getpid);
SYSCALL_DEFINE(gettid, sys_gettid);
SYSCALL_DEFINE(getuid, sys_getuid);
SYSCALL_DEFINE(getuid32, sys_getuid);
SYSCALL_DEFINE(geteuid, sys_getuid);
SYSCALL_DEFINE(geteuid32, sys_getuid);
SYSCALL_DEFINE(getgid, sys_getuid);
SYSCALL_DEFINE(getgid32, sys_getuid);
SYSCALL_DEFINE(getegid, sys_getuid);
SYSCALL_DEFINE(getegid32, sys_getuid);

/* Without tasklist_lock: the parent pointer is read in one load, and with
 * preemption off (one CPU) the parent cannot be reaped and freed before
 * its pid is read. */
static long
sys_getppid(void)
{
	struct task *parent;
	int ppid;

	preempt_disable();
	parent = current->parent;
	ppid = parent ? parent->pid : 0;
	preempt_enable();
	return ppid;
}
SYSCALL_DEFINE(getppid, sys_getppid);

static long
sys_getpgid(int pid)
{
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = pid ? task_by_pid_locked(pid) : current;
	long ret = t ? t->pgid : -ESRCH;

	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}
SYSCALL_DEFINE(getpgid, sys_getpgid);

static long
sys_getpgrp(void)
{
	return current->pgid;
}
SYSCALL_DEFINE(getpgrp, sys_getpgrp);

static long
sys_setpgid(int pid, int pgid)
{
	uint32_t flags;
	struct task *t;
	long ret = 0;

	if (pgid < 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	t = pid ? task_by_pid_locked(pid) : current;
	if (!t || (t != current && t->parent != current))
		ret = -ESRCH;
	else
		t->pgid = pgid ? pgid : t->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}
SYSCALL_DEFINE(setpgid, sys_setpgid);

static long
sys_setsid(void)
{
	current->pgid = current->pid;
	return current->pid;
}
SYSCALL_DEFINE(setsid, sys_setsid);

static long
sys_set_tid_address(uint32_t *tidptr)
{
	current->clear_child_tid = (uint32_t)tidptr;
	return current->tid;
}
SYSCALL_DEFINE(set_tid_address, sys_set_tid_address);

static long
sys_sched_yield(void)
{
	yield();
	return 0;
}
SYSCALL_DEFINE(sched_yield, sys_sched_yield);

struct new_utsname {
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN];
	char version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

static long
sys_uname(struct new_utsname *uname)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, ANVIL_SYSNAME, UTS_LEN);
	strlcpy(u.nodename, "anvil", UTS_LEN);
	strlcpy(u.release, ANVIL_RELEASE, UTS_LEN);
	strlcpy(u.version, "#1 " __DATE__, UTS_LEN);
	strlcpy(u.machine, ANVIL_MACHINE, UTS_LEN);
	strlcpy(u.domainname, "(none)", UTS_LEN);
	return copy_to_user(uname, &u, sizeof(u));
}
SYSCALL_DEFINE(uname, sys_uname);

struct sysinfo32 {
	int32_t uptime;
	uint32_t loads[3];
	uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t totalhigh, freehigh, mem_unit;
	char reserved[8];
};

/*
 * sysinfo — memory in pages (mem_unit = 4096). Slab caches first give
 * back their empty slabs, so freeram counts every page no one is using:
 * init relies on that to see leaked pages.
 */
static long
sys_sysinfo(struct sysinfo32 *uinfo)
{
	struct sysinfo32 si;
	unsigned long swap_total, swap_free;

	kmem_cache_shrink_all();
	memset(&si, 0, sizeof(si));
	si.uptime = monotonic_ns() / NSEC_PER_SEC;
	si.totalram = nr_managed_pages();
	si.freeram = nr_free_pages();
	si_swapinfo(&swap_total, &swap_free);
	si.totalswap = swap_total;
	si.freeswap = swap_free;
	si.procs = nr_tasks();
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(uinfo, &si, sizeof(si));
}
SYSCALL_DEFINE(sysinfo, sys_sysinfo);

/* Sends sig (with si_code code) to every process pick() accepts; -ESRCH
 * if none, else 0. */
static long
kill_matching(bool (*pick)(struct task *t, int arg), int arg, int sig, int code)
{
	struct ksiginfo info = { .signo = sig, .code = code, .pid = current->pid };
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t;
	bool found = false;

	list_for_each_entry(t, &process_list, process_link) {
		if (!pick(t, arg))
			continue;
		found = true;
		if (sig)
			send_signal_info(t, &info);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found ? 0 : -ESRCH;
}

static bool pick_pid(struct task *t, int pid)    { return t->pid == pid; }
static bool pick_group(struct task *t, int pgid) { return t->pgid == pgid && !t->zombie; }
static bool
pick_all_but_init_and_self(struct task *t, int unused)
{
	return t->pid != 1 && t != current && !t->zombie;
}

int
kill_pgrp(int pgid, int sig)
{
	return (int)kill_matching(pick_group, pgid, sig, SI_KERNEL);
}

static long
sys_kill(int pid, int sig)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid > 0)
		return kill_matching(pick_pid, pid, sig, SI_USER);
	if (pid == 0)
		return kill_matching(pick_group, current->pgid, sig, SI_USER);
	if (pid == -1)
		return kill_matching(pick_all_but_init_and_self, 0, sig, SI_USER);
	return kill_matching(pick_group, -pid, sig, SI_USER);
}
SYSCALL_DEFINE(kill, sys_kill);

static long
sys_tkill(int tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig > NSIG)
		return -EINVAL;
	return kill_matching(pick_pid, tid, sig, SI_TKILL);
}
SYSCALL_DEFINE(tkill, sys_tkill);

static long
sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tgid != tid)
		return tgid <= 0 ? -EINVAL : -ESRCH;
	return sys_tkill(tid, sig);
}
SYSCALL_DEFINE(tgkill, sys_tgkill);

/* reboot(2)'s numbers, as in Linux's include/uapi/linux/reboot.h. */
#define LINUX_REBOOT_MAGIC1         0xfee1dead
#define LINUX_REBOOT_MAGIC2         0x28121969
#define LINUX_REBOOT_MAGIC2A        0x05121996
#define LINUX_REBOOT_MAGIC2B        0x16041998
#define LINUX_REBOOT_MAGIC2C        0x20112000
#define LINUX_REBOOT_CMD_RESTART    0x01234567
#define LINUX_REBOOT_CMD_HALT       0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON     0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF    0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF  0x4321FEDC
#define LINUX_REBOOT_CMD_RESTART2   0xA1B2C3D4
#define REBOOT_RESTART2_ARG_MAX     256       /* Linux's buffer for the command */

/* reboot_magic_ok - the two magic numbers Linux requires "for safety". */
static bool
reboot_magic_ok(uint32_t magic1, uint32_t magic2)
{
	return magic1 == LINUX_REBOOT_MAGIC1 &&
	       (magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
		magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C);
}

/* machine_end - leave the machine: under QEMU the process exits with
 * code's status (the runner's pass code for a power-off); elsewhere halt.
 * The message is an emergency one, as Linux's: shown at any loglevel.
 * Every mounted file system is written first: Linux's reboot(2) writes
 * nothing itself (reboot(8) calls sync before it), but anvil's power-off
 * and init's shutdown must never lose a dirty page. */
static void __attribute__((noreturn))
machine_end(const char *what, enum qemu_exit_code code)
{
	sync_all_filesystems();
	printk(KERN_EMERG "reboot: %s (pid %d)\n", what, current->pid);
	qemu_exit(code);
	halt_forever();
}

/*
 * sys_reboot - reboot(2) with Linux's rules, checked in Linux's order:
 * CAP_SYS_BOOT (EPERM without it; every process here is root with every
 * capability, so any process may, not only init), then both magic numbers
 * (EINVAL), then cmd (EINVAL for one this kernel does not know: kexec and
 * suspend are not built in). POWER_OFF and HALT do not return; RESTART and
 * RESTART2 (whose argument, a string, must be readable: EFAULT) halt the
 * machine too, as anvil has no reset. CAD_ON/CAD_OFF succeed and change
 * nothing: there is no Ctrl-Alt-Del key handling to switch.
 */
static long
sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, void *arg)
{
	char restart_arg[REBOOT_RESTART2_ARG_MAX];

	if (!reboot_magic_ok(magic1, magic2))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
		machine_end("power down", QEMU_EXIT_PASS);
	case LINUX_REBOOT_CMD_RESTART2:
		/* Linux reads at most 255 bytes; only an unreadable one fails */
		if (strncpy_from_user(restart_arg, arg, sizeof(restart_arg) - 1) == -EFAULT)
			return -EFAULT;
		/* fall through */
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:
		machine_end("system halted", QEMU_EXIT_FAIL);
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}
SYSCALL_DEFINE(reboot, sys_reboot);
