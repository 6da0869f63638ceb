/*
 * nonlinear_fork_writeback — a permuted window (remap_file_pages) survives
 * fork, its stores reach the file at the offsets it shows, and (on anvil)
 * soft-offline moves a nonlinearly mapped page for every process mapping it.
 *
 * fork: a 32-page window over a 32-page pattern file is permuted one page
 * per call, every other call with MAP_NONBLOCK; the parent forks either
 * before touching any page (the NONBLOCK pages are only a layout then) or
 * after reading them all. The child sees the permutation (mapping and
 * pread); a page the child rewrites through its window is what the parent
 * reads through its own and what pread reads at that page's file offset;
 * a page the parent rewrites is what the child reads. A remap in the child
 * changes only the child's layout.
 *
 * writeback: every other page of a permuted window is rewritten through
 * it; after msync(MS_SYNC) pread of the whole file finds the new bytes at
 * exactly the offsets those pages show and the old bytes everywhere else,
 * and so does a second, linear mapping. A page rewritten and then remapped
 * away (MAP_NONBLOCK) before any msync is still written back by fsync.
 * After munmap and close (and, on anvil, drop_caches: the pages must come
 * back from the disk) a fresh descriptor reads the same file.
 *
 * soft-offline (anvil only; the host has no rmap checker and needs
 * privileges we do not ask for): the parent soft-offlines, by madvise and
 * through sysfs, pages of a permuted window that a child maps too (one of
 * them mapped at two addresses of the window): each keeps its data, moves
 * to a new frame in the parent, and the child's pagemap shows the same new
 * frame with the same data; /proc/sys/vm/rmap_check reads 0 afterwards.
 */
#define TEST_NAME "nonlinear_fork_writeback"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include "nonlinear.h"

#define SEED          0xf0c4u
#define CHILD_SEED    0xc41du
#define PARENT_SEED   0x9a7eu
#define NEW_SEED      0x3e77u                  /* the writeback pages */
#define PAGES         32
#define BYTES         (PAGES * PAGE_SIZE)
#define CHILD_PAGE    5                        /* window pages each side rewrites */
#define PARENT_PAGE   11
#define CHILD_REMAP   0                        /* the page the child remaps */
#define AWAY_PAGE     3                        /* rewritten, then remapped away */
#define DROP_CACHES   "/proc/sys/vm/drop_caches"

static int on_anvil;

/* ---- fork ------------------------------------------------------------------ */

struct fork_side {
	char *win;
	const size_t *shows;
	int fd;
	int to_other, from_other;               /* token pipes */
	int touched;                            /* the parent read every page before fork */
};

/* check_except - every window page except `skip` (and the pages showing the
 * same file page) still holds the original pattern. */
static void
check_except(const char *what, const struct fork_side *s, size_t skip, size_t also_skip)
{
	char label[96];

	for (size_t i = 0; i < PAGES; i++) {
		if (s->shows[i] == s->shows[skip] || s->shows[i] == s->shows[also_skip])
			continue;
		snprintf(label, sizeof(label), "%s: page %zu (file page %zu)", what, i, s->shows[i]);
		CHECK_FILE_BYTES(label, s->win + i * PAGE_SIZE, PAGE_SIZE, SEED,
				 s->shows[i] * PAGE_SIZE);
	}
}

/* check_rewritten - window page i holds seed's bytes of the file page it
 * shows, and pread of that offset does too. */
static void
check_rewritten(const char *what, const struct fork_side *s, size_t i, uint32_t seed)
{
	static uint8_t buf[PAGE_SIZE];
	off_t off = (off_t)s->shows[i] * PAGE_SIZE;

	CHECK_FILE_BYTES(what, s->win + i * PAGE_SIZE, PAGE_SIZE, seed, off);
	CHECK(pread(s->fd, buf, PAGE_SIZE, off) == PAGE_SIZE, "%s: pread (%s)", what,
	      err_name(errno));
	CHECK_FILE_BYTES(what, buf, PAGE_SIZE, seed, off);
}

static void
child_side(void *arg)
{
	const struct fork_side *s = arg;
	size_t other = (CHILD_REMAP + 1) % PAGES;

	check_window("child, after fork", s->win, PAGES, s->shows, s->fd, SEED);
	fill_at(s->win + CHILD_PAGE * PAGE_SIZE, PAGE_SIZE, CHILD_SEED,
		s->shows[CHILD_PAGE] * PAGE_SIZE);
	send_token(s->to_other);
	wait_token(s->from_other);
	check_rewritten("child: the page the parent rewrote", s, PARENT_PAGE, PARENT_SEED);
	check_except("child: the pages nobody rewrote", s, CHILD_PAGE, PARENT_PAGE);

	/* The child's own remap: its page CHILD_REMAP shows what page `other`
	 * shows; the parent checks that its own layout did not change. */
	remap_or_fail(s->win, CHILD_REMAP, 1, s->shows[other], 0);
	CHECK(memcmp(s->win + CHILD_REMAP * PAGE_SIZE, s->win + other * PAGE_SIZE, PAGE_SIZE) == 0,
	      "child: page %d after its remap to file page %zu", CHILD_REMAP, s->shows[other]);
	send_token(s->to_other);
}

