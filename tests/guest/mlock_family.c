/*
 * mlock_family — mlock, munlock, mlock2, mlockall, munlockall as on Linux,
 * measured by VmLck in /proc/self/status (kB of locked mappings):
 *   - mlock of a mapped range returns 0 and VmLck grows by its size; locking
 *     it again adds nothing; munlock brings VmLck back; the data is kept;
 *   - mlock of an unaligned address covers whole pages (start rounded down,
 *     end rounded up): 1 page from offset 100 locks 2 pages;
 *   - mlock/munlock of an unmapped range: ENOMEM; across a hole: ENOMEM, with
 *     the part before the hole already locked (and unlocked) as on Linux;
 *   - mlock2 (the raw syscall) with flags 0 and with MLOCK_ONFAULT locks the
 *     whole range (VmLck counts it all); other flag bits: EINVAL;
 *   - MADV_DONTNEED on locked pages: EINVAL, data kept;
 *   - a forked child inherits no locks (its VmLck is 0), nor MCL_FUTURE;
 *   - mlockall(MCL_CURRENT) locks what is mapped but not later mappings;
 *     mlockall(MCL_CURRENT|MCL_FUTURE) also locks a later mmap (VmLck grows by
 *     its size); munlockall brings VmLck to 0;
 *   - mlockall(0), mlockall(MCL_ONFAULT) alone and unknown bits: EINVAL.
 * Sizes stay far below the usual 8 MiB RLIMIT_MEMLOCK.
 */
#define TEST_NAME "mlock_family"
#include "guest.h"
#include "vm_probe.h"
#include <sys/resource.h>

#define PAGES         4
#define LEN           (PAGES * PAGE_SIZE)
#define PAGE_KB       (PAGE_SIZE / KiB)
#define SEED          0x10C4

/* CHECK_VMLCK - VmLck must read expected kB. */
#define CHECK_VMLCK(what, expected) CHECK_EQ(what, (expected), status_kb("VmLck"))

/* lock_and_unlock - the plain case, locking twice, and the rounding. */
static void
lock_and_unlock(char *p, long base)
{
	say("mlock and munlock of %d pages", PAGES);
	CHECK_OK(mlock(p, LEN));
	CHECK_VMLCK("VmLck after mlock", base + PAGES * PAGE_KB);
	CHECK_OK(mlock(p, LEN));
	CHECK_VMLCK("VmLck after a second mlock of the same pages", base + PAGES * PAGE_KB);
	CHECK_PATTERN("data of the locked pages", p, LEN, SEED);
	CHECK_OK(munlock(p, LEN));
	CHECK_VMLCK("VmLck after munlock", base);

	say("mlock of one page from an unaligned address");
	CHECK_OK(mlock(p + 100, PAGE_SIZE));
	CHECK_VMLCK("VmLck after the unaligned mlock", base + 2 * PAGE_KB);
	CHECK_OK(munlock(p + 100, PAGE_SIZE));
	CHECK_VMLCK("VmLck after the unaligned munlock", base);
}

/* unmapped_ranges - ENOMEM, and the Linux partial effect across a hole. */
static void
unmapped_ranges(long base)
{
	char *gone = unmapped_page();
	char *m = map_anon(5 * PAGE_SIZE, PROT_READ | PROT_WRITE);

	say("mlock and munlock of unmapped ranges: ENOMEM");
	CHECK_ERRNO(mlock(gone, PAGE_SIZE), ENOMEM);
	CHECK_ERRNO(munlock(gone, PAGE_SIZE), ENOMEM);
	CHECK_VMLCK("VmLck after mlock of an unmapped page", base);

	CHECK_OK(munmap(m + 2 * PAGE_SIZE, PAGE_SIZE));
	CHECK_ERRNO(mlock(m, 5 * PAGE_SIZE), ENOMEM);
	CHECK_VMLCK("VmLck after mlock across a hole (part before it locked)",
		    base + 2 * PAGE_KB);
	CHECK_ERRNO(munlock(m, 5 * PAGE_SIZE), ENOMEM);
	CHECK_VMLCK("VmLck after munlock across the hole", base);
	CHECK_ERRNO(mlock(m + 2 * PAGE_SIZE, 3 * PAGE_SIZE), ENOMEM);
	CHECK_VMLCK("VmLck after mlock starting in the hole", base);
	CHECK_OK(munmap(m, 5 * PAGE_SIZE));
}

/* mlock2_flags - flags 0 and MLOCK_ONFAULT lock the whole range. */
static void
mlock2_flags(char *p, long base)
{
	say("mlock2 with flags 0 and MLOCK_ONFAULT");
	CHECK_OK(sys_mlock2(p, LEN, 0));
	CHECK_VMLCK("VmLck after mlock2(0)", base + PAGES * PAGE_KB);
	CHECK_OK(munlock(p, LEN));
	CHECK_OK(sys_mlock2(p, LEN, MLOCK_ONFAULT));
	CHECK_VMLCK("VmLck after mlock2(MLOCK_ONFAULT)", base + PAGES * PAGE_KB);
	CHECK_OK(munlock(p, LEN));
	CHECK_VMLCK("VmLck after munlock of the MLOCK_ONFAULT range", base);

	say("mlock2 with unknown flags: EINVAL");
	CHECK_ERRNO(sys_mlock2(p, LEN, 2), EINVAL);
	CHECK_ERRNO(sys_mlock2(p, LEN, MLOCK_ONFAULT | 0x100), EINVAL);
	CHECK_VMLCK("VmLck after the refused mlock2", base);
}

