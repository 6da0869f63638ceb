/*
 * libk/string.h — the freestanding string and memory functions.
 * GCC may emit calls to memcpy/memset/memmove/memcmp itself, so those four
 * keep their standard names and signatures.
 */
#ifndef LIBK_STRING_H
#define LIBK_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strcpy(char *dst, const char *src);
size_t strlcpy(char *dst, const char *src, size_t size);

/* Parse an unsigned number in base 10, or base 16 after "0x"; *end gets the
 * first unparsed character. */
unsigned long strtoul(const char *s, char **end, int base);

#endif
