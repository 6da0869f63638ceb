/*
 * tests/bench/guest/bench_swap.c — what swap and reclaim cost user space
 * (issue 12), in guest instructions under make bench (QEMU -icount
 * shift=0; TSC ticks, i.e. wall-clock, on a host):
 *
 *   user.swapout_pageout        MADV_PAGEOUT of 1,024 private pages, each
 *                               written, in one call, per page
 *   user.swapin_touch           reading those pages again right after,
 *                               per page (one load per page); the unit
 *                               says how many the kernel read from the
 *                               swap device (pswpin): none on Linux,
 *                               whose pages are still in the swap cache
 *   user.swapin_device          the same read once the pages are surely
 *                               on the device only, per page: each must
 *                               have been read from the swap device in
 *                               the timed loop (pswpin grew by at least
 *                               1,024), else the figure is not printed
 *   user.reclaim_anon_stream    pages reclaimed per million instructions
 *                               while one word is written to each page of
 *                               a private anonymous mapping twice the size
 *                               of RAM (every page is written once, so it
 *                               must go to swap to make room)
 *   user.reclaim_anon_share     of the pages reclaim scanned during that
 *                               stream, how many it reclaimed, per 1,000
 *   user.reclaim_file_stream    pages reclaimed per million instructions
 *                               while a sparse file twice the size of RAM
 *                               is read() once (clean page-cache pages,
 *                               used once: dropped, nothing written)
 *   user.reclaim_file_share     reclaimed per 1,000 scanned, that stream
 *
 * Getting a page surely from the device, on anvil and on Linux alike: the
 * first MADV_PAGEOUT writes each page out (Linux keeps it in the swap
 * cache until the write ends and reclaim comes back; anvil may free it at
 * once). The read touch maps it again; it is clean now, with its copy in
 * swap, so a second MADV_PAGEOUT frees it without writing. Pages that
 * mincore() still finds resident (on Linux: in the swap cache, e.g. still
 * under writeback) are touched and paged out again, a few rounds apart.
 * pswpin in /proc/vmstat then tells whether the timed read really read the
 * device. Linux reads ahead (page-cluster), so there some of the 1,024
 * faults find a page an earlier fault's read brought: the figure is what
 * swapping a range back in costs, per page.
 *
 * Why two streams: reclaiming anonymous memory is the path issue 12 adds
 * (an LRU page chosen by age, unmapped from every process through rmap,
 * written to swap); reclaiming clean file pages is the common cheap case
 * (no unmapping, no write). One mixed stream would hide which one got
 * slower. The file is sparse (ftruncate) because the ext2 root is a RAM
 * disk with little room: reading its holes still fills the page cache.
 *
 * Reclaim counters: pgsteal_kswapd + pgsteal_direct and pgscan_kswapd +
 * pgscan_direct in /proc/vmstat, read before and after the stream. "RAM"
 * is MemTotal of /proc/meminfo, or the memory cgroup's limit (memory.max,
 * or memory.limit_in_bytes on cgroup v1) when that is a smaller number; in
 * such a cgroup Linux leaves its limit reclaim out of the kswapd/direct
 * counters, so there the figures come from pgsteal_anon + pgsteal_file
 * and pgscan_anon + pgscan_file, which count every reclaim. Each stream
 * runs in a child process, so an OOM kill ends only the child.
 *
 * A figure the kernel cannot give yet prints "# <name>: unsupported
 * (<why>)" instead of a BENCH line: no swap area, MADV_PAGEOUT refused or
 * without effect (anvil accepted it as a hint before swap-out), no reclaim
 * counters in /proc/vmstat. The anonymous stream runs only if
 * MADV_PAGEOUT sent pages to swap (without swap-out it could only end in
 * the OOM killer or a hang) and SwapFree holds what exceeds RAM, plus a
 * quarter of RAM (SWAP_MARGIN_PART). Streams bigger than
 * STREAM_MAX_BYTES are refused: on a host, run it in a memory cgroup.
 *
 * make bench runs it in a boot of its own with a small RAM and a swap=
 * RAM disk (tools/runner.py); it is an ordinary program and runs on Linux
 * too (build/bench/bench_swap), with swap on and, for the streams, in a
 * memory cgroup (tests/bench/README.md says how).
 */
