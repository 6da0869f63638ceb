/*
 * madvise_semantics — madvise as on Linux:
 *   - MADV_DONTNEED on private anonymous pages: they read zero afterwards and
 *     stay mapped and writable; the untouched neighbours keep their data;
 *   - MADV_DONTNEED on MAP_SHARED|MAP_ANONYMOUS memory: the data survives
 *     (the pages come back from the shared object) and the mapping is still
 *     shared with a child forked afterwards;
 *   - after fork, a child's MADV_DONTNEED zeroes only the child's view;
 *   - MADV_WILLNEED, MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL return 0 and
 *     change no data; length 0 returns 0;
 *   - EINVAL: unknown advice (12345, also on an unmapped range: the advice is
 *     checked first), unaligned start; ENOMEM: an unmapped range;
 *   - a range with an unmapped hole: ENOMEM, yet MADV_DONTNEED was applied to
 *     the mapped parts on both sides of the hole (Linux walks the whole range);
 *   - MADV_DONTFORK: a child forked afterwards has no mapping there (its reads
 *     fault with SEGV_MAPERR, and kill it by default) while the pages around
 *     are inherited; MADV_DOFORK makes the range inherited again.
 */
#define TEST_NAME "madvise_semantics"
#include "guest.h"

#define PAGES          6
#define LEN            (PAGES * PAGE_SIZE)
#define DROP_FIRST     2
#define DROP_PAGES     2
#define ADVICE_UNKNOWN 12345
#define SEED           0xAD71
#define SHARED_SEED    0x5AED

static char *area;

/* check_dropped - pages [first, first+count) read zero, the others hold
 * their part of the pattern. */
static void
check_dropped(const char *who, const char *base, int pages, int first, int count, uint32_t seed)
{
	char what[96];

	for (int i = 0; i < pages; i++) {
		snprintf(what, sizeof(what), "%s: page %d", who, i);
		if (i >= first && i < first + count)
			CHECK_ZERO(what, base + i * PAGE_SIZE, PAGE_SIZE);
		else
			CHECK_PATTERN_IN(what, base, (size_t)i * PAGE_SIZE, PAGE_SIZE, seed);
	}
}

/* dontneed_private - the dropped pages read zero, stay writable. */
static void
dontneed_private(void)
{
	char *drop = area + DROP_FIRST * PAGE_SIZE;

	say("MADV_DONTNEED on private anonymous pages");
	pattern_fill(area, LEN, SEED);
	CHECK_OK(madvise(drop, DROP_PAGES * PAGE_SIZE, MADV_DONTNEED));
	check_dropped("after MADV_DONTNEED", area, PAGES, DROP_FIRST, DROP_PAGES, SEED);
	memset(drop, 0x3D, DROP_PAGES * PAGE_SIZE);
	CHECK_EQ("write after MADV_DONTNEED", 0x3D, (uint8_t)drop[DROP_PAGES * PAGE_SIZE - 1]);
}

/* child_writes_shared - the child's write to the shared mapping. */
static void
child_writes_shared(void *shared)
{
	((char *)shared)[PAGE_SIZE] = 0x51;
}

/* dontneed_shared - shared anonymous data survives MADV_DONTNEED. */
static void
dontneed_shared(void)
{
	char *shared = map_shared_anon(LEN, PROT_READ | PROT_WRITE);

	say("MADV_DONTNEED on shared anonymous pages");
	pattern_fill(shared, LEN, SHARED_SEED);
	CHECK_OK(madvise(shared, LEN, MADV_DONTNEED));
	CHECK_PATTERN("shared data after MADV_DONTNEED", shared, LEN, SHARED_SEED);
	check_exited("child writing the shared mapping", run_in_child(child_writes_shared, shared),
		     0);
	CHECK_EQ("child's write seen through the shared mapping", 0x51,
		 (uint8_t)shared[PAGE_SIZE]);
	CHECK_OK(munmap(shared, LEN));
}

/* child_drops_all - MADV_DONTNEED over the child's whole copy. */
static void
child_drops_all(void *unused)
{
	CHECK_OK(madvise(area, LEN, MADV_DONTNEED));
	CHECK_ZERO("child's copy after MADV_DONTNEED", area, LEN);
	memset(area, 0x4C, PAGE_SIZE);
}

/* dontneed_after_fork - the child's MADV_DONTNEED leaves the parent alone. */
static void
dontneed_after_fork(void)
{
	say("MADV_DONTNEED in a child after fork");
	pattern_fill(area, LEN, SEED);
	check_exited("child dropping its copy", run_in_child(child_drops_all, NULL), 0);
	CHECK_PATTERN("parent's data after the child's MADV_DONTNEED", area, LEN, SEED);
}

