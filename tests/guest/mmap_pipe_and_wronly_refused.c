/*
 * mmap_pipe_and_wronly_refused — mmap checks that the file can be mapped
 * and was opened for what the mapping needs, with Linux's errno in Linux's
 * order. It used to map a pipe (a touch then slept in pipe_read holding the
 * address space's lock) and to map, and read, a file opened O_WRONLY.
 *   EACCES  the file is not open for reading (O_WRONLY file, /dev/zero,
 *           a pipe's write end), whatever the mapping; MAP_SHARED with
 *           PROT_WRITE of a file not open for writing (checked first)
 *   ENODEV  files with nothing to map: a pipe's read end, a directory,
 *           /proc/PID files, /dev/null, a terminal
 *   EIO     /proc/meminfo (a /proc file that could have a mapping hook)
 *   EINVAL  MAP_GROWSDOWN on a file (after the checks above: a shared
 *           MAP_GROWSDOWN of a pipe is ENODEV); length 0 (before any
 *           file check)
 *   EBADF   a closed descriptor, an O_PATH descriptor
 *   EEXIST  MAP_FIXED_NOREPLACE over a mapping: the address is placed
 *           before the file, the mapping type or a shared MAP_GROWSDOWN
 *           is looked at
 * What keeps working: private mappings of a regular file (its bytes, then
 * private copies: the file is not written) and of /dev/zero; a shared
 * mapping of /dev/zero is shared memory across fork. A terminal is checked
 * when /dev/console can be opened (always in the guest; on the host only
 * as root), and says so otherwise.
 */
#define TEST_NAME "mmap_pipe_and_wronly_refused"
#include "guest.h"
#include <fcntl.h>
#include <sys/syscall.h>

#define RW           (PROT_READ | PROT_WRITE)
#define FILE_PAGES   2
#define FILE_SEED    0xF11E
#define CLOSED_FD    999

/* map_errno - mmap one page of fd; the errno of the refusal (0 if mapped,
 * and then unmapped again). */
static int
map_errno(int fd, int prot, int flags)
{
	void *p;

	errno = 0;
	p = mmap(NULL, PAGE_SIZE, prot, flags, fd, 0);
	if (p == MAP_FAILED)
		return errno;
	CHECK_OK(munmap(p, PAGE_SIZE));
	return 0;
}

#define CHECK_MAP(what, expected, fd, prot, flags) do {                 \
		int got_ = map_errno((fd), (prot), (flags));                    \
		if (got_ != (expected))                                         \
			fail("mmap %s %s (expected %s, got %s)", (what), #flags,    \
			     errno_name(expected), errno_name(got_));               \
	} while (0)

/* open_or_fail - open path, failing the test if it cannot. */
static int
open_or_fail(const char *path, int flags)
{
	int fd = open(path, flags);

	CHECK(fd >= 0, "open %s (got %s)", path, errno_name(errno));
	return fd;
}

static void
check_pipe(void)
{
	int p[2];

	say("pipes: ENODEV for the read end, EACCES for the write end");
	CHECK_OK(pipe(p));
	CHECK_MAP("pipe read end", ENODEV, p[0], PROT_READ, MAP_PRIVATE);
	CHECK_MAP("pipe read end", ENODEV, p[0], PROT_READ, MAP_SHARED);
	CHECK_MAP("pipe read end, writable", EACCES, p[0], RW, MAP_SHARED);
	CHECK_MAP("pipe read end", ENODEV, p[0], PROT_READ, MAP_SHARED | MAP_GROWSDOWN);
	CHECK_MAP("pipe write end", EACCES, p[1], PROT_READ, MAP_PRIVATE);
	CHECK_MAP("pipe write end", EACCES, p[1], PROT_NONE, MAP_PRIVATE);
	CHECK_MAP("pipe write end", EACCES, p[1], PROT_READ, MAP_SHARED | MAP_GROWSDOWN);
	CHECK_ERRNO(syscall(SYS_mmap2, 0, 0, PROT_READ, MAP_SHARED, p[0], 0), EINVAL);
	close(p[0]);
	close(p[1]);
	CHECK_ERRNO(syscall(SYS_mmap2, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, p[0], 0), EBADF);
}

