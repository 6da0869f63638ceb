/*
 * tests/guest/swap_test.h — what the swap tests (swap_*.c) share: swap
 * files with Linux's header (union swap_header, written field by field as
 * the host's mkswap writes them), /proc/swaps lines and meminfo figures,
 * and whether this machine lets us activate swap at all.
 *
 * Include after guest.h. Swap files are written in full (no holes: Linux
 * refuses a swap file with holes) and made mode 0600 as mkswap advises.
 *
 * For the tests that push pages out (swap_data_survives and the others of
 * tests/guest/README.md's "Swap-out and swap-in" table; they include
 * vm_probe.h first): a pagemap entry's swap type and offset, /proc/vmstat
 * counters, a mapping no neighbour merges with (its own smaps record), the
 * memory budget of this machine or its cgroup, and need_swap(), which
 * fails a test that finds no swap area to use: on the host run them
 * through tools/host-swap-check, which makes one.
 */
#ifndef SWAP_TEST_H
#define SWAP_TEST_H

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/swap.h>

#define SWAP_PAGE          4096
#define SWAP_BOOTBITS      1024
#define SWAP_MAGIC         "SWAPSPACE2"
#define SWAP_MAGIC_LEN     10
#define SWAP_FLAGS_UNKNOWN 0x80000          /* a bit outside SWAP_FLAGS_VALID */
#ifndef SWAP_FLAG_DISCARD_PAGES
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#endif
#define PROC_TEXT_MAX      8192

/* The header fields after the boot bits (Linux's swap_header.info). */
struct swap_header_info {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	unsigned char uuid[16];
	char label[16];
	uint32_t padding[117];
	uint32_t badpages[1];
};

/* The UUID of the header the host's mkswap wrote (util-linux 2.38, a
 * 256 KiB file, "mkswap /tmp/hs.img"), captured once: with it, a header
 * written here is byte for byte that one (checked against mkswap -U on
 * the host when this was written). */
static const unsigned char host_mkswap_uuid[16] = {
	0x73, 0x20, 0x5b, 0x92, 0x83, 0xf4, 0x40, 0x8d,
	0xa3, 0x02, 0x9a, 0xa8, 0xd6, 0x2c, 0x5a, 0x36,
};

/* Fills page with a version-1 header for an area of pages pages. */
static inline void
swap_header_fill(unsigned char *page, uint32_t pages)
{
	struct swap_header_info info = { .version = 1, .last_page = pages - 1 };

	memset(page, 0, SWAP_PAGE);
	memcpy(info.uuid, host_mkswap_uuid, sizeof(info.uuid));
	memcpy(page + SWAP_BOOTBITS, &info, sizeof(info));
	memcpy(page + SWAP_PAGE - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN);
}

static inline struct swap_header_info *
swap_info_of(unsigned char *page)
{
	return (struct swap_header_info *)(page + SWAP_BOOTBITS);
}

/* Writes a file of file_pages pages: header (may be NULL: zeros) then a
 * pattern, every byte written (no holes). */
static inline void
write_swap_file(const char *path, const unsigned char *header, uint32_t file_pages)
{
	static unsigned char page[SWAP_PAGE];
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);

	CHECK(fd >= 0, "create %s: %s", path, errno_name(errno));
	for (uint32_t i = 0; i < file_pages; i++) {
		if (i == 0 && header)
			memcpy(page, header, SWAP_PAGE);
		else
			pattern_fill(page, SWAP_PAGE, i);
		CHECK(write_full(fd, page, SWAP_PAGE) == SWAP_PAGE, "write %s", path);
	}
	CHECK(fsync(fd) == 0, "fsync %s", path);
	close(fd);
}

/* A valid swap file of pages pages at path. */
static inline void
make_swap_file(const char *path, uint32_t pages)
{
	static unsigned char header[SWAP_PAGE];

	swap_header_fill(header, pages);
	write_swap_file(path, header, pages);
}

