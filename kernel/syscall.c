/*
 * kernel/syscall.c — dispatching int 0x80 to the system call functions
 * registered with SYSCALL_DEFINE (see syscall.h).
 */
#include <kernel/syscall.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <libk/string.h>

extern const struct syscall_entry __syscalls_start[], __syscalls_end[];
static syscall_fn_t table[NR_SYSCALLS];
static uint8_t unknown_logged[(NR_SYSCALLS + 7) / 8];

void
syscall_init(void)
{
	for (const struct syscall_entry *e = __syscalls_start; e < __syscalls_end; e++) {
		BUG_ON(e->nr >= NR_SYSCALLS);
		if (table[e->nr])
			panic("syscall %s (%u) defined twice", e->name, e->nr);
		table[e->nr] = e->fn;
	}
}

static long
unknown_syscall(unsigned nr)
{
	if (nr < NR_SYSCALLS && !(unknown_logged[nr / 8] & (1u << (nr % 8)))) {
		unknown_logged[nr / 8] |= 1u << (nr % 8);
		printk(KERN_INFO "syscall %u (%s) not implemented: ENOSYS (logged once) [%s]\n",
		       nr, syscall_name(nr), current->comm);
	} else if (nr >= NR_SYSCALLS) {
		printk(KERN_DEBUG "syscall %u out of range: ENOSYS [%s]\n", nr, current->comm);
	}
	return -ENOSYS;
}

struct trapframe *
current_user_regs(void)
{
	return current->user_regs;
}

void
syscall_dispatch(struct trapframe *tf)
{
	unsigned nr = tf->eax;
	long ret;

	current->user_regs = tf;
	if (nr < NR_SYSCALLS && table[nr])
		ret = table[nr](tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp);
	else
		ret = unknown_syscall(nr);
	if (ret == -ERESTARTSYS)
		ret = -EINTR;          /* no automatic restart (SA_RESTART) yet */
	tf->eax = (uint32_t)ret;
}
