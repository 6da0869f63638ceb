/*
 * mremap_shrink_grow — mremap resizing a private anonymous mapping:
 *   - shrinking keeps the address and the data of the part kept; the cut-off
 *     tail is unmapped (reads fault with SEGV_MAPERR at the exact address);
 *   - growing with flags 0 when the range after the mapping is free stays in
 *     place: the old data is kept and the new part reads zero (the tail cut
 *     off before does not come back);
 *   - growing in place blocked by a neighbouring mapping fails with ENOMEM
 *     without MREMAP_MAYMOVE and changes nothing;
 *   - the same with MREMAP_MAYMOVE moves the mapping: a new address, the data
 *     kept, the grown part zero and writable, the old range unmapped, the
 *     neighbour untouched;
 *   - old_size == new_size with flags 0 returns the same address.
 *
 * All of it happens inside a PROT_NONE reservation, so the free range after
 * the mapping is known to be free (nothing else maps in this process).
 */
#define TEST_NAME "mremap_shrink_grow"
#include "guest.h"

#define RESERVED_PAGES 17      /* [0, 8) mapping, [8, 16) freed, 16 guard */
#define FIRST_PAGES    8
#define SHRUNK_PAGES   4
#define GROWN_PAGES    12      /* in place, into the freed range */
#define MOVED_PAGES    14      /* blocked by the neighbour at page 12 */
#define NEIGHBOUR_PAGE 12
#define SEED           0x5A1F
#define MOVED_SEED     0x3017
#define NEIGHBOUR_SEED 0x4E16

static char *area;             /* the mapping being resized */
static char *neighbour;        /* one read-only page right after it */

/* reserve_area - a PROT_NONE reservation; the first FIRST_PAGES become a
 * read-write mapping, the pages up to the last one are freed again. */
