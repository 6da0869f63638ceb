/*
 * rmap_fork_generations_bounded — 400 generations of fork-then-parent-exits
 * (each survivor forks, then the parent exits and the child carries on)
 * must not make the survivor's reverse-mapping metadata grow with the
 * generations. The bug: every fork gave each VMA a new anon_vma and a
 * chain entry for every ancestor's, and nothing reused the dead
 * ancestors' ones, so the survivor of 390 generations held 1.58 MB more
 * kernel memory and forked ever more slowly.
 *
 * The process has a mapping split into SPLIT_VMAS VMAs (mprotect on every
 * other page), all touched. Each generation waits until its parent has
 * exited (getppid changes), rewrites one writable page with its own
 * pattern (a COW fault into its anon_vma), and forks. The anon_vma and
 * anon_vma_chain lines of /proc/slabinfo (active objects x object size)
 * are read at generation BASELINE and at the last; the growth between them
 * must stay below 1/8 of what one new anon_vma and one chain entry per
 * VMA per generation would add. The survivor checks every page's contents
 * (and, on anvil, the reverse-map checker) and reports through a pipe.
 *
 * On Linux /proc/slabinfo is system-wide and readable only by root; the
 * bound leaves room for other processes' noise. Where it cannot be read
 * the memory check is reported as not done and the rest still runs.
 */
#define TEST_NAME "rmap_fork_generations_bounded"
#include "guest.h"
#include "vm_probe.h"
#include <sched.h>
#include <stdbool.h>

#define GENERATIONS    400
#define BASELINE       20              /* generations before the memory baseline */
#define SPLIT_VMAS     64
#define ORIGINAL_SEED(i)          (0x7100u + (uint32_t)(i))
#define GENERATION_SEED(g)        (0x7200u + (uint32_t)(g))
#define SLABINFO_PATH  "/proc/slabinfo"
#define GROWTH_DIVISOR 8               /* allowed: 1/8 of linear growth */
#define PARENT_WAIT_POLLS 2000000      /* sched_yield()s before giving up */

/* What the survivor sends back to the original process. */
struct report {
	int generations;               /* the last generation reached */
	int measured;                  /* 1 if /proc/slabinfo could be read */
	long long base_bytes;          /* anon_vma + chain bytes at BASELINE */
	long long end_bytes;           /* ... at GENERATIONS */
	long long per_vma_gen_bytes;   /* one anon_vma + one chain entry */
};

static char *map;

static char *
page_of(int i)
{
	return map + (size_t)i * PAGE_SIZE;
}

/* Writable pages are the even ones; generation g rewrites one of them. */
static int
page_written_by(int g)
{
	return (g * 2) % SPLIT_VMAS;
}

/* slab_figures - active_objs x objsize of the anon_vma and anon_vma_chain
 * caches into *bytes, and the two object sizes added into *pair; false if
 * /proc/slabinfo cannot be read or has no anon_vma line. */
static bool
slab_figures(long long *bytes, long long *pair)
{
	FILE *f = fopen(SLABINFO_PATH, "r");
	char line[256];
	bool seen = false;

	*bytes = *pair = 0;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned long active, total, size;

		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &total, &size) != 4)
			continue;
		if (strcmp(name, "anon_vma") && strcmp(name, "anon_vma_chain"))
			continue;
		*bytes += (long long)active * (long long)size;
		*pair += (long long)size;
		seen |= strcmp(name, "anon_vma") == 0;
	}
	fclose(f);
	return seen;
}

/* wait_parent_gone - the parent (pid parent) has exited: we were handed
 * to init or a subreaper, and its address space is gone. */
static void
wait_parent_gone(pid_t parent)
{
	for (long i = 0; getppid() == parent; i++) {
		CHECK(i < PARENT_WAIT_POLLS, "parent %d did not exit", (int)parent);
		sched_yield();
	}
}

/* check_contents - odd pages hold the original pattern, even pages that of
 * the last generation (up to g) that rewrote them, or the original. */
static void
check_contents(int g)
{
	char what[80];

	for (int i = 0; i < SPLIT_VMAS; i++) {
		uint32_t seed = ORIGINAL_SEED(i);

		for (int w = 1; w <= g; w++)
			if (page_written_by(w) == i)
				seed = GENERATION_SEED(w);
		snprintf(what, sizeof(what), "generation %d: page %d", g, i);
		CHECK_PATTERN(what, page_of(i), PAGE_SIZE, seed);
	}
}

/* survive - the life of generations 1..GENERATIONS in one line of
 * descent; only the last one returns, with the report filled in. */
static void
survive(struct report *r)
{
	pid_t parent = 0;
	long long pair = 0;

	for (int g = 1;; g++) {
		if (parent)
			wait_parent_gone(parent);
		pattern_fill(page_of(page_written_by(g)), PAGE_SIZE, GENERATION_SEED(g));
		if (g == BASELINE)
			r->measured = slab_figures(&r->base_bytes, &pair);
		if (g % 100 == 0) {
			check_contents(g);
			if (running_on_anvil())
				check_rmap_consistent("during the generations");
		}
		if (g == GENERATIONS) {
			r->generations = g;
			break;
		}
		parent = getpid();
		if (fork_or_fail() != 0)
			_exit(0);                        /* the parent exits at once */
	}
	if (r->measured)
		r->measured = slab_figures(&r->end_bytes, &r->per_vma_gen_bytes);
	check_contents(GENERATIONS);
}

int
main(void)
{
	struct report r = { 0 };
	int fd[2];

	map = map_anon(SPLIT_VMAS * PAGE_SIZE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < SPLIT_VMAS; i++)
		pattern_fill(page_of(i), PAGE_SIZE, ORIGINAL_SEED(i));
	for (int i = 1; i < SPLIT_VMAS; i += 2)
		CHECK_OK(mprotect(page_of(i), PAGE_SIZE, PROT_READ));
	say("%d generations of fork-then-parent-exits, %d VMAs on one anon_vma", GENERATIONS,
	    SPLIT_VMAS);

	CHECK_OK(pipe(fd));
	pid_t first = fork_or_fail();
	if (first == 0) {
		close(fd[0]);
		survive(&r);
		CHECK_EQ("write report", (long)sizeof(r), write_full(fd[1], &r, sizeof(r)));
		_exit(0);
	}
	close(fd[1]);
	check_exited("generation 1", wait_for(first), 0);
	CHECK_EQ("the survivor's report (none: it failed, see above)", (long)sizeof(r),
		 read_full(fd[0], &r, sizeof(r)));
	CHECK_EQ("generations reached", GENERATIONS, r.generations);
	say("every page kept its contents through %d generations", r.generations);

	if (!r.measured) {
		CHECK(!running_on_anvil(), "anvil has no readable %s with an anon_vma line",
		      SLABINFO_PATH);
		say("memory check not done: %s unreadable here (Linux needs root)", SLABINFO_PATH);
		return 0;
	}
	long long grown = r.end_bytes - r.base_bytes;
	long long linear = (long long)SPLIT_VMAS * r.per_vma_gen_bytes * (GENERATIONS - BASELINE);

	say("anon_vma + anon_vma_chain bytes: %lld at generation %d, %lld at %d (%+lld; "
	    "linear growth would be %lld)", r.base_bytes, BASELINE, r.end_bytes, GENERATIONS,
	    grown, linear);
	CHECK(grown < linear / GROWTH_DIVISOR,
	      "reverse-map memory grew with the generations (expected under %lld bytes, got %lld, "
	      "%lld per generation)", linear / GROWTH_DIVISOR, grown,
	      grown / (GENERATIONS - BASELINE));
	return 0;
}
