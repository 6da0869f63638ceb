/*
 * arch/x86/uaccess.c — copy_from_user and friends (kernel/uaccess.h) on
 * top of the fault-tolerant primitives in usercopy.S, and the exception
 * table search the page-fault handler uses to recover from their faults.
 */
#include <kernel/uaccess.h>
#include <kernel/errno.h>
#include <arch/x86/trap.h>

size_t __copy_user(void *dst, const void *src, size_t n);
size_t __clear_user(void *dst, size_t n);
long __strncpy_from_user(char *dst, const char *src, size_t max);

struct exception_table_entry {
	uint32_t insn;       /* address of an instruction that may fault */
	uint32_t fixup;      /* where to continue when it does */
};

extern const struct exception_table_entry __extable_start[], __extable_end[];

bool
fixup_exception(struct trapframe *tf)
{
	for (const struct exception_table_entry *e = __extable_start; e < __extable_end; e++) {
		if (e->insn == tf->eip) {
			tf->eip = e->fixup;
			return true;
		}
	}
	return false;
}

int
copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!access_ok(usrc, n))
		return -EFAULT;
	return __copy_user(dst, usrc, n) ? -EFAULT : 0;
}

int
copy_to_user(void *udst, const void *src, size_t n)
{
	if (!access_ok(udst, n))
		return -EFAULT;
	return __copy_user(udst, src, n) ? -EFAULT : 0;
}

int
clear_user(void *udst, size_t n)
{
	if (!access_ok(udst, n))
		return -EFAULT;
	return __clear_user(udst, n) ? -EFAULT : 0;
}

long
strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t limit = max;
	long len;

	if ((uintptr_t)usrc >= USER_TOP)
		return -EFAULT;
	if (limit > USER_TOP - (uintptr_t)usrc)
		limit = USER_TOP - (uintptr_t)usrc;   /* stop at the kernel boundary */
	len = __strncpy_from_user(dst, usrc, limit);
	if (len < 0)
		return len;
	if ((size_t)len == max)
		return -ENAMETOOLONG;
	if ((size_t)len == limit)
		return -EFAULT;               /* ran into the kernel half */
	return len;
}

int
get_user_u32(uint32_t *val, const void *uptr)
{
	return copy_from_user(val, uptr, sizeof(*val));
}

int
put_user_u32(uint32_t val, void *uptr)
{
	return copy_to_user(uptr, &val, sizeof(val));
}
