/*
 * mlock_populates — locking memory faults it in at once, as on Linux; asking
 * for "on fault" does not. Every mapping here is fresh and never touched by
 * the test before the lock, so only the lock itself can have made its pages
 * resident. Residency is read three ways, none of which touches the pages:
 * mincore (bit 0 of each byte), the present bit of /proc/self/pagemap, and
 * VmRSS in /proc/self/status (which must grow by the whole range, as VmLck does).
 *   - mlock, mlock2(0), mmap(MAP_LOCKED), mlockall(MCL_CURRENT) and a mapping
 *     made under mlockall(MCL_FUTURE) are all resident on return; their pages
 *     read as zeros, and a page written before mlock keeps its data;
 *   - a read-only mapping is populated too (by read faults);
 *   - mlock2(MLOCK_ONFAULT), mlockall(MCL_CURRENT|MCL_ONFAULT) and a mapping
 *     made under mlockall(MCL_FUTURE|MCL_ONFAULT) are locked (VmLck) but not
 *     resident; touching one page makes that page, and only it, resident;
 *   - munlock leaves the pages resident and their data intact.
 * (mlock_family checks the errors and the VmLck bookkeeping of the same calls.)
 */
#define TEST_NAME "mlock_populates"
#include "guest.h"
#include "vm_probe.h"

#define PAGES        16
#define LEN          (PAGES * PAGE_SIZE)
#define PAGE_KB      (PAGE_SIZE / KiB)
#define LEN_KB       (PAGES * PAGE_KB)
#define ALL_PAGES    ((1u << PAGES) - 1)
#define SEED         0x3A7E
#define TOUCHED_PAGE 5                /* the page an on-fault test touches */

static unsigned char vec[PAGES];

/* mincore_mask - bit i set when mincore says page i of p is resident. */
static unsigned
mincore_mask(const char *p)
{
	unsigned mask = 0;

	errno = 0;
	CHECK(mincore((void *)p, LEN, vec) == 0, "mincore (expected 0, got %s)",
	      errno_name(errno));
	for (int i = 0; i < PAGES; i++)
		mask |= (vec[i] & 1u) << i;
	return mask;
}

/* pagemap_mask - bit i set when pagemap has the present bit for page i. */
static unsigned
pagemap_mask(const char *p)
{
	unsigned mask = 0;

	for (int i = 0; i < PAGES; i++)
		if (pagemap_entry(p + (size_t)i * PAGE_SIZE) & PM_PRESENT)
			mask |= 1u << i;
	return mask;
}

/* check_resident - mincore and pagemap must both report exactly expected
 * (a bit mask of pages of p) as resident. */
static void
check_resident(const char *what, const char *p, unsigned expected)
{
	char label[128];

	snprintf(label, sizeof(label), "%s: pages resident by mincore", what);
	CHECK_EQ_HEX(label, expected, mincore_mask(p));
	snprintf(label, sizeof(label), "%s: pages present in pagemap", what);
	CHECK_EQ_HEX(label, expected, pagemap_mask(p));
}

/* check_grew - the status line key (VmRSS, VmLck) must have grown by at
 * least kb since it read before. */
static void
check_grew(const char *what, const char *key, long before, long kb)
{
	long grown = status_kb(key) - before;

	CHECK(grown >= kb, "%s: %s grew by %ld kB (expected at least %ld kB)", what, key, grown,
	      kb);
}

/* fresh - a new private read-write mapping nobody has touched, checked to be
 * not resident yet. */
static char *
fresh(const char *what)
{
	char *p = map_anon(LEN, PROT_READ | PROT_WRITE);

	check_resident(what, p, 0);
	return p;
}

/* check_populated - the lock call made every page of p resident, VmRSS and
 * VmLck grew by the whole range, and the pages read as zeros. */
static void
check_populated(const char *what, const char *p, long rss_before, long lck_before)
{
	check_resident(what, p, ALL_PAGES);
	check_grew(what, "VmRSS", rss_before, LEN_KB);
	check_grew(what, "VmLck", lck_before, LEN_KB);
	CHECK_ZERO(what, p, LEN);
}

/* check_on_fault - the lock call locked p but faulted nothing in; touching
 * one page brings in that page only. */
static void
check_on_fault(const char *what, char *p, long lck_before)
{
	char label[128];

	check_resident(what, p, 0);
	check_grew(what, "VmLck", lck_before, LEN_KB);
	p[TOUCHED_PAGE * PAGE_SIZE] = 1;
	snprintf(label, sizeof(label), "%s, then one page written", what);
	check_resident(label, p, 1u << TOUCHED_PAGE);
}

