/*
 * sync_statfs_calls — the return values and errno cases of sync, syncfs,
 * fsync, fdatasync and the statfs family, as on Linux (i386 ABI):
 *   fsync/fdatasync of a regular file and of a directory are 0 and the data
 *   reads back; of a pipe or /dev/null EINVAL; of a closed fd or an O_PATH
 *   fd EBADF; syncfs of a file 0, of a closed fd EBADF; sync() returns;
 *   statfs64/fstatfs64 take only the 84-byte struct (EINVAL for 80 and 88);
 *   the old 32-bit statfs/fstatfs (64 bytes) agree with them; /proc is
 *   PROC_SUPER_MAGIC, a pipe PIPEFS_MAGIC; a missing path ENOENT, a bad
 *   buffer EFAULT, a closed fd EBADF; ST_VALID is set;
 *   /proc/filesystems lists "nodev\ttmpfs" and "nodev\tproc".
 */
#define TEST_NAME "sync_statfs_calls"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define PROC_SUPER_MAGIC 0x9fa0
#define PIPEFS_MAGIC     0x50495045
#define STATFS64_SIZE    84
#define STATFS32_SIZE    64
#define CLOSED_FD        1000
#define ST_VALID_FLAG    0x20
#define DATA_SEED        0x77
#define DATA_BYTES       (8 * KiB)

/* The i386 layouts, as raw bytes plus the fields the test reads. */
struct raw_statfs64 {
	uint32_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	uint32_t f_fsid[2], f_namelen, f_frsize, f_flags, f_spare[4];
} __attribute__((packed, aligned(4)));

struct raw_statfs32 {
	uint32_t f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	uint32_t f_fsid[2], f_namelen, f_frsize, f_flags, f_spare[4];
};

static void
check_sync_calls(void)
{
	static char buf[DATA_BYTES];
	char path[128];
	int fd, pipefd[2], dfd, null_fd, path_fd;

	tmp_path(path, sizeof(path), "sync");
	fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644));
	pattern_fill(buf, sizeof(buf), DATA_SEED);
	CHECK_EQ("write", DATA_BYTES, write_full(fd, buf, sizeof(buf)));
	CHECK_EQ("fsync of a file", 0, fsync(fd));
	CHECK_EQ("fdatasync of a file", 0, fdatasync(fd));
	CHECK_EQ("syncfs of a file", 0, syncfs(fd));
	sync();
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("read back", DATA_BYTES, pread(fd, buf, sizeof(buf), 0));
	CHECK_PATTERN("data after the syncs", buf, sizeof(buf), DATA_SEED);
	close(fd);

	dfd = CHECK_OK(open("/tmp", O_RDONLY | O_DIRECTORY));
	CHECK_EQ("fsync of a directory", 0, fsync(dfd));
	close(dfd);

	CHECK_OK(pipe(pipefd));
	CHECK_ERRNO(fsync(pipefd[0]), EINVAL);
	CHECK_ERRNO(fdatasync(pipefd[1]), EINVAL);
	CHECK_EQ("syncfs of a pipe", 0, syncfs(pipefd[0]));
	close(pipefd[0]);
	close(pipefd[1]);

	null_fd = CHECK_OK(open("/dev/null", O_WRONLY));
	CHECK_ERRNO(fsync(null_fd), EINVAL);
	close(null_fd);

	path_fd = CHECK_OK(open(path, O_PATH));
	CHECK_ERRNO(fsync(path_fd), EBADF);
	close(path_fd);

	CHECK_ERRNO(fsync(CLOSED_FD), EBADF);
	CHECK_ERRNO(fdatasync(CLOSED_FD), EBADF);
	CHECK_ERRNO(syncfs(CLOSED_FD), EBADF);
	CHECK_ERRNO(fsync(-1), EBADF);
	CHECK_OK(unlink(path));
}

static void
check_statfs_calls(void)
{
	struct raw_statfs64 s64, f64;
	struct raw_statfs32 s32;
	int pipefd[2], fd;

	CHECK_EQ("sizeof statfs64", STATFS64_SIZE, sizeof(struct raw_statfs64));
	CHECK_ERRNO(syscall(SYS_statfs64, "/tmp", STATFS64_SIZE - 4, &s64), EINVAL);
	CHECK_ERRNO(syscall(SYS_statfs64, "/tmp", STATFS64_SIZE + 4, &s64), EINVAL);
	CHECK_ERRNO(syscall(SYS_statfs64, "/tmp/anvil-missing/x", STATFS64_SIZE, &s64), ENOENT);
	CHECK_ERRNO(syscall(SYS_statfs64, "/tmp", STATFS64_SIZE, (void *)1), EFAULT);
	CHECK_OK(syscall(SYS_statfs64, "/proc", STATFS64_SIZE, &s64));
	CHECK_EQ_HEX("f_type of /proc", PROC_SUPER_MAGIC, s64.f_type);
	CHECK(s64.f_flags & ST_VALID_FLAG, "f_flags 0x%x without ST_VALID", s64.f_flags);
	CHECK_EQ("f_frsize = f_bsize", s64.f_bsize, s64.f_frsize);

	CHECK_OK(syscall(SYS_statfs, "/proc", &s32));
	CHECK_EQ_HEX("32-bit statfs f_type", PROC_SUPER_MAGIC, s32.f_type);
	CHECK_EQ("32-bit statfs f_bsize", s64.f_bsize, s32.f_bsize);
	CHECK_EQ("32-bit statfs f_flags", s64.f_flags, s32.f_flags);

	fd = CHECK_OK(open("/proc/self/status", O_RDONLY));
	CHECK_ERRNO(syscall(SYS_fstatfs64, fd, STATFS64_SIZE - 1, &f64), EINVAL);
	CHECK_OK(syscall(SYS_fstatfs64, fd, STATFS64_SIZE, &f64));
	CHECK_EQ_HEX("fstatfs64 of a /proc file", PROC_SUPER_MAGIC, f64.f_type);
	CHECK_OK(syscall(SYS_fstatfs, fd, &s32));
	CHECK_EQ_HEX("fstatfs of a /proc file", PROC_SUPER_MAGIC, s32.f_type);
	close(fd);
	CHECK_ERRNO(syscall(SYS_fstatfs64, CLOSED_FD, STATFS64_SIZE, &f64), EBADF);
	CHECK_ERRNO(syscall(SYS_fstatfs, CLOSED_FD, &s32), EBADF);

	CHECK_OK(pipe(pipefd));
	CHECK_OK(syscall(SYS_fstatfs64, pipefd[0], STATFS64_SIZE, &f64));
	CHECK_EQ_HEX("f_type of a pipe", PIPEFS_MAGIC, f64.f_type);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void
check_proc_filesystems(void)
{
	char text[4096];
	int fd = CHECK_OK(open("/proc/filesystems", O_RDONLY));
	ssize_t n = read_full(fd, text, sizeof(text) - 1);

	close(fd);
	CHECK(n > 0, "/proc/filesystems is empty");
	text[n] = '\0';
	CHECK(strstr(text, "nodev\ttmpfs\n") != NULL, "no \"nodev\\ttmpfs\" line");
	CHECK(strstr(text, "nodev\tproc\n") != NULL, "no \"nodev\\tproc\" line");
}

int
main(void)
{
	check_sync_calls();
	check_statfs_calls();
	check_proc_filesystems();
	say("sync family and statfs family as on Linux");
	return 0;
}
