/*
 * tests/guest/guest.h — the small toolkit shared by the in-guest test programs.
 *
 * Protocol (the same on anvil and on the host's Linux):
 *   - a test #defines TEST_NAME before including this header;
 *   - it prints progress lines "(name) ..." with say();
 *   - the first failed check prints "(name) FAIL: <what> (expected X, got Y)"
 *     and ends the process with status 1; main returns 0 when all checks held.
 * A forked child that fails a check prints its own FAIL line and exits 1, so the
 * first FAIL line of a run names the real cause; the parent then fails too.
 *
 * What is here:
 *   CHECK / CHECK_EQ / CHECK_OK / CHECK_ERRNO   assertions with readable messages
 *   check_exited / check_killed_by              exact wait-status assertions
 *   pattern_fill / CHECK_PATTERN(_IN), checksum content checks for big buffers
 *   rng_next                                    a seeded PRNG (deterministic tests)
 *   env_number                                  a numeric option from the environment
 *   run_in_child                                fork, run a function, return status
 *   send_token / wait_token                     order two processes through a pipe
 *   read_full / write_full                      whole transfers over short counts
 *   sys_mremap, sys_mlock2, sys_sigaltstack     raw calls, past musl's own checks
 *   is_64bit_kernel                             the host's x86-64 Linux, not anvil
 *   set_handler / set_siginfo_handler           install a signal handler
 *   set_altstack, check_altstack, check_stack_t set and check alternate stacks
 *   catch_faults / try_read / try_write         SIGSEGV caught by a SA_SIGINFO handler
 *   map_anon / map_shared_anon                  anonymous memory, or the test fails
 *   free_range, unmapped_page, tmp_path         free addresses and file names
 *
 * Every function is static inline and every variable unused-tolerant, so a test
 * that uses only part of this header still builds with -Wall -Werror.
 */
#ifndef GUEST_H
#define GUEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TEST_NAME
#error "define TEST_NAME before including guest.h"
#endif

/* Plain int constants: a signed expression like -(PAGE_SIZE + 1) must stay
 * negative. musl's <limits.h> already defines PAGE_SIZE as 4096. */
#ifndef PAGE_SIZE
#define PAGE_SIZE 4096
#endif
#define KiB 1024
#define MiB (1024 * 1024)

/* Addresses no user access may reach on anvil (3G/1G split): the first kernel
 * page and the last page of the 32-bit address space. On a 64-bit host they are
 * simply unmapped, which gives the same signal and errno. */
#define KERNEL_BASE_ADDR   0xC0000000u
#define TOP_PAGE_ADDR      0xFFFFF000u
/* A pointer 16 bytes below the end of the address space: any length beyond 16
 * makes the range wrap around to address 0. */
#define WRAPPING_ADDR      0xFFFFFFF0u

#define UNUSED __attribute__((unused))

/* ---- reporting -------------------------------------------------------------- */

#define say(fmt, ...) printf("(" TEST_NAME ") " fmt "\n", ##__VA_ARGS__)

#define fail(fmt, ...) do {                                             \
		printf("(" TEST_NAME ") FAIL: " fmt "\n", ##__VA_ARGS__);       \
		fflush(stdout);                                                 \
		_exit(1);                                                       \
	} while (0)

/* Line-buffered stdout even into a pipe: every line is written before the next
 * fork, so no child inherits (and prints again) half a buffer. */
__attribute__((constructor)) static void
guest_setup_stdout(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* errno_name - the symbolic name of an errno value, for FAIL lines. */
static inline const char *
errno_name(int e)
{
	static const struct { int value; const char *name; } names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" },
		{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EEXIST, "EEXIST" },
		{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ESPIPE, "ESPIPE" },
		{ EPIPE, "EPIPE" }, { ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" }, { E2BIG, "E2BIG" },
	};
	static char unknown[24];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].value == e)
			return names[i].name;
	snprintf(unknown, sizeof(unknown), "errno %d", e);
	return unknown;
}

/* ---- assertions ------------------------------------------------------------- */

/* CHECK(cond, fmt, ...) - fail with the message unless cond holds. */
#define CHECK(cond, fmt, ...) do {                                      \
		if (!(cond))                                                    \
			fail(fmt, ##__VA_ARGS__);                                   \
	} while (0)

/* CHECK_EQ(what, expected, got) - integer equality, both printed on failure. */
#define CHECK_EQ(what, expected, got) do {                              \
		long long e_ = (long long)(expected), g_ = (long long)(got);    \
		if (e_ != g_)                                                   \
			fail("%s (expected %lld, got %lld)", (what), e_, g_);       \
	} while (0)