/* lock_range - mlock and mlock2(0) populate; data written before stays. */
static void
lock_range(void)
{
	long rss, lck;
	char *p;

	say("mlock of %d untouched pages faults them all in", PAGES);
	rss = status_kb("VmRSS");
	lck = status_kb("VmLck");
	p = fresh("before mlock");
	CHECK_OK(mlock(p, LEN));
	check_populated("after mlock", p, rss, lck);
	say("munlock leaves them resident");
	pattern_fill(p, LEN, SEED);
	CHECK_OK(munlock(p, LEN));
	check_resident("after munlock", p, ALL_PAGES);
	CHECK_PATTERN("data after munlock", p, LEN, SEED);
	CHECK_OK(munmap(p, LEN));

	say("mlock2(flags 0) faults them in too");
	rss = status_kb("VmRSS");
	lck = status_kb("VmLck");
	p = fresh("before mlock2(0)");
	CHECK_OK(sys_mlock2(p, LEN, 0));
	check_populated("after mlock2(0)", p, rss, lck);
	CHECK_OK(munmap(p, LEN));

	say("a page written before mlock keeps its data");
	p = fresh("before the write");
	pattern_fill(p, PAGE_SIZE, SEED);
	CHECK_OK(mlock(p, LEN));
	check_resident("after writing page 0 and mlock", p, ALL_PAGES);
	CHECK_PATTERN("page 0 after mlock", p, PAGE_SIZE, SEED);
	CHECK_ZERO("pages 1.. after mlock", p + PAGE_SIZE, LEN - PAGE_SIZE);
	CHECK_OK(munmap(p, LEN));

	say("mlock of a read-only mapping faults it in");
	p = map_anon(LEN, PROT_READ);
	check_resident("read-only, before mlock", p, 0);
	CHECK_OK(mlock(p, LEN));
	check_resident("read-only, after mlock", p, ALL_PAGES);
	CHECK_ZERO("read-only locked pages", p, LEN);
	CHECK_OK(munmap(p, LEN));
}

/* lock_on_fault - MLOCK_ONFAULT locks without populating. */
static void
lock_on_fault(void)
{
	long lck = status_kb("VmLck");
	char *p;

	say("mlock2(MLOCK_ONFAULT) locks but faults nothing in");
	p = fresh("before mlock2(MLOCK_ONFAULT)");
	CHECK_OK(sys_mlock2(p, LEN, MLOCK_ONFAULT));
	check_on_fault("after mlock2(MLOCK_ONFAULT)", p, lck);
	CHECK_OK(munmap(p, LEN));
}

/* map_locked - MAP_LOCKED populates at mmap time. */
static void
map_locked(void)
{
	long rss = status_kb("VmRSS"), lck = status_kb("VmLck");
	char *p;

	say("mmap(MAP_LOCKED) returns the mapping resident");
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1,
		 0);
	CHECK(p != MAP_FAILED, "mmap(MAP_LOCKED) (expected a mapping, got %s)", errno_name(errno));
	check_populated("after mmap(MAP_LOCKED)", p, rss, lck);
	CHECK_OK(munmap(p, LEN));
}

/* lock_all - mlockall(MCL_CURRENT) populates what exists, MCL_FUTURE what
 * comes later; with MCL_ONFAULT neither does. */
static void
lock_all(void)
{
	long rss, lck;
	char *p;

	say("mlockall(MCL_CURRENT) faults in an untouched mapping");
	rss = status_kb("VmRSS");
	lck = status_kb("VmLck");
	p = fresh("before mlockall(MCL_CURRENT)");
	CHECK_OK(mlockall(MCL_CURRENT));
	check_populated("after mlockall(MCL_CURRENT)", p, rss, lck);
	CHECK_OK(munlockall());
	CHECK_OK(munmap(p, LEN));

	say("mlockall(MCL_CURRENT|MCL_ONFAULT) does not");
	lck = status_kb("VmLck");
	p = fresh("before mlockall(MCL_CURRENT|MCL_ONFAULT)");
	CHECK_OK(mlockall(MCL_CURRENT | MCL_ONFAULT));
	check_on_fault("after mlockall(MCL_CURRENT|MCL_ONFAULT)", p, lck);
	CHECK_OK(munlockall());
	CHECK_OK(munmap(p, LEN));

	say("under mlockall(MCL_FUTURE) a new mapping comes back resident");
	CHECK_OK(mlockall(MCL_FUTURE));
	rss = status_kb("VmRSS");
	lck = status_kb("VmLck");
	p = map_anon(LEN, PROT_READ | PROT_WRITE);
	check_populated("mmap under MCL_FUTURE", p, rss, lck);
	CHECK_OK(munmap(p, LEN));

	say("under mlockall(MCL_FUTURE|MCL_ONFAULT) it does not");
	CHECK_OK(mlockall(MCL_FUTURE | MCL_ONFAULT));
	lck = status_kb("VmLck");
	p = map_anon(LEN, PROT_READ | PROT_WRITE);
	check_on_fault("mmap under MCL_FUTURE|MCL_ONFAULT", p, lck);
	CHECK_OK(munmap(p, LEN));
	CHECK_OK(munlockall());
	CHECK_EQ("VmLck after munlockall", 0, status_kb("VmLck"));
}

int
main(void)
{
	status_kb("VmRSS");           /* stdio sets up its buffers: before counting */
	lock_range();
	lock_on_fault();
	map_locked();
	lock_all();
	say("every lock that should populate did, and the on-fault ones did not");
	return 0;
}
