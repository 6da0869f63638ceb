/*
 * nonlinear_errno — what remap_file_pages refuses (EINVAL for all of it, as
 * Linux 2.6.23-3.x and today's emulation do), what it rounds, and that a
 * refusal changes no page of the layout. Raw system calls (257), so that
 * huge, unaligned and wrapping values reach the kernel as they are.
 *
 *   EINVAL  prot not 0; size 0, or below a page (rounded down to 0);
 *           start + size wrapping past 4 GiB; start unmapped (a free page,
 *           NULL, a kernel address, the last page); a range that runs past
 *           its mapping into a hole or into another mapping, or starts in a
 *           hole before one; a MAP_PRIVATE file mapping; private anonymous
 *           memory; a MAP_SHARED mapping of an O_RDONLY descriptor (Linux
 *           keeps no VM_SHARED there); pgoff + size wrapping past 2^32
 *           pages (on a 32-bit kernel: a 64-bit one takes the i386 pgoff
 *           as a 64-bit number that does not wrap)
 *   rounding  an unaligned start and an unaligned size are rounded down to
 *           pages: the call remaps exactly the pages they cover
 * After the refusals every page of the window still shows its file page.
 */
#define TEST_NAME "nonlinear_errno"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include "nonlinear.h"

#define SEED         0xe771u
#define FILE_PAGES   16
#define WIN_PAGES    8
#define WIN_BYTES    (WIN_PAGES * PAGE_SIZE)
#define WRAP_PGOFF   0xFFFFFFFFul

#define ADDR(p) ((unsigned long)(uintptr_t)(p))

/* CHECK_EINVAL(start, size, prot, pgoff, flags) - the raw call fails with
 * EINVAL. */
#define CHECK_EINVAL(what, start, size, prot, pgoff, flags) do {                 \
		errno = 0;                                                       \
		long r_ = sys_remap_file_pages((start), (size), (prot), (pgoff), (flags)); \
		if (r_ != -1 || errno != EINVAL)                                 \
			fail("remap_file_pages: %s (expected -1 with EINVAL, got %ld with %s)", \
			     (what), r_, err_name(errno));                           \
	} while (0)

