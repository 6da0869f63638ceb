/*
 * mmap_fixed_noreplace — mmap flags beyond plain MAP_FIXED, as on Linux:
 *   - MAP_FIXED_NOREPLACE over a free range maps exactly there, also right
 *     next to an existing mapping;
 *   - MAP_FIXED_NOREPLACE overlapping an existing mapping in any way (the same
 *     range, inside it, over its start, over its end, covering it) fails with
 *     EEXIST: the mapping keeps its data and the free pages around stay free;
 *   - MAP_FIXED_NOREPLACE at an unaligned address fails with EINVAL, whether
 *     the range is free or not;
 *   - MAP_POPULATE and MAP_LOCKED mappings read zero and are writable;
 *   - a MAP_GROWSDOWN mapping exists: every page reads zero and is writable;
 *   - a hint address (no MAP_FIXED) is honoured when the range is free; an
 *     occupied hint gives another range and leaves the occupant alone.
 */
#define TEST_NAME "mmap_fixed_noreplace"
#include "guest.h"

#define AREA_PAGES    12         /* [0, 4) free, [4, 8) mapped, [8, 12) free */
#define MAPPED_FIRST  4
#define MAPPED_PAGES  4
#define SMALL_PAGES   4
#define SEED          0x40EE
#define HINT_SEED     0x4147

static char *area;               /* a 12-page free range */

