/*
 * sigkill_uncatchable — SIGKILL (and SIGSTOP) cannot be caught, ignored or
 * blocked: sigaction with a handler or SIG_IGN fails with EINVAL and leaves
 * SIG_DFL in place; sigprocmask silently drops them from the mask; a child
 * that blocks and ignores every signal it can still dies of SIGKILL.
 * rt_sigaction with an invalid signal number (0, 65) is EINVAL too.
 */
#define TEST_NAME "sigkill_uncatchable"
#include "guest.h"
#include <sys/syscall.h>

#define BAD_SIGNAL_HIGH 65
#define KERNEL_SIGSET_BYTES 8                  /* 64 signals */
#define KSIGACTION_WORDS    5                  /* handler, flags, restorer, mask */

/* handler - a handler that must never be installed for SIGKILL/SIGSTOP. */
static void
handler(int sig)
{
}

/* check_cannot_change - handler and SIG_IGN are both refused for sig. */
static void
check_cannot_change(int sig)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = handler;
	CHECK_ERRNO(sigaction(sig, &sa, NULL), EINVAL);
	sa.sa_handler = SIG_IGN;
	CHECK_ERRNO(sigaction(sig, &sa, NULL), EINVAL);
	CHECK_OK(sigaction(sig, NULL, &old));
	CHECK_EQ_HEX("disposition after refused changes", (uintptr_t)SIG_DFL,
		     (uintptr_t)old.sa_handler);
}

/* check_cannot_block - a full mask comes back without SIGKILL and SIGSTOP. */
static void
check_cannot_block(void)
{
	sigset_t all, now;

	sigfillset(&all);
	CHECK_OK(sigprocmask(SIG_SETMASK, &all, NULL));
	CHECK_OK(sigprocmask(SIG_SETMASK, NULL, &now));
	CHECK_EQ("SIGKILL in the mask", 0, sigismember(&now, SIGKILL));
	CHECK_EQ("SIGSTOP in the mask", 0, sigismember(&now, SIGSTOP));
	CHECK_EQ("SIGTERM in the mask", 1, sigismember(&now, SIGTERM));
	sigemptyset(&all);
	CHECK_OK(sigprocmask(SIG_SETMASK, &all, NULL));
}

/* stubborn_child - ignores what it can, blocks everything, reports, waits. */
static void
stubborn_child(int ready_fd, int never_fd)
{
	sigset_t all;
	char byte;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	send_token(ready_fd);
	read(never_fd, &byte, 1);
	_exit(1);
}

/* check_kills_stubborn_child - SIGTERM is shrugged off, SIGKILL is not. */
static void
check_kills_stubborn_child(void)
{
	int ready[2], never[2];

	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(never));
	pid_t pid = fork_or_fail();
	if (pid == 0)
		stubborn_child(ready[1], never[0]);
	wait_token(ready[0]);
	CHECK_OK(kill(pid, SIGTERM));              /* ignored and blocked */
	CHECK_OK(kill(pid, SIGKILL));
	check_killed_by("child ignoring and blocking everything", wait_for(pid), SIGKILL);
}

/* raw_sigaction - rt_sigaction(sig) setting SIG_DFL, bypassing musl's own
 * check of the signal number. */
static long
raw_sigaction(int sig)
{
	uint32_t kernel_sigaction[KSIGACTION_WORDS] = { 0 };     /* SIG_DFL, no flags */

	return syscall(SYS_rt_sigaction, sig, kernel_sigaction, NULL, KERNEL_SIGSET_BYTES);
}

int
main(void)
{
	say("sigaction on SIGKILL and SIGSTOP");
	check_cannot_change(SIGKILL);
	check_cannot_change(SIGSTOP);
	CHECK_ERRNO(signal(SIGKILL, SIG_IGN) == SIG_ERR ? -1 : 0, EINVAL);
	CHECK_ERRNO(raw_sigaction(0), EINVAL);
	CHECK_ERRNO(raw_sigaction(BAD_SIGNAL_HIGH), EINVAL);
	say("sigprocmask cannot block them");
	check_cannot_block();
	say("SIGKILL ends a child that ignores and blocks everything");
	check_kills_stubborn_child();
	say("SIGKILL stayed uncatchable");
	return 0;
}
