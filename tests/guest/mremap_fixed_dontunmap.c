/*
 * mremap_fixed_dontunmap — mremap with MREMAP_FIXED and MREMAP_DONTUNMAP, and
 * its argument errors, as on Linux:
 *   - MREMAP_FIXED|MREMAP_MAYMOVE onto part of an existing mapping replaces
 *     those pages: exactly the address asked for, the moved data there, the
 *     rest of the old target kept, the source unmapped; growing onto a
 *     PROT_NONE reservation gives writable zero pages past the moved data;
 *   - EINVAL: MREMAP_FIXED without MREMAP_MAYMOVE, unaligned old address,
 *     unaligned new address, old and new ranges overlapping (either way round),
 *     an unknown flag bit, new_size 0;
 *   - EFAULT: old range not mapped (resize or move), resizing an old range that
 *     spans two mappings (read-write then read-only);
 *     after every refused call the mapping is unchanged;
 *   - MREMAP_DONTUNMAP on private anonymous memory: the data moves to the new
 *     address, the old range stays mapped, reads zero and is writable; it
 *     needs MREMAP_MAYMOVE and old_size == new_size (EINVAL otherwise); with
 *     MREMAP_FIXED it lands exactly where asked;
 *   - a 1 MiB pattern-filled region moved with MREMAP_FIXED keeps every byte.
 */
#define TEST_NAME "mremap_fixed_dontunmap"
#include "guest.h"

#define SRC_PAGES     4
#define DST_PAGES     6          /* the source lands on pages [1, 5) */
#define GROW_PAGES    6          /* the FIXED grow onto a reservation */
#define BIG_LEN       (1 * MiB)
#define SRC_SEED      0xF1C5
#define DST_SEED      0xD575
#define ERR_SEED      0xE440
#define DONT_SEED     0xD0B7
#define BIG_SEED      0xB16B

/* reserve - a PROT_NONE range of pages, to have a known free target. */
static char *
reserve(int pages)
{
	char *p = mmap(NULL, pages * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "reserve %d pages (got %s)", pages, errno_name(errno));
	return p;
}

/* filled - a read-write mapping holding the pattern named by seed. */
static char *
filled(int pages, uint32_t seed)
{
	char *p = map_anon(pages * PAGE_SIZE, PROT_READ | PROT_WRITE);

	pattern_fill(p, pages * PAGE_SIZE, seed);
	return p;
}

/* check_unmapped - the first and the last byte of the range fault (MAPERR). */
static void
check_unmapped(const char *what, char *start, size_t len)
{
	check_fault(what, try_read(start), SEGV_MAPERR, start);
	check_fault(what, try_read(start + len - 1), SEGV_MAPERR, start + len - 1);
}

/* fixed_onto_mapping - move 4 pages onto pages [1, 5) of a 6-page mapping. */
static void
fixed_onto_mapping(void)
{
	char *src = filled(SRC_PAGES, SRC_SEED), *dst = filled(DST_PAGES, DST_SEED);
	char *target = dst + PAGE_SIZE;
	size_t len = SRC_PAGES * PAGE_SIZE, tail = (1 + SRC_PAGES) * PAGE_SIZE;

	say("MREMAP_FIXED|MREMAP_MAYMOVE onto the middle of another mapping");
	void *got = mremap(src, len, len, MREMAP_FIXED | MREMAP_MAYMOVE, target);
	CHECK_EQ_HEX("MREMAP_FIXED address", (uintptr_t)target, (uintptr_t)got);
	CHECK_PATTERN("moved data at the target", target, len, SRC_SEED);
	CHECK_PATTERN_IN("target page before the moved pages", dst, 0, PAGE_SIZE, DST_SEED);
	CHECK_PATTERN_IN("target page after the moved pages", dst, tail, PAGE_SIZE, DST_SEED);
	check_unmapped("read of the source after the move", src, len);

	say("MREMAP_FIXED growing onto a PROT_NONE reservation");
	char *spot = reserve(GROW_PAGES);
	size_t grown = GROW_PAGES * PAGE_SIZE;
	got = mremap(target, len, grown, MREMAP_FIXED | MREMAP_MAYMOVE, spot);
	CHECK_EQ_HEX("MREMAP_FIXED grow address", (uintptr_t)spot, (uintptr_t)got);
	CHECK_PATTERN("data moved by the grow", spot, len, SRC_SEED);
	CHECK_ZERO("grown part", spot + len, grown - len);
	CHECK(try_write(spot + grown - 1, 1) == ACCESS_OK,
	      "grown part not writable (the reservation's PROT_NONE stayed)");
	check_unmapped("read of the moved-away pages", target, len);
	CHECK_PATTERN_IN("first page of the old target", dst, 0, PAGE_SIZE, DST_SEED);
	CHECK_PATTERN_IN("last page of the old target", dst, tail, PAGE_SIZE, DST_SEED);
	CHECK_OK(munmap(spot, grown));
	CHECK_OK(munmap(dst, DST_PAGES * PAGE_SIZE));
}

