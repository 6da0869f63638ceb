/*
 * userland/init.c — PID 1 of the guest, and the in-guest test runner.
 *
 * A test boot: every regular executable file in /tests runs, sorted by name,
 * in its own child (fork + execve, argv[0] = its path, a tiny environment),
 * with a time limit. Free memory is read with sysinfo() before and after each
 * test; a test that returns with fewer free pages than it started with lost
 * memory and fails (the xv6 usertests rule). One verdict line per test:
 *
 *     PASS <name>
 *     FAIL <name>: exit status N | killed by signal N (SIGxxx) |
 *                  timed out after N s | lost N pages (free before B, after A)
 *
 * then "init: free pages before B after A" and "init: N passed, N failed",
 * and the machine powers off (reboot(RB_POWER_OFF)).
 *
 * Options come as arguments or as environment variables (the kernel passes
 * command-line words either way), all optional:
 *     shell          start /bin/sh instead of running the tests
 *     timeout=N      per-test time limit in seconds (default 60)
 *     tests=a,b,c    run only these tests
 *     skip=a,b,c     run all tests but these (the host runner keeps the
 *                    swap-pressure tests for a boot of their own)
 *     after=NAME     skip the tests up to and including NAME (the host
 *                    runner's restart point after a kernel crash)
 *     bench          run the programs in /bench instead (make bench);
 *                    tests= picks some of them
 *     stress         run only the stress tests (STRESS_TESTS; tests= picks
 *                    others) with a time limit of STRESS_TIMEOUT_S unless
 *                    timeout= says otherwise (make stress)
 *     stress_KEY=V   put STRESS_KEY=V in the tests' environment, e.g.
 *                    stress_seeds=20 stress_steps=1000 (see mm_random_stress)
 *     fuzz           run only the syscall fuzzer (FUZZ_TESTS), time limit
 *                    STRESS_TIMEOUT_S unless timeout= says otherwise (make fuzz)
 *     fuzz_KEY=V     put FUZZ_KEY=V in the tests' environment, e.g.
 *                    fuzz_seeds=10 fuzz_calls=100000 (see syscall_fuzz)
 *     -d DIR         the tests directory (default /tests)
 *     -m             check lost pages even when not PID 1
 * Without /tests, init starts the shell too.
 *
 * Run on a host as an ordinary program (getpid() != 1), init never powers
 * off or kills stray processes, skips the lost-pages check (a host's free
 * memory moves for reasons of its own; -m forces it), and exits with the
 * number of failed tests: `build/userland/init -d build/guest`.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define INIT_PID            1
#define DEFAULT_TESTS_DIR   "/tests"
#define SHELL_PATH          "/bin/sh"
#define CONSOLE_PATH        "/dev/console"
#define DEFAULT_TIMEOUT_S   60
#define MAX_TESTS           512
#define PAGE_BYTES          4096ULL
#define POLL_FIRST_NS       1000000L           /* 1 ms, doubling ... */
#define BENCH_DIR           "/bench"
#define POLL_MAX_NS         50000000L          /* ... up to 50 ms */
#define STRAY_GRACE_NS      2000000000LL       /* orphans get 2 s to finish */
#define NSEC_PER_SEC        1000000000LL
#define EXEC_FAILED_STATUS  127
#define ANY_EXEC_BIT        (S_IXUSR | S_IXGRP | S_IXOTH)
#define MAX_EXIT_STATUS     255
#define STRESS_TESTS        "mm_random_stress"
#define STRESS_TIMEOUT_S    3600
#define STRESS_PREFIX       "stress_"
#define FUZZ_TESTS          "syscall_fuzz"
#define FUZZ_PREFIX         "fuzz_"
#define MAX_TEST_ENV        12

/* What the command line asked for. */
struct options {
	const char *tests_dir;
	const char *only;          /* "a,b,c" or NULL for all tests */
	const char *skip;          /* "a,b,c" or NULL: tests not to run */
	const char *after;         /* skip tests up to and including this one */
	int bench;                 /* run the benchmark programs instead */
	int timeout_s;
	int shell;                 /* start the shell instead of testing */
	int check_pages;           /* apply the lost-pages rule */
	int stress;                /* run the stress tests (make stress) */
	int fuzz;                  /* run the syscall fuzzer (make fuzz) */
};

/* How one test ended. */
struct verdict {
	int passed;
	char reason[128];
};

/* The tests' environment: this fixed part, then the stress_KEY=V and
 * fuzz_KEY=V words. */
static char *test_envp[MAX_TEST_ENV + 1] = { "PATH=/bin", "HOME=/", NULL };

/* ---- options ------------------------------------------------------------- */

/* option_value - the text after "key=" if word starts with it, else NULL. */
static const char *
option_value(const char *word, const char *key_with_equals)
{
	size_t len = strlen(key_with_equals);

	return strncmp(word, key_with_equals, len) == 0 ? word + len : NULL;
}

