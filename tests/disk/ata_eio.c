/*
 * tests/disk/ata_eio.c — a disk that fails: the runner's disk/ata_eio check
 * attaches an image through QEMU's blkdebug driver, which fails every read
 * touching sector BAD_READ_SECTOR and every write touching BAD_WRITE_SECTOR
 * with an I/O error (rerror=report, werror=report: the IDE disk reports it
 * to the guest as ABRT). The disk is the secondary slave, beside the
 * CD-ROM the ISO boots from (so this also covers the secondary channel and
 * IRQ 15); being the only disk, it is sda. The ATA driver must end those requests with -EIO —
 * read() and write() fail with EIO — and keep serving the rest of the disk.
 * The host filled the image with pattern IMAGE_SEED; afterwards it checks
 * that the good write landed and the failed one changed nothing.
 * Keep the numbers in step with ATA_EIO_* in tools/runner.py.
 *
 * On a Linux host: `ata_eio DEV` against a dm-flakey or similar device
 * failing those sectors (as root); it is not one of the /tests.
 */
#define TEST_NAME "ata_eio"
#include "guest.h"
#include <fcntl.h>

#define SECTOR            512
#define IMAGE_SEED        31
#define WRITE_SEED        32
#define BAD_READ_SECTOR   100
#define BAD_WRITE_SECTOR  200
#define GOOD_WRITE_SECTOR 300

int
main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/sda";
	char buf[SECTOR];
	int fd = CHECK_OK(open(dev, O_RDWR));

	CHECK_ERRNO(pread(fd, buf, SECTOR, BAD_READ_SECTOR * SECTOR), EIO);
	CHECK_ERRNO(pread(fd, buf, 3, BAD_READ_SECTOR * SECTOR + 7), EIO);
	say("reads of sector %d fail with EIO", BAD_READ_SECTOR);
	CHECK_EQ("pread of sector 0 after the error", SECTOR, pread(fd, buf, SECTOR, 0));
	CHECK_PATTERN("sector 0", buf, SECTOR, IMAGE_SEED);
	pattern_fill(buf, SECTOR, WRITE_SEED);
	CHECK_ERRNO(pwrite(fd, buf, SECTOR, BAD_WRITE_SECTOR * SECTOR), EIO);
	CHECK_ERRNO(pwrite(fd, buf, 10, BAD_WRITE_SECTOR * SECTOR + 100), EIO);
	say("writes to sector %d fail with EIO", BAD_WRITE_SECTOR);
	CHECK_EQ("pwrite to a good sector after the errors", SECTOR,
		 pwrite(fd, buf, SECTOR, GOOD_WRITE_SECTOR * SECTOR));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread of the good write", SECTOR, pread(fd, buf, SECTOR, GOOD_WRITE_SECTOR * SECTOR));
	CHECK_PATTERN("the good write read back", buf, SECTOR, WRITE_SEED);
	CHECK_EQ("pread of the sector after the bad one", SECTOR,
		 pread(fd, buf, SECTOR, (BAD_READ_SECTOR + 1) * SECTOR));
	for (int i = 0; i < SECTOR; i++)
		CHECK(buf[i] == (char)pattern_byte(IMAGE_SEED, (BAD_READ_SECTOR + 1) * SECTOR + i),
		      "the sector after the bad one: byte %d", i);
	say("the disk still works after its errors");
	close(fd);
	return 0;
}
