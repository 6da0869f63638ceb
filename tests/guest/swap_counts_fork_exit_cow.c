/*
 * swap_counts_fork_exit_cow — swap slots are counted right across fork,
 * exit, munmap and copy-on-write: meminfo's SwapFree comes back to where
 * it started every time the last reference to a slot goes, and never
 * before.
 *
 * Checks (each SwapFree figure exact, in kB, as Linux 6.18 gives them):
 *   - MADV_PAGEOUT of 64 private pages takes 256 kB of swap;
 *   - a child forked then exits without touching them: no slot freed
 *     (the parent still holds them), none taken either;
 *   - a child that reads them (one swap-in, the page then shared with the
 *     parent's swap entry through the swap cache) and writes half of them
 *     (COW copies), then exits: still 256 kB taken (the parent's swap
 *     entries hold them); the parent reads them: Linux keeps the slots
 *     (the swap cache's), a kernel may free them, never more;
 *   - the parent writes every page (it is now the only user: the slot of
 *     each page it writes is freed): SwapFree is back at the start;
 *   - a second range paged out and then unmapped, still swapped: back;
 *   - a child that pages out memory of its own and exits without touching
 *     it: back once it is reaped;
 *   - a child holding swapped pages it inherited, killed by SIGKILL: the
 *     parent's count is unchanged, and after the parent's munmap back at
 *     the start;
 *   - shared anonymous memory paged out, then unmapped: back.
 * The data is checked at each step (per-page patterns). pageout() waits
 * for the pages' writes to end (wait_swap_written in swap_test.h: Linux
 * keeps the slots of pages unmapped while being written until reclaim
 * comes by).
 */
#define TEST_NAME "swap_counts_fork_exit_cow"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define PAGES     64
#define LEN       (PAGES * PAGE_SIZE)
#define HALF      (PAGES / 2)
#define RANGE_KB  ((long)LEN / KiB)
#define SEED      0xc0c0
#define SEED_CHILD 0xc0c1
#define SEED_PARENT 0xc0c2

static long start_free;

static void
check_swap_taken(const char *when, long kb)
{
	CHECK_EQ(when, start_free - kb, swap_free_kb());
}

static void
fork_exit_cow(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	pid_t child;

	pattern_fill(p, LEN, SEED);
	pageout(p, LEN);
	check_swapped_out("pages paged out", p, PAGES);
	check_swap_taken("SwapFree after MADV_PAGEOUT of 64 pages (kB)", RANGE_KB);

	child = fork_or_fail();
	if (child == 0)
		_exit(0);
	check_exited("child that touched nothing", wait_for(child), 0);
	check_swap_taken("SwapFree after a child that touched nothing exited (kB)", RANGE_KB);
	say("fork and exit: the slots stay the parent's");

	child = fork_or_fail();
	if (child == 0) {
		CHECK_PATTERN("child: pages read after swap-out", p, LEN, SEED);
		pattern_fill(p, HALF * PAGE_SIZE, SEED_CHILD);
		CHECK_PATTERN("child: its writes", p, HALF * PAGE_SIZE, SEED_CHILD);
		_exit(0);
	}
	check_exited("child that read and wrote", wait_for(child), 0);
	check_swap_taken("SwapFree after a child read, wrote half and exited (kB)", RANGE_KB);
	CHECK_PATTERN("parent: pages after the child's writes", p, LEN, SEED);
	CHECK(swap_free_kb() >= start_free - RANGE_KB && swap_free_kb() <= start_free,
	      "SwapFree after the parent read its pages: %ld kB, expected %ld to %ld (Linux keeps "
	      "the slots of pages read back in the swap cache; freeing them is allowed too)",
	      swap_free_kb(), start_free - RANGE_KB, start_free);
	say("a child's swap-in and COW writes: the slots are still taken");

	pattern_fill(p, LEN, SEED_PARENT);
	check_swap_taken("SwapFree after the parent, sole user, wrote every page (kB)", 0);
	CHECK_PATTERN("parent: its writes", p, LEN, SEED_PARENT);
	unmap_isolated(p, PAGES);
	check_swap_taken("SwapFree after munmap of the written range (kB)", 0);
	say("the sole user's writes freed every slot");
}

static void
munmap_swapped(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);

	pattern_fill(p, LEN, SEED);
	pageout(p, LEN);
	check_swap_taken("SwapFree after a second MADV_PAGEOUT (kB)", RANGE_KB);
	unmap_isolated(p, PAGES);
	check_swap_taken("SwapFree after munmap of swapped pages (kB)", 0);
	say("munmap of swapped pages frees their slots");
}

static void
child_exits_swapped(void)
{
	int ready[2];
	pid_t child;

	CHECK_OK(pipe(ready));
	child = fork_or_fail();
	if (child == 0) {
		char *q = isolated_map(PAGES, MAP_PRIVATE);

		pattern_fill(q, LEN, SEED_CHILD);
		pageout(q, LEN);
		check_swapped_out("child: its own pages", q, PAGES);
			send_token(ready[1]);
		_exit(0);
	}
	wait_token(ready[0]);
	check_exited("child with swapped pages", wait_for(child), 0);
	check_swap_taken("SwapFree after a child with swapped pages exited (kB)", 0);
	close(ready[0]);
	close(ready[1]);
	say("a process that exits with pages in swap frees them");
}

static void
killed_child_inherited(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	int ready[2];
	pid_t child;

	pattern_fill(p, LEN, SEED);
	pageout(p, LEN);
	CHECK_OK(pipe(ready));
	child = fork_or_fail();
	if (child == 0) {
		CHECK_PATTERN("child: the first half", p, HALF * PAGE_SIZE, SEED);
		send_token(ready[1]);
		for (;;)
			pause();
	}
	wait_token(ready[0]);
	CHECK_OK(kill(child, SIGKILL));
	check_killed_by("child holding inherited swap entries", wait_for(child), SIGKILL);
	check_swap_taken("SwapFree after the SIGKILLed child (kB)", RANGE_KB);
	CHECK_PATTERN("parent: pages after the child died", p, LEN, SEED);
	unmap_isolated(p, PAGES);
	check_swap_taken("SwapFree after the parent's munmap (kB)", 0);
	close(ready[0]);
	close(ready[1]);
	say("a killed child's references go; the parent's last one frees the slots");
}

static void
shared_anonymous(void)
{
	char *p = isolated_map(PAGES, MAP_SHARED);

	pattern_fill(p, LEN, SEED);
	pageout(p, LEN);
	check_swap_taken("SwapFree after MADV_PAGEOUT of shared memory (kB)", RANGE_KB);
	unmap_isolated(p, PAGES);
	check_swap_taken("SwapFree after munmap of swapped shared memory (kB)", 0);
	say("shared anonymous memory: its slots go with the object");
}

int
main(void)
{
	need_swap(4 * RANGE_KB);
	start_free = swap_free_kb();
	fork_exit_cow();
	munmap_swapped();
	child_exits_swapped();
	killed_child_inherited();
	shared_anonymous();
	return 0;
}
