/*
 * syscall_fuzz — a seeded, bounded system-call fuzzer: random mm calls and
 * calls taking user pointers, with hostile arguments, in forked children.
 *
 * What it issues (through int 0x80 directly, so that no libc wrapper
 * filters an argument, and errno and %gs are never touched):
 *   mm        mmap2, old mmap, munmap, mprotect, mremap (every mode),
 *             remap_file_pages, madvise (every advice), mlock, munlock,
 *             mlock2, mlockall, munlockall, mincore, brk, msync, fork
 *   pointers  read, write, readv, writev, pread64, pwrite64, preadv,
 *             pwritev, pipe, pipe2, stat64, lstat64, fstat64, fstatat64,
 *             statx, uname, getdents64, clock_gettime(64), clock_getres,
 *             gettimeofday, time, nanosleep, clock_nanosleep, rt_sigaction,
 *             rt_sigprocmask, rt_sigpending, sigaltstack, open, openat,
 *             creat, close, dup, dup2, dup3, fcntl64, lseek, _llseek,
 *             getcwd, sysinfo, access, faccessat, readlink, readlinkat,
 *             mkdir, rmdir, unlink, rename, link, symlink, truncate64,
 *             ftruncate64, wait4, prlimit64, ugetrlimit, ioctl, execve,
 *             set_tid_address, set_thread_area, rt_sigreturn, sigreturn
 * with lengths that are huge, wrapping, unaligned or zero; pointers that
 * are NULL, unmapped, read-only, PROT_NONE, straddling a hole, or in the
 * kernel (0xC0000000 and up); bad fds; random flags. Between calls the
 * child also reads and writes pages itself (touch: faults, COW breaks).
 * Results are not compared with Linux's, but on anvil a few must hold
 * (check_result): a new mapping lies in user space, MAP_FIXED and
 * MREMAP_FIXED land where asked, no call succeeds in writing its result
 * to a kernel address.
 *
 * How a run goes. A seed is a sequence of rounds; each round runs in a
 * forked child (its own process group) that may wreck its own address
 * space: a child killed by SIGSEGV or SIGBUS is expected (it touched
 * memory it had just unmapped). The parent waits for the child with a
 * time limit; when the child has issued its calls it says so through a
 * pipe and waits, and the parent runs anvil's reverse-map checker
 * (/proc/sys/vm/rmap_check must read 0) while the child's wrecked address
 * space is still alive, then kills the group and checks again. A round
 * that runs past its time limit is a hang. The kernel must never oops or
 * hang: the host runner (make fuzz) watches for that.
 *
 *   child process        its own calls, from the round's seed; a fork
 *                        makes a grandchild that issues a few calls of
 *                        its own and exits
 *   control page         shared with the parent: the call counter and a
 *                        ring of the last RING calls (printed on failure)
 *   fixture              child-private pages no generated range reaches:
 *                        crafted arguments (paths, timespecs, iovecs...),
 *                        a read-only, a PROT_NONE page, holes
 *   arena                ARENA_PAGES pages at ARENA_ADDR, mapped in pieces
 *                        (private, shared, read-only, PROT_NONE, file) that
 *                        most generated ranges fall in
 *
 * Harmless on the host's Linux (it runs there too, as root): a child only
 * touches its own memory, its own children, and a scratch directory under
 * /tmp. Calls that change files take only scratch names (or pointers that
 * cannot be read); no call sends a signal, changes the clock or the
 * machine; MADV_HWPOISON and MADV_SOFT_OFFLINE, which retire real frames,
 * are issued only on anvil; lengths that could make the kernel populate
 * gigabytes are kept in check (resource_guards()).
 *
 * Known kernel bugs whose fix is still being written are kept out of the
 * inputs by known_bugs[] (empty now: issue 9's are fixed): one entry per
 * bug, each a predicate on a generated call; a call it matches is replaced
 * by another. Delete an entry once its fix is in.
 *
 * Usage: syscall_fuzz [SEED [CALLS [ROUND]]], or the environment
 *   FUZZ_SEED         first seed (default 1)
 *   FUZZ_SEEDS        how many seeds (default 1)
 *   FUZZ_CALLS        calls per seed (default DEFAULT_CALLS)
 *   FUZZ_ROUND_CALLS  calls per round (default DEFAULT_ROUND_CALLS)
 *   FUZZ_ROUND        run only this round of the seed (a replay)
 *   FUZZ_TRACE=1      print every call before it is issued (and its result)
 *   FUZZ_ROUND_LOG=1  print a line as each round starts, and how a child died
 *   FUZZ_ROUND_TIMEOUT=S  a round's time limit (default ROUND_TIMEOUT_S)
 *   FUZZ_UNMASK=a,b   generate the inputs of these known_bugs[] entries
 *                     again ("all" for every one), to see a bug or its fix
 *   FUZZ_CHECK_EVERY=N  the child runs the rmap checker itself after every
 *                     N calls (on anvil), to find the call that broke rmap
 * (init passes its fuzz_KEY=V words as FUZZ_KEY=V: make fuzz uses them).
 * A failure names the seed and round, and prints the last calls; repeat it
 * with "syscall_fuzz SEED CALLS ROUND" and FUZZ_TRACE=1.
 */
#define TEST_NAME "syscall_fuzz"
#include "guest.h"
#include "vm_probe.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <time.h>

/* ---- sizes and defaults ---------------------------------------------------- */

#define DEFAULT_CALLS        3000
#define DEFAULT_ROUND_CALLS  500
#define DEFAULT_FIRST_SEED   1
#define ROUND_TIMEOUT_S      120               /* guest time; a round takes ~1 s */
#define RING                 32                /* calls kept for a failure report */
#define RING_SHOWN           16

#define ARENA_ADDR           0x40000000u
#define ARENA_PAGES          1024u
#define FIXTURE_ADDR         0x3F000000u
#define FIXTURE_PAGES        16u
#define CRAFT_BYTES          (2 * PAGE_SIZE)   /* fixture pages 0-1 */
#define RO_PAGE              2u                /* fixture page numbers */
#define NONE_PAGE            3u
#define HOLE_PAGE            4u
#define UNTERMINATED_PAGE    5u                /* all 'a', then a hole */
#define BUF_PAGE             7u                /* 8 read-write pages, then a hole */
#define BUF_PAGES            8u

#define FD_SLOTS             64                /* fds the fuzzer may name: 3..63 */
#define FIRST_FD             3
#define DONE_FD              900               /* child -> parent: calls done */
#define GO_FD                901               /* never written: the child waits */
#define ZERO_FD              902               /* /dev/zero, for probes */
#define TRACE_FD             904               /* stdout, for FUZZ_TRACE */
#define PROBE_READ_FD        905               /* a pipe: what the kernel can read */
#define PROBE_WRITE_FD       906
#define RMAP_FD              907               /* anvil's rmap checker, FUZZ_CHECK_EVERY */

#define RECENT               16                /* mappings remembered for targets */
#define MAX_GRANDCHILDREN    3
#define GRANDCHILD_MAX_CALLS 32
#define SOFT_OFFLINE_BUDGET  4                 /* per round: each retires frames */

#define MiB_16               (16u << 20)       /* the most any call may populate */
#define IO_CAP               (256u << 10)      /* I/O length from a roomy pointer */
#define MAX_SLEEP_NS         1000000           /* generated sleeps: 1 ms at most */

#define USER_TOP_ANVIL       0xC0000000u

/* Linux values musl's headers may lack. */
#define MADV_SOFT_OFFLINE_   101
#define MADV_HWPOISON_       100
#define MADV_REMOVE_         9
#define MREMAP_MAYMOVE_      1
#define MREMAP_FIXED_        2
#define MREMAP_DONTUNMAP_    4
#define MAP_FIXED_NOREPLACE_ 0x100000
#define MAP_SHARED_VALIDATE_ 0x03
#define SA_RESTORER_         0x04000000
#define SA_NODEFER_          0x40000000
#define MCL_FUTURE_          2
#define MCL_CURRENT_         1
#define AT_FDCWD_            (-100)
#define TIMER_ABSTIME_       1

/* ---- raw system calls --------------------------------------------------------- */

long fuzz_syscall6(long nr, long a, long b, long c, long d, long e, long f);
long fuzz_sigreturn_at(long nr, uint32_t esp);
void fuzz_restore_rt(void);
void fuzz_landing(void);
uint32_t landing_esp, landing_gs;             /* fuzz_landing puts them back */

/* fuzz_syscall6: int 0x80 with all six argument registers (EBP included).
 * fuzz_sigreturn_at: (rt_)sigreturn with ESP at a crafted frame whose EIP
 * is fuzz_landing, which puts the saved stack and %gs back and returns as
 * if the call had: the child goes on with whatever the frame set. */
__asm__(
	".text\n"
	".globl fuzz_syscall6\n"
	"fuzz_syscall6:\n"
	"	push %ebp\n	push %edi\n	push %esi\n	push %ebx\n"
	"	mov 20(%esp), %eax\n	mov 24(%esp), %ebx\n	mov 28(%esp), %ecx\n"
	"	mov 32(%esp), %edx\n	mov 36(%esp), %esi\n	mov 40(%esp), %edi\n"
	"	mov 44(%esp), %ebp\n"
	"	int $0x80\n"
	"	pop %ebx\n	pop %esi\n	pop %edi\n	pop %ebp\n"
	"	ret\n"
	".globl fuzz_sigreturn_at\n"
	"fuzz_sigreturn_at:\n"
	"	push %ebp\n	push %edi\n	push %esi\n	push %ebx\n"
	"	mov %esp, landing_esp\n"
	"	mov %gs, %ecx\n	mov %ecx, landing_gs\n"
	"	mov 20(%esp), %eax\n	mov 24(%esp), %esp\n"
	"	int $0x80\n"
	".globl fuzz_landing\n"
	"fuzz_landing:\n"
	"	mov %ss, %ecx\n	mov %ecx, %ds\n	mov %ecx, %es\n"
	"	mov landing_esp, %esp\n"
	"	mov landing_gs, %ecx\n	mov %ecx, %gs\n"
	"	cld\n"
	"	pop %ebx\n	pop %esi\n	pop %edi\n	pop %ebp\n"
	"	ret\n"
	".globl fuzz_restore_rt\n"
	"fuzz_restore_rt:\n"
	"	mov $173, %eax\n	int $0x80\n	hlt\n");

static long
raw0(long nr)
{
	return fuzz_syscall6(nr, 0, 0, 0, 0, 0, 0);
}

static long
raw3(long nr, long a, long b, long c)
{
	return fuzz_syscall6(nr, a, b, c, 0, 0, 0);
}

static void
raw_exit(int code)
{
	for (;;)
		raw3(SYS_exit_group, code, 0, 0);
}

/* ---- the control page: shared by the parent and the round's processes ----- */

/* One issued call. ret is RET_PENDING until the call returned. */
struct call_record {
	uint32_t seq;                  /* number of the call in its round */
	uint16_t op;                   /* index in ops[] */
	uint8_t grandchild;            /* 1 if a grandchild issued it */
	uint32_t arg[6];
	int32_t ret;
};
#define RET_PENDING  ((int32_t)0x80000000)

struct control {
	uint32_t calls;                /* issued this round, grandchildren included */
	uint32_t next;                 /* ring position of the next record */
	uint32_t masked;               /* calls replaced because of known_bugs[] */
	uint32_t masked_by[8];         /* per known_bugs[] entry */
	uint32_t oracle_failed;
	char oracle_text[160];
	struct call_record ring[RING];
};

static struct control *ctl;

/* ---- the child's model of itself -------------------------------------------- */

enum fd_kind {
	FD_NONE, FD_SCRATCH, FD_SCRATCH_DIR, FD_OTHER_DIR, FD_PIPE, FD_DEV, FD_PROC, FD_OTHER,
};

struct fd_info {
	uint8_t kind;
	uint8_t accmode;               /* O_RDONLY / O_WRONLY / O_RDWR as opened */
};

struct region {
	uint32_t addr, len;
};

/* A generated call and the notes its generator left for the masks. */
struct req {
	const struct op *op;
	uint32_t a[6];
	int host_skip;                 /* not issued on a host (retires real frames) */
	int expect_fault;              /* on anvil it must fail: a kernel pointer out */
};

