/*
 * kernel/ksyms.h — the kernel's own symbol table, for backtraces.
 * tools/ksyms.py generates it from `nm` of a first link; the final link
 * embeds it (see the Makefile).
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdint.h>
#include <stdbool.h>

struct ksym {
	const char *name;
	uint32_t addr;     /* first byte of the function */
	uint32_t size;     /* distance to the next symbol */
};

/* Finds the function containing addr; false if addr is outside the text. */
bool ksym_lookup(uint32_t addr, struct ksym *out);
#endif
