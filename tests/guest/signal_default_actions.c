/*
 * signal_default_actions — what a signal does with no handler:
 *   - SIGTERM, SIGUSR1, SIGHUP, SIGINT terminate (WTERMSIG = that signal);
 *   - SIGCHLD, SIGURG, SIGWINCH are ignored by default (the child lives on);
 *   - SIG_IGN makes SIGTERM harmless, and is inherited across fork;
 *   - going back to SIG_DFL makes it deadly again.
 * Each child reports "ready" through a pipe and then waits for a go token, so
 * a signal always arrives while it is alive.
 */
#define TEST_NAME "signal_default_actions"
#include "guest.h"

#define SURVIVED_CODE  9

enum disposition_change { KEEP_DISPOSITION, IGNORE_IN_PARENT };

/* send_to_waiting_child - fork a child that waits for a token; send it sig,
 * then release it; return its status. */
static int
send_to_waiting_child(int sig)
{
	int ready[2], go[2];

	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(go));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		send_token(ready[1]);
		wait_token(go[0]);
		_exit(SURVIVED_CODE);
	}
	wait_token(ready[0]);
	CHECK_OK(kill(pid, sig));
	send_token(go[1]);
	int status = wait_for(pid);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	return status;
}

int
main(void)
{
	static const int deadly[] = { SIGTERM, SIGUSR1, SIGHUP, SIGINT };
	static const int harmless[] = { SIGCHLD, SIGURG, SIGWINCH };
	char what[64];

	say("signals whose default action terminates");
	for (size_t i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++) {
		snprintf(what, sizeof(what), "child sent signal %d", deadly[i]);
		check_killed_by(what, send_to_waiting_child(deadly[i]), deadly[i]);
	}
	say("signals ignored by default");
	for (size_t i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++) {
		snprintf(what, sizeof(what), "child sent signal %d", harmless[i]);
		check_exited(what, send_to_waiting_child(harmless[i]), SURVIVED_CODE);
	}
	say("SIG_IGN for SIGTERM, inherited by the child");
	CHECK(signal(SIGTERM, SIG_IGN) != SIG_ERR, "signal(SIGTERM, SIG_IGN) failed");
	check_exited("child with SIGTERM ignored", send_to_waiting_child(SIGTERM), SURVIVED_CODE);
	CHECK_OK(raise(SIGTERM));                  /* ignored here as well */
	say("SIG_DFL again");
	CHECK(signal(SIGTERM, SIG_DFL) == SIG_IGN, "old disposition was not SIG_IGN");
	check_killed_by("child after SIG_DFL", send_to_waiting_child(SIGTERM), SIGTERM);
	say("default actions and SIG_IGN behaved");
	return 0;
}
