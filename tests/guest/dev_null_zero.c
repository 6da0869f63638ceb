/*
 * dev_null_zero — the two simplest devices:
 *   /dev/null: write accepts everything (returns the full count), read
 *              returns 0 at once; it is a character device;
 *   /dev/zero: read fills the whole buffer with zeros (over old contents,
 *              also a multi-page buffer), write accepts everything; a
 *              character device too.
 */
#define TEST_NAME "dev_null_zero"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>

#define BIG            (3 * PAGE_SIZE + 5)
#define POISON         0xA5

static char buffer[BIG];

/* check_char_device - stat(path) says character device. */
static void
check_char_device(const char *path)
{
	struct stat st;

	CHECK_OK(stat(path, &st));
	CHECK(S_ISCHR(st.st_mode), "%s is not a character device (mode %o)", path, st.st_mode);
}

/* check_null - /dev/null swallows writes and reads as empty. */
static void
check_null(void)
{
	int fd = CHECK_OK(open("/dev/null", O_RDWR));

	memset(buffer, POISON, BIG);
	CHECK_EQ("write to /dev/null", BIG, write(fd, buffer, BIG));
	CHECK_EQ("read from /dev/null", 0, read(fd, buffer, BIG));
	CHECK_EQ("buffer untouched by the empty read", POISON, (uint8_t)buffer[0]);
	close(fd);
	check_char_device("/dev/null");
}

/* check_zero - /dev/zero reads as zeros, exactly as many as asked, and swallows writes. */
static void
check_zero(void)
{
	int fd = CHECK_OK(open("/dev/zero", O_RDWR));

	memset(buffer, POISON, BIG);
	CHECK_EQ("read from /dev/zero", BIG, read(fd, buffer, BIG));
	CHECK_ZERO("/dev/zero data", buffer, BIG);
	memset(buffer, POISON, BIG);
	CHECK_EQ("small read from /dev/zero", 1, read(fd, buffer + 1, 1));
	CHECK_EQ("byte read", 0, buffer[1]);
	CHECK_EQ("byte before it untouched", POISON, (uint8_t)buffer[0]);
	CHECK_EQ("byte after it untouched", POISON, (uint8_t)buffer[2]);
	CHECK_EQ("write to /dev/zero", BIG, write(fd, buffer, BIG));
	close(fd);
	check_char_device("/dev/zero");
}

int
main(void)
{
	say("/dev/null");
	check_null();
	say("/dev/zero");
	check_zero();
	say("both devices behaved");
	return 0;
}
