/*
 * mount_tmpfs_lifecycle — mount(2), umount2(2), /proc/mounts and statfs on a
 * tmpfs mounted on a fresh directory under /tmp:
 *   mount of an unknown type is ENODEV, of a bad type pointer EFAULT, on a
 *   missing directory ENOENT, on a regular file ENOTDIR; umount of a
 *   directory that is no mount point is EINVAL, unknown umount2 flags EINVAL;
 *   the mount hides what the directory held; a file written there reads back;
 *   statfs/fstatfs say TMPFS_MAGIC with 4 KiB blocks that the file used, and
 *   /proc/mounts (and /proc/self/mounts) has "src dir tmpfs rw,relatime";
 *   umount while a file is open there, or while the cwd is inside, is EBUSY;
 *   after close it works and the directory shows its old contents again.
 *   MNT_DETACH unmounts at once while a file is open; the open file still
 *   reads its data. UMOUNT_NOFOLLOW on a symlink to the mount point is
 *   EINVAL, without it the link is followed; MNT_EXPIRE is EAGAIN on an
 *   idle mount, then unmounts it on the second call; MNT_EXPIRE with
 *   MNT_DETACH is EINVAL.
 */
#define TEST_NAME "mount_tmpfs_lifecycle"
#include "guest.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define TMPFS_MAGIC   0x01021994
#define DATA_BYTES    (64 * KiB)
#define DATA_SEED     0x5eed
#define BLOCK_SIZE    4096
#define SOURCE        "anvil-test-src"
#define BAD_POINTER   ((const char *)1)

static char dir[64], path[128], under[128];

/* in_dir - dir/name in path. */
static const char *
in_dir(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* mounts_line - whether file (a mounts table) has a line for dir starting
 * "SOURCE dir tmpfs opts" with opts followed by ',' or ' '. */
static int
mounts_line(const char *file, const char *opts)
{
	static char text[16 * KiB];
	char want[256];
	int fd = CHECK_OK(open(file, O_RDONLY));
	ssize_t n = read_full(fd, text, sizeof(text) - 1);

	close(fd);
	CHECK(n > 0, "%s is empty", file);
	text[n] = '\0';
	snprintf(want, sizeof(want), "%s %s tmpfs %s", SOURCE, dir, opts);
	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t len = strlen(want);

		if (strncmp(line, want, len) == 0 && (line[len] == ' ' || line[len] == ','))
			return 1;
	}
	return 0;
}

static void
write_data(void)
{
	static char buf[DATA_BYTES];
	int fd = CHECK_OK(open(in_dir("data"), O_CREAT | O_EXCL | O_RDWR, 0644));

	pattern_fill(buf, sizeof(buf), DATA_SEED);
	CHECK_EQ("write", DATA_BYTES, write_full(fd, buf, sizeof(buf)));
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread back", DATA_BYTES, pread(fd, buf, sizeof(buf), 0));
	CHECK_PATTERN("data read back", buf, sizeof(buf), DATA_SEED);
	close(fd);
}

static void
check_statfs(void)
{
	struct statfs before, after;
	int fd;

	CHECK_OK(statfs(dir, &before));
	CHECK_EQ_HEX("f_type of a tmpfs", TMPFS_MAGIC, before.f_type);
	CHECK_EQ("f_bsize", BLOCK_SIZE, before.f_bsize);
	CHECK(before.f_blocks > 0 && before.f_bfree <= before.f_blocks,
	      "f_blocks %llu f_bfree %llu", (unsigned long long)before.f_blocks,
	      (unsigned long long)before.f_bfree);
	CHECK_EQ("f_flags: not read-only", 0, before.f_flags & ST_RDONLY);
	write_data();
	fd = CHECK_OK(open(in_dir("data"), O_RDONLY));
	CHECK_OK(fstatfs(fd, &after));
	close(fd);
	CHECK_EQ_HEX("fstatfs f_type", TMPFS_MAGIC, after.f_type);
	CHECK(before.f_bfree - after.f_bfree >= DATA_BYTES / BLOCK_SIZE,
	      "64 KiB written used %llu blocks", (unsigned long long)(before.f_bfree - after.f_bfree));
}

