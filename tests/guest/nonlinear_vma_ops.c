/*
 * nonlinear_vma_ops — mprotect, munmap, mremap, mlock and MADV_DONTNEED of
 * part or all of a window permuted by remap_file_pages keep every page at
 * the file offset it was given.
 *
 * Each case maps 16 pages of a 32-page pattern file, permutes them one page
 * per call (a seeded cycle; every other call MAP_NONBLOCK, so some pages
 * are only a layout when the operation comes) and checks every page
 * through the mapping and pread afterwards:
 *   mprotect  pages [4, 8) read-only: reads right, a write is SIGSEGV
 *             SEGV_ACCERR at the exact address; pages [10, 12) PROT_NONE: a
 *             read faults the same way; both back to read-write, a store
 *             there reaches its file offset;
 *   munmap    pages [6, 10): SIGSEGV SEGV_MAPERR there, the pages before
 *             and after keep their layout, the file is unchanged;
 *   mremap    each page moved alone (MREMAP_MAYMOVE|MREMAP_FIXED) to a
 *             free range in reverse order, and a four-page window moved
 *             whole: the moved pages show the same file pages, the old
 *             addresses are SEGV_MAPERR; on anvil the whole permuted
 *             16-page mapping also moves in one call (one VMA there; on
 *             Linux 4.0 and later every window is its own VMA, and mremap
 *             cannot span VMAs);
 *   mlock     of a window whose pages are all only a layout: afterwards
 *             pagemap has every page present, mincore says resident,
 *             VmLck is 64 kB, the data is right; a MAP_NONBLOCK remap
 *             inside the locked window is populated at once; munlock
 *             leaves the data and VmLck 0;
 *   dontneed  madvise(MADV_DONTNEED) of a permuted window whose pages were
 *             all present, some of them rewritten: the next touch brings
 *             back the page of the offset the layout gave (the stores too),
 *             not the one mmap's own layout would.
 */
#define TEST_NAME "nonlinear_vma_ops"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include "nonlinear.h"

#define SEED         0x0b5eu
#define FILE_PAGES   32
#define WIN_PAGES    16
#define WIN_BYTES    (WIN_PAGES * PAGE_SIZE)
#define PROBE_OFFSET 40                         /* si_addr must be this exact byte */
#define STORE_SEED   0x5703u
#define CHUNK_FIRST  4                          /* the four-page window mremap moves */
#define CHUNK_PAGES  4
#define CHUNK_PGOFF  20

static int fd;
static int on_anvil;

/* permuted_window - a fresh 16-page window over the file, permuted by a
 * cycle of 16 of its 32 pages; the layout into shows. */
static char *
permuted_window(uint32_t seed, size_t *shows)
{
	size_t perm[FILE_PAGES];
	char *win = map_file(WIN_BYTES, RW, MAP_SHARED, fd, 0);

	random_cycle(perm, FILE_PAGES, seed);
	for (size_t i = 0; i < WIN_PAGES; i++) {
		shows[i] = perm[i];
		remap_or_fail(win, i, 1, shows[i], i % 2 ? MAP_NONBLOCK : 0);
	}
	return win;
}

static char *
page_at(char *base, size_t i)
{
	return base + i * PAGE_SIZE;
}

/* check_mapped_except - window pages outside [hole, hole + n) show their
 * file pages. */
static void
check_mapped_except(const char *what, char *win, const size_t *shows, size_t hole,
		    size_t n)
{
	for (size_t i = 0; i < WIN_PAGES; i++)
		if (i < hole || i >= hole + n)
			check_window(what, page_at(win, i), 1, &shows[i], fd, SEED);
}

static void
mprotect_case(void)
{
	size_t shows[WIN_PAGES];
	char *win = permuted_window(0xa1, shows);
	char *ro = page_at(win, 5) + PROBE_OFFSET;
	char *none = page_at(win, 11) + PROBE_OFFSET;

	say("mprotect of part of a permuted window");
	CHECK_SYS(mprotect(win + 4 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ));
	CHECK_SYS(mprotect(win + 10 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_NONE));
	check_fault("a write to a read-only page", try_write(ro, 1), SEGV_ACCERR, ro);
	check_fault("a read of a PROT_NONE page", try_read(none), SEGV_ACCERR, none);
	check_mapped_except("read-only and read-write parts", win, shows, 10, 2);
	CHECK_SYS(mprotect(win + 4 * PAGE_SIZE, 8 * PAGE_SIZE, RW));
	check_window("read-write again", win, WIN_PAGES, shows, fd, SEED);
	fill_at(page_at(win, 5), PAGE_SIZE, STORE_SEED, shows[5] * PAGE_SIZE);
	fill_at(page_at(win, 11), PAGE_SIZE, STORE_SEED, shows[11] * PAGE_SIZE);
	check_file_content("a store after mprotect back", fd, shows[5] * PAGE_SIZE, PAGE_SIZE,
			   STORE_SEED);
	check_file_content("a store into the former PROT_NONE page", fd, shows[11] * PAGE_SIZE,
			   PAGE_SIZE, STORE_SEED);
	CHECK_SYS(munmap(win, WIN_BYTES));
	write_at(fd, 0, (size_t)FILE_PAGES * PAGE_SIZE, SEED);     /* the file as it was */
}