/* add_test_env - word "stress_key=value" (or "fuzz_key=value") goes into
 * the tests' environment as STRESS_KEY=value (FUZZ_KEY=value); beyond
 * MAX_TEST_ENV variables it is dropped. */
static void
add_test_env(const char *word)
{
	int n = 0;
	char *var;

	while (test_envp[n])
		n++;
	if (n == MAX_TEST_ENV || !(var = strdup(word)))
		return;
	for (char *p = var; *p && *p != '='; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	test_envp[n] = var;
	test_envp[n + 1] = NULL;
}

/* apply_word - one "key=value" or flag word from argv or the environment;
 * anything else is not for us and is ignored. */
static void
apply_word(struct options *opt, const char *word)
{
	const char *value;

	if (strcmp(word, "shell") == 0)
		opt->shell = 1;
	else if (strcmp(word, "-m") == 0)
		opt->check_pages = 1;
	else if ((value = option_value(word, "timeout=")) && atoi(value) > 0)
		opt->timeout_s = atoi(value);
	else if ((value = option_value(word, "tests=")))
		opt->only = value;
	else if ((value = option_value(word, "skip=")))
		opt->skip = value;
	else if ((value = option_value(word, "after=")))
		opt->after = value;
	else if (strcmp(word, "bench") == 0)
		opt->bench = 1;
	else if (strcmp(word, "stress") == 0)
		opt->stress = 1;
	else if (strcmp(word, "fuzz") == 0)
		opt->fuzz = 1;
	else if ((strncmp(word, STRESS_PREFIX, strlen(STRESS_PREFIX)) == 0 ||
		  strncmp(word, FUZZ_PREFIX, strlen(FUZZ_PREFIX)) == 0) && strchr(word, '='))
		add_test_env(word);
}

/* parse_options - defaults, then the environment, then the arguments. */
static void
parse_options(struct options *opt, int argc, char **argv, char **envp)
{
	opt->tests_dir = DEFAULT_TESTS_DIR;
	opt->only = NULL;
	opt->skip = NULL;
	opt->after = NULL;
	opt->bench = 0;
	opt->timeout_s = 0;                        /* DEFAULT_TIMEOUT_S, set below */
	opt->shell = 0;
	opt->stress = 0;
	opt->fuzz = 0;
	opt->check_pages = getpid() == INIT_PID;
	for (char **e = envp; e && *e; e++)
		apply_word(opt, *e);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			opt->tests_dir = argv[++i];
		else
			apply_word(opt, argv[i]);
	}
	if (opt->stress && !opt->only)
		opt->only = STRESS_TESTS;
	if (opt->fuzz && !opt->only)
		opt->only = FUZZ_TESTS;
	if (opt->timeout_s == 0)
		opt->timeout_s = opt->stress || opt->fuzz ? STRESS_TIMEOUT_S : DEFAULT_TIMEOUT_S;
}

/* in_list - is name one of the comma-separated list's items? */
static int
in_list(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t item = comma ? (size_t)(comma - p) : strlen(p);
		if (item == len && strncmp(p, name, len) == 0)
			return 1;
		p += item + (comma != NULL);
	}
	return 0;
}

/* selected - is name in the tests= list (or is there none), and not in
 * the skip= list? */
static int
selected(const struct options *opt, const char *name)
{
	return (!opt->only || in_list(opt->only, name)) && !(opt->skip && in_list(opt->skip, name));
}

/* ---- small helpers --------------------------------------------------------- */

/* offline_pages - frames taken out of use for good by soft-offline, from
 * /proc/meminfo's HardwareCorrupted line (in kB); 0 if there is none.
 * Read with open/read into the stack: no malloc, whose heap would change
 * the very count being taken. */
static unsigned long long
offline_pages(void)
{
	static const char key[] = "HardwareCorrupted:";
	char text[2048];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	char *line;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	line = strstr(text, key);
	return line ? strtoull(line + sizeof(key) - 1, NULL, 10) * 1024 / PAGE_BYTES : 0;
}

/* Set when free pages are counted (anvil as PID 1, or -m). */
static int counting_pages;

/* drop_caches - asks the kernel to give cached empty slabs back, so that a
 * kernel cache that grew during a test is not taken for a lost page. Only
 * when counting: on the host it would drop the host's caches. */
static void
drop_caches(void)
{
	int fd;

	if (!counting_pages)
		return;
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "2", 1) < 0) {
			/* an older kernel without it: count without dropping */
		}
		close(fd);
	}
}

/* free_pages - free memory in 4 KiB pages, as sysinfo() reports it, plus
 * the frames soft-offline retired: a test that offlines pages (they are
 * never to be used again) has not lost them. */
