/*
 * swap_file_pages_dropped — clean page-cache pages are dropped and read
 * back intact; dirty ones are written before they go.
 *
 * Checks (residency through mincore of a fresh mapping of the file):
 *   - a 64-page file written, synced and read is cached; after
 *     "echo 1 > /proc/sys/vm/drop_caches" no page of it is, and read()
 *     gives every page's pattern back; the same with "echo 3";
 *   - drop_caches leaves pages a process maps: a mapping's touched pages
 *     stay resident and present (pagemap), with their data;
 *   - dirty pages (write() without sync) survive drop_caches: read()
 *     gives the new data; after sync and drop_caches, the new data comes
 *     back from the disk;
 *   - MADV_PAGEOUT of a MAP_SHARED mapping holding stores: the pages leave
 *     the mapping (smaps Rss 0; Linux keeps dirty ones cached, so the
 *     cache is not checked), the stores read back through it and are in
 *     the file (read() after munmap, then after sync and drop_caches);
 *   - MADV_PAGEOUT of clean file pages this process alone maps drops them
 *     from the cache (mincore), and they read back intact.
 */
#define TEST_NAME "swap_file_pages_dropped"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define PAGES      64
#define LEN        (PAGES * PAGE_SIZE)
#define SEED       0xf11e
#define SEED_DIRTY 0xf11f
#define SEED_MAP   0xf120

static char path[128];

/* How many pages of the file mincore says are cached. */
static size_t
cached_pages(int fd)
{
	unsigned char vec[PAGES];
	size_t n = 0;
	void *m = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);

	CHECK(m != MAP_FAILED, "mmap of the file: %s", errno_name(errno));
	CHECK_OK(mincore(m, LEN, vec));
	CHECK_OK(munmap(m, LEN));
	for (size_t i = 0; i < PAGES; i++)
		n += vec[i] & 1;
	return n;
}

/* read() of the whole file must give the pattern of seed. */
static void
check_file(const char *what, int fd, uint32_t seed)
{
	static char buf[LEN];

	CHECK_EQ("pread of the whole file", LEN, pread(fd, buf, LEN, 0));
	CHECK_PATTERN(what, buf, LEN, seed);
}

static void
clean_pages(int fd)
{
	static const int hows[] = { 1, 3 };

	for (size_t i = 0; i < sizeof(hows) / sizeof(hows[0]); i++) {
		check_file("file read into the cache", fd, SEED);
		CHECK_EQ("cached pages after reading the file", PAGES, cached_pages(fd));
		drop_page_cache(hows[i]);
		CHECK_EQ("cached pages after drop_caches", 0, cached_pages(fd));
		check_file("file read again after drop_caches", fd, SEED);
		say("echo %d > drop_caches: clean pages dropped, read back intact", hows[i]);
	}
}

static void
mapped_pages_stay(int fd)
{
	char *m = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);

	CHECK(m != MAP_FAILED, "mmap of the file: %s", errno_name(errno));
	CHECK_PATTERN("mapped file", m, LEN, SEED);
	drop_page_cache(3);
	check_present("mapped file pages after drop_caches", m, PAGES);
	CHECK_PATTERN("mapped file after drop_caches", m, LEN, SEED);
	CHECK_OK(munmap(m, LEN));
	say("mapped pages are not dropped");
}

static void
dirty_pages(int fd)
{
	static char buf[LEN];

	pattern_fill(buf, LEN, SEED_DIRTY);
	CHECK_EQ("pwrite of new data", LEN, pwrite(fd, buf, LEN, 0));
	CHECK(write_proc(DROP_CACHES_PATH, "1\n") == 0, "echo 1 > %s", DROP_CACHES_PATH);
	check_file("dirty pages after drop_caches without sync", fd, SEED_DIRTY);
	drop_page_cache(1);
	CHECK_EQ("cached pages after sync and drop_caches", 0, cached_pages(fd));
	check_file("new data read back from the disk", fd, SEED_DIRTY);
	say("dirty pages survive drop_caches; after sync they come back from the disk");
}

static void
pageout_shared_mapping(int fd)
{
	char *m = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK(m != MAP_FAILED, "mmap of the file: %s", errno_name(errno));
	pattern_fill(m, LEN, SEED_MAP);
	pageout(m, LEN);
	CHECK_EQ("smaps Rss of the mapping after MADV_PAGEOUT (kB)", 0, smaps_kb(m, "Rss"));
	CHECK_PATTERN("stores read through the mapping after MADV_PAGEOUT", m, LEN, SEED_MAP);
	CHECK_OK(munmap(m, LEN));
	check_file("stores through the mapping, read() after munmap", fd, SEED_MAP);
	drop_page_cache(3);
	check_file("the same after sync and drop_caches", fd, SEED_MAP);

	m = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap of the file: %s", errno_name(errno));
	CHECK_PATTERN("clean file pages through a mapping", m, LEN, SEED_MAP);
	pageout(m, LEN);
	CHECK_EQ("smaps Rss of a clean mapping after MADV_PAGEOUT (kB)", 0, smaps_kb(m, "Rss"));
	CHECK_EQ("cached pages after MADV_PAGEOUT of clean pages", 0, cached_pages(fd));
	CHECK_PATTERN("clean file pages read again through the mapping", m, LEN, SEED_MAP);
	CHECK_OK(munmap(m, LEN));
	say("MADV_PAGEOUT of file pages: dirty ones unmapped and their stores kept, "
	    "clean ones dropped and read again");
}

int
main(void)
{
	static char buf[LEN];
	int fd;

	tmp_path(path, sizeof(path), "file");
	fd = CHECK_OK(open(path, O_CREAT | O_RDWR | O_TRUNC, 0600));
	pattern_fill(buf, LEN, SEED);
	CHECK_EQ("write of the file", LEN, write(fd, buf, LEN));
	CHECK_OK(fsync(fd));
	clean_pages(fd);
	mapped_pages_stay(fd);
	dirty_pages(fd);
	pageout_shared_mapping(fd);
	close(fd);
	CHECK_OK(unlink(path));
	return 0;
}
