/*
 * fs/statfs.c — statfs, fstatfs, statfs64 and fstatfs64: the figures of
 * the file system a path or descriptor is on, in Linux's i386 layouts.
 *
 * The file system fills a struct kstatfs (s_op->statfs; without one, the
 * figures of Linux's simple_statfs: its magic number, PAGE_SIZE blocks,
 * nothing counted). The VFS adds f_frsize (= f_bsize when the file system
 * leaves it 0) and f_flags: ST_VALID, the super_block's ST_RDONLY and
 * ST_SYNCHRONOUS, the mount's nosuid, nodev, noexec and atime flags.
 * The 32-bit calls fail with EOVERFLOW when a count does not fit (f_files
 * and f_ffree may be -1, "unknown"); the 64-bit ones take the size of the
 * caller's struct and refuse any but 84 bytes (EINVAL), as on i386.
 *
 * Locking: none of its own; the path or descriptor keeps the file system
 * mounted while its statfs runs; the mount's flags are read under
 * namespace_mutex (mount_statfs_flags).
 */
#include <fs/file.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <arch/x86/mmu.h>
#include <libk/string.h>

#define PIPEFS_MAGIC 0x50495045u

/* struct statfs of Linux i386 (asm-generic/statfs.h, 32-bit words): 64 bytes. */
struct statfs32 {
	uint32_t f_type, f_bsize;
	uint32_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	uint32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags;
	uint32_t f_spare[4];
};
_Static_assert(sizeof(struct statfs32) == 64, "struct statfs is 64 bytes on i386");

/* struct statfs64 of Linux i386: packed to 4 bytes, 84 bytes. */
struct statfs64 {
	uint32_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	uint32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags;
	uint32_t f_spare[4];
} __attribute__((packed, aligned(4)));
_Static_assert(sizeof(struct statfs64) == 84, "struct statfs64 is 84 bytes on i386");

/* Fills st for the file system sb (NULL: an inode of no file system, a
 * pipe's): 0 or the file system's error. */
static int
vfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	int err = 0;

	memset(st, 0, sizeof(*st));
	if (!sb) {
		st->f_type = PIPEFS_MAGIC;
		st->f_bsize = PAGE_SIZE;
		st->f_namelen = NAME_MAX;
	} else if (sb->s_op && sb->s_op->statfs) {
		err = sb->s_op->statfs(sb, st);
	} else {
		st->f_type = sb->s_magic;
		st->f_bsize = PAGE_SIZE;
		st->f_namelen = NAME_MAX;
	}
	if (err)
		return err;
	if (!st->f_frsize)
		st->f_frsize = st->f_bsize;
	st->f_flags = ST_VALID;
	if (sb) {
		if (sb_rdonly(sb))
			st->f_flags |= ST_RDONLY;
		if (sb->s_flags & SB_SYNCHRONOUS)
			st->f_flags |= ST_SYNCHRONOUS;
		if (sb->s_flags & SB_MANDLOCK)
			st->f_flags |= ST_MANDLOCK;
		st->f_flags |= mount_statfs_flags(sb);
	}
	return 0;
}

static bool
fits_u32(uint64_t v)
{
	return (v >> 32) == 0;
}

/* Copies st out as struct statfs; EOVERFLOW if a figure needs 64 bits. */
static int
put_statfs32(const struct kstatfs *st, void *ubuf)
{
	struct statfs32 buf;

	if (!fits_u32(st->f_blocks) || !fits_u32(st->f_bfree) || !fits_u32(st->f_bavail))
		return -EOVERFLOW;
	if ((st->f_files != UINT64_MAX && !fits_u32(st->f_files)) ||
	    (st->f_ffree != UINT64_MAX && !fits_u32(st->f_ffree)))
		return -EOVERFLOW;
	memset(&buf, 0, sizeof(buf));
	buf.f_type = st->f_type;
	buf.f_bsize = st->f_bsize;
	buf.f_blocks = (uint32_t)st->f_blocks;
	buf.f_bfree = (uint32_t)st->f_bfree;
	buf.f_bavail = (uint32_t)st->f_bavail;
	buf.f_files = (uint32_t)st->f_files;
	buf.f_ffree = (uint32_t)st->f_ffree;
	buf.f_fsid[0] = st->f_fsid[0];
	buf.f_fsid[1] = st->f_fsid[1];
	buf.f_namelen = st->f_namelen;
	buf.f_frsize = st->f_frsize;
	buf.f_flags = st->f_flags;
	return copy_to_user(ubuf, &buf, sizeof(buf)) ? -EFAULT : 0;
}

static int
put_statfs64(const struct kstatfs *st, void *ubuf)
{
	struct statfs64 buf;

	memset(&buf, 0, sizeof(buf));
	buf.f_type = st->f_type;
	buf.f_bsize = st->f_bsize;
	buf.f_blocks = st->f_blocks;
	buf.f_bfree = st->f_bfree;
	buf.f_bavail = st->f_bavail;
	buf.f_files = st->f_files;
	buf.f_ffree = st->f_ffree;
	buf.f_fsid[0] = st->f_fsid[0];
	buf.f_fsid[1] = st->f_fsid[1];
	buf.f_namelen = st->f_namelen;
	buf.f_frsize = st->f_frsize;
	buf.f_flags = st->f_flags;
	return copy_to_user(ubuf, &buf, sizeof(buf)) ? -EFAULT : 0;
}

/* The figures of the file system upath is on (symlinks followed). */
static int
user_statfs(const char *upath, struct kstatfs *st)
{
	struct dentry *d = user_path(AT_FDCWD, upath, LOOKUP_FOLLOW);
	int err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = vfs_statfs(d->d_sb, st);
	dput(d);
	return err;
}

/* The figures of the file system fd's file is on; EBADF. */
static int
fd_statfs(int fd, struct kstatfs *st)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = vfs_statfs(f->f_dentry ? f->f_dentry->d_sb : f->f_inode->i_sb, st);
	fput(f);
	return err;
}

static long
sys_statfs(const char *upath, void *ubuf)
{
	struct kstatfs st;
	int err = user_statfs(upath, &st);

	return err ? err : put_statfs32(&st, ubuf);
}

static long
sys_fstatfs(int fd, void *ubuf)
{
	struct kstatfs st;
	int err = fd_statfs(fd, &st);

	return err ? err : put_statfs32(&st, ubuf);
}

static long
sys_statfs64(const char *upath, size_t size, void *ubuf)
{
	struct kstatfs st;
	int err;

	if (size != sizeof(struct statfs64))
		return -EINVAL;
	err = user_statfs(upath, &st);
	return err ? err : put_statfs64(&st, ubuf);
}

static long
sys_fstatfs64(int fd, size_t size, void *ubuf)
{
	struct kstatfs st;
	int err;

	if (size != sizeof(struct statfs64))
		return -EINVAL;
	err = fd_statfs(fd, &st);
	return err ? err : put_statfs64(&st, ubuf);
}
SYSCALL_DEFINE(statfs, sys_statfs);
SYSCALL_DEFINE(fstatfs, sys_fstatfs);
SYSCALL_DEFINE(statfs64, sys_statfs64);
SYSCALL_DEFINE(fstatfs64, sys_fstatfs64);
