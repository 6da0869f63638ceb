/*
 * rmap_mremap_after_fork — pages a child moved with mremap are still found
 * from both sides. The parent fills a region and forks; each side then
 * COW-writes a few pages of its own; the child moves its inherited region
 * (MREMAP_MAYMOVE growing past a guard page, or MREMAP_FIXED|MREMAP_MAYMOVE
 * onto an address it chose), in some cases unmaps the middle of it, and then
 * one side soft-offlines the pages it maps (the child through its new
 * address, the parent through its old one).
 *
 * Both sides check every page's data, and compare pagemap entries: pages
 * neither wrote are one frame in both processes before and after, the
 * offlined frame moved for everyone who maps it, a copy the offline did not
 * touch kept its frame, bit 56 (exclusive) is set exactly when one process
 * maps the frame. /proc/sys/vm/rmap_check reads 0 after every case.
 *
 * On a host (no /proc/sys/vm/rmap_check) nothing is offlined and the
 * checker is not read; moves, holes, data and pagemap groupings are still
 * checked (PFNs that read 0 there are tolerated).
 */
#define TEST_NAME "rmap_mremap_after_fork"
#include "guest.h"
#include "vm_probe.h"

#define PAGES          8
#define REGION_BYTES   (PAGES * PAGE_SIZE)
#define GROW_PAGES     2                       /* MAYMOVE moves: it grows past the guard */
#define HOLE_FIRST     3                       /* child's munmap: pages [3, 5) */
#define HOLE_PAGES     2
#define FIXED_HINT     ((void *)0x5a000000u)   /* where the child asks for its target */

#define ORIGINAL_SEED(c, i) (0x0f1d0000u + (uint32_t)(c) * 0x100u + (uint32_t)(i))
#define CHILD_SEED(c, i)    (0xc41d0000u + (uint32_t)(c) * 0x100u + (uint32_t)(i))
#define PARENT_SEED(c, i)   (0x9a7e0000u + (uint32_t)(c) * 0x100u + (uint32_t)(i))
#define GROWN_SEED(c)       (0x960e0000u + (uint32_t)(c))

/* Pages each side writes after the fork (its own COW copy). */
static const int child_writes[] = { 1, 4 };
static const int parent_writes[] = { 6 };

enum move_kind { MOVE_GROW, MOVE_FIXED };
enum side { PARENT, CHILD };

struct move_case {
	const char *what;
	enum move_kind move;
	int hole;                               /* child unmaps [HOLE_FIRST, +HOLE_PAGES) */
	enum side offliner;
};

static const struct move_case cases[] = {
	{ "child moves (MAYMOVE, grown), child offlines through the new address",
	  MOVE_GROW, 0, CHILD },
	{ "child moves (FIXED), parent offlines through the old address",
	  MOVE_FIXED, 0, PARENT },
	{ "child moves (MAYMOVE, grown) and unmaps the middle, child offlines",
	  MOVE_GROW, 1, CHILD },
	{ "child moves (FIXED) and unmaps the middle, parent offlines",
	  MOVE_FIXED, 1, PARENT },
};
#define CASES ((int)(sizeof(cases) / sizeof(cases[0])))

/* What the child tells the parent once both have read their pagemaps. */
struct child_report {
	uint32_t new_addr;
	uint64_t before[PAGES];
	uint64_t after[PAGES];
};

static int on_anvil;
static int up[2], down[2];                      /* child -> parent, parent -> child */

/* ---- who holds which copy ------------------------------------------------- */

static int
listed(const int *pages, size_t n, int page)
{
	for (size_t i = 0; i < n; i++)
		if (pages[i] == page)
			return 1;
	return 0;
}

static int
wrote(enum side s, int page)
{
	if (s == CHILD)
		return listed(child_writes, sizeof(child_writes) / sizeof(child_writes[0]), page);
	return listed(parent_writes, sizeof(parent_writes) / sizeof(parent_writes[0]), page);
}

/* maps - does side s still map page `page` of the region after the moves? */
static int
maps(const struct move_case *mc, enum side s, int page)
{
	return s == PARENT || !mc->hole || page < HOLE_FIRST || page >= HOLE_FIRST + HOLE_PAGES;
}

