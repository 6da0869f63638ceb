/*
 * libk/stdio.h — formatted output into buffers.
 * Conversions: %d %i %u %x %X %o %p %s %c %%, flags '-', '0' and '#', a width
 * (or *), a precision for %s, and the length modifiers h, l, ll, z.
 */
#ifndef LIBK_STDIO_H
#define LIBK_STDIO_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
