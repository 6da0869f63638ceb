/*
 * cow_fork_storm — 300 forks in waves of at most 30 live children. Every child
 * checks the parent's 1 MiB pattern, overwrites the whole buffer with its own
 * pattern (one copy-on-write fault per page), checks that, and exits with a
 * code derived from its index; the parent checks every exact status and that
 * its own buffer never changed.
 */
#define TEST_NAME "cow_fork_storm"
#include "guest.h"

#define SHARED_SIZE    (1 * MiB)
#define TOTAL_CHILDREN 300
#define WAVE_SIZE      30
#define PARENT_SEED    0xC0FFEE
#define EXIT_CODE_SPAN 250      /* exit codes 1..250, never 0 */

/* exit_code_for - the status child number index must exit with. */
static int
exit_code_for(int index)
{
	return 1 + index % EXIT_CODE_SPAN;
}

/* child_body - verify the shared copy, write and verify a private one. */
static void
child_body(char *buf, int index)
{
	CHECK_PATTERN("child reads parent's pattern", buf, SHARED_SIZE, PARENT_SEED);
	pattern_fill(buf, SHARED_SIZE, (uint32_t)index);
	CHECK_PATTERN("child reads its own copy", buf, SHARED_SIZE, (uint32_t)index);
	_exit(exit_code_for(index));
}

/* run_wave - fork children first..first+count-1, then reap them in order. */
static void
run_wave(char *buf, int first, int count)
{
	pid_t pids[WAVE_SIZE];
	char what[64];

	for (int i = 0; i < count; i++) {
		pids[i] = fork_or_fail();
		if (pids[i] == 0)
			child_body(buf, first + i);
	}
	for (int i = 0; i < count; i++) {
		snprintf(what, sizeof(what), "child %d", first + i);
		check_exited(what, wait_for(pids[i]), exit_code_for(first + i));
	}
}

int
main(void)
{
	char *buf = map_anon(SHARED_SIZE, PROT_READ | PROT_WRITE);

	pattern_fill(buf, SHARED_SIZE, PARENT_SEED);
	say("%d children in waves of %d, each copying 1 MiB", TOTAL_CHILDREN, WAVE_SIZE);
	for (int first = 0; first < TOTAL_CHILDREN; first += WAVE_SIZE) {
		int count = TOTAL_CHILDREN - first < WAVE_SIZE ? TOTAL_CHILDREN - first : WAVE_SIZE;
		run_wave(buf, first, count);
		CHECK_PATTERN("parent's buffer after a wave", buf, SHARED_SIZE, PARENT_SEED);
	}
	say("all %d children exited with their own status", TOTAL_CHILDREN);
	return 0;
}