/* share_frame - do both sides map page `page` on one frame (nobody wrote it)? */
static int
share_frame(const struct move_case *mc, int page)
{
	return maps(mc, CHILD, page) && !wrote(CHILD, page) && !wrote(PARENT, page);
}

/* expected_seed - the pattern side s must read in page `page` of case c. */
static uint32_t
expected_seed(int c, enum side s, int page)
{
	if (wrote(s, page))
		return s == CHILD ? CHILD_SEED(c, page) : PARENT_SEED(c, page);
	return ORIGINAL_SEED(c, page);
}

/* check_region - side s reads what it expects in every page it maps. */
static void
check_region(int c, enum side s, const char *base, const char *when)
{
	const struct move_case *mc = &cases[c];
	char what[112];

	for (int i = 0; i < PAGES; i++) {
		if (!maps(mc, s, i))
			continue;
		snprintf(what, sizeof(what), "case %d, %s, page %d %s", c,
			 s == CHILD ? "child" : "parent", i, when);
		CHECK_PATTERN(what, base + (size_t)i * PAGE_SIZE, PAGE_SIZE, expected_seed(c, s, i));
	}
}

/* read_entries - side s's pagemap entries of the pages it maps (0 elsewhere). */
static void
read_entries(const struct move_case *mc, enum side s, const char *base, uint64_t *entries)
{
	for (int i = 0; i < PAGES; i++)
		entries[i] = maps(mc, s, i) ? pagemap_entry(base + (size_t)i * PAGE_SIZE) : 0;
}

/* soft_offline_mapped - madvise(MADV_SOFT_OFFLINE) on every page side s
 * maps, one run of pages at a time (a range over a hole is an error). */
static void
soft_offline_mapped(const struct move_case *mc, enum side s, char *base)
{
	for (int i = 0; i < PAGES;) {
		int n = 0;

		while (i + n < PAGES && maps(mc, s, i + n))
			n++;
		if (n)
			CHECK_OK(madvise(base + (size_t)i * PAGE_SIZE, (size_t)n * PAGE_SIZE,
					 MADV_SOFT_OFFLINE));
		i += n ? n : 1;
	}
}

/* ---- the parent's judgement ------------------------------------------------- */

/* check_exclusive - bit 56 is set exactly when one process maps the frame. */
static void
check_exclusive(int c, const char *who, int page, uint64_t entry, int mappers)
{
	int exclusive = (entry & PM_EXCLUSIVE) != 0;

	CHECK(entry & PM_PRESENT, "case %d, %s, page %d: not present (pagemap 0x%llx)", c, who,
	      page, (unsigned long long)entry);
	CHECK(!(entry & PM_FILE), "case %d, %s, page %d: private page has bit 61 set", c, who, page);
	if (exclusive != (mappers == 1))
		fail("case %d, %s, page %d: pagemap bit 56 (exclusive) is %d with %d mapper(s)",
		     c, who, page, exclusive, mappers);
}

/* judge_page - the parent's and child's entries for page `page`, before and
 * after the offline. */