static struct {
	uint32_t rng;
	int on_anvil;
	int trace;
	int check_every;               /* FUZZ_CHECK_EVERY */
	int grandchild;                /* 0 in the round's child */
	int calls_left;                /* a grandchild's remaining calls */
	int live_grandchildren;
	uint32_t seq;
	uint32_t round;
	uint32_t user_top;
	struct fd_info fd[FD_SLOTS];
	struct region recent[RECENT];
	uint32_t nrecent;
	uint32_t brk_start, brk_now;
	int mcl_future;                /* mlockall(MCL_FUTURE) may be in force */
	int locked_something;          /* some mlock call may have locked memory */
	int big_mapping;               /* a mapping over MiB_16 may exist */
	int soft_offlines;
	int ptr_roomy;                 /* the last pointer may have lots of memory after it */
	uint8_t *craft_next;           /* bump allocator in the crafted pages */
	uint32_t cs, ss, gs;           /* the user selectors, for sigreturn frames */
} g;

static char scratch_dir[64];
extern char __executable_start[], _end[];      /* this program's image (ld) */

/* ---- randomness ----------------------------------------------------------------- */

static uint32_t
rnd(void)
{
	return rng_next(&g.rng);
}

/* below - a number in [0, n); 0 if n is 0. */
static uint32_t
below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* one_in - true with probability 1/n. */
static int
one_in(uint32_t n)
{
	return below(n) == 0;
}

#define PICK(array) ((array)[below(sizeof(array) / sizeof((array)[0]))])

static uint32_t
fixture(uint32_t page)
{
	return FIXTURE_ADDR + page * PAGE_SIZE;
}

/* ---- crafted arguments ------------------------------------------------------ */

/* craft - size bytes of the crafted area for this call (reset per call). */
static void *
craft(size_t size)
{
	uint8_t *p = g.craft_next;

	size = (size + 3) & ~(size_t)3;
	if (p + size > (uint8_t *)fixture(0) + CRAFT_BYTES)
		p = (uint8_t *)fixture(0);               /* cannot happen with our sizes */
	g.craft_next = p + size;
	return p;
}

static uint32_t
craft_string(const char *s)
{
	char *p = craft(strlen(s) + 1);

	strcpy(p, s);
	return (uint32_t)(uintptr_t)p;
}

/* ---- pointers ----------------------------------------------------------------------- */

static const uint32_t kernel_ptrs[] = {
	0xC0000000u, 0xC0001000u, 0xC0100000u, 0xC0400000u, 0xD0000000u, 0xFFFFF000u,
	0xFFFFFFFFu, 0xBFFFFFFCu, 0xFFFFFFF0u,
};

/* bad_ptr - a pointer the kernel can neither read nor write. */
static uint32_t
bad_ptr(void)
{
	switch (below(7)) {
	case 0: return 0;
	case 1: return 1 + below(PAGE_SIZE - 1);
	case 2: return fixture(NONE_PAGE) + below(PAGE_SIZE);
	case 3: return fixture(HOLE_PAGE) + below(PAGE_SIZE);
	default: return PICK(kernel_ptrs);
	}
}

/* recent_region - one of the mappings the kernel gave us lately, or the arena. */
static struct region
recent_region(void)
{
	if (g.nrecent == 0)
		return (struct region){ ARENA_ADDR, ARENA_PAGES * PAGE_SIZE };
	return g.recent[below(g.nrecent < RECENT ? g.nrecent : RECENT)];
}

/* any_ptr - a pointer for the kernel to read or write: anything from a
 * fine buffer to a kernel address. Sets g.ptr_roomy when the memory after
 * it may be large (then io_len keeps lengths small). */
static uint32_t
any_ptr(void)
{
	struct region r;

	g.ptr_roomy = 0;
	switch (below(16)) {
	case 0: case 1: case 2: case 3:
		g.ptr_roomy = 1;
		return ARENA_ADDR + below(ARENA_PAGES * PAGE_SIZE);
	case 4:
		g.ptr_roomy = 1;
		r = recent_region();
		return r.addr + below(r.len);
	case 5: case 6: case 7:
		return fixture(BUF_PAGE) + (one_in(4) ? below(BUF_PAGES * PAGE_SIZE) : 0);
	case 8:
		return fixture(BUF_PAGE + BUF_PAGES) - 1 - below(64);  /* runs into a hole */
	case 9:
		return fixture(RO_PAGE) + below(PAGE_SIZE);
	case 10:
		if (one_in(8)) {
			uint32_t p = rnd();                  /* anywhere at all ... */
			if (p - (uint32_t)(uintptr_t)__executable_start <
			    (uint32_t)(uintptr_t)(_end - __executable_start))
				return bad_ptr();                /* ... but our own image */
			g.ptr_roomy = 1;
			return p;
		}
		return bad_ptr();
	default:
		return bad_ptr();
	}
}

/* out_ptr - as any_ptr; notes a kernel address, which a call that must
 * write its result there has to refuse (EFAULT). */
static uint32_t
out_ptr(struct req *r)
{
	uint32_t p = any_ptr();

	if (p >= USER_TOP_ANVIL)
		r->expect_fault = 1;
	return p;
}

static const uint32_t huge_lens[] = {
	0x7FFFFFFFu, 0x80000000u, 0xBFFFF000u, 0xC0000000u, 0xC0001000u, 0xFFFFF000u,
	0xFFFFFFFFu, 0xFFFFFFF0u, 0xFFFFE001u, 0x40000000u,
};

/* io_len - a length for a buffer the last any_ptr gave. */
static uint32_t
io_len(void)
{
	uint32_t len;

	switch (below(8)) {
	case 0: len = 0; break;
	case 1: len = 1 + below(16); break;
	case 2: len = PAGE_SIZE + below(3) - 1; break;
	case 3: len = PICK(huge_lens); break;
	default: len = below(4 * PAGE_SIZE); break;
	}
	if (g.ptr_roomy && len > IO_CAP)
		len = below(IO_CAP);
	return len;
}

/* ---- paths ------------------------------------------------------------------ */

/* Names inside the scratch directory (the child's working directory). */
static const char *const scratch_names[] = {
	"f0", "f1", "f2", "d0", "d0/f0", "d0/d1", "l0", "l1", "f0/x", ".",
};

/* Paths outside it that only get looked at (never created, written or removed). */
static const char *const look_paths[] = {
	"/", "/dev/null", "/dev/zero", "/proc", "/proc/self", "/proc/self/maps",
	"/proc/self/status", "/proc/self/smaps", "/proc/self/pagemap", "/proc/meminfo",
	"/proc/self/cmdline", "/nonexistent", "/nonexistent/a/b", "", "..", "/dev", "/tmp",
	"/proc/self/stat", "/proc/vmstat",
};

/* odd_path - a pointer to a path that is too long, unterminated or unreadable. */
static uint32_t
odd_path(void)
{
	char *p;

	switch (below(4)) {
	case 0: {                                    /* longer than PATH_MAX */
		size_t n = 4200;
		p = craft(n + 1);
		for (size_t i = 0; i < n; i++)
			p[i] = (i % 2) ? '/' : 'a';
		p[n] = 0;
		return (uint32_t)(uintptr_t)p;
	}
	case 1: {                                    /* one component over NAME_MAX */
		size_t n = 300;
		p = craft(n + 1);
		memset(p, 'b', n);
		p[n] = 0;
		return (uint32_t)(uintptr_t)p;
	}
	case 2:                                      /* no NUL before the hole */
		return fixture(UNTERMINATED_PAGE + 1) - 1 - below(16);
	default:
		return bad_ptr();
	}
}

/* scratch_path - a path any call may change: a scratch name (relative to
 * the scratch directory, or absolute), or an odd one. */
static uint32_t
scratch_path(void)
{
	char buf[128];

	if (one_in(6))
		return odd_path();
	if (one_in(3)) {
		snprintf(buf, sizeof(buf), "%s/%s", scratch_dir, PICK(scratch_names));
		return craft_string(buf);
	}
	return craft_string(PICK(scratch_names));
}

enum garbage { NO_GARBAGE, GARBAGE_OK };

/* look_path - a path for calls that only look: any of the above, or (for
 * calls with no side effect at all: stat, access, readlink) whatever bytes
 * a random pointer finds. open never gets such bytes: they might spell a
 * device whose opening does something. */
static uint32_t
look_path(enum garbage garbage)
{
	switch (below(8)) {
	case 0: case 1: case 2:
		return craft_string(PICK(look_paths));
	case 3:
		return fixture(RO_PAGE);                 /* "/dev/null" in a read-only page */
	case 4:
		if (garbage == GARBAGE_OK)
			return any_ptr();
		return odd_path();
	default:
		return scratch_path();
	}
}

static enum fd_kind
kind_of_path(const char *path, int relative_to_scratch)
{
	if (path[0] != '/')
		return relative_to_scratch && strncmp(path, "..", 2) != 0 ? FD_SCRATCH : FD_OTHER;
	if (strncmp(path, scratch_dir, strlen(scratch_dir)) == 0)
		return FD_SCRATCH;
	if (strncmp(path, "/dev/", 5) == 0)
		return FD_DEV;
	if (strncmp(path, "/proc", 5) == 0)
		return FD_PROC;
	return FD_OTHER_DIR;
}

/* ---- fds -------------------------------------------------------------------- */

static const int bad_fds[] = { -1, -100, 63, 1023, 1024, 4096, 0x7FFFFFFF, (int)0x80000000 };

/* any_fd - one of the fds the child opened (FIRST_FD..FD_SLOTS-1) or a bad one. */
static int
any_fd(void)
{
	if (one_in(8))
		return PICK(bad_fds);
	for (int tries = 0; tries < 8; tries++) {
		int fd = FIRST_FD + (int)below(FD_SLOTS - FIRST_FD);
		if (g.fd[fd].kind != FD_NONE)
			return fd;
	}
	return FIRST_FD + (int)below(FD_SLOTS - FIRST_FD);   /* likely closed */
}

static struct fd_info
fd_info(int fd)
{
	if (fd < 0 || fd >= FD_SLOTS)
		return (struct fd_info){ FD_NONE, 0 };
	return g.fd[fd];
}

/* changing_dirfd - a dirfd under which scratch names stay in the scratch dir. */
static int
changing_dirfd(void)
{
	for (int tries = 0; tries < 8 && !one_in(3); tries++) {
		int fd = FIRST_FD + (int)below(FD_SLOTS - FIRST_FD);
		if (g.fd[fd].kind == FD_SCRATCH || g.fd[fd].kind == FD_SCRATCH_DIR)
			return fd;
	}
	return one_in(8) ? PICK(bad_fds) : AT_FDCWD_;
}

static int
any_dirfd(void)
{
	return one_in(3) ? AT_FDCWD_ : any_fd();
}

static int
new_fd_number(void)
{
	return one_in(8) ? PICK(bad_fds) : FIRST_FD + (int)below(FD_SLOTS - FIRST_FD);
}

/* ---- addresses and ranges --------------------------------------------------- */

static const uint32_t hostile_addrs[] = {
	0, 0x1000, 0xF000, 0x10000, 0xBFFFF000u, 0xC0000000u, 0xC0100000u, 0xFFFFF000u,
	0xFFFFE000u, 0x7FFFF000u, ARENA_ADDR + 1, ARENA_ADDR + 0xFFF,
};

static uint32_t
arena_page(void)
{
	return ARENA_ADDR + below(ARENA_PAGES) * PAGE_SIZE;
}

/* map_len - a length for mmap and mremap: mostly a few pages. */
static uint32_t
map_len(void)
{
	uint32_t pages;

	switch (below(20)) {
	case 0: return 0;
	case 1: case 2: return PICK(huge_lens);
	case 3: return 1 + below(PAGE_SIZE * 4);       /* unaligned */
	case 4: pages = 1 + below(1024); break;        /* up to 4 MiB */
	case 5: pages = 1 + below(4096); break;        /* up to 16 MiB */
	default: pages = 1 + below(16); break;
	}
	return pages * PAGE_SIZE - (one_in(8) ? below(PAGE_SIZE) : 0);
}

/* range - [*addr, +*len) for munmap, mprotect, madvise, mlock and friends:
 * mostly in the arena, sometimes a mapping we got, sometimes hostile, now
 * and then anywhere (which may unmap the child's own code: it then dies). */
static void
range(uint32_t *addr, uint32_t *len)
{
	struct region r;
	uint32_t pages;

	switch (below(50)) {
	case 0: case 1: case 2: case 3: case 4:
		r = recent_region();
		pages = r.len / PAGE_SIZE;
		*addr = r.addr + (one_in(2) ? 0 : below(pages ? pages : 1) * PAGE_SIZE);
		*len = one_in(2) ? r.len : (1 + below(16)) * PAGE_SIZE;
		return;
	case 5: case 6:
		*addr = g.brk_now - (g.brk_now - g.brk_start > 4 * PAGE_SIZE ? 4 * PAGE_SIZE : 0);
		*addr &= ~(uint32_t)(PAGE_SIZE - 1);
		*len = (1 + below(8)) * PAGE_SIZE;
		return;
	case 7: case 8: case 9:
		*addr = PICK(hostile_addrs);
		*len = one_in(2) ? PICK(huge_lens) : (1 + below(4)) * PAGE_SIZE;
		return;
	case 10:
		*addr = arena_page();
		*len = PICK(huge_lens);
		return;
	case 11:
		*addr = below(USER_TOP_ANVIL / PAGE_SIZE) * PAGE_SIZE;   /* anywhere */
		*len = (1 + below(16)) * PAGE_SIZE;
		return;
	default:
		*addr = arena_page() + (one_in(16) ? 1 + below(PAGE_SIZE - 1) : 0);
		pages = one_in(6) ? 1 + below(ARENA_PAGES) : 1 + below(16);
		*len = one_in(32) ? 0 : pages * PAGE_SIZE - (one_in(8) ? below(PAGE_SIZE) : 0);
		return;
	}
}

