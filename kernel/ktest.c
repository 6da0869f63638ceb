/*
 * kernel/ktest.c — the in-kernel test runner (see ktest.h).
 */
#include <kernel/ktest.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <drivers/qemu_exit.h>
#include <libk/stdio.h>
#include <libk/string.h>

#define KTEST_LIST_MAX 256
#define REASON_MAX 256

extern const struct ktest __ktests_start[], __ktests_end[];
static char test_list[KTEST_LIST_MAX];
static char bench_list[KTEST_LIST_MAX];
static char fail_reason[REASON_MAX];
static bool failed;

static int
parse_ktest(const char *val)
{
	strlcpy(test_list, val, sizeof(test_list));
	panic_action = PANIC_EXIT_QEMU;
	return 0;
}
KERNEL_PARAM("ktest", parse_ktest, "run in-kernel tests: all, or a comma-separated list");

static int
parse_bench(const char *val)
{
	strlcpy(bench_list, val, sizeof(bench_list));
	panic_action = PANIC_EXIT_QEMU;
	return 0;
}
KERNEL_PARAM("bench", parse_bench, "run in-kernel benchmarks: all, or a comma-separated list");

bool
ktest_requested(void)
{
	return test_list[0] || bench_list[0];
}

void
ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (failed)
		return;                   /* keep the first reason */
	failed = true;
	n = snprintf(fail_reason, sizeof(fail_reason), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(fail_reason + n, sizeof(fail_reason) - n, fmt, ap);
	va_end(ap);
}

bool
ktest_has_failed(void)
{
	return failed;
}

uint64_t
bench_median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

void
bench_report(const char *name, uint64_t value, const char *unit)
{
	console_printf("BENCH %s %llu %s\n", name, (unsigned long long)value, unit);
}

/* True if name is in the comma-separated list (or the list is "all" and
 * the test is of the kind "all" selects). */
static bool
selected(const char *list, const struct ktest *t, enum ktest_kind all_kind)
{
	size_t len = strlen(t->name);

	if (strcmp(list, "all") == 0)
		return t->kind == all_kind;
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		if (n == len && strncmp(p, t->name, n) == 0)
			return true;
		p += n + (comma ? 1 : 0);
	}
	return false;
}

struct test_run {
	const struct ktest *test;
	struct completion done;
};

static int
test_thread(void *arg)
{
	struct test_run *run = arg;

	run->test->fn();
	complete(&run->done);
	return 0;
}

/* Runs one test in a thread of its own; returns true if it passed. */
static bool
run_one(const struct ktest *t)
{
	struct test_run run = { .test = t };
	unsigned long free_before;
	unsigned tasks_before = nr_tasks();
	long lost;

	failed = false;
	fail_reason[0] = 0;
	kmem_cache_shrink_all();
	free_before = nr_free_pages();
	init_completion(&run.done);
	if (!kthread_run(test_thread, &run, t->name)) {
		console_printf("FAIL %s: cannot create the test thread\n", t->name);
		return false;
	}
	wait_for_completion(&run.done);
	while (nr_tasks() > tasks_before)  /* until the thread is freed */
		msleep(1);
	kmem_cache_shrink_all();
	lost = (long)free_before - (long)nr_free_pages();
	if (!failed && lost != 0)
		ktest_fail(__FILE__, __LINE__, "%ld pages lost (free before %lu, after %lu)",
			   lost, free_before, nr_free_pages());
	if (t->kind == KTEST_BENCH && !failed)
		return true;
	if (failed)
		console_printf("FAIL %s: %s\n", t->name, fail_reason);
	else
		console_printf("PASS %s\n", t->name);
	return !failed;
}

void
ktest_run_requested(void)
{
	unsigned passed = 0, total = 0;

	if (!ktest_requested())
		return;
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		bool want = (test_list[0] && selected(test_list, t, KTEST_NORMAL)) ||
			    (bench_list[0] && selected(bench_list, t, KTEST_BENCH));
		if (!want)
			continue;
		total++;
		passed += run_one(t);
	}
	console_printf("ktest: %u passed, %u failed\n", passed, total - passed);
	qemu_exit(passed == total && total ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
	halt_forever();
}