/* harmless_advice - hints return 0 and change no data. */
static void
harmless_advice(void)
{
	static const struct { int advice; const char *name; } hints[] = {
		{ MADV_WILLNEED, "MADV_WILLNEED" }, { MADV_NORMAL, "MADV_NORMAL" },
		{ MADV_RANDOM, "MADV_RANDOM" }, { MADV_SEQUENTIAL, "MADV_SEQUENTIAL" },
	};

	say("MADV_WILLNEED, NORMAL, RANDOM, SEQUENTIAL");
	pattern_fill(area, LEN, SEED);
	for (size_t k = 0; k < sizeof(hints) / sizeof(hints[0]); k++) {
		errno = 0;
		CHECK(madvise(area, LEN, hints[k].advice) == 0, "madvise %s (expected 0, got %s)",
		      hints[k].name, errno_name(errno));
	}
	CHECK_EQ("madvise length 0", 0, madvise(area, 0, MADV_DONTNEED));
	CHECK_PATTERN("data after the hints", area, LEN, SEED);
}

/* advice_errors - EINVAL and ENOMEM cases. */
static void
advice_errors(void)
{
	char *gone = unmapped_page();

	say("madvise errors");
	CHECK_ERRNO(madvise(area, LEN, ADVICE_UNKNOWN), EINVAL);
	CHECK_ERRNO(madvise(gone, PAGE_SIZE, ADVICE_UNKNOWN), EINVAL);
	CHECK_ERRNO(madvise(area + 1, PAGE_SIZE, MADV_DONTNEED), EINVAL);
	CHECK_ERRNO(madvise(area + 1, PAGE_SIZE, MADV_WILLNEED), EINVAL);
	CHECK_ERRNO(madvise(gone, PAGE_SIZE, MADV_DONTNEED), ENOMEM);
	CHECK_ERRNO(madvise(gone, PAGE_SIZE, MADV_NORMAL), ENOMEM);
	CHECK_PATTERN("data after the refused calls", area, LEN, SEED);
}

/* dontneed_across_hole - ENOMEM, but both sides were dropped. */
static void
dontneed_across_hole(void)
{
	char *m = map_anon(5 * PAGE_SIZE, PROT_READ | PROT_WRITE);

	say("MADV_DONTNEED across a hole: ENOMEM, both sides dropped");
	memset(m, 0x66, 5 * PAGE_SIZE);
	CHECK_OK(munmap(m + 2 * PAGE_SIZE, PAGE_SIZE));
	CHECK_ERRNO(madvise(m, 5 * PAGE_SIZE, MADV_WILLNEED), ENOMEM);
	CHECK_EQ("data after MADV_WILLNEED across the hole", 0x66, (uint8_t)m[4 * PAGE_SIZE]);
	CHECK_ERRNO(madvise(m, 5 * PAGE_SIZE, MADV_DONTNEED), ENOMEM);
	CHECK_ZERO("part before the hole", m, 2 * PAGE_SIZE);
	CHECK_ZERO("part after the hole", m + 3 * PAGE_SIZE, 2 * PAGE_SIZE);
	CHECK_OK(munmap(m, 5 * PAGE_SIZE));
}

/* child_sees_dontfork - the middle page is not mapped in the child. */
static void
child_sees_dontfork(void *unused)
{
	char *middle = area + PAGE_SIZE;

	catch_faults();
	check_fault("child reading the MADV_DONTFORK page", try_read(middle), SEGV_MAPERR, middle);
	check_fault("child writing the MADV_DONTFORK page", try_write(middle + 5, 1),
		    SEGV_MAPERR, middle + 5);
	CHECK_PATTERN_IN("child: page before the MADV_DONTFORK page", area, 0, PAGE_SIZE, SEED);
	CHECK_PATTERN_IN("child: page after the MADV_DONTFORK page", area, 2 * PAGE_SIZE,
			 PAGE_SIZE, SEED);
}

/* child_sees_dofork - after MADV_DOFORK the middle page is inherited. */
static void
child_sees_dofork(void *unused)
{
	CHECK_PATTERN("child: all pages after MADV_DOFORK", area, 3 * PAGE_SIZE, SEED);
}

/* dontfork - MADV_DONTFORK hides a page from children, MADV_DOFORK undoes it. */
static void
dontfork(void)
{
	say("MADV_DONTFORK and MADV_DOFORK");
	pattern_fill(area, LEN, SEED);
	CHECK_OK(madvise(area + PAGE_SIZE, PAGE_SIZE, MADV_DONTFORK));
	check_exited("child after MADV_DONTFORK", run_in_child(child_sees_dontfork, NULL), 0);
	check_access_kills("child reading the MADV_DONTFORK page", area + PAGE_SIZE, ACCESS_READ);
	CHECK_PATTERN("parent after MADV_DONTFORK children", area, LEN, SEED);
	CHECK_OK(madvise(area, LEN, MADV_DOFORK));
	check_exited("child after MADV_DOFORK", run_in_child(child_sees_dofork, NULL), 0);
	CHECK_PATTERN("parent after MADV_DOFORK children", area, LEN, SEED);
}

int
main(void)
{
	area = map_anon(LEN, PROT_READ | PROT_WRITE);
	dontneed_private();
	dontneed_shared();
	dontneed_after_fork();
	harmless_advice();
	advice_errors();
	dontneed_across_hole();
	dontfork();
	CHECK_OK(munmap(area, LEN));
	say("madvise behaved as on Linux");
	return 0;
}