/* make_file - a FILE_PAGES file holding the pattern; its path in buf. */
static void
make_file(char *buf, size_t size)
{
	char data[FILE_PAGES * PAGE_SIZE];
	int fd = CHECK_OK(open(tmp_path(buf, size, "file"), O_CREAT | O_TRUNC | O_RDWR, 0644));

	pattern_fill(data, sizeof(data), FILE_SEED);
	CHECK_EQ("write the file", (long)sizeof(data), write_full(fd, data, sizeof(data)));
	close(fd);
}

/* check_private_file_map - a private writable mapping of fd reads the
 * file; writing it leaves the file alone. */
static void
check_private_file_map(const char *path, int fd)
{
	char *m = mmap(NULL, FILE_PAGES * PAGE_SIZE, RW, MAP_PRIVATE, fd, 0);
	char first;

	CHECK(m != MAP_FAILED, "private mapping of %s (got %s)", path, errno_name(errno));
	CHECK_PATTERN("mapped file", m, FILE_PAGES * PAGE_SIZE, FILE_SEED);
	m[0] = ~m[0];
	CHECK_OK(munmap(m, FILE_PAGES * PAGE_SIZE));
	int check = open_or_fail(path, O_RDONLY);
	CHECK_EQ("read the file back", 1, read(check, &first, 1));
	CHECK_EQ("the file is not written", pattern_byte(FILE_SEED, 0), (uint8_t)first);
	close(check);
}

static void
check_regular_file(void)
{
	char path[128];
	int wronly, rdonly, path_only;

	say("regular files: the open mode decides");
	make_file(path, sizeof(path));
	wronly = open_or_fail(path, O_WRONLY);
	CHECK_MAP("O_WRONLY file", EACCES, wronly, PROT_READ, MAP_PRIVATE);
	CHECK_MAP("O_WRONLY file", EACCES, wronly, PROT_NONE, MAP_PRIVATE);
	CHECK_MAP("O_WRONLY file", EACCES, wronly, PROT_READ, MAP_SHARED);
	CHECK_MAP("O_WRONLY file", EACCES, wronly, RW, MAP_SHARED);
	CHECK_MAP("O_WRONLY file", EACCES, wronly, PROT_READ, MAP_SHARED | MAP_GROWSDOWN);
	rdonly = open_or_fail(path, O_RDONLY);
	CHECK_MAP("O_RDONLY file, writable", EACCES, rdonly, RW, MAP_SHARED);
	CHECK_MAP("O_RDONLY file", EINVAL, rdonly, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN);
	check_private_file_map(path, rdonly);
	path_only = open_or_fail(path, O_PATH);
	CHECK_MAP("O_PATH descriptor", EBADF, path_only, PROT_READ, MAP_PRIVATE);
	close(path_only);
	close(wronly);
	close(rdonly);
	CHECK_OK(unlink(path));
}