static void
munmap_case(void)
{
	size_t shows[WIN_PAGES];
	char *win = permuted_window(0xa2, shows);

	say("munmap of part of a permuted window");
	CHECK_SYS(munmap(win + 6 * PAGE_SIZE, 4 * PAGE_SIZE));
	for (size_t i = 6; i < 10; i++) {
		char *p = page_at(win, i) + PROBE_OFFSET;
		check_fault("a read of an unmapped page", try_read(p), SEGV_MAPERR, p);
	}
	check_mapped_except("around the hole", win, shows, 6, 4);
	check_file_content("the file", fd, 0, (size_t)FILE_PAGES * PAGE_SIZE, SEED);
	CHECK_SYS(munmap(win, WIN_BYTES));
}

/* move_or_fail - mremap n pages at from onto to (MAYMOVE|FIXED). */
static void
move_or_fail(char *from, size_t n, char *to)
{
	void *got = (void *)sys_mremap(from, n * PAGE_SIZE, n * PAGE_SIZE,
				       MREMAP_MAYMOVE | MREMAP_FIXED, to);

	if (got != to)
		fail("mremap(%p, %zu pages, MAYMOVE|FIXED, %p) (expected %p, got %p with %s)",
		     (void *)from, n, (void *)to, (void *)to, got, err_name(errno));
}

/* check_gone - the n pages at p are unmapped. */
static void
check_gone(const char *what, char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *q = p + i * PAGE_SIZE + PROBE_OFFSET;
		check_fault(what, try_read(q), SEGV_MAPERR, q);
	}
}

static void
mremap_case(void)
{
	size_t shows[WIN_PAGES], moved_shows[WIN_PAGES];
	char *win = permuted_window(0xa3, shows);
	char *to = free_range(WIN_PAGES);

	say("mremap of the pages of a permuted window, one by one, in reverse order");
	for (size_t i = 0; i < WIN_PAGES; i++) {
		move_or_fail(win + i * PAGE_SIZE, 1, to + (WIN_PAGES - 1 - i) * PAGE_SIZE);
		moved_shows[WIN_PAGES - 1 - i] = shows[i];
	}
	check_window("moved page by page", to, WIN_PAGES, moved_shows, fd, SEED);
	check_gone("the old address of a moved page", win, WIN_PAGES);
	CHECK_SYS(munmap(to, WIN_BYTES));

	say("mremap of a four-page window");
	win = permuted_window(0xa4, shows);
	remap_or_fail(win, CHUNK_FIRST, CHUNK_PAGES, CHUNK_PGOFF, MAP_NONBLOCK);
	for (size_t k = 0; k < CHUNK_PAGES; k++)
		shows[CHUNK_FIRST + k] = CHUNK_PGOFF + k;
	to = free_range(CHUNK_PAGES);
	move_or_fail(win + CHUNK_FIRST * PAGE_SIZE, CHUNK_PAGES, to);
	check_window("the moved window", to, CHUNK_PAGES, &shows[CHUNK_FIRST], fd, SEED);
	check_gone("the old address of the window", win + CHUNK_FIRST * PAGE_SIZE, CHUNK_PAGES);
	check_mapped_except("the pages left behind", win, shows, CHUNK_FIRST, CHUNK_PAGES);
	CHECK_SYS(munmap(to, CHUNK_PAGES * PAGE_SIZE));
	CHECK_SYS(munmap(win, WIN_BYTES));

	if (!on_anvil) {
		say("host: every window is its own VMA, so the whole permuted mapping is "
		    "moved in one call on anvil only");
		return;
	}
	say("mremap of the whole permuted mapping in one call");
	win = permuted_window(0xa5, shows);
	to = free_range(WIN_PAGES);
	move_or_fail(win, WIN_PAGES, to);
	check_window("the moved mapping", to, WIN_PAGES, shows, fd, SEED);
	check_gone("the old address of the mapping", win, WIN_PAGES);
	check_rmap_consistent("after moving a nonlinear mapping");
	CHECK_SYS(munmap(to, WIN_BYTES));
}

