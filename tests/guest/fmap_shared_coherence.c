/*
 * fmap_shared_coherence — MAP_SHARED of a file and read()/write() are one
 * copy of the data: a store through the mapping is what read() returns at
 * once (no msync), a write() is what the mapping shows at once, a pwrite
 * into the middle of a mapped page too; two shared mappings of the same
 * file (also at different file offsets, one through another descriptor
 * opened separately) see each other's stores; stores through the mapping
 * of a page the process had never touched and of a file hole work; a
 * file's data outlives munmap (a new mapping shows it).
 */
#define TEST_NAME "fmap_shared_coherence"
#include "guest.h"
#include "file_test.h"

#define SEED   0x5A5A
#define PAGES  8
#define LEN    (PAGES * PAGE_SIZE)
#define OFF    (3 * PAGE_SIZE)

int
main(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED), other;
	char *p, *q, *whole;

	p = map_file(LEN, RW, MAP_SHARED, fd, 0);
	CHECK_FILE_BYTES("shared mapping", p, LEN, SEED, 0);

	say("stores through the mapping are what read() returns");
	fill_at(p, PAGE_SIZE, SEED + 1, 0);
	fill_at(p + 2 * PAGE_SIZE + 100, 50, SEED + 1, 2 * PAGE_SIZE + 100);
	CHECK_FILE_CONTENT("page 0 via read()", fd, 0, PAGE_SIZE, SEED + 1);
	CHECK_FILE_CONTENT("page 1 via read()", fd, PAGE_SIZE, PAGE_SIZE + 100, SEED);
	CHECK_FILE_CONTENT("the 50 bytes via read()", fd, 2 * PAGE_SIZE + 100, 50, SEED + 1);
	CHECK_FILE_CONTENT("the rest via read()", fd, 2 * PAGE_SIZE + 150, LEN - 2 * PAGE_SIZE - 150,
			   SEED);

	say("write() is what the mapping shows");
	write_at(fd, PAGE_SIZE, PAGE_SIZE, SEED + 2);
	write_at(fd, 5 * PAGE_SIZE + 1000, 10, SEED + 2);
	CHECK_FILE_BYTES("page 1 after write()", p + PAGE_SIZE, PAGE_SIZE, SEED + 2, PAGE_SIZE);
	CHECK_FILE_BYTES("10 bytes after pwrite()", p + 5 * PAGE_SIZE + 1000, 10, SEED + 2,
			 5 * PAGE_SIZE + 1000);
	CHECK_FILE_BYTES("bytes around them", p + 5 * PAGE_SIZE, 1000, SEED, 5 * PAGE_SIZE);

	say("two mappings, two descriptors, different offsets");
	other = open_file(path, O_RDWR);
	q = map_file(LEN - OFF, RW, MAP_SHARED, other, OFF);
	CHECK_FILE_BYTES("second mapping, page 5 part", q + 2 * PAGE_SIZE + 1000, 10, SEED + 2,
			 5 * PAGE_SIZE + 1000);
	fill_at(q, PAGE_SIZE, SEED + 3, OFF);
	CHECK_FILE_BYTES("the first mapping sees the second's store", p + OFF, PAGE_SIZE, SEED + 3,
			 OFF);
	fill_at(p + LEN - PAGE_SIZE, PAGE_SIZE, SEED + 4, LEN - PAGE_SIZE);
	CHECK_FILE_BYTES("the second mapping sees the first's store", q + LEN - OFF - PAGE_SIZE,
			 PAGE_SIZE, SEED + 4, LEN - PAGE_SIZE);
	CHECK_FILE_CONTENT("read() sees both", other, OFF, PAGE_SIZE, SEED + 3);
	CHECK_FILE_CONTENT("read() sees both", fd, LEN - PAGE_SIZE, PAGE_SIZE, SEED + 4);

	say("a hole in the file, written through the mapping");
	CHECK_SYS(ftruncate(fd, 2 * LEN));
	whole = map_file(2 * LEN, RW, MAP_SHARED, fd, 0);
	CHECK_ZERO("the hole through the mapping", whole + LEN, LEN);
	fill_at(whole + LEN + PAGE_SIZE, PAGE_SIZE, SEED + 5, LEN + PAGE_SIZE);
	CHECK_FILE_CONTENT("the filled hole via read()", fd, LEN + PAGE_SIZE, PAGE_SIZE, SEED + 5);
	CHECK_FILE_ZERO("the rest of the hole", fd, LEN, PAGE_SIZE);
	CHECK_FILE_ZERO("the rest of the hole", fd, LEN + 2 * PAGE_SIZE, LEN - 2 * PAGE_SIZE);

	say("the data outlives munmap");
	CHECK_SYS(munmap(p, LEN));
	CHECK_SYS(munmap(q, LEN - OFF));
	CHECK_SYS(munmap(whole, 2 * LEN));
	p = map_file(2 * LEN, PROT_READ, MAP_SHARED, other, 0);
	CHECK_FILE_BYTES("page 0", p, PAGE_SIZE, SEED + 1, 0);
	CHECK_FILE_BYTES("page 1", p + PAGE_SIZE, PAGE_SIZE, SEED + 2, PAGE_SIZE);
	CHECK_FILE_BYTES("page 3", p + OFF, PAGE_SIZE, SEED + 3, OFF);
	CHECK_FILE_BYTES("page 7", p + LEN - PAGE_SIZE, PAGE_SIZE, SEED + 4, LEN - PAGE_SIZE);
	CHECK_FILE_BYTES("the filled hole", p + LEN + PAGE_SIZE, PAGE_SIZE, SEED + 5,
			 LEN + PAGE_SIZE);
	CHECK_SYS(munmap(p, 2 * LEN));
	close(other);
	close(fd);
	CHECK_SYS(unlink(path));
	say("shared mappings and read/write saw one copy of the data");
	return 0;
}
