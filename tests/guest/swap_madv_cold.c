/*
 * swap_madv_cold — MADV_COLD marks the caller's pages as the first to
 * reclaim, without reclaiming them: what Linux 6.18 lets a process see.
 *
 * Checks:
 *   - private anonymous memory, 32 pages just written: smaps Referenced
 *     is 128 kB; after MADV_COLD (accepted, 0) it is 0 (the accessed bits
 *     are cleared), yet every page is still present in the same frame,
 *     nothing went to swap (VmSwap, SwapFree unchanged) and every pattern
 *     reads back; reading them makes Referenced 128 kB again;
 *   - pages still COW-shared with a live child are left alone
 *     (Referenced stays 128 kB, as MADV_PAGEOUT leaves them in place);
 *     once the child has exited the same call clears it;
 *   - shared anonymous memory and a MAP_SHARED file mapping: Referenced
 *     0 after MADV_COLD, Rss unchanged, data intact;
 *   - errors as madvise has them: unaligned start EINVAL, an mlocked range
 *     EINVAL, a range with a hole ENOMEM; length 0 is 0.
 */
#define TEST_NAME "swap_madv_cold"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define PAGES     32
#define LEN       (PAGES * PAGE_SIZE)
#define LEN_KB    ((unsigned long)LEN / KiB)
#define SEED      0xc01d

static void
cold(void *p, size_t len)
{
	CHECK(madvise(p, len, MADV_COLD) == 0, "madvise(MADV_COLD, %zu bytes): %s", len,
	      errno_name(errno));
}

static void
private_memory(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	uint64_t frames[PAGES];
	long swap0, free0 = swap_free_kb();

	pattern_fill(p, LEN, SEED);
	for (size_t i = 0; i < PAGES; i++)
		frames[i] = pm_pfn(pagemap_entry(p + i * PAGE_SIZE));
	swap0 = status_kb("VmSwap");
	CHECK_EQ("smaps Referenced of pages just written (kB)", LEN_KB, smaps_kb(p, "Referenced"));
	cold(p, LEN);
	CHECK_EQ("smaps Referenced after MADV_COLD (kB)", 0, smaps_kb(p, "Referenced"));
	CHECK_EQ("smaps Rss after MADV_COLD (kB)", LEN_KB, smaps_kb(p, "Rss"));
	for (size_t i = 0; i < PAGES; i++)
		CHECK_EQ_HEX("frame of a page after MADV_COLD", frames[i],
			     pm_pfn(pagemap_entry(p + i * PAGE_SIZE)));
	CHECK_EQ("VmSwap after MADV_COLD (kB)", swap0, status_kb("VmSwap"));
	CHECK_EQ("SwapFree after MADV_COLD (kB)", free0, swap_free_kb());
	CHECK_PATTERN("private pages after MADV_COLD", p, LEN, SEED);
	CHECK_EQ("smaps Referenced after reading again (kB)", LEN_KB, smaps_kb(p, "Referenced"));
	unmap_isolated(p, PAGES);
	say("private: accessed bits cleared, pages kept in place, data intact");
}

static void
cow_shared_left_alone(void)
{
	char *p = isolated_map(PAGES, MAP_PRIVATE);
	int go[2];
	pid_t child;

	pattern_fill(p, LEN, SEED + 1);
	CHECK_OK(pipe(go));
	child = fork_or_fail();
	if (child == 0) {
		wait_token(go[0]);
		CHECK_PATTERN("child: COW-shared pages", p, LEN, SEED + 1);
		_exit(0);
	}
	cold(p, LEN);
	CHECK_EQ("smaps Referenced of COW-shared pages after MADV_COLD (kB)", LEN_KB,
		 smaps_kb(p, "Referenced"));
	send_token(go[1]);
	check_exited("child", wait_for(child), 0);
	cold(p, LEN);
	CHECK_EQ("smaps Referenced once the child has exited (kB)", 0, smaps_kb(p, "Referenced"));
	CHECK_PATTERN("parent: pages after MADV_COLD", p, LEN, SEED + 1);
	close(go[0]);
	close(go[1]);
	unmap_isolated(p, PAGES);
	say("pages a child still maps are left alone");
}

static void
shared_memory_and_file(void)
{
	char *s = isolated_map(PAGES, MAP_SHARED);
	char path[128];
	int fd;
	char *f;

	pattern_fill(s, LEN, SEED + 2);
	cold(s, LEN);
	CHECK_EQ("smaps Referenced of shared anonymous memory after MADV_COLD (kB)", 0,
		 smaps_kb(s, "Referenced"));
	CHECK_EQ("smaps Rss of shared anonymous memory after MADV_COLD (kB)", LEN_KB, smaps_kb(s, "Rss"));
	CHECK_PATTERN("shared anonymous memory after MADV_COLD", s, LEN, SEED + 2);
	unmap_isolated(s, PAGES);

	tmp_path(path, sizeof(path), "file");
	fd = CHECK_OK(open(path, O_CREAT | O_RDWR | O_TRUNC, 0600));
	CHECK_OK(ftruncate(fd, LEN));
	f = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(f != MAP_FAILED, "mmap of the file: %s", errno_name(errno));
	pattern_fill(f, LEN, SEED + 3);
	cold(f, LEN);
	CHECK_EQ("smaps Referenced of a shared file mapping after MADV_COLD (kB)", 0,
		 smaps_kb(f, "Referenced"));
	CHECK_EQ("smaps Rss of the file mapping after MADV_COLD (kB)", LEN_KB, smaps_kb(f, "Rss"));
	CHECK_PATTERN("file mapping after MADV_COLD", f, LEN, SEED + 3);
	CHECK_OK(munmap(f, LEN));
	close(fd);
	CHECK_OK(unlink(path));
	say("shared anonymous and file pages: cold, kept, intact");
}

static void
refusals(void)
{
	char *p = isolated_map(3, MAP_PRIVATE);

	memset(p, 1, 3 * PAGE_SIZE);
	CHECK_ERRNO(madvise(p + 1, PAGE_SIZE, MADV_COLD), EINVAL);
	CHECK_OK(madvise(p, 0, MADV_COLD));
	CHECK_OK(mlock(p, PAGE_SIZE));
	CHECK_ERRNO(madvise(p, PAGE_SIZE, MADV_COLD), EINVAL);
	CHECK_OK(munlock(p, PAGE_SIZE));
	CHECK_OK(munmap(p + PAGE_SIZE, PAGE_SIZE));
	CHECK_ERRNO(madvise(p, 3 * PAGE_SIZE, MADV_COLD), ENOMEM);
	CHECK_OK(munmap(p - PAGE_SIZE, 2 * PAGE_SIZE));
	CHECK_OK(munmap(p + 2 * PAGE_SIZE, 2 * PAGE_SIZE));
	say("unaligned: EINVAL; length 0: 0; mlocked: EINVAL; a hole: ENOMEM");
}

int
main(void)
{
	private_memory();
	cow_shared_left_alone();
	shared_memory_and_file();
	refusals();
	return 0;
}
