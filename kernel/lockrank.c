/*
 * kernel/lockrank.c — what a failed lock assertion does (see lockrank.h).
 */
#include <kernel/lockrank.h>
#include <kernel/printk.h>

void
lock_assert_failed(const char *what, const char *name, const char *file, int line,
		   const char *func)
{
	panic("lock assertion failed: %s %s at %s:%d (%s)", name, what, file, line, func);
}