/* CHECK_EQ_HEX - the same for addresses and bit masks. */
#define CHECK_EQ_HEX(what, expected, got) do {                          \
		unsigned long e_ = (unsigned long)(expected);                   \
		unsigned long g_ = (unsigned long)(got);                        \
		if (e_ != g_)                                                   \
			fail("%s (expected 0x%lx, got 0x%lx)", (what), e_, g_);     \
	} while (0)

/* CHECK_OK(call) - the call must not return -1 (or MAP_FAILED); yields its value. */
#define CHECK_OK(call) ({                                               \
		errno = 0;                                                      \
		long r_ = (long)(call);                                         \
		if (r_ == -1)                                                   \
			fail("%s (expected success, got -1 with %s)", #call,        \
			     errno_name(errno));                                    \
		r_;                                                             \
	})

/* CHECK_ERRNO(call, err) - the call must fail with -1 and exactly errno err. */
#define CHECK_ERRNO(call, err) do {                                     \
		errno = 0;                                                      \
		long r_ = (long)(call);                                         \
		int e_ = errno;                                                 \
		if (r_ != -1 || e_ != (err))                                    \
			fail("%s (expected -1 with %s, got %ld with %s)", #call,    \
			     errno_name(err), r_, errno_name(e_));                  \
	} while (0)

/* ---- wait statuses ---------------------------------------------------------- */

/* describe_status - "exit status N" or "killed by signal N (NAME)". */
static inline const char *
describe_status(int status)
{
	static char text[64];

	if (WIFEXITED(status))
		snprintf(text, sizeof(text), "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(text, sizeof(text), "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(text, sizeof(text), "raw status 0x%x", status);
	return text;
}

/* check_exited - status must say "exited normally with code". */
static inline void
check_exited(const char *what, int status, int code)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != code)
		fail("%s (expected exit status %d, got %s)", what, code, describe_status(status));
}

/* check_killed_by - status must say "terminated by signal sig". */
static inline void
check_killed_by(const char *what, int status, int sig)
{
	if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
		fail("%s (expected killed by signal %d (%s), got %s)", what, sig,
		     strsignal(sig), describe_status(status));
}

/* wait_for - waitpid(pid) retried on EINTR; fails the test if pid is not reaped. */
static inline int
wait_for(pid_t pid)
{
	int status;
	pid_t got;

	do
		got = waitpid(pid, &status, 0);
	while (got == -1 && errno == EINTR);
	if (got != pid)
		fail("waitpid(%d) (expected %d, got %d with %s)", (int)pid, (int)pid,
		     (int)got, errno_name(errno));
	return status;
}

/* fork_or_fail - fork(), failing the test if it cannot. */
static inline pid_t
fork_or_fail(void)
{
	pid_t pid = fork();

	if (pid == -1)
		fail("fork (expected a pid, got -1 with %s)", errno_name(errno));
	return pid;
}

/* run_in_child - fork; the child runs fn(arg) and exits 0 if it returns.
 * Returns the child's wait status. */
static inline int
run_in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork_or_fail();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return wait_for(pid);
}

/* send_token / wait_token - one byte through a pipe, to order two processes:
 * wait_token blocks until the other side's send_token. */
static inline void
send_token(int fd)
{
	char token = 'x';

	if (write(fd, &token, 1) != 1)
		fail("send_token: write (expected 1 byte, got error %s)", errno_name(errno));
}

static inline void
wait_token(int fd)
{
	char token;
	ssize_t n;

	do
		n = read(fd, &token, 1);
	while (n == -1 && errno == EINTR);
	if (n != 1)
		fail("wait_token: read (expected 1 byte, got %zd)", n);
}

/* read_full - read until len bytes arrived or EOF; pipes may return less per
 * call. Returns the bytes read, or -1 on error. */
static inline long
read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		long n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

/* write_full - write all len bytes, however many calls it takes. Returns len,
 * or -1 on error. */
static inline long
write_full(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		long n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return (long)done;
}

/* ---- content patterns ------------------------------------------------------- */

/* mix32 - a bijective 32-bit hash (the murmur3 finaliser). */
static inline uint32_t
mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/* pattern_word - word number index of the pattern named by seed. Two different
 * seeds differ in every word, so a page holding the wrong copy is always seen. */
static inline uint32_t
pattern_word(uint32_t seed, size_t index)
{
	return mix32(seed * 0x9e3779b9u + (uint32_t)index);
}