static void
check_unmappable_files(void)
{
	int fd;

	say("directories, /proc files and /dev/null cannot be mapped");
	fd = open_or_fail("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_MAP("a directory", ENODEV, fd, PROT_READ, MAP_PRIVATE);
	CHECK_MAP("a directory, writable", EACCES, fd, RW, MAP_SHARED);
	close(fd);
	fd = open_or_fail("/proc/self/status", O_RDONLY);
	CHECK_MAP("/proc/self/status", ENODEV, fd, PROT_READ, MAP_PRIVATE);
	CHECK_MAP("/proc/self/status", ENODEV, fd, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN);
	close(fd);
	fd = open_or_fail("/proc/self/maps", O_RDONLY);
	CHECK_MAP("/proc/self/maps", ENODEV, fd, PROT_READ, MAP_PRIVATE);
	close(fd);
	fd = open_or_fail("/proc/meminfo", O_RDONLY);
	CHECK_MAP("/proc/meminfo", EIO, fd, PROT_READ, MAP_PRIVATE);
	CHECK_MAP("/proc/meminfo", EIO, fd, PROT_READ, MAP_SHARED);
	CHECK_MAP("/proc/meminfo, writable", EACCES, fd, RW, MAP_SHARED);
	close(fd);
	fd = open_or_fail("/dev/null", O_RDWR);
	CHECK_MAP("/dev/null", ENODEV, fd, RW, MAP_SHARED);
	CHECK_MAP("/dev/null", ENODEV, fd, PROT_READ, MAP_PRIVATE);
	CHECK_MAP("/dev/null", ENODEV, fd, PROT_READ, MAP_SHARED | MAP_GROWSDOWN);
	close(fd);
}

/* CHECK_NOREPLACE - mmap2 of one page at taken (mapped) with
 * MAP_FIXED_NOREPLACE and flags, fd fails with EEXIST. */
#define CHECK_NOREPLACE(taken, flags, fd)                                      \
	CHECK_ERRNO(syscall(SYS_mmap2, (taken), PAGE_SIZE, PROT_READ,           \
			    (flags) | MAP_FIXED_NOREPLACE, (fd), 0), EEXIST)

static void
check_placement_first(void)
{
	char *taken = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	int p[2];

	say("an address already taken is EEXIST before the file or type is checked");
	pattern_fill(taken, PAGE_SIZE, FILE_SEED);
	CHECK_OK(pipe(p));
	CHECK_NOREPLACE(taken, MAP_PRIVATE, p[0]);
	CHECK_NOREPLACE(taken, MAP_PRIVATE, p[1]);
	CHECK_NOREPLACE(taken, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1);
	CHECK_NOREPLACE(taken, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1);
	CHECK_NOREPLACE(taken, MAP_ANONYMOUS, -1);               /* no type */
	CHECK_PATTERN("the mapping there", taken, PAGE_SIZE, FILE_SEED);
	close(p[0]);
	close(p[1]);
	CHECK_OK(munmap(taken, PAGE_SIZE));
}

static void
check_terminal(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0) {
		say("/dev/console cannot be opened here (%s): terminal part skipped",
		    errno_name(errno));
		return;
	}
	say("a terminal cannot be mapped");
	CHECK_MAP("/dev/console", ENODEV, fd, PROT_READ, MAP_PRIVATE);
	CHECK_MAP("/dev/console", ENODEV, fd, RW, MAP_SHARED);
	close(fd);
}

/* child_writes_shared - the child's part of the shared /dev/zero check. */
static void
child_writes_shared(void *shared)
{
	CHECK_ZERO("child's view before writing", shared, PAGE_SIZE);
	pattern_fill(shared, PAGE_SIZE, FILE_SEED);
}

static void
check_dev_zero(void)
{
	int rw = open_or_fail("/dev/zero", O_RDWR), wronly = open_or_fail("/dev/zero", O_WRONLY);
	int rdonly = open_or_fail("/dev/zero", O_RDONLY);
	char *priv, *shared;

	say("/dev/zero: private and shared mappings work, O_WRONLY is EACCES");
	CHECK_MAP("/dev/zero O_WRONLY", EACCES, wronly, PROT_READ, MAP_PRIVATE);
	CHECK_MAP("/dev/zero O_RDONLY, writable", EACCES, rdonly, RW, MAP_SHARED);
	priv = mmap(NULL, PAGE_SIZE, RW, MAP_PRIVATE, rdonly, 0);
	CHECK(priv != MAP_FAILED, "private /dev/zero (got %s)", errno_name(errno));
	CHECK_ZERO("private /dev/zero", priv, PAGE_SIZE);
	pattern_fill(priv, PAGE_SIZE, FILE_SEED);
	CHECK_PATTERN("private /dev/zero after writing", priv, PAGE_SIZE, FILE_SEED);
	shared = mmap(NULL, PAGE_SIZE, RW, MAP_SHARED, rw, 0);
	CHECK(shared != MAP_FAILED, "shared /dev/zero (got %s)", errno_name(errno));
	check_exited("child writing shared /dev/zero", run_in_child(child_writes_shared, shared), 0);
	CHECK_PATTERN("the child's writes, seen by the parent", shared, PAGE_SIZE, FILE_SEED);
	CHECK_OK(munmap(priv, PAGE_SIZE));
	CHECK_OK(munmap(shared, PAGE_SIZE));
	close(rw);
	close(wronly);
	close(rdonly);
}

int
main(void)
{
	check_pipe();
	check_regular_file();
	check_unmappable_files();
	check_terminal();
	check_dev_zero();
	check_placement_first();
	say("mmap refuses what cannot be mapped, with Linux's errno");
	return 0;
}
