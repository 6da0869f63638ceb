/*
 * kill_existence_esrch — kill(pid, 0) checks that a process exists without
 * sending anything: 0 for ourselves, our parent and a live child (which is not
 * disturbed), 0 for a zombie child not yet reaped, ESRCH once it has been
 * reaped and for a pid that cannot exist; an invalid signal number is EINVAL.
 */
#define TEST_NAME "kill_existence_esrch"
#include "guest.h"

#define IMPOSSIBLE_PID 0x3fffffff              /* above any pid limit */
#define BAD_SIGNAL     65

static volatile int child_exited;

/* on_sigchld - note that a child has exited. */
static void
on_sigchld(int sig)
{
	child_exited = 1;
}

/* wait_for_sigchld - SIGCHLD is blocked by the caller; sleep until it came. */
static void
wait_for_sigchld(void)
{
	sigset_t during;

	sigemptyset(&during);
	while (!child_exited)
		sigsuspend(&during);
}

int
main(void)
{
	int go[2];
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, NULL));
	signal(SIGCHLD, on_sigchld);

	say("existing processes");
	CHECK_EQ("kill(self, 0)", 0, kill(getpid(), 0));
	CHECK_EQ("kill(parent, 0)", 0, kill(getppid(), 0));

	CHECK_OK(pipe(go));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		wait_token(go[0]);
		_exit(3);
	}
	CHECK_EQ("kill(live child, 0)", 0, kill(pid, 0));
	CHECK_ERRNO(kill(pid, BAD_SIGNAL), EINVAL);

	say("zombie, then reaped");
	send_token(go[1]);
	wait_for_sigchld();                        /* it exited: now a zombie */
	CHECK_EQ("kill(zombie child, 0)", 0, kill(pid, 0));
	check_exited("child untouched by signal 0", wait_for(pid), 3);
	CHECK_ERRNO(kill(pid, 0), ESRCH);

	say("impossible pid");
	CHECK_ERRNO(kill(IMPOSSIBLE_PID, 0), ESRCH);
	CHECK_ERRNO(kill(IMPOSSIBLE_PID, SIGKILL), ESRCH);
	say("signal 0 probed existence exactly");
	return 0;
}
