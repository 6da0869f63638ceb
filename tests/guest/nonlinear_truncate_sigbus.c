/*
 * nonlinear_truncate_sigbus — a truncate that shrinks a file below some
 * windows of a permuted mapping (remap_file_pages) takes those pages away
 * in every process: touching a window whose file page is now past the end
 * is SIGBUS BUS_ADRERR at the exact address, never old data; windows below
 * the end keep their data; growing the file again shows zeros through the
 * same windows.
 *
 * A 32-page pattern file is seen through a 32-page window permuted one
 * page per call, in three states when the truncate comes: populated
 * (present), MAP_NONBLOCK never touched (only the layout), and
 * MAP_NONBLOCK then read (faulted in through the layout); two pages were
 * rewritten through the window (dirty). A child forked before the truncate
 * has the same layout and checks the same things in its own address space.
 * The file is cut to 12.5 pages: the window showing file page 12 reads its
 * first half and zeros after the end, pages 13 and up are SIGBUS for reads
 * and writes, in the parent and in the child; pread past the end reads
 * nothing; on anvil the page cache holds no page past the end (mincore of
 * a linear mapping). After ftruncate
 * back to 32 pages the cut windows read zeros (the rewritten ones too), a
 * store into one is in the file at the offset it shows, the other windows
 * are unchanged. On anvil /proc/sys/vm/rmap_check reads 0 after each step.
 */
#define TEST_NAME "nonlinear_truncate_sigbus"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include "nonlinear.h"

#define SEED         0x7c4du
#define DIRTY_SEED   0xd127u
#define PAGES        32
#define BYTES        (PAGES * PAGE_SIZE)
#define CUT_PAGE     12                         /* the new end is in the middle of it */
#define CUT_BYTES    (CUT_PAGE * PAGE_SIZE + PAGE_SIZE / 2)
#define PROBE_OFFSET 100                        /* si_addr must be this exact byte */
#define STORE_WORD   0x570e5a11u

static int on_anvil;
static size_t shows[PAGES];
static int dirty[PAGES];                        /* by file page: rewritten through the window */

/* expected_seed - the bytes file page p had before the truncate. */
static uint32_t
expected_seed(size_t p)
{
	return dirty[p] ? DIRTY_SEED : SEED;
}

/* check_cut - window page i after the cut, seen by who. */
static void
check_cut(const char *who, const char *win, size_t i)
{
	const char *page = win + i * PAGE_SIZE;
	size_t p = shows[i];
	char what[128];

	snprintf(what, sizeof(what), "%s: window page %zu (file page %zu)", who, i, p);
	if (p < CUT_PAGE) {
		CHECK_FILE_BYTES(what, page, PAGE_SIZE, expected_seed(p), p * PAGE_SIZE);
	} else if (p == CUT_PAGE) {
		CHECK_FILE_BYTES(what, page, PAGE_SIZE / 2, expected_seed(p), p * PAGE_SIZE);
		CHECK_ZERO(what, page + PAGE_SIZE / 2, PAGE_SIZE / 2);
	} else {
		check_bus(what, try_read(page + PROBE_OFFSET), BUS_ADRERR, page + PROBE_OFFSET);
		check_bus(what, try_write((char *)page + PROBE_OFFSET, 1), BUS_ADRERR,
			  page + PROBE_OFFSET);
	}
}

/* check_after_cut - every window page of win, by who. */
static void
check_after_cut(const char *who, const char *win)
{
	for (size_t i = 0; i < PAGES; i++)
		check_cut(who, win, i);
}

static void
child_body(const char *win, int from_parent, int to_parent)
{
	wait_token(from_parent);                /* touches nothing before the truncate */
	catch_faults();
	check_after_cut("child", win);
	send_token(to_parent);
}

/* check_cache_cut - anvil only: the page cache holds no page past the end,
 * which mincore of a fresh linear mapping of the file shows. (The host's
 * Linux 6.18 says "resident" there even for a file never remapped, so it
 * is not asked.) */