static void
judge_page(int c, int page, const uint64_t *pb, const uint64_t *pa,
	   const struct child_report *cr, int pfns)
{
	const struct move_case *mc = &cases[c];
	int shared = share_frame(mc, page), child_maps = maps(mc, CHILD, page);
	uint64_t p0 = pm_pfn(pb[page]), p1 = pm_pfn(pa[page]);
	uint64_t c0 = pm_pfn(cr->before[page]), c1 = pm_pfn(cr->after[page]);
	/* Did the offliner's copy of this page include the parent's / child's? */
	int parent_moves = mc->offliner == PARENT || shared;
	int child_moves = child_maps && (mc->offliner == CHILD || shared);

	check_exclusive(c, "parent", page, pa[page], shared ? 2 : 1);
	if (child_maps)
		check_exclusive(c, "child", page, cr->after[page], shared ? 2 : 1);
	if (!pfns)
		return;
	if (child_maps && shared != (p0 == c0 && p1 == c1))
		fail("case %d, page %d: parent on PFN 0x%llx then 0x%llx, child on 0x%llx then "
		     "0x%llx (expected %s frame)", c, page, (unsigned long long)p0,
		     (unsigned long long)p1, (unsigned long long)c0, (unsigned long long)c1,
		     shared ? "one" : "a different");
	if (on_anvil && parent_moves)
		CHECK(p0 != p1, "case %d, page %d: parent's PFN 0x%llx did not change", c, page,
		      (unsigned long long)p0);
	else
		CHECK(p0 == p1, "case %d, page %d: parent's PFN changed from 0x%llx to 0x%llx", c,
		      page, (unsigned long long)p0, (unsigned long long)p1);
	if (!child_maps)
		return;
	if (on_anvil && child_moves)
		CHECK(c0 != c1, "case %d, page %d: child's PFN 0x%llx did not change", c, page,
		      (unsigned long long)c0);
	else
		CHECK(c0 == c1, "case %d, page %d: child's PFN changed from 0x%llx to 0x%llx", c,
		      page, (unsigned long long)c0, (unsigned long long)c1);
}

/* pfns_visible - anvil must show PFNs; a host may hide them. */
static int
pfns_visible(const struct move_case *mc, const uint64_t *pb, const uint64_t *pa,
	     const struct child_report *cr)
{
	for (int i = 0; i < PAGES; i++) {
		int hidden = pm_pfn(pb[i]) == 0 || pm_pfn(pa[i]) == 0 ||
			     (maps(mc, CHILD, i) && (pm_pfn(cr->before[i]) == 0 ||
						     pm_pfn(cr->after[i]) == 0));
		if (hidden) {
			CHECK(!on_anvil, "pagemap shows PFN 0 on anvil (page %d)", i);
			return 0;
		}
	}
	return 1;
}

/* ---- the two sides ------------------------------------------------------------ */

