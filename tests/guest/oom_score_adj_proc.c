/*
 * oom_score_adj_proc — /proc/PID/oom_score_adj, oom_adj and oom_score as
 * Linux has them:
 *   - oom_score_adj takes -1000..1000, written as Linux's kstrtoint reads
 *     it (spaces and a newline around it, a sign, 0x and 0 prefixes); EINVAL
 *     for 1001, -1001 and text that is not a number, ERANGE for a number no
 *     int holds; a refused write changes nothing;
 *   - another process's file can be written (the parent sets its child's);
 *   - the value is inherited by fork (the child's later change stays its
 *     own) and kept across execve;
 *   - the legacy oom_adj shows oom_score_adj scaled to -17..15 (1000 is 15,
 *     -1000 is -17, 500 is 8) and writes scale back (-17 is -1000, 15 is
 *     1000, 8 is 470); EINVAL outside -17..15;
 *   - oom_score is 0 at -1000 and for init (pid 1, never chosen), lies in
 *     666..1331 at 0 and at 1000 for a small process in (1000 + the
 *     adjustment's share of the total, in thousandths after Linux's
 *     division by 1000) * 2 / 3 .. 2000 (1332 when RAM + swap is a
 *     multiple of 1000 pages, a little less otherwise), and is
 *     higher for a child that touched SCORE_BIG_MIB more memory than we did
 *     (checked when that is at least SCORE_MIN_PERMILLE of RAM + swap, so
 *     that Linux's rounding cannot hide it).
 * Linux lets a process without CAP_SYS_RESOURCE lower oom_score_adj only
 * down to the least value a privileged writer set (oom_score_adj_min,
 * inherited; EACCES below it), and oom_adj not at all. Where we lack the
 * capability (a container on the host; anvil has no capabilities, so
 * everyone has them all) the checks of values below our starting value
 * are left out, with one SKIP line saying so.
 */
#define TEST_NAME "oom_score_adj_proc"
#include "guest.h"
#include "vm_probe.h"

#define ADJ_PATH_FMT       "/proc/%d/oom_score_adj"
#define OOM_ADJ_PATH_FMT   "/proc/%d/oom_adj"
#define SCORE_PATH_FMT     "/proc/%d/oom_score"
#define EXPECT_ADJ_ARG     "--expect-adj"      /* the re-executed program's mode */
#define INHERITED_ADJ      321
#define CHILDS_OWN_ADJ     123
#define SET_BY_PARENT_ADJ  234
#define SCORE_BIG_MIB      96
#define SCORE_MIN_PERMILLE 3
#define INIT_PID           1
#define EXIT_MISMATCH      1
#define CAP_SYS_RESOURCE   24

/* The least oom_score_adj we may write: -1000 with CAP_SYS_RESOURCE, else
 * our starting value (Linux's oom_score_adj_min is at most that). */
static long lowest_allowed = -1000;
static int skipped_checks;

/* has_cap_sys_resource - CapEff of /proc/self/status has the bit; a kernel
 * without the line (anvil: everyone is root) gives every capability. */
static int
has_cap_sys_resource(void)
{
	char *status = read_file("/proc/self/status");
	const char *cap = strstr(status, "CapEff:");
	unsigned long long eff = ~0ull;

	if (cap)
		sscanf(cap, "CapEff: %llx", &eff);
	free(status);
	return (eff >> CAP_SYS_RESOURCE) & 1;
}

/* may_set - whether we may lower oom_score_adj to value; counts the
 * checks left out because we may not. */
static int
may_set(long value)
{
	if (value >= lowest_allowed)
		return 1;
	skipped_checks++;
	return 0;
}

/* proc_path - the /proc file fmt names for pid, in a static buffer. */
static const char *
proc_path(const char *fmt, int pid)
{
	static char path[64];

	snprintf(path, sizeof(path), fmt, pid);
	return path;
}

/* read_int - the number /proc file fmt of pid holds; the test fails if none. */
static long
read_int(const char *fmt, int pid)
{
	char *text = read_file(proc_path(fmt, pid));
	char *end;
	long v = strtol(text, &end, 10);

	CHECK(end != text && strcmp(end, "\n") == 0, "%s holds \"%s\", not a number and a newline",
	      proc_path(fmt, pid), text);
	free(text);
	return v;
}

/* write_text - writes text to /proc file fmt of pid in one write(); 0, or
 * -1 with errno. A successful write must take every byte. */
static int
write_text(const char *fmt, int pid, const char *text)
{
	int fd = open(proc_path(fmt, pid), O_WRONLY);
	ssize_t n;

	CHECK(fd >= 0, "open %s for writing: %s", proc_path(fmt, pid), errno_name(errno));
	n = write(fd, text, strlen(text));
	if (n >= 0)
		CHECK_EQ("bytes taken by the write", (long)strlen(text), (long)n);
	close(fd);
	return n < 0 ? -1 : 0;
}

