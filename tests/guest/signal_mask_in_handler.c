/*
 * signal_mask_in_handler — the signal mask while a handler runs:
 *   - by default the handler's own signal is blocked inside it, plus its
 *     sa_mask; the mask before the signal comes back on return;
 *   - raising the same signal inside its handler is deferred until the
 *     handler returns (then delivered once: no nesting);
 *   - with SA_NODEFER the signal is not blocked and raising it nests;
 *   - SA_RESETHAND restores SIG_DFL after the first delivery.
 */
#define TEST_NAME "signal_mask_in_handler"
#include "guest.h"

#define EXTRA_MASKED   SIGUSR2

static volatile int depth, max_depth, deliveries;
static volatile int own_blocked, extra_blocked;

/* record_mask - note whether SIGUSR1 and EXTRA_MASKED are blocked right now. */
static void
record_mask(void)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	own_blocked = sigismember(&now, SIGUSR1);
	extra_blocked = sigismember(&now, EXTRA_MASKED);
}

/* on_usr1 - record the mask and nesting; re-raise once from the first entry. */
static void
on_usr1(int sig)
{
	deliveries++;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (deliveries == 1) {
		record_mask();
		raise(SIGUSR1);
	}
	depth--;
}

/* install - on_usr1 for SIGUSR1 with flags and EXTRA_MASKED in sa_mask. */
static void
install(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, EXTRA_MASKED);
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	depth = max_depth = deliveries = 0;
}

/* check_mask_restored - neither signal blocked after the handler returned. */
static void
check_mask_restored(void)
{
	sigset_t now;

	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &now));
	CHECK_EQ("SIGUSR1 blocked after return", 0, sigismember(&now, SIGUSR1));
	CHECK_EQ("sa_mask signal blocked after return", 0, sigismember(&now, EXTRA_MASKED));
}

/* default_flags - no flags: blocked inside, deferred re-raise, no nesting. */
static void
default_flags(void)
{
	install(0);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ("own signal blocked inside the handler", 1, own_blocked);
	CHECK_EQ("sa_mask signal blocked inside the handler", 1, extra_blocked);
	CHECK_EQ("deliveries (the re-raise deferred, then delivered)", 2, deliveries);
	CHECK_EQ("maximum nesting", 1, max_depth);
	check_mask_restored();
}

/* nodefer - SA_NODEFER: not blocked inside, the re-raise nests. */
static void
nodefer(void)
{
	install(SA_NODEFER);
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ("own signal blocked with SA_NODEFER", 0, own_blocked);
	CHECK_EQ("sa_mask signal still blocked", 1, extra_blocked);
	CHECK_EQ("deliveries", 2, deliveries);
	CHECK_EQ("maximum nesting with SA_NODEFER", 2, max_depth);
	check_mask_restored();
}

/* raise_twice_with_resethand - child body: the second SIGUSR1 meets SIG_DFL. */
static void
raise_twice_with_resethand(void *unused)
{
	install(SA_RESETHAND);
	raise(SIGUSR1);            /* handled; the re-raise inside hits SIG_DFL */
	_exit(0);
}

int
main(void)
{
	say("default: own signal and sa_mask blocked in the handler");
	default_flags();
	say("SA_NODEFER: the handler nests");
	nodefer();
	say("SA_RESETHAND: the second SIGUSR1 kills");
	check_killed_by("child with SA_RESETHAND", run_in_child(raise_twice_with_resethand, NULL),
			SIGUSR1);
	say("the handler's mask was exactly as asked");
	return 0;
}