/* Reads a whole (small) file into buf, NUL-terminated: its length. */
static inline size_t
read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	CHECK(fd >= 0, "open %s: %s", path, errno_name(errno));
	while ((n = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return (size_t)len;
}

/* The kB figure of a /proc/meminfo line ("SwapTotal:"), or -1. */
static inline long
meminfo_kb_of(const char *key)
{
	static char text[PROC_TEXT_MAX];
	const char *p;

	read_text("/proc/meminfo", text, sizeof(text));
	p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* The /proc/swaps line of path (copied into line), or NULL. */
static inline char *
swaps_line(const char *path, char *line, size_t size)
{
	static char text[PROC_TEXT_MAX];
	size_t plen = strlen(path);

	read_text("/proc/swaps", text, sizeof(text));
	for (char *p = text; *p; ) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (strncmp(p, path, plen) == 0 && p[plen] == ' ') {
			snprintf(line, size, "%.*s", (int)len, p);
			return line;
		}
		p += len + (nl ? 1 : 0);
	}
	return NULL;
}

/* The priority in the last column of path's /proc/swaps line (the
 * test fails if it is not listed). */
static inline int
prio_of_line(const char *path)
{
	char line[256];

	CHECK(swaps_line(path, line, sizeof(line)), "%s not in /proc/swaps", path);
	return atoi(strrchr(line, '\t') + 1);
}

/* How many areas /proc/swaps lists. */
static inline int
active_swap_areas(void)
{
	static char text[PROC_TEXT_MAX];
	int lines = 0;

	read_text("/proc/swaps", text, sizeof(text));
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	return lines - 1;
}

/*
 * Whether swapon of a valid swap file works here: on anvil always; on the
 * host it may be refused (no CAP_SYS_ADMIN, a file system that cannot
 * hold swap files). A refusal prints a SKIP line naming it, and the
 * caller skips what needs a real activation.
 */
static inline int
swap_activation_works(const char *path)
{
	make_swap_file(path, 16);
	if (swapon(path, 0) == 0) {
		CHECK(swapoff(path) == 0, "swapoff of a fresh area: %s", errno_name(errno));
		unlink(path);
		return 1;
	}
	say("SKIP: this machine refuses swapon (%s): the checks that need an active area "
	    "are not run", errno_name(errno));
	unlink(path);
	return 0;
}

/* ---- swapping pages out and in -------------------------------------------- */

#ifdef VM_PROBE_H

#define PM_SWAP_TYPE_BITS   5                   /* pagemap: type in bits 0-4 */
#define PM_SWAP_TYPE_MASK   ((1ULL << PM_SWAP_TYPE_BITS) - 1)
#define PM_SWAP_OFFSET_MASK ((1ULL << 50) - 1)   /* offset in bits 5-54 */
#define VMSTAT_PATH         "/proc/vmstat"
#define SWAPPINESS_PATH     "/proc/sys/vm/swappiness"
#define DROP_CACHES_PATH    "/proc/sys/vm/drop_caches"
#define CGROUP_ROOT         "/sys/fs/cgroup"

/* The swap type and offset of a pagemap entry with PM_SWAP set. */
static inline unsigned
pm_swap_type(uint64_t entry)
{
	return (unsigned)(entry & PM_SWAP_TYPE_MASK);
}

static inline uint64_t
pm_swap_offset(uint64_t entry)
{
	return (entry >> PM_SWAP_TYPE_BITS) & PM_SWAP_OFFSET_MASK;
}

/* check_swapped_out - pages pages from p are in swap, as pagemap shows a
 * swapped page: bit 62 set, bit 63 clear, a non-zero offset (slot 0 is
 * the header), no two pages in the same slot. */
static inline void
check_swapped_out(const char *what, const char *p, size_t pages)
{
	uint64_t prev = 0;

	for (size_t i = 0; i < pages; i++) {
		uint64_t e = pagemap_entry(p + i * PAGE_SIZE);

		if (!(e & PM_SWAP) || (e & PM_PRESENT) || pm_swap_offset(e) == 0)
			fail("%s: page %zu is not swapped out (pagemap 0x%016llx: expected bit 62, "
			     "no bit 63, a non-zero swap offset)", what, i, (unsigned long long)e);
		if (i > 0 && (e & ~PM_EXCLUSIVE) == (prev & ~PM_EXCLUSIVE))
			fail("%s: pages %zu and %zu share one swap slot (pagemap 0x%016llx)", what,
			     i - 1, i, (unsigned long long)e);
		prev = e;
	}
}

/* check_present - pages pages from p are in memory (pagemap bit 63, not 62). */
static inline void
check_present(const char *what, const char *p, size_t pages)
{
	for (size_t i = 0; i < pages; i++) {
		uint64_t e = pagemap_entry(p + i * PAGE_SIZE);

		if (!(e & PM_PRESENT) || (e & PM_SWAP))
			fail("%s: page %zu is not present (pagemap 0x%016llx: expected bit 63, "
			     "no bit 62)", what, i, (unsigned long long)e);
	}
}

/* vmstat_value - the counter key of /proc/vmstat (pswpout, ...), or fail. */
static inline long long
vmstat_value(const char *key)
{
	static char text[PROC_TEXT_MAX * 2];
	size_t klen = strlen(key);

	read_text(VMSTAT_PATH, text, sizeof(text));
	for (const char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
			return strtoll(line + klen + 1, NULL, 10);
	fail("%s has no %s line", VMSTAT_PATH, key);
}

/* swap_free_kb - meminfo's SwapFree. */
static inline long
swap_free_kb(void)
{
	long kb = proc_kb(MEMINFO_PATH, "SwapFree");

	CHECK(kb >= 0, "%s has no SwapFree line", MEMINFO_PATH);
	return kb;
}

/* need_swap - the test needs kb KiB of free swap: fails (saying how to get
 * it on the host) when there is less. */
static inline void
need_swap(long kb)
{
	long have = swap_free_kb();

	if (have < kb)
		fail("this test needs %ld kB of free swap, SwapFree is %ld kB (on the host: "
		     "tools/host-swap-check makes a swap area and runs it)", kb, have);
}

/* isolated_map - pages pages of anonymous memory (MAP_PRIVATE or
 * MAP_SHARED) between two PROT_NONE guard pages, so that no neighbour
 * merges with it and its smaps record is its own. */
static inline char *
isolated_map(size_t pages, int type)
{
	char *guard = map_anon((pages + 2) * PAGE_SIZE, PROT_NONE);
	char *p = guard + PAGE_SIZE;

	CHECK_OK(munmap(p, pages * PAGE_SIZE));
	CHECK(mmap(p, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, type | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0) == p, "mmap MAP_FIXED between guards: %s", errno_name(errno));
	return p;
}

/* unmap_isolated - unmaps an isolated_map and its guards. */
static inline void
unmap_isolated(char *p, size_t pages)
{
	CHECK_OK(munmap(p - PAGE_SIZE, (pages + 2) * PAGE_SIZE));
}

/* smaps_kb - the key line (Swap, Rss, Referenced...) of the smaps record
 * of the mapping at p, in kB. */
static inline unsigned long
smaps_kb(const void *p, const char *key)
{
	char *smaps = read_file("/proc/self/smaps");
	unsigned long kb = smaps_value(smaps, (unsigned long)p, key);

	free(smaps);
	return kb;
}

/*
 * wait_swap_written - waits until no page is under writeback (meminfo's
 * Writeback is 0), up to WRITEBACK_WAIT_MS. Linux writes MADV_PAGEOUT's
 * pages asynchronously and a slot whose page is still being written when
 * its last user unmaps it stays in the swap cache until reclaim finds it,
 * and a write fault copies such a page instead of reusing it: pageout()
 * waits for the writes, so that the tests' counts and frames do not
 * depend on timing (on anvil, swap to a RAM disk, there is nothing to
 * wait for).
 */
#define WRITEBACK_WAIT_MS   10000
#define WRITEBACK_POLL_MS   10

static inline void
wait_swap_written(void)
{
	for (int waited = 0; proc_kb(MEMINFO_PATH, "Writeback") != 0; waited += WRITEBACK_POLL_MS) {
		CHECK(waited < WRITEBACK_WAIT_MS, "meminfo Writeback still %ld kB after %d ms",
		      proc_kb(MEMINFO_PATH, "Writeback"), WRITEBACK_WAIT_MS);
		usleep(WRITEBACK_POLL_MS * 1000);
	}
}

/* pageout - madvise(MADV_PAGEOUT), which must succeed, then
 * wait_swap_written: the pages' fate no longer depends on timing. */
static inline void
pageout(void *p, size_t len)
{
	CHECK(madvise(p, len, MADV_PAGEOUT) == 0, "madvise(MADV_PAGEOUT, %zu bytes): %s", len,
	      errno_name(errno));
	wait_swap_written();
}

/* cgroup_limit_kb - the memory limit (kB) of the cgroup this process is
 * in and of its ancestors, the smallest; -1 if none. cgroup v2
 * (memory.max) or v1 (memory.limit_in_bytes, in the memory hierarchy), as
 * /proc/self/cgroup names them; anvil has no cgroups: -1. */
static inline long
cgroup_limit_kb(void)
{
	static char text[PROC_TEXT_MAX];
	char dir[512], file[600];
	long best = -1;

	if (access("/proc/self/cgroup", R_OK) != 0)
		return -1;
	read_text("/proc/self/cgroup", text, sizeof(text));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		const char *v2 = strncmp(line, "0::", 3) == 0 ? line + 3 : NULL;
		const char *v1 = strstr(line, ":memory:");
		const char *path = v2 ? v2 : v1 ? v1 + strlen(":memory:") : NULL;
		const char *limit_file = v2 ? "memory.max" : "memory.limit_in_bytes";

		if (!path)
			continue;
		snprintf(dir, sizeof(dir), "%s%s%s", CGROUP_ROOT, v2 ? "" : "/memory", path);
		for (;;) {                            /* this cgroup, then each parent */
			char value[64];
			int fd;
			ssize_t n;

			snprintf(file, sizeof(file), "%s/%s", dir, limit_file);
			if ((fd = open(file, O_RDONLY)) >= 0) {
				n = read(fd, value, sizeof(value) - 1);
				close(fd);
				value[n > 0 ? n : 0] = '\0';
				if (value[0] >= '0' && value[0] <= '9') {
					long long kb = strtoll(value, NULL, 10) / 1024;
					if (kb < LONG_MAX && (best < 0 || kb < best))
						best = (long)kb;
				}
			}
			if (strlen(dir) <= strlen(CGROUP_ROOT) + 1 || !strrchr(dir, '/'))
				break;
			*strrchr(dir, '/') = '\0';
		}
	}
	return best;
}

/* memory_budget_kb - the memory this process may use: MemTotal, or its
 * cgroup's limit when that is smaller. */
static inline long
memory_budget_kb(void)
{
	long total = proc_kb(MEMINFO_PATH, "MemTotal");
	long limit = cgroup_limit_kb();

	CHECK(total > 0, "%s has no MemTotal line", MEMINFO_PATH);
	return limit > 0 && limit < total ? limit : total;
}

/* write_proc - writes text to a /proc file in one write(); 0 or -errno. */
static inline int
write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* drop_page_cache - echo how (1 or 3) > /proc/sys/vm/drop_caches, after
 * sync() so that nothing is dirty. */
static inline void
drop_page_cache(int how)
{
	char text[4];

	sync();
	snprintf(text, sizeof(text), "%d\n", how);
	CHECK(write_proc(DROP_CACHES_PATH, text) == 0, "echo %d > %s", how, DROP_CACHES_PATH);
}

#endif /* VM_PROBE_H */

#endif
