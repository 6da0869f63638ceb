/*
 * mm_random_stress — a seeded random walk through the mm system calls by a
 * changing family of processes, every page checked against a model, where
 * mappings may be anonymous or of files (shared or private, at a page
 * offset, of a file other workers map too) and the coordinator also
 * writes, reads and truncates those files. The file operations (issue 10)
 * on top of the anonymous ones:
 *
 *   mmap       also MAP_SHARED or MAP_PRIVATE of a file in $TMPDIR or
 *              /tmp (a new one, or one already in use), at a page offset;
 *              the mapping may reach past the end of the file
 *   write      through a shared file mapping: the file's page (every
 *              mapping of it and read() see it); through a private one:
 *              the process's own copy from then on
 *   dontneed   private file pages read the file again
 *   mremap     file mappings grow too (the new pages show the file)
 *   fwrite     the coordinator pwrite()s 1-4 pages of a file: shared views
 *              and private pages never written see it, private copies not
 *   fread      the coordinator pread()s a whole file and checks every page
 *              and the size (so stores through shared mappings are there)
 *   truncate   the coordinator ftruncate()s a file to 0..MAX_FILE_PAGES
 *              pages: pages past the new end are SIGBUS in every mapping,
 *              private copies there are gone, growing gives zeros
 *   msync      MS_SYNC, MS_ASYNC, MS_INVALIDATE or 0 on part of a file
 *              mapping: 0, no byte changes
 *   bus        touching a page past the end of its file is SIGBUS
 *              BUS_ADRERR at the exact address
 * and remap_file_pages (issue 11):
 *   remap      part of a shared mapping (of a file, or shared anonymous
 *              memory) shows other pages of its object: one window of
 *              1-N pages at one offset, or page by page at random offsets
 *              (a file page may then show at two addresses); MAP_NONBLOCK
 *              or populated. Windows may point past the end of the file
 *              (SIGBUS there, as for any page past the end), never past a
 *              shared anonymous object. anvil keeps the mapping one
 *              nonlinear VMA; Linux 4.0 and later make each window its own
 *              VMA. So that both run the same walk, every page carries the
 *              number of the window that placed it (0: mmap's own layout):
 *              mremap takes only pages of one window (one VMA on Linux
 *              too), and grows only pages mmap placed (where a grown page
 *              lands, linearly after its VMA's offset, is the same
 *              for both only there).
 * Pages past the end of their file are never read by the checks (the
 * bus operation probes them). Every full check also reads every file back.
 * Run and options as mm_random_stress (STRESS_SEEDS, STRESS_STEPS,
 * STRESS_SEED, STRESS_TRACE, STRESS_CHECK_EVERY, or "SEED STEPS").
 *
 * The walk itself:
 *
 * One coordinator (this program's first process) holds the model and
 * decides every step; the workers only execute. Worker 0 is forked by the
 * coordinator; later workers are forked by workers (fork is one of the
 * steps), so their address spaces are real fork copies, up to MAX_ALIVE
 * alive at once. Each step the coordinator picks a live worker and an
 * operation, sends it a command through that worker's pipe and waits for
 * the reply: only one process runs at a time, so every byte of every page
 * is known in advance and every check is exact.
 *
 *   mmap       private or shared anonymous, 1-16 pages, read-write
 *   write      1-4 pages get a fresh tag (old contents checked first)
 *   munmap     a part of a region (checked first)
 *   mprotect   a part of a region: none, read, or read-write
 *   mremap     shrink, grow with MAYMOVE, or move (MAYMOVE|FIXED) a part
 *   dontneed   madvise(MADV_DONTNEED): private pages read zero again,
 *              shared pages keep their data
 *   fork/exit  a worker forks a child worker / a worker exits
 *   offline    (anvil) madvise(MADV_SOFT_OFFLINE) or the sysfs file on
 *              written pages: same data, a new PFN
 *   probe      a PROT_NONE page faults on read, a read-only one on write
 *
 * A page's tag is (generation, writer's id, page id): the generation is a
 * counter of writes, so no two writes leave the same bytes. A private page
 * after fork is a separate page in each process (a child's write does not
 * reach the parent, nor the other way); a shared page is one object page,
 * and a write by any process is what every process mapping it reads. Every
 * CHECK_EVERY steps (STRESS_CHECK_EVERY) all workers check all their
 * readable pages and, on anvil, /proc/sys/vm/rmap_check must read 0 (on a
 * mismatch the test writes to it too, so that the kernel logs the details).
 *
 * Run with no arguments: DEFAULT_SEEDS seeds of DEFAULT_STEPS steps.
 * "mm_random_stress SEED STEPS" runs one seed; the environment variables
 * STRESS_SEEDS (how many), STRESS_STEPS and STRESS_SEED (the first seed)
 * change the defaults (make stress uses them). A failure names the seed and
 * the step, and the last operations, so that the run can be repeated;
 * STRESS_TRACE=1 prints every step, STRESS_CHECK_EVERY=1 checks after each.
 *
 * On a host (no /proc/sys/vm/rmap_check) pages are not offlined and the
 * checker is not read; the offline step checks the pages instead. On anvil
 * every offlined frame is retired for good: about 150 per 1000 steps, so a
 * 256 MiB guest has room for a few hundred thousand steps per boot.
 */
#define TEST_NAME "mm_random_stress"
#include "guest.h"
#include "vm_probe.h"
#include "file_test.h"
#include <stdarg.h>

#define DEFAULT_SEEDS        3
#define DEFAULT_STEPS        300
#define DEFAULT_FIRST_SEED   1
#define CHECK_EVERY          50                /* steps between full checks */
#define PROGRESS_EVERY       250               /* steps between progress lines */

#define MAX_ALIVE            6                 /* workers alive at once */
#define MAX_REGIONS          12                /* regions per worker */
#define MAX_MAP_PAGES        16                /* pages of one mmap */
#define MAX_REGION_PAGES     24                /* pages of a region after growing */
#define MAX_WRITE_PAGES      4
#define MAX_OBJECTS          512               /* shared mappings and files per seed */
#define MAX_FILE_PAGES       24                /* pages of a file, and the last mapped index + 1 */
#define MAX_FWRITE_PAGES     4
#define HISTORY              8                 /* operations shown on failure */

#define TAG_MAGIC            0x7a6e0b0bu
#define SHARED_PAGE_ID_BASE  0x40000000u
#define GEN_SKIP             0xFFFFFFFFu       /* a page past the end of its file: not read */
#define COORDINATOR_UID      0                 /* the writer of the coordinator's pwrite()s */

/* ---- the protocol ------------------------------------------------------------- */

/* What a page holds: word 0 TAG_MAGIC, 1 generation, 2 writer, 3 page id,
 * then body words derived from all three. Generation 0 means all zero. */
struct tag {
	uint32_t gen;
	uint32_t writer;
	uint32_t page_id;
};

enum op {
	OP_MMAP, OP_WRITE, OP_VERIFY, OP_MUNMAP, OP_MPROTECT, OP_MREMAP, OP_DONTNEED,
	OP_FORK, OP_EXIT, OP_OFFLINE, OP_PROBE, OP_FWRITE, OP_FREAD, OP_TRUNCATE, OP_MSYNC,
	OP_BUS, OP_REMAP, OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"mmap", "write", "verify", "munmap", "mprotect", "mremap", "dontneed",
	"fork", "exit", "offline", "probe", "fwrite", "fread", "truncate", "msync", "bus",
	"remap",
};

/* How often each operation is drawn (out of the sum). */
static const int op_weights[OP_COUNT] = {
	[OP_MMAP] = 14, [OP_WRITE] = 22, [OP_VERIFY] = 6, [OP_MUNMAP] = 8,
	[OP_MPROTECT] = 8, [OP_MREMAP] = 10, [OP_DONTNEED] = 6, [OP_FORK] = 7,
	[OP_EXIT] = 5, [OP_OFFLINE] = 8, [OP_PROBE] = 4, [OP_FWRITE] = 6, [OP_FREAD] = 3,
	[OP_TRUNCATE] = 5, [OP_MSYNC] = 4, [OP_BUS] = 4, [OP_REMAP] = 8,
};

enum remap_kind { REMAP_SHRINK, REMAP_GROW, REMAP_FIXED };
enum offline_method { OFFLINE_MADVISE, OFFLINE_SYSFS };
enum probe_kind { PROBE_READ, PROBE_WRITE };
enum exit_kind { EXIT_MIDWAY, EXIT_LAST };         /* EXIT_LAST: children are gone */
enum remap_mode { REMAP_WINDOW, REMAP_PAGES };     /* one call, or one per page */

