/*
 * swap_file_dirty_writeback — dirty pages of a MAP_SHARED file mapping
 * are written back, not lost, when memory pressure takes them.
 *
 * With the budget of swap_fork_tree_twice_ram (MemTotal, or the cgroup's
 * limit): a file of half the budget is mapped MAP_SHARED and every page
 * written through the mapping (its own pattern, nothing synced). Then
 * anonymous memory of 1.5 times the budget is written and read back, so
 * that the file's dirty pages must be written back and dropped, or the
 * anonymous ones swapped, to make room. Checks:
 *   - pressure took dirty pages from the mapping: mincore shows fewer of
 *     them resident than the file has (Linux 6.18 in a 64 MiB cgroup keeps
 *     none), so some were written back and dropped;
 *   - every page read through the mapping still holds its pattern (read
 *     back from the file where it was dropped), and so does every page of
 *     the anonymous memory;
 *   - after munmap, read() of the file gives every page's pattern; after
 *     sync and drop_caches (echo 3), read() again gives them from the disk.
 * Refused where the budget is more than MAX_BUDGET_MIB (the host without
 * a cgroup limit: run it through tools/host-swap-check).
 */
#define TEST_NAME "swap_file_dirty_writeback"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define MAX_BUDGET_MIB   256
#define PAGE_KB          (PAGE_SIZE / KiB)
#define SEED_FILE        0xd1000u
#define SEED_ANON        0xd2000u
#define READ_CHUNK       (64 * KiB)

static void
fill_pages(char *p, size_t pages, uint32_t seed)
{
	for (size_t i = 0; i < pages; i++)
		pattern_fill(p + i * PAGE_SIZE, PAGE_SIZE, seed + (uint32_t)i);
}

static void
check_pages(const char *what, const char *p, size_t first, size_t pages, uint32_t seed)
{
	for (size_t i = 0; i < pages; i++) {
		const uint8_t *page = (const uint8_t *)p + i * PAGE_SIZE;
		uint32_t s = seed + (uint32_t)(first + i);
		long off = pattern_mismatch(page, PAGE_SIZE, s);

		if (off >= 0)
			fail("%s: page %zu, byte %ld (expected 0x%02x, got 0x%02x)", what, first + i,
			     off, pattern_byte(s, (size_t)off), page[off]);
	}
}

/* read() of the whole file: every page's pattern. */
static void
check_file(const char *what, int fd, size_t pages)
{
	static char buf[READ_CHUNK];
	size_t per_chunk = READ_CHUNK / PAGE_SIZE;

	for (size_t first = 0; first < pages; first += per_chunk) {
		size_t n = pages - first < per_chunk ? pages - first : per_chunk;

		CHECK_EQ("pread of the file", (long)(n * PAGE_SIZE),
			 pread(fd, buf, n * PAGE_SIZE, (off_t)first * PAGE_SIZE));
		check_pages(what, buf, first, n, SEED_FILE);
	}
}

static size_t
resident_pages(const char *p, size_t pages)
{
	unsigned char *vec = malloc(pages);
	size_t n = 0;

	CHECK(vec != NULL, "malloc");
	CHECK_OK(mincore((void *)p, pages * PAGE_SIZE, vec));
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	return n;
}

int
main(void)
{
	long budget = memory_budget_kb();
	size_t file_pages = (size_t)budget / 2 / PAGE_KB;
	size_t anon_pages = (size_t)budget * 3 / 2 / PAGE_KB;
	long long out0 = vmstat_value("pswpout");
	char path[128], *m, *anon;
	size_t resident;
	int fd;

	CHECK(budget <= MAX_BUDGET_MIB * 1024L,
	      "memory budget %ld kB is more than %d MiB: too much to fill here "
	      "(on the host: tools/host-swap-check runs this in a small memory cgroup)",
	      budget, MAX_BUDGET_MIB);
	need_swap(budget);
	tmp_path(path, sizeof(path), "file");
	fd = CHECK_OK(open(path, O_CREAT | O_RDWR | O_TRUNC, 0600));
	CHECK_OK(ftruncate(fd, (off_t)file_pages * PAGE_SIZE));
	m = mmap(NULL, file_pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "mmap of the file: %s", errno_name(errno));
	fill_pages(m, file_pages, SEED_FILE);
	say("budget %ld kB: %zu dirty file pages, then %zu anonymous ones", budget, file_pages,
	    anon_pages);

	anon = map_anon(anon_pages * PAGE_SIZE, PROT_READ | PROT_WRITE);
	fill_pages(anon, anon_pages, SEED_ANON);
	check_pages("anonymous memory under pressure", anon, 0, anon_pages, SEED_ANON);
	resident = resident_pages(m, file_pages);
	CHECK(resident < file_pages, "all %zu dirty file pages still resident: the pressure "
	      "wrote none of them back", file_pages);
	say("under pressure: %zu of %zu file pages resident, pswpout +%lld", resident, file_pages,
	    vmstat_value("pswpout") - out0);

	check_pages("file pages read through the mapping after the pressure", m, 0, file_pages,
		    SEED_FILE);
	CHECK_OK(munmap(anon, anon_pages * PAGE_SIZE));
	CHECK_OK(munmap(m, file_pages * PAGE_SIZE));
	check_file("read() of the file after munmap", fd, file_pages);
	drop_page_cache(3);
	check_file("read() of the file after sync and drop_caches", fd, file_pages);
	close(fd);
	CHECK_OK(unlink(path));
	say("every store through the mapping is in the file");
	return 0;
}
