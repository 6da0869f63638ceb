/*
 * dup_fcntl_fds — duplicated descriptors:
 *   dup returns the lowest free fd, sharing the file offset with the original;
 *   dup2 onto an open fd closes it silently; dup2(fd, fd) returns fd;
 *   dup3(fd, fd, 0) is EINVAL; dup3 with O_CLOEXEC sets FD_CLOEXEC on the new
 *   fd only; bad old fds are EBADF.
 *   fcntl F_GETFD/F_SETFD toggle FD_CLOEXEC; F_DUPFD returns the lowest free
 *   fd at or above its argument; F_DUPFD_CLOEXEC sets FD_CLOEXEC; F_GETFL
 *   shows the access mode and O_APPEND; an unknown command is EINVAL.
 */
#define TEST_NAME "dup_fcntl_fds"
#include "guest.h"
#include <fcntl.h>

#define CONTENT        "0123456789"
#define CONTENT_LEN    10
#define FIRST_READ     4
#define HIGH_FD        100                     /* checked to be free (and +1, +2) */
#define CLOSED_FD      1000
#define BAD_FCNTL_CMD  0x7fff

static char path[128];

/* lowest_free_fd - what the next open() would return. */
static int
lowest_free_fd(void)
{
	int fd = CHECK_OK(open("/dev/null", O_RDONLY));

	close(fd);
	return fd;
}

/* open_content - the test file holding CONTENT, opened read-write at offset 0. */
static int
open_content(void)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644));

	CHECK_EQ("write content", CONTENT_LEN, write(fd, CONTENT, CONTENT_LEN));
	CHECK_EQ("rewind", 0, lseek(fd, 0, SEEK_SET));
	return fd;
}

/* check_dup_offset - dup's number and shared offset; closes fd. */
static void
check_dup_offset(int fd)
{
	char buf[CONTENT_LEN];
	int expected_fd = lowest_free_fd();
	int copy = CHECK_OK(dup(fd));

	CHECK_EQ("dup returns the lowest free fd", expected_fd, copy);
	CHECK_EQ("read through the original", FIRST_READ, read(fd, buf, FIRST_READ));
	CHECK_EQ("offset seen through the copy", FIRST_READ, lseek(copy, 0, SEEK_CUR));
	CHECK_EQ("read through the copy", 1, read(copy, buf, 1));
	CHECK_EQ("byte after the shared offset", CONTENT[FIRST_READ], buf[0]);
	close(fd);
	CHECK_EQ("copy works after closing the original", 1, read(copy, buf, 1));
	close(copy);
}

/* check_dup2_dup3 - dup2/dup3 numbers, errors and close-on-exec flags. */
static void
check_dup2_dup3(int fd)
{
	int other = CHECK_OK(open("/dev/null", O_RDONLY));

	CHECK_EQ("dup2 onto an open fd", other, dup2(fd, other));
	CHECK_EQ("lseek the original", 3, lseek(fd, 3, SEEK_SET));
	CHECK_EQ("dup2'd fd shares the offset", 3, lseek(other, 0, SEEK_CUR));
	CHECK_EQ("dup2(fd, fd)", fd, dup2(fd, fd));
	CHECK_ERRNO(dup3(fd, fd, 0), EINVAL);
	CHECK_ERRNO(dup2(CLOSED_FD, other), EBADF);
	CHECK_ERRNO(dup(CLOSED_FD), EBADF);

	CHECK_EQ("dup3 with O_CLOEXEC", HIGH_FD, dup3(fd, HIGH_FD, O_CLOEXEC));
	CHECK_EQ("FD_CLOEXEC on the dup3 copy", FD_CLOEXEC, fcntl(HIGH_FD, F_GETFD));
	CHECK_EQ("FD_CLOEXEC on the original", 0, fcntl(fd, F_GETFD));
	close(HIGH_FD);
	close(other);
}

/* check_fcntl - F_GETFD/F_SETFD, F_DUPFD(_CLOEXEC), F_GETFL and bad commands. */
static void
check_fcntl(int fd)
{
	CHECK_EQ("F_GETFD initially", 0, fcntl(fd, F_GETFD));
	CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	CHECK_EQ("F_GETFD after F_SETFD", FD_CLOEXEC, fcntl(fd, F_GETFD));
	CHECK_OK(fcntl(fd, F_SETFD, 0));
	CHECK_EQ("F_GETFD cleared", 0, fcntl(fd, F_GETFD));

	int high = CHECK_OK(fcntl(fd, F_DUPFD, HIGH_FD));
	CHECK_EQ("F_DUPFD lowest at or above", HIGH_FD, high);
	CHECK_EQ("F_DUPFD again", HIGH_FD + 1, fcntl(fd, F_DUPFD, HIGH_FD));
	CHECK_EQ("F_DUPFD copy is not close-on-exec", 0, fcntl(high, F_GETFD));
	int cloexec = CHECK_OK(fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD));
	CHECK_EQ("F_DUPFD_CLOEXEC number", HIGH_FD + 2, cloexec);
	CHECK_EQ("F_DUPFD_CLOEXEC flag", FD_CLOEXEC, fcntl(cloexec, F_GETFD));
	close(high);
	close(HIGH_FD + 1);
	close(cloexec);

	CHECK_EQ("F_GETFL access mode", O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	int append = CHECK_OK(open(path, O_WRONLY | O_APPEND));
	CHECK_EQ("F_GETFL access mode (O_WRONLY)", O_WRONLY, fcntl(append, F_GETFL) & O_ACCMODE);
	CHECK_EQ("F_GETFL O_APPEND", O_APPEND, fcntl(append, F_GETFL) & O_APPEND);
	close(append);
	CHECK_ERRNO(fcntl(CLOSED_FD, F_GETFD), EBADF);
	CHECK_ERRNO(fcntl(fd, BAD_FCNTL_CMD), EINVAL);
}

int
main(void)
{
	for (int i = 0; i < 3; i++)
		CHECK_ERRNO(fcntl(HIGH_FD + i, F_GETFD), EBADF);   /* precondition */
	tmp_path(path, sizeof(path), "file");
	say("dup shares the offset");
	check_dup_offset(open_content());
	say("dup2 and dup3");
	int fd = open_content();
	check_dup2_dup3(fd);
	say("fcntl F_GETFD/F_SETFD/F_DUPFD/F_GETFL");
	check_fcntl(fd);
	close(fd);
	CHECK_OK(unlink(path));
	say("descriptor duplication behaved");
	return 0;
}
