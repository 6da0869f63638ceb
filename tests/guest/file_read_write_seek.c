/*
 * file_read_write_seek — a regular file in /tmp: write, read back, and lseek
 * with SEEK_SET, SEEK_CUR and SEEK_END (each returning the new offset); a
 * read at the end returns 0; seeking past the end and writing leaves a hole
 * that reads as zeros and grows the size; lseek64 (_llseek) reaches offsets
 * beyond 4 GiB without writing; a negative offset is EINVAL and lseek on a
 * pipe is ESPIPE.
 */
#define TEST_NAME "file_read_write_seek"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>

#define DATA_SIZE      (3 * PAGE_SIZE + 123)   /* not a whole number of pages */
#define SEED           0xF11E
#define HOLE_GAP       (2 * PAGE_SIZE + 7)
#define TAIL           "tail"
#define TAIL_LEN       4
#define MIDDLE         1000
#define STEP           77
#define BEYOND_4G      0x100000010LL

static char data[DATA_SIZE], back[DATA_SIZE];

/* check_seeks - SEEK_SET/CUR/END results and reads at those offsets. */
static void
check_seeks(int fd)
{
	CHECK_EQ("SEEK_SET", MIDDLE, lseek(fd, MIDDLE, SEEK_SET));
	CHECK_EQ("SEEK_CUR forward", MIDDLE + STEP, lseek(fd, STEP, SEEK_CUR));
	CHECK_EQ("SEEK_CUR backward", MIDDLE, lseek(fd, -STEP, SEEK_CUR));
	CHECK_EQ("read at SEEK_SET offset", STEP, read(fd, back + MIDDLE, STEP));
	CHECK_PATTERN_IN("data read after SEEK_SET", back, MIDDLE, STEP, SEED);
	CHECK_EQ("offset advanced by read", MIDDLE + STEP, lseek(fd, 0, SEEK_CUR));
	CHECK_EQ("SEEK_END", DATA_SIZE, lseek(fd, 0, SEEK_END));
	CHECK_EQ("read at end of file", 0, read(fd, back, 1));
	CHECK_EQ("SEEK_END - 10", DATA_SIZE - 10, lseek(fd, -10, SEEK_END));
	CHECK_EQ("read of the last 10 bytes", 10, read(fd, back, 100));
	CHECK_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERRNO(lseek(fd, -(DATA_SIZE + 1), SEEK_END), EINVAL);
	CHECK_EQ("offset unchanged by failed lseeks", DATA_SIZE, lseek(fd, 0, SEEK_CUR));
}

/* check_hole - write past the end, the gap reads zero, size grows. */
static void
check_hole(int fd)
{
	struct stat st;
	char gap[HOLE_GAP];
	char tail[TAIL_LEN];

	CHECK_EQ("seek past end", DATA_SIZE + HOLE_GAP, lseek(fd, HOLE_GAP, SEEK_END));
	CHECK_EQ("write after the hole", TAIL_LEN, write(fd, TAIL, TAIL_LEN));
	CHECK_OK(fstat(fd, &st));
	CHECK_EQ("size with the hole", DATA_SIZE + HOLE_GAP + TAIL_LEN, st.st_size);

	memset(gap, 0xee, sizeof(gap));
	CHECK_EQ("seek to the hole", DATA_SIZE, lseek(fd, DATA_SIZE, SEEK_SET));
	CHECK_EQ("read the hole", HOLE_GAP, read(fd, gap, HOLE_GAP));
	CHECK_ZERO("hole", gap, HOLE_GAP);
	CHECK_EQ("read the tail", TAIL_LEN, read(fd, tail, TAIL_LEN));
	CHECK(memcmp(tail, TAIL, TAIL_LEN) == 0, "tail after the hole is wrong");
	CHECK_EQ("read at the new end", 0, read(fd, tail, 1));
}

/* check_large_offsets - lseek64 past 4 GiB; pipes are ESPIPE. */
static void
check_large_offsets(int fd)
{
	int p[2];

	CHECK_EQ("lseek64 beyond 4 GiB", BEYOND_4G, lseek64(fd, BEYOND_4G, SEEK_SET));
	CHECK_EQ("lseek64 SEEK_CUR there", BEYOND_4G + 1, lseek64(fd, 1, SEEK_CUR));
	CHECK_EQ("lseek64 back to the start", 0, lseek64(fd, 0, SEEK_SET));
	CHECK_OK(pipe(p));
	CHECK_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERRNO(lseek(p[1], 0, SEEK_CUR), ESPIPE);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	char path[128];
	int fd = CHECK_OK(open(tmp_path(path, sizeof(path), "file"), O_CREAT | O_TRUNC | O_RDWR, 0644));

	say("write and read %d bytes", DATA_SIZE);
	pattern_fill(data, DATA_SIZE, SEED);
	CHECK_EQ("write", DATA_SIZE, write(fd, data, DATA_SIZE));
	CHECK_EQ("offset after write", DATA_SIZE, lseek(fd, 0, SEEK_CUR));
	CHECK_EQ("rewind", 0, lseek(fd, 0, SEEK_SET));
	CHECK_EQ("read back", DATA_SIZE, read(fd, back, DATA_SIZE));
	CHECK_PATTERN("data read back", back, DATA_SIZE, SEED);

	say("lseek SET/CUR/END");
	check_seeks(fd);
	say("a hole past the end");
	check_hole(fd);
	say("64-bit offsets and unseekable fds");
	check_large_offsets(fd);
	close(fd);
	CHECK_OK(unlink(path));
	say("reads, writes and seeks agreed");
	return 0;
}