/* pattern_byte - byte at offset of the pattern named by seed. */
static inline uint8_t
pattern_byte(uint32_t seed, size_t offset)
{
	return (uint8_t)(pattern_word(seed, offset / 4) >> (8 * (offset % 4)));
}

/* pattern_fill - write the pattern named by seed over buf[0..len). */
static inline void
pattern_fill(void *buf, size_t len, uint32_t seed)
{
	uint8_t *p = buf;
	size_t words = len / 4;

	for (size_t i = 0; i < words; i++) {
		uint32_t w = pattern_word(seed, i);
		memcpy(p + 4 * i, &w, 4);
	}
	for (size_t off = words * 4; off < len; off++)
		p[off] = pattern_byte(seed, off);
}

/* pattern_mismatch_in - checks the part [start, start+len) of a buffer that was
 * filled from base with the pattern named by seed. Returns the offset (from
 * base) of the first wrong byte, or -1 if the part matches. */
static inline long
pattern_mismatch_in(const void *base, size_t start, size_t len, uint32_t seed)
{
	const uint8_t *p = base;
	size_t off = start, end = start + len;

	for (; off < end && off % 4 != 0; off++)        /* unaligned head */
		if (p[off] != pattern_byte(seed, off))
			return (long)off;
	for (; off + 4 <= end; off += 4) {              /* fast path: whole words */
		uint32_t w;
		memcpy(&w, p + off, 4);
		if (w != pattern_word(seed, off / 4))
			break;
	}
	for (; off < end; off++)                        /* the bad word, or the tail */
		if (p[off] != pattern_byte(seed, off))
			return (long)off;
	return -1;
}

/* pattern_mismatch - the same for a whole buffer of len bytes. */
static inline long
pattern_mismatch(const void *buf, size_t len, uint32_t seed)
{
	return pattern_mismatch_in(buf, 0, len, seed);
}

/* CHECK_PATTERN_IN(what, base, start, len, seed) - bytes [start, start+len) of
 * base hold their part of the pattern named by seed. */
#define CHECK_PATTERN_IN(what, base, start, len, seed) do {             \
		const uint8_t *b_ = (const uint8_t *)(base);                    \
		long off_ = pattern_mismatch_in(b_, (start), (len), (seed));    \
		if (off_ >= 0)                                                  \
			fail("%s: byte %ld (expected 0x%02x, got 0x%02x)", (what),  \
			     off_, pattern_byte((seed), off_), b_[off_]);           \
	} while (0)

/* CHECK_PATTERN(what, buf, len, seed) - buf must hold the pattern named by seed. */
#define CHECK_PATTERN(what, buf, len, seed) CHECK_PATTERN_IN(what, buf, 0, len, seed)

/* CHECK_ZERO(what, buf, len) - every byte of buf must be zero. */
#define CHECK_ZERO(what, buf, len) do {                                 \
		const uint8_t *z_ = (const uint8_t *)(buf);                     \
		for (size_t i_ = 0; i_ < (size_t)(len); i_++)                   \
			if (z_[i_] != 0)                                            \
				fail("%s: byte %zu (expected 0x00, got 0x%02x)",        \
				     (what), i_, z_[i_]);                               \
	} while (0)

/* checksum_step / checksum - 32-bit FNV-1a over words (then any tail bytes):
 * h = CHECKSUM_INIT, then h = checksum_step(h, w) for each word w. */
#define CHECKSUM_INIT  2166136261u             /* FNV offset basis */
#define CHECKSUM_PRIME 16777619u               /* FNV prime */

static inline uint32_t
checksum_step(uint32_t h, uint32_t word)
{
	return (h ^ word) * CHECKSUM_PRIME;
}

static inline uint32_t
checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t h = CHECKSUM_INIT;
	size_t off = 0;

	for (; off + 4 <= len; off += 4) {
		uint32_t w;
		memcpy(&w, p + off, 4);
		h = checksum_step(h, w);
	}
	for (; off < len; off++)
		h = checksum_step(h, p[off]);
	return h;
}

