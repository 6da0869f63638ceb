/*
 * mprotect_merge_back — protections changed piece by piece and then restored:
 * a mapping is cut into alternating read-only and read-write pages, then the
 * whole range is made read-write again (the pieces merge back); every page is
 * then writable and all data written before and after is intact. Changing
 * protection across a range with a hole in it fails with ENOMEM.
 */
#define TEST_NAME "mprotect_merge_back"
#include "guest.h"

#define TOTAL_PAGES    12
#define SEED_BEFORE    0x5A5A
#define SEED_AFTER     0xA5A5

/* check_alternating - even pages read-only, odd pages writable. */
static void
check_alternating(char *area)
{
	for (int i = 0; i < TOTAL_PAGES; i++) {
		char *page = area + i * PAGE_SIZE;
		if (i % 2 == 0)
			check_fault("write an even (read-only) page", try_write(page, page[0]),
				    SEGV_ACCERR, page);
		else
			CHECK(try_write(page, page[0]) == ACCESS_OK, "odd page %d not writable", i);
	}
}

int
main(void)
{
	size_t len = TOTAL_PAGES * PAGE_SIZE;
	char *area = map_anon(len, PROT_READ | PROT_WRITE);

	catch_faults();
	pattern_fill(area, len, SEED_BEFORE);
	say("every other page read-only");
	for (int i = 0; i < TOTAL_PAGES; i += 2)
		CHECK_OK(mprotect(area + i * PAGE_SIZE, PAGE_SIZE, PROT_READ));
	check_alternating(area);
	CHECK_PATTERN("data while cut into pieces", area, len, SEED_BEFORE);

	say("whole range read-write again");
	CHECK_OK(mprotect(area, len, PROT_READ | PROT_WRITE));
	for (int i = 0; i < TOTAL_PAGES; i++)
		CHECK(try_write(area + i * PAGE_SIZE, 0) == ACCESS_OK, "page %d not writable", i);
	pattern_fill(area, len, SEED_AFTER);
	CHECK_PATTERN("data after merging back", area, len, SEED_AFTER);

	say("mprotect over a hole");
	CHECK_OK(munmap(area + PAGE_SIZE, PAGE_SIZE));
	CHECK_ERRNO(mprotect(area, 3 * PAGE_SIZE, PROT_READ), ENOMEM);
	CHECK(try_write(area + 2 * PAGE_SIZE, 1) == ACCESS_OK,
	      "page after the hole lost its write permission");
	say("protections split and merged back cleanly");
	return 0;
}
