/*
 * nonlinear_permute_window — remap_file_pages permutes a window over a file
 * page by page (and chunk by chunk), and every page shows the file page it
 * was given, through the mapping and through pread of that offset.
 *
 * A 64-page file holds the pattern of its offsets (file_test.h), so every
 * page of it is different. For each case a fresh 64-page MAP_SHARED
 * mapping of the file is permuted by a seeded cycle (no page stays where it
 * was): one page or four pages per call, with MAP_NONBLOCK or populated.
 * Before anything is touched, pagemap says no page is present after
 * MAP_NONBLOCK and every page is present without it; then every page is
 * checked byte by byte against the file page it shows, and pread of that
 * offset reads the same bytes. On anvil (one nonlinear VMA, where Linux 4.0
 * and later make one VMA per window) /proc/self/maps shows the window as one
 * line and its smaps VmFlags has "nl"; the host's Linux is not asked.
 *
 * Then:
 *   - one file page at two addresses of one window: each address sees the
 *     other's stores at once, and pread sees both;
 *   - shared anonymous memory (a shmem object of 16 pages) permuted page by
 *     page: each page shows its object page; stores through the permuted
 *     window are in the right object pages when the window is put back in
 *     order; a page given an offset past the object is SIGBUS BUS_ADRERR
 *     at the address touched.
 */
#define TEST_NAME "nonlinear_permute_window"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include "nonlinear.h"

#define SEED          0x9e51u
#define FILE_PAGES    64
#define FILE_BYTES    (FILE_PAGES * PAGE_SIZE)
#define SHMEM_PAGES   16
#define SHMEM_SEED(i) (0x5a0e0000u + (uint32_t)(i))   /* object page i, at the start */
#define STORE_SEED(i) (0x5707e000u + (uint32_t)(i))   /* object page i, stored through the window */
#define SAME_PAGE     5                               /* the file page mapped twice */
#define TWICE_AT_A    2                               /* ... at these window pages */
#define TWICE_AT_B    7
#define BUS_OFFSET    24                              /* si_addr must be this exact byte */

struct permute_case {
	const char *what;
	size_t chunk;                           /* pages per remap_file_pages call */
	int flags;
	uint32_t seed;                          /* of the permutation */
};

static const struct permute_case cases[] = {
	{ "one page per call, MAP_NONBLOCK", 1, MAP_NONBLOCK, 0xc1 },
	{ "one page per call, populated", 1, 0, 0xc2 },
	{ "four pages per call, MAP_NONBLOCK", 4, MAP_NONBLOCK, 0xc3 },
	{ "four pages per call, populated", 4, 0, 0xc4 },
};
#define CASES ((int)(sizeof(cases) / sizeof(cases[0])))

static int on_anvil;

/* check_presence - before any touch, every page of the window is present
 * (populated) or none is (MAP_NONBLOCK installs the layout only). */
static void
check_presence(const struct permute_case *pc, const char *win)
{
	int want = !(pc->flags & MAP_NONBLOCK);

	for (size_t i = 0; i < FILE_PAGES; i++)
		if (page_present(win + i * PAGE_SIZE) != want)
			fail("%s: page %zu is %s before any access (expected %s)", pc->what, i,
			     want ? "not present" : "present", want ? "present" : "not present");
}

/* check_one_vma - anvil only: the permuted window is still one VMA, and
 * smaps marks it nonlinear. */
static void
check_one_vma(const struct permute_case *pc, const char *win)
{
	char *maps = read_file("/proc/self/maps"), *smaps = read_file("/proc/self/smaps");
	struct map_line m = find_map(maps, (unsigned long)(uintptr_t)win);
	char flags[160], padded[164];

	CHECK_EQ_HEX(pc->what, (unsigned long)(uintptr_t)win + FILE_BYTES, m.end);
	smaps_text(smaps, (unsigned long)(uintptr_t)win, "VmFlags", flags, sizeof(flags));
	snprintf(padded, sizeof(padded), " %s ", flags);
	CHECK(strstr(padded, " nl ") != NULL, "%s: smaps VmFlags \"%s\" (expected \"nl\" among them)",
	      pc->what, flags);
	free(maps);
	free(smaps);
}

static void
run_case(const struct permute_case *pc, int fd)
{
	size_t perm[FILE_PAGES], shows[FILE_PAGES];
	char *win = map_file(FILE_BYTES, RW, MAP_SHARED, fd, 0);

	say("%s", pc->what);
	random_cycle(perm, FILE_PAGES / pc->chunk, pc->seed);
	permute_window(win, FILE_PAGES, pc->chunk, perm, pc->flags, shows);
	check_presence(pc, win);
	check_window(pc->what, win, FILE_PAGES, shows, fd, SEED);
	if (on_anvil)
		check_one_vma(pc, win);
	CHECK_SYS(munmap(win, FILE_BYTES));
}