/* move_region - the child's mremap of the whole inherited region. */
static char *
move_region(int c, char *old)
{
	const struct move_case *mc = &cases[c];
	char *moved;

	if (mc->move == MOVE_GROW) {
		size_t grown = REGION_BYTES + GROW_PAGES * PAGE_SIZE;

		moved = mremap(old, REGION_BYTES, grown, MREMAP_MAYMOVE);
		CHECK(moved != MAP_FAILED, "mremap MAYMOVE grow failed: %s", errno_name(errno));
		CHECK(moved != old, "mremap grew in place over the guard page at %p", old + REGION_BYTES);
		CHECK_ZERO("grown tail of the moved region", moved + REGION_BYTES,
			   GROW_PAGES * PAGE_SIZE);
		pattern_fill(moved + REGION_BYTES, PAGE_SIZE, GROWN_SEED(c));
		return moved;
	}
	char *target = mmap(FIXED_HINT, REGION_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(target != MAP_FAILED, "mmap of the FIXED target failed: %s", errno_name(errno));
	moved = mremap(old, REGION_BYTES, REGION_BYTES, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK(moved != MAP_FAILED, "mremap FIXED failed: %s", errno_name(errno));
	CHECK_EQ_HEX("mremap FIXED lands on the chosen address", target, moved);
	return moved;
}

/* child_side - COW-write, move, maybe punch the hole, read pagemap, let the
 * offline happen, check, report. */
static void
child_side(int c, char *old)
{
	const struct move_case *mc = &cases[c];
	struct child_report cr;

	close(up[0]);
	close(down[1]);
	for (int i = 0; i < PAGES; i++)
		if (wrote(CHILD, i))
			pattern_fill(old + (size_t)i * PAGE_SIZE, PAGE_SIZE, CHILD_SEED(c, i));
	char *moved = move_region(c, old);
	catch_faults();
	check_fault("old address after the move", try_read(old), SEGV_MAPERR, old);
	if (mc->hole)
		CHECK_OK(munmap(moved + HOLE_FIRST * PAGE_SIZE, HOLE_PAGES * PAGE_SIZE));
	check_region(c, CHILD, moved, "after the move");
	send_token(up[1]);
	wait_token(down[0]);                    /* both touched every page */
	read_entries(mc, CHILD, moved, cr.before);
	send_token(up[1]);
	wait_token(down[0]);
	if (mc->offliner == CHILD && on_anvil)
		soft_offline_mapped(mc, CHILD, moved);
	send_token(up[1]);
	wait_token(down[0]);                    /* the offline is done */
	check_region(c, CHILD, moved, "after the offline");
	if (mc->move == MOVE_GROW)
		CHECK_PATTERN("grown page after the offline", moved + REGION_BYTES, PAGE_SIZE,
			      GROWN_SEED(c));
	send_token(up[1]);
	wait_token(down[0]);
	read_entries(mc, CHILD, moved, cr.after);
	cr.new_addr = (uint32_t)(uintptr_t)moved;
	CHECK_EQ("report to the parent", (long)sizeof(cr), write_full(up[1], &cr, sizeof(cr)));
	wait_token(down[0]);                    /* the parent has judged */
	_exit(0);
}

/* parent_step - one lockstep with the child: it reached the point, and
 * goes on when we do. */
static void
parent_step(const char *what)
{
	char token;

	if (read(up[0], &token, 1) != 1)
		fail("the child died before %s", what);
}

static void
run_case(int c)
{
	const struct move_case *mc = &cases[c];
	uint64_t before[PAGES], after[PAGES];
	struct child_report cr;

	say("case %d: %s", c, mc->what);
	/* The region, then a guard page: MAYMOVE growth must move it. */
	char *region = map_anon(REGION_BYTES + PAGE_SIZE, PROT_READ | PROT_WRITE);
	CHECK_OK(mprotect(region + REGION_BYTES, PAGE_SIZE, PROT_NONE));
	for (int i = 0; i < PAGES; i++)
		pattern_fill(region + (size_t)i * PAGE_SIZE, PAGE_SIZE, ORIGINAL_SEED(c, i));
	CHECK_OK(pipe(up));
	CHECK_OK(pipe(down));

	pid_t pid = fork_or_fail();
	if (pid == 0)
		child_side(c, region);
	close(up[1]);
	close(down[0]);
	for (int i = 0; i < PAGES; i++)
		if (wrote(PARENT, i))
			pattern_fill(region + (size_t)i * PAGE_SIZE, PAGE_SIZE, PARENT_SEED(c, i));
	check_region(c, PARENT, region, "before the offline");
	parent_step("the move");
	send_token(down[1]);
	read_entries(mc, PARENT, region, before);
	parent_step("reading its pagemap");
	if (mc->offliner == PARENT && on_anvil)
		soft_offline_mapped(mc, PARENT, region);
	send_token(down[1]);
	parent_step("the offline");
	send_token(down[1]);
	check_region(c, PARENT, region, "after the offline");
	parent_step("checking its data");
	send_token(down[1]);
	read_entries(mc, PARENT, region, after);
	if (read_full(up[0], &cr, sizeof(cr)) != (long)sizeof(cr))
		fail("the child died before reporting its pagemap");
	int pfns = pfns_visible(mc, before, after, &cr);
	if (!pfns && c == 0)
		say("host: pagemap hides PFNs, not comparing frames");
	for (int i = 0; i < PAGES; i++)
		judge_page(c, i, before, after, &cr, pfns);
	if (on_anvil)
		check_rmap_consistent("with the child alive");
	send_token(down[1]);
	check_exited("child", wait_for(pid), 0);
	close(up[0]);
	close(down[1]);
	check_region(c, PARENT, region, "after the child exited");
	CHECK_OK(munmap(region, REGION_BYTES + PAGE_SIZE));
	if (on_anvil)
		check_rmap_consistent("after the child exited");
}

int
main(void)
{
	on_anvil = running_on_anvil();
	if (!on_anvil)
		say("host: no %s, not offlining anything", RMAP_CHECK_PATH);
	for (int c = 0; c < CASES; c++)
		run_case(c);
	say("moved pages followed both processes to their new frames");
	return 0;
}
