/*
 * tests/bench/guest/bench_nonlinear.c — what remap_file_pages costs user
 * space (issue 11), in guest instructions under make bench (QEMU -icount
 * shift=0; cycles on a host). A 64 MiB file is seen through a 4 MiB
 * MAP_SHARED window (1,024 pages), and one page at a time of the window
 * is pointed at a random page of the file:
 *
 *   user.remap_file_pages_nonblock   remap_file_pages of one page with
 *                                    MAP_NONBLOCK, per call (1,024 random
 *                                    one-page remaps of a fresh window)
 *   user.remap_file_pages_populate   the same without MAP_NONBLOCK: each
 *                                    call also maps its (cached) page
 *   user.nonlinear_fault             a read fault on a page the window
 *                                    got from a MAP_NONBLOCK remap (a file
 *                                    PTE on anvil, a one-page VMA under
 *                                    Linux's emulation), per page touched:
 *                                    every page of a fresh window remapped
 *                                    to a random file page, then each read
 *   user.nonlinear_vmas_1024         after 1,024 random one-page remaps
 *                                    (MAP_NONBLOCK) of a fresh window: the
 *                                    VMAs inside the window (/proc/self/maps
 *                                    lines); anvil keeps one, Linux's
 *                                    emulation splits it up
 *   user.nonlinear_vma_bytes_1024    those VMAs times the vm_area_struct
 *                                    object size of /proc/slabinfo, bytes
 *   user.nonlinear_slab_growth_1024  how much the active objects of the VMA
 *                                    slab caches grew over the remaps, in
 *                                    bytes: vm_area_struct, and maple_node,
 *                                    Linux's VMA tree since 6.1 (Linux's
 *                                    SLUB counts objects of per-CPU slabs
 *                                    as active, so there it is approximate)
 *   user.nonlinear_pte_1024          what the remaps added to the page
 *                                    tables, in bytes (VmPTE growth)
 *   user.nonlinear_kernel_1024       vma_bytes + pte: the kernel memory of
 *                                    1,024 remapped windows
 *
 * The remaps of the timed figures are the same 1,024 pseudo-random
 * (window page, file page) pairs every run and on every kernel (a fixed
 * xorshift seed), the sequence the *_1024 figures measure.
 * Each time figure is the median of REPEAT runs, each on a fresh window.
 * The *_1024 figures are measured first, on a window aligned to 4 MiB at
 * addresses no page table covers yet (anvil frees page tables only with
 * the address space), and /proc is read with read(2), not stdio, whose
 * malloc could mmap and so add VMAs and page tables of its own.
 *
 * The file: the root's /tmp has 32 MiB free (ROOTFS_FREE_MIB), so the
 * 64 MiB file is sparse — every DATA_STRIDE-th page is written with
 * words naming it, the others are holes (zeros) — and all of it is read
 * once and synced before anything is timed, so every figure finds its
 * pages in the page cache and no writeback runs meanwhile. The fault
 * figure checks what each window page reads against the file page it
 * was pointed at.
 *
 * A step the kernel refuses (remap_file_pages before anvil has it:
 * ENOSYS) prints "# <name>: unsupported (<call>: <error>)" and skips
 * that figure. It is an ordinary program (reading /proc is its only
 * look at the kernel, outside the timed paths) and runs on Linux too
 * (build/bench/bench_nonlinear), where /proc/slabinfo needs root.
 */
#define _GNU_SOURCE
#include "bench.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define REPEAT          9
#define FILE_BYTES      (64u << 20)
#define FILE_PAGES      (FILE_BYTES / PAGE)
#define WINDOW_BYTES    (4u << 20)
#define WINDOW_PAGES    (WINDOW_BYTES / PAGE)
#define REMAPS          1024u
#define DATA_STRIDE     4u             /* one file page in 4 holds data */
#define PAGE_MAGIC      0x6e6c0000u    /* "nl": a data page's words are PAGE_MAGIC ^ index */
#define READ_CHUNK      (64u << 10)
#define SEED            0x2545f491u
#define LINE_MAX_BYTES  512
#define PROC_CHUNK      4096u          /* bytes of a /proc file read at a time */
#define KIB             1024u

