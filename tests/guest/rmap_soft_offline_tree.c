/*
 * rmap_soft_offline_tree — soft-offline of a page mapped by a whole process
 * tree. A chain of forks DEPTH deep (generation 0, the root, forks 1, which
 * forks 2, ... down to DEPTH) shares private anonymous pages filled before
 * the first fork (one physical frame, copy-on-write, never written after)
 * and a MAP_SHARED|MAP_ANONYMOUS page. Round by round, with every process
 * parked at a barrier, one process moves a page to another frame:
 *
 *   madvise(MADV_SOFT_OFFLINE) on its own address, or
 *   the page's physical address written to
 *   /sys/devices/system/memory/soft_offline_page.
 *
 * Then every process checks the page's data and reads its PFN in
 * /proc/self/pagemap: the processes mapping the same frame all read the
 * same PFN before, the same PFN after, and after != before; a process whose
 * COW-written copy is its own page keeps its PFN and its data. A retired
 * frame never shows up again. After each shared-page round every process
 * writes its own slice of the shared page and all see every slice. At the
 * end /proc/sys/vm/rmap_check must read 0.
 *
 * On a host (no /proc/sys/vm/rmap_check) nothing is offlined and the
 * checker is not read; the tree, the data and the pagemap groupings are
 * still checked (PFNs that read 0 without CAP_SYS_ADMIN are tolerated).
 */
#define TEST_NAME "rmap_soft_offline_tree"
#include "guest.h"
#include "vm_probe.h"

#define DEPTH          5                       /* forks in the chain */
#define PROCS          (DEPTH + 1)             /* generations 0..DEPTH */
#define ROOT           0
#define MIDDLE         (DEPTH / 2)
#define DEEPEST        DEPTH
#define NOBODY         (-1)

#define PRIVATE_PAGES  3
#define SHARED_PAGES   1
#define SLICE_BYTES    (PAGE_SIZE / PROCS / 4 * 4)

#define ORIGINAL_SEED(kind, page) (0x7e500000u + (uint32_t)(kind) * 0x100u + (uint32_t)(page))
#define COW_SEED(page, g)         (0xc0500000u + (uint32_t)(page) * 0x100u + (uint32_t)(g))
#define SLICE_SEED(round, g)      (0x511c0000u + (uint32_t)(round) * 0x100u + (uint32_t)(g))

enum page_kind { PRIVATE_PAGE, SHARED_PAGE };
enum offline_method { BY_MADVISE, BY_SYSFS };

/* One round: which page moves, who moves it and how, and who (if anyone)
 * wrote its own private copy of the page before. */
struct round {
	const char *what;
	enum page_kind kind;
	int page;
	int offliner;
	enum offline_method method;
	int cow_writer;
};

static const struct round rounds[] = {
	{ "private page of the whole tree, madvise by the deepest",
	  PRIVATE_PAGE, 0, DEEPEST, BY_MADVISE, NOBODY },
	{ "the same private page again, sysfs by the root",
	  PRIVATE_PAGE, 0, ROOT, BY_SYSFS, NOBODY },
	{ "private page the middle COW-wrote, madvise by the deepest",
	  PRIVATE_PAGE, 1, DEEPEST, BY_MADVISE, MIDDLE },
	{ "private page the middle COW-wrote, madvise by the middle",
	  PRIVATE_PAGE, 2, MIDDLE, BY_MADVISE, MIDDLE },
	{ "shared anonymous page, sysfs by the middle",
	  SHARED_PAGE, 0, MIDDLE, BY_SYSFS, NOBODY },
	{ "the same shared page again, madvise by the root",
	  SHARED_PAGE, 0, ROOT, BY_MADVISE, NOBODY },
};
#define ROUNDS ((int)(sizeof(rounds) / sizeof(rounds[0])))

/* What each process reports to the root at a barrier. */
struct report {
	int generation;
	uint64_t before;                        /* pagemap entries around the offline */
	uint64_t after;
};

/* Pipes between the root and generation h (h >= 1): h writes up[h], the
 * root writes down[h]. Each end is held by exactly one process once the
 * chain is built, so a dead process is an EOF on the other side. */
static int up[PROCS][2], down[PROCS][2];
static char *private_pages, *shared_pages;
static int on_anvil;
static uint64_t retired[ROUNDS];                /* frames offlined so far (root's view) */
static int nretired;