static void
set_adj(int pid, int adj)
{
	char text[16];

	snprintf(text, sizeof(text), "%d", adj);
	CHECK_OK(write_text(ADJ_PATH_FMT, pid, text));
	CHECK_EQ("oom_score_adj read back", adj, read_int(ADJ_PATH_FMT, pid));
}

/* check_accepted - writing text to our oom_score_adj gives value. */
static void
check_accepted(const char *text, long value)
{
	if (!may_set(value))
		return;
	CHECK(write_text(ADJ_PATH_FMT, getpid(), text) == 0, "writing \"%s\" failed with %s",
	      text, errno_name(errno));
	CHECK(read_int(ADJ_PATH_FMT, getpid()) == value, "after writing \"%s\" (expected %ld, got %ld)",
	      text, value, read_int(ADJ_PATH_FMT, getpid()));
}

/* check_refused - writing text fails with err and leaves the value alone. */
static void
check_refused(const char *fmt, const char *text, int err)
{
	long before = read_int(ADJ_PATH_FMT, getpid());

	errno = 0;
	CHECK(write_text(fmt, getpid(), text) == -1 && errno == err,
	      "writing \"%s\" to %s (expected %s, got %s)", text, fmt, errno_name(err),
	      errno_name(errno));
	CHECK_EQ("oom_score_adj after a refused write", before, read_int(ADJ_PATH_FMT, getpid()));
}

static void
check_range_and_syntax(void)
{
	check_accepted("500", 500);
	check_accepted("1000", 1000);
	check_accepted("-1000", -1000);
	check_accepted(" 42\n", 42);
	check_accepted("0x10", 16);
	check_accepted("010", 8);
	check_accepted("+7", 7);
	check_accepted("-0", 0);
	check_refused(ADJ_PATH_FMT, "1001", EINVAL);
	check_refused(ADJ_PATH_FMT, "-1001", EINVAL);
	check_refused(ADJ_PATH_FMT, "abc", EINVAL);
	check_refused(ADJ_PATH_FMT, "12abc", EINVAL);
	check_refused(ADJ_PATH_FMT, "-+5", EINVAL);
	check_refused(ADJ_PATH_FMT, "99999999999", ERANGE);
}

/* The re-executed program: exits 0 if its oom_score_adj is expected. */
static int
expect_adj_main(const char *expected)
{
	return read_int(ADJ_PATH_FMT, getpid()) == atol(expected) ? 0 : EXIT_MISMATCH;
}