/* One command from the coordinator to a worker. The worker checks the
 * `before` tags of [addr, +npages) first if check_before, runs the
 * operation, then checks the `after` tags at the (maybe new) place if
 * check_after. */
struct command {
	int op;
	int step;
	uint32_t addr;
	uint32_t npages;
	uint32_t arg[3];
	uint32_t pgoff[MAX_REGION_PAGES];       /* OP_REMAP: the file page of each page */
	int check_before;
	int check_after;
	struct tag before[MAX_REGION_PAGES];
	struct tag after[MAX_REGION_PAGES];
};

enum reply_status { REPLY_OK, REPLY_FAILED };

struct reply {
	int status;
	uint32_t value;                         /* an address, or a child's pid */
};

/* ---- the model (the coordinator's) ------------------------------------------- */

enum backing { BACKING_PRIVATE, BACKING_SHARED, BACKING_FILE_SHARED, BACKING_FILE_PRIVATE };

static const char *const backing_names[] = { "private", "shared", "file-shared", "file-private" };

/* A page of a region: a private page holds its own tag; a shared page is
 * page `index` of object `obj` (a shared anonymous object or a file); a
 * private file page is the file's page until the process writes it (cow),
 * then its own tag. win: the remap_file_pages window that gave the page its
 * index (0: the mmap did). */
struct mpage {
	struct tag tag;
	int obj;
	int index;
	int cow;
	uint32_t id;
	uint32_t win;
};

/* A run of pages one mmap made, with one protection: always inside one VMA
 * of the worker (a split in the model is at least as fine as the kernel's),
 * except that on Linux 4.0 and later each remap_file_pages window in it is
 * a VMA of its own (same_window_run). */
struct region {
	uint32_t addr;
	int npages;
	int prot;
	enum backing backing;
	struct mpage page[MAX_REGION_PAGES];
};

struct worker {
	int alive;
	uint32_t uid;                           /* unique in the seed's run */
	pid_t pid;
	int nregions;
	struct region region[MAX_REGIONS];
};

/* A shared anonymous mapping's pages, or a file's: npages is the file's
 * size in pages (pages at and past it have gen 0: zeros when it grows). */
struct object {
	int is_file;
	int npages;
	struct tag tag[MAX_FILE_PAGES];
};

static struct {
	uint32_t seed;
	uint32_t rng;
	int step;
	int steps;
	uint32_t next_uid;
	uint32_t next_gen;
	uint32_t next_page_id;
	uint32_t next_win;
	int nobjects;
	int counts[OP_COUNT];
	char history[HISTORY][96];
	struct worker worker[MAX_ALIVE];
	struct object object[MAX_OBJECTS];
} m;

static int on_anvil;
static pid_t coordinator_pid;                   /* names the files, in every worker */
static int trace;                               /* STRESS_TRACE=1: print every step */
static int check_every = CHECK_EVERY;           /* STRESS_CHECK_EVERY */
static int cmd_pipe[MAX_ALIVE][2];              /* coordinator -> worker slot */
static int reply_pipe[2];                       /* every worker -> coordinator */

/* err_text - errno's symbolic name, or its description when guest.h has no
 * name for it (EBUSY, ...). */
static const char *
err_text(int e)
{
	const char *name = errno_name(e);

	return strncmp(name, "errno ", 6) == 0 ? strerror(e) : name;
}

/* ---- page contents ------------------------------------------------------------- */

#define HEADER_WORDS 4
#define PAGE_WORDS   (PAGE_SIZE / 4)

static uint32_t
body_base(const struct tag *t)
{
	return mix32(t->gen * 0x9e3779b9u ^ mix32(t->page_id) ^ t->writer);
}

static uint32_t
body_word(uint32_t base, uint32_t i)
{
	return base + i * 0x01000193u;
}

/* write_tag - fill the page at p with tag t. */
static void
write_tag(uint32_t *p, const struct tag *t)
{
	uint32_t base = body_base(t);

	p[0] = TAG_MAGIC;
	p[1] = t->gen;
	p[2] = t->writer;
	p[3] = t->page_id;
	for (uint32_t i = HEADER_WORDS; i < PAGE_WORDS; i++)
		p[i] = body_word(base, i);
}

/* tag_mismatch - index of the first word of p that t does not predict, or -1. */
static long
tag_mismatch(const uint32_t *p, const struct tag *t)
{
	if (t->gen == 0) {
		for (long i = 0; i < PAGE_WORDS; i++)
			if (p[i] != 0)
				return i;
		return -1;
	}
	if (p[0] != TAG_MAGIC || p[1] != t->gen || p[2] != t->writer || p[3] != t->page_id)
		return p[0] != TAG_MAGIC ? 0 : p[1] != t->gen ? 1 : p[2] != t->writer ? 2 : 3;
	uint32_t base = body_base(t);
	for (uint32_t i = HEADER_WORDS; i < PAGE_WORDS; i++)
		if (p[i] != body_word(base, i))
			return i;
	return -1;
}

/* ---- the worker ---------------------------------------------------------------- */

static struct {
	int slot;
	uint32_t uid;
	const struct command *cmd;              /* being executed, for messages */
	volatile sig_atomic_t expecting_fault;
	sigjmp_buf probe_jump;
	volatile int fault_signo;
	volatile int fault_code;
	void *volatile fault_addr;
} self;

/* stress_file - the path of file object obj of this seed. */
static const char *
stress_file(int obj)
{
	static char path[200];

	snprintf(path, sizeof(path), "%s/anvil-" TEST_NAME "-%d-%u-%d", tmp_dir(),
		 (int)coordinator_pid, m.seed, obj);
	return path;
}

/* worker_fail - print a FAIL line naming the step, tell the coordinator,
 * and end this worker. */
#define worker_fail(fmt, ...) do {                                               \
		printf("(" TEST_NAME ") FAIL: seed %u step %d, worker %u, %s: " fmt "\n", \
		       m.seed, self.cmd ? self.cmd->step : -1, self.uid,                 \
		       self.cmd ? op_names[self.cmd->op] : "start", ##__VA_ARGS__);     \
		fflush(stdout);                                                          \
		send_reply(REPLY_FAILED, 0);                                             \
		_exit(1);                                                                \
	} while (0)

static void
send_reply(int status, uint32_t value)
{
	struct reply r = { status, value };

	if (write_full(reply_pipe[1], &r, sizeof(r)) != (long)sizeof(r))
		_exit(1);
}

/* crash_handler - a fault nobody expected: report it as this step's
 * failure. A probe's expected fault jumps back instead. */
static void
crash_handler(int sig, siginfo_t *info, void *context)
{
	if (self.expecting_fault && (sig == SIGSEGV || sig == SIGBUS)) {
		self.fault_signo = sig;
		self.fault_code = info->si_code;
		self.fault_addr = info->si_addr;
		siglongjmp(self.probe_jump, 1);
	}
	worker_fail("unexpected signal %d at address %p (code %d)", sig, info->si_addr,
		    info->si_code);
}

static void
install_crash_handler(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		set_siginfo_handler(sigs[i], crash_handler, SA_NODEFER);
}

/* check_pages - pages [addr, +n) hold tags t[0..n). */
static void
check_pages(uint32_t addr, uint32_t n, const struct tag *t, const char *when)
{
	for (uint32_t i = 0; i < n; i++) {
		const uint32_t *p = (const uint32_t *)(uintptr_t)(addr + i * PAGE_SIZE);
		if (t[i].gen == GEN_SKIP)
			continue;                       /* past the end of its file */
		long bad = tag_mismatch(p, &t[i]);

		if (bad >= 0)
			worker_fail("%s: page %u at 0x%x, word %ld is 0x%08x (expected gen %u writer %u "
				    "page %u; page holds magic 0x%08x gen %u writer %u page %u)",
				    when, i, addr + i * PAGE_SIZE, bad, p[bad], t[i].gen, t[i].writer,
				    t[i].page_id, p[0], p[1], p[2], p[3]);
	}
}

/* pfn_at - the PFN mapped at addr (from this process's pagemap); 0 if none. */
static uint64_t
pfn_at(uint32_t addr)
{
	uint64_t entry;
	int err = read_pagemap_entry((const void *)(uintptr_t)addr, &entry);

	if (err)
		worker_fail("read %s: %s", PAGEMAP_PATH, err_text(-err));
	return pm_pfn(entry);
}

