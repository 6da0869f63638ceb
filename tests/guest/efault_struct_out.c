/*
 * efault_struct_out — system calls that copy a result out to user memory fail
 * with exactly EFAULT when the destination is bad: NULL, the kernel address
 * 0xC0000000, an unmapped page, a PROT_NONE page, a structure that starts in
 * a valid page and ends in an unmapped one, or one that wraps past the end of
 * the address space. Covered: pipe, fstat, stat, getcwd, uname,
 * clock_gettime, nanosleep (bad request pointer). A failed pipe() must not
 * leak file descriptors.
 *
 * musl copies some of these results through its own buffers (stat, time64),
 * so the raw system calls are used; where musl would fall back to an older
 * call on ENOSYS, so does the test.
 */
#define TEST_NAME "efault_struct_out"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>

#define STATX_BASIC    0x7ffu                  /* STATX_BASIC_STATS */
#define STAT_BUF_SIZE  256                     /* larger than stat64 and statx */
#define CWD_DIR        "/tmp"
#define NANOSLEEP_NS   1000                    /* 1 us: never really sleeps long */

enum dest_kind {
	BAD_ADDRESS,               /* the structure starts at addr */
	ENDS_IN_HOLE,              /* addr is the start of a hole; the structure
				      begins a few valid bytes before it */
};

struct bad_dest {
	const char *name;
	void *addr;
	enum dest_kind kind;
};

/* place - where to put a result for dest, leaving valid_bytes of it in valid
 * memory when dest is a hole. */
static void *
place(const struct bad_dest *dest, size_t valid_bytes)
{
	if (dest->kind == ENDS_IN_HOLE)
		return (char *)dest->addr - valid_bytes;
	return dest->addr;
}

/* raw_fstat / raw_stat - the kernel's stat calls, falling back to statx. */
static long
raw_fstat(int fd, void *buf)
{
	long r = syscall(SYS_fstat64, fd, buf);

	if (r == -1 && errno == ENOSYS)
		r = syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_BASIC, buf);
	return r;
}

static long
raw_stat(const char *path, void *buf)
{
	long r = syscall(SYS_stat64, path, buf);

	if (r == -1 && errno == ENOSYS)
		r = syscall(SYS_statx, AT_FDCWD, path, 0, STATX_BASIC, buf);
	return r;
}

/* raw_clock_gettime / raw_nanosleep - time64 calls, falling back to 32-bit. */
static long
raw_clock_gettime(clockid_t clock, void *ts)
{
	long r = syscall(SYS_clock_gettime64, clock, ts);

	if (r == -1 && errno == ENOSYS)
		r = syscall(SYS_clock_gettime32, clock, ts);
	return r;
}

static long
raw_nanosleep(const void *request)
{
	long r = syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, request, NULL);

	if (r == -1 && errno == ENOSYS)
		r = syscall(SYS_nanosleep, request, NULL);
	return r;
}

static int root_fd;                            /* an fd to fstat: "/" */

/* lowest_free_fd - the fd number the next open() would get. */
static int
lowest_free_fd(void)
{
	int fd = CHECK_OK(open("/", O_RDONLY));

	close(fd);
	return fd;
}

/* check_dest - every call writing its result to dest fails with EFAULT. */
static void
check_dest(const struct bad_dest *dest)
{
	int free_fd = lowest_free_fd();

	say("destination: %s", dest->name);
	CHECK_ERRNO(syscall(SYS_pipe, place(dest, sizeof(int))), EFAULT);
	CHECK_EQ("lowest free fd after a failed pipe()", free_fd, lowest_free_fd());
	CHECK_ERRNO(raw_fstat(root_fd, place(dest, 8)), EFAULT);
	CHECK_ERRNO(raw_stat("/", place(dest, 8)), EFAULT);
	CHECK_ERRNO(syscall(SYS_getcwd, place(dest, 2), PAGE_SIZE), EFAULT);
	CHECK_ERRNO(syscall(SYS_uname, place(dest, 8)), EFAULT);
	CHECK_ERRNO(raw_clock_gettime(CLOCK_MONOTONIC, place(dest, 4)), EFAULT);
	CHECK_ERRNO(raw_clock_gettime(CLOCK_REALTIME, place(dest, 4)), EFAULT);
}

/* check_bad_sleep_requests - nanosleep reads its request from bad places. */
static void
check_bad_sleep_requests(const struct bad_dest *dests, size_t count)
{
	for (size_t i = 0; i < count; i++)
		CHECK_ERRNO(raw_nanosleep(place(&dests[i], 4)), EFAULT);
}

int
main(void)
{
	char *valid_page = page_before_hole();
	struct bad_dest dests[] = {
		{ "NULL", NULL, BAD_ADDRESS },
		{ "kernel address", (void *)KERNEL_BASE_ADDR, BAD_ADDRESS },
		{ "unmapped page", unmapped_page(), BAD_ADDRESS },
		{ "PROT_NONE page", map_anon(PAGE_SIZE, PROT_NONE), BAD_ADDRESS },
		{ "wrapping range", (void *)WRAPPING_ADDR, BAD_ADDRESS },
		{ "straddling into a hole", valid_page + PAGE_SIZE, ENDS_IN_HOLE },
	};
	size_t count = sizeof(dests) / sizeof(dests[0]);

	root_fd = CHECK_OK(open("/", O_RDONLY));
	CHECK_OK(chdir(CWD_DIR));       /* getcwd's result must not fit in 2 bytes */
	for (size_t i = 0; i < count; i++)
		check_dest(&dests[i]);
	say("nanosleep with a bad request pointer");
	check_bad_sleep_requests(dests, count);

	struct timespec short_sleep = { 0, NANOSLEEP_NS };
	CHECK_EQ("nanosleep with a good request", 0, raw_nanosleep(&short_sleep));
	say("every bad destination gave EFAULT");
	return 0;
}
