/*
 * sigprocmask_pending_once — a blocked signal waits as pending and is
 * delivered exactly once when unblocked, however many times it was sent
 * (standard signals do not queue): raised three times by the process itself,
 * then sent three times by a child. sigpending shows it while blocked, the old
 * mask comes back from sigprocmask, and after delivery nothing is pending.
 */
#define TEST_NAME "sigprocmask_pending_once"
#include "guest.h"

#define SENDS          3

static volatile int deliveries;

/* count_delivery - a SIGUSR1 handler that counts its calls. */
static void
count_delivery(int sig)
{
	deliveries++;
}

/* block_usr1 - block SIGUSR1; the previous mask must not have had it. */
static void
block_usr1(void)
{
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, &old));
	CHECK_EQ("SIGUSR1 in the old mask", 0, sigismember(&old, SIGUSR1));
}

/* unblock_and_count - unblock SIGUSR1 and check exactly one delivery. */
static void
unblock_and_count(const char *what)
{
	sigset_t pending, unblock, old;

	CHECK_OK(sigpending(&pending));
	CHECK_EQ("SIGUSR1 pending while blocked", 1, sigismember(&pending, SIGUSR1));
	CHECK_EQ("deliveries while blocked", 0, deliveries);

	sigemptyset(&unblock);
	sigaddset(&unblock, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &unblock, &old));
	CHECK_EQ("SIGUSR1 in the mask before unblocking", 1, sigismember(&old, SIGUSR1));
	CHECK_EQ(what, 1, deliveries);
	CHECK_OK(sigpending(&pending));
	CHECK_EQ("SIGUSR1 pending after delivery", 0, sigismember(&pending, SIGUSR1));
}

/* raised_by_self - three raise() calls while blocked, one delivery. */
static void
raised_by_self(void)
{
	deliveries = 0;
	block_usr1();
	for (int i = 0; i < SENDS; i++)
		CHECK_OK(raise(SIGUSR1));
	unblock_and_count("deliveries of 3 raises after unblocking");
}

/* sent_by_child - three kill() calls from a child while blocked, one delivery. */
static void
sent_by_child(void)
{
	pid_t parent = getpid();

	deliveries = 0;
	block_usr1();
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		for (int i = 0; i < SENDS; i++)
			kill(parent, SIGUSR1);
		_exit(0);
	}
	check_exited("sending child", wait_for(pid), 0);
	unblock_and_count("deliveries of 3 kills after unblocking");
}

int
main(void)
{
	set_handler(SIGUSR1, count_delivery, 0);
	say("raise x3 while blocked");
	raised_by_self();
	say("kill x3 from a child while blocked");
	sent_by_child();
	say("each pending signal was delivered once");
	return 0;
}