static uint32_t
prot_any(void)
{
	if (one_in(16))
		return rnd();
	if (one_in(12))
		return below(8) | (one_in(2) ? PROT_GROWSDOWN : PROT_GROWSUP);
	return below(8);
}

/* flags_from - a random subset of the given bits, now and then junk. */
static uint32_t
flags_from(const uint32_t *bits, int n, uint32_t junk_one_in)
{
	uint32_t f = 0;

	if (one_in(junk_one_in))
		return rnd();
	for (int i = 0; i < n; i++)
		if (one_in(4))
			f |= bits[i];
	return f;
}

/* ---- the model: what a call's result means for the next calls ----------- */

static uint32_t
page_align(uint32_t len)
{
	return (len + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1);
}

#define MAX_ERRNO 4095

/* is_error - ret is a system call's -errno (a mapping's address is not). */
static int
is_error(long ret)
{
	return ret < 0 && ret >= -MAX_ERRNO;
}

static void
note_region(uint32_t addr, uint32_t len)
{
	len = page_align(len);
	if (len > MiB_16)
		g.big_mapping = 1;
	g.recent[g.nrecent++ % RECENT] = (struct region){ addr, len };
}

static void
set_fd(long fd, enum fd_kind kind, int accmode)
{
	if (fd >= 0 && fd < FD_SLOTS)
		g.fd[fd] = (struct fd_info){ (uint8_t)kind, (uint8_t)accmode };
}

/* ---- the operations ------------------------------------------------------------ */

#define NOT_A_SYSCALL (-1)                          /* touch: user-mode accesses */

struct op {
	const char *name;
	int nr;                                     /* the system call, or NOT_A_SYSCALL */
	int weight;
	void (*gen)(struct req *r);
	void (*post)(struct req *r, long ret);      /* may be NULL */
};

static void
gen_mmap2(struct req *r)
{
	static const uint32_t extra[] = {
		MAP_POPULATE, MAP_LOCKED, MAP_GROWSDOWN, MAP_NORESERVE, MAP_STACK,
		MAP_FIXED_NOREPLACE_,
	};
	uint32_t type, flags;

	switch (below(16)) {
	case 0: type = MAP_SHARED_VALIDATE_; break;
	case 1: type = 0; break;
	case 2: case 3: case 4: type = MAP_SHARED; break;
	default: type = MAP_PRIVATE; break;
	}
	flags = type | flags_from(extra, 6, 64);
	if (!one_in(4))
		flags |= MAP_ANONYMOUS;
	if (one_in(4))
		flags |= MAP_FIXED;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE_)) {
		r->a[0] = one_in(10) ? PICK(hostile_addrs) : one_in(20) ? below(USER_TOP_ANVIL)
			  & ~(uint32_t)(PAGE_SIZE - 1) : arena_page();
	} else {
		r->a[0] = one_in(2) ? 0 : one_in(2) ? arena_page() : rnd();
	}
	r->a[1] = map_len();
	r->a[2] = prot_any();
	r->a[3] = flags;
	r->a[4] = (flags & MAP_ANONYMOUS) && !one_in(8) ? (uint32_t)-1 : (uint32_t)any_fd();
	r->a[5] = one_in(4) ? rnd() : below(4);
}

static void
post_map(struct req *r, long ret)
{
	if (is_error(ret))
		return;
	note_region((uint32_t)ret, r->op->nr == SYS_mremap ? r->a[2] : r->a[1]);
}

/* The old mmap: one pointer to the six arguments (offset in bytes). */
static void
gen_old_mmap(struct req *r)
{
	struct req inner = { 0 };
	uint32_t *args;

	gen_mmap2(&inner);
	if (one_in(6)) {
		r->a[0] = bad_ptr();
		return;
	}
	args = craft(6 * sizeof(uint32_t));
	memcpy(args, inner.a, 5 * sizeof(uint32_t));
	args[5] = one_in(4) ? rnd() : inner.a[5] * PAGE_SIZE;
	r->a[0] = (uint32_t)(uintptr_t)args;
	memcpy(&r->a[1], inner.a, 5 * sizeof(uint32_t));  /* for the masks and the trace */
}

static void
post_old_mmap(struct req *r, long ret)
{
	if (is_error(ret))
		return;
	note_region((uint32_t)ret, r->a[2]);
}

/* munmap, munlock: (addr, len) */
static void
gen_range(struct req *r)
{
	range(&r->a[0], &r->a[1]);
}

static void
gen_mprotect(struct req *r)
{
	range(&r->a[0], &r->a[1]);
	r->a[2] = prot_any();
}

static void
gen_mremap(struct req *r)
{
	static const uint32_t modes[] = {
		0, MREMAP_MAYMOVE_, MREMAP_MAYMOVE_, MREMAP_MAYMOVE_ | MREMAP_FIXED_,
		MREMAP_MAYMOVE_ | MREMAP_FIXED_, MREMAP_MAYMOVE_ | MREMAP_DONTUNMAP_,
		MREMAP_MAYMOVE_ | MREMAP_FIXED_ | MREMAP_DONTUNMAP_, MREMAP_FIXED_,
		MREMAP_DONTUNMAP_,
	};

	range(&r->a[0], &r->a[1]);
	if (one_in(20))
		r->a[1] = 0;                             /* a second mapping of shared memory */
	r->a[3] = one_in(32) ? rnd() : PICK(modes);
	r->a[2] = (r->a[3] & MREMAP_DONTUNMAP_) && !one_in(4) ? r->a[1] : map_len();
	if (one_in(3) && r->a[1] > PAGE_SIZE)
		r->a[2] = r->a[1] - PAGE_SIZE * (1 + below(r->a[1] / PAGE_SIZE - 1));  /* shrink */
	r->a[4] = one_in(8) ? PICK(hostile_addrs) : one_in(6) ? recent_region().addr : arena_page();
}

/* remap_file_pages: mostly a valid call on an arena range (prot 0, a
 * small offset, MAP_NONBLOCK or not), sometimes a hostile one. */
static void
gen_remap_file_pages(struct req *r)
{
	static const uint32_t hostile_pgoffs[] = {
		0xFFFFFFFFu, 0xFFFFFFF0u, (1u << 29) - 1, 1u << 29, 0x7FFFFFFFu,
	};

	range(&r->a[0], &r->a[1]);
	if (one_in(2))
		r->a[1] = (1 + below(4)) * PAGE_SIZE;    /* a window that fits in one VMA more often */
	r->a[2] = one_in(16) ? prot_any() : 0;
	r->a[3] = one_in(16) ? PICK(hostile_pgoffs) : below(64);
	r->a[4] = one_in(16) ? rnd() : one_in(2) ? MAP_NONBLOCK : 0;
}

static void
gen_madvise(struct req *r)
{
	static const int32_t advice[] = {
		0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
		25, MADV_HWPOISON_, MADV_SOFT_OFFLINE_, -1, 5, 6, 7, 99, 102,
	};

	range(&r->a[0], &r->a[1]);
	r->a[2] = one_in(32) ? rnd() : (uint32_t)PICK(advice);
	if (r->a[2] == MADV_HWPOISON_ || r->a[2] == MADV_SOFT_OFFLINE_) {
		r->host_skip = 1;                        /* would retire the host's frames */
		if (g.soft_offlines++ >= SOFT_OFFLINE_BUDGET || r->a[1] > 4 * PAGE_SIZE) {
			r->a[2] = 4;                         /* MADV_DONTNEED instead */
			r->host_skip = 0;
		}
	}
}

static void
gen_mlock(struct req *r)
{
	range(&r->a[0], &r->a[1]);
	g.locked_something = 1;
}

static void
gen_mlock2(struct req *r)
{
	range(&r->a[0], &r->a[1]);
	r->a[2] = one_in(8) ? rnd() : below(2);      /* MLOCK_ONFAULT is 1 */
	g.locked_something = 1;
}

static void
gen_mlockall(struct req *r)
{
	r->a[0] = one_in(8) ? rnd() : below(8);
	g.locked_something = 1;
	if (r->a[0] & MCL_FUTURE_)
		g.mcl_future = 1;
}

static void
gen_none(struct req *r)
{
}

static void
gen_mincore(struct req *r)
{
	range(&r->a[0], &r->a[1]);
	r->a[2] = one_in(3) ? fixture(BUF_PAGE) : any_ptr();
}

static void
gen_brk(struct req *r)
{
	switch (below(10)) {
	case 0: r->a[0] = 0; break;
	case 1: r->a[0] = PICK(hostile_addrs); break;
	case 2: r->a[0] = g.brk_start; break;
	case 3: case 4: case 5:
		r->a[0] = g.brk_now - below(16 * PAGE_SIZE);
		break;
	default:
		r->a[0] = g.brk_now + below(64 * PAGE_SIZE);
		break;
	}
}

static void
post_brk(struct req *r, long ret)
{
	g.brk_now = (uint32_t)ret;
	if (g.brk_now - g.brk_start > MiB_16)
		g.big_mapping = 1;
}

static void
gen_msync(struct req *r)
{
	range(&r->a[0], &r->a[1]);
	r->a[2] = one_in(8) ? rnd() : below(8);
}

/* read, write and friends: (fd, buf, len). */
static void
gen_fd_buf_len(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
	r->a[1] = r->op->nr == SYS_read || r->op->nr == SYS_getdents64 ? out_ptr(r) : any_ptr();
	r->a[2] = io_len();
	if (r->a[2] == 0)
		r->expect_fault = 0;
}

static const uint32_t offsets[] = { 0, 1, 4095, 4096, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu };

static void
gen_pread(struct req *r)
{
	gen_fd_buf_len(r);
	r->expect_fault = 0;
	r->a[3] = one_in(3) ? PICK(offsets) : below(64 * KiB);
	r->a[4] = one_in(8) ? PICK(offsets) : 0;
}

/* iovec - a crafted iovec array of up to 8 entries, or a bad pointer. */
static uint32_t
iovec(uint32_t *count)
{
	uint32_t n = below(9), *iov;

	*count = one_in(8) ? (uint32_t)PICK(bad_fds) : n;    /* counts from -1 to huge */
	if (one_in(8))
		return bad_ptr();
	iov = craft(8 * 2 * sizeof(uint32_t));
	for (uint32_t i = 0; i < 8; i++) {
		iov[2 * i] = any_ptr();
		iov[2 * i + 1] = io_len();
	}
	return (uint32_t)(uintptr_t)iov;
}

static void
gen_readv(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
	r->a[1] = iovec(&r->a[2]);
	r->a[3] = one_in(3) ? PICK(offsets) : below(64 * KiB);   /* preadv, pwritev */
	r->a[4] = one_in(8) ? PICK(offsets) : 0;
}

static void
gen_pipe(struct req *r)
{
	r->a[0] = one_in(8) ? bad_ptr() : (uint32_t)(uintptr_t)craft(2 * sizeof(int));
	r->a[1] = one_in(8) ? rnd() : below(2) * O_NONBLOCK | below(2) * O_CLOEXEC |
		  (one_in(4) ? O_DIRECT : 0);
}

static void
post_pipe(struct req *r, long ret)
{
	const int *fds = (const int *)(uintptr_t)r->a[0];

	if (ret != 0)
		return;
	for (int i = 0; i < 2; i++) {
		set_fd(fds[i], FD_PIPE, i ? O_WRONLY : O_RDONLY);
		/* never block on our own pipe: reads of an empty pipe, writes
		 * to a full one return EAGAIN */
		raw3(SYS_fcntl64, fds[i], F_SETFL, O_NONBLOCK);
	}
}

static void
gen_stat(struct req *r)
{
	r->a[0] = look_path(GARBAGE_OK);
	r->a[1] = out_ptr(r);
	r->expect_fault = 0;                         /* the path may fail first */
}

static void
gen_fstat(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
	r->a[1] = out_ptr(r);
	if (fd_info((int)r->a[0]).kind == FD_NONE)
		r->expect_fault = 0;
}

