/*
 * maps_split_merge — how mprotect, munmap and mmap split and merge mappings,
 * seen through /proc/self/maps (one line per VMA), as on Linux:
 *   - mprotect(PROT_READ) of the middle page of a 5-page read-write mapping
 *     gives three lines (rw-p, r--p, rw-p); mprotect back gives one line again;
 *   - munmap of a middle page leaves two lines, the hole between them;
 *   - one munmap across three separate mappings and the holes between them
 *     removes all three and nothing outside the range;
 *   - mprotect across a hole fails with ENOMEM; as on Linux, the mapping before
 *     the hole has already changed and the one after has not; mprotect that
 *     starts in a hole changes nothing;
 *   - two anonymous mappings with equal protection placed next to each other
 *     with MAP_FIXED are one line; so is a mapping filling the hole between
 *     two such mappings; a neighbour with other protection stays separate.
 * Anonymous lines show offset 0, device 00:00 and inode 0. Each case works in
 * a PROT_NONE reservation with a guard page at both ends and looks only at the
 * lines inside, so nothing else in the process can merge with them.
 */
#define TEST_NAME "maps_split_merge"
#include "guest.h"
#include <fcntl.h>

#define MAX_LINES   16
#define MAPS_BUFFER (64 * KiB)
#define SEED        0x5917

/* One parsed line of /proc/self/maps. */
struct map_line {
	unsigned long start, end, offset, inode;
	unsigned int major, minor;
	char perms[5];
};

/* What a line inside a case's range should be: pages [first, last) from the
 * start of the range, and its permissions. */
struct want_line {
	int first, last;
	const char *perms;
};

static char maps_text[MAPS_BUFFER];

/* read_maps - /proc/self/maps into maps_text (no malloc: no new mappings). */
static void
read_maps(void)
{
	int fd = CHECK_OK(open("/proc/self/maps", O_RDONLY));
	long n = read_full(fd, maps_text, sizeof(maps_text) - 1);

	CHECK(n > 0, "read /proc/self/maps (got %ld with %s)", n, errno_name(errno));
	CHECK(n < (long)sizeof(maps_text) - 1, "/proc/self/maps larger than %d bytes",
	      MAPS_BUFFER);
	maps_text[n] = '\0';
	close(fd);
}

/* lines_overlapping - the lines of /proc/self/maps overlapping [lo, hi). */
static int
lines_overlapping(const char *lo, const char *hi, struct map_line *out)
{
	int count = 0;

	read_maps();
	for (char *line = maps_text; *line; ) {
		char *eol = strchr(line, '\n');
		struct map_line m;

		CHECK(eol != NULL, "/proc/self/maps: last line not terminated");
		*eol = '\0';
		CHECK_EQ("fields in a /proc/self/maps line", 7,
			 sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &m.start, &m.end, m.perms,
				&m.offset, &m.major, &m.minor, &m.inode));
		if (m.end > (uintptr_t)lo && m.start < (uintptr_t)hi) {
			CHECK(count < MAX_LINES, "more than %d lines in the range", MAX_LINES);
			out[count++] = m;
		}
		line = eol + 1;
	}
	return count;
}

/* expect_lines - the lines overlapping [base, base + pages) are exactly want. */
static void
expect_lines(const char *what, const char *base, int pages, const struct want_line *want,
	     int count)
{
	struct map_line got[MAX_LINES];
	int n = lines_overlapping(base, base + pages * PAGE_SIZE, got);

	if (n != count) {
		for (int i = 0; i < n; i++)
			say("  line %d: %lx-%lx %s", i, got[i].start, got[i].end, got[i].perms);
		fail("%s: lines in the range (expected %d, got %d)", what, count, n);
	}
	for (int i = 0; i < n; i++) {
		unsigned long start = (uintptr_t)base + want[i].first * PAGE_SIZE;
		unsigned long end = (uintptr_t)base + want[i].last * PAGE_SIZE;

		if (got[i].start != start || got[i].end != end || strcmp(got[i].perms, want[i].perms))
			fail("%s: line %d (expected %lx-%lx %s, got %lx-%lx %s)", what, i, start, end,
			     want[i].perms, got[i].start, got[i].end, got[i].perms);
		CHECK(got[i].offset == 0 && got[i].major == 0 && got[i].minor == 0 &&
		      got[i].inode == 0, "%s: line %d: anonymous mapping shows offset %lx, "
		      "device %x:%x, inode %lu", what, i, got[i].offset, got[i].major,
		      got[i].minor, got[i].inode);
	}
}

