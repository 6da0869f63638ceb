/*
 * file_truncate_shrink_grow — truncate and ftruncate: shrinking cuts the
 * data (reads stop at the new size, in the middle of a page and of a block
 * too); growing again reads zeros where the old data was, never the old
 * bytes, in the partial page as well; growing a file by truncate is a hole
 * (fewer blocks than the size); the file offset is not moved; errors:
 * a negative length is EINVAL, ftruncate of a descriptor not open for
 * writing is EINVAL, of a pipe EINVAL, truncate of a directory EISDIR, of a
 * missing name ENOENT.
 */
#define TEST_NAME "file_truncate_shrink_grow"
#include "guest.h"
#include "file_test.h"

#define SEED      0x7C47
#define LEN       (10 * PAGE_SIZE + 300)
#define CUT       (3 * PAGE_SIZE + 1000)         /* mid-page, mid-block */
#define REGROW    (12 * PAGE_SIZE)
#define BIG_GROW  (16 * MiB)

int
main(void)
{
	char path[160], dir[160];
	struct stat st;
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED), p[2], rdonly;

	say("ftruncate shrinks to the middle of a page");
	CHECK_EQ("offset at the end", LEN, lseek(fd, 0, SEEK_END));
	CHECK_SYS(ftruncate(fd, CUT));
	CHECK_EQ("size after shrinking", CUT, file_size(fd));
	CHECK_EQ("offset not moved", LEN, lseek(fd, 0, SEEK_CUR));
	CHECK_FILE_CONTENT("kept data", fd, 0, CUT, SEED);
	char c;
	CHECK_EQ("pread at the new end", 0, pread(fd, &c, 1, CUT));

	say("ftruncate grows: zeros, never the old bytes");
	CHECK_SYS(ftruncate(fd, REGROW));
	CHECK_EQ("size after growing", REGROW, file_size(fd));
	CHECK_FILE_CONTENT("kept data", fd, 0, CUT, SEED);
	CHECK_FILE_ZERO("regrown part", fd, CUT, REGROW - CUT);

	say("truncate by name, shrink to a block boundary and to 0");
	CHECK_SYS(truncate(path, 2 * PAGE_SIZE));
	CHECK_EQ("size", 2 * PAGE_SIZE, file_size(fd));
	CHECK_FILE_CONTENT("kept data", fd, 0, 2 * PAGE_SIZE, SEED);
	CHECK_SYS(truncate(path, 0));
	CHECK_EQ("size 0", 0, file_size(fd));
	CHECK_SYS(truncate(path, LEN));
	CHECK_FILE_ZERO("regrown from 0", fd, 0, LEN);

	say("growing by truncate makes a hole");
	CHECK_SYS(ftruncate(fd, BIG_GROW));
	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("size", BIG_GROW, st.st_size);
	CHECK(st.st_blocks * 512LL < BIG_GROW / 4, "st_blocks after growing by truncate "
	      "(expected far below %d sectors, got %lld)", BIG_GROW / 512, (long long)st.st_blocks);
	CHECK_FILE_ZERO("the tail of the hole", fd, BIG_GROW - PAGE_SIZE, PAGE_SIZE);

	say("a write after the shrink lands where it says");
	CHECK_SYS(ftruncate(fd, 0));
	write_at(fd, PAGE_SIZE, 100, SEED);
	CHECK_EQ("size", PAGE_SIZE + 100, file_size(fd));
	CHECK_FILE_ZERO("hole before the write", fd, 0, PAGE_SIZE);
	CHECK_FILE_CONTENT("the write", fd, PAGE_SIZE, 100, SEED);

	say("errors");
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_ERR(truncate(path, -1), EINVAL);
	rdonly = open_file(path, O_RDONLY);
	CHECK_ERR(ftruncate(rdonly, 0), EINVAL);
	close(rdonly);
	CHECK_SYS(pipe(p));
	CHECK_ERR(ftruncate(p[1], 0), EINVAL);
	close(p[0]);
	close(p[1]);
	CHECK_ERR(truncate(tmp_dir(), 0), EISDIR);
	file_path(dir, sizeof(dir), "missing");
	CHECK_ERR(truncate(dir, 0), ENOENT);
	CHECK_EQ("size after the errors", PAGE_SIZE + 100, file_size(fd));
	close(fd);
	CHECK_SYS(unlink(path));
	say("truncate shrank and grew as on Linux");
	return 0;
}