static const uint32_t at_flags[] = { 0x100, 0x200, 0x400, 0x800, 0x1000, 0x6000 };

static void
gen_fstatat(struct req *r)
{
	r->a[0] = (uint32_t)any_dirfd();
	r->a[1] = look_path(GARBAGE_OK);
	r->a[2] = any_ptr();
	r->a[3] = flags_from(at_flags, 6, 16);
}

static void
gen_statx(struct req *r)
{
	r->a[0] = (uint32_t)any_dirfd();
	r->a[1] = look_path(GARBAGE_OK);
	r->a[2] = flags_from(at_flags, 6, 16);
	r->a[3] = one_in(4) ? rnd() : 0x7FF;
	r->a[4] = any_ptr();
}

static void
gen_out_only(struct req *r)
{
	r->a[0] = out_ptr(r);
}

static const int32_t clocks[] = { 0, 1, 2, 3, 4, 5, 6, 7, 11, -1, 100, (int32_t)0x80000000 };

static void
gen_clock_ptr(struct req *r)
{
	r->a[0] = (uint32_t)PICK(clocks);
	r->a[1] = out_ptr(r);
	if (r->a[0] > 7 || r->a[0] == 3 || r->a[0] == 2)   /* invalid or CPU clocks */
		r->expect_fault = 0;
	if (r->op->nr == SYS_clock_getres_time32 && one_in(4)) {
		r->a[1] = 0;                             /* NULL: no resolution wanted */
		r->expect_fault = 0;
	}
}

static void
gen_gettimeofday(struct req *r)
{
	r->a[0] = one_in(4) ? 0 : any_ptr();
	r->a[1] = one_in(2) ? 0 : any_ptr();
}

static void
gen_time(struct req *r)
{
	r->a[0] = one_in(3) ? 0 : any_ptr();
}

/* timespec - a crafted request: a short sleep, or values that are invalid. */
static uint32_t
timespec(int wide)
{
	static const int32_t bad_ns[] = { -1, 1000000000, 0x7FFFFFFF, (int32_t)0x80000000 };
	int32_t sec = 0, nsec = (int32_t)below(MAX_SLEEP_NS);

	if (one_in(8))
		return bad_ptr();
	if (one_in(4))
		nsec = PICK(bad_ns);
	else if (one_in(8))
		sec = -1 - (int32_t)below(3);
	if (wide) {
		int64_t *ts = craft(2 * sizeof(int64_t));
		ts[0] = sec;
		ts[1] = nsec;
		return (uint32_t)(uintptr_t)ts;
	}
	int32_t *ts = craft(2 * sizeof(int32_t));
	ts[0] = sec;
	ts[1] = nsec;
	return (uint32_t)(uintptr_t)ts;
}

static void
gen_nanosleep(struct req *r)
{
	r->a[0] = timespec(0);
	r->a[1] = one_in(2) ? 0 : any_ptr();
}

static void
gen_clock_nanosleep(struct req *r)
{
	/* not the CPU-time clocks (2, 3): a sleeping process never uses the
	 * time it waits for, so on Linux it sleeps for good */
	static const int32_t sleep_clocks[] = { 0, 1, 4, 5, 6, 7, 11, -1, 100, (int32_t)0x80000000 };

	r->a[0] = (uint32_t)PICK(sleep_clocks);
	/* an absolute time from the crafted values is long past: no wait */
	r->a[1] = one_in(8) ? rnd() : below(2) * TIMER_ABSTIME_;
	r->a[2] = timespec(r->op->nr == SYS_clock_nanosleep_time64);
	r->a[3] = one_in(2) ? 0 : any_ptr();
}

static void fuzz_handler(int sig);

/* sigaction - a crafted struct k_sigaction (handler, flags, restorer, mask). */
static uint32_t
sigaction_struct(void)
{
	static const uint32_t sa_bits[] = {
		1, 2, 4, 0x08000000, 0x10000000, SA_NODEFER_, 0x80000000u,
	};
	uint32_t *act;
	uint32_t handler;

	if (one_in(6))
		return one_in(2) ? 0 : bad_ptr();
	act = craft(5 * sizeof(uint32_t));
	switch (below(6)) {
	case 0: handler = 0; break;                  /* SIG_DFL */
	case 1: handler = 1; break;                  /* SIG_IGN */
	case 2: handler = one_in(2) ? bad_ptr() : arena_page(); break;
	default: handler = (uint32_t)(uintptr_t)fuzz_handler; break;
	}
	act[0] = handler;
	act[1] = flags_from(sa_bits, 7, 32) | (one_in(8) ? 0 : SA_RESTORER_);
	/* a bad handler for a fault signal that is not blocked while it runs
	 * faults again forever, on Linux too: not a kernel hang */
	if (handler > 1 && handler != (uint32_t)(uintptr_t)fuzz_handler)
		act[1] &= ~(uint32_t)SA_NODEFER_;
	act[2] = one_in(8) ? bad_ptr() : (uint32_t)(uintptr_t)fuzz_restore_rt;
	act[3] = rnd();
	act[4] = rnd();
	return (uint32_t)(uintptr_t)act;
}

static void
gen_rt_sigaction(struct req *r)
{
	static const int32_t odd_sigs[] = { 0, 65, -1, 9, 19, 1000 };
	int sig = one_in(8) ? PICK(odd_sigs) : 1 + (int)below(64);

	r->a[0] = (uint32_t)sig;
	r->a[1] = sigaction_struct();
	r->a[2] = one_in(2) ? 0 : any_ptr();
	r->a[3] = one_in(16) ? rnd() : 8;
}

/* crafted_sigset - a crafted 64-bit signal set, or a bad pointer. */
static uint32_t
crafted_sigset(void)
{
	uint32_t *set;

	if (one_in(6))
		return one_in(2) ? 0 : bad_ptr();
	set = craft(2 * sizeof(uint32_t));
	set[0] = one_in(2) ? rnd() : 0;
	set[1] = one_in(2) ? rnd() : 0;
	return (uint32_t)(uintptr_t)set;
}

static void
gen_rt_sigprocmask(struct req *r)
{
	r->a[0] = one_in(8) ? rnd() : below(3);
	r->a[1] = crafted_sigset();
	r->a[2] = one_in(2) ? 0 : any_ptr();
	r->a[3] = one_in(16) ? rnd() : 8;
}

static void
gen_rt_sigpending(struct req *r)
{
	r->a[0] = any_ptr();
	r->a[1] = one_in(16) ? rnd() : 8;
}

static void
gen_sigaltstack(struct req *r)
{
	uint32_t *ss;

	if (one_in(4)) {
		r->a[0] = one_in(2) ? 0 : bad_ptr();
	} else {
		ss = craft(3 * sizeof(uint32_t));
		ss[0] = one_in(2) ? fixture(BUF_PAGE) : any_ptr();
		ss[1] = one_in(4) ? rnd() : below(3);    /* SS_ONSTACK 1, SS_DISABLE 2 */
		ss[2] = one_in(4) ? rnd() : one_in(2) ? BUF_PAGES * PAGE_SIZE : below(4096);
		r->a[0] = (uint32_t)(uintptr_t)ss;
	}
	r->a[1] = one_in(2) ? 0 : any_ptr();
}

static const uint32_t open_bits[] = {
	O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_APPEND, O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW,
	O_CLOEXEC, O_PATH, O_TMPFILE, O_LARGEFILE, O_DSYNC, O_DIRECT,
};
#define TMPFILE_BIT   020000000                /* O_TMPFILE without O_DIRECTORY */
#define CHANGING_OPEN (O_CREAT | O_TRUNC | O_APPEND | TMPFILE_BIT | O_ACCMODE)

/* open_flags - access mode and flags; never O_ASYNC (it would send SIGIO). */
static uint32_t
open_flags(void)
{
	uint32_t f = below(4) | flags_from(open_bits, 14, 1u << 30);

	if (one_in(32))
		f |= rnd();
	return f & ~(uint32_t)O_ASYNC;
}

static void
gen_open(struct req *r)
{
	r->a[1] = open_flags();
	r->a[0] = (r->a[1] & CHANGING_OPEN) ? scratch_path() : look_path(NO_GARBAGE);
	r->a[2] = rnd() & 0666;
}

static void
gen_openat(struct req *r)
{
	r->a[2] = open_flags();
	if (r->a[2] & CHANGING_OPEN) {
		r->a[0] = (uint32_t)changing_dirfd();
		r->a[1] = scratch_path();
	} else {
		r->a[0] = (uint32_t)any_dirfd();
		r->a[1] = look_path(NO_GARBAGE);
	}
	r->a[3] = rnd() & 0666;
}

static void
gen_creat(struct req *r)
{
	r->a[0] = scratch_path();
	r->a[1] = rnd() & 0666;
}

/* crafted_string - p if it points into the crafted area (where the string
 * a generator wrote is), else NULL. */
static const char *
crafted_string(uint32_t p)
{
	uint32_t base = fixture(0);

	return p >= base && p < base + CRAFT_BYTES ? (const char *)(uintptr_t)p : NULL;
}

static void
post_open(struct req *r, long ret)
{
	int at = r->op->nr == SYS_openat;
	uint32_t path = r->a[at ? 1 : 0];
	uint32_t flags = r->op->nr == SYS_creat ? O_WRONLY : r->a[at ? 2 : 1];
	const char *s = crafted_string(path);
	int relative_ok = !at || (int)r->a[0] == AT_FDCWD_ ||
			  fd_info((int)r->a[0]).kind == FD_SCRATCH ||
			  fd_info((int)r->a[0]).kind == FD_SCRATCH_DIR;
	enum fd_kind kind = s ? kind_of_path(s, relative_ok) : FD_OTHER;

	if (ret < 0)
		return;
	if (kind == FD_SCRATCH && (flags & O_DIRECTORY))
		kind = FD_SCRATCH_DIR;
	set_fd(ret, kind, (int)(flags & 3));
	if (ret >= FD_SLOTS)
		raw3(SYS_close, ret, 0, 0);               /* beyond what we track */
}

static void
gen_fd(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
}

static void
post_close(struct req *r, long ret)
{
	if (ret == 0)
		set_fd((int)r->a[0], FD_NONE, 0);
}

static void
post_dup(struct req *r, long ret)
{
	if (ret >= 0)
		set_fd(ret, fd_info((int)r->a[0]).kind, fd_info((int)r->a[0]).accmode);
	if (ret >= FD_SLOTS)
		raw3(SYS_close, ret, 0, 0);
}

static void
gen_dup2(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
	r->a[1] = (uint32_t)new_fd_number();
	r->a[2] = one_in(8) ? rnd() : below(2) * O_CLOEXEC;
}

static void
gen_fcntl(struct req *r)
{
	static const uint32_t cmds[] = {
		0, 1, 2, 3, 4, 5, 6, 12, 13, 1030, 9, 11, 1025, 1026, 1031, 1032, 1033, 1034, 2000,
	};
	int fd = any_fd();
	uint32_t cmd = PICK(cmds);

	r->a[0] = (uint32_t)fd;
	r->a[1] = cmd;
	switch (cmd) {
	case F_DUPFD: case F_DUPFD_CLOEXEC:
		r->a[2] = (uint32_t)new_fd_number();
		break;
	case F_SETFL:
		r->a[2] = rnd() & ~(uint32_t)O_ASYNC;
		if (fd_info(fd).kind == FD_PIPE)
			r->a[2] |= O_NONBLOCK;
		break;
	case 5: case 6: case 12: case 13:            /* F_GETLK, F_SETLK (non-blocking) */
		r->a[2] = any_ptr();
		break;
	default:
		r->a[2] = one_in(2) ? rnd() : below(4);
		break;
	}
}

static void
post_fcntl(struct req *r, long ret)
{
	if ((r->a[1] == F_DUPFD || r->a[1] == F_DUPFD_CLOEXEC) && ret >= 0)
		post_dup(r, ret);
}

static void
post_dup2(struct req *r, long ret)
{
	if (ret >= 0 && ret < FD_SLOTS)
		set_fd(ret, fd_info((int)r->a[0]).kind, fd_info((int)r->a[0]).accmode);
}

static void
gen_lseek(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
	r->a[1] = one_in(3) ? PICK(offsets) : below(64 * KiB);
	r->a[2] = one_in(8) ? rnd() : below(6);
}

static void
gen_llseek(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
	r->a[1] = one_in(4) ? PICK(offsets) : 0;
	r->a[2] = one_in(3) ? PICK(offsets) : below(64 * KiB);
	r->a[3] = any_ptr();
	r->a[4] = one_in(8) ? rnd() : below(6);
}