static void
sysfs_offline(uint64_t pfn)
{
	int err = sysfs_soft_offline(pfn);

	if (err)
		worker_fail("write pfn %#llx to %s: %s", (unsigned long long)pfn,
			    SOFT_OFFLINE_PATH, err_text(-err));
}

/* do_offline - every page of the range moves to a new frame. */
static void
do_offline(const struct command *c)
{
	uint64_t before[MAX_REGION_PAGES];

	for (uint32_t i = 0; i < c->npages; i++)
		if ((before[i] = pfn_at(c->addr + i * PAGE_SIZE)) == 0)
			worker_fail("page %u at 0x%x: no PFN before the offline", i,
				    c->addr + i * PAGE_SIZE);
	if (c->arg[0] == OFFLINE_MADVISE) {
		if (madvise((void *)(uintptr_t)c->addr, c->npages * PAGE_SIZE, MADV_SOFT_OFFLINE))
			worker_fail("madvise(0x%x, %u pages, MADV_SOFT_OFFLINE): %s", c->addr,
				    c->npages, err_text(errno));
	} else {
		for (uint32_t i = 0; i < c->npages; i++)
			sysfs_offline(before[i]);
	}
	for (uint32_t i = 0; i < c->npages; i++) {
		uint64_t after = pfn_at(c->addr + i * PAGE_SIZE);
		if (after == 0 || after == before[i])
			worker_fail("page %u at 0x%x: PFN 0x%llx before, 0x%llx after the offline", i,
				    c->addr + i * PAGE_SIZE, (unsigned long long)before[i],
				    (unsigned long long)after);
	}
}

/* probe_access - read or write the byte at p, which must fault: the
 * fault's signal, code and address land in self. */
static void
probe_access(volatile char *p, int write)
{
	self.fault_signo = self.fault_code = 0;
	if (sigsetjmp(self.probe_jump, 1) == 0) {
		self.expecting_fault = 1;
		if (!write)
			(void)*p;
		else
			*p = 1;
		self.expecting_fault = 0;
		worker_fail("%s of %p did not fault", write ? "write" : "read", (void *)p);
	}
	self.expecting_fault = 0;
}

/* do_probe - an access the protection forbids must fault (SEGV_ACCERR). */
static void
do_probe(const struct command *c)
{
	volatile char *p = (volatile char *)(uintptr_t)c->addr;

	probe_access(p, c->arg[0] == PROBE_WRITE);
	if (self.fault_signo != SIGSEGV || self.fault_code != SEGV_ACCERR ||
	    self.fault_addr != (void *)p)
		worker_fail("fault at 0x%x: signal %d code %d address %p (expected SIGSEGV "
			    "SEGV_ACCERR at the page)", c->addr, self.fault_signo, self.fault_code,
			    self.fault_addr);
}

#define BUS_PROBE_OFFSET 8                      /* si_addr must be exact, not the page */

/* do_bus - a page past the end of its file must be SIGBUS BUS_ADRERR at the
 * address touched. arg[0]: 1 to write. */
static void
do_bus(const struct command *c)
{
	volatile char *p = (volatile char *)(uintptr_t)(c->addr + BUS_PROBE_OFFSET);

	probe_access(p, (int)c->arg[0]);
	if (self.fault_signo != SIGBUS || self.fault_code != BUS_ADRERR ||
	    self.fault_addr != (void *)p)
		worker_fail("fault at %p: signal %d code %d address %p (expected SIGBUS BUS_ADRERR "
			    "there)", (void *)p, self.fault_signo, self.fault_code, self.fault_addr);
}

/* do_mmap - the mapping of an OP_MMAP command: arg[0] the backing, arg[1]
 * the file object, arg[2] the file page offset. Returns its address. */
