/*
 * swap_swapoff_brings_back — swapoff of an area holding pages of several
 * processes brings every page back into memory, with its data.
 *
 * The test makes its own swap file (Linux's header, written by
 * swap_test.h) and turns it on at priority 1000, above any other area
 * (the boot's RAM disk on anvil), so MADV_PAGEOUT writes there. Then:
 *   - 128 private pages of the parent, 32 of a child's own and 32 shared
 *     anonymous pages are paged out, and 64 private pages paged out before
 *     a fork that the child inherits as swap entries; pagemap shows every
 *     private one swapped, all in one swap type (this area), /proc/swaps
 *     shows at least that many kB used in it;
 *   - swapoff succeeds; the file is gone from /proc/swaps, SwapTotal and
 *     SwapFree are back where they were, VmSwap is back at its start in
 *     both processes;
 *   - every private page is present again (pagemap, no bit 62) in the
 *     parent and in the child, without being touched first, and holds its
 *     pattern; the shared pages' smaps Swap is 0 and their data is there;
 *   - the inherited pages are still copy-on-write: the child's writes are
 *     its own, the parent keeps its data.
 */
#define TEST_NAME "swap_swapoff_brings_back"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define AREA_PAGES     1024                  /* a 4 MiB swap file */
#define AREA_PRIO      1000
#define OWN_PAGES      128
#define CHILD_PAGES    32
#define SHARED_PAGES   32
#define COW_PAGES      64
#define SWAPPED_PAGES  (OWN_PAGES + CHILD_PAGES + SHARED_PAGES + COW_PAGES)
#define SEED_OWN       0x0ff1
#define SEED_CHILD     0x0ff2
#define SEED_SHARED    0x0ff3
#define SEED_COW       0x0ff4
#define SEED_CHILD_COW 0x0ff5

/* The Used column (kB) of path's /proc/swaps line. */
static long
used_kb_of(const char *path)
{
	char line[256], name[128], type[32];
	long size, used;
	int prio;

	CHECK(swaps_line(path, line, sizeof(line)), "%s not in /proc/swaps", path);
	CHECK(sscanf(line, "%127s %31s %ld %ld %d", name, type, &size, &used, &prio) == 5,
	      "/proc/swaps line \"%s\"", line);
	return used;
}

/* All pages of a range swapped out into one type; returns that type. */
static unsigned
swap_type_of(const char *what, const char *p, size_t pages)
{
	unsigned type = pm_swap_type(pagemap_entry(p));

	check_swapped_out(what, p, pages);
	for (size_t i = 1; i < pages; i++)
		CHECK_EQ("swap type of a page", type, pm_swap_type(pagemap_entry(p + i * PAGE_SIZE)));
	return type;
}

/* The child: pages out memory of its own, reports the swap type, waits
 * for the swapoff, then checks its pages and the inherited COW pages. */
static void
child_side(char *cow, int to_child, int to_parent)
{
	char *own = isolated_map(CHILD_PAGES, MAP_PRIVATE);
	unsigned type;
	long swap0 = status_kb("VmSwap");

	pattern_fill(own, CHILD_PAGES * PAGE_SIZE, SEED_CHILD);
	pageout(own, CHILD_PAGES * PAGE_SIZE);
	type = swap_type_of("child: its own pages", own, CHILD_PAGES);
	CHECK_EQ("child: type of the inherited entries", type,
		 swap_type_of("child: inherited pages", cow, COW_PAGES));
	send_token(to_parent);
	wait_token(to_child);                    /* the parent turned the area off */
	check_present("child: its own pages after swapoff", own, CHILD_PAGES);
	check_present("child: inherited pages after swapoff", cow, COW_PAGES);
	CHECK_EQ("child: VmSwap after swapoff (kB), less the inherited entries it started with",
		 swap0 - COW_PAGES * PAGE_SIZE / KiB, status_kb("VmSwap"));
	CHECK_PATTERN("child: its own pages", own, CHILD_PAGES * PAGE_SIZE, SEED_CHILD);
	CHECK_PATTERN("child: inherited pages", cow, COW_PAGES * PAGE_SIZE, SEED_COW);
	pattern_fill(cow, COW_PAGES * PAGE_SIZE, SEED_CHILD_COW);
	CHECK_PATTERN("child: its writes to the inherited pages", cow, COW_PAGES * PAGE_SIZE,
		      SEED_CHILD_COW);
	send_token(to_parent);
	_exit(0);
}

