/*
 * wait_echild_wnohang — the corner cases of waiting:
 *   - with no children, wait/waitpid(-1)/waitpid(pid) fail with ECHILD;
 *   - waitpid of a pid that is not our child (our parent) fails with ECHILD;
 *   - WNOHANG returns 0 while the child is still running, then its pid once
 *     it has exited (polled: no timing assumption);
 *   - waiting for one specific pid leaves the other children alone, and a
 *     reaped child cannot be waited for twice.
 */
#define TEST_NAME "wait_echild_wnohang"
#include "guest.h"

#define POLL_US        1000
#define MAX_POLLS      10000                   /* 10 s */
#define CHILD_COUNT    3

/* check_no_children - every way of waiting fails with ECHILD. */
static void
check_no_children(void)
{
	int status;

	CHECK_ERRNO(wait(&status), ECHILD);
	CHECK_ERRNO(waitpid(-1, &status, 0), ECHILD);
	CHECK_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD);
	CHECK_ERRNO(waitpid(getppid(), &status, 0), ECHILD);
	CHECK_ERRNO(wait4(-1, &status, 0, NULL), ECHILD);
}

/* check_wnohang - WNOHANG sees a running child, then its exit. */
static void
check_wnohang(void)
{
	int go[2], status = -1;
	pid_t got = 0;

	CHECK_OK(pipe(go));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		wait_token(go[0]);
		_exit(7);
	}
	CHECK_EQ("WNOHANG on a running child", 0, waitpid(pid, &status, WNOHANG));
	CHECK_EQ("WNOHANG(-1) on a running child", 0, waitpid(-1, &status, WNOHANG));
	send_token(go[1]);
	for (int i = 0; i < MAX_POLLS && got == 0; i++) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == 0)
			usleep(POLL_US);
	}
	CHECK_EQ("WNOHANG after the child exited", pid, got);
	check_exited("WNOHANG-reaped child", status, 7);
	close(go[0]);
	close(go[1]);
}

/* check_specific_pid - reap the middle child first, then the others. */
static void
check_specific_pid(void)
{
	pid_t pids[CHILD_COUNT];
	int status;

	for (int i = 0; i < CHILD_COUNT; i++) {
		pids[i] = fork_or_fail();
		if (pids[i] == 0)
			_exit(10 + i);
	}
	check_exited("middle child", wait_for(pids[1]), 11);
	CHECK_ERRNO(waitpid(pids[1], &status, 0), ECHILD);
	check_exited("last child", wait_for(pids[2]), 12);
	check_exited("first child", wait_for(pids[0]), 10);
	CHECK_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD);
}

int
main(void)
{
	say("ECHILD without children");
	check_no_children();
	say("WNOHANG");
	check_wnohang();
	say("waiting for one specific pid");
	check_specific_pid();
	say("all wait corner cases held");
	return 0;
}
