/*
 * oom_kill_asleep — the OOM killer's victim may be asleep, and one kill
 * waits for the last: a child at oom_score_adj 1000 writes SLEEPER_MIB of
 * memory and sleeps in read() of a pipe nobody writes; then a hog at
 * oom_score_adj 0 touches memory without end (oom_test.h). The sleeper
 * scores highest: its adjustment alone is worth all of memory (less
 * Linux's rounding of total / 1000, which its own pages more than make
 * up), more than the hog can ever hold. So it is killed first: SIGKILL
 * must wake it and it must exit, although the read never returns data.
 * The pages it frees do not end the shortage, so the hog is killed next.
 * Both die of SIGKILL, the parent (adjustment 0, small) survives with its
 * pages intact, and oom_kill grew by at least two.
 *
 * The parent prints "victims S H" (sleeper, hog). On anvil the host runner
 * checks the console (tools/runner.py, CONSOLE_CHECKS): exactly two "Out of
 * memory: Killed process" lines during the test, the sleeper's (at 1000)
 * and then the hog's (at 0): no second kill while the sleeper was still
 * exiting (it would have chosen the sleeper again), none of the parent.
 *
 * On the host, in a memory cgroup (oom_test.h):
 *     tools/memcg-run 64M build/guest/oom_kill_asleep
 */
#define TEST_NAME "oom_kill_asleep"
#include "oom_test.h"

#define OWN_PAGES        64
#define OWN_SEED         0x5ee9u
#define SLEEPER_ADJ      1000
#define HOG_ADJ          0
#define SLEEPER_MIB      8

/* sleeper - at SLEEPER_ADJ, with SLEEPER_MIB written, says it is ready,
 * then sleeps in read(). */
static void
sleeper(int ready_fd, int never_fd)
{
	char *mine = map_anon((size_t)SLEEPER_MIB * MiB, PROT_READ | PROT_WRITE);
	char byte;

	if (!set_own_oom_score_adj(SLEEPER_ADJ))
		_exit(HOG_SETUP_FAILED);
	memset(mine, 1, (size_t)SLEEPER_MIB * MiB);
	send_token(ready_fd);
	while (read(never_fd, &byte, 1) != 0)
		;                                  /* EINTR or data: keep sleeping */
	_exit(HOG_NOT_KILLED);                     /* EOF: the parent died */
}

int
main(void)
{
	char *own = map_anon(OWN_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	unsigned long kills_before, kills_after;
	int ready[2], never[2];
	pid_t asleep, hungry;

	pattern_fill(own, OWN_PAGES * PAGE_SIZE, OWN_SEED);
	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(never));
	kills_before = vmstat_oom_kill();
	asleep = fork_or_fail();
	if (asleep == 0)
		sleeper(ready[1], never[0]);
	wait_token(ready[0]);
	say("sleeper %d asleep at oom_score_adj %d; starting the hog", (int)asleep, SLEEPER_ADJ);
	hungry = fork_or_fail();
	if (hungry == 0)
		hog(HOG_ADJ);
	check_oom_killed("the sleeper", wait_for(asleep));
	check_oom_killed("the hog", wait_for(hungry));
	say("victims %d %d", (int)asleep, (int)hungry);
	kills_after = vmstat_oom_kill();
	CHECK(kills_after >= kills_before + 2, "oom_kill grew from %lu to only %lu",
	      kills_before, kills_after);
	CHECK_PATTERN("the parent's own pages", own, OWN_PAGES * PAGE_SIZE, OWN_SEED);
	say("both died of SIGKILL, the sleeper first; our own pages are intact");
	close(never[1]);
	return 0;
}