static void *
do_mmap(const struct command *c)
{
	size_t len = c->npages * PAGE_SIZE;
	int backing = (int)c->arg[0], fd;
	void *addr;

	if (backing == BACKING_PRIVATE || backing == BACKING_SHARED) {
		addr = mmap(NULL, len, PROT_READ | PROT_WRITE,
			    (backing == BACKING_SHARED ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
		if (addr == MAP_FAILED)
			worker_fail("mmap of %u pages: %s", c->npages, err_text(errno));
		return addr;
	}
	if ((fd = open(stress_file((int)c->arg[1]), O_RDWR)) < 0)
		worker_fail("open %s: %s", stress_file((int)c->arg[1]), err_text(errno));
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    backing == BACKING_FILE_SHARED ? MAP_SHARED : MAP_PRIVATE, fd,
		    (off_t)c->arg[2] * PAGE_SIZE);
	if (addr == MAP_FAILED)
		worker_fail("mmap %s of %u pages of file %u at page %u: %s", backing_names[backing],
			    c->npages, c->arg[1], c->arg[2], err_text(errno));
	close(fd);
	return addr;
}

/* do_mremap - shrink, grow (MAYMOVE) or move onto a placeholder (FIXED);
 * returns the new address. arg[0] kind, arg[1] new page count. */
static uint32_t
do_mremap(const struct command *c)
{
	void *old = (void *)(uintptr_t)c->addr, *got, *target = NULL;
	size_t old_len = c->npages * PAGE_SIZE, new_len = c->arg[1] * PAGE_SIZE;

	switch (c->arg[0]) {
	case REMAP_SHRINK:
		got = mremap(old, old_len, new_len, 0);
		target = old;
		break;
	case REMAP_GROW:
		got = mremap(old, old_len, new_len, MREMAP_MAYMOVE);
		break;
	default:
		target = mmap(NULL, new_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (target == MAP_FAILED)
			worker_fail("mmap of a %zu-byte placeholder: %s", new_len, err_text(errno));
		got = mremap(old, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, target);
		break;
	}
	if (got == MAP_FAILED)
		worker_fail("mremap(0x%x, %u pages -> %u, kind %u): %s", c->addr, c->npages,
			    c->arg[1], c->arg[0], err_text(errno));
	if (target && got != target)
		worker_fail("mremap kind %u returned %p (expected %p)", c->arg[0], got, target);
	return (uint32_t)(uintptr_t)got;
}

/* remap_one - remap_file_pages of n pages at addr to the file page pgoff. */
static void
remap_one(uint32_t addr, uint32_t n, uint32_t pgoff, int flags)
{
	if (syscall(SYS_remap_file_pages, addr, n * PAGE_SIZE, 0, pgoff, flags))
		worker_fail("remap_file_pages(0x%x, %u pages, 0, pgoff %u, %#x): %s", addr, n, pgoff,
			    (unsigned)flags, err_text(errno));
}

/* do_remap - arg[0] the flags, arg[1] the mode: one window at pgoff[0], or
 * page i at pgoff[i]. */
static void
do_remap(const struct command *c)
{
	if (c->arg[1] == REMAP_WINDOW) {
		remap_one(c->addr, c->npages, c->pgoff[0], (int)c->arg[0]);
		return;
	}
	for (uint32_t i = 0; i < c->npages; i++)
		remap_one(c->addr + i * PAGE_SIZE, 1, c->pgoff[i], (int)c->arg[0]);
}

/* execute - run one command (not fork or exit); returns the reply value. */
static uint32_t
execute(const struct command *c)
{
	void *addr = (void *)(uintptr_t)c->addr;
	size_t len = c->npages * PAGE_SIZE;
	uint32_t value = 0, after_addr = c->addr, after_pages = c->npages;

	if (c->check_before)
		check_pages(c->addr, c->npages, c->before, "before");
	switch (c->op) {
	case OP_MMAP:
		addr = do_mmap(c);
		value = after_addr = (uint32_t)(uintptr_t)addr;
		break;
	case OP_WRITE:
		for (uint32_t i = 0; i < c->npages; i++)
			write_tag((uint32_t *)(uintptr_t)(c->addr + i * PAGE_SIZE), &c->after[i]);
		break;
	case OP_MUNMAP:
		if (munmap(addr, len))
			worker_fail("munmap(0x%x, %u pages): %s", c->addr, c->npages, err_text(errno));
		break;
	case OP_MPROTECT:
		if (mprotect(addr, len, (int)c->arg[0]))
			worker_fail("mprotect(0x%x, %u pages, %u): %s", c->addr, c->npages, c->arg[0],
				    err_text(errno));
		break;
	case OP_MREMAP:
		value = after_addr = do_mremap(c);
		after_pages = c->arg[1];
		break;
	case OP_DONTNEED:
		if (madvise(addr, len, MADV_DONTNEED))
			worker_fail("madvise(0x%x, %u pages, MADV_DONTNEED): %s", c->addr, c->npages,
				    err_text(errno));
		break;
	case OP_OFFLINE:
		do_offline(c);
		break;
	case OP_PROBE:
		do_probe(c);
		break;
	case OP_BUS:
		do_bus(c);
		break;
	case OP_REMAP:
		do_remap(c);
		break;
	case OP_MSYNC:
		if (msync(addr, len, (int)c->arg[0]))
			worker_fail("msync(0x%x, %u pages, %#x): %s", c->addr, c->npages, c->arg[0],
				    err_text(errno));
		break;
	default:
		break;                              /* OP_VERIFY: the checks are all */
	}
	if (c->check_after)
		check_pages(after_addr, after_pages, c->after, "after");
	return value;
}

/* reap_children - collect children that exited; with REAP_ALL, wait until
 * there are none left. */
enum reap_mode { REAP_EXITED, REAP_ALL };

static void
reap_children(enum reap_mode mode)
{
	int status;

	while (waitpid(-1, &status, mode == REAP_ALL ? 0 : WNOHANG) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			worker_fail("a child worker ended with %s", describe_status(status));
}

/* worker_loop - execute the commands of slot's pipe until told to exit. */
static void
worker_loop(int slot, uint32_t uid)
{
	static struct command c;

	self.slot = slot;
	self.uid = uid;
	self.cmd = NULL;
	install_crash_handler();
	for (;;) {
		if (read_full(cmd_pipe[self.slot][0], &c, sizeof(c)) != (long)sizeof(c))
			_exit(1);                   /* the coordinator is gone */
		self.cmd = &c;
		reap_children(REAP_EXITED);
		if (c.op == OP_FORK) {
			pid_t pid = fork();
			if (pid < 0)
				worker_fail("fork: %s", err_text(errno));
			if (pid == 0) {
				self.slot = (int)c.arg[0];
				self.uid = c.arg[1];
				continue;               /* the parent answers */
			}
			send_reply(REPLY_OK, (uint32_t)pid);
			continue;
		}
		if (c.op == OP_EXIT) {
			/* At the end all children have exited: wait for them. */
			reap_children(c.arg[0] == EXIT_LAST ? REAP_ALL : REAP_EXITED);
			send_reply(REPLY_OK, 0);
			_exit(0);
		}
		send_reply(REPLY_OK, execute(&c));
	}
}

/* ---- the coordinator: talking to workers ----------------------------------- */

static void
kill_workers(void)
{
	for (int w = 0; w < MAX_ALIVE; w++)
		if (m.worker[w].alive)
			kill(m.worker[w].pid, SIGKILL);
}

static void
print_history(void)
{
	printf("(" TEST_NAME ") last operations (repeat with: mm_random_stress %u %d):\n",
	       m.seed, m.steps);
	for (int i = HISTORY; i > 0; i--)
		if (m.history[(m.step + HISTORY - i + 1) % HISTORY][0])
			printf("(" TEST_NAME ")   %s\n", m.history[(m.step + HISTORY - i + 1) % HISTORY]);
}

/* print_model - every live worker's regions as the model has them. */
static void
print_model(void)
{
	static const char *const prot_names[] = { "---", "r--", "-w-", "rw-" };

	for (int o = 0; o < m.nobjects; o++)
		if (m.object[o].is_file)
			printf("(" TEST_NAME ") file %d: %d pages\n", o, m.object[o].npages);
	for (int w = 0; w < MAX_ALIVE; w++) {
		const struct worker *wk = &m.worker[w];

		if (!wk->alive)
			continue;
		printf("(" TEST_NAME ") worker %u (pid %d):", wk->uid, (int)wk->pid);
		for (int i = 0; i < wk->nregions; i++) {
			const struct region *r = &wk->region[i];
			printf(" %x-%x %s %s", r->addr, r->addr + (uint32_t)r->npages * PAGE_SIZE,
			       prot_names[r->prot & 3], backing_names[r->backing]);
			if (r->backing != BACKING_PRIVATE)
				printf("(object %d from page %d)", r->page[0].obj, r->page[0].index);
		}
		printf("\n");
	}
}

/* coordinator_fail - the model and the kernel disagree (or a worker said so):
 * stop every worker, show what led here, fail. */
#define coordinator_fail(fmt, ...) do {                                          \
		kill_workers();                                                          \
		print_history();                                                         \
		print_model();                                                           \
		fail("seed %u step %d: " fmt, m.seed, m.step, ##__VA_ARGS__);            \
	} while (0)

/* note - remember what this step does, for print_history. */
static void
note(int w, const char *fmt, ...)
{
	char *line = m.history[m.step % HISTORY];
	int n = snprintf(line, sizeof(m.history[0]), "step %d worker %u: ", m.step,
			 m.worker[w].uid);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(m.history[0]) - (size_t)n, fmt, ap);
	va_end(ap);
	if (trace)
		say("%s", line);
}

/* transact - send c to worker w and wait for its answer. */
static uint32_t
transact(int w, struct command *c)
{
	struct reply r;

	c->step = m.step;
	if (write_full(cmd_pipe[w][1], c, sizeof(*c)) != (long)sizeof(*c))
		coordinator_fail("cannot send %s to worker %u", op_names[c->op], m.worker[w].uid);
	if (read_full(reply_pipe[0], &r, sizeof(r)) != (long)sizeof(r))
		coordinator_fail("every worker is gone (waiting for %s)", op_names[c->op]);
	if (r.status != REPLY_OK)
		coordinator_fail("worker %u failed %s (see its FAIL line above)", m.worker[w].uid,
				 op_names[c->op]);
	return r.value;
}

/* ---- the coordinator: the model ------------------------------------------- */

static uint32_t
rnd(uint32_t n)
{
	return rng_next(&m.rng) % n;
}

static int
readable(const struct region *r)
{
	return (r->prot & PROT_READ) != 0;
}

static int
writable(const struct region *r)
{
	return (r->prot & PROT_WRITE) != 0;
}

static int
is_file(const struct region *r)
{
	return r->backing == BACKING_FILE_SHARED || r->backing == BACKING_FILE_PRIVATE;
}

/* object_page_id - the page id of page index of object obj (the same in
 * every mapping of it). */
static uint32_t
object_page_id(int obj, int index)
{
	return SHARED_PAGE_ID_BASE + (uint32_t)(obj * MAX_FILE_PAGES + index);
}

/* page_tag - what page i of region r holds: its own tag (private pages,
 * private file pages once written) or its object's page. */
static struct tag *
page_tag(struct region *r, int i)
{
	struct mpage *p = &r->page[i];

	if (r->backing == BACKING_PRIVATE || (r->backing == BACKING_FILE_PRIVATE && p->cow))
		return &p->tag;
	return &m.object[p->obj].tag[p->index];
}

/* past_eof - page i of r maps a file page at or past the end of the file
 * (touching it is SIGBUS). */
static int
past_eof(const struct region *r, int i)
{
	const struct mpage *p = &r->page[i];

	return is_file(r) && !p->cow && p->index >= m.object[p->obj].npages;
}

/* fill_tags - the current tags of pages [first, first+n) of r into out[];
 * GEN_SKIP for pages past the end of their file. */
static void
fill_tags(struct region *r, int first, int n, struct tag *out)
{
	for (int i = 0; i < n; i++) {
		out[i] = *page_tag(r, first + i);
		if (past_eof(r, first + i))
			out[i].gen = GEN_SKIP;
	}
}

static uint32_t
page_addr(const struct region *r, int i)
{
	return r->addr + (uint32_t)i * PAGE_SIZE;
}

/* new_command - a command over pages [first, first+n) of r, checking them
 * first when the region is readable. */
static struct command *
new_command(int op, struct region *r, int first, int n)
{
	static struct command c;

	memset(&c, 0, sizeof(c));
	c.op = op;
	if (r) {
		c.addr = page_addr(r, first);
		c.npages = (uint32_t)n;
		c.check_before = readable(r);
		fill_tags(r, first, n, c.before);
	}
	return &c;
}

/* check_no_overlap - a new range of worker w must not overlap its other
 * regions (skip is the region being placed). */
static void
check_no_overlap(int w, uint32_t addr, int npages, const struct region *skip)
{
	struct worker *wk = &m.worker[w];
	uint32_t end = addr + (uint32_t)npages * PAGE_SIZE;

	if (addr % PAGE_SIZE || end <= addr)
		coordinator_fail("the kernel placed %d pages at 0x%x", npages, addr);
	for (int i = 0; i < wk->nregions; i++) {
		const struct region *r = &wk->region[i];
		uint32_t r_end = page_addr(r, r->npages);

		if (r != skip && addr < r_end && r->addr < end)
			coordinator_fail("new range 0x%x-0x%x overlaps a live region 0x%x-0x%x",
					 addr, end, r->addr, r_end);
	}
}

/* add_region - a new, empty region slot of worker w (NULL if it has none). */
static struct region *
add_region(int w)
{
	struct worker *wk = &m.worker[w];

	if (wk->nregions == MAX_REGIONS)
		return NULL;
	return &wk->region[wk->nregions++];
}

static void
remove_region(int w, struct region *r)
{
	struct worker *wk = &m.worker[w];

	*r = wk->region[--wk->nregions];
}

/* cut_region - keep pages [first, first+n) of r, as region r itself. */
static void
cut_region(struct region *r, int first, int n)
{
	memmove(&r->page[0], &r->page[first], (size_t)n * sizeof(r->page[0]));
	r->addr = page_addr(r, first);
	r->npages = n;
}

/* split_off - pages [first, first+n) of r as a new region of worker w
 * (same backing, protection and contents); r is unchanged. */
static struct region *
split_off(int w, struct region *r, int first, int n)
{
	struct region *piece = add_region(w);

	if (!piece)
		coordinator_fail("no room to split a region (the caller should have checked)");
	*piece = *r;
	cut_region(piece, first, n);
	return piece;
}

/* remove_pages - the model's side of unmapping pages [first, first+n) of r:
 * the pages before stay in r, the pages after become a new region. */
static void
remove_pages(int w, struct region *r, int first, int n)
{
	int tail = r->npages - first - n;

	if (tail > 0)
		split_off(w, r, first + n, tail);
	if (first == 0)
		remove_region(w, r);
	else
		r->npages = first;
}

static int
free_region_slots(int w)
{
	return MAX_REGIONS - m.worker[w].nregions;
}

/* pick_region - a random region of worker w that passes want, or NULL. */
static struct region *
pick_region(int w, int (*want)(const struct region *))
{
	struct worker *wk = &m.worker[w];
	int n = wk->nregions;

	if (n == 0)
		return NULL;
	for (int i = 0, start = (int)rnd((uint32_t)n); i < n; i++) {
		struct region *r = &wk->region[(start + i) % n];
		if (!want || want(r))
			return r;
	}
	return NULL;
}

/* pick_range - a random run of pages [*first, *first + *n) of r: 1 to max
 * pages, the whole region if room_for_split is 0. */
static void
pick_range(const struct region *r, int max, int room_for_split, int *first, int *n)
{
	if (!room_for_split) {
		*first = 0;
		*n = r->npages;
		return;
	}
	*n = 1 + (int)rnd((uint32_t)(max < r->npages ? max : r->npages));
	*first = (int)rnd((uint32_t)(r->npages - *n + 1));
}

/* ---- the coordinator: one operation each ----------------------------------- */

/* verify_region - worker w checks every page of r (if it can read it). */
static void
verify_region(int w, struct region *r)
{
	if (readable(r))
		transact(w, new_command(OP_VERIFY, r, 0, r->npages));
}

/* pick_file - a random file object, or -1 if there is none. */
static int
pick_file(void)
{
	int files = 0;

	for (int o = 0; o < m.nobjects; o++)
		files += m.object[o].is_file;
	if (files == 0)
		return -1;
	for (int o = 0, k = (int)rnd((uint32_t)files); o < m.nobjects; o++)
		if (m.object[o].is_file && k-- == 0)
			return o;
	return -1;
}

/* new_file - a new file object of 1..MAX_FILE_PAGES zero pages, created
 * by the coordinator; its number. */
static int
new_file(void)
{
	int obj = m.nobjects++;
	struct object *o = &m.object[obj];
	int fd;

	memset(o, 0, sizeof(*o));
	o->is_file = 1;
	o->npages = 1 + (int)rnd(MAX_FILE_PAGES);
	fd = open(stress_file(obj), O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)o->npages * PAGE_SIZE))
		coordinator_fail("create %s: %s", stress_file(obj), err_text(errno));
	close(fd);
	return obj;
}