/* ---- pagemap, sysfs, meminfo ------------------------------------------------ */

/* soft_offline_by_sysfs - write the physical address of the frame mapped at
 * addr to the soft-offline file. */
static void
soft_offline_by_sysfs(const void *addr)
{
	uint64_t pfn = pm_pfn(pagemap_entry(addr));
	int err;

	CHECK(pfn != 0, "pagemap shows no frame for the page to offline");
	err = sysfs_soft_offline(pfn);
	CHECK(err == 0, "write of the physical address to %s: %s", SOFT_OFFLINE_PATH,
	      errno_name(-err));
}

/* soft_offline - move the page at addr by method; the retired-frame count in
 * /proc/meminfo (if there is one) grows by one page. */
static void
soft_offline(const void *addr, enum offline_method method)
{
	long kb_before = hardware_corrupted_kb();

	if (method == BY_MADVISE)
		CHECK_OK(madvise((void *)addr, PAGE_SIZE, MADV_SOFT_OFFLINE));
	else
		soft_offline_by_sysfs(addr);
	if (kb_before >= 0)
		CHECK_EQ("HardwareCorrupted grows by one page (kB)", kb_before + PAGE_SIZE / KiB,
			 hardware_corrupted_kb());
}

/* ---- the barrier ------------------------------------------------------------- */

/* close_unused_ends - once generation g has forked its child (which needed
 * every end), g keeps only its own: the root the reading ends of up[] and
 * the writing ends of down[], generation h its up[h] writer and down[h]
 * reader. */
static void
close_unused_ends(int g)
{
	for (int h = 1; h < PROCS; h++) {
		if (g == ROOT) {
			close(up[h][1]);
			close(down[h][0]);
			continue;
		}
		close(up[h][0]);
		close(down[h][1]);
		if (h != g) {
			close(up[h][1]);
			close(down[h][0]);
		}
	}
}

/* barrier - every generation reaches it before any leaves; generation g
 * hands in *mine, and the root gets all of them in all[] (indexed by
 * generation). A process that died makes the root fail, and a dead root
 * makes everybody else fail. */
static void
barrier(int g, const struct report *mine, struct report *all)
{
	if (g != ROOT) {
		CHECK_EQ("report to the root", (long)sizeof(*mine),
			 write_full(up[g][1], mine, sizeof(*mine)));
		wait_token(down[g][0]);
		return;
	}
	if (all)
		all[ROOT] = *mine;
	for (int h = 1; h < PROCS; h++) {
		struct report r;

		if (read_full(up[h][0], &r, sizeof(r)) != (long)sizeof(r))
			fail("generation %d died before the barrier", h);
		CHECK_EQ("generation of a report", h, r.generation);
		if (all)
			all[h] = r;
	}
	for (int h = 1; h < PROCS; h++)
		send_token(down[h][1]);
}

/* sync_all - a barrier with nothing to report. */
static void
sync_all(int g)
{
	struct report none = { g, 0, 0 };

	barrier(g, &none, NULL);
}

/* ---- what each process expects -------------------------------------------- */

static char *
page_addr(enum page_kind kind, int page)
{
	return (kind == PRIVATE_PAGE ? private_pages : shared_pages) + (size_t)page * PAGE_SIZE;
}

/* copy_owner - whose copy of private page `page` generation g maps after
 * round r's COW write: g itself if it wrote the page in a round up to r,
 * else NOBODY (the original frame). Shared pages have one copy. */
static int
copy_owner(enum page_kind kind, int page, int g, int r)
{
	if (kind == SHARED_PAGE)
		return NOBODY;
	for (int i = 0; i <= r; i++)
		if (rounds[i].kind == PRIVATE_PAGE && rounds[i].page == page &&
		    rounds[i].cow_writer == g)
			return g;
	return NOBODY;
}

/* last_slice_round - the last round before r that wrote slices into shared
 * page `page`, or -1 (the page still holds its original pattern). */
static int
last_slice_round(int page, int r)
{
	int last = -1;

	for (int i = 0; i < r; i++)
		if (rounds[i].kind == SHARED_PAGE && rounds[i].page == page)
			last = i;
	return last;
}

/* check_slices - shared page holds, slice by slice, what every generation
 * wrote in round r. */