static void
reserve_area(void)
{
	char *reserved = mmap(NULL, RESERVED_PAGES * PAGE_SIZE, PROT_NONE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(reserved != MAP_FAILED, "reserve %d pages (got %s)", RESERVED_PAGES,
	      errno_name(errno));
	area = mmap(reserved, FIRST_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ_HEX("MAP_FIXED inside the reservation", (uintptr_t)reserved, (uintptr_t)area);
	CHECK_OK(munmap(area + FIRST_PAGES * PAGE_SIZE,
			(RESERVED_PAGES - 1 - FIRST_PAGES) * PAGE_SIZE));
}

/* check_unmapped - reads of the first and last page of [start, start+pages)
 * fault with SEGV_MAPERR at the address read. */
static void
check_unmapped(const char *what, char *start, int pages)
{
	char *last = start + pages * PAGE_SIZE - 1;

	check_fault(what, try_read(start), SEGV_MAPERR, start);
	check_fault(what, try_read(last), SEGV_MAPERR, last);
}

/* shrink - 8 pages to 4: same address, data kept, each cut page unmapped. */
static void
shrink(void)
{
	say("shrinking %d pages to %d", FIRST_PAGES, SHRUNK_PAGES);
	pattern_fill(area, FIRST_PAGES * PAGE_SIZE, SEED);
	void *got = mremap(area, FIRST_PAGES * PAGE_SIZE, SHRUNK_PAGES * PAGE_SIZE, 0);
	CHECK_EQ_HEX("shrink returns the same address", (uintptr_t)area, (uintptr_t)got);
	CHECK_PATTERN("data of the kept part", area, SHRUNK_PAGES * PAGE_SIZE, SEED);
	for (int i = SHRUNK_PAGES; i < FIRST_PAGES; i++) {
		char *page = area + i * PAGE_SIZE;
		check_fault("read of a page cut off by the shrink", try_read(page + 7),
			    SEGV_MAPERR, page + 7);
	}
}

/* grow_in_place - 4 pages to 12 into the free range: same address, the old
 * data kept, the 8 new pages zero (not the data cut off before). */
static void
grow_in_place(void)
{
	size_t old_len = SHRUNK_PAGES * PAGE_SIZE, new_len = GROWN_PAGES * PAGE_SIZE;

	say("growing in place to %d pages", GROWN_PAGES);
	void *got = mremap(area, old_len, new_len, 0);
	CHECK_EQ_HEX("grow in place returns the same address", (uintptr_t)area, (uintptr_t)got);
	CHECK_PATTERN("data of the old part after the grow", area, old_len, SEED);
	CHECK_ZERO("grown part", area + old_len, new_len - old_len);
	memset(area + old_len, 0x6B, new_len - old_len);
	CHECK_EQ("last byte of the grown part", 0x6B, (uint8_t)area[new_len - 1]);

	got = mremap(area, new_len, new_len, 0);
	CHECK_EQ_HEX("same-size mremap returns the same address", (uintptr_t)area, (uintptr_t)got);
}

/* place_neighbour - a read-only page (its own VMA) right after the area. */
static void
place_neighbour(void)
{
	char *want = area + NEIGHBOUR_PAGE * PAGE_SIZE;

	neighbour = mmap(want, PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ_HEX("neighbour address", (uintptr_t)want, (uintptr_t)neighbour);
	pattern_fill(neighbour, PAGE_SIZE, NEIGHBOUR_SEED);
	CHECK_OK(mprotect(neighbour, PAGE_SIZE, PROT_READ));
}

/* grow_blocked - growing over the neighbour without MREMAP_MAYMOVE: ENOMEM,
 * the area and the neighbour unchanged. */
static void
grow_blocked(void)
{
	say("growing into a neighbour without MREMAP_MAYMOVE");
	pattern_fill(area, GROWN_PAGES * PAGE_SIZE, MOVED_SEED);
	CHECK_ERRNO(mremap(area, GROWN_PAGES * PAGE_SIZE, MOVED_PAGES * PAGE_SIZE, 0), ENOMEM);
	CHECK_PATTERN("area after the refused grow", area, GROWN_PAGES * PAGE_SIZE, MOVED_SEED);
	CHECK_PATTERN("neighbour after the refused grow", neighbour, PAGE_SIZE, NEIGHBOUR_SEED);
	char *last = area + GROWN_PAGES * PAGE_SIZE - 1;
	CHECK(try_write(last, *last) == ACCESS_OK, "last page of the area no longer writable");
}

/* grow_moving - the same with MREMAP_MAYMOVE: moved, data and neighbour kept,
 * the old range unmapped. */
static void
grow_moving(void)
{
	size_t old_len = GROWN_PAGES * PAGE_SIZE, new_len = MOVED_PAGES * PAGE_SIZE;

	say("growing into a neighbour with MREMAP_MAYMOVE");
	char *moved = mremap(area, old_len, new_len, MREMAP_MAYMOVE);
	CHECK(moved != MAP_FAILED, "mremap MAYMOVE (expected a new address, got %s)",
	      errno_name(errno));
	CHECK(moved != area, "mremap MAYMOVE stayed at %p over the neighbour", (void *)area);
	CHECK_PATTERN("data after the move", moved, old_len, MOVED_SEED);
	CHECK_ZERO("grown part after the move", moved + old_len, new_len - old_len);
	memset(moved + old_len, 0x2C, new_len - old_len);
	check_unmapped("read of the old range after the move", area, GROWN_PAGES);
	CHECK_PATTERN("neighbour after the move", neighbour, PAGE_SIZE, NEIGHBOUR_SEED);
	CHECK_PATTERN("data after writing the grown part", moved, old_len, MOVED_SEED);
	CHECK_OK(munmap(moved, new_len));
}

int
main(void)
{
	catch_faults();
	reserve_area();
	shrink();
	grow_in_place();
	place_neighbour();
	grow_blocked();
	grow_moving();
	CHECK_OK(munmap(neighbour, PAGE_SIZE));
	CHECK_OK(munmap(area + (RESERVED_PAGES - 1) * PAGE_SIZE, PAGE_SIZE));
	say("mremap shrank, grew in place, refused and then moved as Linux does");
	return 0;
}
