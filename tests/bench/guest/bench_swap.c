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
 * under writeback, or waiting in another CPU's LRU batch) are touched and
 * paged out again, a few rounds apart, each round on the next CPU.
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
#include <stddef.h>
#include <string.h>
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
	while (len < sizeof(proc_buf) - 1) {
		ssize_t got = read(fd, proc_buf + len, sizeof(proc_buf) - 1 - len);

		if (got < 0) {
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
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

/* ---- CPUs ------------------------------------------------------------------------- */

/* On a multiprocessor Linux, pages wait in per-CPU batches before they
 * join (or move on) the LRU lists, and MADV_PAGEOUT skips a page still in
 * one; it drains only the batches of the CPU it runs on. So the program
 * stays on one CPU, and evict_to_device moves from CPU to CPU between its
 * rounds (a page whose write ended on another CPU waits in that CPU's
 * batch). On a uniprocessor, or a kernel without the calls, nothing moves. */
static cpu_set_t allowed_cpus;
static int home_cpu = -1;

/* run_on_cpu - moves this process to cpu (if the kernel lets it). */
static void
run_on_cpu(int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	sched_setaffinity(0, sizeof(one), &one);
}

/* nth_allowed_cpu - the n-th CPU (mod their count) this process may use. */
static int
nth_allowed_cpu(unsigned n)
{
	int count = CPU_COUNT(&allowed_cpus);

	if (count <= 1)
		return home_cpu;
	n %= (unsigned)count;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed_cpus) && n-- == 0)
			return cpu;
	return home_cpu;
}

/* stay_on_one_cpu - from now on, run on the CPU we are on. */
static void
stay_on_one_cpu(void)
{
	home_cpu = sched_getcpu();
	if (home_cpu < 0 || sched_getaffinity(0, sizeof(allowed_cpus), &allowed_cpus) != 0) {
		home_cpu = -1;
		return;
	}
	run_on_cpu(home_cpu);
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
 * swap cache, or skipped while under writeback), from CPU to CPU. The
 * pages left, or -1 if madvise or mincore failed. */
static long
evict_to_device(uint32_t *p, unsigned pages)
{
	static unsigned char vec[SWAP_PAGES];
	const struct timespec wait = { 0, EVICT_WAIT_NS };
	long left = -1;                      /* -1 until a round has counted */

	for (int round = 0; round < EVICT_ROUNDS; round++) {
		if (madvise(p, (size_t)pages * PAGE, MADV_PAGEOUT) != 0)
			break;
		left = resident_pages(p, pages, vec);
		if (left <= 0)
			break;
		for (unsigned i = 0; i < pages; i++)
			if (vec[i] & 1)
				(void)*(volatile uint32_t *)&p[i * WORDS_PER_PAGE];
		nanosleep(&wait, NULL);
		if (home_cpu >= 0)
			run_on_cpu(nth_allowed_cpu((unsigned)round + 1));
	}
	if (home_cpu >= 0)
		run_on_cpu(home_cpu);
	return left;
}

/* ---- swap-out and swap-in of 1,024 pages ------------------------------------------- */

#define SWAPOUT_NAME "user.swapout_pageout"
#define TOUCH_NAME   "user.swapin_touch"
#define DEVICE_NAME  "user.swapin_device"

/* What one run saw. A figure is -1 if the run could not measure it; a
 * count is -1 if it was not taken. */
struct swap_run {
	int64_t swapout, touch, device;      /* instructions per page */
	long swapped;                        /* pages with a swap PTE after MADV_PAGEOUT */
	long long touch_pswpin;              /* pages read from the device by the touch */
	long left;                           /* pages still in memory before the device read */
	long long device_pswpin;             /* pages read from the device by that read */
	long wrong_page;                     /* a page with wrong contents, or -1 */
};

/* timed_read - reads each page of p once (timed) and checks all of it
 * (not timed): instructions per page, the pswpin growth in *from_device
 * (-1 without the counter), a wrong page in *wrong (-1 if none). */
static int64_t
timed_read(uint32_t *p, long long *from_device, long *wrong)
{
	long long in0 = proc_value("/proc/vmstat", "pswpin");
	uint64_t t0 = rdtsc();
	unsigned bad = read_pages(p, SWAP_PAGES);
	uint64_t t1 = rdtsc();
	long long in1 = proc_value("/proc/vmstat", "pswpin");

	*from_device = in0 < 0 || in1 < 0 ? -1 : in1 - in0;
	*wrong = first_wrong_page(p, SWAP_PAGES);
	if (bad && *wrong < 0)
		*wrong = 0;                  /* a load saw what the check did not */
	return (int64_t)((t1 - t0) / SWAP_PAGES);
}

