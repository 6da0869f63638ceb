/*
 * signal_ignored_no_eintr — a signal whose disposition is to ignore it is
 * discarded when it is sent, as on Linux (sig_ignored()): it wakes nobody
 * and interrupts nothing. Regression test: a child's exit (SIGCHLD with
 * SIG_DFL) made a blocking pipe read fail with EINTR.
 *   - the parent sleeps in one read() of a pipe; meanwhile a child exits
 *     (SIGCHLD), and another sends SIGWINCH, SIGURG, SIGCONT (default action:
 *     ignore) and SIGUSR1 (set to SIG_IGN), then writes to the pipe: the
 *     read returns the written bytes, not EINTR;
 *   - a blocked signal is never ignored at generation (its handler may change
 *     before it is unblocked): a blocked SIGCHLD with SIG_DFL and a blocked
 *     SIGUSR2 with SIG_IGN stay pending, and unblocking them does nothing.
 * The children wait until /proc/PID/stat shows the parent asleep (S) and the
 * first child dead (Z), so the signals reach the parent inside read().
 */
#define TEST_NAME "signal_ignored_no_eintr"
#include "guest.h"
#include <fcntl.h>
#include <time.h>

#define DATA_LEN    64
#define DATA_SEED   0x516C
#define SETTLE_MS   100              /* time a wrongly woken reader gets to return */
#define POLL_MS     2

static void
sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* proc_state - the state letter of /proc/pid/stat, or 0 if it cannot be read. */
static char
proc_state(pid_t pid)
{
	char path[64], buf[256];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

/* wait_state - in a child of the test: poll until pid is in state; exit
 * quietly if pid is gone or dead first (the parent failed: its FAIL line
 * already names the cause, and no orphan may keep polling). */
static void
wait_state(pid_t pid, char state)
{
	char now;

	while ((now = proc_state(pid)) != state) {
		if (now == 0 || now == 'Z')
			_exit(1);
		sleep_ms(POLL_MS);
	}
}

/* exiter - a child that exits once the parent sleeps: its SIGCHLD. */
static void
exiter(void)
{
	wait_state(getppid(), 'S');
	_exit(0);
}

/* signaller - sends the ignored signals to the sleeping parent, gives a
 * wrongly woken read time to return, then writes the data. */
static void
signaller(pid_t first_child, int wfd)
{
	static const int sigs[] = { SIGWINCH, SIGURG, SIGCONT, SIGUSR1 };
	pid_t parent = getppid();
	char data[DATA_LEN];

	wait_state(first_child, 'Z');
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		wait_state(parent, 'S');
		CHECK_OK(kill(parent, sigs[i]));
	}
	sleep_ms(SETTLE_MS);
	pattern_fill(data, DATA_LEN, DATA_SEED);
	CHECK_EQ("bytes written", DATA_LEN, write(wfd, data, DATA_LEN));
	_exit(0);
}

static void
read_survives_ignored_signals(void)
{
	int fds[2];
	char data[DATA_LEN];

	CHECK_OK(pipe(fds));
	signal(SIGCHLD, SIG_DFL);
	signal(SIGUSR1, SIG_IGN);
	pid_t first = fork_or_fail();
	if (first == 0)
		exiter();
	pid_t second = fork_or_fail();
	if (second == 0)
		signaller(first, fds[1]);

	errno = 0;
	ssize_t n = read(fds[0], data, DATA_LEN);     /* one call: no EINTR retry */
	CHECK(n == DATA_LEN, "read while ignored signals arrive (expected %d bytes, got %zd "
	      "with %s)", DATA_LEN, n, errno_name(errno));
	CHECK_PATTERN("bytes read", data, DATA_LEN, DATA_SEED);
	check_exited("exiting child", wait_for(first), 0);
	check_exited("signalling child", wait_for(second), 0);
	close(fds[0]);
	close(fds[1]);
}

static void
blocked_ignored_signals_stay_pending(void)
{
	sigset_t block, pending, old;

	signal(SIGCHLD, SIG_DFL);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGUSR2);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, &old));

	pid_t pid = fork_or_fail();
	if (pid == 0)
		_exit(0);
	check_exited("child", wait_for(pid), 0);
	CHECK_OK(raise(SIGUSR2));
	CHECK_OK(sigpending(&pending));
	CHECK_EQ("SIGCHLD (SIG_DFL, blocked) pending", 1, sigismember(&pending, SIGCHLD));
	CHECK_EQ("SIGUSR2 (SIG_IGN, blocked) pending", 1, sigismember(&pending, SIGUSR2));

	CHECK_OK(sigprocmask(SIG_SETMASK, &old, NULL));   /* delivered: ignored */
	CHECK_OK(sigpending(&pending));
	CHECK_EQ("SIGCHLD pending after unblocking", 0, sigismember(&pending, SIGCHLD));
	CHECK_EQ("SIGUSR2 pending after unblocking", 0, sigismember(&pending, SIGUSR2));
}

int
main(void)
{
	say("a pipe read sleeps through SIGCHLD, SIGWINCH, SIGURG, SIGCONT and an ignored SIGUSR1");
	read_survives_ignored_signals();
	say("blocked signals are not ignored when sent: they stay pending");
	blocked_ignored_signals_stay_pending();
	say("ignored signals interrupt nothing");
	return 0;
}