static void
check_inheritance(const char *self)
{
	int to_child[2], to_parent[2], status;
	pid_t pid;

	set_adj(getpid(), INHERITED_ADJ);
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	pid = fork_or_fail();
	if (pid == 0) {
		char arg[16];

		if (read_int(ADJ_PATH_FMT, getpid()) != INHERITED_ADJ)
			_exit(EXIT_MISMATCH);
		set_adj(getpid(), CHILDS_OWN_ADJ);
		send_token(to_parent[1]);
		wait_token(to_child[0]);         /* the parent set ours meanwhile */
		snprintf(arg, sizeof(arg), "%d", SET_BY_PARENT_ADJ);
		execl(self, self, EXPECT_ADJ_ARG, arg, (char *)NULL);
		_exit(EXIT_MISMATCH + 1);
	}
	wait_token(to_parent[0]);
	CHECK_EQ("our oom_score_adj after the child changed its own", INHERITED_ADJ,
		 read_int(ADJ_PATH_FMT, getpid()));
	CHECK_EQ("the child's, seen from here", CHILDS_OWN_ADJ, read_int(ADJ_PATH_FMT, pid));
	set_adj(pid, SET_BY_PARENT_ADJ);         /* another process's file */
	send_token(to_child[1]);
	status = wait_for(pid);
	check_exited("the child (inherited the value, kept it across execve)", status, 0);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

static void
check_legacy_oom_adj(void)
{
	int me = getpid();

	if (may_set(-1000)) {
		set_adj(me, -1000);
		CHECK_EQ("oom_adj at -1000", -17, read_int(OOM_ADJ_PATH_FMT, me));
	}
	if (may_set(0)) {
		set_adj(me, 0);                  /* each oom_adj write below raises */
		CHECK_OK(write_text(OOM_ADJ_PATH_FMT, me, "8"));
		CHECK_EQ("oom_score_adj after oom_adj 8", 470, read_int(ADJ_PATH_FMT, me));
		CHECK_OK(write_text(OOM_ADJ_PATH_FMT, me, "15"));
		CHECK_EQ("oom_score_adj after oom_adj 15", 1000, read_int(ADJ_PATH_FMT, me));
	}
	set_adj(me, 1000);
	CHECK_EQ("oom_adj at 1000", 15, read_int(OOM_ADJ_PATH_FMT, me));
	if (may_set(500)) {
		set_adj(me, 500);
		CHECK_EQ("oom_adj at 500", 8, read_int(OOM_ADJ_PATH_FMT, me));
	}
	if (may_set(-1000)) {                    /* lowering through oom_adj needs it too */
		CHECK_OK(write_text(OOM_ADJ_PATH_FMT, me, "-17"));
		CHECK_EQ("oom_score_adj after oom_adj -17", -1000, read_int(ADJ_PATH_FMT, me));
	}
	check_refused(OOM_ADJ_PATH_FMT, "16", EINVAL);
	check_refused(OOM_ADJ_PATH_FMT, "-18", EINVAL);
}

/* total_pages - RAM + swap in pages, as the OOM killer's total. */
static long
total_pages(void)
{
	long ram = proc_kb("/proc/meminfo", "MemTotal"), swap = proc_kb("/proc/meminfo", "SwapTotal");

	CHECK(ram > 0 && swap >= 0, "/proc/meminfo lacks MemTotal or SwapTotal");
	return (ram + swap) / (PAGE_SIZE / KiB);
}

static void
check_scores(void)
{
	int me = getpid(), ready[2], done[2];
	long mine, big, permille, floor_1000;
	pid_t pid;

	CHECK_EQ("init's oom_score", 0, read_int(SCORE_PATH_FMT, INIT_PID));
	if (may_set(-1000)) {
		set_adj(me, -1000);
		CHECK_EQ("oom_score at -1000", 0, read_int(SCORE_PATH_FMT, me));
	}
	set_adj(me, 1000);
	mine = read_int(SCORE_PATH_FMT, me);
	/* the adjustment adds 1000 * (total / 1000) pages: with the division's
	 * rounding, at least (1000 + that in thousandths of total) * 2 / 3 */
	floor_1000 = (1000 + (total_pages() / 1000 * 1000) * 1000 / total_pages()) * 2 / 3;
	CHECK(mine >= floor_1000 && mine <= 2000, "oom_score at 1000 is %ld, not in %ld..2000", mine,
	      floor_1000);
	if (!may_set(0))
		return;                          /* the rest compares at adjustment 0 */
	set_adj(me, 0);
	mine = read_int(SCORE_PATH_FMT, me);
	CHECK(mine >= 666 && mine < 1332, "oom_score at 0 is %ld, not in 666..1331", mine);

	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(done));
	pid = fork_or_fail();
	if (pid == 0) {
		size_t len = (size_t)SCORE_BIG_MIB * MiB;
		char *area = map_anon(len, PROT_READ | PROT_WRITE);

		for (size_t off = 0; off < len; off += PAGE_SIZE)
			area[off] = 1;
		send_token(ready[1]);
		wait_token(done[0]);
		_exit(0);
	}
	wait_token(ready[0]);
	mine = read_int(SCORE_PATH_FMT, me);
	big = read_int(SCORE_PATH_FMT, pid);
	send_token(done[1]);
	check_exited("the big child", wait_for(pid), 0);
	permille = (long)((long long)SCORE_BIG_MIB * MiB / PAGE_SIZE * 1000 / total_pages());
	say("oom_score: ours %ld, a child %d MiB bigger %ld (%ld permille of RAM + swap)", mine,
	    SCORE_BIG_MIB, big, permille);
	CHECK(big >= mine, "the bigger child's oom_score %ld is below ours %ld", big, mine);
	if (permille >= SCORE_MIN_PERMILLE)
		CHECK(big > mine, "the bigger child's oom_score %ld is not above ours %ld", big, mine);
	close(ready[0]);
	close(ready[1]);
	close(done[0]);
	close(done[1]);
}

int
main(int argc, char **argv)
{
	long initial;

	if (argc == 3 && strcmp(argv[1], EXPECT_ADJ_ARG) == 0)
		return expect_adj_main(argv[2]);
	initial = read_int(ADJ_PATH_FMT, getpid());
	if (!has_cap_sys_resource())
		lowest_allowed = initial;
	say("oom_score_adj starts at %ld; we may lower it to %ld", initial, lowest_allowed);
	check_range_and_syntax();
	say("range and syntax as Linux's kstrtoint");
	check_inheritance(argv[0]);
	say("inherited by fork, kept by execve, another process's file writable");
	check_legacy_oom_adj();
	say("legacy oom_adj scales both ways");
	check_scores();
	say("oom_score: 0 at -1000 and for init, ordered by adjustment and size");
	if (skipped_checks)
		say("SKIP %d checks of values below %ld: no CAP_SYS_RESOURCE (Linux: EACCES)",
		    skipped_checks, lowest_allowed);
	set_adj(getpid(), (int)initial);
	return 0;
}