/* one_page_twice - file page SAME_PAGE at two window pages: one page. */
static void
one_page_twice(int fd)
{
	char *win = map_file(FILE_BYTES, RW, MAP_SHARED, fd, 0);
	volatile uint32_t *a = (uint32_t *)(win + TWICE_AT_A * PAGE_SIZE);
	volatile uint32_t *b = (uint32_t *)(win + TWICE_AT_B * PAGE_SIZE);
	uint32_t word;

	say("one file page at two addresses of one window");
	remap_or_fail(win, TWICE_AT_A, 1, SAME_PAGE, 0);
	remap_or_fail(win, TWICE_AT_B, 1, SAME_PAGE, MAP_NONBLOCK);
	CHECK_FILE_BYTES("first address", (const void *)a, PAGE_SIZE, SEED,
			 SAME_PAGE * PAGE_SIZE);
	CHECK_FILE_BYTES("second address", (const void *)b, PAGE_SIZE, SEED,
			 SAME_PAGE * PAGE_SIZE);
	a[10] = 0xaaaa0010u;
	CHECK_EQ_HEX("a store through the first address, read through the second",
		     0xaaaa0010u, b[10]);
	b[20] = 0xbbbb0020u;
	CHECK_EQ_HEX("a store through the second address, read through the first",
		     0xbbbb0020u, a[20]);
	CHECK_SYS(pread(fd, &word, 4, SAME_PAGE * PAGE_SIZE + 10 * 4));
	CHECK_EQ_HEX("pread of the first store", 0xaaaa0010u, word);
	CHECK_SYS(pread(fd, &word, 4, SAME_PAGE * PAGE_SIZE + 20 * 4));
	CHECK_EQ_HEX("pread of the second store", 0xbbbb0020u, word);
	CHECK_EQ_HEX("one frame", pm_pfn(pagemap_entry((const void *)a)),
		     pm_pfn(pagemap_entry((const void *)b)));
	CHECK_SYS(munmap(win, FILE_BYTES));
	write_at(fd, SAME_PAGE * PAGE_SIZE, PAGE_SIZE, SEED);     /* the file as it was */
}

/* shared_anon_permuted - a shmem object seen through a permuted window. */
static void
shared_anon_permuted(void)
{
	char *win = map_shared_anon(SHMEM_PAGES * PAGE_SIZE, RW);
	size_t perm[SHMEM_PAGES];
	char what[96];

	say("shared anonymous memory permuted");
	for (size_t i = 0; i < SHMEM_PAGES; i++)
		pattern_fill(win + i * PAGE_SIZE, PAGE_SIZE, SHMEM_SEED(i));
	random_cycle(perm, SHMEM_PAGES, 0x5a);
	for (size_t i = 0; i < SHMEM_PAGES; i++)
		remap_or_fail(win, i, 1, perm[i], i % 2 ? MAP_NONBLOCK : 0);
	for (size_t i = 0; i < SHMEM_PAGES; i++) {
		snprintf(what, sizeof(what), "window page %zu (object page %zu)", i, perm[i]);
		CHECK_PATTERN(what, win + i * PAGE_SIZE, PAGE_SIZE, SHMEM_SEED(perm[i]));
	}
	for (size_t i = 0; i < SHMEM_PAGES; i++)
		pattern_fill(win + i * PAGE_SIZE, PAGE_SIZE, STORE_SEED(perm[i]));
	remap_or_fail(win, 0, SHMEM_PAGES, 0, MAP_NONBLOCK);          /* back in order */
	for (size_t i = 0; i < SHMEM_PAGES; i++) {
		snprintf(what, sizeof(what), "object page %zu after the stores, in order", i);
		CHECK_PATTERN(what, win + i * PAGE_SIZE, PAGE_SIZE, STORE_SEED(i));
	}

	say("shared anonymous memory: an offset past the object is SIGBUS");
	remap_or_fail(win, 3, 1, SHMEM_PAGES, 0);
	catch_faults();
	check_bus("read of a page past the object", try_read(win + 3 * PAGE_SIZE + BUS_OFFSET),
		  BUS_ADRERR, win + 3 * PAGE_SIZE + BUS_OFFSET);
	check_bus("write of a page past the object",
		  try_write(win + 3 * PAGE_SIZE + BUS_OFFSET, 1), BUS_ADRERR,
		  win + 3 * PAGE_SIZE + BUS_OFFSET);
	CHECK_PATTERN("the page beside it", win + 4 * PAGE_SIZE, PAGE_SIZE, STORE_SEED(4));
	CHECK_SYS(munmap(win, SHMEM_PAGES * PAGE_SIZE));
}

int
main(void)
{
	char path[200];
	int fd = make_file(file_path(path, sizeof(path), "f"), FILE_BYTES, SEED);

	on_anvil = running_on_anvil();
	if (!on_anvil)
		say("host: the VMA count and smaps' \"nl\" are anvil's, not checked here");
	for (int c = 0; c < CASES; c++)
		run_case(&cases[c], fd);
	one_page_twice(fd);
	check_file_content("the file at the end", fd, 0, FILE_BYTES, SEED);
	shared_anon_permuted();
	if (on_anvil)
		check_rmap_consistent("at the end");
	close(fd);
	CHECK_SYS(unlink(path));
	say("every permuted page showed its file page");
	return 0;
}
