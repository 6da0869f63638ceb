/*
 * userland/cat.c — copy each named file (or "-" for standard input) to
 * standard output in turn; with no arguments, copy standard input. A file
 * that cannot be opened or read is reported on stderr and makes the exit
 * status 1, and cat goes on with the next one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUFFER_SIZE    4096

/* write_all - all len bytes to fd; 0 on success, -1 on error. */
static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* copy_fd - copy fd to standard output until EOF; 0 on success. */
static int
copy_fd(int fd, const char *name)
{
	char buf[BUFFER_SIZE];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		if (write_all(1, buf, (size_t)n) < 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			return -1;
		}
	}
}

/* cat_file - one argument: "-" or a path. */
static int
cat_file(const char *name)
{
	if (strcmp(name, "-") == 0)
		return copy_fd(0, "standard input");
	int fd = open(name, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return -1;
	}
	int result = copy_fd(fd, name);
	close(fd);
	return result;
}

int
main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy_fd(0, "standard input") == 0 ? 0 : 1;
	for (int i = 1; i < argc; i++)
		if (cat_file(argv[i]) < 0)
			status = 1;
	return status;
}
