/*
 * fmap_truncate_sigbus — truncate unmaps, as Linux's truncate does:
 * after ftruncate shrinks a mapped file,
 *   - in a MAP_SHARED mapping the pages past the new end are SIGBUS
 *     (BUS_ADRERR at the exact address), in this process and in a forked
 *     child that shares the mapping;
 *   - in a MAP_PRIVATE mapping too, for pages only read AND for pages this
 *     process had written (its private copies are thrown away);
 *   - the pages below the new end keep their data (the private copies
 *     there too);
 *   - the cut inside a page zeroes the rest of that page (shared view);
 *   - growing the file again gives zeros in every mapping, never the old
 *     bytes (shared stores or private copies);
 *   - truncate by name does the same.
 */
#define TEST_NAME "fmap_truncate_sigbus"
#include "guest.h"
#include "file_test.h"

#define SEED  0x7B05
#define PAGES 8
#define LEN   (PAGES * PAGE_SIZE)
#define CUT   (3 * PAGE_SIZE + 200)             /* the new size, mid page 3 */
#define INNER 300

static char *s, *p;
static int to_child[2], to_parent[2];

static void
child_checks(void *unused)
{
	catch_faults();
	wait_token(to_child[0]);                /* the parent has truncated */
	char *a = s + 5 * PAGE_SIZE + INNER;
	check_bus("child: shared page past the new end", try_read(a), BUS_ADRERR, a);
	CHECK_FILE_BYTES("child: shared page below the new end", s, 3 * PAGE_SIZE, SEED, 0);
	send_token(to_parent[1]);
}

int
main(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);

	catch_faults();
	s = map_file(LEN, RW, MAP_SHARED, fd, 0);
	p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	fill_at(s + 6 * PAGE_SIZE, PAGE_SIZE, SEED + 1, 6 * PAGE_SIZE);         /* shared store */
	fill_at(p + PAGE_SIZE, PAGE_SIZE, SEED + 2, PAGE_SIZE);                 /* private, kept */
	fill_at(p + 5 * PAGE_SIZE, PAGE_SIZE, SEED + 2, 5 * PAGE_SIZE);         /* private, cut */
	CHECK_FILE_BYTES("private: a page only read", p + 4 * PAGE_SIZE, PAGE_SIZE, SEED,
			 4 * PAGE_SIZE);
	CHECK_SYS(pipe(to_child));
	CHECK_SYS(pipe(to_parent));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		child_checks(NULL);
		_exit(0);
	}

	say("ftruncate to %d bytes", CUT);
	CHECK_SYS(ftruncate(fd, CUT));
	send_token(to_child[1]);
	wait_token(to_parent[0]);
	check_exited("child", wait_for(pid), 0);
	for (int page = 4; page < PAGES; page++) {
		char *a = s + page * PAGE_SIZE + INNER, *b = p + page * PAGE_SIZE + INNER;
		check_bus("shared: a page past the new end", try_read(a), BUS_ADRERR, a);
		check_bus("shared: a write past the new end", try_write(a, 1), BUS_ADRERR, a);
		check_bus("private: a page past the new end", try_read(b), BUS_ADRERR, b);
	}
	check_bus("private: a page written before the truncate", try_read(p + 5 * PAGE_SIZE),
		  BUS_ADRERR, p + 5 * PAGE_SIZE);
	CHECK_FILE_BYTES("shared: below the new end", s, CUT, SEED, 0);
	CHECK_ZERO("shared: the rest of the cut page", s + CUT, 4 * PAGE_SIZE - CUT);
	CHECK_FILE_BYTES("private: page 0", p, PAGE_SIZE, SEED, 0);
	CHECK_FILE_BYTES("private: the copy below the new end", p + PAGE_SIZE, PAGE_SIZE, SEED + 2,
			 PAGE_SIZE);

	say("grow again: zeros everywhere past the cut");
	CHECK_SYS(ftruncate(fd, LEN));
	CHECK_ZERO("shared: the regrown pages", s + CUT, LEN - CUT);
	CHECK_ZERO("private: the regrown pages (old copies gone)", p + 4 * PAGE_SIZE,
		   LEN - 4 * PAGE_SIZE);
	CHECK_FILE_ZERO("the regrown file", fd, CUT, LEN - CUT);
	CHECK_FILE_BYTES("private: the copy below the cut", p + PAGE_SIZE, PAGE_SIZE, SEED + 2,
			 PAGE_SIZE);

	say("truncate by name");
	fill_at(s + 2 * PAGE_SIZE, 2 * PAGE_SIZE, SEED + 3, 2 * PAGE_SIZE);
	CHECK_SYS(truncate(path, 2 * PAGE_SIZE));
	check_bus("shared: after truncate by name", try_read(s + 2 * PAGE_SIZE), BUS_ADRERR,
		  s + 2 * PAGE_SIZE);
	check_bus("private: after truncate by name", try_read(p + 3 * PAGE_SIZE), BUS_ADRERR,
		  p + 3 * PAGE_SIZE);
	CHECK_SYS(truncate(path, LEN));
	CHECK_ZERO("shared: regrown after truncate by name", s + 2 * PAGE_SIZE, LEN - 2 * PAGE_SIZE);
	CHECK_SYS(munmap(s, LEN));
	CHECK_SYS(munmap(p, LEN));
	close(fd);
	CHECK_SYS(unlink(path));
	say("truncate unmapped every page past the new end");
	return 0;
}
