/*
 * swap_fork_tree_twice_ram — a tree of nine processes works on twice
 * the memory this machine has, and every page keeps its own pattern.
 *
 * The budget is MemTotal, or the memory limit of the test's cgroup if it
 * is smaller (cgroup v2 memory.max or v1 memory.limit_in_bytes: how
 * tools/host-swap-check makes the host swap). W = twice the budget, split
 * so that the distinct pages of the tree add up to W:
 *
 *   parent       C, W/16, written before any fork: shared by all nine
 *   4 children   R1, W/8 each, written before each forks its grandchild
 *   4 grandkids  R2, W/16 each, their own; and each writes the first 3/8
 *                of its parent's R1 (3W/64 of COW copies each)
 *
 * so that no process maps more than W/4 (half the budget).
 * Each process then reads, ROUNDS times, every page it maps (C, R1, R2)
 * and checks each page's pattern (per-page seeds: a page swapped in at
 * the wrong place or from the wrong slot shows). A child checks after its
 * grandchild has exited that the grandchild's COW writes never reached
 * its R1; the parent checks C last. vmstat pswpout and pswpin must have
 * grown by at least W/8 pages (a quarter of the budget): the tree really
 * swapped, out and back in from the swap area.
 *
 * The processes take turns (a token passed through one pipe: each step,
 * filling or one round of checks, is done holding it), so every turn
 * must bring back what the others pushed out, and no two processes fault
 * at once, and no process maps more than the budget: on Linux, processes
 * thrashing together in a small memory cgroup, or one sweeping over more
 * than its limit, get OOM-killed now and then, which is not what this
 * tests. If a process dies holding the token, the others would wait for
 * ever: each process sets an alarm of TREE_SECONDS (fork does not pass
 * one on), so the test fails (SIGALRM) rather than hangs.
 *
 * Refused (a failure saying why) where the budget is more than
 * MAX_BUDGET_MIB (the host without a cgroup limit: run it through
 * tools/host-swap-check) or free swap is less than 1.5 times the budget.
 */
#define TEST_NAME "swap_fork_tree_twice_ram"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define MAX_BUDGET_MIB   256
#define ROUNDS           2
#define CHILDREN         4
#define PAGE_KB          (PAGE_SIZE / KiB)
#define SEED_C           0x7000000u
#define SEED_R1          0x7100000u        /* + child * 0x10000 */
#define SEED_R2          0x7200000u        /* + child * 0x10000 */
#define SEED_COW         0x7300000u        /* + child * 0x10000 */
#define CHILD_SEED_STEP  0x10000u
#define TREE_SECONDS     50                /* under init's 60 s limit */

static size_t c_pages, r1_pages, r2_pages, cow_pages;
static int baton[2];                      /* the token of the turns */

static void
take_turn(void)
{
	wait_token(baton[0]);
}

static void
end_turn(void)
{
	send_token(baton[1]);
}

/* Page i of a region holds the pattern seed + i. */
static void
fill_region(char *p, size_t pages, uint32_t seed)
{
	for (size_t i = 0; i < pages; i++)
		pattern_fill(p + i * PAGE_SIZE, PAGE_SIZE, seed + (uint32_t)i);
}

static void
check_region(const char *what, const char *p, size_t first, size_t pages, uint32_t seed)
{
	for (size_t i = first; i < first + pages; i++) {
		const uint8_t *page = (const uint8_t *)p + i * PAGE_SIZE;
		long off = pattern_mismatch(page, PAGE_SIZE, seed + (uint32_t)i);

		if (off >= 0)
			fail("%s: page %zu of %zu, byte %ld (expected 0x%02x, got 0x%02x)", what, i,
			     pages, off, pattern_byte(seed + (uint32_t)i, (size_t)off), page[off]);
	}
}

