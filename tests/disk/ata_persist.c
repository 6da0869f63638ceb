/*
 * tests/disk/ata_persist.c — block special files on real (emulated) IDE
 * disks, checked from both sides: the runner's disk/ata_persist check
 * (tools/runner.py) attaches two raw images and boots init with
 * "-d /disk-tests tests=ata_persist".
 *
 * Also: both nodes are S_IFBLK with Linux's numbers, /proc/partitions lists them.
 *
 *   /dev/sda  (8:0, primary master)  READ_DISK_BYTES, which the host filled
 *             with pattern READ_SEED: read back in odd-sized pieces here;
 *   /dev/sdb  (8:16, primary slave)  a zeroed sparse image past the LBA28
 *             limit (128 GiB): the regions of write_regions[] are written at
 *             unaligned offsets and lengths (read-modify-write of partial
 *             sectors), one across sector 2^28 and one past it (LBA48
 *             commands), one at the very end (a short write, then ENOSPC).
 *
 * After QEMU exits the runner checks the image bytes: every region holds its
 * pattern and the bytes around the regions are still zero. Keep the table in
 * step with DISK_WRITES in tools/runner.py.
 *
 * On a Linux host it runs as `ata_persist READ_DEV WRITE_DEV` against two
 * loop devices of those sizes (as root); it is not one of the /tests.
 */
#define TEST_NAME "ata_persist"
#include "guest.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Linux's include/uapi/linux/fs.h */
#define BLKROGET     0x125e
#define BLKSSZGET    0x1268
#define BLKGETSIZE64 0x80081272

#define SECTOR            512
#define READ_DISK_BYTES   (4LL * MiB)
#define READ_SEED         21
#define LBA28_LIMIT_BYTES ((1LL << 28) * SECTOR)
#define WRITE_DISK_BYTES  (LBA28_LIMIT_BYTES + 64LL * MiB)
#define READ_PIECE        1000                 /* not a divisor of a sector */
#define SHORT_WRITE_LEN   100
#define SHORT_WRITE_LEFT  10                   /* bytes before the end */
#define SHORT_WRITE_SEED  17

struct region {
	long long off;
	long len;
	uint32_t seed;
};

static const struct region write_regions[] = {
	{ 1000, 5000, 11 },                                  /* both ends inside sectors */
	{ 137 * SECTOR + 510, 3, 12 },                       /* 3 bytes across a sector edge */
	{ 8LL * MiB, 1 * MiB, 13 },                            /* aligned, several bios */
	{ LBA28_LIMIT_BYTES + 4LL * MiB + 100, 4096, 14 },     /* past LBA28: EXT commands */
	{ LBA28_LIMIT_BYTES - 300, 600, 15 },                /* across sector 2^28 */
	{ WRITE_DISK_BYTES - 700, 690, 16 },                 /* near the end */
};
#define NR_REGIONS (sizeof(write_regions) / sizeof(write_regions[0]))

static void
check_node(const char *path, unsigned major, unsigned minor)
{
	struct stat st;

	CHECK_OK(stat(path, &st));
	CHECK(S_ISBLK(st.st_mode), "%s is not a block device (mode %o)", path, st.st_mode);
	CHECK_EQ("major of st_rdev", major, major(st.st_rdev));
	CHECK_EQ("minor of st_rdev", minor, minor(st.st_rdev));
	CHECK_EQ("st_size of a device node", 0, st.st_size);
}

static void
check_size(int fd, long long bytes)
{
	uint64_t size = 0;
	int ssz = 0, ro = -1;

	CHECK_OK(ioctl(fd, BLKGETSIZE64, &size));
	CHECK_EQ("BLKGETSIZE64", bytes, (long long)size);
	CHECK_OK(ioctl(fd, BLKSSZGET, &ssz));
	CHECK_EQ("BLKSSZGET", SECTOR, ssz);
	CHECK_OK(ioctl(fd, BLKROGET, &ro));
	CHECK_EQ("BLKROGET of a writable disk", 0, ro);
	CHECK_ERRNO(ioctl(fd, 0x5401 /* TCGETS */, &ro), ENOTTY);
	CHECK_EQ("lseek(0, SEEK_END)", bytes, (long long)lseek(fd, 0, SEEK_END));
	CHECK_ERRNO(lseek(fd, bytes + 1, SEEK_SET), EINVAL);
	CHECK_EQ("lseek back to 0", 0, (long long)lseek(fd, 0, SEEK_SET));
}

/* /proc/partitions lists both disks with their sizes in KiB, as Linux does. */
static void
check_partitions(void)
{
	char text[4096], want[128];
	int fd = CHECK_OK(open("/proc/partitions", O_RDONLY));
	long n = CHECK_OK(read(fd, text, sizeof(text) - 1));

	close(fd);
	text[n] = '\0';
	CHECK(strncmp(text, "major minor  #blocks  name\n\n", 28) == 0,
	      "/proc/partitions header: \"%.40s\"", text);
	snprintf(want, sizeof(want), "%4d  %7d %10lld %s\n", 8, 0, READ_DISK_BYTES / 1024, "sda");
	CHECK(strstr(text, want) != NULL, "/proc/partitions lacks \"%s\": %s", want, text);
	snprintf(want, sizeof(want), "%4d  %7d %10lld %s\n", 8, 16, WRITE_DISK_BYTES / 1024, "sdb");
	CHECK(strstr(text, want) != NULL, "/proc/partitions lacks \"%s\": %s", want, text);
}

