/*
 * tests/disk/swap_ide.c — a swap area on an IDE disk: the runner's
 * disk/swap_ide check (tools/runner.py) attaches a raw 4 MiB image whose
 * first page is the header the host's mkswap writes (version 1, last page
 * 1023, the UUID of tests/guest/swap_test.h, "SWAPSPACE2") and boots init
 * with "-d /disk-tests tests=swap_ide".
 *
 * swapon /dev/sda with a priority: /proc/swaps lists it as a "partition"
 * of 4092 KiB at that priority, meminfo's SwapTotal grows by as much; a
 * second swapon is EBUSY, a write through the device node ETXTBSY (its
 * sectors are swap slots), mounting it EBUSY; swapoff takes it away, a second swapoff is
 * EINVAL. Then it is activated again without a priority (a negative one)
 * and turned off (init counts the pages an area holds as lost if it is
 * left on). After QEMU exits the
 * runner finds the header and the zeros behind it unchanged (nothing was
 * swapped out). On a Linux host it runs as `swap_ide DEV` against a loop
 * device of 4 MiB holding such a header (as root).
 */
#define TEST_NAME "swap_ide"
#include "guest.h"
#include "swap_test.h"
#include <sys/mount.h>

#define DISK_PAGES 1024
#define PRIO       7

int
main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/sda";
	long total0 = meminfo_kb_of("\nSwapTotal:"), size_kb = (DISK_PAGES - 1) * (SWAP_PAGE / 1024);
	char line[256], want[128], buf[512] = { 1 }, mnt[128];
	int fd;
	int len = (int)strlen(dev);

	say("swapon %s", dev);
	CHECK_OK(swapon(dev, SWAP_FLAG_PREFER | PRIO));
	CHECK(swaps_line(dev, line, sizeof(line)), "%s not in /proc/swaps", dev);
	snprintf(want, sizeof(want), "%s%*s%s\t%ld\t\t%d\t\t%d", dev, len < 40 ? 40 - len : 1, " ",
		 "partition", size_kb, 0, PRIO);
	CHECK(strcmp(line, want) == 0, "/proc/swaps line\n  got  '%s'\n  want '%s'", line, want);
	CHECK_EQ("SwapTotal grew by the disk", total0 + size_kb, meminfo_kb_of("\nSwapTotal:"));
	CHECK_ERRNO(swapon(dev, 0), EBUSY);
	fd = CHECK_OK(open(dev, O_RDWR));
	CHECK_ERRNO(pwrite(fd, buf, sizeof(buf), 2 * SWAP_PAGE), ETXTBSY);
	close(fd);
	tmp_path(mnt, sizeof(mnt), "mnt");
	CHECK_OK(mkdir(mnt, 0755));
	CHECK_ERRNO(mount(dev, mnt, "ext2", 0, NULL), EBUSY);
	CHECK_OK(rmdir(mnt));
	say("swapoff %s", dev);
	CHECK_OK(swapoff(dev));
	CHECK_ERRNO(swapoff(dev), EINVAL);
	CHECK_EQ("SwapTotal back", total0, meminfo_kb_of("\nSwapTotal:"));
	say("on again without a priority");
	CHECK_OK(swapon(dev, 0));
	CHECK(prio_of_line(dev) < 0, "default priority %d is not negative", prio_of_line(dev));
	CHECK_OK(swapoff(dev));
	say("ok");
	return 0;
}