static void
grandchild(const char *c, char *r1, unsigned child)
{
	char *r2 = map_anon(r2_pages * PAGE_SIZE, PROT_READ | PROT_WRITE);
	uint32_t own = SEED_R2 + child * CHILD_SEED_STEP;
	uint32_t cow = SEED_COW + child * CHILD_SEED_STEP;

	alarm(TREE_SECONDS);
	take_turn();
	fill_region(r2, r2_pages, own);
	fill_region(r1, cow_pages, cow);                  /* COW: copies of the parent's R1 */
	end_turn();
	for (int round = 0; round < ROUNDS; round++) {
		take_turn();
		check_region("grandchild: C", c, 0, c_pages, SEED_C);
		check_region("grandchild: its writes to R1", r1, 0, cow_pages, cow);
		check_region("grandchild: the rest of R1", r1, cow_pages, r1_pages - cow_pages,
			     SEED_R1 + child * CHILD_SEED_STEP);
		check_region("grandchild: R2", r2, 0, r2_pages, own);
		end_turn();
	}
	_exit(0);
}

static void
child(const char *c, unsigned index)
{
	char *r1 = map_anon(r1_pages * PAGE_SIZE, PROT_READ | PROT_WRITE);
	uint32_t own = SEED_R1 + index * CHILD_SEED_STEP;
	pid_t pid;

	alarm(TREE_SECONDS);
	take_turn();
	fill_region(r1, r1_pages, own);
	pid = fork_or_fail();
	if (pid == 0)
		grandchild(c, r1, index);
	end_turn();
	for (int round = 0; round < ROUNDS; round++) {
		take_turn();
		check_region("child: C", c, 0, c_pages, SEED_C);
		check_region("child: R1", r1, 0, r1_pages, own);
		end_turn();
	}
	check_exited("grandchild", wait_for(pid), 0);
	take_turn();
	check_region("child: R1 after the grandchild's COW writes", r1, 0, r1_pages, own);
	end_turn();
	_exit(0);
}

int
main(void)
{
	long budget = memory_budget_kb();
	size_t w_pages = 2 * (size_t)budget / PAGE_KB;
	long long out0 = vmstat_value("pswpout"), in0 = vmstat_value("pswpin");
	pid_t pids[CHILDREN];
	char *c;

	CHECK(budget <= MAX_BUDGET_MIB * 1024L,
	      "memory budget %ld kB is more than %d MiB: too much to work through twice here "
	      "(on the host: tools/host-swap-check runs this in a small memory cgroup)",
	      budget, MAX_BUDGET_MIB);
	need_swap(budget * 3 / 2);
	c_pages = w_pages / 16;
	r1_pages = w_pages / 8;
	r2_pages = w_pages / 16;
	cow_pages = w_pages * 3 / 64;
	say("budget %ld kB: %zu pages in all (C %zu, R1 4 x %zu, R2 4 x %zu, COW 4 x %zu)", budget,
	    c_pages + CHILDREN * (r1_pages + r2_pages + cow_pages), c_pages, r1_pages, r2_pages,
	    cow_pages);

	alarm(TREE_SECONDS);
	c = map_anon(c_pages * PAGE_SIZE, PROT_READ | PROT_WRITE);
	fill_region(c, c_pages, SEED_C);
	CHECK_OK(pipe(baton));
	for (unsigned i = 0; i < CHILDREN; i++) {
		pids[i] = fork_or_fail();
		if (pids[i] == 0)
			child(c, i);
	}
	end_turn();                                       /* the first turn */
	for (unsigned i = 0; i < CHILDREN; i++)
		check_exited("child", wait_for(pids[i]), 0);
	check_region("parent: C after the tree", c, 0, c_pages, SEED_C);
	CHECK(vmstat_value("pswpout") - out0 >= (long long)w_pages / 8,
	      "pswpout grew by %lld pages, expected at least %zu: the tree did not swap out",
	      vmstat_value("pswpout") - out0, w_pages / 8);
	CHECK(vmstat_value("pswpin") - in0 >= (long long)w_pages / 8,
	      "pswpin grew by %lld pages, expected at least %zu: little came back from swap",
	      vmstat_value("pswpin") - in0, w_pages / 8);
	say("every page right; pswpout +%lld, pswpin +%lld", vmstat_value("pswpout") - out0,
	    vmstat_value("pswpin") - in0);
	CHECK_OK(munmap(c, c_pages * PAGE_SIZE));
	return 0;
}
