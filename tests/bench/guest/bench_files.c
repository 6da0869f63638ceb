/*
 * tests/bench/guest/bench_files.c — what files cost user space, in
 * guest instructions under make bench (QEMU -icount shift=0; cycles on a
 * host): issue 10's figures, beside bench_vm.c's.
 *
 *   user.file_read_cached     read() of a file already in the page cache,
 *                             per KiB (1 MiB in 64 KiB reads)
 *   user.file_fault_cached    a read fault on a MAP_PRIVATE mapping of a
 *                             4 MiB file already in the page cache, per page
 *   user.msync_256_dirty      msync(MS_SYNC) of a MAP_SHARED mapping with
 *                             256 dirty pages, per call
 *   user.fork_exec_exit       fork + execve of a small static program
 *                             (/bin/true) + its exit + waitpid
 *   user.create_unlink        creating (open O_CREAT|O_EXCL, close) and
 *                             deleting 1,000 empty files, per file
 *
 * Each figure is the median of REPEAT runs. A step the kernel refuses (a
 * MAP_SHARED file mapping before the page cache exists, say) prints
 * "# <name>: unsupported (<call>: <error>)" and that figure is skipped;
 * the others still run. Files go in $TMPDIR or /tmp and are removed.
 * make bench runs it with the others, on the ext2 root; it is an ordinary
 * program and runs on Linux too (build/bench/bench_files).
 */
#include "bench.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPEAT           9
#define KIB              1024u
#define READ_FILE_BYTES  (1024u * KIB)
#define READ_CHUNK       (64u * KIB)
#define FAULT_FILE_BYTES (4096u * KIB)
#define MSYNC_PAGES      256u
#define CREATE_FILES     1000
#define CREATE_REPEAT    3
#define TRUE_PROGRAM     "/bin/true"

static char dir[256];
static char buf[READ_CHUNK];

/* unsupported - the figure name cannot be measured here: why. */
static void
unsupported(const char *name, const char *call)
{
	printf("# %s: unsupported (%s: %s)\n", name, call, strerror(errno));
	fflush(stdout);
}

/* tmp_file - the path of a benchmark file called name, in $TMPDIR or /tmp. */
static const char *
tmp_file(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/bench-files-%d-%s", dir, (int)getpid(), name);
	return out;
}

/* cached_file - a file of bytes bytes, written and then read once (so its
 * pages are in the page cache); its fd, or -1 (errno set). */
static int
cached_file(const char *path, size_t bytes)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd < 0)
		return -1;
	unlink(path);
	memset(buf, 0x5a, sizeof(buf));
	for (size_t off = 0; off < bytes; off += READ_CHUNK)
		if (pwrite(fd, buf, READ_CHUNK, (off_t)off) != READ_CHUNK)
			goto fail;
	for (size_t off = 0; off < bytes; off += READ_CHUNK)
		if (pread(fd, buf, READ_CHUNK, (off_t)off) != READ_CHUNK)
			goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static void
bench_read_cached(void)
{
	const char *name = "user.file_read_cached";
	uint64_t runs[REPEAT];
	char path[320];
	int fd = cached_file(tmp_file(path, sizeof(path), "read"), READ_FILE_BYTES);

	if (fd < 0)
		return unsupported(name, "write a 1 MiB file");
	for (int r = 0; r < REPEAT; r++) {
		uint64_t t0 = rdtsc();

		for (size_t off = 0; off < READ_FILE_BYTES; off += READ_CHUNK)
			if (pread(fd, buf, READ_CHUNK, (off_t)off) != READ_CHUNK) {
				close(fd);
				return unsupported(name, "pread");
			}
		runs[r] = (rdtsc() - t0) / (READ_FILE_BYTES / KIB);
	}
	close(fd);
	report(name, median(runs, REPEAT), "instructions per KiB (1 MiB cached, 64 KiB reads)");
}

