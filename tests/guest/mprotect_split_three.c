/*
 * mprotect_split_three — mprotect(PROT_READ) on the middle pages of one
 * read-write mapping splits it into three: writes to the middle fault with
 * SEGV_ACCERR (in a handler, and by default in a child) and change nothing,
 * reads there work, the outer parts stay writable, and all data is intact.
 * The same after fork: the child sees the same three protections.
 */
#define TEST_NAME "mprotect_split_three"
#include "guest.h"

#define TOTAL_PAGES    9
#define RO_FIRST       3
#define RO_PAGES       3
#define SEED           0x3333

static char *area;

/* check_layout - first and last parts writable, middle read-only, data intact. */
static void
check_layout(const char *who)
{
	char *middle = area + RO_FIRST * PAGE_SIZE;
	char *last = middle + RO_PAGES * PAGE_SIZE;
	char *end = area + TOTAL_PAGES * PAGE_SIZE - 1;
	char what[96];

	snprintf(what, sizeof(what), "%s: data across all three parts", who);
	CHECK_PATTERN(what, area, TOTAL_PAGES * PAGE_SIZE, SEED);
	for (int i = 0; i < RO_PAGES; i++) {
		char *page = middle + i * PAGE_SIZE;
		snprintf(what, sizeof(what), "%s: write read-only page %d", who, RO_FIRST + i);
		CHECK(try_read(page) == ACCESS_OK, "%s: read of a read-only page faulted", who);
		check_fault(what, try_write(page, 0), SEGV_ACCERR, page);
	}
	/* Rewrite the same byte values: writable parts must accept the store. */
	CHECK(try_write(area, area[0]) == ACCESS_OK, "%s: first part not writable", who);
	CHECK(try_write(middle - 1, middle[-1]) == ACCESS_OK, "%s: page before the middle", who);
	CHECK(try_write(last, last[0]) == ACCESS_OK, "%s: page after the middle", who);
	CHECK(try_write(end, *end) == ACCESS_OK, "%s: last page not writable", who);
	snprintf(what, sizeof(what), "%s: data after the refused writes", who);
	CHECK_PATTERN(what, area, TOTAL_PAGES * PAGE_SIZE, SEED);
}

/* child_checks_layout - the same protections seen from a forked child. */
static void
child_checks_layout(void *unused)
{
	catch_faults();
	check_layout("child");
}

int
main(void)
{
	area = map_anon(TOTAL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	pattern_fill(area, TOTAL_PAGES * PAGE_SIZE, SEED);

	say("pages %d..%d of %d made read-only", RO_FIRST, RO_FIRST + RO_PAGES - 1, TOTAL_PAGES);
	CHECK_OK(mprotect(area + RO_FIRST * PAGE_SIZE, RO_PAGES * PAGE_SIZE, PROT_READ));
	catch_faults();
	check_layout("parent");
	check_access_kills("child writing the read-only middle", area + RO_FIRST * PAGE_SIZE,
			   ACCESS_WRITE);

	say("the same protections after fork");
	check_exited("child checking the layout", run_in_child(child_checks_layout, NULL), 0);
	say("one mapping became three with the right protections");
	return 0;
}
