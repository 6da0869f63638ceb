/*
 * mremap_length_rules — how mremap reads its lengths, as Linux does:
 *   - both lengths are rounded up to whole pages before they are compared:
 *     MREMAP_DONTUNMAP with old_size 4095 and new_size 4096 is a move of one
 *     page (it used to be refused as a resize);
 *   - old_size 0 asks for a second mapping of the same pages: refused with
 *     EINVAL for private memory, done for shared memory (a write through
 *     either address is seen through the other), with or without
 *     MREMAP_FIXED;
 *   - growing an old range that runs past the end of its mapping is EFAULT;
 *     keeping the size of such a range is a no-op that returns the address;
 *   - shrinking unmaps the whole cut-off range, past the end of the mapping
 *     too (a mapping there goes away); with MREMAP_FIXED the shrunk part
 *     moves and the rest is unmapped.
 */
#define TEST_NAME "mremap_length_rules"
#include "guest.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define AREA_PAGES   12       /* p [0,4), hole [4,8), q [8,9) */
#define P_PAGES      4
#define Q_PAGE       8
#define SHRUNK_PAGES 2
#define P_SEED       0x1E9A
#define Q_SEED       0x0C0C
#define SHARED_SEED  0x5AED

/* layout - p: P_PAGES filled pages, then a hole, then q: one filled page. */
static void
layout(char **p, char **q)
{
	char *area = free_range(AREA_PAGES);

	*p = mmap(area, P_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	*q = mmap(area + Q_PAGE * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(*p == area && *q == area + Q_PAGE * PAGE_SIZE, "MAP_FIXED layout");
	pattern_fill(*p, P_PAGES * PAGE_SIZE, P_SEED);
	pattern_fill(*q, PAGE_SIZE, Q_SEED);
}

static void
check_dontunmap_rounds_lengths(void)
{
	char *p = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *moved;

	say("MREMAP_DONTUNMAP with old_size 4095, new_size 4096");
	pattern_fill(p, PAGE_SIZE, P_SEED);
	moved = (char *)sys_mremap(p, PAGE_SIZE - 1, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	CHECK(moved != MAP_FAILED, "DONTUNMAP 4095 -> 4096 (got %s)", errno_name(errno));
	CHECK(moved != p, "DONTUNMAP moved to a new address");
	CHECK_PATTERN("moved page", moved, PAGE_SIZE, P_SEED);
	CHECK_ZERO("page left behind", p, PAGE_SIZE);
	CHECK_OK(munmap(p, PAGE_SIZE));
	CHECK_OK(munmap(moved, PAGE_SIZE));
}

static void
check_old_size_zero(void)
{
	char *priv = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *shared = map_shared_anon(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *target, *copy, *fixed;

	say("old_size 0: private refused, shared duplicated");
	CHECK_ERRNO(sys_mremap(priv, 0, PAGE_SIZE, MREMAP_MAYMOVE, 0), EINVAL);
	CHECK_ERRNO(sys_mremap(priv, 0, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, free_range(2)),
		    EINVAL);
	pattern_fill(shared, 2 * PAGE_SIZE, SHARED_SEED);
	copy = (char *)sys_mremap(shared, 0, 2 * PAGE_SIZE, MREMAP_MAYMOVE, 0);
	CHECK(copy != MAP_FAILED && copy != shared, "duplicate of a shared mapping (got %s)",
	      errno_name(errno));
	CHECK_PATTERN("duplicate sees the data", copy, 2 * PAGE_SIZE, SHARED_SEED);
	target = free_range(2);
	fixed = (char *)sys_mremap(shared, 0, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK_EQ_HEX("MREMAP_FIXED duplicate", (uintptr_t)target, (uintptr_t)fixed);
	copy[1] = 0x77;
	CHECK_EQ("write through the duplicate seen by the original", 0x77, shared[1]);
	CHECK_EQ("and by the fixed duplicate", 0x77, fixed[1]);
	CHECK_PATTERN_IN("original keeps the rest", shared, 2, 2 * PAGE_SIZE - 2, SHARED_SEED);
	CHECK_OK(munmap(copy, 2 * PAGE_SIZE));
	CHECK_OK(munmap(fixed, PAGE_SIZE));
	CHECK_OK(munmap(shared, 2 * PAGE_SIZE));
	CHECK_OK(munmap(priv, PAGE_SIZE));
}

static void
check_old_range_past_the_mapping(void)
{
	char *p, *q;

	say("an old range running past the mapping");
	layout(&p, &q);
	CHECK_ERRNO(sys_mremap(p, 2 * P_PAGES * PAGE_SIZE, 4 * P_PAGES * PAGE_SIZE,
			       MREMAP_MAYMOVE, 0), EFAULT);
	CHECK_EQ_HEX("same size past the mapping is a no-op", (uintptr_t)p,
		     sys_mremap(p, 2 * P_PAGES * PAGE_SIZE, 2 * P_PAGES * PAGE_SIZE, MREMAP_MAYMOVE, 0));
	CHECK_PATTERN("p after the refusals", p, P_PAGES * PAGE_SIZE, P_SEED);
	CHECK_PATTERN("q after the refusals", q, PAGE_SIZE, Q_SEED);

	say("shrinking unmaps past the end of the mapping");
	CHECK_EQ_HEX("shrink over the hole and q", (uintptr_t)p,
		     sys_mremap(p, (Q_PAGE + 1) * PAGE_SIZE, SHRUNK_PAGES * PAGE_SIZE, 0, 0));
	CHECK_PATTERN("kept part", p, SHRUNK_PAGES * PAGE_SIZE, P_SEED);
	catch_faults();
	check_fault("q was unmapped by the shrink", try_read(q), SEGV_MAPERR, q);
	check_fault("the cut-off part of p", try_read(p + SHRUNK_PAGES * PAGE_SIZE), SEGV_MAPERR,
		    p + SHRUNK_PAGES * PAGE_SIZE);
	CHECK_OK(munmap(p, SHRUNK_PAGES * PAGE_SIZE));
}

static void
check_fixed_shrink(void)
{
	char *p, *q, *target, *got;

	say("MREMAP_FIXED with a shrink");
	layout(&p, &q);
	target = free_range(P_PAGES);
	got = (char *)sys_mremap(p, P_PAGES * PAGE_SIZE, SHRUNK_PAGES * PAGE_SIZE,
				 MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK_EQ_HEX("lands where asked", (uintptr_t)target, (uintptr_t)got);
	CHECK_PATTERN("the shrunk part moved", got, SHRUNK_PAGES * PAGE_SIZE, P_SEED);
	check_fault("old first page unmapped", try_read(p), SEGV_MAPERR, p);
	check_fault("old tail unmapped", try_read(p + (P_PAGES - 1) * PAGE_SIZE), SEGV_MAPERR,
		    p + (P_PAGES - 1) * PAGE_SIZE);
	CHECK_PATTERN("q untouched", q, PAGE_SIZE, Q_SEED);
	CHECK_OK(munmap(got, SHRUNK_PAGES * PAGE_SIZE));
	CHECK_OK(munmap(q, PAGE_SIZE));
}

int
main(void)
{
	check_dontunmap_rounds_lengths();
	check_old_size_zero();
	check_old_range_past_the_mapping();
	check_fixed_shrink();
	say("mremap lengths read as on Linux");
	return 0;
}