/* rng_next - xorshift32; *state must start non-zero. Deterministic per seed. */
static inline uint32_t
rng_next(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* ---- options from the environment ------------------------------------------ */

/* env_number - the number (0 or more, in C syntax: 10, 0x1f, 017) in the
 * environment variable name, or fallback when it is unset or empty; fails
 * the test on anything else. In the guest, init turns the boot words
 * stress_KEY=V and fuzz_KEY=V into STRESS_KEY and FUZZ_KEY variables. */
static inline long
env_number(const char *name, long fallback)
{
	const char *text = getenv(name);
	char *end;
	long value;

	if (!text || !*text)
		return fallback;
	value = strtol(text, &end, 0);
	if (*end || value < 0)
		fail("%s=%s (expected a number, 0 or more)", name, text);
	return value;
}

/* ---- memory helpers --------------------------------------------------------- */

/* map_anon_type - an anonymous mapping of len bytes, type MAP_PRIVATE or
 * MAP_SHARED, where the kernel chooses; or the test fails. */
static inline void *
map_anon_type(size_t len, int prot, int type)
{
	void *p = mmap(NULL, len, prot, type | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap(%zu bytes, %s) (expected a mapping, got MAP_FAILED with %s)", len,
		     type == MAP_SHARED ? "MAP_SHARED" : "MAP_PRIVATE", errno_name(errno));
	return p;
}

/* map_anon - private anonymous memory: copied on write after fork. */
static inline void *
map_anon(size_t len, int prot)
{
	return map_anon_type(len, prot, MAP_PRIVATE);
}

/* map_shared_anon - shared anonymous memory: the same pages in every
 * process forked after the call. */
static inline void *
map_shared_anon(size_t len, int prot)
{
	return map_anon_type(len, prot, MAP_SHARED);
}

/* free_range - the address of pages free pages nothing maps now: where the
 * kernel put a mapping of that size, unmapped again. A test places its own
 * layout there with MAP_FIXED or MAP_FIXED_NOREPLACE. */
static inline char *
free_range(size_t pages)
{
	char *p = map_anon(pages * PAGE_SIZE, PROT_NONE);

	CHECK_OK(munmap(p, pages * PAGE_SIZE));
	return p;
}

/* unmapped_page - the address of a page that is not mapped now and is
 * unlikely to be reused by later mmaps: asked for at UNMAPPED_HINT_ADDR (far
 * from the program, heap, stack and the usual mmap areas), then unmapped. */
#define UNMAPPED_HINT_ADDR 0x6F000000u

static inline void *
unmapped_page(void)
{
	void *p = mmap((void *)UNMAPPED_HINT_ADDR, PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap one page (expected a mapping, got MAP_FAILED with %s)",
		     errno_name(errno));
	CHECK_OK(munmap(p, PAGE_SIZE));
	return p;
}

/* page_before_hole - a readable, writable page followed by an unmapped page;
 * returns the start of the valid page. */
static inline char *
page_before_hole(void)
{
	char *p = map_anon(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);

	CHECK_OK(munmap(p + PAGE_SIZE, PAGE_SIZE));
	return p;
}

/* tmp_path - a per-test, per-process file name under /tmp. */
static inline const char *
tmp_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "/tmp/anvil-" TEST_NAME "-%d-%s", (int)getpid(), name);
	return buf;
}

/* ---- raw system calls ---------------------------------------------------------- */

/* is_64bit_kernel - true when this i386 program runs on an x86-64 kernel
 * (the host's Linux), where the kernel's own arguments are 64 bits wide:
 * a 32-bit value cannot wrap there the way it does on anvil. */
static inline int
is_64bit_kernel(void)
{
	struct utsname u;

	CHECK_OK(uname(&u));
	return strcmp(u.machine, "x86_64") == 0;
}

/* The calls as the kernel receives them: musl's wrappers check or rewrite
 * some arguments first (mremap refuses huge lengths, mlock2 with flags 0
 * becomes mlock, sigaltstack refuses small sizes), and a test of the
 * kernel's own checks must get past them. */

static inline long
sys_mremap(void *addr, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	return syscall(SYS_mremap, addr, old_len, new_len, flags, new_addr);
}

static inline long
sys_mlock2(const void *addr, size_t len, unsigned int flags)
{
	return syscall(SYS_mlock2, addr, len, flags);
}

static inline long
sys_sigaltstack(const stack_t *ss, stack_t *old)
{
	return syscall(SYS_sigaltstack, ss, old);
}

/* ---- signal handlers and alternate stacks --------------------------------------- */

/* set_handler - sig runs the one-argument handler fn, with sa_flags flags
 * (SA_ONSTACK, SA_NODEFER, ...) and an empty sa_mask. */
static inline void
set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(sig, &sa, NULL));
}

/* set_siginfo_handler - sig runs fn with its siginfo and context:
 * SA_SIGINFO and flags, an empty sa_mask. */
static inline void
set_siginfo_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	CHECK_OK(sigaction(sig, &sa, NULL));
}

/* set_altstack - the alternate signal stack becomes {sp, flags, size}. */
static inline void
set_altstack(void *sp, int flags, size_t size)
{
	stack_t ss = { .ss_sp = sp, .ss_flags = flags, .ss_size = size };

	CHECK_OK(sys_sigaltstack(&ss, NULL));
}

