/*
 * swap_errno — swapon(2) and swapoff(2) refuse what Linux refuses, with
 * Linux's errno: unknown flags (EINVAL), path errors (ENOENT, ENOTDIR,
 * EISDIR: swapon opens read-write), what is neither a block device nor a
 * regular file (EINVAL), headers without the signature, of another
 * version, empty, longer than the file, or with bad pages in a file
 * (EINVAL); an active area again (EBUSY), and the block device the root
 * file system is mounted from (EBUSY: Linux claims a swap device
 * exclusively); swapoff of what is no active area (EINVAL). A refused swapon leaves no area behind (/proc/swaps).
 * The checks that need an activation are skipped, with a SKIP line, where
 * the machine refuses swapon.
 */
#define TEST_NAME "swap_errno"
#include "guest.h"
#include "swap_test.h"
#include <dirent.h>

#define AREA_PAGES 16

/* swapon of a file with header hdr (and file_pages pages) fails with err. */
static void
check_header_refused(const char *path, const unsigned char *hdr, uint32_t file_pages, const char *what)
{
	int before = active_swap_areas();

	write_swap_file(path, hdr, file_pages);
	errno = 0;
	if (swapon(path, 0) == 0) {
		swapoff(path);
		fail("swapon of %s succeeded", what);
	}
	CHECK(errno == EINVAL, "swapon of %s: %s, not EINVAL", what, errno_name(errno));
	CHECK_EQ("areas after a refused swapon", before, active_swap_areas());
}

/* The block special file in /dev of the device the root file system is
 * on (stat("/").st_dev), into dev; 0 if there is none. */
static int
root_device(char *dev, size_t size)
{
	struct stat root, st;
	struct dirent *e;
	DIR *d = opendir("/dev");
	int found = 0;

	CHECK(stat("/", &root) == 0 && d, "stat / or opendir /dev");
	while (!found && (e = readdir(d))) {
		if (strlen(e->d_name) + sizeof("/dev/") > size)
			continue;
		snprintf(dev, size, "/dev/%.255s", e->d_name);
		found = stat(dev, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == root.st_dev;
	}
	closedir(d);
	return found;
}

/* swapon of the mounted root device is EBUSY (where the machine lets us
 * try: a sandboxed host says EPERM for any device, a SKIP). */
static void
check_root_device_busy(void)
{
	char dev[300];

	if (!root_device(dev, sizeof(dev))) {
		say("SKIP: / is on no block device of /dev here");
		return;
	}
	errno = 0;
	if (swapon(dev, 0) == 0) {
		swapoff(dev);
		fail("swapon of the mounted root device %s succeeded", dev);
	}
	if (errno == EPERM) {
		say("SKIP: this machine refuses swapon of %s with EPERM before the busy check", dev);
		return;
	}
	CHECK(errno == EBUSY, "swapon of the mounted root device %s: %s, not EBUSY", dev,
	      errno_name(errno));
}

int
main(void)
{
	static unsigned char hdr[SWAP_PAGE];
	char path[128], probe[128], notdir[160];

	tmp_path(path, sizeof(path), "area");
	tmp_path(probe, sizeof(probe), "probe");
	snprintf(notdir, sizeof(notdir), "%s/x", path);

	say("flags and paths");
	make_swap_file(path, AREA_PAGES);
	CHECK_ERRNO(swapon(path, SWAP_FLAGS_UNKNOWN), EINVAL);
	CHECK_ERRNO(swapon("/tmp/anvil-swap-no-such-file", 0), ENOENT);
	CHECK_ERRNO(swapon("", 0), ENOENT);
	CHECK_ERRNO(swapon(notdir, 0), ENOTDIR);
	CHECK_ERRNO(swapon("/tmp", 0), EISDIR);
	CHECK_ERRNO(swapon("/dev/null", 0), EINVAL);
	CHECK_ERRNO(swapoff("/tmp/anvil-swap-no-such-file"), ENOENT);
	CHECK_ERRNO(swapoff(notdir), ENOTDIR);
	CHECK_ERRNO(swapoff(path), EINVAL);
	CHECK_ERRNO(swapoff("/dev/null"), EINVAL);
	check_root_device_busy();

	say("headers");
	check_header_refused(path, NULL, AREA_PAGES, "a file without a header");
	swap_header_fill(hdr, AREA_PAGES);
	memcpy(hdr + SWAP_PAGE - SWAP_MAGIC_LEN, "SWAP-SPACE", SWAP_MAGIC_LEN);
	check_header_refused(path, hdr, AREA_PAGES, "the version-0 signature");
	swap_header_fill(hdr, AREA_PAGES);
	swap_info_of(hdr)->version = 2;
	check_header_refused(path, hdr, AREA_PAGES, "version 2");
	swap_header_fill(hdr, AREA_PAGES);
	swap_info_of(hdr)->last_page = 0;
	check_header_refused(path, hdr, AREA_PAGES, "last_page 0");
	swap_header_fill(hdr, AREA_PAGES + 1);
	check_header_refused(path, hdr, AREA_PAGES, "a header longer than its file");
	swap_header_fill(hdr, AREA_PAGES);
	swap_info_of(hdr)->nr_badpages = 1;
	swap_info_of(hdr)->badpages[0] = 3;
	check_header_refused(path, hdr, AREA_PAGES, "bad pages in a swap file");

	if (swap_activation_works(probe)) {
		say("an active area");
		make_swap_file(path, AREA_PAGES);
		CHECK_OK(swapon(path, SWAP_FLAG_PREFER | 3));
		CHECK_ERRNO(swapon(path, 0), EBUSY);
		CHECK_ERRNO(swapon(path, SWAP_FLAG_PREFER | 9), EBUSY);
		CHECK_OK(swapoff(path));
		CHECK_ERRNO(swapoff(path), EINVAL);
		say("discard flags are accepted");
		CHECK_OK(swapon(path, SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_PAGES));
		CHECK_OK(swapoff(path));
	}
	unlink(path);
	say("ok");
	return 0;
}