static void
gen_getcwd(struct req *r)
{
	static const uint32_t sizes[] = { 0, 1, 2, 10, 64, 4096, 0xFFFFFFFFu, 0x80000000u };

	r->a[0] = any_ptr();
	r->a[1] = PICK(sizes);
	if (g.ptr_roomy && r->a[1] > IO_CAP)
		r->a[1] = 4096;
}

static void
gen_access(struct req *r)
{
	r->a[0] = look_path(GARBAGE_OK);
	r->a[1] = one_in(8) ? rnd() : below(8);
}

static void
gen_faccessat(struct req *r)
{
	r->a[0] = (uint32_t)any_dirfd();
	r->a[1] = look_path(GARBAGE_OK);
	r->a[2] = one_in(8) ? rnd() : below(8);
	r->a[3] = flags_from(at_flags, 6, 8);
}

static void
gen_readlink(struct req *r)
{
	r->a[0] = look_path(GARBAGE_OK);
	r->a[1] = any_ptr();
	r->a[2] = io_len();
}

static void
gen_readlinkat(struct req *r)
{
	r->a[0] = (uint32_t)any_dirfd();
	r->a[1] = look_path(GARBAGE_OK);
	r->a[2] = any_ptr();
	r->a[3] = io_len();
}

static void
gen_path_mode(struct req *r)
{
	r->a[0] = scratch_path();
	r->a[1] = rnd() & 0777;
}

static void
gen_path(struct req *r)
{
	r->a[0] = scratch_path();
}

static void
gen_two_paths(struct req *r)
{
	r->a[0] = scratch_path();
	r->a[1] = scratch_path();
}

static void
gen_symlink(struct req *r)
{
	static const char *const targets[] = { "f0", "d0", "nonexistent", "l0", "d0/f0", "" };

	r->a[0] = one_in(6) ? odd_path() : craft_string(PICK(targets));
	r->a[1] = scratch_path();
}

static void
gen_truncate(struct req *r)
{
	r->a[0] = scratch_path();
	r->a[1] = one_in(4) ? PICK(offsets) : below(64 * KiB);
	r->a[2] = one_in(8) ? PICK(offsets) : 0;
}

static void
gen_ftruncate(struct req *r)
{
	r->a[0] = (uint32_t)any_fd();
	r->a[1] = one_in(4) ? PICK(offsets) : below(64 * KiB);
	r->a[2] = one_in(8) ? PICK(offsets) : 0;
}

static void
gen_wait4(struct req *r)
{
	static const int32_t pids[] = { -1, -1, 0, 1, 99999, (int32_t)0x80000000, -99999 };

	r->a[0] = (uint32_t)PICK(pids);
	r->a[1] = one_in(3) ? 0 : any_ptr();
	/* WNOHANG (1) mostly: a blocking wait only ever waits for our own
	 * grandchildren, which end after a few calls */
	r->a[2] = one_in(16) ? rnd() | 1 : one_in(4) ? 0 : 1;
	r->a[3] = one_in(2) ? 0 : any_ptr();
}

static void
gen_prlimit(struct req *r)
{
	r->a[0] = 0;                                 /* ourselves only */
	r->a[1] = one_in(8) ? rnd() : below(17);
	r->a[2] = one_in(2) ? 0 : bad_ptr();         /* never a readable new limit */
	r->a[3] = one_in(3) ? 0 : out_ptr(r);
	r->expect_fault = 0;
}

static void
gen_ugetrlimit(struct req *r)
{
	r->a[0] = one_in(8) ? rnd() : below(17);
	r->a[1] = any_ptr();
}

static void
gen_ioctl(struct req *r)
{
	/* only requests that look at, or change, this fd alone */
	static const uint32_t cmds[] = {
		0x5401, 0x5413, 0x541B, 0x540F, 0x5451, 0x5450, 0x5421, 0x80045430, 0x5402,
		0x5414, 0xDEADBEEFu, 0,
	};
	int fd = any_fd();

	r->a[0] = (uint32_t)fd;
	r->a[1] = PICK(cmds);
	r->a[2] = any_ptr();
	if (r->a[1] == 0x5421 && fd_info(fd).kind == FD_PIPE) {   /* FIONBIO: stay non-blocking */
		int *on = craft(sizeof(int));
		*on = 1;
		r->a[2] = (uint32_t)(uintptr_t)on;
	}
}

/* argv_array - a crafted argv or envp with a bad entry, or a bad pointer. */
static uint32_t
argv_array(void)
{
	uint32_t *v;

	switch (below(4)) {
	case 0: return 0;
	case 1: return bad_ptr();
	case 2: return fixture(UNTERMINATED_PAGE + 1) - 4;    /* no NULL before the hole */
	default:
		v = craft(4 * sizeof(uint32_t));
		v[0] = craft_string("x");
		v[1] = bad_ptr();
		v[2] = one_in(2) ? odd_path() : 0;
		v[3] = 0;
		return (uint32_t)(uintptr_t)v;
	}
}

static void
gen_execve(struct req *r)
{
	static const char *const paths[] = { "/nonexistent", "f0", "d0", "/", "/dev/null" };

	/* never a program: a bad path, or one that is not executable */
	r->a[0] = one_in(2) ? odd_path() : craft_string(PICK(paths));
	r->a[1] = argv_array();
	r->a[2] = argv_array();
}

static void
gen_any_ptr(struct req *r)
{
	r->a[0] = any_ptr();
}

static void
gen_set_thread_area(struct req *r)
{
	static const uint32_t entries[] = { 0xFFFFFFFFu, 6, 7, 8, 5, 9, 0, 12 };
	uint32_t *u;

	if (one_in(6)) {
		r->a[0] = bad_ptr();
		return;
	}
	u = craft(4 * sizeof(uint32_t));
	u[0] = PICK(entries);
	u[1] = one_in(2) ? 0 : rnd();
	u[2] = one_in(2) ? 0xFFFFF : rnd();
	u[3] = rnd() & 0x7F;                         /* the seven bit-fields */
	r->a[0] = (uint32_t)(uintptr_t)u;
}

/* The sigreturn frame: a crafted stack with random registers and EIP at
 * fuzz_landing, at the offsets where Linux (rt and non-rt) and anvil
 * look for EIP and ESP (relative to the ESP at the int 0x80). */
#define SIGFRAME_WORDS   256
#define RT_SC_OFF        160                     /* rt: frame at esp-4, sigcontext at +164 */
#define OLD_SC_OFF       0                       /* Linux sigframe at esp-8, sc at +8 */
#define ANVIL_OLD_SC_OFF 156                     /* anvil: the rt layout at esp-8 */
#define RT_SIGMASK_OFF   248                     /* uc_sigmask, after the sigcontext */
enum sc_word {                                   /* struct sigcontext, in words */
	SC_GS, SC_FS, SC_ES, SC_DS, SC_EDI, SC_ESI, SC_EBP, SC_ESP, SC_EBX, SC_EDX, SC_ECX,
	SC_EAX, SC_TRAPNO, SC_ERR, SC_EIP, SC_CS, SC_EFLAGS, SC_ESP_AT_SIGNAL, SC_SS,
	SC_FPSTATE,
};
#define EFLAGS_SANE      0x202                   /* IF and the always-one bit */
#define EFLAGS_ARITH     0x8D5                   /* CF PF AF ZF SF OF */

static void
put_word(uint8_t *frame, uint32_t off, uint32_t v)
{
	memcpy(frame + 64 + off, &v, sizeof(v));
}

/* put_sc - one sigcontext word, in all three places a kernel may look. */
static void
put_sc(uint8_t *frame, enum sc_word word, uint32_t v)
{
	put_word(frame, RT_SC_OFF + 4 * word, v);
	put_word(frame, OLD_SC_OFF + 4 * word, v);
	put_word(frame, ANVIL_OLD_SC_OFF + 4 * word, v);
}

/* gen_sigreturn - a frame of random words whose EIP and ESP land back in
 * fuzz_landing; three times in four the segments, flags, x87 state and
 * mask are sane too (so the child goes on), else they are random. */
static void
gen_sigreturn(struct req *r)
{
	uint8_t *frame = craft(SIGFRAME_WORDS * 4);
	uint32_t esp = (uint32_t)(uintptr_t)frame + 64;        /* room below for the -4/-8 */

	for (int i = 0; i < SIGFRAME_WORDS; i++) {
		uint32_t w = one_in(4) ? 0 : rnd();
		memcpy(frame + 4 * i, &w, 4);
	}
	put_sc(frame, SC_EIP, (uint32_t)(uintptr_t)fuzz_landing);
	put_sc(frame, SC_ESP, esp);
	if (!one_in(4)) {
		put_sc(frame, SC_GS, g.gs);
		put_sc(frame, SC_FS, 0);
		put_sc(frame, SC_ES, g.ss);
		put_sc(frame, SC_DS, g.ss);
		put_sc(frame, SC_CS, g.cs);
		put_sc(frame, SC_SS, g.ss);
		put_sc(frame, SC_EFLAGS, EFLAGS_SANE | (rnd() & EFLAGS_ARITH));
		put_sc(frame, SC_FPSTATE, 0);            /* Linux: no x87 state to restore */
		put_word(frame, RT_SIGMASK_OFF, 0);
		put_word(frame, RT_SIGMASK_OFF + 4, 0);
	}
	r->a[0] = esp;
}

/* touch: not a system call but user-mode accesses (see touch()). */
static void gen_touch(struct req *r) { range(&r->a[0], &r->a[1]); r->a[2] = below(2); }

#define OP(name, nr, weight, gen, post) { name, nr, weight, gen, post }
#define SYSOP(call, weight, gen, post) OP(#call, SYS_##call, weight, gen, post)
static const struct op ops[] = {
	/* mm */
	SYSOP(mmap2, 90, gen_mmap2, post_map),
	SYSOP(mmap, 8, gen_old_mmap, post_old_mmap),
	SYSOP(munmap, 50, gen_range, NULL),
	SYSOP(mprotect, 50, gen_mprotect, NULL),
	SYSOP(mremap, 60, gen_mremap, post_map),
	SYSOP(remap_file_pages, 30, gen_remap_file_pages, NULL),
	SYSOP(madvise, 60, gen_madvise, NULL),
	SYSOP(mlock, 12, gen_mlock, NULL),
	SYSOP(munlock, 12, gen_range, NULL),
	SYSOP(mlock2, 8, gen_mlock2, NULL),
	SYSOP(mlockall, 4, gen_mlockall, NULL),
	SYSOP(munlockall, 4, gen_none, NULL),
	SYSOP(mincore, 16, gen_mincore, NULL),
	SYSOP(brk, 20, gen_brk, post_brk),
	SYSOP(msync, 8, gen_msync, NULL),
	SYSOP(fork, 10, gen_none, NULL),
	OP("touch", NOT_A_SYSCALL, 40, gen_touch, NULL),
	/* user pointers */
	SYSOP(read, 25, gen_fd_buf_len, NULL),
	SYSOP(write, 25, gen_fd_buf_len, NULL),
	SYSOP(readv, 10, gen_readv, NULL),
	SYSOP(writev, 10, gen_readv, NULL),
	SYSOP(pread64, 6, gen_pread, NULL),
	SYSOP(pwrite64, 6, gen_pread, NULL),
	SYSOP(preadv, 4, gen_readv, NULL),
	SYSOP(pwritev, 4, gen_readv, NULL),
	SYSOP(pipe, 5, gen_pipe, post_pipe),
	SYSOP(pipe2, 5, gen_pipe, post_pipe),
	SYSOP(stat64, 8, gen_stat, NULL),
	SYSOP(lstat64, 5, gen_stat, NULL),
	SYSOP(fstat64, 10, gen_fstat, NULL),
	SYSOP(fstatat64, 6, gen_fstatat, NULL),
	SYSOP(statx, 6, gen_statx, NULL),
	SYSOP(uname, 6, gen_out_only, NULL),
	SYSOP(getdents64, 10, gen_fd_buf_len, NULL),
	OP("clock_gettime", SYS_clock_gettime32, 6, gen_clock_ptr, NULL),
	SYSOP(clock_gettime64, 4, gen_clock_ptr, NULL),
	OP("clock_getres", SYS_clock_getres_time32, 4, gen_clock_ptr, NULL),
	OP("gettimeofday", SYS_gettimeofday_time32, 4, gen_gettimeofday, NULL),
	SYSOP(time, 3, gen_time, NULL),
	SYSOP(nanosleep, 4, gen_nanosleep, NULL),
	OP("clock_nanosleep", SYS_clock_nanosleep_time32, 3, gen_clock_nanosleep, NULL),
	SYSOP(clock_nanosleep_time64, 3, gen_clock_nanosleep, NULL),
	SYSOP(rt_sigaction, 12, gen_rt_sigaction, NULL),
	SYSOP(rt_sigprocmask, 10, gen_rt_sigprocmask, NULL),
	SYSOP(rt_sigpending, 4, gen_rt_sigpending, NULL),
	SYSOP(sigaltstack, 4, gen_sigaltstack, NULL),
	SYSOP(open, 20, gen_open, post_open),
	SYSOP(openat, 12, gen_openat, post_open),
	SYSOP(creat, 4, gen_creat, post_open),
	SYSOP(close, 15, gen_fd, post_close),
	SYSOP(dup, 6, gen_fd, post_dup),
	SYSOP(dup2, 6, gen_dup2, post_dup2),
	SYSOP(dup3, 4, gen_dup2, post_dup2),
	SYSOP(fcntl64, 8, gen_fcntl, post_fcntl),
	SYSOP(lseek, 6, gen_lseek, NULL),
	SYSOP(_llseek, 5, gen_llseek, NULL),
	SYSOP(getcwd, 5, gen_getcwd, NULL),
	SYSOP(sysinfo, 4, gen_out_only, NULL),
	SYSOP(access, 4, gen_access, NULL),
	SYSOP(faccessat, 3, gen_faccessat, NULL),
	SYSOP(readlink, 4, gen_readlink, NULL),
	SYSOP(readlinkat, 3, gen_readlinkat, NULL),
	SYSOP(mkdir, 5, gen_path_mode, NULL),
	SYSOP(rmdir, 4, gen_path, NULL),
	SYSOP(unlink, 5, gen_path, NULL),
	SYSOP(rename, 5, gen_two_paths, NULL),
	SYSOP(link, 4, gen_two_paths, NULL),
	SYSOP(symlink, 4, gen_symlink, NULL),
	SYSOP(truncate64, 5, gen_truncate, NULL),
	SYSOP(ftruncate64, 6, gen_ftruncate, NULL),
	SYSOP(wait4, 6, gen_wait4, NULL),
	SYSOP(prlimit64, 4, gen_prlimit, NULL),
	SYSOP(ugetrlimit, 3, gen_ugetrlimit, NULL),
	SYSOP(ioctl, 6, gen_ioctl, NULL),
	SYSOP(execve, 3, gen_execve, NULL),
	SYSOP(set_tid_address, 3, gen_any_ptr, NULL),
	SYSOP(set_thread_area, 3, gen_set_thread_area, NULL),
	SYSOP(rt_sigreturn, 1, gen_sigreturn, NULL),
	SYSOP(sigreturn, 1, gen_sigreturn, NULL),
};
#define NOPS ((int)(sizeof(ops) / sizeof(ops[0])))