/* check_stack_t - *got must read {sp, flags, size}. */
static inline void
check_stack_t(const char *what, const volatile stack_t *got, const void *sp, int flags,
	      size_t size)
{
	if (got->ss_sp != sp || got->ss_flags != flags || got->ss_size != size)
		fail("%s (expected {%p, %#x, %zu}, got {%p, %#x, %zu})", what, sp,
		     (unsigned)flags, size, got->ss_sp, (unsigned)got->ss_flags, got->ss_size);
}

/* check_altstack - sigaltstack must report {sp, flags, size} now (every
 * field written: the buffer starts as junk). */
static inline void
check_altstack(const char *what, const void *sp, int flags, size_t size)
{
	stack_t now;

	memset(&now, 0xA5, sizeof(now));
	CHECK_OK(sys_sigaltstack(NULL, &now));
	check_stack_t(what, &now, sp, flags, size);
}

/* ---- catching SIGSEGV --------------------------------------------------------- */

/* What the last caught fault reported; filled in by fault_handler. */
struct fault_record {
	int signo;
	int code;
	void *addr;
};

static sigjmp_buf fault_jump UNUSED;
static volatile struct fault_record last_fault UNUSED;

/* fault_handler - records the siginfo of a SIGSEGV/SIGBUS and jumps back into
 * the try_* function that made the access. */
static inline void
fault_handler(int sig, siginfo_t *info, void *context)
{
	last_fault.signo = info->si_signo;
	last_fault.code = info->si_code;
	last_fault.addr = info->si_addr;
	siglongjmp(fault_jump, 1);
}

/* catch_faults - route SIGSEGV and SIGBUS to fault_handler (SA_SIGINFO). */
static inline void
catch_faults(void)
{
	set_siginfo_handler(SIGSEGV, fault_handler, 0);
	set_siginfo_handler(SIGBUS, fault_handler, 0);
}

enum access_result { ACCESS_OK, ACCESS_FAULTED };

/* try_read - read one byte at addr; ACCESS_FAULTED if a fault was caught
 * (details in last_fault). catch_faults() must have been called. */
static inline enum access_result
try_read(const volatile void *addr)
{
	memset((void *)&last_fault, 0, sizeof(last_fault));
	if (sigsetjmp(fault_jump, 1))
		return ACCESS_FAULTED;
	(void)*(const volatile char *)addr;
	return ACCESS_OK;
}

/* try_write - write value at addr; ACCESS_FAULTED if a fault was caught. */
static inline enum access_result
try_write(volatile void *addr, char value)
{
	memset((void *)&last_fault, 0, sizeof(last_fault));
	if (sigsetjmp(fault_jump, 1))
		return ACCESS_FAULTED;
	*(volatile char *)addr = value;
	return ACCESS_OK;
}

/* check_fault - the last try_* must have faulted with SIGSEGV, code and addr. */
static inline void
check_fault(const char *what, enum access_result result, int code, const void *addr)
{
	if (result != ACCESS_FAULTED)
		fail("%s (expected SIGSEGV, got no fault)", what);
	if (last_fault.signo != SIGSEGV)
		fail("%s: si_signo (expected %d, got %d)", what, SIGSEGV, last_fault.signo);
	if (last_fault.code != code)
		fail("%s: si_code (expected %d, got %d)", what, code, last_fault.code);
	if (last_fault.addr != addr)
		fail("%s: si_addr (expected %p, got %p)", what, addr, last_fault.addr);
}

/* The address a default-action child touches; set before run_in_child. */
static volatile char *volatile doomed_addr UNUSED;

/* read_doomed_addr / write_doomed_addr - child bodies that should die of
 * SIGSEGV: they first drop any handler inherited from the parent. */
static inline void
read_doomed_addr(void *unused)
{
	signal(SIGSEGV, SIG_DFL);
	(void)*doomed_addr;
}

static inline void
write_doomed_addr(void *unused)
{
	signal(SIGSEGV, SIG_DFL);
	*doomed_addr = 1;
}

enum access_kind { ACCESS_READ, ACCESS_WRITE };

/* check_access_kills - a child with default SIGSEGV handling that reads or
 * writes addr must be killed by SIGSEGV. */
static inline void
check_access_kills(const char *what, volatile void *addr, enum access_kind kind)
{
	doomed_addr = addr;
	int status = run_in_child(kind == ACCESS_READ ? read_doomed_addr : write_doomed_addr,
				  NULL);
	check_killed_by(what, status, SIGSEGV);
}

#endif /* GUEST_H */