static void
mlock_case(void)
{
	size_t shows[WIN_PAGES], perm[FILE_PAGES];
	char *win = map_file(WIN_BYTES, RW, MAP_SHARED, fd, 0);
	unsigned char vec[WIN_PAGES];

	say("mlock of a window that is only a layout");
	random_cycle(perm, FILE_PAGES, 0xa6);
	for (size_t i = 0; i < WIN_PAGES; i++) {
		shows[i] = perm[i];
		remap_or_fail(win, i, 1, shows[i], MAP_NONBLOCK);
	}
	CHECK_EQ("VmLck before mlock (kB)", 0, status_kb("VmLck"));
	CHECK_SYS(mlock(win, WIN_BYTES));
	CHECK_EQ("VmLck after mlock (kB)", WIN_BYTES / KiB, status_kb("VmLck"));
	for (size_t i = 0; i < WIN_PAGES; i++)
		CHECK(page_present(page_at(win, i)), "page %zu not present after mlock", i);
	CHECK_SYS(mincore(win, WIN_BYTES, vec));
	for (size_t i = 0; i < WIN_PAGES; i++)
		CHECK(vec[i] & 1, "mincore: page %zu not resident after mlock", i);
	check_window("locked", win, WIN_PAGES, shows, fd, SEED);

	say("a MAP_NONBLOCK remap inside a locked window is populated");
	shows[3] = perm[WIN_PAGES + 3];                 /* a file page the window did not show */
	remap_or_fail(win, 3, 1, shows[3], MAP_NONBLOCK);
	CHECK(page_present(page_at(win, 3)), "the remapped page is not present in a locked window");
	check_window("locked, after the remap", win, WIN_PAGES, shows, fd, SEED);
	CHECK_EQ("VmLck after the remap (kB)", WIN_BYTES / KiB, status_kb("VmLck"));

	CHECK_SYS(munlock(win, WIN_BYTES));
	CHECK_EQ("VmLck after munlock (kB)", 0, status_kb("VmLck"));
	check_window("unlocked", win, WIN_PAGES, shows, fd, SEED);
	if (on_anvil)
		check_rmap_consistent("after munlock");
	CHECK_SYS(munmap(win, WIN_BYTES));
}

static void
dontneed_case(void)
{
	size_t shows[WIN_PAGES];
	char *win = permuted_window(0xa7, shows);

	say("MADV_DONTNEED of a permuted window");
	check_window("before", win, WIN_PAGES, shows, fd, SEED);     /* every page present */
	fill_at(page_at(win, 1), PAGE_SIZE, STORE_SEED, shows[1] * PAGE_SIZE);
	fill_at(page_at(win, 6), PAGE_SIZE, STORE_SEED, shows[6] * PAGE_SIZE);
	CHECK_SYS(madvise(win, WIN_BYTES, MADV_DONTNEED));
	for (size_t i = 0; i < WIN_PAGES; i++) {
		char what[96];

		snprintf(what, sizeof(what), "after MADV_DONTNEED: page %zu (file page %zu)", i,
			 shows[i]);
		CHECK_FILE_BYTES(what, page_at(win, i), PAGE_SIZE, i == 1 || i == 6 ? STORE_SEED : SEED,
				 shows[i] * PAGE_SIZE);
	}
	CHECK_SYS(munmap(win, WIN_BYTES));
	write_at(fd, 0, (size_t)FILE_PAGES * PAGE_SIZE, SEED);     /* the file as it was */
}

int
main(void)
{
	char path[200];

	fd = make_file(file_path(path, sizeof(path), "f"), (size_t)FILE_PAGES * PAGE_SIZE, SEED);
	on_anvil = running_on_anvil();
	catch_faults();
	mprotect_case();
	munmap_case();
	mremap_case();
	mlock_case();
	dontneed_case();
	if (on_anvil)
		check_rmap_consistent("at the end");
	close(fd);
	CHECK_SYS(unlink(path));
	say("mprotect, munmap, mremap, mlock and MADV_DONTNEED kept the permutation");
	return 0;
}
