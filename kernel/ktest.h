/*
 * kernel/ktest.h — in-kernel tests and benchmarks, chosen on the command
 * line: ktest=all (every KTEST), ktest=name[,name...], bench=all|name.
 *
 *   KTEST(name) { KT_CHECK(cond, "what went wrong: %d", x); ... }
 *
 * Each test runs in its own kernel thread and prints one verdict line,
 * "PASS name" or "FAIL name: reason"; the first failed KT_CHECK ends the
 * test. After each test the runner checks that no pages were lost. A
 * KTEST_CRASH test is meant to oops (the host runner checks the report)
 * and runs only when named. A KBENCH prints "BENCH name value unit" lines
 * with bench_report().
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/printk.h>

enum ktest_kind {
	KTEST_NORMAL,
	KTEST_CRASH,
	KTEST_BENCH,
};

struct ktest {
	const char *name;
	void (*fn)(void);
	enum ktest_kind kind;
};

#define __KTEST(n, kind)                                                       \
	static void ktest_##n(void);                                           \
	static const struct ktest __ktest_desc_##n                             \
	__attribute__((used, section(".ktests"), aligned(4))) = { #n, ktest_##n, kind }; \
	static void ktest_##n(void)

#define KTEST(n)       __KTEST(n, KTEST_NORMAL)
#define KTEST_CRASH(n) __KTEST(n, KTEST_CRASH)
#define KBENCH(n)      __KTEST(n, KTEST_BENCH)

void ktest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool ktest_has_failed(void);

#define KT_CHECK(cond, ...)                                                    \
	do {                                                                   \
		if (!(cond)) {                                                 \
			ktest_fail(__FILE__, __LINE__, __VA_ARGS__);           \
			return;                                                \
		}                                                              \
	} while (0)

/* For helpers: check cond, record a failure and return false. */
#define KT_EXPECT(cond, ...)                                                   \
	((cond) ? true : (ktest_fail(__FILE__, __LINE__, __VA_ARGS__), false))

void bench_report(const char *name, uint64_t value, const char *unit);
/* The median of the n figures in v (sorting v). */
uint64_t bench_median(uint64_t *v, unsigned n);

/* Runs the tests and benchmarks the command line asked for, then leaves
 * QEMU with the verdict. Returns at once if none was asked for. */
void ktest_run_requested(void);
bool ktest_requested(void);
#endif