int
main(void)
{
	char path[128];
	char *own, *shared, *cow;
	long total0 = meminfo_kb_of("SwapTotal:"), free0 = swap_free_kb(), swap0;
	int to_child[2], to_parent[2];
	unsigned type;
	pid_t child;

	tmp_path(path, sizeof(path), "swapfile");
	make_swap_file(path, AREA_PAGES);
	CHECK(swapon(path, SWAP_FLAG_PREFER | (AREA_PRIO << SWAP_FLAG_PRIO_SHIFT)) == 0,
	      "swapon %s at priority %d: %s", path, AREA_PRIO, errno_name(errno));
	CHECK_EQ("priority of the area", AREA_PRIO, prio_of_line(path));
	swap0 = status_kb("VmSwap");

	cow = isolated_map(COW_PAGES, MAP_PRIVATE);
	pattern_fill(cow, COW_PAGES * PAGE_SIZE, SEED_COW);
	pageout(cow, COW_PAGES * PAGE_SIZE);
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	child = fork_or_fail();
	if (child == 0)
		child_side(cow, to_child[0], to_parent[1]);
	own = isolated_map(OWN_PAGES, MAP_PRIVATE);          /* after fork: the parent's alone */
	shared = isolated_map(SHARED_PAGES, MAP_SHARED);
	pattern_fill(own, OWN_PAGES * PAGE_SIZE, SEED_OWN);
	pattern_fill(shared, SHARED_PAGES * PAGE_SIZE, SEED_SHARED);
	pageout(own, OWN_PAGES * PAGE_SIZE);
	pageout(shared, SHARED_PAGES * PAGE_SIZE);
	type = swap_type_of("parent: its own pages", own, OWN_PAGES);
	CHECK_EQ("parent: type of the COW pages", type, swap_type_of("parent: COW pages", cow, COW_PAGES));
	CHECK_EQ("smaps Swap of the shared pages (kB)", SHARED_PAGES * PAGE_SIZE / KiB,
		 smaps_kb(shared, "Swap"));
	wait_token(to_parent[0]);                /* the child's pages are out too */
	CHECK(used_kb_of(path) >= SWAPPED_PAGES * PAGE_SIZE / KiB,
	      "/proc/swaps Used of the area: %ld kB, expected at least %d", used_kb_of(path),
	      SWAPPED_PAGES * PAGE_SIZE / KiB);
	say("%d pages of two processes in the area (type %u)", SWAPPED_PAGES, type);

	CHECK(swapoff(path) == 0, "swapoff %s: %s", path, errno_name(errno));
	CHECK(!swaps_line(path, (char[256]){ 0 }, 256), "%s still in /proc/swaps after swapoff", path);
	CHECK_EQ("SwapTotal after swapoff (kB)", total0, meminfo_kb_of("SwapTotal:"));
	CHECK_EQ("SwapFree after swapoff (kB)", free0, swap_free_kb());
	CHECK_EQ("parent: VmSwap after swapoff (kB)", swap0, status_kb("VmSwap"));
	check_present("parent: its own pages after swapoff", own, OWN_PAGES);
	check_present("parent: COW pages after swapoff", cow, COW_PAGES);
	CHECK_EQ("smaps Swap of the shared pages after swapoff (kB)", 0, smaps_kb(shared, "Swap"));
	send_token(to_child[1]);
	wait_token(to_parent[0]);
	check_exited("child", wait_for(child), 0);
	CHECK_PATTERN("parent: its own pages", own, OWN_PAGES * PAGE_SIZE, SEED_OWN);
	CHECK_PATTERN("parent: shared pages", shared, SHARED_PAGES * PAGE_SIZE, SEED_SHARED);
	CHECK_PATTERN("parent: COW pages after the child's writes", cow, COW_PAGES * PAGE_SIZE, SEED_COW);
	say("swapoff: every page present in both processes, data intact, COW still right");

	unmap_isolated(own, OWN_PAGES);
	unmap_isolated(shared, SHARED_PAGES);
	unmap_isolated(cow, COW_PAGES);
	CHECK_OK(unlink(path));
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	return 0;
}
