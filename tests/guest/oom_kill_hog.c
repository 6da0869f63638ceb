/*
 * oom_kill_hog — the OOM killer kills the hog, and the rest go on: a child
 * at oom_score_adj 1000 touches anonymous memory page after page until
 * memory runs out (oom_test.h's hog). It must die of SIGKILL; the parent
 * (oom_score_adj left as it was) survives with the pages it wrote before
 * intact, and /proc/vmstat's oom_kill grew by at least one.
 *
 * The parent prints "victim pid N"; on anvil the host runner then checks
 * that the serial console has the kernel's line for that pid,
 * "Out of memory: Killed process N (oom_kill_hog) total-vm:...kB,
 * anon-rss:...kB, ..., oom_score_adj:1000" (tools/runner.py,
 * CONSOLE_CHECKS): anvil has no kernel log a program could read.
 *
 * On the host, run it in a memory cgroup (oom_test.h):
 *     tools/memcg-run 64M build/guest/oom_kill_hog
 * (a transient cgroup with memory.max 64M and memory.swap.max 0 under
 * cgroup v2, or memory.limit_in_bytes under a v1 memory hierarchy). Linux
 * counts a memory cgroup's OOM kills in /proc/vmstat's oom_kill too.
 */
#define TEST_NAME "oom_kill_hog"
#include "oom_test.h"

#define OWN_PAGES        64                /* the parent's pattern */
#define OWN_SEED         0x0badf00du
#define HOG_ADJ          1000

int
main(void)
{
	char *own = map_anon(OWN_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	unsigned long kills_before, kills_after;
	pid_t pid;
	int status;

	pattern_fill(own, OWN_PAGES * PAGE_SIZE, OWN_SEED);
	kills_before = vmstat_oom_kill();
	say("oom_kill before: %lu; starting the hog", kills_before);
	pid = fork_or_fail();
	if (pid == 0)
		hog(HOG_ADJ);
	status = wait_for(pid);
	say("victim pid %d", (int)pid);
	check_oom_killed("the hog", status);
	kills_after = vmstat_oom_kill();
	say("oom_kill after: %lu", kills_after);
	CHECK(kills_after >= kills_before + 1, "oom_kill grew from %lu to only %lu",
	      kills_before, kills_after);
	CHECK_PATTERN("the parent's own pages", own, OWN_PAGES * PAGE_SIZE, OWN_SEED);
	say("the hog died of SIGKILL; our own pages are intact");
	return 0;
}