int
main(void)
{
	char path[200];
	int fd = make_file(file_path(path, sizeof(path), "f"), FILE_PAGES * PAGE_SIZE, SEED);
	int rdonly = open_file(path, O_RDONLY);
	char *win = free_range(WIN_PAGES + 1);         /* a hole after the window */
	size_t shows[WIN_PAGES];

	CHECK(mmap(win, WIN_BYTES, RW, MAP_SHARED | MAP_FIXED, fd, 0) == win,
	      "mmap the window at a free range (%s)", err_name(errno));

	for (size_t i = 0; i < WIN_PAGES; i++)
		shows[i] = i;
	remap_or_fail(win, 2, 1, 9, 0);                 /* a nonlinear window to begin with */
	shows[2] = 9;

	say("prot and size");
	CHECK_EINVAL("prot PROT_READ", ADDR(win), PAGE_SIZE, PROT_READ, 1, 0);
	CHECK_EINVAL("prot PROT_READ|PROT_WRITE", ADDR(win), PAGE_SIZE, RW, 1, 0);
	CHECK_EINVAL("prot PROT_EXEC", ADDR(win), PAGE_SIZE, PROT_EXEC, 1, 0);
	CHECK_EINVAL("size 0", ADDR(win), 0, 0, 1, 0);
	CHECK_EINVAL("size 0 with MAP_NONBLOCK", ADDR(win), 0, 0, 1, MAP_NONBLOCK);
	CHECK_EINVAL("size 1 (rounds to 0)", ADDR(win), 1, 0, 1, 0);
	CHECK_EINVAL("size 4095 (rounds to 0)", ADDR(win), PAGE_SIZE - 1, 0, 1, 0);

	say("ranges that wrap or leave the mapping");
	CHECK_EINVAL("start + size wraps past 4 GiB", ADDR(win), 0xFFFFF000ul, 0, 0, 0);
	CHECK_EINVAL("size 0xFFFFFFFF", ADDR(win), 0xFFFFFFFFul, 0, 0, 0);
	CHECK_EINVAL("the last page, two pages long", TOP_PAGE_ADDR, 2 * PAGE_SIZE, 0, 0, 0);
	CHECK_EINVAL("the last page", TOP_PAGE_ADDR, PAGE_SIZE, 0, 0, 0);
	CHECK_EINVAL("a kernel address", KERNEL_BASE_ADDR, PAGE_SIZE, 0, 0, 0);
	CHECK_EINVAL("NULL", 0, PAGE_SIZE, 0, 0, 0);
	CHECK_EINVAL("an unmapped page", ADDR(unmapped_page()), PAGE_SIZE, 0, 0, 0);

	/* A mapping with a hole after it, and one with a private anonymous
	 * page right after it. */
	char *spot = free_range(6);
	char *holed = mmap(spot, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	CHECK(holed == spot, "mmap at a free range (got %p)", (void *)holed);
	char *after = mmap(spot + 4 * PAGE_SIZE, PAGE_SIZE, RW,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	char *neighbour = mmap(spot + 3 * PAGE_SIZE, PAGE_SIZE, RW, MAP_SHARED | MAP_FIXED, fd,
			       3 * PAGE_SIZE);
	CHECK(after != MAP_FAILED && neighbour != MAP_FAILED, "the neighbours (%s)",
	      err_name(errno));
	/* spot: [0,2) shared file, [2] hole, [3] shared file, [4] private anon, [5] hole */
	CHECK_EINVAL("a range running into a hole", ADDR(spot + PAGE_SIZE), 2 * PAGE_SIZE, 0, 0, 0);
	CHECK_EINVAL("a range starting in a hole", ADDR(spot + 2 * PAGE_SIZE), 2 * PAGE_SIZE, 0, 3,
		     0);
	CHECK_EINVAL("a range running into private memory", ADDR(spot + 3 * PAGE_SIZE),
		     2 * PAGE_SIZE, 0, 3, 0);
	CHECK_EINVAL("a range past the window's end, into a hole", ADDR(win + (WIN_PAGES - 1) * PAGE_SIZE),
		     8 * PAGE_SIZE, 0, 0, 0);

	say("mappings that are not MAP_SHARED of a writable file");
	char *priv = map_file(2 * PAGE_SIZE, RW, MAP_PRIVATE, fd, 0);
	CHECK_EINVAL("a MAP_PRIVATE file mapping", ADDR(priv), PAGE_SIZE, 0, 1, 0);
	CHECK_EINVAL("a MAP_PRIVATE file mapping, MAP_NONBLOCK", ADDR(priv), PAGE_SIZE, 0, 1,
		     MAP_NONBLOCK);
	CHECK_FILE_BYTES("the private mapping after the refusal", priv, 2 * PAGE_SIZE, SEED, 0);
	char *anon = map_anon(2 * PAGE_SIZE, RW);
	CHECK_EINVAL("private anonymous memory", ADDR(anon), PAGE_SIZE, 0, 1, 0);
	CHECK_EINVAL("private anonymous memory, pgoff 0", ADDR(anon), PAGE_SIZE, 0, 0, 0);
	char *ro = map_file(2 * PAGE_SIZE, PROT_READ, MAP_SHARED, rdonly, 0);
	CHECK_EINVAL("MAP_SHARED of an O_RDONLY descriptor", ADDR(ro), PAGE_SIZE, 0, 1, 0);
	CHECK_FILE_BYTES("the read-only mapping after the refusal", ro, 2 * PAGE_SIZE, SEED, 0);

	say("pgoff + size wrapping");
	if (is_64bit_kernel()) {
		say("a 64-bit kernel: the i386 pgoff does not wrap there; checked on 32-bit "
		    "kernels");
	} else {
		CHECK_EINVAL("pgoff 0xFFFFFFFF, one page", ADDR(win), PAGE_SIZE, 0, WRAP_PGOFF, 0);
		CHECK_EINVAL("pgoff 0xFFFFFFFF, two pages", ADDR(win), 2 * PAGE_SIZE, 0, WRAP_PGOFF,
			     MAP_NONBLOCK);
		CHECK_EINVAL("pgoff 0xFFFFFFFE, two pages", ADDR(win), 2 * PAGE_SIZE, 0,
			     WRAP_PGOFF - 1, 0);
		CHECK_EINVAL("pgoff 0xFFFFFFFC, the whole window", ADDR(win), WIN_BYTES, 0,
			     WRAP_PGOFF - 3, 0);
	}

	say("nothing changed");
	check_window("after the refusals", win, WIN_PAGES, shows, fd, SEED);

	say("an unaligned start and size are rounded down");
	CHECK_EQ("remap_file_pages(window + 100, one page, pgoff 12)", 0,
		 sys_remap_file_pages(ADDR(win) + 100, PAGE_SIZE, 0, 12, 0));
	shows[0] = 12;
	CHECK_EQ("remap_file_pages(page 4 + 4095, 2 pages + 4095, pgoff 13)", 0,
		 sys_remap_file_pages(ADDR(win) + 4 * PAGE_SIZE + PAGE_SIZE - 1,
				      3 * PAGE_SIZE - 1, 0, 13, MAP_NONBLOCK));
	shows[4] = 13;
	shows[5] = 14;
	check_window("after the rounded calls", win, WIN_PAGES, shows, fd, SEED);

	CHECK_SYS(munmap(spot, 6 * PAGE_SIZE));
	CHECK_SYS(munmap(priv, 2 * PAGE_SIZE));
	CHECK_SYS(munmap(anon, 2 * PAGE_SIZE));
	CHECK_SYS(munmap(ro, 2 * PAGE_SIZE));
	CHECK_SYS(munmap(win, WIN_BYTES));
	if (running_on_anvil())
		check_rmap_consistent("at the end");
	close(rdonly);
	close(fd);
	CHECK_SYS(unlink(path));
	say("remap_file_pages refused and rounded as Linux does");
	return 0;
}