/* The slab caches that hold VMAs: anvil's and Linux's vm_area_struct,
 * and Linux's maple tree nodes (its VMA index since 6.1). */
static const char *const vma_caches[] = { "vm_area_struct", "maple_node" };
#define NR_VMA_CACHES (sizeof(vma_caches) / sizeof(vma_caches[0]))

static char dir[256];
static uint32_t buf[READ_CHUNK / sizeof(uint32_t)];

/* One step of a fixed sequence: window page win gets file page pgoff. */
struct remap {
	unsigned win;
	unsigned pgoff;
};

static struct remap random_remaps[REMAPS];
static unsigned fault_pgoff[WINDOW_PAGES];
static uint32_t fault_sum;              /* what the fault figure's reads add up to */

/* unsupported - the figure name cannot be measured here: why. */
static void
unsupported(const char *name, const char *call)
{
	printf("# %s: unsupported (%s: %s)\n", name, call, strerror(errno));
	fflush(stdout);
}

/* xorshift32 - the next of a fixed pseudo-random sequence in *state. */
static uint32_t
xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* page_word - what every word of file page pgoff holds. */
static uint32_t
page_word(unsigned pgoff)
{
	return pgoff % DATA_STRIDE ? 0 : PAGE_MAGIC ^ pgoff;
}

/* make_sequences - the 1,024 random one-page remaps, and the random file
 * page of each window page for the fault figure. */
static void
make_sequences(void)
{
	uint32_t state = SEED;

	for (unsigned i = 0; i < REMAPS; i++) {
		random_remaps[i].win = xorshift32(&state) % WINDOW_PAGES;
		random_remaps[i].pgoff = xorshift32(&state) % FILE_PAGES;
	}
	for (unsigned i = 0; i < WINDOW_PAGES; i++) {
		fault_pgoff[i] = xorshift32(&state) % FILE_PAGES;
		fault_sum += page_word(fault_pgoff[i]);
	}
}

/* sparse_file - the 64 MiB benchmark file, written (every DATA_STRIDE-th
 * page), synced and read once whole; its fd, or -1 (errno set). */
