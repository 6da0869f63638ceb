/*
 * cow_fork_nested — a chain of forks five deep. Each generation writes its own
 * page of a shared buffer before forking the next, so every process sees the
 * pages of all its ancestors; each process then overwrites the common page
 * with its own pattern, and after its child exits it checks that neither the
 * child nor any deeper descendant changed its copy.
 */
#define TEST_NAME "cow_fork_nested"
#include "guest.h"

#define DEPTH          5
#define COMMON_PAGE    DEPTH                   /* page every generation rewrites */
#define BUFFER_PAGES   (DEPTH + 1)
#define GENERATION_SEED(g) (0x5000u + (uint32_t)(g))
#define COMMON_SEED(g)     (0x6000u + (uint32_t)(g))

static char *buffer;

/* page_of - start of page number index of the buffer. */
static char *
page_of(int index)
{
	return buffer + (size_t)index * PAGE_SIZE;
}

/* check_ancestors - pages 0..generation-1 hold each ancestor's pattern. */
static void
check_ancestors(int generation)
{
	char what[64];

	for (int g = 0; g < generation; g++) {
		snprintf(what, sizeof(what), "generation %d sees page of generation %d",
			 generation, g);
		CHECK_PATTERN(what, page_of(g), PAGE_SIZE, GENERATION_SEED(g));
	}
}

/* live_generation - the body of one generation; returns its exit code. */
static int
live_generation(int generation)
{
	char what[64];

	check_ancestors(generation);
	if (generation == DEPTH)
		return 0;
	pattern_fill(page_of(generation), PAGE_SIZE, GENERATION_SEED(generation));

	pid_t pid = fork_or_fail();
	if (pid == 0)
		_exit(live_generation(generation + 1));

	pattern_fill(page_of(COMMON_PAGE), PAGE_SIZE, COMMON_SEED(generation));
	snprintf(what, sizeof(what), "generation %d's child", generation + 1);
	check_exited(what, wait_for(pid), 0);

	snprintf(what, sizeof(what), "generation %d's common page", generation);
	CHECK_PATTERN(what, page_of(COMMON_PAGE), PAGE_SIZE, COMMON_SEED(generation));
	check_ancestors(generation + 1);
	return 0;
}

int
main(void)
{
	buffer = map_anon(BUFFER_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	say("fork chain %d deep, every level writing its own pages", DEPTH);
	live_generation(0);
	say("every generation kept its own copy");
	return 0;
}
