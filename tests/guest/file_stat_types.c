/*
 * file_stat_types — stat and fstat report sizes and types: a file's st_size
 * follows its writes (0, 1, a page and a bit) and both calls agree; S_ISREG
 * for files, S_ISDIR for "/" and "/tmp" and a new directory, S_ISCHR for
 * /dev/null; st_nlink of a new file is 1; stat of a missing name is ENOENT.
 */
#define TEST_NAME "file_stat_types"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>

#define BIG_WRITE      (PAGE_SIZE + 100)

static char buffer[BIG_WRITE];

/* check_size - stat and fstat both say size. */
static void
check_size(const char *path, int fd, long size)
{
	struct stat by_path, by_fd;

	CHECK_OK(stat(path, &by_path));
	CHECK_OK(fstat(fd, &by_fd));
	CHECK_EQ("st_size by stat", size, by_path.st_size);
	CHECK_EQ("st_size by fstat", size, by_fd.st_size);
	CHECK(S_ISREG(by_path.st_mode), "regular file not S_ISREG (mode %o)", by_path.st_mode);
	CHECK_EQ("same inode by path and fd", (long)by_path.st_ino, (long)by_fd.st_ino);
	CHECK_EQ("st_nlink", 1, by_path.st_nlink);
}

/* check_type - stat(path) has the file type bits type. */
static void
check_type(const char *path, mode_t type)
{
	struct stat st;

	CHECK_OK(stat(path, &st));
	CHECK_EQ_HEX(path, type, st.st_mode & S_IFMT);
}

int
main(void)
{
	char file[128], dir[128], missing[160];
	struct stat st;

	say("sizes of a growing file");
	int fd = CHECK_OK(open(tmp_path(file, sizeof(file), "file"), O_CREAT | O_TRUNC | O_RDWR, 0644));
	check_size(file, fd, 0);
	CHECK_EQ("write 1", 1, write(fd, "x", 1));
	check_size(file, fd, 1);
	CHECK_EQ("write a page and a bit", BIG_WRITE, write(fd, buffer, BIG_WRITE));
	check_size(file, fd, 1 + BIG_WRITE);

	say("file types");
	CHECK_OK(mkdir(tmp_path(dir, sizeof(dir), "dir"), 0755));
	check_type(file, S_IFREG);
	check_type(dir, S_IFDIR);
	check_type("/", S_IFDIR);
	check_type("/tmp", S_IFDIR);
	check_type("/dev/null", S_IFCHR);
	CHECK_OK(fstat(1, &st));                   /* stdout is some open file */

	snprintf(missing, sizeof(missing), "%s-missing", file);
	CHECK_ERRNO(stat(missing, &st), ENOENT);
	close(fd);
	CHECK_OK(unlink(file));
	CHECK_OK(rmdir(dir));
	say("stat and fstat agreed on sizes and types");
	return 0;
}