/* noreplace - a read-write MAP_FIXED_NOREPLACE mapping of pages at addr. */
static void *
noreplace(char *addr, int pages)
{
	return mmap(addr, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

/* page_at - the address of page i of the area. */
static char *
page_at(int i)
{
	return area + i * PAGE_SIZE;
}

/* free_area - AREA_PAGES free pages: mapped, then unmapped. */
static void
free_area(void)
{
	area = free_range(AREA_PAGES);
}

/* check_free - the page faults with SEGV_MAPERR: still unmapped. */
static void
check_free(const char *what, char *page)
{
	check_fault(what, try_read(page), SEGV_MAPERR, page);
}

/* map_free_range - NOREPLACE in the middle of the free area. */
static void
map_free_range(void)
{
	char *want = page_at(MAPPED_FIRST);

	say("MAP_FIXED_NOREPLACE over a free range");
	void *got = noreplace(want, MAPPED_PAGES);
	CHECK_EQ_HEX("MAP_FIXED_NOREPLACE address", (uintptr_t)want, (uintptr_t)got);
	CHECK_ZERO("new MAP_FIXED_NOREPLACE mapping", want, MAPPED_PAGES * PAGE_SIZE);
	pattern_fill(want, MAPPED_PAGES * PAGE_SIZE, SEED);
}

/* refuse_overlaps - every overlap is EEXIST and changes nothing. */
static void
refuse_overlaps(void)
{
	static const struct { int first, pages; const char *how; } overlaps[] = {
		{ MAPPED_FIRST, MAPPED_PAGES, "the same range" },
		{ MAPPED_FIRST + 1, 1, "one page inside" },
		{ MAPPED_FIRST - 2, 4, "over its start" },
		{ MAPPED_FIRST + 2, 4, "over its end" },
		{ MAPPED_FIRST - 2, MAPPED_PAGES + 4, "covering it" },
	};
	char what[96];

	for (size_t k = 0; k < sizeof(overlaps) / sizeof(overlaps[0]); k++) {
		say("MAP_FIXED_NOREPLACE %s: EEXIST", overlaps[k].how);
		CHECK_ERRNO(noreplace(page_at(overlaps[k].first), overlaps[k].pages), EEXIST);
		snprintf(what, sizeof(what), "data after NOREPLACE %s", overlaps[k].how);
		CHECK_PATTERN(what, page_at(MAPPED_FIRST), MAPPED_PAGES * PAGE_SIZE, SEED);
		snprintf(what, sizeof(what), "free page before, after NOREPLACE %s",
			 overlaps[k].how);
		check_free(what, page_at(MAPPED_FIRST - 1));
		snprintf(what, sizeof(what), "free page after, after NOREPLACE %s",
			 overlaps[k].how);
		check_free(what, page_at(MAPPED_FIRST + MAPPED_PAGES));
	}
}

/* adjacent_and_unaligned - NOREPLACE right after the mapping works;
 * unaligned addresses are EINVAL. */
static void
adjacent_and_unaligned(void)
{
	char *after = page_at(MAPPED_FIRST + MAPPED_PAGES);

	say("MAP_FIXED_NOREPLACE at an unaligned address: EINVAL");
	CHECK_ERRNO(noreplace(after + 1, 1), EINVAL);
	CHECK_ERRNO(noreplace(page_at(MAPPED_FIRST) + 1, 1), EINVAL);
	check_free("free page after the unaligned NOREPLACE", after);

	say("MAP_FIXED_NOREPLACE right after the mapping");
	void *got = noreplace(after, 1);
	CHECK_EQ_HEX("adjacent MAP_FIXED_NOREPLACE address", (uintptr_t)after, (uintptr_t)got);
	CHECK_ZERO("adjacent mapping", after, PAGE_SIZE);
	CHECK_PATTERN("data beside the adjacent mapping", page_at(MAPPED_FIRST),
		      MAPPED_PAGES * PAGE_SIZE, SEED);
	CHECK_OK(munmap(page_at(MAPPED_FIRST), (MAPPED_PAGES + 1) * PAGE_SIZE));
}

/* check_fresh - a new mapping of SMALL_PAGES reads zero and keeps writes. */
static void
check_fresh(const char *what, char *p)
{
	size_t len = SMALL_PAGES * PAGE_SIZE;

	CHECK(p != MAP_FAILED, "%s (expected a mapping, got MAP_FAILED with %s)", what,
	      errno_name(errno));
	CHECK_ZERO(what, p, len);
	for (int i = 0; i < SMALL_PAGES; i++)
		CHECK(try_write(p + i * PAGE_SIZE, 0x33) == ACCESS_OK,
		      "%s: page %d not writable", what, i);
	CHECK_EQ(what, 0x33, (uint8_t)p[len - PAGE_SIZE]);
	CHECK_OK(munmap(p, len));
}

/* other_flags - MAP_POPULATE, MAP_LOCKED and MAP_GROWSDOWN mappings. */
static void
other_flags(void)
{
	size_t len = SMALL_PAGES * PAGE_SIZE;
	int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;

	say("MAP_POPULATE, MAP_LOCKED and MAP_GROWSDOWN mappings");
	check_fresh("MAP_POPULATE mapping", mmap(NULL, len, rw, anon | MAP_POPULATE, -1, 0));
	check_fresh("MAP_LOCKED mapping", mmap(NULL, len, rw, anon | MAP_LOCKED, -1, 0));
	check_fresh("MAP_GROWSDOWN mapping", mmap(NULL, len, rw, anon | MAP_GROWSDOWN, -1, 0));
}

/* hints - a free hint is honoured; an occupied one is not, harmlessly. */
static void
hints(void)
{
	size_t len = SMALL_PAGES * PAGE_SIZE;
	int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;

	say("hint addresses");
	char *want = page_at(2);
	char *got = mmap(want, len, rw, anon, -1, 0);
	CHECK_EQ_HEX("free hint honoured", (uintptr_t)want, (uintptr_t)got);
	pattern_fill(got, len, HINT_SEED);

	char *other = mmap(want, len, rw, anon, -1, 0);
	CHECK(other != MAP_FAILED, "mmap at an occupied hint (got %s)", errno_name(errno));
	CHECK(other + len <= want || other >= want + len,
	      "mmap at an occupied hint overlapped it (%p)", (void *)other);
	CHECK_ZERO("mapping placed away from the occupied hint", other, len);
	CHECK_PATTERN("occupant of the hint", want, len, HINT_SEED);
	CHECK_OK(munmap(other, len));
	CHECK_OK(munmap(want, len));
}

int
main(void)
{
	catch_faults();
	free_area();
	map_free_range();
	refuse_overlaps();
	adjacent_and_unaligned();
	hints();
	other_flags();
	say("MAP_FIXED_NOREPLACE and the other mmap flags behaved as on Linux");
	return 0;
}