static int
sparse_file(void)
{
	char path[320];
	int fd;

	snprintf(path, sizeof(path), "%s/bench-nonlinear-%d", dir, (int)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		return -1;
	unlink(path);
	for (unsigned pgoff = 0; pgoff < FILE_PAGES; pgoff += DATA_STRIDE) {
		for (unsigned i = 0; i < PAGE / sizeof(uint32_t); i++)
			buf[i] = page_word(pgoff);
		if (pwrite(fd, buf, PAGE, (off_t)pgoff * PAGE) != PAGE)
			goto fail;
	}
	if (ftruncate(fd, FILE_BYTES) || fsync(fd))
		goto fail;
	for (size_t off = 0; off < FILE_BYTES; off += READ_CHUNK)
		if (pread(fd, buf, READ_CHUNK, (off_t)off) != READ_CHUNK)
			goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* map_window - a fresh 4 MiB MAP_SHARED window on the file's first 4 MiB,
 * or NULL (errno set). */
static char *
map_window(int fd)
{
	char *w = mmap(NULL, WINDOW_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return w == MAP_FAILED ? NULL : w;
}

/* remap_sequence - the 1,024 random one-page remaps of window w with
 * flags; 0, or -1 (errno set) at the first that fails. */
static int
remap_sequence(char *w, int flags)
{
	for (unsigned i = 0; i < REMAPS; i++)
		if (remap_file_pages(w + (size_t)random_remaps[i].win * PAGE, PAGE, 0,
				     random_remaps[i].pgoff, flags))
			return -1;
	return 0;
}

static void
bench_remap(int fd, const char *name, int flags, const char *unit)
{
	uint64_t runs[REPEAT];

	for (int r = 0; r < REPEAT; r++) {
		char *w = map_window(fd);

		if (!w)
			return unsupported(name, "mmap MAP_SHARED of a file");
		uint64_t t0 = rdtsc();
		int failed = remap_sequence(w, flags);
		runs[r] = (rdtsc() - t0) / REMAPS;
		munmap(w, WINDOW_BYTES);
		if (failed)
			return unsupported(name, "remap_file_pages");
	}
	report(name, median(runs, REPEAT), unit);
}

/* A reader of /proc files line by line through read(2) and static
 * buffers: stdio's fopen would malloc, and musl's malloc may mmap, which
 * would add page tables and VMAs to what the memory figures measure. */
struct proc_lines {
	int fd;
	size_t start, end;                     /* unread bytes: buf[start, end) */
	char buf[PROC_CHUNK];
	char line[LINE_MAX_BYTES];
};

static struct proc_lines proc_reader;

/* proc_open - starts reading path; the reader, or NULL (errno set). */
static struct proc_lines *
proc_open(const char *path)
{
	struct proc_lines *r = &proc_reader;

	r->fd = open(path, O_RDONLY);
	if (r->fd < 0)
		return NULL;
	r->start = r->end = 0;
	return r;
}

/* proc_next_line - the next line of r, without its newline (cut at
 * LINE_MAX_BYTES - 1 bytes), or NULL at the end of the file. */
static const char *
proc_next_line(struct proc_lines *r)
{
	size_t n = 0;

	for (;;) {
		if (r->start == r->end) {
			ssize_t got = read(r->fd, r->buf, sizeof(r->buf));

			if (got <= 0) {
				r->line[n] = 0;
				return n ? r->line : NULL;
			}
			r->start = 0;
			r->end = (size_t)got;
		}
		char c = r->buf[r->start++];
		if (c == '\n')
			break;
		if (n < sizeof(r->line) - 1)
			r->line[n++] = c;
	}
	r->line[n] = 0;
	return r->line;
}

static void
proc_close(struct proc_lines *r)
{
	close(r->fd);
}

/* window_kib - the sum of the smaps field key ("Rss:") over the VMAs
 * inside window w, in kB, or -1 if /proc/self/smaps cannot be read. */
static long
window_kib(const char *w, const char *key)
{
	struct proc_lines *f = proc_open("/proc/self/smaps");
	const char *line;
	unsigned long start, end, kib;
	int inside = 0;
	long sum = 0;

	if (!f)
		return -1;
	while ((line = proc_next_line(f))) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			inside = start >= (unsigned long)w && end <= (unsigned long)w + WINDOW_BYTES;
		else if (inside && strncmp(line, key, strlen(key)) == 0 &&
			 sscanf(line + strlen(key), "%lu", &kib) == 1)
			sum += (long)kib;
	}
	proc_close(f);
	return sum;
}

/* window_holds - whether each page i of window w reads, in its first and
 * last word, the words of file page pgoffs[i]. */
static int
window_holds(const uint32_t *w, const unsigned *pgoffs)
{
	const size_t words = PAGE / sizeof(uint32_t);

	for (unsigned i = 0; i < WINDOW_PAGES; i++)
		if (w[i * words] != page_word(pgoffs[i]) ||
		    w[i * words + words - 1] != page_word(pgoffs[i]))
			return 0;
	return 1;
}

/* remap_each_page - every page i of window w to file page pgoffs[i], with
 * MAP_NONBLOCK; 0, or -1 (errno set). */
static int
remap_each_page(char *w, const unsigned *pgoffs)
{
	for (unsigned i = 0; i < WINDOW_PAGES; i++)
		if (remap_file_pages(w + (size_t)i * PAGE, PAGE, 0, pgoffs[i], MAP_NONBLOCK))
			return -1;
	return 0;
}

static void
bench_fault(int fd)
{
	const char *name = "user.nonlinear_fault";
	const size_t words = PAGE / sizeof(uint32_t);
	uint64_t runs[REPEAT];

	for (int r = 0; r < REPEAT; r++) {
		char *w = map_window(fd);
		volatile uint32_t *word = (volatile uint32_t *)w;
		uint32_t sum = 0;

		if (!w)
			return unsupported(name, "mmap MAP_SHARED of a file");
		if (remap_each_page(w, fault_pgoff)) {
			munmap(w, WINDOW_BYTES);
			return unsupported(name, "remap_file_pages MAP_NONBLOCK");
		}
		long present_kib = r == 0 ? window_kib(w, "Rss:") : 0;
		if (present_kib > 0)
			printf("# %s: %ld of %u pages were present before the touch\n", name,
			       present_kib / (long)(PAGE / KIB), WINDOW_PAGES);
		uint64_t t0 = rdtsc();
		for (unsigned i = 0; i < WINDOW_PAGES; i++)
			sum += word[i * words];
		runs[r] = (rdtsc() - t0) / WINDOW_PAGES;
		int right = window_holds((const uint32_t *)w, fault_pgoff);
		munmap(w, WINDOW_BYTES);
		if (!right || sum != fault_sum) {
			printf("# %s: wrong file contents through the remapped window\n", name);
			return;
		}
	}
	report(name, median(runs, REPEAT),
	       "instructions per page (read fault after MAP_NONBLOCK remaps of 1,024 pages)");
}

/* count_vmas - /proc/self/maps lines inside window w, or -1. */
static long
count_vmas(const char *w)
{
	struct proc_lines *f = proc_open("/proc/self/maps");
	const char *line;
	unsigned long start, end;
	long n = 0;

	if (!f)
		return -1;
	while ((line = proc_next_line(f)))
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    start >= (unsigned long)w && end <= (unsigned long)w + WINDOW_BYTES)
			n++;
	proc_close(f);
	return n;
}

/* What /proc/slabinfo says of the VMA caches: for vma_caches[i], the
 * bytes of its active objects and its object size (0 and 0 if the kernel
 * has no such cache). */
struct vma_slabs {
	long long bytes[NR_VMA_CACHES];
	long objsize[NR_VMA_CACHES];
};

/* read_vma_slabs - fills *s from /proc/slabinfo; 0, or -1 if it cannot be
 * read (errno set). */
static int
read_vma_slabs(struct vma_slabs *s)
{
	struct proc_lines *f = proc_open("/proc/slabinfo");
	const char *line;
	char cache[64];
	unsigned long active, total, size;

	if (!f)
		return -1;
	memset(s, 0, sizeof(*s));
	while ((line = proc_next_line(f))) {
		if (sscanf(line, "%63s %lu %lu %lu", cache, &active, &total, &size) != 4)
			continue;
		for (unsigned i = 0; i < NR_VMA_CACHES; i++)
			if (strcmp(cache, vma_caches[i]) == 0) {
				s->bytes[i] = (long long)active * (long long)size;
				s->objsize[i] = (long)size;
			}
	}
	proc_close(f);
	return 0;
}

/* vm_pte_bytes - VmPTE of /proc/self/status in bytes, or -1. */
static long long
vm_pte_bytes(void)
{
	struct proc_lines *f = proc_open("/proc/self/status");
	const char *line;
	long long result = -1;
	unsigned long kib;

	if (!f)
		return -1;
	while ((line = proc_next_line(f)))
		if (sscanf(line, "VmPTE: %lu kB", &kib) == 1)
			result = (long long)kib * KIB;
	proc_close(f);
	return result;
}

/* report_growth - a BENCH line for a change that should not be negative;
 * a comment if it is (another process freed memory meanwhile, on a host). */
static void
report_growth(const char *name, long long bytes, const char *unit)
{
	if (bytes < 0) {
		printf("# %s: %lld (shrank meanwhile)\n", name, bytes);
		return;
	}
	report(name, (uint64_t)bytes, unit);
}

/* What 1,024 random one-page remaps of one window cost the kernel. */
struct remap_cost {
	long vmas;                      /* VMAs inside the window, or -1 */
	int have_slabs;                 /* slabs[] were read */
	struct vma_slabs slabs[2];      /* before and after the remaps */
	long long pte[2];               /* VmPTE before and after, or -1 */
};

/* map_aligned_window - a window like map_window's, but at an address
 * aligned to its size and never used before, inside a PROT_NONE
 * reservation of twice its size (*reservation, to munmap): the page
 * tables that cover it are the ones the remaps make (anvil frees page
 * tables only with the address space). NULL if a mmap failed (errno set). */
static char *
map_aligned_window(int fd, char **reservation)
{
	char *r = mmap(NULL, 2 * WINDOW_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t aligned;
	char *w;

	if (r == MAP_FAILED)
		return NULL;
	aligned = ((uintptr_t)r + WINDOW_BYTES - 1) & ~(uintptr_t)(WINDOW_BYTES - 1);
	w = mmap((char *)aligned, WINDOW_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if (w == MAP_FAILED) {
		int error = errno;
		munmap(r, 2 * WINDOW_BYTES);
		errno = error;
		return NULL;
	}
	*reservation = r;
	return w;
}

/* measure_remap_cost - the 1,024 random MAP_NONBLOCK remaps of a fresh
 * aligned window, with /proc read before and after; 0, or -1 (errno set)
 * if the window or a remap failed. Runs before the other figures, so
 * that the window's addresses have no page table yet. */
static int
measure_remap_cost(int fd, struct remap_cost *c)
{
	char *reservation, *w = map_aligned_window(fd, &reservation);

	if (!w)
		return -1;
	c->pte[0] = vm_pte_bytes();
	c->have_slabs = read_vma_slabs(&c->slabs[0]) == 0;
	if (remap_sequence(w, MAP_NONBLOCK)) {
		int error = errno;
		munmap(reservation, 2 * WINDOW_BYTES);
		errno = error;
		return -1;
	}
	c->have_slabs = c->have_slabs && read_vma_slabs(&c->slabs[1]) == 0;
	c->pte[1] = vm_pte_bytes();
	c->vmas = count_vmas(w);
	munmap(reservation, 2 * WINDOW_BYTES);
	return 0;
}

static void
bench_memory(int fd)
{
	const char *name = "user.nonlinear_vmas_1024";
	struct remap_cost c;
	long long slab_growth = 0, vma_bytes;
	int have_pte;

	if (measure_remap_cost(fd, &c))
		return unsupported(name, "remap_file_pages MAP_NONBLOCK");
	if (c.vmas < 0)
		return unsupported(name, "read /proc/self/maps");
	report(name, (uint64_t)c.vmas, "VMAs in the 4 MiB window after 1,024 random one-page remaps");
	if (!c.have_slabs) {
		unsupported("user.nonlinear_vma_bytes_1024", "read /proc/slabinfo");
		return;
	}
	vma_bytes = c.vmas * (long long)c.slabs[1].objsize[0];
	report("user.nonlinear_vma_bytes_1024", (uint64_t)vma_bytes,
	       "bytes: those VMAs times the vm_area_struct size of /proc/slabinfo");
	for (unsigned i = 0; i < NR_VMA_CACHES; i++) {
		printf("# %s: %lld -> %lld bytes of active objects\n", vma_caches[i],
		       c.slabs[0].bytes[i], c.slabs[1].bytes[i]);
		slab_growth += c.slabs[1].bytes[i] - c.slabs[0].bytes[i];
	}
	report_growth("user.nonlinear_slab_growth_1024", slab_growth,
		      "bytes: growth of the VMA slab caches' active objects (vm_area_struct, maple_node)");
	have_pte = c.pte[0] >= 0 && c.pte[1] >= 0;
	if (!have_pte) {
		errno = ENOENT;
		return unsupported("user.nonlinear_pte_1024", "VmPTE in /proc/self/status");
	}
	report_growth("user.nonlinear_pte_1024", c.pte[1] - c.pte[0],
		      "bytes of page tables added by the 1,024 remaps (VmPTE)");
	report_growth("user.nonlinear_kernel_1024", vma_bytes + c.pte[1] - c.pte[0],
		      "bytes: the window's VMAs + the page tables the remaps added");
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	int fd;

	snprintf(dir, sizeof(dir), "%s", t && *t ? t : "/tmp");
	make_sequences();
	fd = sparse_file();
	if (fd < 0) {
		unsupported("user.remap_file_pages_nonblock", "write and read a 64 MiB file");
		return 0;
	}
	bench_memory(fd);                       /* first: see measure_remap_cost */
	bench_remap(fd, "user.remap_file_pages_nonblock", MAP_NONBLOCK,
		    "instructions per call (one page, MAP_NONBLOCK, 1,024 random remaps)");
	bench_remap(fd, "user.remap_file_pages_populate", 0,
		    "instructions per call (one cached page mapped, 1,024 random remaps)");
	bench_fault(fd);
	close(fd);
	return 0;
}