static int
op_is(const struct req *r, const char *name)
{
	return strcmp(r->op->name, name) == 0;
}

/* ---- known bugs: inputs kept out until their fix is merged ---------------- */

/* Each entry names a kernel bug found by the fuzzer whose fix is not merged
 * yet, with a predicate on the inputs that would hit it; those inputs are
 * replaced. The five issue-9 bugs that used to be here (mremap with huge
 * lengths, do_munmap past the top, mmap of a pipe or /proc file, mmap of an
 * O_WRONLY file, MADV_REMOVE after fork) are fixed: the list is empty. */
static const struct known_bug {
	const char *name;
	int (*matches)(const struct req *r);
} known_bugs[] = {
};
#define NKNOWN ((int)(sizeof(known_bugs) / sizeof(known_bugs[0])))

/* Entries FUZZ_UNMASK named (a comma-separated list, or "all"): their
 * inputs are generated again, to see a bug or check its fix. */
static uint32_t unmasked;

static void
parse_unmask(const char *list)
{
	size_t len;

	for (const char *p = list; p && *p; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		for (int i = 0; i < NKNOWN; i++)
			if ((len == 3 && strncmp(p, "all", 3) == 0) ||
			    (strlen(known_bugs[i].name) == len && strncmp(p, known_bugs[i].name, len) == 0))
				unmasked |= 1u << i;
	}
}

/* known_bug - the index of the first known bug r would hit, or -1. */
static int
known_bug(const struct req *r)
{
	for (int i = 0; i < NKNOWN; i++)
		if (!(unmasked & (1u << i)) && known_bugs[i].matches(r))
			return i;
	return -1;
}

/* ---- resource guards: not bugs, just more memory than a guest has ---------- */

/* resource_guards - keeps a call from populating more than MiB_16 at once
 * (MAP_POPULATE, MAP_LOCKED, mlockall(MCL_FUTURE), mlock of a huge
 * mapping, remap_file_pages without MAP_NONBLOCK or in a locked
 * mapping), which would take a 256 MiB guest's memory (and lock the
 * host's). Changes the request; never drops it. */
static void
resource_guards(struct req *r)
{
	uint32_t *args = NULL, *len = NULL, flags = 0;

	if (op_is(r, "mmap2")) {
		len = &r->a[1];
		flags = r->a[3];
	} else if (op_is(r, "mremap")) {
		len = &r->a[2];
	} else if (op_is(r, "mmap") && crafted_string(r->a[0])) {
		args = (uint32_t *)(uintptr_t)r->a[0];   /* addr len prot flags fd offset */
		len = &args[1];
		flags = args[3];
	}
	if (len && *len > MiB_16 && *len < USER_TOP_ANVIL &&
	    (g.mcl_future || g.locked_something || (flags & (MAP_POPULATE | MAP_LOCKED))))
		*len = MiB_16;
	if (args)
		r->a[2] = args[1];                       /* the copy the masks and trace see */
	if ((op_is(r, "mlock") || op_is(r, "mlock2") || op_is(r, "madvise")) && g.big_mapping &&
	    r->a[1] > MiB_16)
		r->a[1] = MiB_16;
	if (op_is(r, "remap_file_pages") && r->a[1] > MiB_16 && !(r->a[4] & MAP_NONBLOCK))
		r->a[4] |= MAP_NONBLOCK;                 /* populating would fill a big shared mapping */
	if (op_is(r, "remap_file_pages") && r->a[1] > MiB_16 && (g.mcl_future || g.locked_something))
		r->a[1] = MiB_16;                        /* a locked one populates anyway */
	if (op_is(r, "mlockall") && g.big_mapping)
		r->a[0] &= ~(uint32_t)MCL_CURRENT_;
}

/* ---- tracing ------------------------------------------------------------------------ */

static char *
put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static char *
put_hex(char *p, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	int started = 0;

	p = put_str(p, "0x");
	for (int shift = 28; shift >= 0; shift -= 4) {
		uint32_t d = (v >> shift) & 0xF;
		if (d || started || shift == 0) {
			*p++ = digits[d];
			started = 1;
		}
	}
	return p;
}

static char *
put_dec(char *p, uint32_t v)
{
	char tmp[12];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* trace_call - "(syscall_fuzz) R.N name(a, b, ...)" or " = ret", written
 * with a raw write: no libc state is trusted in a wrecked child. */
static void
trace_call(const struct req *r, int result, long ret)
{
	char line[256], *p = line;

	if (!result) {
		p = put_str(p, "(" TEST_NAME ") ");
		p = put_dec(p, g.round);
		*p++ = '.';
		p = put_dec(p, g.seq);
		p = put_str(p, g.grandchild ? " [grandchild] " : " ");
		p = put_str(p, r->op->name);
		*p++ = '(';
		for (int i = 0; i < 6; i++) {
			if (i)
				p = put_str(p, ", ");
			p = put_hex(p, r->a[i]);
		}
		p = put_str(p, ")\n");
	} else {
		p = put_str(p, "(" TEST_NAME ")     = ");
		if (is_error(ret)) {
			*p++ = '-';
			p = put_dec(p, (uint32_t)-ret);
		} else {
			p = put_hex(p, (uint32_t)ret);
		}
		*p++ = '\n';
	}
	raw3(SYS_write, TRACE_FD, (long)(uintptr_t)line, p - line);
}

/* ---- issuing calls -------------------------------------------------------------------- */

/* record_call - the call goes into the shared ring before it is issued. */
static struct call_record *
record_call(const struct req *r)
{
	uint32_t slot = __atomic_fetch_add(&ctl->next, 1, __ATOMIC_RELAXED) % RING;
	struct call_record *c = &ctl->ring[slot];

	__atomic_fetch_add(&ctl->calls, 1, __ATOMIC_RELAXED);
	c->seq = g.seq;
	c->op = (uint16_t)(r->op - ops);
	c->grandchild = (uint8_t)g.grandchild;
	memcpy(c->arg, r->a, sizeof(c->arg));
	c->ret = RET_PENDING;
	return c;
}

static void
oracle_fail(const struct req *r, long ret, const char *what)
{
	char *p = ctl->oracle_text;

	p = put_str(p, r->op->name);
	p = put_str(p, ": ");
	p = put_str(p, what);
	p = put_str(p, " (returned ");
	p = put_hex(p, (uint32_t)ret);
	p = put_str(p, ")");
	*p = 0;
	ctl->oracle_failed = g.seq;
	raw_exit(3);
}

/* check_result - what must hold of any result: a new mapping lies in user
 * space, where it was asked for with MAP_FIXED; nothing is written at a
 * kernel address. */
static void
check_result(const struct req *r, long ret)
{
	int error = is_error(ret);
	uint32_t addr = (uint32_t)ret;

	if (!g.on_anvil)
		return;                                  /* a 64-bit host's limits differ */
	if (r->expect_fault && !error && (ret > 0 || !(op_is(r, "read") || op_is(r, "getdents64"))))
		oracle_fail(r, ret, "succeeded with a kernel address to write to");
	/* a resize to the same length moves nothing: it gives back addr as it
	 * came (Linux before 6.x did so without looking at it) */
	int noop = op_is(r, "mremap") && page_align(r->a[1]) == page_align(r->a[2]) &&
		   !(r->a[3] & (MREMAP_FIXED_ | MREMAP_DONTUNMAP_));

	if ((op_is(r, "mmap2") || op_is(r, "mremap")) && !error && !noop) {
		uint32_t len = page_align(op_is(r, "mremap") ? r->a[2] : r->a[1]);
		if (addr % PAGE_SIZE || addr >= g.user_top || len > g.user_top - addr)
			oracle_fail(r, ret, "gave a mapping outside user space");
		if (op_is(r, "mmap2") && (r->a[3] & MAP_FIXED) && addr != r->a[0])
			oracle_fail(r, ret, "MAP_FIXED mapped elsewhere");
		if (op_is(r, "mremap") && (r->a[3] & MREMAP_FIXED_) && addr != r->a[4])
			oracle_fail(r, ret, "MREMAP_FIXED moved elsewhere");
	}
}

/* check_rmap_now - FUZZ_CHECK_EVERY: the checker must read "0" now. */
static void
check_rmap_now(const struct req *r)
{
	char text[16];

	raw3(SYS_lseek, RMAP_FD, 0, SEEK_SET);
	if (raw3(SYS_read, RMAP_FD, (long)(uintptr_t)text, sizeof(text)) != 2 || text[0] != '0')
		oracle_fail(r, 0, "left rmap inconsistent (rmap_check is not 0)");
}

/* touch - user-mode reads or writes of a few pages of a range; a page is
 * touched only if the kernel could copy to (or from) it, so a touch
 * faults only where kernel and hardware disagree. */
static void
touch(const struct req *r)
{
	uint32_t addr = r->a[0] & ~(uint32_t)(PAGE_SIZE - 1);
	uint32_t pages = r->a[1] / PAGE_SIZE + 1;

	if (pages > 8)
		pages = 8;
	for (uint32_t i = 0; i < pages; i++, addr += PAGE_SIZE) {
		volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)(addr + 4 * below(PAGE_SIZE / 4));
		if (addr >= USER_TOP_ANVIL || addr < PAGE_SIZE)
			break;
		if (r->a[2]) {
			if (raw3(SYS_read, ZERO_FD, (long)(uintptr_t)p, 4) == 4)
				*p = g.seq;
		} else if (raw3(SYS_write, PROBE_WRITE_FD, (long)(uintptr_t)p, 4) == 4) {
			uint32_t drained;
			raw3(SYS_read, PROBE_READ_FD, (long)(uintptr_t)&drained, 4);
			(void)*p;
		}
	}
}

static void
reap_grandchildren(void)
{
	while (g.live_grandchildren > 0 && raw3(SYS_wait4, -1, 0, 1) > 0)
		g.live_grandchildren--;
}

/* fork_grandchild - the grandchild issues a few calls of its own and
 * exits; the round's child goes on. */
