/*
 * fmap_fault_around_far_page — a read fault maps the cached pages around
 * it (fault-around), but only those of its own window: a page of the same
 * file cached 4 GiB further on (2^20 pages) must not show up in the
 * mapping. The file holds the pattern in page 0, a hole in page 1 and the
 * pattern again at 4 GiB + one page; a two-page private mapping of its
 * start must read the pattern, then zeros, and the reverse mapping must
 * still account for every mapped page (rmap_check reads 0 on anvil).
 * (anvil's fault-around once shifted the far page's offset out of 32 bits
 * and mapped it in page 1.)
 */
#define TEST_NAME "fmap_fault_around_far_page"
#include "guest.h"
#include "file_test.h"

#define FAR ((1ULL << 32) + PAGE_SIZE)       /* the same slot, 2^20 pages on */

int
main(void)
{
	char path[256];
	char *map;
	int fd;

	file_path(path, sizeof(path), "sparse");
	fd = make_file(path, PAGE_SIZE, 1);
	write_at(fd, FAR, PAGE_SIZE, 1);
	CHECK_FILE_CONTENT("the far page", fd, FAR, PAGE_SIZE, 1);   /* in the page cache now */
	say("a private mapping of the first two pages");
	map = map_file(2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK_FILE_BYTES("page 0 through the mapping", map, PAGE_SIZE, 1, 0);
	CHECK_ZERO("page 1 (a hole) through the mapping", map + PAGE_SIZE, PAGE_SIZE);
	if (access("/proc/sys/vm/rmap_check", R_OK) == 0) {
		char text[32] = "";
		int rc = open("/proc/sys/vm/rmap_check", O_RDONLY);

		CHECK(rc >= 0 && read(rc, text, sizeof(text) - 1) > 0, "read rmap_check");
		CHECK(text[0] == '0', "rmap_check reads %s", text);
		close(rc);
	}
	CHECK_OK(munmap(map, 2 * PAGE_SIZE));
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
	printf("PASS %s\n", TEST_NAME);
	return 0;
}
