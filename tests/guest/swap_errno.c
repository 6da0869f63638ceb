/*
 * swap_errno — swapon(2) and swapoff(2) refuse what Linux refuses, with
 * Linux's errno: unknown flags (EINVAL), path errors (ENOENT, ENOTDIR,
 * EISDIR: swapon opens read-write), what is neither a block device nor a
 * regular file (EINVAL), headers without the signature, of another
 * version, empty, longer than the file, or with bad pages in a file
 * (EINVAL); an active area again (EBUSY); swapoff of what is no active
 * area (EINVAL). A refused swapon leaves no area behind (/proc/swaps).
 * The checks that need an activation are skipped, with a SKIP line, where
 * the machine refuses swapon.
 */
#define TEST_NAME "swap_errno"
#include "guest.h"
#include "swap_test.h"

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
