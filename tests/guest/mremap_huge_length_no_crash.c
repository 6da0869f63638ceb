/*
 * mremap_huge_length_no_crash — lengths near 4 GiB given to mremap and munmap
 * are refused with EINVAL and change nothing. They used to reach the kernel
 * unchecked (musl's mremap wrapper filters them, so they are made raw here):
 *   - growing to 0xFFFFF000 with MREMAP_MAYMOVE made the free-range search
 *     wrap around and hand out a range over existing mappings: a BUG_ON in
 *     vma_link, a kernel crash; without MREMAP_MAYMOVE the same length;
 *   - new lengths that page-align to 0 (0xFFFFF001) or are 0;
 *   - shrinking from an old length of 0xFFFFE000 unmapped a range that
 *     wrapped around the address space: it split the mapping below and
 *     returned success (Linux: the range to unmap runs past the end of user
 *     space, EINVAL);
 *   - MREMAP_FIXED to a range running past the top, or with a new length
 *     near 4 GiB; MREMAP_DONTUNMAP with a hint running past the top;
 *   - munmap of 0xFFFFF000 or 0xFFFFFFFF bytes.
 * After each refusal the mapping, the one below it and the one above it
 * still hold their patterns; then an ordinary mremap still moves and grows
 * the mapping with its data, and anvil's reverse-map checker finds nothing
 * wrong.
 */
#define TEST_NAME "mremap_huge_length_no_crash"
#include "guest.h"
#include "vm_probe.h"
#include <sys/syscall.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define AREA_PAGES      10       /* below [0,2) hole, p [3,5) hole, above [6,8) */
#define BELOW_PAGE      0
#define P_PAGE          3
#define ABOVE_PAGE      6
#define PIECE_PAGES     2
#define NEAR_4G         0xFFFFF000u
#define ALIGNS_TO_ZERO  0xFFFFF001u
#define TOP_PAGE        ((void *)TOP_PAGE_ADDR)
#define WRAP_TO_BELOW   (0u - 2u * PAGE_SIZE)  /* p + this = the middle of below */
#define LOW_TARGET      ((void *)0x10000000u)
#define GROWN_LEN       (64 * PAGE_SIZE)
#define BELOW_SEED      0xB310
#define P_SEED          0x9A9A
#define ABOVE_SEED      0xAB0E

static char *below, *p, *above;

/* piece - PIECE_PAGES read-write pages at page index of area, filled. */
static char *
piece(char *area, int index, uint32_t seed)
{
	char *want = area + index * PAGE_SIZE;
	char *got = mmap(want, PIECE_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	CHECK_EQ_HEX("MAP_FIXED piece", (uintptr_t)want, (uintptr_t)got);
	pattern_fill(got, PIECE_PAGES * PAGE_SIZE, seed);
	return got;
}

/* build - three mappings with a page of hole between each. */
static void
build(void)
{
	char *area = free_range(AREA_PAGES);

	below = piece(area, BELOW_PAGE, BELOW_SEED);
	p = piece(area, P_PAGE, P_SEED);
	above = piece(area, ABOVE_PAGE, ABOVE_SEED);
}

/* unchanged - all three mappings still there with their data. */
static void
unchanged(const char *after)
{
	say("after %s: all three mappings intact", after);
	CHECK_PATTERN(after, below, PIECE_PAGES * PAGE_SIZE, BELOW_SEED);
	CHECK_PATTERN(after, p, PIECE_PAGES * PAGE_SIZE, P_SEED);
	CHECK_PATTERN(after, above, PIECE_PAGES * PAGE_SIZE, ABOVE_SEED);
}

static void
check_new_lengths(void)
{
	CHECK_ERRNO(sys_mremap(p, PAGE_SIZE, NEAR_4G, MREMAP_MAYMOVE, 0), EINVAL);
	unchanged("growing to 0xFFFFF000 with MREMAP_MAYMOVE");
	CHECK_ERRNO(sys_mremap(p, PAGE_SIZE, NEAR_4G, 0, 0), EINVAL);
	unchanged("growing to 0xFFFFF000 in place");
	CHECK_ERRNO(sys_mremap(p, PIECE_PAGES * PAGE_SIZE, ALIGNS_TO_ZERO, MREMAP_MAYMOVE, 0),
		    EINVAL);
	CHECK_ERRNO(sys_mremap(p, PIECE_PAGES * PAGE_SIZE, 0, MREMAP_MAYMOVE, 0), EINVAL);
	unchanged("new lengths 0xFFFFF001 and 0");
}

static void
check_shrink_from_huge_old_length(void)
{
	CHECK_ERRNO(sys_mremap(p, WRAP_TO_BELOW, PAGE_SIZE, 0, 0), EINVAL);
	unchanged("shrinking from 0xFFFFE000 bytes");
	CHECK_ERRNO(sys_mremap(p, NEAR_4G, PAGE_SIZE, MREMAP_MAYMOVE, 0), EINVAL);
	unchanged("shrinking from 0xFFFFF000 bytes");
}

static void
check_new_ranges_past_the_top(void)
{
	CHECK_ERRNO(sys_mremap(p, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, TOP_PAGE),
		    EINVAL);
	CHECK_ERRNO(sys_mremap(p, PAGE_SIZE, NEAR_4G, MREMAP_MAYMOVE | MREMAP_FIXED, LOW_TARGET),
		    EINVAL);
	CHECK_ERRNO(sys_mremap(p, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, TOP_PAGE),
		    EINVAL);
	unchanged("MREMAP_FIXED / DONTUNMAP ranges past the top");
}

static void
check_munmap(void)
{
	CHECK_ERRNO(syscall(SYS_munmap, p, NEAR_4G), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, p, 0xFFFFFFFFu), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, below, WRAP_TO_BELOW), EINVAL);
	unchanged("munmap of lengths near 4 GiB");
}

/* check_still_works - an ordinary move-and-grow keeps the data. */
static void
check_still_works(void)
{
	char *moved = (char *)sys_mremap(p, PIECE_PAGES * PAGE_SIZE, GROWN_LEN, MREMAP_MAYMOVE, 0);

	CHECK(moved != MAP_FAILED, "mremap to %d bytes (got %s)", GROWN_LEN, errno_name(errno));
	CHECK_PATTERN("moved data", moved, PIECE_PAGES * PAGE_SIZE, P_SEED);
	CHECK_ZERO("grown part", moved + PIECE_PAGES * PAGE_SIZE, GROWN_LEN - PIECE_PAGES * PAGE_SIZE);
	CHECK_PATTERN("below after the move", below, PIECE_PAGES * PAGE_SIZE, BELOW_SEED);
	CHECK_PATTERN("above after the move", above, PIECE_PAGES * PAGE_SIZE, ABOVE_SEED);
	CHECK_OK(munmap(moved, GROWN_LEN));
}

int
main(void)
{
	build();
	say("new lengths near 4 GiB");
	check_new_lengths();
	say("shrinking from an old length near 4 GiB");
	check_shrink_from_huge_old_length();
	say("new ranges past the end of the address space");
	check_new_ranges_past_the_top();
	say("munmap lengths near 4 GiB");
	check_munmap();
	say("an ordinary mremap still works");
	check_still_works();
	if (running_on_anvil())
		check_rmap_consistent("after the refused calls");
	CHECK_OK(munmap(below, PIECE_PAGES * PAGE_SIZE));
	CHECK_OK(munmap(above, PIECE_PAGES * PAGE_SIZE));
	say("lengths near 4 GiB refused with EINVAL, nothing changed");
	return 0;
}
