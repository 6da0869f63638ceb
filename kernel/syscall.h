/*
 * kernel/syscall.h — the system-call table.
 *
 * User space enters with int 0x80: EAX holds the Linux i386 syscall number
 * (uapi/syscall_nr.h, generated from musl), EBX ECX EDX ESI EDI EBP the
 * arguments; the result, or -errno, goes back in EAX.
 *
 * A system call is a function taking up to six longs next to the code it
 * belongs to, registered with
 *
 *     SYSCALL_DEFINE(read, sys_read);
 *
 * which places {__NR_read, "read", sys_read} in the .syscalls section;
 * syscall_init() builds the dispatch table from it. A number with no entry
 * returns -ENOSYS and is logged once with its number and name.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <uapi/syscall_nr.h>
#include <arch/x86/trap.h>

typedef long (*syscall_fn_t)(long, long, long, long, long, long);

struct syscall_entry {
	unsigned nr;
	const char *name;
	syscall_fn_t fn;
};

#define SYSCALL_DEFINE(name, fn)                                               \
	static const struct syscall_entry __syscall_##name                     \
	__attribute__((used, section(".syscalls"), aligned(4))) =              \
		{ __NR_##name, #name, (syscall_fn_t)(void *)(fn) }

void syscall_init(void);
/* Runs the system call in tf (vector 0x80) and stores its result in tf->eax. */
void syscall_dispatch(struct trapframe *tf);
/* The Linux name of a syscall number, "?" if none. */
const char *syscall_name(unsigned nr);
/* The trap frame of the current system call (for fork, execve, sigreturn). */
struct trapframe *current_user_regs(void);

#endif
