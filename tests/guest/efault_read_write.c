/*
 * efault_read_write — read, write, readv and writev given bad buffers:
 *   NULL, the kernel address 0xC0000000, an unmapped page, a PROT_NONE page,
 *   and a range that wraps past 0xFFFFFFFF
 * must fail with exactly EFAULT, leave the file offset where it was and (for
 * writes) the file unchanged. A bad iovec array, or an iovec whose base is
 * bad, also gives EFAULT.
 *
 * A buffer that starts in a valid page and runs into an unmapped one is the
 * one case where Linux may legitimately return either EFAULT or a short count
 * (it copies what fits, then stops); the test accepts exactly those two
 * outcomes and checks the bytes that were transferred.
 */
#define TEST_NAME "efault_read_write"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define FILE_SIZE      (4 * PAGE_SIZE)
#define FILE_SEED      0xF00D
#define IO_LEN         256
#define START_OFFSET   1000

struct bad_buffer {
	const char *name;
	void *addr;
};

static struct bad_buffer bad_buffers[5];
static int file_fd;

/* setup_bad_buffers - one entry per kind of bad pointer. */
static void
setup_bad_buffers(void)
{
	bad_buffers[0] = (struct bad_buffer){ "NULL", NULL };
	bad_buffers[1] = (struct bad_buffer){ "kernel address", (void *)KERNEL_BASE_ADDR };
	bad_buffers[2] = (struct bad_buffer){ "unmapped page", unmapped_page() };
	bad_buffers[3] = (struct bad_buffer){ "PROT_NONE page", map_anon(PAGE_SIZE, PROT_NONE) };
	bad_buffers[4] = (struct bad_buffer){ "wrapping range", (void *)WRAPPING_ADDR };
}

#define BAD_BUFFER_COUNT ((int)(sizeof(bad_buffers) / sizeof(bad_buffers[0])))

/* check_unchanged - offset and size of the test file are as before. */
static void
check_unchanged(const char *what)
{
	struct stat st;
	char msg[96];

	snprintf(msg, sizeof(msg), "%s: file offset", what);
	CHECK_EQ(msg, START_OFFSET, lseek(file_fd, 0, SEEK_CUR));
	CHECK_OK(fstat(file_fd, &st));
	snprintf(msg, sizeof(msg), "%s: file size", what);
	CHECK_EQ(msg, FILE_SIZE, st.st_size);
}

/* check_one_bad_buffer - every call with this buffer gives EFAULT. */
static void
check_one_bad_buffer(const struct bad_buffer *bad)
{
	struct iovec iov = { bad->addr, IO_LEN };

	say("buffer: %s (%p)", bad->name, bad->addr);
	CHECK_ERRNO(read(file_fd, bad->addr, IO_LEN), EFAULT);
	check_unchanged("read");
	CHECK_ERRNO(write(file_fd, bad->addr, IO_LEN), EFAULT);
	check_unchanged("write");
	CHECK_ERRNO(readv(file_fd, &iov, 1), EFAULT);
	check_unchanged("readv");
	CHECK_ERRNO(writev(file_fd, &iov, 1), EFAULT);
	check_unchanged("writev");
	CHECK_ERRNO(readv(file_fd, (struct iovec *)bad->addr, 1), EFAULT);
	CHECK_ERRNO(writev(file_fd, (struct iovec *)bad->addr, 1), EFAULT);
	check_unchanged("bad iovec array");
}

/* check_straddling_read - EFAULT, or exactly the bytes that fit. */
static void
check_straddling_read(void)
{
	char *page = page_before_hole();
	char *start = page + PAGE_SIZE - IO_LEN / 2;

	say("read into a buffer running off its page");
	errno = 0;
	long n = read(file_fd, start, IO_LEN);
	if (n == -1) {
		CHECK_EQ("straddling read errno", EFAULT, errno);
		check_unchanged("straddling read");
		return;
	}
	CHECK_EQ("straddling read: short count", IO_LEN / 2, n);
	for (int i = 0; i < IO_LEN / 2; i++)
		CHECK_EQ("straddling read data", pattern_byte(FILE_SEED, START_OFFSET + i),
			 (uint8_t)start[i]);
	CHECK_OK(lseek(file_fd, START_OFFSET, SEEK_SET));
}

/* check_straddling_write - EFAULT with the file unchanged, or the prefix. */
static void
check_straddling_write(void)
{
	char *page = page_before_hole();
	char *start = page + PAGE_SIZE - IO_LEN / 2;
	uint8_t back[IO_LEN / 2];

	say("write from a buffer running off its page");
	memset(start, 0x77, IO_LEN / 2);
	errno = 0;
	long n = write(file_fd, start, IO_LEN);
	if (n == -1) {
		CHECK_EQ("straddling write errno", EFAULT, errno);
		check_unchanged("straddling write");
		return;
	}
	CHECK_EQ("straddling write: short count", IO_LEN / 2, n);
	CHECK_OK(lseek(file_fd, START_OFFSET, SEEK_SET));
	CHECK_EQ("read back", IO_LEN / 2, read(file_fd, back, IO_LEN / 2));
	for (int i = 0; i < IO_LEN / 2; i++)
		CHECK_EQ("straddling write data", 0x77, back[i]);
	CHECK_OK(lseek(file_fd, START_OFFSET, SEEK_SET));
}

int
main(void)
{
	char path[128];
	char *data = map_anon(FILE_SIZE, PROT_READ | PROT_WRITE);

	pattern_fill(data, FILE_SIZE, FILE_SEED);
	file_fd = CHECK_OK(open(tmp_path(path, sizeof(path), "file"), O_CREAT | O_TRUNC | O_RDWR, 0644));
	CHECK_EQ("write test file", FILE_SIZE, write(file_fd, data, FILE_SIZE));
	CHECK_OK(lseek(file_fd, START_OFFSET, SEEK_SET));

	setup_bad_buffers();
	for (int i = 0; i < BAD_BUFFER_COUNT; i++)
		check_one_bad_buffer(&bad_buffers[i]);
	check_straddling_read();
	check_straddling_write();

	close(file_fd);
	unlink(path);
	say("bad buffers gave EFAULT and changed nothing");
	return 0;
}