static void
check_slices(int g, const char *page, int r)
{
	char what[96];

	for (int h = 0; h < PROCS; h++) {
		snprintf(what, sizeof(what), "generation %d sees generation %d's slice (round %d)",
			 g, h, r);
		CHECK_PATTERN(what, page + h * SLICE_BYTES, SLICE_BYTES, SLICE_SEED(r, h));
	}
}

/* check_data - the page of round r holds what generation g expects. */
static void
check_data(int g, int r, const char *when)
{
	const struct round *rd = &rounds[r];
	const char *page = page_addr(rd->kind, rd->page);
	char what[128];

	snprintf(what, sizeof(what), "generation %d, round %d %s: %s", g, r, when, rd->what);
	if (rd->kind == SHARED_PAGE && last_slice_round(rd->page, r) >= 0) {
		check_slices(g, page, last_slice_round(rd->page, r));
		return;
	}
	if (copy_owner(rd->kind, rd->page, g, r) == g)
		CHECK_PATTERN(what, page, PAGE_SIZE, COW_SEED(rd->page, g));
	else
		CHECK_PATTERN(what, page, PAGE_SIZE, ORIGINAL_SEED(rd->kind, rd->page));
}

/* ---- the root's judgement of one round ------------------------------------- */

/* pfns_visible - on anvil PFNs must be there; a host may hide them. */
static int
pfns_visible(const struct report *all)
{
	for (int h = 0; h < PROCS; h++) {
		CHECK(all[h].before & PM_PRESENT, "generation %d: page not present before (0x%llx)",
		      h, (unsigned long long)all[h].before);
		CHECK(all[h].after & PM_PRESENT, "generation %d: page not present after (0x%llx)",
		      h, (unsigned long long)all[h].after);
		if (pm_pfn(all[h].before) == 0 || pm_pfn(all[h].after) == 0) {
			CHECK(!on_anvil, "generation %d: pagemap shows PFN 0 on anvil", h);
			return 0;
		}
	}
	return 1;
}

/* check_flags - bit 61 says shared anonymous; bit 56 says the frame is
 * mapped by one process only (read after everyone touched the page). */
static void
check_flags(int r, int h, uint64_t after, int group_size)
{
	const struct round *rd = &rounds[r];
	int file = (after & PM_FILE) != 0;
	int exclusive = (after & PM_EXCLUSIVE) != 0;

	CHECK_EQ("pagemap bit 61 (file/shared-anon)", rd->kind == SHARED_PAGE, file);
	if (exclusive != (group_size == 1))
		fail("round %d, generation %d: pagemap bit 56 (exclusive) is %d with %d mapper(s)",
		     r, h, exclusive, group_size);
}

/* check_not_retired - no process may map a frame that was taken out of use. */
static void
check_not_retired(int r, int h, uint64_t pfn)
{
	for (int i = 0; i < nretired; i++)
		if (retired[i] == pfn)
			fail("round %d, generation %d maps PFN 0x%llx, offlined before", r, h,
			     (unsigned long long)pfn);
}

/* group_size - how many generations map the same copy as generation h. */
static int
group_size(int r, int h)
{
	const struct round *rd = &rounds[r];
	int owner = copy_owner(rd->kind, rd->page, h, r), n = 0;

	for (int i = 0; i < PROCS; i++)
		n += copy_owner(rd->kind, rd->page, i, r) == owner;
	return n;
}

/* same_copy - do generations a and b map the same copy of round r's page? */
static int
same_copy(int r, int a, int b)
{
	const struct round *rd = &rounds[r];

	return copy_owner(rd->kind, rd->page, a, r) == copy_owner(rd->kind, rd->page, b, r);
}

/* judge_round - the root compares the pagemap entries all generations read:
 * the same copy means the same frame, before and after; the offliner's copy
 * moved (on anvil), any other copy stayed where it was. */