static void
bench_fault_cached(void)
{
	const char *name = "user.file_fault_cached";
	uint64_t runs[REPEAT];
	char path[320];
	int fd = cached_file(tmp_file(path, sizeof(path), "fault"), FAULT_FILE_BYTES);

	if (fd < 0)
		return unsupported(name, "write a 4 MiB file");
	for (int r = 0; r < REPEAT; r++) {
		volatile char *p = mmap(NULL, FAULT_FILE_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
		unsigned sum = 0;

		if (p == MAP_FAILED) {
			close(fd);
			return unsupported(name, "mmap MAP_PRIVATE");
		}
		uint64_t t0 = rdtsc();
		for (size_t off = 0; off < FAULT_FILE_BYTES; off += PAGE)
			sum += p[off];
		runs[r] = (rdtsc() - t0) / (FAULT_FILE_BYTES / PAGE);
		munmap((void *)p, FAULT_FILE_BYTES);
		if (sum != 0x5a * (FAULT_FILE_BYTES / PAGE)) {
			printf("# %s: wrong file contents through the mapping\n", name);
			close(fd);
			return;
		}
	}
	close(fd);
	report(name, median(runs, REPEAT), "instructions per page (4 MiB cached, MAP_PRIVATE read)");
}

static void
bench_msync(void)
{
	const char *name = "user.msync_256_dirty";
	const size_t bytes = MSYNC_PAGES * PAGE;
	uint64_t runs[REPEAT];
	char path[320];
	int fd = cached_file(tmp_file(path, sizeof(path), "msync"), bytes);

	if (fd < 0)
		return unsupported(name, "write a 1 MiB file");
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return unsupported(name, "mmap MAP_SHARED of a file");
	}
	for (int r = 0; r < REPEAT; r++) {
		for (size_t off = 0; off < bytes; off += PAGE)
			p[off] = (char)r;
		uint64_t t0 = rdtsc();
		if (msync(p, bytes, MS_SYNC)) {
			munmap(p, bytes);
			close(fd);
			return unsupported(name, "msync MS_SYNC");
		}
		runs[r] = rdtsc() - t0;
	}
	munmap(p, bytes);
	close(fd);
	report(name, median(runs, REPEAT), "instructions per msync(MS_SYNC) of 256 dirty pages");
}

static void
bench_fork_exec_exit(void)
{
	const char *name = "user.fork_exec_exit";
	uint64_t runs[REPEAT];

	for (int r = 0; r < REPEAT; r++) {
		int status;
		uint64_t t0 = rdtsc();
		pid_t pid = fork();

		if (pid == 0) {
			char *argv[] = { TRUE_PROGRAM, NULL };
			char *envp[] = { NULL };
			execve(TRUE_PROGRAM, argv, envp);
			_exit(127);
		}
		if (pid < 0)
			return unsupported(name, "fork");
		waitpid(pid, &status, 0);
		runs[r] = rdtsc() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("# %s: unsupported (%s did not exit 0: status %#x)\n", name,
			       TRUE_PROGRAM, status);
			return;
		}
	}
	report(name, median(runs, REPEAT), "instructions per fork+execve(/bin/true)+exit+waitpid");
}

static void
bench_create_unlink(void)
{
	const char *name = "user.create_unlink";
	uint64_t runs[CREATE_REPEAT];
	char sub[320], path[sizeof(sub) + 16];

	if (mkdir(tmp_file(sub, sizeof(sub), "dir"), 0755))
		return unsupported(name, "mkdir");
	for (int r = 0; r < CREATE_REPEAT; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < CREATE_FILES; i++) {
			snprintf(path, sizeof(path), "%s/f%d", sub, i);
			int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
			if (fd < 0) {
				unsupported(name, "open O_CREAT|O_EXCL");
				goto out;
			}
			close(fd);
		}
		for (int i = 0; i < CREATE_FILES; i++) {
			snprintf(path, sizeof(path), "%s/f%d", sub, i);
			if (unlink(path)) {
				unsupported(name, "unlink");
				goto out;
			}
		}
		runs[r] = (rdtsc() - t0) / CREATE_FILES;
	}
	report(name, median(runs, CREATE_REPEAT), "instructions per file (create+close+unlink of 1,000)");
out:
	for (int i = 0; i < CREATE_FILES; i++) {
		snprintf(path, sizeof(path), "%s/f%d", sub, i);
		unlink(path);
	}
	rmdir(sub);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s", t && *t ? t : "/tmp");
	bench_read_cached();
	bench_fault_cached();
	bench_msync();
	bench_fork_exec_exit();
	bench_create_unlink();
	return 0;
}
