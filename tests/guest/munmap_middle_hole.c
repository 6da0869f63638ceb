/*
 * munmap_middle_hole — munmap of pages in the middle of a mapping splits it:
 * the hole faults (SEGV_MAPERR, exact address) for reads and writes, in a
 * handler and by default in a child; both remaining parts keep their data and
 * stay writable; unmapping the parts afterwards leaves nothing behind.
 */
#define TEST_NAME "munmap_middle_hole"
#include "guest.h"

#define TOTAL_PAGES    10
#define HOLE_FIRST     4
#define HOLE_PAGES     3
#define SEED           0x40E

int
main(void)
{
	char *area = map_anon(TOTAL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *hole = area + HOLE_FIRST * PAGE_SIZE;
	char *after = hole + HOLE_PAGES * PAGE_SIZE;
	size_t before_len = HOLE_FIRST * PAGE_SIZE;
	size_t after_len = (TOTAL_PAGES - HOLE_FIRST - HOLE_PAGES) * PAGE_SIZE;
	size_t after_start = after - area;

	pattern_fill(area, TOTAL_PAGES * PAGE_SIZE, SEED);
	say("unmapping pages %d..%d of %d", HOLE_FIRST, HOLE_FIRST + HOLE_PAGES - 1, TOTAL_PAGES);
	CHECK_OK(munmap(hole, HOLE_PAGES * PAGE_SIZE));

	catch_faults();
	for (int i = 0; i < HOLE_PAGES; i++) {
		char *page = hole + i * PAGE_SIZE;
		check_fault("read in the hole", try_read(page), SEGV_MAPERR, page);
		check_fault("write in the hole", try_write(page + 1, 1), SEGV_MAPERR, page + 1);
	}
	check_access_kills("child reading the hole", hole, ACCESS_READ);

	CHECK_PATTERN_IN("part before the hole", area, 0, before_len, SEED);
	CHECK_PATTERN_IN("part after the hole", area, after_start, after_len, SEED);
	memset(area, 0x11, before_len);
	memset(after, 0x22, after_len);
	CHECK_EQ("last byte before the hole", 0x11, (uint8_t)hole[-1]);
	CHECK_EQ("first byte after the hole", 0x22, (uint8_t)after[0]);

	say("unmapping both parts");
	CHECK_OK(munmap(area, before_len));
	CHECK_OK(munmap(after, after_len));
	check_fault("read the old first part", try_read(area), SEGV_MAPERR, area);
	check_fault("read the old last page", try_read(after + after_len - 1), SEGV_MAPERR,
		    after + after_len - 1);
	say("the hole faults, both sides kept their data");
	return 0;
}
