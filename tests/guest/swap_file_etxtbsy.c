/*
 * swap_file_etxtbsy — an active swap file cannot be changed, as on Linux:
 * write, pwrite, ftruncate, truncate, open with O_TRUNC and a writable
 * MAP_SHARED mapping fail with ETXTBSY; reading it and private or
 * read-only mappings work; after swapoff all of them work again and the
 * file's bytes are what was there before. Skipped (SKIP line) where the
 * machine refuses swapon.
 */
#define TEST_NAME "swap_file_etxtbsy"
#include "guest.h"
#include "swap_test.h"

#define AREA_PAGES 16

int
main(void)
{
	static unsigned char page[SWAP_PAGE], want[SWAP_PAGE];
	char path[128], probe[128];
	void *map;
	int fd;

	tmp_path(path, sizeof(path), "area");
	tmp_path(probe, sizeof(probe), "probe");
	if (!swap_activation_works(probe))
		return 0;
	make_swap_file(path, AREA_PAGES);
	CHECK_OK(swapon(path, 0));
	fd = CHECK_OK(open(path, O_RDWR));

	say("changes refused while active");
	CHECK_ERRNO(pwrite(fd, "x", 1, 3 * SWAP_PAGE), ETXTBSY);
	CHECK_ERRNO(write(fd, "x", 1), ETXTBSY);
	CHECK_ERRNO(ftruncate(fd, SWAP_PAGE), ETXTBSY);
	CHECK_ERRNO(truncate(path, SWAP_PAGE), ETXTBSY);
	CHECK_ERRNO(open(path, O_RDWR | O_TRUNC), ETXTBSY);
	CHECK(mmap(NULL, SWAP_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == ETXTBSY, "a writable shared mapping: %s, not ETXTBSY", errno_name(errno));

	say("reads and other mappings work");
	CHECK_EQ("pread", SWAP_PAGE, pread(fd, page, SWAP_PAGE, 2 * SWAP_PAGE));
	CHECK_PATTERN("page 2", page, SWAP_PAGE, 2);
	map = mmap(NULL, SWAP_PAGE, PROT_READ, MAP_SHARED, fd, 2 * SWAP_PAGE);
	CHECK(map != MAP_FAILED, "a read-only shared mapping: %s", errno_name(errno));
	CHECK_PATTERN("page 2 mapped", map, SWAP_PAGE, 2);
	munmap(map, SWAP_PAGE);
	map = mmap(NULL, SWAP_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 2 * SWAP_PAGE);
	CHECK(map != MAP_FAILED, "a private writable mapping: %s", errno_name(errno));
	((char *)map)[0] ^= 1;
	munmap(map, SWAP_PAGE);

	say("after swapoff");
	CHECK_OK(swapoff(path));
	CHECK_EQ("pwrite", 1, pwrite(fd, "x", 1, 3 * SWAP_PAGE));
	CHECK_EQ("pread", SWAP_PAGE, pread(fd, page, SWAP_PAGE, 2 * SWAP_PAGE));
	CHECK_PATTERN("page 2 after swapoff", page, SWAP_PAGE, 2);
	CHECK_EQ("pread header", SWAP_PAGE, pread(fd, page, SWAP_PAGE, 0));
	swap_header_fill(want, AREA_PAGES);
	CHECK(memcmp(page, want, SWAP_PAGE) == 0, "the header changed");
	CHECK_OK(ftruncate(fd, SWAP_PAGE));
	close(fd);
	unlink(path);
	say("ok");
	return 0;
}
