/*
 * kernel/uaccess.h — moving data between the kernel and user space.
 *
 * Every pointer that comes from user space goes through these. They never
 * oops: a pointer that is NULL, in the kernel half (>= USER_TOP), wraps
 * around, or points at memory the process may not access gives -EFAULT.
 * They may sleep (they can fault pages in), so never call them with a
 * spinlock held. Writes break copy-on-write like a user write would.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define USER_TOP 0xC0000000u          /* first address user space cannot use */

/* True if [addr, addr+size) lies wholly below USER_TOP and does not wrap. */
static inline bool access_ok(const void *addr, size_t size)
{
	uintptr_t a = (uintptr_t)addr;

	return a <= USER_TOP && size <= USER_TOP - a;
}

/* Return 0, or -EFAULT if any byte could not be copied. */
int copy_from_user(void *dst, const void *usrc, size_t n);
int copy_to_user(void *udst, const void *src, size_t n);
int clear_user(void *udst, size_t n);
/* Copies a NUL-terminated string of at most max-1 characters; returns its
 * length, -EFAULT, or -ENAMETOOLONG if no NUL came within max bytes. */
long strncpy_from_user(char *dst, const char *usrc, size_t max);
/* Reads / writes one 32-bit value. */
int get_user_u32(uint32_t *val, const void *uptr);
int put_user_u32(uint32_t val, void *uptr);

#endif