/* draw_backing - private or shared anonymous memory, or a file shared or
 * private; falls back to private memory when the objects run out. */
static enum backing
draw_backing(void)
{
	static const enum backing draws[] = {
		BACKING_PRIVATE, BACKING_PRIVATE, BACKING_SHARED, BACKING_SHARED,
		BACKING_FILE_SHARED, BACKING_FILE_SHARED, BACKING_FILE_PRIVATE, BACKING_FILE_PRIVATE,
	};
	enum backing b = draws[rnd(sizeof(draws) / sizeof(draws[0]))];

	return b != BACKING_PRIVATE && m.nobjects >= MAX_OBJECTS ? BACKING_PRIVATE : b;
}

static int
op_mmap(int w)
{
	int npages = 1 + (int)rnd(MAX_MAP_PAGES);
	enum backing backing = draw_backing();
	int obj = -1, pgoff = 0;
	struct command *c;
	struct region *r;

	if (free_region_slots(w) == 0)
		return 0;
	if (backing == BACKING_SHARED) {
		obj = m.nobjects++;
		memset(&m.object[obj], 0, sizeof(m.object[obj]));
		m.object[obj].npages = npages;
	} else if (backing != BACKING_PRIVATE) {
		obj = rnd(2) ? pick_file() : -1;
		if (obj < 0)
			obj = new_file();
		pgoff = (int)rnd((uint32_t)(MAX_FILE_PAGES - npages + 1));
	}
	c = new_command(OP_MMAP, NULL, 0, 0);
	c->npages = (uint32_t)npages;
	c->arg[0] = backing;
	c->arg[1] = (uint32_t)obj;
	c->arg[2] = (uint32_t)pgoff;
	if (is_file(&(struct region){ .backing = backing }))
		note(w, "mmap %d %s pages of file %d (%d pages) at page %d", npages,
		     backing_names[backing], obj, m.object[obj].npages, pgoff);
	else
		note(w, "mmap %d %s pages", npages, backing_names[backing]);
	uint32_t addr = transact(w, c);
	check_no_overlap(w, addr, npages, NULL);
	r = add_region(w);
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->npages = npages;
	r->prot = PROT_READ | PROT_WRITE;
	r->backing = backing;
	for (int i = 0; i < npages; i++) {
		r->page[i].obj = obj;
		r->page[i].index = pgoff + i;
		r->page[i].id = backing == BACKING_SHARED || backing == BACKING_FILE_SHARED
				? object_page_id(obj, pgoff + i) : ++m.next_page_id;
	}
	return 1;
}

static int
op_write(int w)
{
	struct region *r = pick_region(w, writable);
	int first, n;

	if (!r)
		return 0;
	pick_range(r, MAX_WRITE_PAGES, 1, &first, &n);
	for (int i = 0; i < n; i++)
		if (past_eof(r, first + i))
			n = i;                  /* stop before the end of the file */
	if (n == 0)
		return 0;
	struct command *c = new_command(OP_WRITE, r, first, n);
	for (int i = 0; i < n; i++) {
		if (r->backing == BACKING_FILE_PRIVATE)
			r->page[first + i].cow = 1;             /* its own copy from now on */
		struct tag *t = page_tag(r, first + i);
		t->gen = ++m.next_gen;
		t->writer = m.worker[w].uid;
		t->page_id = r->page[first + i].id;
	}
	/* Two pages of the range may show one file page (remap): each shows
	 * the last store to it. */
	fill_tags(r, first, n, c->after);
	note(w, "write %d pages at 0x%x (%s)", n, c->addr, backing_names[r->backing]);
	transact(w, c);
	return 1;
}

static int
op_verify(int w)
{
	struct region *r = pick_region(w, readable);

	if (!r)
		return 0;
	note(w, "verify %d pages at 0x%x", r->npages, r->addr);
	verify_region(w, r);
	return 1;
}

static int
op_munmap(int w)
{
	struct region *r = pick_region(w, NULL);
	int first, n;

	if (!r)
		return 0;
	pick_range(r, r->npages, free_region_slots(w) >= 1, &first, &n);
	note(w, "munmap %d of %d pages at 0x%x", n, r->npages, page_addr(r, first));
	transact(w, new_command(OP_MUNMAP, r, first, n));
	remove_pages(w, r, first, n);
	return 1;
}