static unsigned long long
free_pages(void)
{
	unsigned long long offline = offline_pages();   /* first: it may grow the heap */

	drop_caches();
	struct sysinfo info;

	if (sysinfo(&info) != 0)
		return 0;
	return (unsigned long long)info.freeram * info.mem_unit / PAGE_BYTES + offline;
}

/* monotonic_ns - CLOCK_MONOTONIC in nanoseconds. */
static long long
monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* sleep_ns - sleep ns nanoseconds (less than a second). */
static void
sleep_ns(long ns)
{
	struct timespec ts = { 0, ns };

	nanosleep(&ts, NULL);
}

/* signal_name - "SIGSEGV" and friends, for verdict lines. */
static const char *
signal_name(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
		[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
		[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
		[SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
		[SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
		[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
		[SIGSYS] = "SIGSYS",
	};

	if (sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])) && names[sig])
		return names[sig];
	return "unknown signal";
}

/* ---- finding the tests ----------------------------------------------------- */

/* compare_names - qsort order for test names. */
static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* is_executable_file - a regular file with some execute bit set. */
static int
is_executable_file(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & ANY_EXEC_BIT);
}

/* list_tests - the selected executables of the tests directory, sorted;
 * returns how many (names malloc'd into names[]), or -1 without the dir. */
static int
list_tests(const struct options *opt, char **names)
{
	DIR *dir = opendir(opt->tests_dir);
	struct dirent *e;
	int count = 0;

	if (!dir)
		return -1;
	while ((e = readdir(dir)) != NULL && count < MAX_TESTS) {
		if (e->d_name[0] == '.' || !selected(opt, e->d_name))
			continue;
		if (is_executable_file(opt->tests_dir, e->d_name))
			names[count++] = strdup(e->d_name);
	}
	closedir(dir);
	qsort(names, count, sizeof(names[0]), compare_names);
	return count;
}

/* ---- running one test ------------------------------------------------------ */

/* start_test - fork and exec path; returns the child's pid. */
static pid_t
start_test(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };
		execve(path, argv, test_envp);
		printf("init: cannot execute %s: %s\n", path, strerror(errno));
		fflush(stdout);
		_exit(EXEC_FAILED_STATUS);
	}
	return pid;
}

/* wait_with_timeout - reap pid, also reaping any orphan handed to us; kills
 * the test after timeout_s. Returns 1 and the status, or 0 on timeout. */
static int
wait_with_timeout(pid_t pid, int timeout_s, int *status)
{
	long long deadline = monotonic_ns() + timeout_s * NSEC_PER_SEC;
	long interval = POLL_FIRST_NS;

	for (;;) {
		int st;
		pid_t got = waitpid(-1, &st, WNOHANG);
		if (got == pid) {
			*status = st;
			return 1;
		}
		if (got > 0)
			continue;                  /* an orphan: reaped, keep going */
		if (got < 0 && errno != EINTR)
			return 0;                  /* cannot happen: pid is our child */
		if (monotonic_ns() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return 0;
		}
		sleep_ns(interval);
		if (interval < POLL_MAX_NS)
			interval *= 2;
	}
}

/* reap_strays - after a test, collect its orphans (they are ours when we are
 * PID 1); give them a grace period, then kill whatever is left. */
static void
reap_strays(const char *name)
{
	long long deadline = monotonic_ns() + STRAY_GRACE_NS;
	int status;

	for (;;) {
		pid_t got = waitpid(-1, &status, WNOHANG);
		if (got > 0)
			continue;
		if (got < 0)
			return;                    /* ECHILD: nobody left */
		if (monotonic_ns() >= deadline)
			break;
		sleep_ns(POLL_MAX_NS);
	}
	if (getpid() != INIT_PID)
		return;
	printf("init: killing processes left behind by %s\n", name);
	kill(-1, SIGKILL);                         /* everyone but PID 1 */
	while (waitpid(-1, &status, 0) > 0)
		;
}

/* judge_status - the verdict for a test that ended with status. */
static void
judge_status(struct verdict *v, int status)
{
	v->passed = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		v->passed = 1;
	else if (WIFEXITED(status))
		snprintf(v->reason, sizeof(v->reason), "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(v->reason, sizeof(v->reason), "killed by signal %d (%s)",
			 WTERMSIG(status), signal_name(WTERMSIG(status)));
	else
		snprintf(v->reason, sizeof(v->reason), "wait status 0x%x", status);
}

