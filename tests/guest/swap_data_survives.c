/*
 * swap_data_survives — every page keeps its own pattern through swap-out
 * (MADV_PAGEOUT) and swap-in, for each kind of anonymous memory.
 *
 * Checks:
 *   - private anonymous memory: 128 pages, each with its own seed, out
 *     (pagemap swap entries) and read back page by page in a scrambled
 *     order; the whole range's checksum is unchanged;
 *   - shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) paged out by the
 *     parent before fork and by a child after fork (pages the parent does
 *     not map yet): each side reads the other's pages, a store after
 *     swap-in is seen by the other side;
 *   - forked-and-shared COW memory: paged out before fork, so the child
 *     inherits the swap entries (the same type and offset as the
 *     parent's); the child's read and then the parent's bring each page
 *     back once, into one frame both map (pagemap); then each side writes
 *     half of the pages: the writer gets a copy and the other side keeps
 *     the old data; the parent, now its page's only user, keeps its frame
 *     when it writes (no needless copy);
 *   - mremapped memory: a range half swapped out is moved (MREMAP_MAYMOVE
 *     |MREMAP_FIXED): its swap entries move with it (pagemap at the new
 *     address), the old range is gone, every page reads back at the new
 *     address; then it is grown by mremap and the new pages read zero.
 */
#define TEST_NAME "swap_data_survives"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define PAGES     128
#define LEN       (PAGES * PAGE_SIZE)
#define HALF      (PAGES / 2)
#define SEED_BASE 0x51000u        /* page i of a range holds seed SEED_BASE + i */

/* Page i of a range holds pattern seed + i: a page moved, swapped or
 * mixed up with another shows up as a wrong pattern. */
static void
fill_pages(char *p, size_t pages, uint32_t seed)
{
	for (size_t i = 0; i < pages; i++)
		pattern_fill(p + i * PAGE_SIZE, PAGE_SIZE, seed + (uint32_t)i);
}

static void
check_page(const char *what, const char *p, size_t i, uint32_t seed)
{
	const uint8_t *page = (const uint8_t *)p + i * PAGE_SIZE;
	long off = pattern_mismatch(page, PAGE_SIZE, seed + (uint32_t)i);

	if (off >= 0)
		fail("%s: page %zu byte %ld (expected 0x%02x, got 0x%02x)", what, i, off,
		     pattern_byte(seed + (uint32_t)i, (size_t)off), page[off]);
}

static void
check_pages(const char *what, const char *p, size_t pages, uint32_t seed)
{
	for (size_t i = 0; i < pages; i++)
		check_page(what, p, i, seed);
}

static void
private_memory(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	uint32_t sum, rng = 12345;

	fill_pages(p, PAGES, SEED_BASE);
	sum = checksum(p, LEN);
	pageout(p, LEN);
	check_swapped_out("private pages", p, PAGES);
	for (size_t n = 0; n < PAGES; n++) {       /* a scrambled order of swap-ins */
		size_t i = rng_next(&rng) % PAGES;
		check_page("private page read after swap-out", p, i, SEED_BASE);
	}
	check_pages("private pages, all of them", p, PAGES, SEED_BASE);
	CHECK_EQ_HEX("checksum of the private range", sum, checksum(p, LEN));
	unmap_isolated(p, PAGES);
	say("private: 128 pages out and back in a scrambled order, each its own");
}

static void
shared_memory(void)
{
	char *p = isolated_map(PAGES, MAP_SHARED);
	int to_child[2], to_parent[2];
	pid_t child;

	fill_pages(p, PAGES, SEED_BASE + 1000);
	pageout(p, HALF * PAGE_SIZE);              /* the first half, before fork */
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	child = fork_or_fail();
	if (child == 0) {
		check_pages("child: shared pages the parent paged out", p, HALF, SEED_BASE + 1000);
		pageout(p + HALF * PAGE_SIZE, HALF * PAGE_SIZE);   /* the second half, by the child */
		fill_pages(p, HALF, SEED_BASE + 2000);             /* stores after swap-in */
		pageout(p, HALF * PAGE_SIZE);
		send_token(to_parent[1]);
		wait_token(to_child[0]);
		check_pages("child: the parent's stores after swap-in", p + HALF * PAGE_SIZE, HALF,
			    SEED_BASE + 3000);
		_exit(0);
	}
	wait_token(to_parent[0]);
	check_pages("parent: pages the child stored and paged out", p, HALF, SEED_BASE + 2000);
	for (size_t i = HALF; i < PAGES; i++)
		check_page("parent: pages the child paged out", p, i, SEED_BASE + 1000);
	fill_pages(p + HALF * PAGE_SIZE, HALF, SEED_BASE + 3000);
	pageout(p, LEN);
	send_token(to_child[1]);
	check_exited("child of the shared-memory part", wait_for(child), 0);
	check_pages("parent: its own stores, after the child", p + HALF * PAGE_SIZE, HALF,
		    SEED_BASE + 3000);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	unmap_isolated(p, PAGES);
	say("shared anonymous: out before and after fork, stores seen across");
}

