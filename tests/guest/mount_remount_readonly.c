/*
 * mount_remount_readonly — a tmpfs remounted read-only refuses every change
 * with EROFS, as Linux does, and reads still work:
 *   remount read-only is EBUSY while a file is open for writing;
 *   /proc/mounts says "ro,relatime" and statfs ST_RDONLY;
 *   open O_WRONLY, O_RDWR, O_RDONLY|O_TRUNC, O_CREAT of a new file, creat,
 *   mkdir, mknod, symlink, link, unlink (even of a missing name), rmdir,
 *   rename, truncate, chmod, fchmod, chown are EROFS; EEXIST still wins for
 *   mkdir of an existing name; ftruncate of a read-only fd is EINVAL and a
 *   shared writable mapping of it EACCES;
 *   read, a private mapping and O_CREAT of an existing file (read-only) work;
 *   remounted read-write, writes work again.
 */
#define TEST_NAME "mount_remount_readonly"
#include "guest.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define DATA_BYTES    (16 * KiB)
#define DATA_SEED     0x0123
#define SOURCE        "anvil-ro-src"

static char dir[64], paths[4][128];

/* p - dir/name, in one of four rotating buffers. */
static const char *
p(const char *name)
{
	static int next;
	char *buf = paths[next++ % 4];

	snprintf(buf, sizeof(paths[0]), "%s/%s", dir, name);
	return buf;
}

/* mount_opts - the options field of dir's line in /proc/mounts, in out. */
static void
mount_opts(char *out, size_t size)
{
	static char text[16 * KiB];
	char want[160];
	int fd = CHECK_OK(open("/proc/mounts", O_RDONLY));
	ssize_t n = read_full(fd, text, sizeof(text) - 1);

	close(fd);
	text[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%s %s tmpfs ", SOURCE, dir);
	char *line = strstr(text, want);

	CHECK(line != NULL, "no line for %s in /proc/mounts", dir);
	line += strlen(want);
	size_t len = strcspn(line, " ");

	CHECK(len < size, "options too long");
	memcpy(out, line, len);
	out[len] = '\0';
}

/* check_opts_start - the options start with want, then ',' or nothing. */
static void
check_opts_start(const char *want)
{
	char opts[128];
	size_t len = strlen(want);

	mount_opts(opts, sizeof(opts));
	CHECK(strncmp(opts, want, len) == 0 && (opts[len] == ',' || opts[len] == '\0'),
	      "options \"%s\", expected \"%s...\"", opts, want);
}

static void
fill_fs(void)
{
	static char buf[DATA_BYTES];
	int fd = CHECK_OK(open(p("data"), O_CREAT | O_EXCL | O_WRONLY, 0644));

	pattern_fill(buf, sizeof(buf), DATA_SEED);
	CHECK_EQ("write", DATA_BYTES, write_full(fd, buf, sizeof(buf)));
	close(fd);
	CHECK_OK(mkdir(p("sub"), 0755));
	CHECK_OK(mkdir(p("emptydir"), 0755));
}

static void
check_read_only_refusals(void)
{
	int fd;

	CHECK_ERRNO(open(p("data"), O_WRONLY), EROFS);
	CHECK_ERRNO(open(p("data"), O_RDWR), EROFS);
	CHECK_ERRNO(open(p("data"), O_RDONLY | O_TRUNC), EROFS);
	CHECK_ERRNO(open(p("new"), O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_ERRNO(open(p("new"), O_CREAT | O_RDONLY, 0644), EROFS);
	CHECK_ERRNO(creat(p("new"), 0644), EROFS);
	CHECK_ERRNO(mkdir(p("newdir"), 0755), EROFS);
	CHECK_ERRNO(mkdir(p("sub"), 0755), EEXIST);
	CHECK_ERRNO(mknod(p("node"), S_IFREG | 0644, 0), EROFS);
	CHECK_ERRNO(symlink("data", p("link")), EROFS);
	CHECK_ERRNO(link(p("data"), p("hard")), EROFS);
	CHECK_ERRNO(unlink(p("data")), EROFS);
	CHECK_ERRNO(unlink(p("missing")), EROFS);
	CHECK_ERRNO(rmdir(p("emptydir")), EROFS);
	CHECK_ERRNO(rename(p("data"), p("renamed")), EROFS);
	CHECK_ERRNO(truncate(p("data"), 0), EROFS);
	CHECK_ERRNO(chmod(p("data"), 0600), EROFS);
	CHECK_ERRNO(chown(p("data"), 0, 0), EROFS);
	fd = CHECK_OK(open(p("data"), O_RDONLY));
	CHECK_ERRNO(fchmod(fd, 0600), EROFS);
	CHECK_ERRNO(ftruncate(fd, 0), EINVAL);
	CHECK(mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EACCES, "shared writable mapping of an O_RDONLY fd: errno %d", errno);
	close(fd);
}

static void
check_reads_work(void)
{
	static char buf[DATA_BYTES];
	struct stat st;
	int fd = CHECK_OK(open(p("data"), O_CREAT | O_RDONLY, 0644));   /* exists: fine */
	char *map;

	CHECK_EQ("read", DATA_BYTES, read_full(fd, buf, sizeof(buf)));
	CHECK_PATTERN("data on a read-only mount", buf, sizeof(buf), DATA_SEED);
	map = mmap(NULL, DATA_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED, "private read-only mapping failed: errno %d", errno);
	CHECK_PATTERN("mapped data", map, DATA_BYTES, DATA_SEED);
	munmap(map, DATA_BYTES);
	close(fd);
	CHECK_OK(stat(p("data"), &st));
	CHECK_EQ("size unchanged", DATA_BYTES, st.st_size);
	CHECK_OK(access(p("sub"), F_OK));
}

int
main(void)
{
	struct statfs sf;
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/rmnt-%d", (int)getpid());
	CHECK_OK(mkdir(dir, 0755));
	CHECK_OK(mount(SOURCE, dir, "tmpfs", 0, NULL));
	fill_fs();

	fd = CHECK_OK(open(p("data"), O_WRONLY));
	CHECK_ERRNO(mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY);
	close(fd);
	CHECK_ERRNO(mount(NULL, p("sub"), NULL, MS_REMOUNT | MS_RDONLY, NULL), EINVAL);
	CHECK_OK(mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	check_opts_start("ro,relatime");
	CHECK_OK(statfs(dir, &sf));
	CHECK(sf.f_flags & ST_RDONLY, "statfs f_flags 0x%lx without ST_RDONLY", (unsigned long)sf.f_flags);

	check_read_only_refusals();
	check_reads_work();

	CHECK_OK(mount(NULL, dir, NULL, MS_REMOUNT, NULL));
	check_opts_start("rw,relatime");
	CHECK_OK(statfs(dir, &sf));
	CHECK(!(sf.f_flags & ST_RDONLY), "ST_RDONLY after remount rw");
	fd = CHECK_OK(open(p("new"), O_CREAT | O_WRONLY, 0644));
	CHECK_EQ("write after remount rw", 5, write(fd, "hello", 5));
	close(fd);
	CHECK_OK(unlink(p("data")));

	CHECK_OK(umount(dir));
	CHECK_OK(rmdir(dir));
	say("read-only remount: EROFS for every change, reads work, rw again");
	return 0;
}
