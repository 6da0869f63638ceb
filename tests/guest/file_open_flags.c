/*
 * file_open_flags — open() flags and errors on files in /tmp:
 *   O_CREAT makes an empty file; O_CREAT|O_EXCL on an existing one is EEXIST;
 *   O_TRUNC (and creat) empties it; O_APPEND writes always land at the end, even after
 *   an lseek to the start; open of a missing file is ENOENT; a regular file
 *   used as a directory is ENOTDIR (also with O_DIRECTORY); a directory
 *   opened for writing is EISDIR; read on an O_WRONLY fd, write on an
 *   O_RDONLY fd and any use of a closed fd are EBADF.
 */
#define TEST_NAME "file_open_flags"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>

#define FIRST          "first-line\n"
#define SECOND         "second\n"
#define CLOSED_FD      1000                    /* never opened */

static char path[128];

/* file_size - st_size of path. */
static long
file_size(const char *name)
{
	struct stat st;

	CHECK_OK(stat(name, &st));
	return (long)st.st_size;
}

/* check_create_excl_trunc - O_CREAT, O_EXCL and O_TRUNC on the test file. */
static void
check_create_excl_trunc(void)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_EXCL | O_WRONLY, 0644));

	CHECK_EQ("size of a new file", 0, file_size(path));
	CHECK_EQ("write", (long)strlen(FIRST), write(fd, FIRST, strlen(FIRST)));
	close(fd);
	CHECK_ERRNO(open(path, O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	fd = CHECK_OK(open(path, O_CREAT | O_WRONLY, 0644));   /* no O_EXCL: fine */
	close(fd);
	CHECK_EQ("size kept without O_TRUNC", (long)strlen(FIRST), file_size(path));
	fd = CHECK_OK(open(path, O_WRONLY | O_TRUNC));
	CHECK_EQ("size after O_TRUNC", 0, file_size(path));
	CHECK_EQ("write again", (long)strlen(FIRST), write(fd, FIRST, strlen(FIRST)));
	close(fd);
	fd = CHECK_OK(creat(path, 0644));
	CHECK_EQ("size after creat of an existing file", 0, file_size(path));
	CHECK_EQ("creat opens for writing", (long)strlen(FIRST), write(fd, FIRST, strlen(FIRST)));
	close(fd);
	fd = CHECK_OK(open(path, O_WRONLY | O_TRUNC));
	close(fd);
}

/* check_append - O_APPEND writes land at the end whatever the offset. */
static void
check_append(void)
{
	char back[64];
	size_t total = strlen(FIRST) + strlen(SECOND);
	int fd = CHECK_OK(open(path, O_WRONLY | O_APPEND));

	CHECK_EQ("first append", (long)strlen(FIRST), write(fd, FIRST, strlen(FIRST)));
	CHECK_EQ("lseek to start", 0, lseek(fd, 0, SEEK_SET));
	CHECK_EQ("second append", (long)strlen(SECOND), write(fd, SECOND, strlen(SECOND)));
	CHECK_EQ("offset after append", (long)total, lseek(fd, 0, SEEK_CUR));
	close(fd);

	fd = CHECK_OK(open(path, O_RDONLY));
	CHECK_EQ("read back", (long)total, read(fd, back, sizeof(back)));
	CHECK(memcmp(back, FIRST SECOND, total) == 0, "O_APPEND data out of order");
	close(fd);
}

/* check_path_errors - ENOENT, ENOTDIR and EISDIR from open. */
static void
check_path_errors(void)
{
	char missing[160], through_file[160];

	snprintf(missing, sizeof(missing), "%s-missing", path);
	CHECK_ERRNO(open(missing, O_RDONLY), ENOENT);
	CHECK_ERRNO(open(missing, O_WRONLY), ENOENT);
	snprintf(through_file, sizeof(through_file), "%s/x", path);
	CHECK_ERRNO(open(through_file, O_RDONLY), ENOTDIR);
	CHECK_ERRNO(open(through_file, O_CREAT | O_WRONLY, 0644), ENOTDIR);
	CHECK_ERRNO(open(path, O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERRNO(open("/tmp", O_WRONLY), EISDIR);
	CHECK_ERRNO(open("/tmp", O_RDWR), EISDIR);
	int fd = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	close(fd);
}

/* check_ebadf - wrong access mode and closed fds are EBADF. */
static void
check_ebadf(void)
{
	char byte = 'b';
	int wronly = CHECK_OK(open(path, O_WRONLY));
	int rdonly = CHECK_OK(open(path, O_RDONLY));

	CHECK_ERRNO(read(wronly, &byte, 1), EBADF);
	CHECK_ERRNO(write(rdonly, &byte, 1), EBADF);
	close(wronly);
	CHECK_ERRNO(write(wronly, &byte, 1), EBADF);
	CHECK_ERRNO(close(wronly), EBADF);
	CHECK_ERRNO(read(CLOSED_FD, &byte, 1), EBADF);
	CHECK_ERRNO(lseek(CLOSED_FD, 0, SEEK_SET), EBADF);
	CHECK_ERRNO(read(-1, &byte, 1), EBADF);
	close(rdonly);
}

int
main(void)
{
	tmp_path(path, sizeof(path), "file");
	say("O_CREAT, O_EXCL, O_TRUNC");
	check_create_excl_trunc();
	say("O_APPEND");
	check_append();
	say("ENOENT, ENOTDIR, EISDIR");
	check_path_errors();
	say("EBADF");
	check_ebadf();
	CHECK_OK(unlink(path));
	say("open flags and errors as on Linux");
	return 0;
}
