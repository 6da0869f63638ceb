/*
 * tests/bench/guest/bench.h — what the guest benchmark programs share.
 * Under QEMU -icount shift=0 the TSC advances once per guest instruction,
 * so an rdtsc delta is an instruction count that repeats bit for bit; on
 * a host it is cycles. Each figure is the median of a few runs, printed
 * as "BENCH name value unit" for the runner.
 */
#ifndef BENCH_GUEST_H
#define BENCH_GUEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE 4096u

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* median - of the n figures in v (which it sorts). */
static inline uint64_t
median(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof(v[0]), cmp_u64);
	return v[n / 2];
}

static inline void
report(const char *name, uint64_t value, const char *unit)
{
	printf("BENCH %s %llu %s\n", name, (unsigned long long)value, unit);
	fflush(stdout);
}

static inline void
die(const char *what)
{
	perror(what);
	exit(1);
}

/* touched_anon - bytes of private anonymous memory, every page written. */
static inline char *
touched_anon(size_t bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	for (size_t off = 0; off < bytes; off += PAGE)
		p[off] = 1;
	return p;
}

#endif
