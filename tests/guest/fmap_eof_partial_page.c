/*
 * fmap_eof_partial_page — the last, partial page of a file mapping:
 *   - the bytes past the end of the file read as zeros (shared and
 *     private mappings);
 *   - stores there (shared mapping) never reach the file: its size does not
 *     change, read() stops at the end, and after msync(MS_SYNC), munmap and
 *     a fresh mapping the bytes past the end read zero again;
 *   - growing the file afterwards (ftruncate, or a write() further on)
 *     shows zeros there, never the stored bytes (the write() case is
 *     checked without an msync in between: current Linux zeroes the old
 *     last page's tail when the size grows; kernels before about 6.12
 *     could show the stores there, which POSIX does not allow);
 *   - the bytes before the end are the file's, and a store to them does
 *     reach the file.
 * The fresh-mapping and growing checks hold on a disk file system (ext2,
 * ext4: writing the page back zeroes its part past the end); tmpfs keeps
 * the page in memory as it is, so with $TMPDIR on tmpfs they are skipped,
 * and the test says so.
 */
#define TEST_NAME "fmap_eof_partial_page"
#include "guest.h"
#include "file_test.h"
#include <sys/vfs.h>

#define TMPFS_MAGIC 0x01021994

#define SEED    0xE0F0
#define SIZE    (2 * PAGE_SIZE + 1000)      /* the last page holds 1000 bytes */
#define TAIL    (PAGE_SIZE - 1000)
#define LAST    (2 * PAGE_SIZE)             /* file offset of the last page */
#define JUNK    0xA5

/* on_tmpfs - fd's file system is tmpfs (an error, as on a kernel without
 * fstatfs, counts as no). */
static int
on_tmpfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC;
}

int
main(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), SIZE, SEED);
	char *s, *p;
	char buf[PAGE_SIZE];

	say("past the end of the file, the last page reads zeros");
	s = map_file(3 * PAGE_SIZE, RW, MAP_SHARED, fd, 0);
	p = map_file(3 * PAGE_SIZE, RW, MAP_PRIVATE, fd, 0);
	CHECK_FILE_BYTES("shared: the file's bytes", s, SIZE, SEED, 0);
	CHECK_ZERO("shared: past the end", s + SIZE, TAIL);
	CHECK_FILE_BYTES("private: the file's bytes", p, SIZE, SEED, 0);
	CHECK_ZERO("private: past the end", p + SIZE, TAIL);

	say("stores past the end never reach the file");
	memset(s + SIZE, JUNK, TAIL);
	memset(p + SIZE, JUNK + 1, TAIL);
	fill_at(s + LAST, 500, SEED + 1, LAST);            /* and before the end */
	CHECK_EQ("the size after the stores", SIZE, file_size(fd));
	CHECK_EQ("read() at the end", 0, pread(fd, buf, sizeof(buf), SIZE));
	CHECK_EQ("read() of the last page", 1000, pread(fd, buf, sizeof(buf), LAST));
	CHECK_FILE_BYTES("the store before the end", buf, 500, SEED + 1, LAST);
	CHECK_FILE_BYTES("the rest of the last page", buf + 500, 500, SEED, LAST + 500);
	CHECK_SYS(msync(s, 3 * PAGE_SIZE, MS_SYNC));
	CHECK_EQ("the size after msync", SIZE, file_size(fd));
	CHECK_SYS(munmap(s, 3 * PAGE_SIZE));
	CHECK_SYS(munmap(p, 3 * PAGE_SIZE));
	if (on_tmpfs(fd)) {
		say("tmpfs: the page past the end is not written back; the rest is skipped");
		close(fd);
		CHECK_SYS(unlink(path));
		return 0;
	}
	s = map_file(3 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK_FILE_BYTES("a fresh mapping: the store before the end", s + LAST, 500, SEED + 1, LAST);
	CHECK_ZERO("a fresh mapping: past the end", s + SIZE, TAIL);
	CHECK_SYS(munmap(s, 3 * PAGE_SIZE));

	say("growing the file shows zeros past the old end");
	CHECK_SYS(ftruncate(fd, 3 * PAGE_SIZE));
	CHECK_FILE_ZERO("the grown part of the old last page", fd, SIZE, TAIL);
	s = map_file(3 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK_ZERO("the grown part through a mapping", s + SIZE, TAIL);
	CHECK_SYS(munmap(s, 3 * PAGE_SIZE));

	say("the same with a write() further on");
	CHECK_SYS(ftruncate(fd, SIZE));
	s = map_file(3 * PAGE_SIZE, RW, MAP_SHARED, fd, 0);
	memset(s + SIZE, JUNK, TAIL);
	write_at(fd, 4 * PAGE_SIZE, 10, SEED);
	CHECK_EQ("the size after the write", 4 * PAGE_SIZE + 10, file_size(fd));
	CHECK_FILE_ZERO("between the old end and the write", fd, SIZE, 4 * PAGE_SIZE - SIZE);
	CHECK_SYS(munmap(s, 3 * PAGE_SIZE));
	close(fd);
	CHECK_SYS(unlink(path));
	say("the partial last page behaved as on Linux");
	return 0;
}
