/*
 * madv_remove_shared_after_fork — MADV_REMOVE on shared anonymous memory
 * frees the pages for every process that maps them. It used to unmap only
 * the caller's range and then drop the pages the other process still
 * mapped: the parent kept the old contents, later writes no longer reached
 * the other side, and anvil's reverse-map checker found a mismatch.
 *
 * Parent and child share SHARED_PAGES pages of MAP_SHARED|MAP_ANONYMOUS
 * memory; both have touched every page. The child removes the middle pages:
 *   - both now read zeros there, and the outer pages keep their data;
 *   - a write by the parent to a removed page is seen by the child, and a
 *     write by the child to another one is seen by the parent;
 *   - on anvil, /proc/sys/vm/rmap_check reads 0 with both alive.
 * The same removal by a process whose range covers only part of a page's
 * sharers (a second mapping of the object at another address, through
 * mremap) frees it for that mapping too.
 */
#define TEST_NAME "madv_remove_shared_after_fork"
#include "guest.h"
#include "vm_probe.h"

#define SHARED_PAGES   6
#define FIRST_REMOVED  1
#define REMOVED_PAGES  3            /* pages [1, 4) */
#define SHARED_SIZE    (SHARED_PAGES * PAGE_SIZE)
#define SEED_BEFORE    0xBEF0
#define SEED_PARENT    0x9A7E
#define SEED_CHILD     0xC41D

static char *shared;
static int up[2], down[2];       /* child -> parent, parent -> child */

static char *
page_of(int index)
{
	return shared + index * PAGE_SIZE;
}

/* outer_pages_kept - the pages outside the removed range still hold the
 * data written before. */
static void
outer_pages_kept(const char *who)
{
	CHECK_PATTERN_IN(who, shared, 0, FIRST_REMOVED * PAGE_SIZE, SEED_BEFORE);
	CHECK_PATTERN_IN(who, shared, (FIRST_REMOVED + REMOVED_PAGES) * PAGE_SIZE,
			 SHARED_SIZE - (FIRST_REMOVED + REMOVED_PAGES) * PAGE_SIZE, SEED_BEFORE);
}

static void
child_side(void)
{
	CHECK_PATTERN("child: the parent's data before the removal", shared, SHARED_SIZE,
		      SEED_BEFORE);
	CHECK_OK(madvise(page_of(FIRST_REMOVED), REMOVED_PAGES * PAGE_SIZE, MADV_REMOVE));
	CHECK_ZERO("child: removed pages", page_of(FIRST_REMOVED), REMOVED_PAGES * PAGE_SIZE);
	outer_pages_kept("child: pages not removed");
	send_token(up[1]);
	wait_token(down[0]);            /* the parent wrote the first removed page */
	CHECK_PATTERN("child sees the parent's write after the removal", page_of(FIRST_REMOVED),
		      PAGE_SIZE, SEED_PARENT);
	pattern_fill(page_of(FIRST_REMOVED + 1), PAGE_SIZE, SEED_CHILD);
	send_token(up[1]);
	wait_token(down[0]);            /* the parent checked, and the checker ran */
	_exit(0);
}

static void
parent_side(pid_t pid)
{
	wait_token(up[0]);
	say("the child removed pages [%d, %d)", FIRST_REMOVED, FIRST_REMOVED + REMOVED_PAGES);
	CHECK_ZERO("parent: pages the child removed", page_of(FIRST_REMOVED),
		   REMOVED_PAGES * PAGE_SIZE);
	outer_pages_kept("parent: pages not removed");
	pattern_fill(page_of(FIRST_REMOVED), PAGE_SIZE, SEED_PARENT);
	send_token(down[1]);
	wait_token(up[0]);              /* the child wrote the second removed page */
	CHECK_PATTERN("parent sees the child's write after the removal", page_of(FIRST_REMOVED + 1),
		      PAGE_SIZE, SEED_CHILD);
	CHECK_ZERO("the third removed page, untouched since", page_of(FIRST_REMOVED + 2), PAGE_SIZE);
	if (running_on_anvil())
		check_rmap_consistent("with parent and child sharing the pages");
	send_token(down[1]);
	check_exited("child", wait_for(pid), 0);
}

/* check_second_mapping - in one process, the object mapped twice (the
 * second mapping made by mremap with old_size 0): a removal through one
 * address is seen through the other. */
static void
check_second_mapping(void)
{
	char *alias = mremap(shared, 0, SHARED_SIZE, MREMAP_MAYMOVE);

	say("a second mapping of the same object");
	CHECK(alias != MAP_FAILED, "mremap(old_size 0) (got %s)", errno_name(errno));
	pattern_fill(shared, SHARED_SIZE, SEED_BEFORE);
	CHECK_PATTERN("the alias sees the data", alias, SHARED_SIZE, SEED_BEFORE);
	CHECK_OK(madvise(alias + FIRST_REMOVED * PAGE_SIZE, REMOVED_PAGES * PAGE_SIZE, MADV_REMOVE));
	CHECK_ZERO("removed through the alias, read through the first mapping",
		   page_of(FIRST_REMOVED), REMOVED_PAGES * PAGE_SIZE);
	outer_pages_kept("first mapping after the removal through the alias");
	pattern_fill(page_of(FIRST_REMOVED), PAGE_SIZE, SEED_PARENT);
	CHECK_PATTERN("a new write seen through the alias", alias + FIRST_REMOVED * PAGE_SIZE,
		      PAGE_SIZE, SEED_PARENT);
	if (running_on_anvil())
		check_rmap_consistent("with two mappings of the object");
	CHECK_OK(munmap(alias, SHARED_SIZE));
}

int
main(void)
{
	shared = map_shared_anon(SHARED_SIZE, PROT_READ | PROT_WRITE);
	pattern_fill(shared, SHARED_SIZE, SEED_BEFORE);
	CHECK_OK(pipe(up));
	CHECK_OK(pipe(down));

	pid_t pid = fork_or_fail();
	if (pid == 0)
		child_side();
	parent_side(pid);
	check_second_mapping();
	CHECK_OK(munmap(shared, SHARED_SIZE));
	say("MADV_REMOVE freed the pages for every process and mapping");
	return 0;
}
