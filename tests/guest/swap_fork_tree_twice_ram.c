/*
 * swap_fork_tree_twice_ram — a tree of five processes works on twice the
 * memory this machine has, and every page keeps its own pattern.
 *
 * The budget is MemTotal, or the memory limit of the test's cgroup if it
 * is smaller (cgroup v2 memory.max or v1 memory.limit_in_bytes: how
 * tools/host-swap-check makes the host swap). W = twice the budget, split
 * so that the distinct pages of the tree add up to W:
 *
 *   parent       C, W/4, written before any fork: shared by all five
 *   2 children   R1, W/4 each, written before each forks its grandchild
 *   2 grandkids  R2, W/16 each, their own; and each writes a quarter of
 *                its parent's R1 (W/16 of COW copies each)
 *
 * Each process then reads, ROUNDS times, every page it maps (C, R1, R2)
 * and checks each page's pattern (per-page seeds: a page swapped in at
 * the wrong place or from the wrong slot shows). A child checks after its
 * grandchild has exited that the grandchild's COW writes never reached
 * its R1; the parent checks C last. vmstat pswpout and pswpin must have
 * grown by at least a quarter of W in pages: the tree really swapped, out
 * and back in from the swap area.
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
#define CHILDREN         2
#define PAGE_KB          (PAGE_SIZE / KiB)
#define SEED_C           0x7000000u
#define SEED_R1          0x7100000u        /* + child * 0x10000 */
#define SEED_R2          0x7200000u        /* + child * 0x10000 */
#define SEED_COW         0x7300000u        /* + child * 0x10000 */
#define CHILD_SEED_STEP  0x10000u

static size_t c_pages, r1_pages, r2_pages, cow_pages;

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

	fill_region(r2, r2_pages, own);
	fill_region(r1, cow_pages, cow);                  /* COW: copies of the parent's R1 */
	for (int round = 0; round < ROUNDS; round++) {
		check_region("grandchild: C", c, 0, c_pages, SEED_C);
		check_region("grandchild: its writes to R1", r1, 0, cow_pages, cow);
		check_region("grandchild: the rest of R1", r1, cow_pages, r1_pages - cow_pages,
			     SEED_R1 + child * CHILD_SEED_STEP);
		check_region("grandchild: R2", r2, 0, r2_pages, own);
	}
	_exit(0);
}

static void
child(const char *c, unsigned index)
{
	char *r1 = map_anon(r1_pages * PAGE_SIZE, PROT_READ | PROT_WRITE);
	uint32_t own = SEED_R1 + index * CHILD_SEED_STEP;
	pid_t pid;

	fill_region(r1, r1_pages, own);
	pid = fork_or_fail();
	if (pid == 0)
		grandchild(c, r1, index);
	for (int round = 0; round < ROUNDS; round++) {
		check_region("child: C", c, 0, c_pages, SEED_C);
		check_region("child: R1", r1, 0, r1_pages, own);
	}
	check_exited("grandchild", wait_for(pid), 0);
	check_region("child: R1 after the grandchild's COW writes", r1, 0, r1_pages, own);
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
	c_pages = w_pages / 4;
	r1_pages = w_pages / 4;
	r2_pages = w_pages / 16;
	cow_pages = w_pages / 16;
	say("budget %ld kB: %zu pages in all (C %zu, R1 2 x %zu, R2 2 x %zu, COW 2 x %zu)", budget,
	    c_pages + CHILDREN * (r1_pages + r2_pages + cow_pages), c_pages, r1_pages, r2_pages,
	    cow_pages);

	c = map_anon(c_pages * PAGE_SIZE, PROT_READ | PROT_WRITE);
	fill_region(c, c_pages, SEED_C);
	for (unsigned i = 0; i < CHILDREN; i++) {
		pids[i] = fork_or_fail();
		if (pids[i] == 0)
			child(c, i);
	}
	for (unsigned i = 0; i < CHILDREN; i++)
		check_exited("child", wait_for(pids[i]), 0);
	check_region("parent: C after the tree", c, 0, c_pages, SEED_C);
	CHECK(vmstat_value("pswpout") - out0 >= (long long)w_pages / 4,
	      "pswpout grew by %lld pages, expected at least %zu: the tree did not swap out",
	      vmstat_value("pswpout") - out0, w_pages / 4);
	CHECK(vmstat_value("pswpin") - in0 >= (long long)w_pages / 4,
	      "pswpin grew by %lld pages, expected at least %zu: nothing came back from swap",
	      vmstat_value("pswpin") - in0, w_pages / 4);
	say("every page right; pswpout +%lld, pswpin +%lld", vmstat_value("pswpout") - out0,
	    vmstat_value("pswpin") - in0);
	CHECK_OK(munmap(c, c_pages * PAGE_SIZE));
	return 0;
}