static void
judge_round(int r, const struct report *all)
{
	int mover = rounds[r].offliner;
	uint64_t moved_before = pm_pfn(all[mover].before);
	uint64_t moved_after = pm_pfn(all[mover].after);

	for (int h = 0; h < PROCS; h++)
		check_flags(r, h, all[h].after, group_size(r, h));
	if (!pfns_visible(all)) {
		if (r == 0)
			say("host: pagemap hides PFNs, not comparing frames");
		return;
	}
	for (int h = 0; h < PROCS; h++) {
		uint64_t before = pm_pfn(all[h].before), after = pm_pfn(all[h].after);

		check_not_retired(r, h, before);
		check_not_retired(r, h, after);
		for (int i = 0; i < h; i++)
			if (same_copy(r, h, i) != (pm_pfn(all[i].before) == before) ||
			    same_copy(r, h, i) != (pm_pfn(all[i].after) == after))
				fail("round %d: generations %d and %d map PFNs 0x%llx/0x%llx and "
				     "0x%llx/0x%llx (before/after), expected %s frames", r, i, h,
				     (unsigned long long)pm_pfn(all[i].before),
				     (unsigned long long)pm_pfn(all[i].after),
				     (unsigned long long)before, (unsigned long long)after,
				     same_copy(r, h, i) ? "the same" : "different");
		if (same_copy(r, h, mover))
			continue;
		/* A copy the offline did not touch stays on its frame. */
		CHECK_EQ_HEX("PFN of a copy the offline did not touch", before, after);
		CHECK(before != moved_after, "round %d: generation %d's own copy is on the new "
		      "frame 0x%llx", r, h, (unsigned long long)moved_after);
	}
	if (on_anvil) {
		CHECK(moved_after != moved_before, "round %d: PFN unchanged (0x%llx) after soft-offline",
		      r, (unsigned long long)moved_before);
		retired[nretired++] = moved_before;
	}
}

/* ---- one round, in every generation ----------------------------------------- */

static void
play_round(int g, int r)
{
	const struct round *rd = &rounds[r];
	char *page = page_addr(rd->kind, rd->page);
	struct report mine = { g, 0, 0 }, all[PROCS];

	if (g == ROOT)
		say("round %d: %s", r, rd->what);
	if (g == rd->cow_writer)
		pattern_fill(page, PAGE_SIZE, COW_SEED(rd->page, g));
	check_data(g, r, "before");
	sync_all(g);                            /* everyone has touched the page */
	mine.before = pagemap_entry(page);
	sync_all(g);
	if (g == rd->offliner && on_anvil)
		soft_offline(page, rd->method);
	sync_all(g);
	check_data(g, r, "after the offline");
	sync_all(g);
	mine.after = pagemap_entry(page);
	barrier(g, &mine, all);
	if (g == ROOT)
		judge_round(r, all);
	if (rd->kind != SHARED_PAGE)
		return;
	/* Writes by each process are seen by all of them. */
	pattern_fill(page + g * SLICE_BYTES, SLICE_BYTES, SLICE_SEED(r, g));
	sync_all(g);
	check_slices(g, page, r);
	sync_all(g);
}

/* live_generation - fork the rest of the chain, play every round, then wait
 * for the child. Returns the exit code. */
static int
live_generation(int g)
{
	pid_t child = 0;

	if (g < DEEPEST) {
		child = fork_or_fail();
		if (child == 0)
			_exit(live_generation(g + 1));
	}
	close_unused_ends(g);
	sync_all(g);                            /* the whole chain exists */
	for (int r = 0; r < ROUNDS; r++)
		play_round(g, r);
	if (g == ROOT && on_anvil)
		check_rmap_consistent("with the whole tree alive");
	sync_all(g);
	if (child) {
		char what[48];
		snprintf(what, sizeof(what), "generation %d", g + 1);
		check_exited(what, wait_for(child), 0);
	}
	return 0;
}

int
main(void)
{
	on_anvil = running_on_anvil();
	if (!on_anvil)
		say("host: no %s, not offlining anything", RMAP_CHECK_PATH);
	private_pages = map_anon(PRIVATE_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	shared_pages = map_shared_anon(SHARED_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	for (int p = 0; p < PRIVATE_PAGES; p++)
		pattern_fill(page_addr(PRIVATE_PAGE, p), PAGE_SIZE, ORIGINAL_SEED(PRIVATE_PAGE, p));
	for (int p = 0; p < SHARED_PAGES; p++)
		pattern_fill(page_addr(SHARED_PAGE, p), PAGE_SIZE, ORIGINAL_SEED(SHARED_PAGE, p));
	for (int h = 1; h < PROCS; h++) {
		CHECK_OK(pipe(up[h]));
		CHECK_OK(pipe(down[h]));
	}
	say("fork chain %d deep sharing %d private and %d shared page(s)", DEPTH,
	    PRIVATE_PAGES, SHARED_PAGES);
	live_generation(ROOT);
	if (on_anvil)
		check_rmap_consistent("after the tree exited");
	say("every process followed its pages to their new frames");
	return 0;
}