#define _GNU_SOURCE
#include "bench.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPEAT            5
#define SWAP_PAGES        1024u
#define SWAP_BYTES        (SWAP_PAGES * PAGE)
#define WORDS_PER_PAGE    (PAGE / sizeof(uint32_t))
#define EVICT_ROUNDS      20                /* second-pageout attempts */
#define EVICT_WAIT_NS     10000000L         /* 10 ms for writeback to end */
#define PAGEMAP_SWAPPED   (1ull << 62)
#define KIB               1024ull
#define MIB               (1024ull * KIB)
#define STREAM_MAX_BYTES  (1024ull * MIB)  /* a 32-bit address space */
#define STREAM_RAM_FACTOR 2                 /* the stream is twice RAM */
#define STREAM_CHUNK      (64u * 1024u)     /* read() size of the file stream;
					     * the streams are a multiple of it */
#define STREAM_SAMPLE     61                /* anon stream: check every 61st page */
#define SWAP_MARGIN_PART  4                 /* the anon stream wants swap for
					     * what exceeds RAM, + RAM / this */
#define PER_MILLION       1000000ull
#define PER_MILLE         1000ull
#define PROC_BYTES        (64u * 1024u)
#define TMPFS_MAGIC       0x01021994
#define RAMFS_MAGIC       0x858458f6
#define PATTERN_SEED      0x9e3779b9u

/* ---- reading /proc ------------------------------------------------------------ */

/* Static buffers, not stdio: musl's malloc may mmap, which would put its
 * own pages among the ones the figures count. */
static char proc_buf[PROC_BYTES];

/* read_text - the whole of path into proc_buf, NUL-terminated; its
 * length, or -1 (errno set). */
static ssize_t
read_text(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t got = read(fd, proc_buf + len, sizeof(proc_buf) - 1 - len);

		if (got < 0) {
			close(fd);
			return -1;
		}
		if (got == 0 || len + (size_t)got == sizeof(proc_buf) - 1) {
			len += (size_t)got;
			break;
		}
		len += (size_t)got;
	}
	close(fd);
	proc_buf[len] = 0;
	return (ssize_t)len;
}

/* text_value - the number after key at the start of a line of proc_buf
 * ("key value" or "key: value kB"), or -1 if no line has it. */