static void
check_mount_errors(void)
{
	int fd;

	CHECK_ERRNO(mount(SOURCE, dir, "anvil-no-such-fs", 0, NULL), ENODEV);
	CHECK_ERRNO(mount(SOURCE, dir, BAD_POINTER, 0, NULL), EFAULT);
	CHECK_ERRNO(mount(SOURCE, "/tmp/anvil-no-such-dir/x", "tmpfs", 0, NULL), ENOENT);
	fd = CHECK_OK(open(under, O_CREAT | O_WRONLY, 0644));
	close(fd);
	CHECK_ERRNO(mount(SOURCE, under, "tmpfs", 0, NULL), ENOTDIR);
	CHECK_ERRNO(umount(dir), EINVAL);
	CHECK_ERRNO(umount2(dir, 0x100), EINVAL);
	CHECK_ERRNO(umount("/tmp/anvil-no-such-dir"), ENOENT);
}

static void
check_busy(void)
{
	int fd = CHECK_OK(open(in_dir("data"), O_RDONLY));

	CHECK_ERRNO(umount(dir), EBUSY);
	close(fd);
	CHECK_OK(chdir(dir));
	CHECK_ERRNO(umount(dir), EBUSY);
	CHECK_OK(chdir("/"));
}

static void
check_detach(void)
{
	static char buf[DATA_BYTES];
	struct stat st;
	int fd;

	CHECK_OK(mount(SOURCE, dir, "tmpfs", 0, NULL));
	write_data();
	fd = CHECK_OK(open(in_dir("data"), O_RDONLY));
	CHECK_OK(umount2(dir, MNT_DETACH));
	CHECK_OK(stat(under, &st));                         /* the old contents again */
	CHECK(!mounts_line("/proc/mounts", "rw"), "a detached mount is still in /proc/mounts");
	CHECK_EQ("read of a detached file", DATA_BYTES, pread(fd, buf, sizeof(buf), 0));
	CHECK_PATTERN("detached file's data", buf, sizeof(buf), DATA_SEED);
	close(fd);
}

static void
check_nofollow_and_expire(void)
{
	char link_path[128];

	snprintf(link_path, sizeof(link_path), "%s-link", dir);
	CHECK_OK(symlink(dir, link_path));
	CHECK_OK(mount(SOURCE, dir, "tmpfs", 0, NULL));
	CHECK_ERRNO(umount2(link_path, UMOUNT_NOFOLLOW), EINVAL);
	CHECK_OK(umount2(link_path, 0));
	CHECK_OK(unlink(link_path));

	CHECK_OK(mount(SOURCE, dir, "tmpfs", 0, NULL));
	CHECK_ERRNO(umount2(dir, MNT_EXPIRE | MNT_DETACH), EINVAL);
	CHECK_ERRNO(umount2(dir, MNT_EXPIRE), EAGAIN);
	CHECK_OK(umount2(dir, MNT_EXPIRE));
	CHECK(!mounts_line("/proc/mounts", "rw"), "still mounted after the second MNT_EXPIRE");
}

int
main(void)
{
	struct stat st;

	snprintf(dir, sizeof(dir), "/tmp/mnt-%d", (int)getpid());
	CHECK_OK(mkdir(dir, 0755));
	snprintf(under, sizeof(under), "%s/under", dir);
	check_mount_errors();

	CHECK_OK(mount(SOURCE, dir, "tmpfs", 0, NULL));
	CHECK_ERRNO(stat(under, &st), ENOENT);             /* hidden by the mount */
	CHECK(mounts_line("/proc/mounts", "rw,relatime"), "no \"%s %s tmpfs rw,relatime\" in /proc/mounts",
	      SOURCE, dir);
	CHECK(mounts_line("/proc/self/mounts", "rw,relatime"), "not in /proc/self/mounts");
	check_statfs();
	check_busy();

	CHECK_OK(umount(dir));
	CHECK_OK(stat(under, &st));                         /* uncovered */
	CHECK_ERRNO(stat(in_dir("data"), &st), ENOENT);
	CHECK(!mounts_line("/proc/mounts", "rw"), "still in /proc/mounts after umount");
	CHECK_ERRNO(umount(dir), EINVAL);

	check_detach();
	check_nofollow_and_expire();
	CHECK_OK(unlink(under));
	CHECK_OK(rmdir(dir));
	say("mount, statfs, /proc/mounts, EBUSY and MNT_DETACH as on Linux");
	return 0;
}