static void
fork_case(int fd, int touched)
{
	size_t perm[PAGES];
	char *win = map_file(BYTES, RW, MAP_SHARED, fd, 0);
	int down[2], up[2];

	say("fork %s", touched ? "after reading every page" : "before touching any page");
	random_cycle(perm, PAGES, touched ? 0xf1 : 0xf2);
	for (size_t i = 0; i < PAGES; i++)
		remap_or_fail(win, i, 1, perm[i], i % 2 ? MAP_NONBLOCK : 0);
	if (touched)
		check_window("parent, before fork", win, PAGES, perm, fd, SEED);
	CHECK_SYS(pipe(down));
	CHECK_SYS(pipe(up));
	struct fork_side child = { win, perm, fd, up[1], down[0], touched };
	struct fork_side parent = { win, perm, fd, down[1], up[0], touched };
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		child_side(&child);
		_exit(0);
	}
	wait_token(parent.from_other);
	check_rewritten("parent: the page the child rewrote", &parent, CHILD_PAGE, CHILD_SEED);
	fill_at(win + PARENT_PAGE * PAGE_SIZE, PAGE_SIZE, PARENT_SEED,
		perm[PARENT_PAGE] * PAGE_SIZE);
	send_token(parent.to_other);
	wait_token(parent.from_other);
	check_exited("child", wait_for(pid), 0);
	check_except("parent: its layout after the child's remap", &parent, CHILD_PAGE,
		     PARENT_PAGE);
	check_rewritten("parent: its own page", &parent, PARENT_PAGE, PARENT_SEED);
	if (on_anvil)
		check_rmap_consistent("after the child exited");
	CHECK_SYS(munmap(win, BYTES));
	write_at(fd, 0, BYTES, SEED);                   /* the file as it was */
	close(down[0]);
	close(down[1]);
	close(up[0]);
	close(up[1]);
}

/* ---- writeback ------------------------------------------------------------- */

/* check_file_pages - pread of each file page: NEW_SEED's bytes where
 * rewritten[p], SEED's elsewhere. */
static void
check_file_pages(const char *what, int fd, const int *rewritten)
{
	char label[96];

	for (size_t p = 0; p < PAGES; p++) {
		snprintf(label, sizeof(label), "%s: file page %zu", what, p);
		check_file_content(label, fd, p * PAGE_SIZE, PAGE_SIZE, rewritten[p] ? NEW_SEED : SEED);
	}
}

/* check_mapped_pages - the same through a linear mapping of the file. */
static void
check_mapped_pages(const char *what, const char *lin, const int *rewritten)
{
	char label[96];

	for (size_t p = 0; p < PAGES; p++) {
		snprintf(label, sizeof(label), "%s: file page %zu", what, p);
		CHECK_FILE_BYTES(label, lin + p * PAGE_SIZE, PAGE_SIZE, rewritten[p] ? NEW_SEED : SEED,
				 p * PAGE_SIZE);
	}
}

/* drop_page_cache - anvil only: the clean, unmapped page cache goes, so
 * the next read comes from the disk. */
static void
drop_page_cache(void)
{
	int fd = open_file(DROP_CACHES, O_WRONLY);

	CHECK(write(fd, "1\n", 2) == 2, "write %s (%s)", DROP_CACHES, err_name(errno));
	close(fd);
}

static void
writeback(const char *path)
{
	int fd = open_file(path, O_RDWR), rewritten[PAGES] = { 0 };
	size_t perm[PAGES];
	char *win = map_file(BYTES, RW, MAP_SHARED, fd, 0);

	say("stores through a permuted window reach the file after msync");
	random_cycle(perm, PAGES, 0xb1);
	for (size_t i = 0; i < PAGES; i++)
		remap_or_fail(win, i, 1, perm[i], i % 3 ? 0 : MAP_NONBLOCK);
	for (size_t i = 1; i < PAGES; i += 2) {
		fill_at(win + i * PAGE_SIZE, PAGE_SIZE, NEW_SEED, perm[i] * PAGE_SIZE);
		rewritten[perm[i]] = 1;
	}
	CHECK_SYS(msync(win, BYTES, MS_SYNC));
	check_file_pages("pread after msync", fd, rewritten);
	char *lin = map_file(BYTES, PROT_READ, MAP_SHARED, fd, 0);
	check_mapped_pages("a second, linear mapping", lin, rewritten);

	say("a page rewritten, then remapped away, is written back");
	size_t away = perm[AWAY_PAGE];
	fill_at(win + AWAY_PAGE * PAGE_SIZE, PAGE_SIZE, NEW_SEED, away * PAGE_SIZE);
	rewritten[away] = 1;
	remap_or_fail(win, AWAY_PAGE, 1, perm[AWAY_PAGE + 1], MAP_NONBLOCK);
	CHECK_SYS(fsync(fd));
	check_file_pages("pread after the remap and fsync", fd, rewritten);
	check_mapped_pages("the linear mapping after the remap", lin, rewritten);

	CHECK_SYS(munmap(win, BYTES));
	CHECK_SYS(munmap(lin, BYTES));
	close(fd);
	if (on_anvil)
		drop_page_cache();
	fd = open_file(path, O_RDONLY);
	check_file_pages("a new descriptor after close", fd, rewritten);
	close(fd);
	fd = open_file(path, O_RDWR);
	write_at(fd, 0, BYTES, SEED);                   /* the file as it was */
	close(fd);
}