static long long
text_value(const char *key)
{
	size_t n = strlen(key);

	for (const char *line = proc_buf; *line; ) {
		if (strncmp(line, key, n) == 0 && (line[n] == ' ' || line[n] == ':'))
			return strtoll(line + n + 1 + strspn(line + n + 1, " :\t"), NULL, 10);
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}

/* proc_value - key's number in the "key value" file path, or -1. */
static long long
proc_value(const char *path, const char *key)
{
	return read_text(path) < 0 ? -1 : text_value(key);
}

/* ---- reporting ----------------------------------------------------------------- */

/* unsupported - the figure name cannot be measured here: why. */
static void
unsupported(const char *name, const char *why)
{
	printf("# %s: unsupported (%s)\n", name, why);
	fflush(stdout);
}

/* unsupported_errno - unsupported, because call failed with errno. */
static void
unsupported_errno(const char *name, const char *call)
{
	char why[160];

	snprintf(why, sizeof(why), "%s: %s", call, strerror(errno));
	unsupported(name, why);
}

/* ---- pages with a known pattern ------------------------------------------------- */

static uint32_t
pattern(unsigned page, unsigned word)
{
	return (page * WORDS_PER_PAGE + word) * PATTERN_SEED ^ page;
}

static void
fill_pages(uint32_t *p, unsigned pages)
{
	for (unsigned i = 0; i < pages; i++)
		for (unsigned w = 0; w < WORDS_PER_PAGE; w++)
			p[i * WORDS_PER_PAGE + w] = pattern(i, w);
}

/* first_wrong_page - the first page of p whose contents are not its
 * pattern, or -1 if all are right. */
static long
first_wrong_page(const uint32_t *p, unsigned pages)
{
	for (unsigned i = 0; i < pages; i++)
		for (unsigned w = 0; w < WORDS_PER_PAGE; w++)
			if (p[i * WORDS_PER_PAGE + w] != pattern(i, w))
				return (long)i;
	return -1;
}

/* read_pages - one load from each page of p (its first word); the number
 * of pages whose word was wrong. This is the timed touch. */
static unsigned
read_pages(const volatile uint32_t *p, unsigned pages)
{
	unsigned wrong = 0;

	for (unsigned i = 0; i < pages; i++)
		wrong += p[i * WORDS_PER_PAGE] != pattern(i, 0);
	return wrong;
}

/* ---- where the pages are ---------------------------------------------------------- */

/* swapped_pages - how many of the pages at p have a swap entry in their
 * PTE (/proc/self/pagemap bit 62), or -1 (errno set). */
static long
swapped_pages(const void *p, unsigned pages)
{
	static uint64_t entries[SWAP_PAGES];
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long count = 0;

	if (fd < 0)
		return -1;
	off_t at = (off_t)((uintptr_t)p / PAGE) * (off_t)sizeof(uint64_t);
	ssize_t want = (ssize_t)(pages * sizeof(uint64_t));
	ssize_t got = pread(fd, entries, (size_t)want, at);
	close(fd);
	if (got != want) {
		if (got >= 0)
			errno = EIO;
		return -1;
	}
	for (unsigned i = 0; i < pages; i++)
		count += (entries[i] & PAGEMAP_SWAPPED) != 0;
	return count;
}

/* resident_pages - how many of the pages at p mincore() finds in memory
 * (on Linux that includes swapped pages still in the swap cache); vec
 * gets one byte per page. -1 if mincore fails. */
static long
resident_pages(void *p, unsigned pages, unsigned char *vec)
{
	long count = 0;

	if (mincore(p, (size_t)pages * PAGE, vec) != 0)
		return -1;
	for (unsigned i = 0; i < pages; i++)
		count += vec[i] & 1;
	return count;
}

/* evict_to_device - after the pages at p have been paged out and read
 * again (clean, their copy in swap), page them out until no page of them
 * is in memory: touching and retrying those mincore still finds (in the
 * swap cache, or skipped while under writeback). The pages left, or -1. */
static long
evict_to_device(uint32_t *p, unsigned pages)
{
	static unsigned char vec[SWAP_PAGES];
	const struct timespec wait = { 0, EVICT_WAIT_NS };
	long left = -1;

	for (int round = 0; round < EVICT_ROUNDS; round++) {
		if (madvise(p, (size_t)pages * PAGE, MADV_PAGEOUT) != 0)
			return -1;
		left = resident_pages(p, pages, vec);
		if (left <= 0)
			return left;
		for (unsigned i = 0; i < pages; i++)
			if (vec[i] & 1)
				(void)*(volatile uint32_t *)&p[i * WORDS_PER_PAGE];
		nanosleep(&wait, NULL);
	}
	return left;
}

/* ---- swap-out and swap-in of 1,024 pages ------------------------------------------- */

#define SWAPOUT_NAME "user.swapout_pageout"
#define TOUCH_NAME   "user.swapin_touch"
#define DEVICE_NAME  "user.swapin_device"

/* One run's figures; a figure is -1 if that run could not measure it. */
struct swap_run {
	int64_t swapout, touch, device;
	long long touch_pswpin, device_pswpin;
};

/* swap_run - one round on a fresh mapping: pageout, touch, pageout
 * again until on the device, touch. 0, or -1 after printing why the
 * figures cannot be measured at all (then nothing more is tried). */
static int
swap_run(struct swap_run *r)
{
	char why[160];
	uint32_t *p = mmap(NULL, SWAP_BYTES, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	r->swapout = r->touch = r->device = -1;
	r->touch_pswpin = r->device_pswpin = -1;
	if (p == MAP_FAILED)
		die("mmap");
	fill_pages(p, SWAP_PAGES);

	uint64_t t0 = rdtsc();
	int err = madvise(p, SWAP_BYTES, MADV_PAGEOUT);
	uint64_t t1 = rdtsc();
	if (err) {
		unsupported_errno(SWAPOUT_NAME, "madvise MADV_PAGEOUT");
		goto none;
	}
	long swapped = swapped_pages(p, SWAP_PAGES);
	if (swapped < 0) {
		unsupported_errno(SWAPOUT_NAME, "read /proc/self/pagemap");
		goto none;
	}
	if (swapped == 0) {
		unsupported(SWAPOUT_NAME, "MADV_PAGEOUT returned 0 but sent no page to swap: "
			    "pagemap bit 62 clear");
		goto none;
	}
	if (swapped < (long)SWAP_PAGES)
		printf("# %s: %ld of %u pages went to swap\n", SWAPOUT_NAME, swapped, SWAP_PAGES);
	r->swapout = (int64_t)((t1 - t0) / SWAP_PAGES);

	long long in0 = proc_value("/proc/vmstat", "pswpin");
	t0 = rdtsc();
	unsigned wrong = read_pages(p, SWAP_PAGES);
	t1 = rdtsc();
	long long in1 = proc_value("/proc/vmstat", "pswpin");
	long bad = first_wrong_page(p, SWAP_PAGES);
	if (wrong || bad >= 0) {
		printf("# %s: wrong contents after swap-in (page %ld)\n", TOUCH_NAME, bad);
		goto out;
	}
	r->touch = (int64_t)((t1 - t0) / SWAP_PAGES);
	r->touch_pswpin = in0 < 0 || in1 < 0 ? -1 : in1 - in0;

	long left = evict_to_device(p, SWAP_PAGES);
	if (left != 0) {
		if (left < 0)
			unsupported_errno(DEVICE_NAME, "madvise MADV_PAGEOUT or mincore");
		else
			printf("# %s: %ld of %u pages still in memory after %d MADV_PAGEOUT rounds\n",
			       DEVICE_NAME, left, SWAP_PAGES, EVICT_ROUNDS);
		goto out;
	}
	in0 = proc_value("/proc/vmstat", "pswpin");
	t0 = rdtsc();
	wrong = read_pages(p, SWAP_PAGES);
	t1 = rdtsc();
	in1 = proc_value("/proc/vmstat", "pswpin");
	bad = first_wrong_page(p, SWAP_PAGES);
	if (wrong || bad >= 0) {
		printf("# %s: wrong contents after swap-in (page %ld)\n", DEVICE_NAME, bad);
		goto out;
	}
	if (in0 < 0 || in1 < 0) {
		unsupported(DEVICE_NAME, "no pswpin in /proc/vmstat: device reads cannot be told "
			    "from swap-cache hits");
		goto out;
	}
	r->device_pswpin = in1 - in0;
	if (r->device_pswpin < (long long)SWAP_PAGES) {
		snprintf(why, sizeof(why), "pswpin grew by %lld, not by all %u pages: some came "
			 "from memory", r->device_pswpin, SWAP_PAGES);
		unsupported(DEVICE_NAME, why);
		goto out;
	}
	r->device = (int64_t)((t1 - t0) / SWAP_PAGES);
out:
	munmap(p, SWAP_BYTES);
	return 0;
none:
	unsupported(TOUCH_NAME, "no swap-out to come back from");
	unsupported(DEVICE_NAME, "no swap-out to come back from");
	munmap(p, SWAP_BYTES);
	return -1;
}

/* median_of - the median of the n figures of field (at offset) in runs
 * that measured it (>= 0); -1 if none did, *count = how many did. */
static int64_t
median_of(const struct swap_run *runs, unsigned n, size_t offset, unsigned *count)
{
	uint64_t v[REPEAT];
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++) {
		int64_t x = *(const int64_t *)((const char *)&runs[i] + offset);

		if (x >= 0)
			v[k++] = (uint64_t)x;
	}
	*count = k;
	return k ? (int64_t)median(v, k) : -1;
}

/* bench_swap_in_out - the three swap figures; whether swap-out works (the
 * anonymous stream needs it). */
static int
bench_swap_in_out(void)
{
	struct swap_run runs[REPEAT];
	char unit[200];
	unsigned n;

	if (proc_value("/proc/meminfo", "SwapTotal") <= 0) {
		unsupported(SWAPOUT_NAME, "no swap area: SwapTotal 0 in /proc/meminfo");
		unsupported(TOUCH_NAME, "no swap area");
		unsupported(DEVICE_NAME, "no swap area");
		return 0;
	}
	for (unsigned i = 0; i < REPEAT; i++)
		if (swap_run(&runs[i]) < 0)
			return 0;

	int64_t out = median_of(runs, REPEAT, offsetof(struct swap_run, swapout), &n);
	if (out < 0)
		return 0;
	report(SWAPOUT_NAME, (uint64_t)out, "instructions per page (MADV_PAGEOUT of 1,024 written "
	       "private pages in one call)");

	int64_t touch = median_of(runs, REPEAT, offsetof(struct swap_run, touch), &n);
	if (touch >= 0) {
		long long from_device = runs[0].touch_pswpin;

		for (unsigned i = 1; i < REPEAT; i++)
			if (runs[i].touch_pswpin > from_device)
				from_device = runs[i].touch_pswpin;
		if (from_device < 0)
			snprintf(unit, sizeof(unit), "instructions per page (read of the 1,024 "
				 "pages right after; no pswpin to tell device reads)");
		else
			snprintf(unit, sizeof(unit), "instructions per page (read of the 1,024 "
				 "pages right after; read from the swap device: up to %lld a run)",
				 from_device);
		report(TOUCH_NAME, (uint64_t)touch, unit);
	}
	int64_t device = median_of(runs, REPEAT, offsetof(struct swap_run, device), &n);
	if (device >= 0) {
		snprintf(unit, sizeof(unit), "instructions per page (read of 1,024 pages paged out "
			 "clean; all read from the swap device, in %u of %u runs)", n, REPEAT);
		report(DEVICE_NAME, (uint64_t)device, unit);
	}
	return 1;
}

/* ---- reclaim under a stream twice the size of RAM ------------------------------------ */

/* The memory cgroup limit of this process in bytes (cgroup v2
 * memory.max or v1 memory.limit_in_bytes), or 0 if none is known. */
static unsigned long long
cgroup_memory_limit(void)
{
	static char lines[PROC_BYTES], path[512];
	char *line, *save;
	unsigned long long limit = 0;

	if (read_text("/proc/self/cgroup") < 0)
		return 0;
	memcpy(lines, proc_buf, sizeof(lines));
	for (line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *controllers = strchr(line, ':'), *where;

		if (!controllers || !(where = strchr(++controllers, ':')))
			continue;
		*where++ = 0;
		if (controllers[0] == 0)                             /* v2 */
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.max", where);
		else if (strstr(controllers, "memory"))             /* v1 */
			snprintf(path, sizeof(path), "/sys/fs/cgroup/memory%s/memory.limit_in_bytes",
				 where);
		else
			continue;
		if (read_text(path) > 0 && proc_buf[0] >= '0' && proc_buf[0] <= '9') {
			unsigned long long v = strtoull(proc_buf, NULL, 10);

			if (!limit || v < limit)
				limit = v;
		}
	}
	return limit;
}

/* How the streams are sized and counted. */
struct stream_plan {
	unsigned long long ram;              /* bytes of "RAM" */
	unsigned long long bytes;            /* of the stream: twice that */
	int in_cgroup;                       /* counted by anon + file */
};

/* The counter names a plan reads: reclaimed (two), then scanned (two). */
static const char *const global_counters[4] = {
	"pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd", "pgscan_direct",
};
static const char *const cgroup_counters[4] = {
	"pgsteal_anon", "pgsteal_file", "pgscan_anon", "pgscan_file",
};

/* reclaim_counters - reclaimed and scanned pages so far; 0, or -1 if
 * /proc/vmstat lacks a counter (the name is put in *missing). */
static int
reclaim_counters(const struct stream_plan *plan, long long *reclaimed, long long *scanned,
		 const char **missing)
{
	const char *const *names = plan->in_cgroup ? cgroup_counters : global_counters;
	long long v[4];

	if (read_text("/proc/vmstat") < 0) {
		*missing = "/proc/vmstat";
		return -1;
	}
	for (int i = 0; i < 4; i++)
		if ((v[i] = text_value(names[i])) < 0) {
			*missing = names[i];
			return -1;
		}
	*reclaimed = v[0] + v[1];
	*scanned = v[2] + v[3];
	return 0;
}

/* What a stream child hands back through shared memory. */
struct stream_result {
	int done;
	uint64_t instructions;
	long long reclaimed, scanned;
	char note[160];                      /* why there is no figure, if not done */
};

/* anon_stream - writes one word to each page of a private anonymous
 * mapping of plan->bytes, then checks a sample of them (they come back
 * from swap). */
static void
anon_stream(const struct stream_plan *plan, struct stream_result *res)
{
	size_t pages = (size_t)(plan->bytes / PAGE);
	long long steal0, scan0, steal1, scan1;
	const char *missing;
	uint32_t *p = mmap(NULL, (size_t)plan->bytes, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		snprintf(res->note, sizeof(res->note), "mmap of %llu MiB: %s",
			 plan->bytes / MIB, strerror(errno));
		return;
	}
	reclaim_counters(plan, &steal0, &scan0, &missing);
	uint64_t t0 = rdtsc();
	for (size_t i = 0; i < pages; i++)
		p[i * WORDS_PER_PAGE] = pattern((unsigned)i, 0);
	uint64_t t1 = rdtsc();
	reclaim_counters(plan, &steal1, &scan1, &missing);
	for (size_t i = 0; i < pages; i += STREAM_SAMPLE)
		if (p[i * WORDS_PER_PAGE] != pattern((unsigned)i, 0)) {
			snprintf(res->note, sizeof(res->note), "page %zu wrong after the stream", i);
			return;
		}
	res->instructions = t1 - t0;
	res->reclaimed = steal1 - steal0;
	res->scanned = scan1 - scan0;
	res->done = 1;
}

/* stream_dir - a directory on a file system with a page cache (not tmpfs
 * or ramfs, whose holes read as the zero page), or NULL. */
static const char *
stream_dir(void)
{
	const char *dirs[] = { getenv("TMPDIR"), "/tmp", "/var/tmp" };
	struct statfs st;

	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (dirs[i] && statfs(dirs[i], &st) == 0 &&
		    st.f_type != TMPFS_MAGIC && st.f_type != RAMFS_MAGIC)
			return dirs[i];
	return NULL;
}

/* file_stream - reads a sparse file of plan->bytes once with read(). */
static void
file_stream(const struct stream_plan *plan, struct stream_result *res)
{
	static char buf[STREAM_CHUNK];
	const char *dir = stream_dir();
	long long steal0, scan0, steal1, scan1;
	const char *missing;
	char path[320];
	int fd;

	if (!dir) {
		snprintf(res->note, sizeof(res->note), "no directory with a page cache "
			 "($TMPDIR, /tmp, /var/tmp are tmpfs)");
		return;
	}
	snprintf(path, sizeof(path), "%s/bench-swap-%d", dir, (int)getpid());
	fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0 || unlink(path) != 0 || ftruncate(fd, (off_t)plan->bytes) != 0) {
		snprintf(res->note, sizeof(res->note), "a sparse %llu MiB file in %s: %s",
			 plan->bytes / MIB, dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	reclaim_counters(plan, &steal0, &scan0, &missing);
	uint64_t t0 = rdtsc();
	unsigned nonzero = 0;
	for (unsigned long long off = 0; off < plan->bytes; off += STREAM_CHUNK) {
		ssize_t got = read(fd, buf, STREAM_CHUNK);

		if (got != STREAM_CHUNK) {
			snprintf(res->note, sizeof(res->note), "read at %llu: %s", off,
				 got < 0 ? strerror(errno) : "short");
			close(fd);
			return;
		}
		nonzero += buf[0] != 0 || buf[STREAM_CHUNK - 1] != 0;
	}
	uint64_t t1 = rdtsc();
	reclaim_counters(plan, &steal1, &scan1, &missing);
	close(fd);
	if (nonzero) {
		snprintf(res->note, sizeof(res->note), "a hole read as nonzero bytes");
		return;
	}
	res->instructions = t1 - t0;
	res->reclaimed = steal1 - steal0;
	res->scanned = scan1 - scan0;
	res->done = 1;
}

/* run_stream - runs stream in a child (an OOM kill ends only it) and
 * prints its two figures, name and share_name, or why there are none. */
static void
run_stream(const struct stream_plan *plan, const char *name, const char *share_name,
	   void (*stream)(const struct stream_plan *, struct stream_result *), const char *what)
{
	char unit[200];
	int status;
	struct stream_result *res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (res == MAP_FAILED)
		die("mmap");
	memset(res, 0, sizeof(*res));
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		stream(plan, res);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (WIFSIGNALED(status))
		snprintf(res->note, sizeof(res->note), "the stream was killed by signal %d",
			 WTERMSIG(status));
	else if (res->done && (res->reclaimed <= 0 || res->scanned <= 0))
		snprintf(res->note, sizeof(res->note), "nothing was reclaimed: %lld scanned, "
			 "%lld reclaimed", res->scanned, res->reclaimed);
	else if (res->done) {
		snprintf(unit, sizeof(unit), "pages reclaimed per million instructions (%s of "
			 "%llu MiB, twice RAM)", what, plan->bytes / MIB);
		report(name, (uint64_t)res->reclaimed * PER_MILLION / res->instructions, unit);
		snprintf(unit, sizeof(unit), "pages reclaimed per 1,000 scanned (%lld of %lld)",
			 res->reclaimed, res->scanned);
		report(share_name, (uint64_t)res->reclaimed * PER_MILLE / (uint64_t)res->scanned,
		       unit);
		munmap(res, sizeof(*res));
		return;
	}
	unsupported(name, res->note);
	unsupported(share_name, res->note);
	munmap(res, sizeof(*res));
}

/* plan_streams - sizes the streams and checks the counters exist; 0, or
 * -1 with why (a static string) if no stream can run. */
static int
plan_streams(struct stream_plan *plan, const char **why)
{
	static char text[160];
	long long memtotal_kib = proc_value("/proc/meminfo", "MemTotal");
	unsigned long long limit = cgroup_memory_limit();
	long long unused;
	const char *missing;

	if (memtotal_kib <= 0) {
		*why = "no MemTotal in /proc/meminfo";
		return -1;
	}
	plan->ram = (unsigned long long)memtotal_kib * KIB;
	plan->in_cgroup = limit && limit < plan->ram;
	if (plan->in_cgroup)
		plan->ram = limit;
	plan->bytes = plan->ram * STREAM_RAM_FACTOR / STREAM_CHUNK * STREAM_CHUNK;
	if (plan->bytes > STREAM_MAX_BYTES) {
		snprintf(text, sizeof(text), "twice RAM is %llu MiB, more than a 32-bit process "
			 "streams: run it in a memory cgroup with a small limit", plan->bytes / MIB);
		*why = text;
		return -1;
	}
	if (reclaim_counters(plan, &unused, &unused, &missing) < 0) {
		snprintf(text, sizeof(text), "no %s in /proc/vmstat", missing);
		*why = text;
		return -1;
	}
	return 0;
}

/* bench_reclaim - the four stream figures; swap_out says whether
 * MADV_PAGEOUT sent pages to swap. */
static void
bench_reclaim(int swap_out)
{
	struct stream_plan plan;
	const char *why;
	char text[200];

	if (plan_streams(&plan, &why) < 0) {
		unsupported("user.reclaim_anon_stream", why);
		unsupported("user.reclaim_anon_share", why);
		unsupported("user.reclaim_file_stream", why);
		unsupported("user.reclaim_file_share", why);
		return;
	}
	long long swap_free_kib = proc_value("/proc/meminfo", "SwapFree");
	unsigned long long swap_needed = plan.bytes - plan.ram + plan.ram / SWAP_MARGIN_PART;

	if (!swap_out)
		why = "no swap-out: MADV_PAGEOUT sent no page to swap";
	else if (swap_free_kib < 0 || (unsigned long long)swap_free_kib * KIB < swap_needed) {
		snprintf(text, sizeof(text), "needs %llu MiB of free swap, has %lld MiB",
			 swap_needed / MIB, swap_free_kib < 0 ? 0 : swap_free_kib / 1024);
		why = text;
	} else
		why = NULL;
	if (why) {
		unsupported("user.reclaim_anon_stream", why);
		unsupported("user.reclaim_anon_share", why);
	} else
		run_stream(&plan, "user.reclaim_anon_stream", "user.reclaim_anon_share",
			   anon_stream, "a word written to each page of private anonymous memory");
	run_stream(&plan, "user.reclaim_file_stream", "user.reclaim_file_share", file_stream,
		   "read() of a sparse file");
}

/* stay_on_one_cpu - on a multiprocessor Linux, MADV_PAGEOUT drains only
 * this CPU's batches of pages waiting to join the LRU lists, and skips
 * pages still in another CPU's: stay where we are. (A uniprocessor, or a
 * kernel without the calls, has nothing to do.) */
static void
stay_on_one_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

int
main(void)
{
	stay_on_one_cpu();
	bench_reclaim(bench_swap_in_out());
	return 0;
}