/* The host's pattern, read with read() in READ_PIECE pieces and pread. */
static void
read_disk(const char *path)
{
	char *disk = malloc(READ_DISK_BYTES), tail[64];
	long long got = 0;
	int fd = CHECK_OK(open(path, O_RDONLY));

	CHECK(disk != NULL, "no memory");
	check_size(fd, READ_DISK_BYTES);
	while (got < READ_DISK_BYTES) {
		long n = CHECK_OK(read(fd, disk + got, READ_PIECE));

		CHECK(n > 0, "read returned 0 at %lld, before the end", got);
		got += n;
	}
	CHECK_PATTERN("the host's pattern on the read disk", disk, READ_DISK_BYTES, READ_SEED);
	CHECK_EQ("read at the end of the device", 0, read(fd, tail, sizeof(tail)));
	CHECK_EQ("pread across the end", 10, pread(fd, tail, sizeof(tail), READ_DISK_BYTES - 10));
	CHECK(memcmp(tail, disk + READ_DISK_BYTES - 10, 10) == 0, "pread across the end: wrong bytes");
	memset(disk, 0, 7000);
	CHECK_EQ("pread at 12345", 7000, pread(fd, disk, 7000, 12345));
	for (long i = 0; i < 7000; i++)
		CHECK(disk[i] == (char)pattern_byte(READ_SEED, 12345 + i), "pread at 12345: byte %ld", i);
	close(fd);
	free(disk);
	say("read %lld bytes of the host's pattern from %s", (long long)READ_DISK_BYTES, path);
}

static void
write_regions_to(int fd)
{
	for (unsigned i = 0; i < NR_REGIONS; i++) {
		const struct region *r = &write_regions[i];
		char *buf = malloc(r->len);

		CHECK(buf != NULL, "no memory");
		pattern_fill(buf, r->len, r->seed);
		CHECK_EQ("pwrite of a region", r->len, pwrite(fd, buf, r->len, r->off));
		free(buf);
	}
}

/* Each region reads back, and the bytes just around it are still zero. */
static void
read_regions_back(int fd)
{
	for (unsigned i = 0; i < NR_REGIONS; i++) {
		const struct region *r = &write_regions[i];
		char *buf = malloc(r->len + 2);

		CHECK(buf != NULL, "no memory");
		CHECK_EQ("pread of a region and its neighbours", r->len + 2,
			 pread(fd, buf, r->len + 2, r->off - 1));
		CHECK_EQ("the byte before a region", 0, buf[0]);
		CHECK_PATTERN("a region read back", buf + 1, r->len, r->seed);
		if (i != NR_REGIONS - 1)
			CHECK_EQ("the byte after a region", 0, buf[r->len + 1]);
		free(buf);
	}
}

static void
write_disk(const char *path)
{
	char buf[SHORT_WRITE_LEN];
	int fd = CHECK_OK(open(path, O_RDWR));

	check_size(fd, WRITE_DISK_BYTES);
	write_regions_to(fd);
	pattern_fill(buf, sizeof(buf), SHORT_WRITE_SEED);
	CHECK_EQ("pwrite across the end (short)", SHORT_WRITE_LEFT,
		 pwrite(fd, buf, sizeof(buf), WRITE_DISK_BYTES - SHORT_WRITE_LEFT));
	CHECK_ERRNO(pwrite(fd, buf, sizeof(buf), WRITE_DISK_BYTES), ENOSPC);
	CHECK_EQ("lseek to the end", WRITE_DISK_BYTES, (long long)lseek(fd, 0, SEEK_END));
	CHECK_ERRNO(write(fd, buf, 1), ENOSPC);
	CHECK_EQ("write of 0 bytes at the end", 0, write(fd, buf, 0));
	CHECK_OK(fsync(fd));
	read_regions_back(fd);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread of the short write", SHORT_WRITE_LEFT,
		 pread(fd, buf, sizeof(buf), WRITE_DISK_BYTES - SHORT_WRITE_LEFT));
	CHECK_PATTERN("the short write read back", buf, SHORT_WRITE_LEFT, SHORT_WRITE_SEED);
	close(fd);
	say("wrote %u regions and a short write to %s, read them back", (unsigned)NR_REGIONS, path);
}

int
main(int argc, char **argv)
{
	const char *read_dev = argc > 2 ? argv[1] : "/dev/sda";
	const char *write_dev = argc > 2 ? argv[2] : "/dev/sdb";

	if (argc <= 2) {
		check_node(read_dev, 8, 0);
		check_node(write_dev, 8, 16);
		check_partitions();
	}
	read_disk(read_dev);
	write_disk(write_dev);
	return 0;
}
