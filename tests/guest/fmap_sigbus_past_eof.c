/*
 * fmap_sigbus_past_eof — a file mapping longer than the file: touching a
 * page wholly past the end of the file is SIGBUS with si_code BUS_ADRERR
 * and si_addr the exact address touched, for reads and writes, through
 * MAP_SHARED and MAP_PRIVATE mappings alike (a private mapping does not
 * turn such a page into anonymous memory); the partial last page is fine;
 * a process with the default action is killed by SIGBUS; an empty file's
 * mapping faults on its first page; once the file grows (write()), the
 * same pages work and show its data.
 */
#define TEST_NAME "fmap_sigbus_past_eof"
#include "guest.h"
#include "file_test.h"

#define SEED  0xB055
#define SIZE  (PAGE_SIZE + 100)                 /* two pages of file */
#define PAGES 5
#define LEN   (PAGES * PAGE_SIZE)
#define INNER 123                               /* an offset inside a page */

static volatile char *doomed;

static void
touch_doomed(void *unused)
{
	signal(SIGBUS, SIG_DFL);
	(void)*doomed;
}

static void
check_mapping(const char *kind, char *m)
{
	say("%s: reads and writes past the end", kind);
	CHECK_FILE_BYTES("the file's bytes", m, SIZE, SEED, 0);
	CHECK_ZERO("the partial page past the end", m + SIZE, 2 * PAGE_SIZE - SIZE);
	for (int page = 2; page < PAGES; page++) {
		char *a = m + page * PAGE_SIZE + INNER;
		check_bus("a read past the end", try_read(a), BUS_ADRERR, a);
		check_bus("a write past the end", try_write(a, 1), BUS_ADRERR, a);
		check_bus("a read of the page's first byte", try_read(a - INNER), BUS_ADRERR,
			  a - INNER);
	}
	doomed = m + 3 * PAGE_SIZE;
	check_killed_by("a child touching past the end", run_in_child(touch_doomed, NULL), SIGBUS);
}

int
main(void)
{
	char path[160], empty_path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), SIZE, SEED);
	int empty = CHECK_SYS(open(file_path(empty_path, sizeof(empty_path), "empty"),
				   O_CREAT | O_TRUNC | O_RDWR, 0644));
	char *s, *p, *e;

	catch_faults();
	s = map_file(LEN, RW, MAP_SHARED, fd, 0);
	p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	check_mapping("MAP_SHARED", s);
	check_mapping("MAP_PRIVATE", p);

	say("an empty file");
	e = map_file(PAGE_SIZE, PROT_READ, MAP_PRIVATE, empty, 0);
	check_bus("the first page of an empty file", try_read(e + INNER), BUS_ADRERR, e + INNER);

	say("after the file grows, the pages work");
	write_at(fd, 0, 4 * PAGE_SIZE, SEED + 1);
	CHECK_FILE_BYTES("shared, after growing", s, 4 * PAGE_SIZE, SEED + 1, 0);
	CHECK_FILE_BYTES("private, after growing", p, 4 * PAGE_SIZE, SEED + 1, 0);
	check_bus("shared, the page still past the end", try_read(s + 4 * PAGE_SIZE), BUS_ADRERR,
		  s + 4 * PAGE_SIZE);
	check_bus("private, the page still past the end", try_write(p + 4 * PAGE_SIZE, 1),
		  BUS_ADRERR, p + 4 * PAGE_SIZE);
	write_at(empty, 0, 10, SEED);
	CHECK_FILE_BYTES("the once-empty file", e, 10, SEED, 0);
	CHECK_FILE_CONTENT("the file was not written by the faults", fd, 0, 4 * PAGE_SIZE, SEED + 1);
	CHECK_SYS(munmap(s, LEN));
	CHECK_SYS(munmap(p, LEN));
	CHECK_SYS(munmap(e, PAGE_SIZE));
	close(fd);
	close(empty);
	CHECK_SYS(unlink(path));
	CHECK_SYS(unlink(empty_path));
	say("pages past the end of the file were SIGBUS");
	return 0;
}