static void
check_cache_cut(int fd)
{
	unsigned char vec[PAGES];
	char *lin = map_file(BYTES, PROT_READ, MAP_SHARED, fd, 0);

	CHECK_SYS(mincore(lin, BYTES, vec));
	for (size_t p = CUT_PAGE + 1; p < PAGES; p++)
		if (vec[p] & 1)
			fail("mincore: file page %zu, past the end, is still in the page cache", p);
	CHECK_SYS(munmap(lin, BYTES));
}

int
main(void)
{
	char path[200];
	int fd = make_file(file_path(path, sizeof(path), "f"), BYTES, SEED), down[2], up[2];
	char *win = map_file(BYTES, RW, MAP_SHARED, fd, 0);
	static uint8_t buf[PAGE_SIZE];

	on_anvil = running_on_anvil();
	say("a permuted window: populated, layout only, faulted in, rewritten");
	random_cycle(shows, PAGES, 0x7c);
	for (size_t i = 0; i < PAGES; i++)
		remap_or_fail(win, i, 1, shows[i], i % 2 ? MAP_NONBLOCK : 0);
	for (size_t i = 3; i < PAGES; i += 4)          /* read: faulted in (NONBLOCK ones too) */
		CHECK_FILE_BYTES("read before the truncate", win + i * PAGE_SIZE, PAGE_SIZE, SEED,
				 shows[i] * PAGE_SIZE);
	for (size_t i = 5; i < PAGES; i += 13) {       /* two dirty pages */
		fill_at(win + i * PAGE_SIZE, PAGE_SIZE, DIRTY_SEED, shows[i] * PAGE_SIZE);
		dirty[shows[i]] = 1;
	}
	CHECK_SYS(pipe(down));
	CHECK_SYS(pipe(up));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		child_body(win, down[0], up[1]);
		_exit(0);
	}

	say("truncate to %d.5 pages", CUT_PAGE);
	CHECK_SYS(ftruncate(fd, CUT_BYTES));
	catch_faults();
	check_after_cut("parent", win);
	send_token(down[1]);
	wait_token(up[0]);
	check_exited("child", wait_for(pid), 0);
	CHECK_EQ("pread past the end", 0, pread(fd, buf, PAGE_SIZE, (CUT_PAGE + 1) * PAGE_SIZE));
	if (on_anvil) {
		check_cache_cut(fd);
		check_rmap_consistent("after the truncate");
	}

	say("grow the file again: zeros through the same windows");
	CHECK_SYS(ftruncate(fd, BYTES));
	for (size_t i = 0; i < PAGES; i++) {
		const char *page = win + i * PAGE_SIZE;
		size_t p = shows[i];
		char what[128];

		snprintf(what, sizeof(what), "after regrowing: window page %zu (file page %zu)", i, p);
		if (p < CUT_PAGE)
			CHECK_FILE_BYTES(what, page, PAGE_SIZE, expected_seed(p), p * PAGE_SIZE);
		else if (p == CUT_PAGE)
			CHECK_FILE_BYTES(what, page, PAGE_SIZE / 2, expected_seed(p), p * PAGE_SIZE);
		else
			CHECK_ZERO(what, page, PAGE_SIZE);
		if (p >= CUT_PAGE)
			CHECK_ZERO(what, page + PAGE_SIZE / 2, PAGE_SIZE / 2);
	}
	for (size_t i = 0; i < PAGES; i++) {
		if (shows[i] <= CUT_PAGE)
			continue;
		uint32_t word = 0;
		*(volatile uint32_t *)(win + i * PAGE_SIZE + PROBE_OFFSET) = STORE_WORD;
		CHECK_SYS(pread(fd, &word, 4, (off_t)shows[i] * PAGE_SIZE + PROBE_OFFSET));
		CHECK_EQ_HEX("pread of a store into a regrown window", STORE_WORD, word);
		break;
	}
	if (on_anvil)
		check_rmap_consistent("after regrowing");
	CHECK_SYS(munmap(win, BYTES));
	close(fd);
	close(down[0]);
	close(down[1]);
	close(up[0]);
	close(up[1]);
	CHECK_SYS(unlink(path));
	say("windows past the new end were SIGBUS, then zeros");
	return 0;
}