static int
op_mprotect(int w)
{
	static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE };
	struct region *r = pick_region(w, NULL);
	int first, n, prot = prots[rnd(3)];

	if (!r)
		return 0;
	pick_range(r, r->npages, free_region_slots(w) >= 2, &first, &n);
	struct command *c = new_command(OP_MPROTECT, r, first, n);
	c->arg[0] = (uint32_t)prot;
	note(w, "mprotect %d of %d pages at 0x%x to %d", n, r->npages, c->addr, prot);
	transact(w, c);
	/* The model: [0, first) stays r, then the middle, then the tail. */
	int tail = r->npages - first - n;
	if (tail > 0)
		split_off(w, r, first + n, tail);
	r->npages = first + n;
	struct region *middle = r;
	if (first > 0) {
		middle = split_off(w, r, first, n);
		r->npages = first;
	}
	middle->prot = prot;
	return 1;
}

/* grow_room - how many pages mremap may add after pages [first, first+n)
 * of r: none for shared anonymous memory (past its object is SIGBUS, as
 * tests/guest/shmem_grown_past_object_sigbus checks), none for pages a
 * remap_file_pages window placed (see the header), up to the last file
 * page the model tracks for a file. */
static int
grow_room(const struct region *r, int first, int n)
{
	int room = MAX_REGION_PAGES - n;

	if (r->backing == BACKING_SHARED || r->page[first].win != 0)
		return 0;
	if (is_file(r)) {
		int file_room = MAX_FILE_PAGES - (r->page[first + n - 1].index + 1);
		if (file_room < room)
			room = file_room;
	}
	return room;
}

/* remap_plan - how to mremap pages [first, first+n) of r: kind and new size. */
static enum remap_kind
remap_plan(const struct region *r, int first, int n, int *new_n)
{
	enum remap_kind kind = (enum remap_kind)rnd(3);
	int room = grow_room(r, first, n);

	if (kind == REMAP_SHRINK && n == 1)
		kind = REMAP_FIXED;
	if (kind == REMAP_GROW && room == 0)
		kind = REMAP_FIXED;
	switch (kind) {
	case REMAP_SHRINK:
		*new_n = 1 + (int)rnd((uint32_t)(n - 1));
		break;
	case REMAP_GROW:
		*new_n = n + 1 + (int)rnd((uint32_t)(room < 4 ? room : 4));
		break;
	default:                                /* and may grow on the way */
		*new_n = n;
		if (room > 0 && rnd(2))
			*new_n = n + 1 + (int)rnd((uint32_t)(room < 4 ? room : 4));
		break;
	}
	return kind;
}

/* same_window_run - how many of the pages [first, first+n) of r, from
 * first on, one remap_file_pages window placed (or the mmap, window 0):
 * on Linux 4.0 and later they are one VMA, which mremap needs. */
static int
same_window_run(const struct region *r, int first, int n)
{
	int k = 1;

	while (k < n && r->page[first + k].win == r->page[first].win)
		k++;
	return k;
}

static int
op_mremap(int w)
{
	struct region *r = pick_region(w, NULL);
	int first, n, new_n;

	if (!r)
		return 0;
	pick_range(r, r->npages, free_region_slots(w) >= 2, &first, &n);
	int whole = n;
	n = same_window_run(r, first, n);
	if (n < whole && free_region_slots(w) < 2)
		return 0;                       /* no room to split the region */
	enum remap_kind kind = remap_plan(r, first, n, &new_n);
	struct command *c = new_command(OP_MREMAP, r, first, n);

	/* The model: the moved pages become their own region (at the address
	 * mremap returns); grown pages are zero, or the file's next pages. */
	struct region moved = *r;
	cut_region(&moved, first, n < new_n ? n : new_n);
	for (int i = n; i < new_n; i++) {
		struct mpage *pg = &moved.page[i];
		memset(pg, 0, sizeof(*pg));
		pg->obj = is_file(r) ? moved.page[i - 1].obj : -1;
		pg->index = is_file(r) ? moved.page[i - 1].index + 1 : 0;
		pg->id = r->backing == BACKING_FILE_SHARED ? object_page_id(pg->obj, pg->index)
							   : ++m.next_page_id;
	}
	moved.npages = new_n;
	c->arg[0] = kind;
	c->arg[1] = (uint32_t)new_n;
	c->check_after = readable(r);
	fill_tags(&moved, 0, new_n, c->after);
	note(w, "mremap %d of %d %s pages at 0x%x to %d pages (%s)", n, r->npages,
	     backing_names[r->backing], c->addr, new_n,
	     kind == REMAP_SHRINK ? "shrink" : kind == REMAP_GROW ? "grow" : "fixed");
	uint32_t addr = transact(w, c);
	moved.addr = addr;
	remove_pages(w, r, first, n);
	check_no_overlap(w, addr, new_n, NULL);
	*add_region(w) = moved;
	return 1;
}

static int
op_dontneed(int w)
{
	struct region *r = pick_region(w, NULL);
	int first, n;

	if (!r)
		return 0;
	pick_range(r, r->npages, 1, &first, &n);
	struct command *c = new_command(OP_DONTNEED, r, first, n);
	for (int i = 0; i < n; i++) {
		if (r->backing == BACKING_PRIVATE)
			memset(&r->page[first + i].tag, 0, sizeof(struct tag));
		r->page[first + i].cow = 0;     /* a private file page reads the file again */
	}
	fill_tags(r, first, n, c->after);
	c->check_after = readable(r);
	note(w, "dontneed %d pages at 0x%x (%s)", n, c->addr, backing_names[r->backing]);
	transact(w, c);
	return 1;
}

static int
free_slot(void)
{
	for (int w = 0; w < MAX_ALIVE; w++)
		if (!m.worker[w].alive)
			return w;
	return -1;
}

static int
alive_count(void)
{
	int n = 0;

	for (int w = 0; w < MAX_ALIVE; w++)
		n += m.worker[w].alive;
	return n;
}

static int
op_fork(int w)
{
	int slot = free_slot();

	if (slot < 0)
		return 0;
	struct command *c = new_command(OP_FORK, NULL, 0, 0);
	c->arg[0] = (uint32_t)slot;
	c->arg[1] = ++m.next_uid;
	note(w, "fork: child worker %u", c->arg[1]);
	pid_t pid = (pid_t)transact(w, c);
	m.worker[slot] = m.worker[w];
	m.worker[slot].uid = c->arg[1];
	m.worker[slot].pid = pid;
	/* Both sides still see what the parent saw. */
	struct region *r = pick_region(slot, readable);
	if (r)
		verify_region(slot, r);
	return 1;
}

/* verify_all - worker w checks every page it can read. */
static void
verify_all(int w)
{
	struct worker *wk = &m.worker[w];

	for (int i = 0; i < wk->nregions; i++)
		verify_region(w, &wk->region[i]);
}

static int
op_exit(int w)
{
	if (alive_count() == 1)
		return 0;
	note(w, "exit");
	verify_all(w);
	transact(w, new_command(OP_EXIT, NULL, 0, 0));
	m.worker[w].alive = 0;
	return 1;
}

/* offlinable - a readable region with a written page. */
static int
offlinable(const struct region *r)
{
	if (!readable(r))
		return 0;
	for (int i = 0; i < r->npages; i++)
		if (page_tag((struct region *)r, i)->gen)
			return 1;
	return 0;
}

static int
op_offline(int w)
{
	struct region *r = pick_region(w, offlinable);
	int first = 0, n = 0;

	if (!r)
		return 0;
	/* A run of written pages, from a random written one. */
	for (int start = (int)rnd((uint32_t)r->npages), i = 0; i < r->npages; i++)
		if (page_tag(r, (start + i) % r->npages)->gen) {
			first = (start + i) % r->npages;
			break;
		}
	while (first + n < r->npages && n < MAX_WRITE_PAGES && page_tag(r, first + n)->gen)
		n++;
	struct command *c = new_command(on_anvil ? OP_OFFLINE : OP_VERIFY, r, first, n);
	c->arg[0] = rnd(4) == 0 ? OFFLINE_SYSFS : OFFLINE_MADVISE;
	fill_tags(r, first, n, c->after);
	c->check_after = 1;
	note(w, "offline %d %s pages at 0x%x by %s%s", n, backing_names[r->backing], c->addr,
	     c->arg[0] == OFFLINE_SYSFS ? "sysfs" : "madvise", on_anvil ? "" : " (host: verify)");
	transact(w, c);
	return 1;
}