/* ---- soft-offline (anvil) ---------------------------------------------------- */

#define OFFLINE_A     6                         /* by madvise */
#define OFFLINE_B     9                         /* by sysfs */
#define TWIN_OF_A     20                        /* shows the same file page as OFFLINE_A */

/* offline_child - waits for the parent's new frames, then checks that its
 * own pages OFFLINE_A, TWIN_OF_A and OFFLINE_B map them with the same data. */
static void
offline_child(const char *win, const size_t *shows, int from_parent, int to_parent)
{
	static const size_t pages[] = { OFFLINE_A, TWIN_OF_A, OFFLINE_B };
	uint64_t parent_pfn[3];

	CHECK(read_full(from_parent, parent_pfn, sizeof(parent_pfn)) == (long)sizeof(parent_pfn),
	      "child: the parent's frames");
	for (int k = 0; k < 3; k++) {
		const char *page = win + pages[k] * PAGE_SIZE;
		char what[96];

		snprintf(what, sizeof(what), "child: page %zu after the offline", pages[k]);
		CHECK_FILE_BYTES(what, page, PAGE_SIZE, SEED, shows[pages[k]] * PAGE_SIZE);
		CHECK_EQ_HEX(what, parent_pfn[k], pm_pfn(pagemap_entry(page)));
	}
	send_token(to_parent);
}

static void
soft_offline(int fd)
{
	size_t shows[PAGES];
	char *win = map_file(BYTES, RW, MAP_SHARED, fd, 0);
	static const size_t pages[] = { OFFLINE_A, TWIN_OF_A, OFFLINE_B };
	uint64_t before[3], after[3];
	int down[2], up[2];

	if (!on_anvil) {
		say("host: no %s, not offlining (soft-offline is checked on anvil only)",
		    RMAP_CHECK_PATH);
		CHECK_SYS(munmap(win, BYTES));
		return;
	}
	say("soft-offline of nonlinearly mapped pages a child maps too");
	random_cycle(shows, PAGES, 0x0ff);
	for (size_t i = 0; i < PAGES; i++)
		remap_or_fail(win, i, 1, shows[i], i % 2 ? MAP_NONBLOCK : 0);
	remap_or_fail(win, TWIN_OF_A, 1, shows[OFFLINE_A], 0);
	shows[TWIN_OF_A] = shows[OFFLINE_A];
	check_window("before the offline", win, PAGES, shows, fd, SEED);
	CHECK_SYS(pipe(down));
	CHECK_SYS(pipe(up));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		offline_child(win, shows, down[0], up[1]);
		_exit(0);
	}
	for (int k = 0; k < 3; k++)
		before[k] = pm_pfn(pagemap_entry(win + pages[k] * PAGE_SIZE));
	CHECK_EQ_HEX("the twin pages share a frame", before[0], before[1]);
	CHECK_SYS(madvise(win + OFFLINE_A * PAGE_SIZE, PAGE_SIZE, MADV_SOFT_OFFLINE));
	CHECK_EQ("sysfs soft-offline", 0, sysfs_soft_offline(before[2]));
	for (int k = 0; k < 3; k++) {
		after[k] = pm_pfn(pagemap_entry(win + pages[k] * PAGE_SIZE));
		CHECK(after[k] != 0 && after[k] != before[k],
		      "page %zu: frame 0x%llx before the offline, 0x%llx after", pages[k],
		      (unsigned long long)before[k], (unsigned long long)after[k]);
	}
	CHECK_EQ_HEX("the twin pages still share a frame", after[0], after[1]);
	check_window("after the offline", win, PAGES, shows, fd, SEED);
	CHECK(write_full(down[1], after, sizeof(after)) == (long)sizeof(after), "send frames");
	wait_token(up[0]);
	check_exited("child", wait_for(pid), 0);
	check_rmap_consistent("after soft-offline of nonlinear pages");
	CHECK_SYS(munmap(win, BYTES));
	close(down[0]);
	close(down[1]);
	close(up[0]);
	close(up[1]);
}

int
main(void)
{
	char path[200];
	int fd = make_file(file_path(path, sizeof(path), "f"), BYTES, SEED);

	on_anvil = running_on_anvil();
	fork_case(fd, 0);
	fork_case(fd, 1);
	soft_offline(fd);
	check_file_content("the file before the writeback cases", fd, 0, BYTES, SEED);
	close(fd);
	writeback(path);
	CHECK_SYS(unlink(path));
	say("permuted windows kept their layout across fork and wrote the right offsets");
	return 0;
}
