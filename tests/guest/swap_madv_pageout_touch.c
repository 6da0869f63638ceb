/*
 * swap_madv_pageout_touch — MADV_PAGEOUT writes the caller's private pages
 * to swap now, and touching them brings each page's pattern back.
 *
 * Checks, as Linux 6.18 does them (seen on the host with a swap file):
 *   - after MADV_PAGEOUT of 64 private pages, pagemap shows each one
 *     swapped: bit 62 set, bit 63 clear, a non-zero swap offset, one slot
 *     per page; VmSwap grew by exactly 256 kB, SwapFree fell by 256 kB,
 *     the mapping's smaps Swap is 256 kB and its Rss 0, vmstat pswpout
 *     grew by at least 64;
 *   - reading every page gives back its pattern; pagemap shows them
 *     present again and VmSwap is back where it started;
 *   - writing after swap-in works (new pattern read back);
 *   - a page that is still COW-shared with a child (fork, nobody wrote)
 *     is left in place: present, same frame (Linux skips pages mapped by
 *     other processes); once the child has exited, the same call pushes
 *     it out;
 *   - shared anonymous memory mapped by this process alone goes out too:
 *     not present any more (Linux clears such PTEs and keeps the swap
 *     entry in the shmem object, so pagemap shows no bit 62 and VmSwap
 *     does not move), smaps Swap of the mapping is its size, and the data
 *     comes back;
 *   - errors: MADV_PAGEOUT of an mlocked range is EINVAL, of a range with
 *     a hole ENOMEM.
 */
#define TEST_NAME "swap_madv_pageout_touch"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define PAGES        64
#define LEN          (PAGES * PAGE_SIZE)
#define KB_OF(pages) ((long)(pages) * (PAGE_SIZE / KiB))
#define SEED         0x5a0
#define SEED_REWRITE 0x5a1
#define SEED_COW     0x5a2
#define SEED_SHARED  0x5a3

static void
private_pages_out_and_back(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	long swap0, free0;
	long long out0 = vmstat_value("pswpout");

	pattern_fill(p, LEN, SEED);
	swap0 = status_kb("VmSwap");
	free0 = swap_free_kb();
	pageout(p, LEN);
	check_swapped_out("private pages after MADV_PAGEOUT", p, PAGES);
	CHECK_EQ("VmSwap after MADV_PAGEOUT (kB)", swap0 + KB_OF(PAGES), status_kb("VmSwap"));
	CHECK_EQ("SwapFree after MADV_PAGEOUT (kB)", free0 - KB_OF(PAGES), swap_free_kb());
	CHECK_EQ("smaps Swap of the mapping (kB)", KB_OF(PAGES), smaps_kb(p, "Swap"));
	CHECK_EQ("smaps Rss of the mapping (kB)", 0, smaps_kb(p, "Rss"));
	CHECK(vmstat_value("pswpout") - out0 >= PAGES, "pswpout grew by %lld, expected at least %d",
	      vmstat_value("pswpout") - out0, PAGES);
	say("64 private pages out: pagemap swap entries, VmSwap +256 kB, SwapFree -256 kB");

	CHECK_PATTERN("private pages read after MADV_PAGEOUT", p, LEN, SEED);
	check_present("private pages after reading them", p, PAGES);
	CHECK_EQ("VmSwap after swap-in (kB)", swap0, status_kb("VmSwap"));
	pattern_fill(p, LEN, SEED_REWRITE);
	CHECK_PATTERN("private pages rewritten after swap-in", p, LEN, SEED_REWRITE);
	unmap_isolated(p, PAGES);
	CHECK_EQ("SwapFree after munmap (kB)", free0, swap_free_kb());
	say("touched: patterns back, present, VmSwap back; munmap gave the slots back");
}

static void
cow_shared_pages_stay(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	int go[2];
	pid_t child;
	uint64_t frame;

	pattern_fill(p, LEN, SEED_COW);
	frame = pm_pfn(pagemap_entry(p));
	CHECK_OK(pipe(go));
	child = fork_or_fail();
	if (child == 0) {
		wait_token(go[0]);
		CHECK_PATTERN("child's view of the COW-shared pages", p, LEN, SEED_COW);
		_exit(0);
	}
	pageout(p, LEN);
	check_present("COW-shared pages after MADV_PAGEOUT", p, PAGES);
	CHECK_EQ_HEX("frame of a COW-shared page after MADV_PAGEOUT", frame, pm_pfn(pagemap_entry(p)));
	send_token(go[1]);
	check_exited("child reading the COW-shared pages", wait_for(child), 0);
	close(go[0]);
	close(go[1]);
	say("pages a child still shares stay in place");

	pageout(p, LEN);
	check_swapped_out("the same pages once the child has exited", p, PAGES);
	CHECK_PATTERN("the pages read back", p, LEN, SEED_COW);
	unmap_isolated(p, PAGES);
	say("once the child is gone they go out, and come back");
}

static void
shared_anon_out_and_back(void)
{
	char *p = isolated_map(PAGES, MAP_SHARED);
	long swap0;

	pattern_fill(p, LEN, SEED_SHARED);
	swap0 = status_kb("VmSwap");
	pageout(p, LEN);
	for (size_t i = 0; i < PAGES; i++)
		CHECK(!(pagemap_entry(p + i * PAGE_SIZE) & PM_PRESENT),
		      "shared anonymous page %zu still present after MADV_PAGEOUT", i);
	CHECK_EQ("smaps Swap of the shared mapping (kB)", KB_OF(PAGES), smaps_kb(p, "Swap"));
	CHECK_EQ("VmSwap after paging out shared memory (kB)", swap0, status_kb("VmSwap"));
	CHECK_PATTERN("shared anonymous pages read back", p, LEN, SEED_SHARED);
	check_present("shared anonymous pages after reading", p, PAGES);
	CHECK_EQ("smaps Swap of the shared mapping after reading (kB)", 0, smaps_kb(p, "Swap"));
	unmap_isolated(p, PAGES);
	say("shared anonymous memory: out (smaps Swap), back with its data");
}

static void
refusals(void)
{
	char *locked = isolated_map(2, MAP_PRIVATE);
	char *holed = isolated_map(3, MAP_PRIVATE);

	memset(locked, 1, 2 * PAGE_SIZE);
	CHECK_OK(mlock(locked, 2 * PAGE_SIZE));
	CHECK_ERRNO(madvise(locked, 2 * PAGE_SIZE, MADV_PAGEOUT), EINVAL);
	check_present("mlocked pages after a refused MADV_PAGEOUT", locked, 2);
	CHECK_OK(munlock(locked, 2 * PAGE_SIZE));
	memset(holed, 2, 3 * PAGE_SIZE);
	CHECK_OK(munmap(holed + PAGE_SIZE, PAGE_SIZE));
	CHECK_ERRNO(madvise(holed, 3 * PAGE_SIZE, MADV_PAGEOUT), ENOMEM);
	unmap_isolated(locked, 2);
	unmap_isolated(holed, 3);
	say("mlocked range: EINVAL; a hole: ENOMEM");
}

int
main(void)
{
	need_swap(4 * KB_OF(PAGES));
	private_pages_out_and_back();
	cow_shared_pages_stay();
	shared_anon_out_and_back();
	refusals();
	return 0;
}
