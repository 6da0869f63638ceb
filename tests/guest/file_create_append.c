/*
 * file_create_append — creating, writing, reading and appending a file:
 * O_CREAT|O_EXCL makes a new empty file and refuses an existing name
 * (EEXIST); write then read gives back the pattern; O_APPEND puts every
 * write at the end of the file whatever lseek said before, and leaves the
 * offset there; two descriptors appending in turn interleave whole
 * writes; O_TRUNC empties the file; pwrite on an O_APPEND descriptor
 * appends too (Linux's documented behaviour); reading past the end
 * returns 0; a read-only descriptor refuses write (EBADF) and a write-only
 * one refuses read (EBADF).
 */
#define TEST_NAME "file_create_append"
#include "guest.h"
#include "file_test.h"

#define SEED        0xC4EA7E
#define FIRST_LEN   (2 * PAGE_SIZE + 300)
#define APPEND_LEN  777
#define ROUNDS      6

static uint8_t buf[4 * PAGE_SIZE];

static void
check_create(const char *path)
{
	struct stat st;
	int fd;

	say("O_CREAT|O_EXCL: a new empty file, then EEXIST");
	fd = CHECK_SYS(open(path, O_CREAT | O_EXCL | O_RDWR, 0640));
	CHECK_SYS(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode), "new file is not S_ISREG (mode %o)", st.st_mode);
	CHECK_EQ("permission bits (umask 0)", 0640, st.st_mode & 0777);
	CHECK_EQ("size of a new file", 0, st.st_size);
	CHECK_EQ("read of an empty file", 0, read(fd, buf, sizeof(buf)));
	CHECK_ERR(open(path, O_CREAT | O_EXCL | O_RDWR, 0640), EEXIST);
	close(fd);
}

static void
check_write_read(const char *path)
{
	int fd = open_file(path, O_RDWR);

	say("write and read back %d bytes", FIRST_LEN);
	fill_at(buf, FIRST_LEN, SEED, 0);
	CHECK_EQ("write", FIRST_LEN, write(fd, buf, FIRST_LEN));
	CHECK_EQ("offset after write", FIRST_LEN, lseek(fd, 0, SEEK_CUR));
	CHECK_EQ("size after write", FIRST_LEN, file_size(fd));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("rewind", 0, lseek(fd, 0, SEEK_SET));
	CHECK_EQ("read back", FIRST_LEN, read(fd, buf, sizeof(buf)));
	CHECK_FILE_BYTES("read back", buf, FIRST_LEN, SEED, 0);
	CHECK_EQ("read at the end", 0, read(fd, buf, 1));
	/* Overwrite the middle: the rest stays. */
	CHECK_EQ("seek to the middle", 1000, lseek(fd, 1000, SEEK_SET));
	fill_at(buf, 100, SEED + 1, 1000);
	CHECK_EQ("overwrite 100 bytes", 100, write(fd, buf, 100));
	CHECK_EQ("size after overwrite", FIRST_LEN, file_size(fd));
	CHECK_FILE_CONTENT("before the overwrite", fd, 0, 1000, SEED);
	CHECK_FILE_CONTENT("the overwrite", fd, 1000, 100, SEED + 1);
	CHECK_FILE_CONTENT("after the overwrite", fd, 1100, FIRST_LEN - 1100, SEED);
	write_at(fd, 1000, 100, SEED);                  /* back to one pattern */
	close(fd);
}

static void
check_append(const char *path)
{
	int fd = open_file(path, O_RDWR | O_APPEND), other = open_file(path, O_WRONLY | O_APPEND);
	long long end = FIRST_LEN;

	say("O_APPEND writes go to the end, whatever the offset");
	for (int i = 0; i < ROUNDS; i++) {
		int writer = i % 2 ? other : fd;
		CHECK_EQ("lseek elsewhere", 10 * i, lseek(writer, 10 * i, SEEK_SET));
		fill_at(buf, APPEND_LEN, SEED, (uint64_t)end);
		CHECK_EQ("appending write", APPEND_LEN, write(writer, buf, APPEND_LEN));
		end += APPEND_LEN;
		CHECK_EQ("offset after the append is the end", end, lseek(writer, 0, SEEK_CUR));
		CHECK_EQ("size after the append", end, file_size(fd));
	}
	CHECK_FILE_CONTENT("the appended file", fd, 0, (uint64_t)end, SEED);

	say("pwrite on an O_APPEND descriptor appends (Linux)");
	fill_at(buf, APPEND_LEN, SEED, (uint64_t)end);
	CHECK_EQ("pwrite at 0 with O_APPEND", APPEND_LEN, pwrite(fd, buf, APPEND_LEN, 0));
	end += APPEND_LEN;
	CHECK_EQ("size after pwrite", end, file_size(fd));
	CHECK_FILE_CONTENT("file after pwrite", fd, 0, (uint64_t)end, SEED);
	close(other);
	close(fd);
}

static void
check_modes(const char *path)
{
	int rdonly = open_file(path, O_RDONLY), wronly = open_file(path, O_WRONLY);

	say("access modes: EBADF for the wrong direction");
	CHECK_ERR(write(rdonly, "x", 1), EBADF);
	CHECK_ERR(read(wronly, buf, 1), EBADF);
	CHECK_ERR(pwrite(rdonly, "x", 1, 0), EBADF);
	CHECK_ERR(pread(wronly, buf, 1, 0), EBADF);
	CHECK_EQ("read through O_RDONLY", 10, read(rdonly, buf, 10));
	CHECK_FILE_BYTES("read through O_RDONLY", buf, 10, SEED, 0);
	close(rdonly);
	close(wronly);

	say("O_TRUNC empties the file");
	int fd = open_file(path, O_RDWR | O_TRUNC);
	CHECK_EQ("size after O_TRUNC", 0, file_size(fd));
	CHECK_EQ("read after O_TRUNC", 0, read(fd, buf, sizeof(buf)));
	close(fd);
}

int
main(void)
{
	char path[160];

	umask(0);
	file_path(path, sizeof(path), "f");
	unlink(path);
	check_create(path);
	check_write_read(path);
	check_append(path);
	check_modes(path);
	CHECK_SYS(unlink(path));
	say("create, write, read and append behaved as on Linux");
	return 0;
}