/* run_test - run one test to a verdict, printing the verdict line. */
static int
run_test(const struct options *opt, const char *name)
{
	char path[PATH_MAX];
	struct verdict v = { 0, "" };
	int status;

	snprintf(path, sizeof(path), "%s/%s", opt->tests_dir, name);
	printf("init: start %s\n", name);         /* the runner's crash marker */
	fflush(stdout);
	unsigned long long before = free_pages();
	pid_t pid = start_test(path);
	if (pid < 0)
		snprintf(v.reason, sizeof(v.reason), "fork failed: %s", strerror(errno));
	else if (!wait_with_timeout(pid, opt->timeout_s, &status))
		snprintf(v.reason, sizeof(v.reason), "timed out after %d s", opt->timeout_s);
	else
		judge_status(&v, status);
	reap_strays(name);

	unsigned long long after = free_pages();
	if (v.passed && opt->check_pages && after < before) {
		v.passed = 0;
		snprintf(v.reason, sizeof(v.reason), "lost %llu pages (free before %llu, after %llu)",
			 before - after, before, after);
	}
	if (v.passed)
		printf("PASS %s\n", name);
	else
		printf("FAIL %s: %s\n", name, v.reason);
	fflush(stdout);
	return v.passed;
}

/* first_after - index of the first test after opt->after (0 without it). */
static int
first_after(const struct options *opt, char **names, int count)
{
	if (!opt->after)
		return 0;
	for (int i = 0; i < count; i++)
		if (strcmp(names[i], opt->after) == 0)
			return i + 1;
	return 0;
}

/* run_benchmarks - runs every program of BENCH_DIR, or those tests= names
 * (make bench); their "BENCH name value unit" lines go straight to the
 * console, between "init: bench NAME" and "init: bench NAME done" so that
 * the host runner can show one program's whole output (make bench
 * EXTRA_BENCH=prog.c, which the runner boots alone: such a program may end
 * the machine itself with reboot(), and then no "done" line comes). */
static void
run_benchmarks(struct options *opt, char **names, int count)
{
	int status;

	opt->tests_dir = BENCH_DIR;
	count = list_tests(opt, names);
	for (int i = 0; i < count; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", BENCH_DIR, names[i]);
		printf("init: bench %s\n", names[i]);
		fflush(stdout);
		pid_t pid = start_test(path);
		if (pid > 0)
			waitpid(pid, &status, 0);
		printf("init: bench %s done\n", names[i]);
		fflush(stdout);
	}
}

/* ---- the end ---------------------------------------------------------------- */

/* start_shell - replace init by the shell; only returns if that failed. */
static void
start_shell(void)
{
	char *argv[] = { SHELL_PATH, NULL };

	execve(SHELL_PATH, argv, test_envp);
	printf("init: cannot start %s: %s\n", SHELL_PATH, strerror(errno));
}

/* finish - power off as PID 1; otherwise exit with the number of failures. */
static void
finish(int failed)
{
	fflush(stdout);
	if (getpid() != INIT_PID)
		exit(failed > MAX_EXIT_STATUS ? MAX_EXIT_STATUS : failed);
	sync();
	reboot(RB_POWER_OFF);
	printf("init: power off failed: %s; halting here\n", strerror(errno));
	fflush(stdout);
	for (;;)
		pause();                           /* PID 1 must never exit */
}

/* ensure_console - as PID 1, make sure fds 0-2 exist (on the console). */
static void
ensure_console(void)
{
	if (fcntl(1, F_GETFD) != -1)
		return;
	int fd = open(CONSOLE_PATH, O_RDWR);
	if (fd < 0)
		return;
	for (int target = 0; target <= 2; target++)
		if (fd != target)
			dup2(fd, target);
	if (fd > 2)
		close(fd);
}

int
main(int argc, char **argv, char **envp)
{
	static char *names[MAX_TESTS];
	struct options opt;
	int passed = 0, failed = 0;

	if (getpid() == INIT_PID)
		ensure_console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_options(&opt, argc, argv, envp);
	counting_pages = opt.check_pages;

	int count = opt.shell ? -1 : list_tests(&opt, names);
	if (count < 0) {
		if (!opt.shell)
			printf("init: no tests directory %s: starting the shell\n", opt.tests_dir);
		start_shell();
		finish(1);
	}

	if (opt.bench) {
		run_benchmarks(&opt, names, count);
		finish(0);
	}
	unsigned long long before_all = free_pages();
	int first = first_after(&opt, names, count);
	printf("init: running %d tests from %s (time limit %d s each)\n", count - first,
	       opt.tests_dir, opt.timeout_s);
	for (int i = first; i < count; i++) {
		if (run_test(&opt, names[i]))
			passed++;
		else
			failed++;
	}
	unsigned long long after_all = free_pages();
	printf("init: free pages before %llu after %llu\n", before_all, after_all);
	if (opt.check_pages && !opt.only) {
		if (after_all < before_all) {
			printf("FAIL init_pages_accounted: %llu pages lost over the whole run\n",
			       before_all - after_all);
			failed++;
		} else {
			printf("PASS init_pages_accounted\n");
			passed++;
		}
	}
	printf("init: %d passed, %d failed\n", passed, failed);
	finish(failed);
	return 0;
}
