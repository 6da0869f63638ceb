/*
 * msync_arguments — msync's answers on private and shared anonymous memory
 * (nothing to write back), as on Linux. It used to be missing (ENOSYS).
 *   - success on a mapped range, with MS_ASYNC, MS_SYNC, MS_INVALIDATE
 *     alone or combined, an unaligned length, and a length of 0 (even at an
 *     unmapped address); the data is untouched;
 *   - EINVAL: an unaligned start, an unknown flag, MS_ASYNC with MS_SYNC;
 *   - ENOMEM: a range with a hole, at its start, middle or end; a plain
 *     MS_SYNC fails at the first hole, MS_ASYNC walks on, same answer;
 *   - EBUSY: MS_INVALIDATE on an mlocked range.
 */
#define TEST_NAME "msync_arguments"
#include "guest.h"
#include <sys/syscall.h>

#define PAGES        4
#define SEED         0x5C1C
#define UNKNOWN_FLAG 8

static long
raw_msync(void *start, size_t len, int flags)
{
	return syscall(SYS_msync, start, len, flags);
}

static void
check_success(char *p, char *shared)
{
	say("mapped ranges");
	CHECK_OK(raw_msync(p, PAGES * PAGE_SIZE, MS_ASYNC));
	CHECK_OK(raw_msync(p, PAGES * PAGE_SIZE, MS_SYNC));
	CHECK_OK(raw_msync(p, PAGES * PAGE_SIZE, MS_INVALIDATE));
	CHECK_OK(raw_msync(p, PAGES * PAGE_SIZE, MS_SYNC | MS_INVALIDATE));
	CHECK_OK(raw_msync(p, 1, 0));
	CHECK_OK(raw_msync(shared, PAGES * PAGE_SIZE - 1, MS_SYNC));
	CHECK_OK(raw_msync(unmapped_page(), 0, MS_SYNC));
	CHECK_PATTERN("data after msync", p, PAGES * PAGE_SIZE, SEED);
	CHECK_PATTERN("shared data after msync", shared, PAGES * PAGE_SIZE, SEED);
}

static void
check_einval(char *p)
{
	say("EINVAL");
	CHECK_ERRNO(raw_msync(p + 1, PAGE_SIZE, MS_SYNC), EINVAL);
	CHECK_ERRNO(raw_msync(p, PAGE_SIZE, UNKNOWN_FLAG), EINVAL);
	CHECK_ERRNO(raw_msync(p, PAGE_SIZE, MS_ASYNC | MS_SYNC), EINVAL);
}

static void
check_holes(char *p)
{
	say("ENOMEM at holes");
	CHECK_OK(munmap(p + PAGE_SIZE, PAGE_SIZE));
	CHECK_ERRNO(raw_msync(p, PAGES * PAGE_SIZE, MS_SYNC), ENOMEM);
	CHECK_ERRNO(raw_msync(p, PAGES * PAGE_SIZE, MS_ASYNC), ENOMEM);
	CHECK_ERRNO(raw_msync(p + PAGE_SIZE, PAGE_SIZE, MS_ASYNC), ENOMEM);
	CHECK_ERRNO(raw_msync(p + PAGE_SIZE, 2 * PAGE_SIZE, MS_INVALIDATE), ENOMEM);
	CHECK_ERRNO(raw_msync(p + (PAGES - 1) * PAGE_SIZE, 2 * PAGE_SIZE, 0), ENOMEM);
	CHECK_PATTERN_IN("data after the refusals", p, 0, PAGE_SIZE, SEED);
	CHECK_PATTERN_IN("data after the refusals", p, 2 * PAGE_SIZE, 2 * PAGE_SIZE, SEED);
}

static void
check_locked(void)
{
	char *locked = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);

	say("EBUSY on a locked range");
	CHECK_OK(mlock(locked, PAGE_SIZE));
	CHECK_ERRNO(raw_msync(locked, PAGE_SIZE, MS_INVALIDATE), EBUSY);
	CHECK_OK(raw_msync(locked, PAGE_SIZE, MS_SYNC));
	CHECK_OK(munmap(locked, PAGE_SIZE));
}

int
main(void)
{
	char *p = map_anon((PAGES + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *shared = map_shared_anon(PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);

	CHECK_OK(munmap(p + PAGES * PAGE_SIZE, PAGE_SIZE));     /* a hole after p */
	pattern_fill(p, PAGES * PAGE_SIZE, SEED);
	pattern_fill(shared, PAGES * PAGE_SIZE, SEED);
	check_success(p, shared);
	check_einval(p);
	check_holes(p);
	check_locked();
	CHECK_OK(munmap(p, PAGE_SIZE));
	CHECK_OK(munmap(p + 2 * PAGE_SIZE, 2 * PAGE_SIZE));
	CHECK_OK(munmap(shared, PAGES * PAGE_SIZE));
	say("msync answered as Linux does");
	return 0;
}