/* probeable - a region whose protection forbids reading or writing. */
static int
probeable(const struct region *r)
{
	return !writable(r);
}

static int
op_probe(int w)
{
	struct region *r = pick_region(w, probeable);

	if (!r)
		return 0;
	int page = (int)rnd((uint32_t)r->npages);
	struct command *c = new_command(OP_PROBE, r, page, 1);
	c->arg[0] = readable(r) ? PROBE_WRITE : PROBE_READ;
	note(w, "probe %s of 0x%x (prot %d)", readable(r) ? "write" : "read", c->addr, r->prot);
	transact(w, c);
	return 1;
}

static int
file_region(const struct region *r)
{
	return is_file(r);
}

static int
op_msync(int w)
{
	static const int flag_sets[] = { MS_SYNC, MS_ASYNC, MS_INVALIDATE, 0 };
	struct region *r = pick_region(w, file_region);
	int first, n;

	if (!r)
		return 0;
	pick_range(r, r->npages, 1, &first, &n);
	struct command *c = new_command(OP_MSYNC, r, first, n);
	c->arg[0] = (uint32_t)flag_sets[rnd(sizeof(flag_sets) / sizeof(flag_sets[0]))];
	fill_tags(r, first, n, c->after);
	c->check_after = readable(r);
	note(w, "msync %d %s pages at 0x%x, flags %#x", n, backing_names[r->backing], c->addr,
	     c->arg[0]);
	transact(w, c);
	return 1;
}

/* bus_probeable - a readable region with a page past the end of its file. */
static int
bus_probeable(const struct region *r)
{
	if (!readable(r))
		return 0;
	for (int i = 0; i < r->npages; i++)
		if (past_eof(r, i))
			return 1;
	return 0;
}

static int
op_bus(int w)
{
	struct region *r = pick_region(w, bus_probeable);
	int page = -1;

	if (!r)
		return 0;
	for (int start = (int)rnd((uint32_t)r->npages), i = 0; page < 0 && i < r->npages; i++)
		if (past_eof(r, (start + i) % r->npages))
			page = (start + i) % r->npages;
	struct command *c = new_command(OP_BUS, r, page, 1);
	c->arg[0] = writable(r) && rnd(2);
	note(w, "bus: %s page %d of file %d (%d pages) at 0x%x", c->arg[0] ? "write" : "read",
	     r->page[page].index, r->page[page].obj, m.object[r->page[page].obj].npages, c->addr);
	transact(w, c);
	return 1;
}

/* ---- the coordinator: its own file operations -------------------------------- */

/* check_file - file obj read back with pread: its size and every page are
 * what the model says. */
static void
check_file(int obj)
{
	static uint32_t page[PAGE_WORDS];
	const struct object *o = &m.object[obj];
	int fd = open(stress_file(obj), O_RDONLY);
	struct stat st;

	if (fd < 0)
		coordinator_fail("open %s: %s", stress_file(obj), err_text(errno));
	if (fstat(fd, &st) || st.st_size != (off_t)o->npages * PAGE_SIZE)
		coordinator_fail("file %d: size %lld (expected %d pages)", obj, (long long)st.st_size,
				 o->npages);
	for (int i = 0; i < o->npages; i++) {
		ssize_t got = pread(fd, page, PAGE_SIZE, (off_t)i * PAGE_SIZE);
		if (got != PAGE_SIZE)
			coordinator_fail("file %d: pread of page %d gave %zd (%s)", obj, i, got,
					 err_text(errno));
		long bad = tag_mismatch(page, &o->tag[i]);
		if (bad >= 0)
			coordinator_fail("file %d page %d, word %ld is 0x%08x (expected gen %u writer "
					 "%u page %u; page holds magic 0x%08x gen %u writer %u page %u)",
					 obj, i, bad, page[bad], o->tag[i].gen, o->tag[i].writer,
					 o->tag[i].page_id, page[0], page[1], page[2], page[3]);
	}
	close(fd);
}

static int
op_fread(int w)
{
	int obj = pick_file();

	if (obj < 0)
		return 0;
	note(w, "fread file %d (%d pages)", obj, m.object[obj].npages);
	check_file(obj);
	return 1;
}

/* op_fwrite - the coordinator pwrite()s 1-4 pages of a file. */
static int
op_fwrite(int w)
{
	static uint32_t page[PAGE_WORDS];
	int obj = pick_file(), fd;

	if (obj < 0 || m.object[obj].npages == 0)
		return 0;
	struct object *o = &m.object[obj];
	int max = o->npages < MAX_FWRITE_PAGES ? o->npages : MAX_FWRITE_PAGES;
	int n = 1 + (int)rnd((uint32_t)max), first = (int)rnd((uint32_t)(o->npages - n + 1));
	note(w, "fwrite %d pages of file %d at page %d", n, obj, first);
	if ((fd = open(stress_file(obj), O_RDWR)) < 0)
		coordinator_fail("open %s: %s", stress_file(obj), err_text(errno));
	for (int i = first; i < first + n; i++) {
		struct tag *t = &o->tag[i];
		t->gen = ++m.next_gen;
		t->writer = COORDINATOR_UID;
		t->page_id = object_page_id(obj, i);
		write_tag(page, t);
		if (pwrite(fd, page, PAGE_SIZE, (off_t)i * PAGE_SIZE) != PAGE_SIZE)
			coordinator_fail("pwrite page %d of file %d: %s", i, obj, err_text(errno));
	}
	close(fd);
	return 1;
}

/* op_truncate - the coordinator truncates a file to 0..MAX_FILE_PAGES
 * pages: pages past the new end read zero if it grows again, and the
 * private copies of those pages, in every worker, are gone (as Linux's
 * truncate unmaps them). */
static int
op_truncate(int w)
{
	int obj = pick_file();

	if (obj < 0)
		return 0;
	struct object *o = &m.object[obj];
	int size = (int)rnd(MAX_FILE_PAGES + 1);
	note(w, "truncate file %d from %d to %d pages", obj, o->npages, size);
	if (truncate(stress_file(obj), (off_t)size * PAGE_SIZE))
		coordinator_fail("truncate %s: %s", stress_file(obj), err_text(errno));
	for (int i = size; i < MAX_FILE_PAGES; i++)
		memset(&o->tag[i], 0, sizeof(o->tag[i]));
	for (int v = 0; v < MAX_ALIVE; v++)
		for (int k = 0; m.worker[v].alive && k < m.worker[v].nregions; k++) {
			struct region *r = &m.worker[v].region[k];
			for (int i = 0; r->backing == BACKING_FILE_PRIVATE && i < r->npages; i++)
				if (r->page[i].obj == obj && r->page[i].index >= size)
					r->page[i].cow = 0;
		}
	o->npages = size;
	return 1;
}

/* remappable - a shared mapping: of a file, or shared anonymous memory. */
static int
remappable(const struct region *r)
{
	return r->backing == BACKING_FILE_SHARED || r->backing == BACKING_SHARED;
}

/* op_remap - remap_file_pages of part of a shared region: one window at a
 * random offset, or each page at its own; a file's windows may lie past
 * its end (up to the pages the model tracks), a shared anonymous object's
 * stay inside it. Without MAP_NONBLOCK the pages are read in; with it,
 * half the time nothing touches them until a later step. */
static int
op_remap(int w)
{
	struct region *r = pick_region(w, remappable);
	int first, n;

	if (!r)
		return 0;
	pick_range(r, r->npages, 1, &first, &n);
	int obj = r->page[first].obj;
	int limit = r->backing == BACKING_SHARED ? m.object[obj].npages : MAX_FILE_PAGES;
	struct command *c = new_command(OP_REMAP, r, first, n);
	c->arg[0] = rnd(2) ? MAP_NONBLOCK : 0;
	c->arg[1] = rnd(2) ? REMAP_WINDOW : REMAP_PAGES;
	uint32_t win = ++m.next_win;
	int base = (int)rnd((uint32_t)(limit - n + 1));
	for (int i = 0; i < n; i++) {
		struct mpage *pg = &r->page[first + i];
		if (c->arg[1] == REMAP_PAGES)
			win = ++m.next_win;
		pg->index = c->arg[1] == REMAP_WINDOW ? base + i : (int)rnd((uint32_t)limit);
		pg->id = object_page_id(obj, pg->index);
		pg->win = win;
		c->pgoff[i] = (uint32_t)pg->index;
	}
	c->check_after = readable(r) && (c->arg[0] != MAP_NONBLOCK || rnd(2));
	fill_tags(r, first, n, c->after);
	note(w, "remap %d of %d %s pages at 0x%x: %s from file page %u%s", n, r->npages,
	     backing_names[r->backing], c->addr,
	     c->arg[1] == REMAP_WINDOW ? "one window" : "page by page", c->pgoff[0],
	     c->arg[0] == MAP_NONBLOCK ? ", MAP_NONBLOCK" : "");
	transact(w, c);
	return 1;
}