/* reserve_inner - a PROT_NONE reservation of pages + 2; returns its inside
 * (the first guard page is just before it, the second just after). */
static char *
reserve_inner(int pages)
{
	char *r = mmap(NULL, (pages + 2) * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	CHECK(r != MAP_FAILED, "reserve %d pages (got %s)", pages + 2, errno_name(errno));
	return r + PAGE_SIZE;
}

/* map_at - MAP_FIXED anonymous pages at base + first pages. */
static void
map_at(char *base, int first, int pages, int prot)
{
	char *want = base + first * PAGE_SIZE;
	void *got = mmap(want, pages * PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0);

	CHECK_EQ_HEX("MAP_FIXED address", (uintptr_t)want, (uintptr_t)got);
}

/* release - unmap a reservation made by reserve_inner. */
static void
release(char *inner, int pages)
{
	CHECK_OK(munmap(inner - PAGE_SIZE, (pages + 2) * PAGE_SIZE));
}

/* split_and_merge_back - mprotect splits into three, back into one; munmap of
 * the middle page leaves two. */
static void
split_and_merge_back(void)
{
	static const struct want_line one[] = { { 0, 5, "rw-p" } };
	static const struct want_line three[] = {
		{ 0, 2, "rw-p" }, { 2, 3, "r--p" }, { 3, 5, "rw-p" } };
	static const struct want_line two[] = { { 0, 2, "rw-p" }, { 3, 5, "rw-p" } };
	char *m = reserve_inner(5);

	say("mprotect of the middle page: three lines, then one");
	map_at(m, 0, 5, PROT_READ | PROT_WRITE);
	pattern_fill(m, 5 * PAGE_SIZE, SEED);
	expect_lines("fresh 5-page mapping", m, 5, one, 1);
	CHECK_OK(mprotect(m + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ));
	expect_lines("after mprotect(PROT_READ) of page 2", m, 5, three, 3);
	CHECK_OK(mprotect(m + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE));
	expect_lines("after mprotect back to read-write", m, 5, one, 1);
	CHECK_PATTERN("data after split and merge", m, 5 * PAGE_SIZE, SEED);

	say("munmap of the middle page: two lines");
	CHECK_OK(munmap(m + 2 * PAGE_SIZE, PAGE_SIZE));
	expect_lines("after munmap of page 2", m, 5, two, 2);
	check_fault("read of the unmapped middle page", try_read(m + 2 * PAGE_SIZE),
		    SEGV_MAPERR, m + 2 * PAGE_SIZE);
	release(m, 5);
}

/* check_guard - a PROT_NONE page is still mapped (its line may extend
 * beyond it: it can merge with a PROT_NONE neighbour outside the case). */
static void
check_guard(const char *what, const char *page)
{
	struct map_line got[MAX_LINES];
	int n = lines_overlapping(page, page + PAGE_SIZE, got);

	CHECK_EQ(what, 1, n);
	CHECK(strcmp(got[0].perms, "---p") == 0, "%s: permissions (expected ---p, got %s)",
	      what, got[0].perms);
}

/* three_mappings - in an 8-page range: rw [0,2), hole, r [3,5), hole, rw [6,8). */
static char *
three_mappings(void)
{
	char *m = reserve_inner(8);

	CHECK_OK(munmap(m + 2 * PAGE_SIZE, PAGE_SIZE));
	CHECK_OK(munmap(m + 5 * PAGE_SIZE, PAGE_SIZE));
	map_at(m, 0, 2, PROT_READ | PROT_WRITE);
	map_at(m, 3, 2, PROT_READ);
	map_at(m, 6, 2, PROT_READ | PROT_WRITE);
	return m;
}

/* munmap_across - one munmap removes three mappings and the holes between. */
static void
munmap_across(void)
{
	static const struct want_line three[] = {
		{ 0, 2, "rw-p" }, { 3, 5, "r--p" }, { 6, 8, "rw-p" } };
	char *m = three_mappings();

	say("one munmap across three mappings and two holes");
	expect_lines("three mappings with holes", m, 8, three, 3);
	memset(m, 1, 2 * PAGE_SIZE);
	memset(m + 6 * PAGE_SIZE, 2, 2 * PAGE_SIZE);
	CHECK_OK(munmap(m, 8 * PAGE_SIZE));
	expect_lines("after munmap across them", m, 8, NULL, 0);
	for (int i = 0; i < 8; i += 3)
		check_fault("read of an unmapped page", try_read(m + i * PAGE_SIZE), SEGV_MAPERR,
			    m + i * PAGE_SIZE);
	check_guard("guard page before the range", m - PAGE_SIZE);
	check_guard("guard page after the range", m + 8 * PAGE_SIZE);
	CHECK_OK(munmap(m - PAGE_SIZE, PAGE_SIZE));
	CHECK_OK(munmap(m + 8 * PAGE_SIZE, PAGE_SIZE));
}

/* mprotect_across_hole - ENOMEM; the part before the hole already changed. */
static void
mprotect_across_hole(void)
{
	static const struct want_line before[] = { { 0, 2, "rw-p" }, { 3, 5, "rw-p" } };
	static const struct want_line after[] = { { 0, 2, "r--p" }, { 3, 5, "rw-p" } };
	char *m = reserve_inner(5);

	say("mprotect across a hole: ENOMEM");
	map_at(m, 0, 5, PROT_READ | PROT_WRITE);
	CHECK_OK(munmap(m + 2 * PAGE_SIZE, PAGE_SIZE));
	expect_lines("two parts around a hole", m, 5, before, 2);
	CHECK_ERRNO(mprotect(m + 2 * PAGE_SIZE, 3 * PAGE_SIZE, PROT_READ), ENOMEM);
	expect_lines("after mprotect starting in the hole", m, 5, before, 2);
	CHECK_ERRNO(mprotect(m, 5 * PAGE_SIZE, PROT_READ), ENOMEM);
	expect_lines("after mprotect across the hole", m, 5, after, 2);
	check_fault("write before the hole", try_write(m, 1), SEGV_ACCERR, m);
	CHECK(try_write(m + 4 * PAGE_SIZE, 1) == ACCESS_OK, "part after the hole not writable");
	release(m, 5);
}

/* adjacent_merge - equal neighbours placed with MAP_FIXED are one line. */
static void
adjacent_merge(void)
{
	static const struct want_line one2[] = { { 0, 2, "rw-p" } };
	static const struct want_line one4[] = { { 0, 4, "rw-p" } };
	static const struct want_line split[] = { { 0, 4, "rw-p" }, { 4, 6, "r--p" } };
	static const struct want_line holed[] = {
		{ 0, 1, "rw-p" }, { 2, 4, "rw-p" }, { 4, 6, "r--p" } };
	char *m = reserve_inner(6);

	say("adjacent anonymous mappings with equal protection merge");
	map_at(m, 0, 2, PROT_READ | PROT_WRITE);
	pattern_fill(m, 2 * PAGE_SIZE, SEED);
	expect_lines("first mapping", m, 2, one2, 1);
	map_at(m, 2, 2, PROT_READ | PROT_WRITE);
	expect_lines("second mapping right after the first", m, 4, one4, 1);
	map_at(m, 4, 2, PROT_READ);
	expect_lines("a read-only third mapping", m, 6, split, 2);
	CHECK_PATTERN("data of the first mapping", m, 2 * PAGE_SIZE, SEED);
	CHECK_ZERO("the second mapping", m + 2 * PAGE_SIZE, 2 * PAGE_SIZE);

	say("a mapping filling a hole merges with both sides");
	memset(m + 2 * PAGE_SIZE, 0x77, 2 * PAGE_SIZE);
	CHECK_OK(munmap(m + PAGE_SIZE, PAGE_SIZE));
	expect_lines("after munmap of page 1", m, 6, holed, 3);
	map_at(m, 1, 1, PROT_READ | PROT_WRITE);
	expect_lines("after filling the hole", m, 6, split, 2);
	CHECK_PATTERN("page 0 after filling the hole", m, PAGE_SIZE, SEED);
	CHECK_ZERO("the refilled page", m + PAGE_SIZE, PAGE_SIZE);
	CHECK_EQ("page 2 after filling the hole", 0x77, (uint8_t)m[2 * PAGE_SIZE]);
	release(m, 6);
}

int
main(void)
{
	catch_faults();
	split_and_merge_back();
	munmap_across();
	mprotect_across_hole();
	adjacent_merge();
	say("/proc/self/maps showed every split and merge as on Linux");
	return 0;
}