/* two_mappings - a read-write page followed by a read-only page, as two VMAs. */
static char *
two_mappings(void)
{
	char *p = filled(2, ERR_SEED);

	CHECK_OK(mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ));
	return p;
}

/* argument_errors - every refused call leaves the mapping as it was. */
static void
argument_errors(void)
{
	size_t len = SRC_PAGES * PAGE_SIZE;
	char *m = filled(SRC_PAGES, ERR_SEED), *two = two_mappings();
	char *gone = unmapped_page();
	char *spot = free_range(SRC_PAGES);     /* last: no mmap may reuse it */
	int move = MREMAP_FIXED | MREMAP_MAYMOVE;

	say("argument errors: EINVAL");
	CHECK_ERRNO(mremap(m, len, len, MREMAP_FIXED, spot), EINVAL);
	CHECK_ERRNO(mremap(m + 1, len - PAGE_SIZE, len, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERRNO(mremap(m, len, len, move, spot + 1), EINVAL);
	CHECK_ERRNO(mremap(m, len, len, move, m + PAGE_SIZE), EINVAL);
	CHECK_ERRNO(mremap(m + PAGE_SIZE, len - PAGE_SIZE, len - PAGE_SIZE, move, m), EINVAL);
	CHECK_ERRNO(mremap(m, len, len, move, m), EINVAL);
	CHECK_ERRNO(mremap(m, len, 2 * len, MREMAP_MAYMOVE | 0x80), EINVAL);
	CHECK_ERRNO(mremap(m, len, 0, MREMAP_MAYMOVE), EINVAL);
	CHECK_PATTERN("mapping after the EINVAL calls", m, len, ERR_SEED);
	check_unmapped("the target of the refused moves", spot, len);

	say("argument errors: EFAULT");
	CHECK_ERRNO(mremap(gone, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE), EFAULT);
	CHECK_ERRNO(mremap(gone, PAGE_SIZE, PAGE_SIZE, move, spot), EFAULT);
	CHECK_ERRNO(mremap(two, 2 * PAGE_SIZE, 3 * PAGE_SIZE, MREMAP_MAYMOVE), EFAULT);
	CHECK_ERRNO(mremap(two, 2 * PAGE_SIZE, 3 * PAGE_SIZE, 0), EFAULT);
	CHECK_PATTERN("both mappings after the EFAULT calls", two, 2 * PAGE_SIZE, ERR_SEED);
	CHECK(try_write(two, two[0]) == ACCESS_OK, "first mapping no longer writable");
	check_fault("write to the read-only second mapping", try_write(two + PAGE_SIZE, 0),
		    SEGV_ACCERR, two + PAGE_SIZE);
	check_unmapped("the target of the refused moves", spot, len);
	CHECK_OK(munmap(two, 2 * PAGE_SIZE));
	CHECK_OK(munmap(m, len));
}

/* dontunmap - the data moves, the old range stays mapped and reads zero. */
static void
dontunmap(void)
{
	size_t len = SRC_PAGES * PAGE_SIZE;
	char *src = filled(SRC_PAGES, DONT_SEED);

	say("MREMAP_DONTUNMAP argument errors");
	CHECK_ERRNO(mremap(src, len, len, MREMAP_DONTUNMAP), EINVAL);
	CHECK_ERRNO(mremap(src, len, len + PAGE_SIZE, MREMAP_DONTUNMAP | MREMAP_MAYMOVE), EINVAL);
	CHECK_ERRNO(mremap(src, len, len - PAGE_SIZE, MREMAP_DONTUNMAP | MREMAP_MAYMOVE), EINVAL);
	CHECK_PATTERN("source after the refused calls", src, len, DONT_SEED);

	say("MREMAP_DONTUNMAP|MREMAP_MAYMOVE");
	char *moved = mremap(src, len, len, MREMAP_DONTUNMAP | MREMAP_MAYMOVE);
	CHECK(moved != MAP_FAILED, "MREMAP_DONTUNMAP (expected an address, got %s)",
	      errno_name(errno));
	CHECK(moved != src, "MREMAP_DONTUNMAP returned the old address");
	CHECK_PATTERN("data at the new address", moved, len, DONT_SEED);
	CHECK(try_read(src) == ACCESS_OK && try_read(src + len - 1) == ACCESS_OK,
	      "old range unmapped by MREMAP_DONTUNMAP");
	CHECK_ZERO("old range after MREMAP_DONTUNMAP", src, len);
	memset(src, 0x5C, len);
	CHECK_PATTERN("new address after writing the old range", moved, len, DONT_SEED);

	say("MREMAP_DONTUNMAP|MREMAP_FIXED|MREMAP_MAYMOVE");
	char *spot = free_range(SRC_PAGES);
	void *got = mremap(moved, len, len, MREMAP_DONTUNMAP | MREMAP_FIXED | MREMAP_MAYMOVE, spot);
	CHECK_EQ_HEX("MREMAP_DONTUNMAP|MREMAP_FIXED address", (uintptr_t)spot, (uintptr_t)got);
	CHECK_PATTERN("data at the fixed address", spot, len, DONT_SEED);
	CHECK_ZERO("second old range", moved, len);
	CHECK_EQ("first old range kept its new contents", 0x5C, (uint8_t)src[len - 1]);
	CHECK_OK(munmap(src, len));
	CHECK_OK(munmap(moved, len));
	CHECK_OK(munmap(spot, len));
}

/* big_move - 1 MiB moved with MREMAP_FIXED keeps every byte. */
static void
big_move(void)
{
	char *big = map_anon(BIG_LEN, PROT_READ | PROT_WRITE);
	char *spot = reserve(BIG_LEN / PAGE_SIZE);

	say("moving a 1 MiB pattern-filled region");
	pattern_fill(big, BIG_LEN, BIG_SEED);
	void *got = mremap(big, BIG_LEN, BIG_LEN, MREMAP_FIXED | MREMAP_MAYMOVE, spot);
	CHECK_EQ_HEX("1 MiB MREMAP_FIXED address", (uintptr_t)spot, (uintptr_t)got);
	CHECK_PATTERN("1 MiB after the move", spot, BIG_LEN, BIG_SEED);
	check_unmapped("read of the old 1 MiB range", big, BIG_LEN);
	CHECK_OK(munmap(spot, BIG_LEN));
}

int
main(void)
{
	catch_faults();
	fixed_onto_mapping();
	argument_errors();
	dontunmap();
	big_move();
	say("MREMAP_FIXED and MREMAP_DONTUNMAP behaved as on Linux");
	return 0;
}
