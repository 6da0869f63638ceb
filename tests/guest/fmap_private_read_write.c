/*
 * fmap_private_read_write — MAP_PRIVATE of a file, with Linux's semantics:
 *   - reads see the file's bytes, at the mapping's file offset too;
 *   - a write makes the page the process's own copy: the file is unchanged
 *     (read() and a second mapping show the old bytes);
 *   - a later write() to the file is NOT seen in the page this process
 *     wrote, but IS seen in the pages of the same mapping it only read
 *     or never touched (they still show the page cache);
 *   - a read-only private mapping can be made writable with mprotect and
 *     written (a private copy again);
 *   - after munmap and a new mapping, the file's bytes are back.
 */
#define TEST_NAME "fmap_private_read_write"
#include "guest.h"
#include "file_test.h"

#define SEED     0xF11E
#define NEW_SEED 0xBEEF
#define PAGES    6
#define LEN      (PAGES * PAGE_SIZE)
#define OFF_PAGES 2

int
main(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	char *p, *q;

	say("reads see the file");
	p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	CHECK_FILE_BYTES("private mapping", p, LEN, SEED, 0);
	q = map_file(2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, OFF_PAGES * PAGE_SIZE);
	CHECK_FILE_BYTES("private mapping at an offset", q, 2 * PAGE_SIZE, SEED,
			 OFF_PAGES * PAGE_SIZE);

	say("a private write stays private");
	fill_at(p + PAGE_SIZE, PAGE_SIZE, NEW_SEED, PAGE_SIZE);          /* page 1 */
	p[3 * PAGE_SIZE + 5] = (char)~p[3 * PAGE_SIZE + 5];              /* page 3, one byte */
	CHECK_FILE_BYTES("the private write", p + PAGE_SIZE, PAGE_SIZE, NEW_SEED, PAGE_SIZE);
	CHECK_FILE_CONTENT("the file after private writes", fd, 0, LEN, SEED);
	CHECK_FILE_BYTES("the other mapping after private writes", q, 2 * PAGE_SIZE, SEED,
			 OFF_PAGES * PAGE_SIZE);

	say("write() after: not seen in written pages, seen in the others");
	/* Pages 0 and 2 have been read, 4 and 5 read too, page 1 and 3 written. */
	write_at(fd, 0, LEN, NEW_SEED + 1);
	CHECK_FILE_BYTES("page 0 (read only): the new file bytes", p, PAGE_SIZE, NEW_SEED + 1, 0);
	CHECK_FILE_BYTES("page 1 (written): its own copy", p + PAGE_SIZE, PAGE_SIZE, NEW_SEED,
			 PAGE_SIZE);
	CHECK_FILE_BYTES("page 2 (read only): the new file bytes", p + 2 * PAGE_SIZE, PAGE_SIZE,
			 NEW_SEED + 1, 2 * PAGE_SIZE);
	CHECK_EQ("page 3 byte 5 (written): its own copy",
		 (uint8_t)~pattern_byte(SEED, 3 * PAGE_SIZE + 5), (uint8_t)p[3 * PAGE_SIZE + 5]);
	CHECK_FILE_BYTES("page 3 (written): the rest of its own copy", p + 3 * PAGE_SIZE, 5, SEED,
			 3 * PAGE_SIZE);
	CHECK_FILE_BYTES("pages 4-5: the new file bytes", p + 4 * PAGE_SIZE, 2 * PAGE_SIZE,
			 NEW_SEED + 1, 4 * PAGE_SIZE);
	CHECK_FILE_BYTES("the read-only mapping at an offset", q, 2 * PAGE_SIZE, NEW_SEED + 1,
			 OFF_PAGES * PAGE_SIZE);

	say("a never-touched page sees the file when first touched");
	char *r = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	write_at(fd, 5 * PAGE_SIZE, PAGE_SIZE, NEW_SEED + 2);
	CHECK_FILE_BYTES("first touch after write()", r + 5 * PAGE_SIZE, PAGE_SIZE, NEW_SEED + 2,
			 5 * PAGE_SIZE);

	say("mprotect a read-only private mapping writable, then write");
	CHECK_SYS(mprotect(q, 2 * PAGE_SIZE, RW));
	fill_at(q, 2 * PAGE_SIZE, NEW_SEED + 3, OFF_PAGES * PAGE_SIZE);
	CHECK_FILE_CONTENT("the file after writing the mprotected mapping", fd,
			   OFF_PAGES * PAGE_SIZE, 2 * PAGE_SIZE, NEW_SEED + 1);
	CHECK_FILE_BYTES("page 2 of the first mapping", p + 2 * PAGE_SIZE, PAGE_SIZE,
			 NEW_SEED + 1, 2 * PAGE_SIZE);

	say("a new mapping shows the file again");
	CHECK_SYS(munmap(p, LEN));
	CHECK_SYS(munmap(q, 2 * PAGE_SIZE));
	p = map_file(LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK_FILE_BYTES("new mapping, pages 0-4", p, 5 * PAGE_SIZE, NEW_SEED + 1, 0);
	CHECK_FILE_BYTES("new mapping, page 5", p + 5 * PAGE_SIZE, PAGE_SIZE, NEW_SEED + 2,
			 5 * PAGE_SIZE);
	CHECK_SYS(munmap(p, LEN));
	CHECK_SYS(munmap(r, LEN));
	close(fd);
	CHECK_SYS(unlink(path));
	say("private file mappings behaved as on Linux");
	return 0;
}