/* dontneed_locked - MADV_DONTNEED refuses locked pages. */
static void
dontneed_locked(char *p, long base)
{
	say("MADV_DONTNEED on locked pages: EINVAL");
	CHECK_OK(mlock(p, LEN));
	CHECK_ERRNO(madvise(p, LEN, MADV_DONTNEED), EINVAL);
	CHECK_PATTERN("locked data after the refused MADV_DONTNEED", p, LEN, SEED);
	CHECK_OK(munlock(p, LEN));
	CHECK_VMLCK("VmLck after munlock", base);
}

/* child_has_no_locks - the child starts with VmLck 0, and its new mappings
 * are not locked even if the parent asked for MCL_FUTURE. */
static void
child_has_no_locks(void *unused)
{
	CHECK_VMLCK("child's VmLck", 0);
	map_anon(LEN, PROT_READ | PROT_WRITE);
	CHECK_VMLCK("child's VmLck after an mmap", 0);
}

/* locks_not_inherited - a child of a process holding locks has none. */
static void
locks_not_inherited(char *p, long base)
{
	say("a forked child inherits no locks");
	CHECK_OK(mlock(p, LEN));
	check_exited("child checking its VmLck", run_in_child(child_has_no_locks, NULL), 0);
	CHECK_VMLCK("parent's VmLck after the child", base + PAGES * PAGE_KB);
	CHECK_OK(munlock(p, LEN));
}

/* lock_everything - mlockall with and without MCL_FUTURE, then munlockall. */
static void
lock_everything(void)
{
	long locked;
	char *later;

	say("mlockall(MCL_CURRENT): later mappings are not locked");
	CHECK_OK(mlockall(MCL_CURRENT));
	locked = status_kb("VmLck");
	CHECK(locked >= PAGES * PAGE_KB, "VmLck after mlockall(MCL_CURRENT) (expected at least "
	      "%d kB, got %ld kB)", PAGES * PAGE_KB, locked);
	later = map_anon(LEN, PROT_READ | PROT_WRITE);
	CHECK_VMLCK("VmLck after an mmap under MCL_CURRENT", locked);
	CHECK_OK(munmap(later, LEN));
	CHECK_OK(munlockall());
	CHECK_VMLCK("VmLck after munlockall", 0);

	say("mlockall(MCL_CURRENT|MCL_FUTURE): a later mmap is locked");
	CHECK_OK(mlockall(MCL_CURRENT | MCL_FUTURE));
	locked = status_kb("VmLck");
	later = map_anon(LEN, PROT_READ | PROT_WRITE);
	CHECK_VMLCK("VmLck after an mmap under MCL_FUTURE", locked + PAGES * PAGE_KB);
	CHECK_ZERO("a locked new mapping", later, LEN);
	check_exited("child of an MCL_FUTURE process", run_in_child(child_has_no_locks, NULL), 0);
	CHECK_OK(munmap(later, LEN));
	CHECK_VMLCK("VmLck after munmap of the locked mapping", locked);
	CHECK_OK(munlockall());
	CHECK_VMLCK("VmLck after munlockall", 0);
	later = map_anon(LEN, PROT_READ | PROT_WRITE);
	CHECK_VMLCK("VmLck after an mmap once MCL_FUTURE is gone", 0);
	CHECK_OK(munmap(later, LEN));
	CHECK_OK(munlockall());
}

/* mlockall_errors - flags that are not a valid combination: EINVAL. */
static void
mlockall_errors(void)
{
	say("mlockall with bad flags: EINVAL");
	CHECK_ERRNO(mlockall(0), EINVAL);
	CHECK_ERRNO(mlockall(MCL_ONFAULT), EINVAL);
	CHECK_ERRNO(mlockall(8), EINVAL);
	CHECK_ERRNO(mlockall(MCL_CURRENT | 0x100), EINVAL);
	CHECK_VMLCK("VmLck after the refused mlockall calls", 0);
}

int
main(void)
{
	struct rlimit limit;
	long base = status_kb("VmLck");
	char *p = map_anon(LEN, PROT_READ | PROT_WRITE);

	CHECK_OK(getrlimit(RLIMIT_MEMLOCK, &limit));
	if (limit.rlim_cur == RLIM_INFINITY)
		say("VmLck %ld kB at start, RLIMIT_MEMLOCK unlimited", base);
	else
		say("VmLck %ld kB at start, RLIMIT_MEMLOCK %lu kB", base,
		    (unsigned long)(limit.rlim_cur / KiB));
	pattern_fill(p, LEN, SEED);
	lock_and_unlock(p, base);
	unmapped_ranges(base);
	mlock2_flags(p, base);
	dontneed_locked(p, base);
	locks_not_inherited(p, base);
	CHECK_OK(munmap(p, LEN));
	mlockall_errors();
	lock_everything();
	say("the mlock family behaved as on Linux");
	return 0;
}
