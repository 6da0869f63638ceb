/*
 * rmap_soft_offline_prot_none — a page is soft-offlined while another
 * process maps it PROT_NONE. Found by mm_random_stress (seed 3): after the
 * offline, /proc/sys/vm/rmap_check counted one PTE more on the new frame
 * than its mapcount, the extra one in the process whose mapping was
 * PROT_NONE. The PROT_NONE PTE must move to the new frame like the others,
 * be counted like the others, and give the same data once readable again.
 *
 * For a MAP_SHARED|MAP_ANONYMOUS page and for a private page shared
 * copy-on-write after fork: the child touches the page and makes it
 * PROT_NONE, the parent offlines it (madvise(MADV_SOFT_OFFLINE)), the
 * checker must read 0, and the child, PROT_READ again, reads the data on
 * the parent's new frame. On a host nothing is offlined and the checker is
 * not read; the rest is checked there too.
 */
#define TEST_NAME "rmap_soft_offline_prot_none"
#include "guest.h"
#include "vm_probe.h"

#define SEED_SHARED    0x9207e001u
#define SEED_PRIVATE   0x9207e002u

static int on_anvil;

/* run_case - page holds seed; a child hides it behind PROT_NONE while the
 * parent moves it. */
static void
run_case(const char *what, char *page, uint32_t seed)
{
	int up[2], down[2];
	uint64_t parent_pfn;

	say("%s", what);
	pattern_fill(page, PAGE_SIZE, seed);
	CHECK_OK(pipe(up));
	CHECK_OK(pipe(down));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		close(up[0]);                       /* a dead parent is an EOF here */
		close(down[1]);
		CHECK_PATTERN("child reads the page before PROT_NONE", page, PAGE_SIZE, seed);
		CHECK_OK(mprotect(page, PAGE_SIZE, PROT_NONE));
		send_token(up[1]);
		wait_token(down[0]);                /* the parent moved the page */
		CHECK_OK(mprotect(page, PAGE_SIZE, PROT_READ));
		CHECK_PATTERN("child reads the page after the offline", page, PAGE_SIZE, seed);
		uint64_t pfn = pm_pfn(pagemap_entry(page));
		if (write_full(up[1], &pfn, sizeof(pfn)) != (long)sizeof(pfn))
			fail("child: cannot report its PFN");
		_exit(0);
	}
	close(up[1]);                               /* a dead child is an EOF here */
	close(down[0]);
	wait_token(up[0]);
	uint64_t before = pm_pfn(pagemap_entry(page));
	if (on_anvil) {
		CHECK_OK(madvise(page, PAGE_SIZE, MADV_SOFT_OFFLINE));
		check_rmap_consistent("with the page PROT_NONE in the child");
	}
	parent_pfn = pm_pfn(pagemap_entry(page));
	if (on_anvil)
		CHECK(parent_pfn != before && parent_pfn != 0,
		      "parent's PFN 0x%llx before, 0x%llx after the offline",
		      (unsigned long long)before, (unsigned long long)parent_pfn);
	CHECK_PATTERN("parent reads the page after the offline", page, PAGE_SIZE, seed);
	send_token(down[1]);
	uint64_t child_pfn;
	CHECK_EQ("child's PFN report", (long)sizeof(child_pfn),
		 read_full(up[0], &child_pfn, sizeof(child_pfn)));
	check_exited("child", wait_for(pid), 0);
	if (parent_pfn && child_pfn)
		CHECK_EQ_HEX("child's PFN after the offline (the parent's)", parent_pfn, child_pfn);
	else
		CHECK(!on_anvil, "pagemap shows PFN 0 on anvil");
	close(up[0]);
	close(down[1]);
	if (on_anvil)
		check_rmap_consistent("after the child exited");
}

int
main(void)
{
	char *shared = map_shared_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *private = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);

	on_anvil = running_on_anvil();
	if (!on_anvil)
		say("host: no %s, not offlining anything", RMAP_CHECK_PATH);
	run_case("shared anonymous page, PROT_NONE in the child", shared, SEED_SHARED);
	run_case("private page shared COW, PROT_NONE in the child", private, SEED_PRIVATE);
	say("PROT_NONE mappings followed their pages to the new frames");
	return 0;
}
