/*
 * tests/guest/oom_test.h — what the OOM-killer tests share: vmstat's
 * oom_kill counter, setting our own oom_score_adj, and the hog, a process
 * that touches anonymous memory until something kills it.
 *
 * On the host these tests must run inside a memory cgroup, so that the
 * cgroup's OOM killer acts and the host is not hurt:
 *     tools/memcg-run 64M build/guest/oom_kill_hog
 * Alone on a host, the hog touches all of HOG_RESERVE and the test fails
 * ("not killed"): nothing limited its memory.
 */
#ifndef OOM_TEST_H
#define OOM_TEST_H

#include "guest.h"
#include "vm_probe.h"

#define HOG_RESERVE      (1024u * MiB)     /* far more than the guest's RAM or the cgroup's */
#define HOG_NOT_KILLED   3                 /* the hog's exit code if it touched it all */
#define HOG_SETUP_FAILED 4                 /* ... if it could not set itself up */
#define OOM_ADJ_SELF     "/proc/self/oom_score_adj"

/* vmstat_oom_kill - /proc/vmstat's oom_kill counter. */
static inline unsigned long
vmstat_oom_kill(void)
{
	char *vmstat = read_file("/proc/vmstat");
	const char *p = strstr(vmstat, "\noom_kill ");
	unsigned long kills = 0;

	CHECK(p != NULL, "/proc/vmstat has no oom_kill line");
	CHECK_EQ("oom_kill parsed", 1, sscanf(p, "\noom_kill %lu", &kills));
	free(vmstat);
	return kills;
}

/* set_own_oom_score_adj - writes adj to our oom_score_adj (in a write of its
 * own) and reads it back (in an open of its own: a /proc file's text is
 * made when it is opened, on anvil); false if either fails. */
static inline int
set_own_oom_score_adj(int adj)
{
	char text[16], expected[16], *back;
	int fd = open(OOM_ADJ_SELF, O_WRONLY), ok;
	ssize_t n;

	snprintf(text, sizeof(text), "%d", adj);
	n = fd >= 0 ? write(fd, text, strlen(text)) : -1;
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)strlen(text))
		return 0;
	back = read_file(OOM_ADJ_SELF);
	snprintf(expected, sizeof(expected), "%d\n", adj);
	ok = strcmp(back, expected) == 0;
	free(back);
	return ok;
}

/* hog - sets our oom_score_adj to adj, then writes one byte of every page of
 * a HOG_RESERVE mapping (MAP_NORESERVE); exits only if it got through. */
static inline void
hog(int adj)
{
	volatile char *area;

	if (!set_own_oom_score_adj(adj))
		_exit(HOG_SETUP_FAILED);
	area = mmap(NULL, HOG_RESERVE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (area == MAP_FAILED)
		_exit(HOG_SETUP_FAILED);
	for (size_t off = 0; off < HOG_RESERVE; off += PAGE_SIZE)
		area[off] = 1;
	_exit(HOG_NOT_KILLED);
}

/* check_oom_killed - what must be said of a process the OOM killer was to
 * kill, with the hog's own exit codes named. */
static inline void
check_oom_killed(const char *what, int status)
{
	CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == HOG_SETUP_FAILED),
	      "%s could not set oom_score_adj or map its area", what);
	CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == HOG_NOT_KILLED),
	      "%s touched %u MiB and was not killed: is memory limited (tools/memcg-run)?", what,
	      HOG_RESERVE / MiB);
	check_killed_by(what, status, SIGKILL);
}

#endif
