/*
 * file_pread_pwrite — pread and pwrite use their own offset and never move
 * the file's: interleaved with read/write the offset is exactly what
 * read/write alone made it; pwrite past the end grows the file with a
 * zero gap; pread at or past the end returns 0, across it a short count;
 * a negative offset is EINVAL; a pipe is ESPIPE.
 */
#define TEST_NAME "file_pread_pwrite"
#include "guest.h"
#include "file_test.h"

#define SEED     0x9EAD
#define LEN      (3 * PAGE_SIZE)
#define FAR      (5 * PAGE_SIZE + 123)

static uint8_t buf[2 * PAGE_SIZE];

int
main(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED), p[2];

	say("pread leaves the offset alone");
	CHECK_EQ("SEEK_SET", 10, lseek(fd, 10, SEEK_SET));
	CHECK_EQ("pread 1000 at 2000", 1000, pread(fd, buf, 1000, 2000));
	CHECK_FILE_BYTES("pread", buf, 1000, SEED, 2000);
	CHECK_EQ("offset after pread", 10, lseek(fd, 0, SEEK_CUR));
	CHECK_EQ("read after pread", 20, read(fd, buf, 20));
	CHECK_FILE_BYTES("read after pread", buf, 20, SEED, 10);
	CHECK_EQ("offset after read", 30, lseek(fd, 0, SEEK_CUR));

	say("pwrite leaves the offset alone");
	fill_at(buf, 500, SEED + 1, PAGE_SIZE - 100);
	CHECK_EQ("pwrite 500 across a page boundary", 500, pwrite(fd, buf, 500, PAGE_SIZE - 100));
	CHECK_EQ("offset after pwrite", 30, lseek(fd, 0, SEEK_CUR));
	CHECK_FILE_CONTENT("before the pwrite", fd, 0, PAGE_SIZE - 100, SEED);
	CHECK_FILE_CONTENT("the pwrite", fd, PAGE_SIZE - 100, 500, SEED + 1);
	CHECK_FILE_CONTENT("after the pwrite", fd, PAGE_SIZE + 400, LEN - PAGE_SIZE - 400, SEED);
	CHECK_EQ("size unchanged", LEN, file_size(fd));
	CHECK_EQ("offset still", 30, lseek(fd, 0, SEEK_CUR));

	say("pwrite past the end grows the file, the gap reads zero");
	fill_at(buf, 200, SEED, FAR);
	CHECK_EQ("pwrite past the end", 200, pwrite(fd, buf, 200, FAR));
	CHECK_EQ("size after pwrite past the end", FAR + 200, file_size(fd));
	CHECK_FILE_ZERO("the gap", fd, LEN, FAR - LEN);
	CHECK_FILE_CONTENT("the far bytes", fd, FAR, 200, SEED);
	CHECK_EQ("offset still", 30, lseek(fd, 0, SEEK_CUR));

	say("pread at and across the end");
	CHECK_EQ("pread at the end", 0, pread(fd, buf, 10, FAR + 200));
	CHECK_EQ("pread past the end", 0, pread(fd, buf, 10, FAR + 100000));
	CHECK_EQ("pread across the end", 50, pread(fd, buf, 100, FAR + 150));
	CHECK_FILE_BYTES("pread across the end", buf, 50, SEED, FAR + 150);
	CHECK_EQ("pread of 0 bytes", 0, pread(fd, buf, 0, 0));

	say("EINVAL and ESPIPE");
	CHECK_ERR(pread(fd, buf, 10, -1), EINVAL);
	CHECK_ERR(pwrite(fd, buf, 10, -1), EINVAL);
	CHECK_SYS(pipe(p));
	CHECK_ERR(pwrite(p[1], buf, 10, 0), ESPIPE);
	CHECK_ERR(pread(p[0], buf, 10, 0), ESPIPE);
	close(p[0]);
	close(p[1]);
	CHECK_EQ("offset at the end of it all", 30, lseek(fd, 0, SEEK_CUR));
	close(fd);
	CHECK_SYS(unlink(path));
	say("pread and pwrite kept their own offsets");
	return 0;
}
