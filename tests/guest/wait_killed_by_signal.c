/*
 * wait_killed_by_signal — a child ended by a signal is reported as
 * WIFSIGNALED with WTERMSIG equal to that signal and not WIFEXITED: SIGKILL
 * and SIGTERM sent to itself, SIGKILL and SIGTERM sent by the parent to a
 * child blocked in read(), and SIGSEGV from a NULL dereference.
 */
#define TEST_NAME "wait_killed_by_signal"
#include "guest.h"

/* check_signaled - exact "killed by sig" status, WIFEXITED clear. */
static void
check_signaled(const char *what, int status, int sig)
{
	CHECK(!WIFEXITED(status), "%s: WIFEXITED set (%s)", what, describe_status(status));
	check_killed_by(what, status, sig);
}

/* kill_self_with_sigkill - child body: SIGKILL to itself. */
static void
kill_self_with_sigkill(void *unused)
{
	kill(getpid(), SIGKILL);
	_exit(1);
}

/* kill_self_with_sigterm - child body: raise(SIGTERM). */
static void
kill_self_with_sigterm(void *unused)
{
	raise(SIGTERM);
	_exit(1);
}

/* dereference_null - child body: a NULL write with default SIGSEGV. */
static void
dereference_null(void *unused)
{
	doomed_addr = NULL;
	write_doomed_addr(NULL);
	_exit(1);
}

/* parent_kills - a child blocks reading an empty pipe; the parent sends sig
 * once the child reported it is about to block. */
static void
parent_kills(int sig)
{
	int ready[2], never[2];
	char what[64];

	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(never));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		char byte;
		send_token(ready[1]);
		read(never[0], &byte, 1);             /* blocks: nobody writes */
		_exit(1);
	}
	wait_token(ready[0]);
	CHECK_OK(kill(pid, sig));
	snprintf(what, sizeof(what), "blocked child sent signal %d", sig);
	check_signaled(what, wait_for(pid), sig);
	close(ready[0]);
	close(ready[1]);
	close(never[0]);
	close(never[1]);
}

int
main(void)
{
	say("children killing themselves");
	check_signaled("kill(self, SIGKILL)", run_in_child(kill_self_with_sigkill, NULL), SIGKILL);
	check_signaled("raise(SIGTERM)", run_in_child(kill_self_with_sigterm, NULL), SIGTERM);
	check_signaled("NULL write", run_in_child(dereference_null, NULL), SIGSEGV);
	say("parent killing blocked children");
	parent_kills(SIGKILL);
	parent_kills(SIGTERM);
	say("every signal death reported exactly");
	return 0;
}
