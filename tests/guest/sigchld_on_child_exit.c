/*
 * sigchld_on_child_exit — a parent with a SA_SIGINFO SIGCHLD handler learns
 * about its child's end: si_signo SIGCHLD, si_pid the child, si_code
 * CLD_EXITED with si_status the exit code, or CLD_KILLED with si_status the
 * signal. SIGCHLD stays blocked until the parent waits in sigsuspend, so no
 * notification can be missed. With the default disposition a child's exit
 * does nothing to the parent.
 */
#define TEST_NAME "sigchld_on_child_exit"
#include "guest.h"

#define EXIT_CODE      42

static volatile struct {
	int count;
	int signo;
	int code;
	int status;
	pid_t pid;
} chld;

/* on_sigchld - record the siginfo of a SIGCHLD. */
static void
on_sigchld(int sig, siginfo_t *info, void *context)
{
	chld.count++;
	chld.signo = info->si_signo;
	chld.code = info->si_code;
	chld.status = info->si_status;
	chld.pid = info->si_pid;
}

/* wait_for_sigchld - sleep in sigsuspend (SIGCHLD unblocked) until it came. */
static void
wait_for_sigchld(void)
{
	sigset_t during;

	sigemptyset(&during);
	while (chld.count == 0)
		sigsuspend(&during);
}

/* check_notification - one SIGCHLD about pid with code and status. */
static void
check_notification(pid_t pid, int code, int status)
{
	wait_for_sigchld();
	CHECK_EQ("SIGCHLD deliveries", 1, chld.count);
	CHECK_EQ("si_signo", SIGCHLD, chld.signo);
	CHECK_EQ("si_pid", pid, chld.pid);
	CHECK_EQ("si_code", code, chld.code);
	CHECK_EQ("si_status", status, chld.status);
}

/* child_exits - SIGCHLD for a child exiting with EXIT_CODE. */
static void
child_exits(void)
{
	memset((void *)&chld, 0, sizeof(chld));
	pid_t pid = fork_or_fail();
	if (pid == 0)
		_exit(EXIT_CODE);
	check_notification(pid, CLD_EXITED, EXIT_CODE);
	check_exited("child", wait_for(pid), EXIT_CODE);
}

/* child_killed - SIGCHLD for a child killed by SIGKILL. */
static void
child_killed(void)
{
	int never[2];

	CHECK_OK(pipe(never));
	memset((void *)&chld, 0, sizeof(chld));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		char byte;
		read(never[0], &byte, 1);
		_exit(1);
	}
	CHECK_OK(kill(pid, SIGKILL));
	check_notification(pid, CLD_KILLED, SIGKILL);
	check_killed_by("killed child", wait_for(pid), SIGKILL);
	close(never[0]);
	close(never[1]);
}

/* default_disposition - with SIG_DFL a child's exit leaves us alone. */
static void
default_disposition(void)
{
	signal(SIGCHLD, SIG_DFL);
	pid_t pid = fork_or_fail();
	if (pid == 0)
		_exit(0);
	check_exited("child with default SIGCHLD", wait_for(pid), 0);
}

int
main(void)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, NULL));
	set_siginfo_handler(SIGCHLD, on_sigchld, 0);

	say("child exits with %d", EXIT_CODE);
	child_exits();
	say("child killed by SIGKILL");
	child_killed();
	say("default SIGCHLD is ignored");
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &block, NULL));
	default_disposition();
	say("SIGCHLD told the parent what happened");
	return 0;
}