static void
cow_memory(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	int to_child[2], to_parent[2], frames[2];
	uint64_t entries[PAGES], child_frames[PAGES];
	pid_t child;

	fill_pages(p, PAGES, SEED_BASE + 4000);
	pageout(p, LEN);
	check_swapped_out("COW pages before fork", p, PAGES);
	for (size_t i = 0; i < PAGES; i++)
		entries[i] = pagemap_entry(p + i * PAGE_SIZE) & ~PM_EXCLUSIVE;
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	CHECK_OK(pipe(frames));
	child = fork_or_fail();
	if (child == 0) {
		for (size_t i = 0; i < PAGES; i++)
			CHECK_EQ_HEX("child: inherited swap entry", entries[i],
				     pagemap_entry(p + i * PAGE_SIZE) & ~PM_EXCLUSIVE);
		check_pages("child: COW pages after swap-in", p, PAGES, SEED_BASE + 4000);
		for (size_t i = 0; i < PAGES; i++)
			child_frames[i] = pm_pfn(pagemap_entry(p + i * PAGE_SIZE));
		CHECK(write_full(frames[1], child_frames, sizeof(child_frames)) ==
		      (long)sizeof(child_frames), "child: write frames");
		wait_token(to_child[0]);
		fill_pages(p, HALF, SEED_BASE + 5000);             /* the child's half */
		send_token(to_parent[1]);
		wait_token(to_child[0]);
		check_pages("child: its own writes", p, HALF, SEED_BASE + 5000);
		for (size_t i = HALF; i < PAGES; i++)
			check_page("child: pages only the parent wrote", p, i, SEED_BASE + 4000);
		_exit(0);
	}
	CHECK(read_full(frames[0], child_frames, sizeof(child_frames)) == (long)sizeof(child_frames),
	      "the child's frames");
	check_pages("parent: COW pages after the child's swap-in", p, PAGES, SEED_BASE + 4000);
	for (size_t i = 0; i < PAGES; i++)
		CHECK_EQ_HEX("frame of a COW page: parent's equals child's", child_frames[i],
			     pm_pfn(pagemap_entry(p + i * PAGE_SIZE)));
	say("COW: the child inherits the swap entries; one swap-in, one shared frame");
	send_token(to_child[1]);
	wait_token(to_parent[0]);
	check_pages("parent: pages the child wrote", p, HALF, SEED_BASE + 4000);
	for (size_t i = HALF; i < PAGES; i++)
		fill_pages(p + i * PAGE_SIZE, 1, SEED_BASE + 6000 + (uint32_t)i);
	for (size_t i = HALF; i < PAGES; i++)
		check_page("parent: its own writes", p, i, SEED_BASE + 6000);
	send_token(to_child[1]);
	check_exited("child of the COW part", wait_for(child), 0);
	for (size_t i = 0; i < HALF; i++) {
		uint64_t before = child_frames[i];

		fill_pages(p + i * PAGE_SIZE, 1, SEED_BASE + 7000 + (uint32_t)i);
		CHECK_EQ_HEX("frame the parent, its only user now, writes", before,
			     pm_pfn(pagemap_entry(p + i * PAGE_SIZE)));
	}
	check_pages("parent: after the child exited", p, HALF, SEED_BASE + 7000);
	for (int i = 0; i < 2; i++) {
		close(to_child[i]);
		close(to_parent[i]);
		close(frames[i]);
	}
	unmap_isolated(p, PAGES);
	say("COW after swap-in: each side's writes stay its own; the last user reuses its frame");
}

static void
mremapped_memory(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	char *target = free_range(2 * PAGES);      /* room to grow there */
	uint64_t entries[HALF];
	char *q;

	fill_pages(p, PAGES, SEED_BASE + 8000);
	pageout(p + HALF * PAGE_SIZE, HALF * PAGE_SIZE);   /* the second half out */
	for (size_t i = 0; i < HALF; i++)
		entries[i] = pagemap_entry(p + (HALF + i) * PAGE_SIZE) & ~PM_EXCLUSIVE;
	q = (char *)sys_mremap(p, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK(q == target, "mremap of a half-swapped range to %p: got %p (%s)", (void *)target,
	      (void *)q, errno_name(errno));
	for (size_t i = 0; i < HALF; i++)
		CHECK_EQ_HEX("swap entry at the new address", entries[i],
			     pagemap_entry(q + (HALF + i) * PAGE_SIZE) & ~PM_EXCLUSIVE);
	CHECK(!(pagemap_entry(p) & (PM_PRESENT | PM_SWAP)), "the old address still maps something");
	check_pages("moved range, read at the new address", q, PAGES, SEED_BASE + 8000);
	pageout(q, LEN);
	check_swapped_out("moved range paged out again", q, PAGES);
	q = (char *)sys_mremap(q, LEN, 2 * LEN, 0, NULL);
	CHECK(q == target, "mremap growing the swapped range in place: got %p (%s)", (void *)q,
	      errno_name(errno));
	check_pages("grown range, old part", q, PAGES, SEED_BASE + 8000);
	CHECK_ZERO("grown range, new part", q + LEN, LEN);
	CHECK_OK(munmap(q, 2 * LEN));
	CHECK_OK(munmap(p - PAGE_SIZE, PAGE_SIZE));
	CHECK_OK(munmap(p + LEN, PAGE_SIZE));
	say("mremap: swap entries move with the range, data reads back, growing adds zeros");
}

int
main(void)
{
	need_swap(4 * (LEN / KiB));
	private_memory();
	shared_memory();
	cow_memory();
	mremapped_memory();
	return 0;
}
