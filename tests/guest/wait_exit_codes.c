/*
 * wait_exit_codes — every exit code 0..255 reaches the parent exactly:
 * WIFEXITED, not WIFSIGNALED, WEXITSTATUS == code. Children are created in
 * batches and reaped by specific pid in reverse order of creation, through
 * waitpid, wait4 with a NULL rusage and wait4 with a real rusage; an exit code
 * above 255 is truncated to its low 8 bits.
 */
#define TEST_NAME "wait_exit_codes"
#include "guest.h"
#include <sys/resource.h>

#define EXIT_CODES     256
#define BATCH          32
#define WIDE_CODE      0x1234                  /* exit(0x1234) reports 0x34 */
#define EXIT_CODE_MASK 0xff

enum reaper { BY_WAITPID, BY_WAIT4_NULL, BY_WAIT4_RUSAGE, REAPER_COUNT };

/* reap - wait for pid the way numbered reaper, return the status. */
static int
reap(pid_t pid, enum reaper how)
{
	struct rusage usage;
	int status = -1;
	pid_t got = -1;

	switch (how) {
	case BY_WAITPID:
		got = waitpid(pid, &status, 0);
		break;
	case BY_WAIT4_NULL:
		got = wait4(pid, &status, 0, NULL);
		break;
	default:
		got = wait4(pid, &status, 0, &usage);
		break;
	}
	CHECK_EQ("pid returned by wait", pid, got);
	return status;
}

/* run_batch - codes first..first+BATCH-1, reaped newest first. */
static void
run_batch(int first)
{
	pid_t pids[BATCH];
	char what[64];

	for (int i = 0; i < BATCH; i++) {
		pids[i] = fork_or_fail();
		if (pids[i] == 0)
			_exit(first + i);
	}
	for (int i = BATCH - 1; i >= 0; i--) {
		int status = reap(pids[i], (enum reaper)((first + i) % REAPER_COUNT));
		snprintf(what, sizeof(what), "child exiting with %d", first + i);
		CHECK(!WIFSIGNALED(status), "%s: WIFSIGNALED set", what);
		check_exited(what, status, first + i);
	}
}

int
main(void)
{
	say("exit codes 0..%d through waitpid and wait4", EXIT_CODES - 1);
	for (int first = 0; first < EXIT_CODES; first += BATCH)
		run_batch(first);

	pid_t pid = fork_or_fail();
	if (pid == 0)
		_exit(WIDE_CODE);
	check_exited("exit(0x1234)", wait_for(pid), WIDE_CODE & EXIT_CODE_MASK);
	say("all exit codes arrived exactly");
	return 0;
}