/* swap_run - one run on a fresh mapping: pageout (timed), read (timed),
 * pageout again until nothing is in memory, read (timed). 0, or -1 after
 * printing why swap-out cannot be measured at all. */
static int
swap_run(struct swap_run *r)
{
	uint32_t *p = mmap(NULL, SWAP_BYTES, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*r = (struct swap_run){ -1, -1, -1, -1, -1, -1, -1, -1 };
	if (p == MAP_FAILED)
		die("mmap");
	fill_pages(p, SWAP_PAGES);

	uint64_t t0 = rdtsc();
	int err = madvise(p, SWAP_BYTES, MADV_PAGEOUT);
	uint64_t t1 = rdtsc();
	if (err) {
		unsupported_errno(SWAPOUT_NAME, "madvise MADV_PAGEOUT");
		goto no_swap_out;
	}
	r->swapped = swapped_pages(p, SWAP_PAGES);
	if (r->swapped < 0) {
		unsupported_errno(SWAPOUT_NAME, "read /proc/self/pagemap");
		goto no_swap_out;
	}
	if (r->swapped == 0) {
		unsupported(SWAPOUT_NAME, "MADV_PAGEOUT returned 0 but sent no page to swap: "
			    "pagemap bit 62 clear");
		goto no_swap_out;
	}
	r->swapout = (int64_t)((t1 - t0) / SWAP_PAGES);

	int64_t touch = timed_read(p, &r->touch_pswpin, &r->wrong_page);
	if (r->wrong_page >= 0)
		goto out;
	r->touch = touch;

	r->left = evict_to_device(p, SWAP_PAGES);
	if (r->left != 0)
		goto out;
	int64_t device = timed_read(p, &r->device_pswpin, &r->wrong_page);
	if (r->wrong_page < 0 && r->device_pswpin >= (long long)SWAP_PAGES)
		r->device = device;
out:
	munmap(p, SWAP_BYTES);
	return 0;
no_swap_out:
	unsupported(TOUCH_NAME, "no swap-out to come back from");
	unsupported(DEVICE_NAME, "no swap-out to come back from");
	munmap(p, SWAP_BYTES);
	return -1;
}

/* median_of - the median of the figure at offset over the runs that
 * measured it; -1 if none did. *count = how many did. */
static int64_t
median_of(const struct swap_run *runs, size_t offset, unsigned *count)
{
	uint64_t v[REPEAT];
	unsigned k = 0;

	for (unsigned i = 0; i < REPEAT; i++) {
		int64_t x = *(const int64_t *)((const char *)&runs[i] + offset);

		if (x >= 0)
			v[k++] = (uint64_t)x;
	}
	*count = k;
	return k ? (int64_t)median(v, k) : -1;
}

/* report_swapout - user.swapout_pageout, and a note if some runs sent
 * fewer than all pages to swap. */
static void
report_swapout(const struct swap_run *runs)
{
	unsigned n, short_runs = 0;
	long fewest = SWAP_PAGES;
	int64_t out = median_of(runs, offsetof(struct swap_run, swapout), &n);

	for (unsigned i = 0; i < REPEAT; i++)
		if (runs[i].swapped < (long)SWAP_PAGES) {
			short_runs++;
			if (runs[i].swapped < fewest)
				fewest = runs[i].swapped;
		}
	if (short_runs)
		printf("# %s: in %u of %u runs not every page went to swap (fewest %ld of %u)\n",
		       SWAPOUT_NAME, short_runs, REPEAT, fewest, SWAP_PAGES);
	report(SWAPOUT_NAME, (uint64_t)out, "instructions per page (MADV_PAGEOUT of 1,024 written "
	       "private pages in one call)");
}

/* report_touch - user.swapin_touch, with the most pages a run read from
 * the device. */
static void
report_touch(const struct swap_run *runs)
{
	char unit[200];
	unsigned n;
	long long most = -1;
	int64_t touch = median_of(runs, offsetof(struct swap_run, touch), &n);

	if (touch < 0) {
		printf("# %s: wrong contents after swap-in (page %ld)\n", TOUCH_NAME,
		       runs[0].wrong_page);
		return;
	}
	for (unsigned i = 0; i < REPEAT; i++)
		if (runs[i].touch >= 0 && runs[i].touch_pswpin > most)
			most = runs[i].touch_pswpin;
	if (most < 0)
		snprintf(unit, sizeof(unit), "instructions per page (read of the 1,024 pages right "
			 "after; no pswpin to tell device reads)");
	else
		snprintf(unit, sizeof(unit), "instructions per page (read of the 1,024 pages right "
			 "after; read from the swap device: up to %lld a run)", most);
	report(TOUCH_NAME, (uint64_t)touch, unit);
}

/* report_device - user.swapin_device over the runs where every page was
 * read from the device; a note on the runs left out, and why. */
static void
report_device(const struct swap_run *runs)
{
	char unit[200];
	unsigned n, stayed = 0, cached = 0, wrong = 0;
	long most_left = 0;
	long long least_read = SWAP_PAGES;
	int64_t device = median_of(runs, offsetof(struct swap_run, device), &n);

	for (unsigned i = 0; i < REPEAT; i++) {
		const struct swap_run *r = &runs[i];

		if (r->wrong_page >= 0)
			wrong++;
		else if (r->left != 0) {
			stayed++;
			if (r->left > most_left)
				most_left = r->left;
		} else if (r->device_pswpin >= 0 && r->device_pswpin < (long long)SWAP_PAGES) {
			cached++;
			if (r->device_pswpin < least_read)
				least_read = r->device_pswpin;
		}
	}
	if (wrong)
		printf("# %s: %u of %u runs found wrong contents after swap-in\n", DEVICE_NAME,
		       wrong, REPEAT);
	if (stayed)
		printf("# %s: %u of %u runs left out: pages stayed in memory after %d rounds of "
		       "MADV_PAGEOUT (at most %ld of %u)\n", DEVICE_NAME, stayed, REPEAT,
		       EVICT_ROUNDS, most_left, SWAP_PAGES);
	if (cached)
		printf("# %s: %u of %u runs left out: the read found pages in memory (pswpin grew "
		       "by as little as %lld)\n", DEVICE_NAME, cached, REPEAT, least_read);
	if (device < 0) {
		unsupported(DEVICE_NAME, runs[0].device_pswpin < 0 && !stayed && !wrong ?
			    "no pswpin in /proc/vmstat: device reads cannot be told from swap-cache "
			    "hits" : "no run read every page from the swap device");
		return;
	}
	snprintf(unit, sizeof(unit), "instructions per page (read of 1,024 pages paged out clean, "
		 "all read from the swap device; %u of %u runs)", n, REPEAT);
	report(DEVICE_NAME, (uint64_t)device, unit);
}

/* bench_swap_in_out - the three swap figures; whether swap-out works (the
 * anonymous stream needs it). */
static int
bench_swap_in_out(void)
{
	struct swap_run runs[REPEAT];

	if (proc_value("/proc/meminfo", "SwapTotal") <= 0) {
		unsupported(SWAPOUT_NAME, "no swap area: SwapTotal 0 in /proc/meminfo");
		unsupported(TOUCH_NAME, "no swap area");
		unsupported(DEVICE_NAME, "no swap area");
		return 0;
	}
	for (unsigned i = 0; i < REPEAT; i++)
		if (swap_run(&runs[i]) < 0)
			return 0;
	report_swapout(runs);
	report_touch(runs);
	report_device(runs);
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
 * prints its two figures, name and share_name, or why there are none; and
 * a note if the counters saw fewer pages reclaimed than must have been
 * (a stream of more than RAM cannot stay resident). */
static void
run_stream(const struct stream_plan *plan, const char *name, const char *share_name,
	   void (*stream)(const struct stream_plan *, struct stream_result *), const char *what)
{
	unsigned long long must_leave = (plan->bytes - plan->ram) / PAGE;
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
		snprintf(res->note, sizeof(res->note), "the stream was killed by signal %d: %s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (res->done && (res->reclaimed <= 0 || res->scanned <= 0))
		snprintf(res->note, sizeof(res->note), "nothing was reclaimed: %lld scanned, "
			 "%lld reclaimed", res->scanned, res->reclaimed);
	else if (res->done) {
		if ((unsigned long long)res->reclaimed < must_leave)
			printf("# %s: only %lld pages counted as reclaimed, though at least %llu had "
			       "to leave memory (the stream less RAM): reclaim the counters miss\n",
			       name, res->reclaimed, must_leave);
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

int
main(void)
{
	stay_on_one_cpu();
	bench_reclaim(bench_swap_in_out());
	return 0;
}
