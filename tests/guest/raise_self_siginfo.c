/*
 * raise_self_siginfo — a signal sent to oneself is handled before the sending
 * call returns, and its siginfo says who sent it and how:
 *   raise()  (tkill)  si_code SI_TKILL, si_pid = our pid, si_uid = our uid
 *   kill(getpid())    si_code SI_USER
 * The handler's first argument and si_signo name the signal.
 */
#define TEST_NAME "raise_self_siginfo"
#include "guest.h"

static volatile struct {
	int count;
	int sig;
	int signo;
	int code;
	pid_t pid;
	uid_t uid;
} got;

/* on_signal - record the signal number and siginfo fields. */
static void
on_signal(int sig, siginfo_t *info, void *context)
{
	got.count++;
	got.sig = sig;
	got.signo = info->si_signo;
	got.code = info->si_code;
	got.pid = info->si_pid;
	got.uid = info->si_uid;
}

/* check_got - exactly one delivery of sig with code, from us. */
static void
check_got(int sig, int code)
{
	CHECK_EQ("deliveries before the call returned", 1, got.count);
	CHECK_EQ("handler's sig argument", sig, got.sig);
	CHECK_EQ("si_signo", sig, got.signo);
	CHECK_EQ("si_code", code, got.code);
	CHECK_EQ("si_pid", getpid(), got.pid);
	CHECK_EQ("si_uid", getuid(), got.uid);
}

int
main(void)
{
	set_siginfo_handler(SIGUSR1, on_signal, 0);
	set_siginfo_handler(SIGUSR2, on_signal, 0);

	say("raise(SIGUSR1)");
	memset((void *)&got, 0, sizeof(got));
	CHECK_EQ("raise", 0, raise(SIGUSR1));
	check_got(SIGUSR1, SI_TKILL);

	say("kill(getpid(), SIGUSR2)");
	memset((void *)&got, 0, sizeof(got));
	CHECK_EQ("kill", 0, kill(getpid(), SIGUSR2));
	check_got(SIGUSR2, SI_USER);

	say("self-sent signals arrived synchronously with the right siginfo");
	return 0;
}
