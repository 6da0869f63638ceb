/*
 * tests/host/hosttest.h — the verdict protocol for host unit tests.
 *
 * Each test_*.c is one binary holding several named cases. A case calls
 * CHECK(cond, fmt, ...) as often as it likes; the first failing CHECK ends
 * the case. The binary prints one line per case, "PASS name" or
 * "FAIL name: reason", and exits non-zero if any case failed. The runner
 * (tools/runner.py) collects these lines with those of the other layers.
 */
#ifndef TESTS_HOST_HOSTTEST_H
#define TESTS_HOST_HOSTTEST_H

#include <stdio.h>
#include <stdarg.h>
#include <setjmp.h>

static jmp_buf hosttest_jmp;
static char hosttest_reason[512];
static int hosttest_failed;

static inline void hosttest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(hosttest_reason, sizeof(hosttest_reason), "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(hosttest_reason + n, sizeof(hosttest_reason) - n, fmt, ap);
	va_end(ap);
	longjmp(hosttest_jmp, 1);
}

/* Fails the current case with a printf-style reason unless cond holds. */
#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			hosttest_fail(__FILE__, __LINE__, __VA_ARGS__);        \
	} while (0)

/* Runs fn as the case named name and prints its verdict. */
#define RUN_CASE(name, fn)                                                     \
	do {                                                                   \
		if (setjmp(hosttest_jmp) == 0) {                               \
			fn();                                                  \
			printf("PASS %s\n", name);                             \
		} else {                                                       \
			printf("FAIL %s: %s\n", name, hosttest_reason);        \
			hosttest_failed++;                                     \
		}                                                              \
		fflush(stdout);                                                \
	} while (0)

#define HOSTTEST_EXIT() return hosttest_failed ? 1 : 0

#endif