static int (*const op_fns[OP_COUNT])(int) = {
	[OP_MMAP] = op_mmap, [OP_WRITE] = op_write, [OP_VERIFY] = op_verify,
	[OP_MUNMAP] = op_munmap, [OP_MPROTECT] = op_mprotect, [OP_MREMAP] = op_mremap,
	[OP_DONTNEED] = op_dontneed, [OP_FORK] = op_fork, [OP_EXIT] = op_exit,
	[OP_OFFLINE] = op_offline, [OP_PROBE] = op_probe, [OP_FWRITE] = op_fwrite,
	[OP_FREAD] = op_fread, [OP_TRUNCATE] = op_truncate, [OP_MSYNC] = op_msync,
	[OP_BUS] = op_bus, [OP_REMAP] = op_remap,
};

/* ---- the coordinator: a run ------------------------------------------------------ */

static enum op
draw_op(void)
{
	int total = 0, x;

	for (int i = 0; i < OP_COUNT; i++)
		total += op_weights[i];
	x = (int)rnd((uint32_t)total);
	for (int i = 0; i < OP_COUNT; i++) {
		if (x < op_weights[i])
			return (enum op)i;
		x -= op_weights[i];
	}
	return OP_VERIFY;
}

static int
draw_worker(void)
{
	int k = (int)rnd((uint32_t)alive_count());

	for (int w = 0; w < MAX_ALIVE; w++)
		if (m.worker[w].alive && k-- == 0)
			return w;
	return 0;
}

/* rmap_check - on anvil, the kernel's reverse-map checker finds no mismatch. */
static void
rmap_check(void)
{
	char text[48];

	if (on_anvil && !rmap_check_text(text, sizeof(text)))
		coordinator_fail("%s reads \"%s\" (expected \"0\"; mismatches in the kernel log)",
				 RMAP_CHECK_PATH, text);
}

/* full_check - every worker checks every page, the coordinator every
 * file; the kernel checks its rmap. */
static void
full_check(void)
{
	for (int w = 0; w < MAX_ALIVE; w++)
		if (m.worker[w].alive)
			verify_all(w);
	for (int o = 0; o < m.nobjects; o++)
		if (m.object[o].is_file)
			check_file(o);
	rmap_check();
}

/* remove_files - unlink every file of the seed. */
static void
remove_files(void)
{
	for (int o = 0; o < m.nobjects; o++)
		if (m.object[o].is_file && unlink(stress_file(o)))
			fail("seed %u: unlink %s: %s", m.seed, stress_file(o), err_text(errno));
}

/* open_pipes - a command pipe per worker slot and the shared reply pipe. */
static void
open_pipes(void)
{
	for (int w = 0; w < MAX_ALIVE; w++)
		CHECK_OK(pipe(cmd_pipe[w]));
	CHECK_OK(pipe(reply_pipe));
}

/* start_first_worker - fork worker 0. Afterwards only the coordinator
 * writes commands and reads replies, so that a dead coordinator is an EOF
 * for the workers and no workers left is an EOF for the coordinator. */
static void
start_first_worker(void)
{
	pid_t pid = fork_or_fail();

	if (pid == 0) {
		for (int w = 0; w < MAX_ALIVE; w++)
			close(cmd_pipe[w][1]);
		close(reply_pipe[0]);
		worker_loop(0, m.next_uid);
	}
	for (int w = 0; w < MAX_ALIVE; w++)
		close(cmd_pipe[w][0]);
	close(reply_pipe[1]);
	m.worker[0].alive = 1;
	m.worker[0].uid = m.next_uid;
	m.worker[0].pid = pid;
}

/* stop_workers - every worker exits, youngest first (a worker's children
 * are younger than it, so it can wait for all of them); then the
 * coordinator reaps worker 0. */
static void
stop_workers(void)
{
	for (;;) {
		int youngest = -1;
		for (int w = 0; w < MAX_ALIVE; w++)
			if (m.worker[w].alive &&
			    (youngest < 0 || m.worker[w].uid > m.worker[youngest].uid))
				youngest = w;
		if (youngest < 0)
			break;
		struct command *c = new_command(OP_EXIT, NULL, 0, 0);
		c->arg[0] = EXIT_LAST;
		transact(youngest, c);
		m.worker[youngest].alive = 0;
	}
	for (int w = 0; w < MAX_ALIVE; w++)
		close(cmd_pipe[w][1]);
	close(reply_pipe[0]);
	int status;
	while (waitpid(-1, &status, 0) > 0)
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "seed %u: a worker ended with %s", m.seed, describe_status(status));
}

/* run_seed - one random run of steps operations. */
static void
run_seed(uint32_t seed, int steps)
{
	memset(&m, 0, sizeof(m));
	m.seed = seed;
	m.steps = steps;
	m.rng = mix32(seed) | 1;
	m.next_uid = 1;
	coordinator_pid = getpid();
	open_pipes();
	start_first_worker();
	for (m.step = 1; m.step <= steps; m.step++) {
		int w = draw_worker();
		enum op op = draw_op();

		m.history[m.step % HISTORY][0] = 0;
		if (m.worker[w].nregions == 0 && op != OP_FORK && op != OP_EXIT)
			op = OP_MMAP;
		if (!op_fns[op](w)) {
			op = OP_VERIFY;
			if (!op_verify(w))
				op = op_mmap(w) ? OP_MMAP : OP_VERIFY;
		}
		m.counts[op]++;
		if (m.step % check_every == 0)
			full_check();
		if (m.step % PROGRESS_EVERY == 0 && m.step < steps)
			say("seed %u: step %d, %d workers alive", seed, m.step, alive_count());
	}
	full_check();
	stop_workers();
	remove_files();
	rmap_check();
	say("seed %u: %d steps: %d mmap %d write %d munmap %d mprotect %d mremap %d dontneed "
	    "%d fork %d exit %d offline %d probe %d fwrite %d fread %d truncate %d msync %d bus "
	    "%d remap",
	    seed, steps, m.counts[OP_MMAP], m.counts[OP_WRITE], m.counts[OP_MUNMAP],
	    m.counts[OP_MPROTECT], m.counts[OP_MREMAP], m.counts[OP_DONTNEED], m.counts[OP_FORK],
	    m.counts[OP_EXIT], m.counts[OP_OFFLINE], m.counts[OP_PROBE], m.counts[OP_FWRITE],
	    m.counts[OP_FREAD], m.counts[OP_TRUNCATE], m.counts[OP_MSYNC], m.counts[OP_BUS],
	    m.counts[OP_REMAP]);
}

int
main(int argc, char **argv)
{
	long first = env_number("STRESS_SEED", DEFAULT_FIRST_SEED);
	long seeds = env_number("STRESS_SEEDS", DEFAULT_SEEDS);
	long steps = env_number("STRESS_STEPS", DEFAULT_STEPS);

	if (argc > 1) {
		first = strtol(argv[1], NULL, 0);
		seeds = 1;
	}
	if (argc > 2)
		steps = strtol(argv[2], NULL, 0);
	CHECK(steps > 0, "steps (expected a positive number, got %ld)", steps);
	CHECK(seeds > 0, "STRESS_SEEDS (expected a positive number, got %ld)", seeds);
	trace = env_number("STRESS_TRACE", 0) != 0;
	check_every = (int)env_number("STRESS_CHECK_EVERY", CHECK_EVERY);
	CHECK(check_every > 0, "STRESS_CHECK_EVERY (expected a positive number, got %d)",
	      check_every);
	on_anvil = running_on_anvil();
	say("%ld seed(s) from %ld, %ld steps each, up to %d workers%s", seeds, first, steps,
	    MAX_ALIVE, on_anvil ? "" : " (host: no soft-offline, no rmap_check)");
	signal(SIGPIPE, SIG_IGN);
	for (long s = 0; s < seeds; s++)
		run_seed((uint32_t)(first + s), (int)steps);
	say("%ld seed(s) passed", seeds);
	return 0;
}