static long
fork_grandchild(void)
{
	long pid;

	if (g.grandchild)
		return raw0(SYS_getpid);
	reap_grandchildren();
	if (g.live_grandchildren >= MAX_GRANDCHILDREN) {
		raw3(SYS_wait4, -1, 0, 0);               /* they end after a few calls */
		g.live_grandchildren--;
	}
	pid = raw0(SYS_fork);
	if (pid == 0) {
		raw3(SYS_close, DONE_FD, 0, 0);           /* the parent sees EOF when the child dies */
		g.grandchild = 1;
		g.live_grandchildren = 0;
		g.calls_left = (int)below(GRANDCHILD_MAX_CALLS);
		g.rng = mix32(g.rng ^ 0x9e3779b9u) | 1;
	} else if (pid > 0) {
		g.live_grandchildren++;
	}
	return pid;
}

/* generate - the next call, replaced while a known bug would match it. */
static void
generate(struct req *r)
{
	static int total_weight;
	int bug;

	if (!total_weight)
		for (int i = 0; i < NOPS; i++)
			total_weight += ops[i].weight;
	for (;;) {
		int x = (int)below((uint32_t)total_weight), i = 0;

		while (x >= ops[i].weight)
			x -= ops[i++].weight;
		memset(r, 0, sizeof(*r));
		r->op = &ops[i];
		g.craft_next = (uint8_t *)(uintptr_t)fixture(0);
		ops[i].gen(r);
		resource_guards(r);
		bug = known_bug(r);
		if (bug < 0)
			return;
		ctl->masked++;
		ctl->masked_by[bug]++;
	}
}

/* issue - runs r, records it, checks its result, updates the model. */
static void
issue(struct req *r)
{
	struct call_record *c;
	long ret;

	g.seq++;
	c = record_call(r);
	if (g.trace)
		trace_call(r, 0, 0);
	if (r->host_skip && !g.on_anvil)
		ret = -ENOSYS;
	else if (op_is(r, "fork"))
		ret = fork_grandchild();
	else if (op_is(r, "touch")) {
		touch(r);
		ret = 0;
	} else if (op_is(r, "rt_sigreturn") || op_is(r, "sigreturn"))
		ret = fuzz_sigreturn_at((long)r->op->nr, r->a[0]);
	else
		ret = fuzz_syscall6((long)r->op->nr, (long)r->a[0], (long)r->a[1], (long)r->a[2],
				    (long)r->a[3], (long)r->a[4], (long)r->a[5]);
	if (op_is(r, "fork") && ret == 0 && g.grandchild)
		return;                                  /* the new grandchild: not its call */
	c->ret = (int32_t)ret;
	if (g.trace)
		trace_call(r, 1, ret);
	check_result(r, ret);
	if (g.check_every && g.seq % (uint32_t)g.check_every == 0)
		check_rmap_now(r);
	if (r->op->post)
		r->op->post(r, ret);
}

/* ---- the round's child ---------------------------------------------------------- */

static void
fuzz_handler(int sig)
{
	/* a fault signal: let the fault happen again, and kill */
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		uint32_t act[5] = { 0, SA_RESTORER_, (uint32_t)(uintptr_t)fuzz_restore_rt, 0, 0 };
		fuzz_syscall6(SYS_rt_sigaction, sig, (long)(uintptr_t)act, 0, 8, 0, 0);
	}
}

static void
setup_fail(const char *what)
{
	printf("(" TEST_NAME ") FAIL: child setup: %s (%s)\n", what, errno_name(errno));
	fflush(stdout);
	_exit(2);
}

/* map_fixed - mmap at exactly addr (inside the child's fixture or arena). */
static void
map_fixed(uint32_t addr, uint32_t pages, int prot, int flags, int fd)
{
	void *p = mmap((void *)(uintptr_t)addr, pages * PAGE_SIZE, prot, flags | MAP_FIXED, fd, 0);

	if (p == MAP_FAILED)
		setup_fail("mmap");
}

/* setup_fixture - the crafted pages, then RO, PROT_NONE, a hole, an
 * unterminated string page, a hole, the buffers, a hole. */
static void
setup_fixture(void)
{
	const int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;

	map_fixed(fixture(0), 2, rw, anon, -1);
	map_fixed(fixture(RO_PAGE), 1, rw, anon, -1);
	strcpy((char *)(uintptr_t)fixture(RO_PAGE), "/dev/null");
	mprotect((void *)(uintptr_t)fixture(RO_PAGE), PAGE_SIZE, PROT_READ);
	map_fixed(fixture(NONE_PAGE), 1, PROT_NONE, anon, -1);
	map_fixed(fixture(UNTERMINATED_PAGE), 1, rw, anon, -1);
	memset((void *)(uintptr_t)fixture(UNTERMINATED_PAGE), 'a', PAGE_SIZE);
	map_fixed(fixture(BUF_PAGE), BUF_PAGES, rw, anon, -1);
}

/* setup_arena - ARENA_PAGES pages in pieces of every kind:
 *   0-63 private rw (touched), 64-127 shared rw (touched), 128-159 read-only,
 *   160-191 PROT_NONE, 192-255 hole, 256-319 private file map of f0, rest hole. */
static void
setup_arena(int file_fd)
{
	const int rw = PROT_READ | PROT_WRITE;

	map_fixed(ARENA_ADDR, 64, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_fixed(ARENA_ADDR + 64 * PAGE_SIZE, 64, rw, MAP_SHARED | MAP_ANONYMOUS, -1);
	map_fixed(ARENA_ADDR + 128 * PAGE_SIZE, 32, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_fixed(ARENA_ADDR + 160 * PAGE_SIZE, 32, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	map_fixed(ARENA_ADDR + 256 * PAGE_SIZE, 64, rw, MAP_PRIVATE, file_fd);
	for (uint32_t i = 0; i < 128; i++)
		*(volatile uint32_t *)(uintptr_t)(ARENA_ADDR + i * PAGE_SIZE) = i;
}

/* move_fd - dup2 fd to target and close fd. */
static void
move_fd(int fd, int target)
{
	if (fd < 0 || dup2(fd, target) != target)
		setup_fail("dup2");
	if (fd != target)
		close(fd);
}

/* setup_fds - control fds up high, everything else closed, then the
 * fuzzer's starting fds from FIRST_FD on. */
static void
setup_fds(int done_fd, int go_fd)
{
	static const struct { const char *path; int flags; enum fd_kind kind; } start[] = {
		{ "f0", O_RDWR, FD_SCRATCH }, { "f1", O_RDONLY, FD_SCRATCH },
		{ "f2", O_WRONLY, FD_SCRATCH }, { ".", O_RDONLY | O_DIRECTORY, FD_SCRATCH_DIR },
		{ "/", O_RDONLY | O_DIRECTORY, FD_OTHER_DIR }, { "/dev/null", O_RDWR, FD_DEV },
		{ "/dev/zero", O_RDONLY, FD_DEV }, { "/proc/self/maps", O_RDONLY, FD_PROC },
	};
	int pipe_fds[2];

	move_fd(done_fd, DONE_FD);
	move_fd(go_fd, GO_FD);
	move_fd(open("/dev/zero", O_RDWR), ZERO_FD);
	if (dup2(1, TRACE_FD) != TRACE_FD)
		setup_fail("dup2 stdout");
	if (pipe2(pipe_fds, O_NONBLOCK) != 0)
		setup_fail("pipe2");
	move_fd(pipe_fds[0], PROBE_READ_FD);
	move_fd(pipe_fds[1], PROBE_WRITE_FD);
	if (g.check_every)
		move_fd(open(RMAP_CHECK_PATH, O_RDONLY), RMAP_FD);
	for (int fd = FIRST_FD; fd < DONE_FD; fd++)
		close(fd);
	memset(g.fd, 0, sizeof(g.fd));
	for (size_t i = 0; i < sizeof(start) / sizeof(start[0]); i++) {
		int fd = open(start[i].path, start[i].flags);
		if (fd < 0)
			setup_fail(start[i].path);
		set_fd(fd, start[i].kind, start[i].flags & 3);
	}
	if (pipe2(pipe_fds, O_NONBLOCK) != 0)
		setup_fail("pipe2");
	set_fd(pipe_fds[0], FD_PIPE, O_RDONLY);
	set_fd(pipe_fds[1], FD_PIPE, O_WRONLY);
}

/* child_stop - tell the parent the calls are done, then wait to be killed
 * (the parent checks rmap while this address space is alive). */
static void
child_stop(void)
{
	char done = 'd';

	if (g.grandchild)
		raw_exit(0);
	raw3(SYS_write, DONE_FD, (long)(uintptr_t)&done, 1);
	while (raw3(SYS_read, GO_FD, (long)(uintptr_t)&done, 1) != 0)
		;                                        /* EOF: the parent is gone */
	raw_exit(0);
}

static void
run_child(uint32_t round_seed, uint32_t round, int calls, int done_fd, int go_fd)
{
	struct rlimit as = { 256u << 20, 256u << 20 };
	uint32_t sel;
	struct req r;

	setpgid(0, 0);
	if (chdir(scratch_dir) != 0)
		setup_fail("chdir to the scratch directory");
	setup_fds(done_fd, go_fd);
	setup_fixture();
	setup_arena(g.fd[FIRST_FD].kind == FD_SCRATCH ? FIRST_FD : -1);
	/* on a host, no mapping may grow past this (anvil keeps but does not
	 * enforce it; resource_guards() keeps populating in check there) */
	setrlimit(RLIMIT_AS, &as);
	__asm__ volatile("mov %%cs, %0" : "=r"(sel));
	g.cs = sel;
	__asm__ volatile("mov %%ss, %0" : "=r"(sel));
	g.ss = sel;
	__asm__ volatile("mov %%gs, %0" : "=r"(sel));
	g.gs = sel;
	g.brk_start = g.brk_now = (uint32_t)raw3(SYS_brk, 0, 0, 0);
	g.rng = mix32(round_seed) | 1;
	g.round = round;
	fflush(stdout);
	for (int i = 0; i < calls; i++) {
		generate(&r);
		issue(&r);
		if (g.grandchild && g.calls_left-- <= 0)
			raw_exit(0);
	}
	child_stop();
}

/* ---- the parent ------------------------------------------------------------------ */

/* Tallies of one seed (and of the whole run). */
struct tally {
	unsigned long long calls;
	unsigned rounds, finished, signalled, exited, masked;
	unsigned by_signal[65];
	unsigned masked_by[8];
};

static struct {
	uint32_t first_seed, seeds, calls, round_calls, only_round;
	int trace, round_log, round_timeout_s, check_every;
	int on_anvil;
} opt;

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* remove_tree - rm -r of path (no symlink is followed). */
static void
remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		char child[512];
		char buf[1024];
		int fd = open(path, O_RDONLY | O_DIRECTORY), removed = 1;
		long n;

		while (fd >= 0 && removed) {                     /* until a pass finds nothing */
			removed = 0;
			lseek(fd, 0, SEEK_SET);
			while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
				for (long off = 0; off < n;) {
					struct { uint64_t ino; int64_t off; uint16_t reclen;
						 uint8_t type; char name[]; } *d = (void *)(buf + off);
					if (strcmp(d->name, ".") && strcmp(d->name, "..")) {
						snprintf(child, sizeof(child), "%s/%s", path, d->name);
						remove_tree(child);
						removed++;
					}
					off += d->reclen;
				}
			}
		}
		if (fd >= 0)
			close(fd);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* fresh_scratch - the scratch directory as each round starts: f0 (8 KiB
 * of pattern), f1, f2 empty, d0/, l0 -> f0, l1 -> nowhere. */
static void
fresh_scratch(void)
{
	char path[128], data[8192];
	int fd;

	remove_tree(scratch_dir);
	CHECK_OK(mkdir(scratch_dir, 0700));
	pattern_fill(data, sizeof(data), 7);
	snprintf(path, sizeof(path), "%s/f0", scratch_dir);
	fd = CHECK_OK(open(path, O_CREAT | O_RDWR, 0600));
	CHECK_EQ("write f0", (long)sizeof(data), write(fd, data, sizeof(data)));
	close(fd);
	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof(path), "%s/f%d", scratch_dir, i);
		close(CHECK_OK(open(path, O_CREAT | O_RDWR, 0600)));
	}
	snprintf(path, sizeof(path), "%s/d0", scratch_dir);
	CHECK_OK(mkdir(path, 0700));
	snprintf(path, sizeof(path), "%s/l0", scratch_dir);
	CHECK_OK(symlink("f0", path));
	snprintf(path, sizeof(path), "%s/l1", scratch_dir);
	CHECK_OK(symlink("nonexistent", path));
}

