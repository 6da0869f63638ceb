/*
 * tests/host/shim/libk/string.h — libk's string functions, from the host C
 * library.
 *
 * Everything libk/string.h declares is standard (<string.h>; strtoul from
 * <stdlib.h>) except strlcpy, which is defined here with libk's contract.
 * It is spelt libk_host_strlcpy behind a macro so that it cannot clash with
 * a C library that has its own strlcpy (glibc 2.38 and later).
 */
#ifndef LIBK_STRING_H
#define LIBK_STRING_H

#include <stddef.h>
#include <string.h>
#include <stdlib.h>

/* Copies at most size-1 bytes of src and NUL-terminates dst (if size > 0);
 * returns strlen(src), so a result >= size means the copy was truncated. */
static inline size_t libk_host_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
#define strlcpy libk_host_strlcpy

#endif