static void
show_ring(uint32_t seed, uint32_t round)
{
	uint32_t next = ctl->next, shown = next < RING_SHOWN ? next : RING_SHOWN;

	say("seed %u round %u: the last %u calls (of %u):", seed, round, shown, ctl->calls);
	for (uint32_t i = next - shown; i != next; i++) {
		const struct call_record *c = &ctl->ring[i % RING];
		const char *name = c->op < NOPS ? ops[c->op].name : "?";
		char ret[40];

		if (c->ret == RET_PENDING)
			snprintf(ret, sizeof(ret), "(no return)");
		else if (is_error(c->ret))
			snprintf(ret, sizeof(ret), "-%s", errno_name(-c->ret));
		else
			snprintf(ret, sizeof(ret), "0x%x", (unsigned)c->ret);
		say("  %u%s %s(0x%x, 0x%x, 0x%x, 0x%x, 0x%x, 0x%x) = %s", c->seq,
		    c->grandchild ? " [grandchild]" : "", name, c->arg[0], c->arg[1], c->arg[2],
		    c->arg[3], c->arg[4], c->arg[5], ret);
	}
}

/* replay_hint - how to run this round again, call by call. */
static void
replay_hint(uint32_t seed, uint32_t round)
{
	say("replay: syscall_fuzz %u %u %u with FUZZ_TRACE=1 (make fuzz FUZZ_SEED=%u FUZZ_SEEDS=1 "
	    "FUZZ_CALLS=%u FUZZ_ARGS=\"fuzz_round=%u fuzz_trace=1\")", seed, opt.calls, round, seed,
	    opt.calls, round);
}

/* fuzz_fail - fail the test, leaving no scratch files behind. */
#define fuzz_fail(...) do {                                             \
		remove_tree(scratch_dir);                                       \
		fail(__VA_ARGS__);                                              \
	} while (0)

/* show_frames - the child's mappings (its /proc/PID/maps) and, per
 * mapping, the runs of frames its present pages use: the kernel log names
 * the frames rmap_check found wrong, this names the mapping they are in. */
static void
show_frames(pid_t child)
{
	char path[64], line[256];
	FILE *maps;
	int pagemap;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)child);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)child);
	pagemap = open(path, O_RDONLY);
	while (maps && pagemap >= 0 && fgets(line, sizeof(line), maps)) {
		unsigned long start, end, run_va = 0;
		uint64_t run_pfn = 0, run_len = 0;

		line[strcspn(line, "\n")] = 0;
		say("  %s", line);
		if (sscanf(line, "%lx-%lx", &start, &end) != 2)
			continue;
		for (unsigned long va = start; va <= end; va += PAGE_SIZE) {
			uint64_t entry = 0;
			if (va < end && pread(pagemap, &entry, sizeof(entry),
					      (off_t)(va / PAGE_SIZE) * sizeof(entry)) != sizeof(entry))
				entry = 0;
			if (va < end && run_len && pm_pfn(entry) == run_pfn + run_len) {
				run_len++;
				continue;
			}
			if (run_len)
				say("    0x%08lx: frames 0x%llx-0x%llx", run_va,
				    (unsigned long long)run_pfn, (unsigned long long)(run_pfn + run_len - 1));
			run_len = pm_pfn(entry) ? 1 : 0;
			run_pfn = pm_pfn(entry);
			run_va = va;
		}
	}
	if (maps)
		fclose(maps);
	if (pagemap >= 0)
		close(pagemap);
}

/* check_rmap - anvil's checker finds no mismatch (nothing to check on a
 * host); on a mismatch, the last calls and (if child is alive) where its
 * frames are. */
static void
check_rmap(uint32_t seed, uint32_t round, const char *when, pid_t child)
{
	char text[48];

	if (!opt.on_anvil || rmap_check_text(text, sizeof(text)))
		return;
	if (child)
		show_frames(child);
	show_ring(seed, round);
	replay_hint(seed, round);
	fuzz_fail("seed %u round %u: %s %s reads \"%s\" (expected \"0\"; mismatches in the kernel log)",
	     seed, round, RMAP_CHECK_PATH, when, text);
}

/* kill_round - SIGKILL to the round's process group (the child and its
 * grandchildren: nobody else), then reap the child and any grandchild
 * handed to us. */
static int
kill_round(pid_t child)
{
	int status = 0;

	kill(-child, SIGKILL);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return status;
}

enum round_end { ROUND_FINISHED, ROUND_DIED, ROUND_HUNG };

/* wait_round - the child's "done" byte, its death (EOF), or the time limit. */
static enum round_end
wait_round(int done_fd)
{
	long long deadline = now_ns() + (long long)opt.round_timeout_s * 1000000000LL;
	long interval = 1000000;
	char byte;

	for (;;) {
		long n = read(done_fd, &byte, 1);
		if (n == 1)
			return ROUND_FINISHED;
		if (n == 0)
			return ROUND_DIED;
		if (now_ns() > deadline)
			return ROUND_HUNG;
		struct timespec ts = { 0, interval };
		nanosleep(&ts, NULL);
		if (interval < 20000000)
			interval *= 2;
	}
}

/* run_round - one child and its grandchildren; adds what they did to t. */
static void
run_round(uint32_t seed, uint32_t round, struct tally *t)
{
	int done[2], go[2], status;
	uint32_t round_seed = mix32(seed ^ mix32(round * 0x9e3779b9u + 1));
	pid_t child;
	enum round_end end;

	fresh_scratch();
	memset(ctl, 0, sizeof(*ctl));
	CHECK_OK(pipe2(done, O_NONBLOCK));
	CHECK_OK(pipe(go));
	if (opt.round_log)
		say("seed %u round %u", seed, round);
	child = fork_or_fail();
	if (child == 0) {
		close(done[0]);
		close(go[1]);
		g.on_anvil = opt.on_anvil;
		g.trace = opt.trace;
		g.check_every = opt.on_anvil ? opt.check_every : 0;
		g.user_top = USER_TOP_ANVIL;
		run_child(round_seed, round, (int)opt.round_calls, done[1], go[0]);
	}
	setpgid(child, child);                           /* no race with the child's own */
	close(done[1]);
	close(go[0]);
	end = wait_round(done[0]);
	if (end == ROUND_FINISHED)
		check_rmap(seed, round, "with the round's processes alive", child);
	status = kill_round(child);
	close(done[0]);
	close(go[1]);
	t->rounds++;
	t->calls += ctl->calls;
	t->masked += ctl->masked;
	for (int i = 0; i < NKNOWN; i++)
		t->masked_by[i] += ctl->masked_by[i];
	if (ctl->oracle_failed) {
		show_ring(seed, round);
		replay_hint(seed, round);
		fuzz_fail("seed %u round %u: call %u %s", seed, round, ctl->oracle_failed,
		     ctl->oracle_text);
	}
	if (end == ROUND_HUNG) {
		show_ring(seed, round);
		replay_hint(seed, round);
		fuzz_fail("seed %u round %u: the child did not finish in %d s (a hang)", seed, round,
		     opt.round_timeout_s);
	}
	if (opt.round_log && end != ROUND_FINISHED && ctl->next) {
		const struct call_record *c = &ctl->ring[(ctl->next - 1) % RING];
		say("seed %u round %u: %s after %u calls, the last %s", seed, round,
		    describe_status(status), ctl->calls, c->op < NOPS ? ops[c->op].name : "?");
	}
	if (end == ROUND_FINISHED) {
		t->finished++;
	} else if (WIFSIGNALED(status)) {
		t->signalled++;
		t->by_signal[WTERMSIG(status) <= 64 ? WTERMSIG(status) : 0]++;
	} else {
		t->exited++;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
			show_ring(seed, round);
			fuzz_fail("seed %u round %u: the child could not set up", seed, round);
		}
	}
	check_rmap(seed, round, "after the round", 0);
}

static void
add_tally(struct tally *sum, const struct tally *t)
{
	sum->calls += t->calls;
	sum->rounds += t->rounds;
	sum->finished += t->finished;
	sum->signalled += t->signalled;
	sum->exited += t->exited;
	sum->masked += t->masked;
	for (int i = 0; i < 65; i++)
		sum->by_signal[i] += t->by_signal[i];
	for (int i = 0; i < NKNOWN; i++)
		sum->masked_by[i] += t->masked_by[i];
}

static void
report_tally(const char *what, const struct tally *t, long long ns)
{
	char deaths[256] = "", *p = deaths;
	long long ms = ns / 1000000;

	for (int s = 0; s <= 64; s++)
		if (t->by_signal[s])
			p += snprintf(p, deaths + sizeof(deaths) - p, "%s%u by %s", p == deaths ? "" : ", ",
				      t->by_signal[s], s ? strsignal(s) : "?");
	say("%s: %llu calls in %u rounds, %lld ms (%lld calls/s): %u rounds finished, %u children "
	    "killed (%s), %u exited early, 0 hangs, %s; %u inputs masked (known bugs)",
	    what, t->calls, t->rounds, ms, ms ? (long long)t->calls * 1000 / ms : 0, t->finished,
	    t->signalled, *deaths ? deaths : "none", t->exited,
	    opt.on_anvil ? "rmap clean" : "rmap not checked (host)", t->masked);
}

/* run_seed - rounds until the seed has issued opt.calls calls. */
static void
run_seed(uint32_t seed, struct tally *sum)
{
	struct tally t = { 0 };
	long long start = now_ns();
	char what[32];

	if (opt.only_round) {
		run_round(seed, opt.only_round, &t);
	} else {
		for (uint32_t round = 1; t.calls < opt.calls; round++)
			run_round(seed, round, &t);
	}
	snprintf(what, sizeof(what), "seed %u", seed);
	report_tally(what, &t, now_ns() - start);
	add_tally(sum, &t);
}

/* map_control - the shared control page, between two PROT_NONE guard
 * pages: a child's mappings land next to it (the kernel packs them top
 * down), and a long write through one of them must stop with EFAULT at
 * the guard, not run on into the counters. */
static struct control *
map_control(void)
{
	_Static_assert(sizeof(struct control) <= PAGE_SIZE, "the control block fits a page");
	char *guarded = map_anon(3 * PAGE_SIZE, PROT_NONE);
	void *p = mmap(guarded + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	CHECK(p != MAP_FAILED, "mmap the control page (%s)", errno_name(errno));
	return p;
}

int
main(int argc, char **argv)
{
	struct tally sum = { 0 };
	long long start;

	opt.first_seed = (uint32_t)env_number("FUZZ_SEED", DEFAULT_FIRST_SEED);
	opt.seeds = (uint32_t)env_number("FUZZ_SEEDS", 1);
	opt.calls = (uint32_t)env_number("FUZZ_CALLS", DEFAULT_CALLS);
	opt.round_calls = (uint32_t)env_number("FUZZ_ROUND_CALLS", DEFAULT_ROUND_CALLS);
	opt.only_round = (uint32_t)env_number("FUZZ_ROUND", 0);
	opt.trace = env_number("FUZZ_TRACE", 0) != 0;
	opt.round_log = env_number("FUZZ_ROUND_LOG", 0) != 0;
	opt.check_every = (int)env_number("FUZZ_CHECK_EVERY", 0);
	parse_unmask(getenv("FUZZ_UNMASK"));
	opt.round_timeout_s = (int)env_number("FUZZ_ROUND_TIMEOUT", ROUND_TIMEOUT_S);
	if (argc > 1) {
		opt.first_seed = (uint32_t)strtoul(argv[1], NULL, 0);
		opt.seeds = 1;
	}
	if (argc > 2)
		opt.calls = (uint32_t)strtoul(argv[2], NULL, 0);
	if (argc > 3)
		opt.only_round = (uint32_t)strtoul(argv[3], NULL, 0);
	CHECK(opt.calls > 0 && opt.round_calls > 0 && opt.seeds > 0,
	      "FUZZ_CALLS, FUZZ_ROUND_CALLS and FUZZ_SEEDS must be positive");
	opt.on_anvil = running_on_anvil();
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/anvil-" TEST_NAME "-%d", (int)getpid());
	ctl = map_control();
	signal(SIGPIPE, SIG_IGN);
	say("%u seed(s) from %u, %u calls each in rounds of %u%s%s", opt.seeds, opt.first_seed,
	    opt.calls, opt.round_calls, opt.only_round ? " (one round only)" : "",
	    opt.on_anvil ? "" : " (host: no rmap_check, no soft-offline)");
	check_rmap(opt.first_seed, 0, "before the first round", 0);
	start = now_ns();
	for (uint32_t s = 0; s < opt.seeds; s++)
		run_seed(opt.first_seed + s, &sum);
	remove_tree(scratch_dir);
	for (int i = 0; i < NKNOWN; i++)
		if (sum.masked_by[i])
			say("masked %u inputs of known bug %s", sum.masked_by[i], known_bugs[i].name);
	report_tally("total", &sum, now_ns() - start);
	return 0;
}
