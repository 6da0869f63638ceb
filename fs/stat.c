/*
 * fs/stat.c — reporting an inode's attributes: stat64, lstat64, fstat64,
 * fstatat64 and statx, in the i386 layouts Linux uses; and getdents64,
 * which lists a directory.
 *
 * musl 1.2 asks statx first (its struct stat has 64-bit times) and falls
 * back to fstatat64 only on ENOSYS, so both are here.
 */
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <libk/string.h>

#define BLKSIZE 4096

/* struct stat64 of Linux i386 (arch/x86/include/uapi/asm/stat.h): 96 bytes. */
struct stat64 {
	uint64_t st_dev;
	uint8_t  pad0[4];
	uint32_t st_ino_low;          /* __st_ino: the low 32 bits */
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint8_t  pad3[4];
	int64_t  st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;           /* 512-byte units */
	uint32_t st_atime, st_atime_nsec;
	uint32_t st_mtime, st_mtime_nsec;
	uint32_t st_ctime, st_ctime_nsec;
	uint64_t st_ino;
} __attribute__((packed));
_Static_assert(sizeof(struct stat64) == 96, "struct stat64 is 96 bytes on i386");

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

/* struct statx (include/uapi/linux/stat.h): 256 bytes, same on every arch. */
struct statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t spare2[14];
} __attribute__((packed));
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");

#define STATX_BASIC_STATS 0x7ffu
#define AT_STATX_SYNC_TYPE 0x6000
#define AT_NO_AUTOMOUNT    0x800

/* st_blocks: what the file system has allocated, in 512-byte units (the
 * page cache counts it for ramfs and tmpfs, whose holes cost nothing). */
static uint64_t
blocks_of(struct inode *inode)
{
	return inode->i_blocks;
}

static void
fill_stat64(struct inode *inode, struct stat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->i_sb ? inode->i_sb->s_dev : 0;
	st->st_ino = inode->i_ino;
	st->st_ino_low = (uint32_t)inode->i_ino;
	st->st_mode = inode->i_mode;
	st->st_nlink = inode->i_nlink;
	st->st_uid = inode->i_uid;
	st->st_gid = inode->i_gid;
	st->st_rdev = inode->i_rdev;
	st->st_size = inode->i_size;
	st->st_blksize = BLKSIZE;
	st->st_blocks = blocks_of(inode);
	st->st_atime = (uint32_t)(inode->i_atime / 1000000000);
	st->st_atime_nsec = (uint32_t)(inode->i_atime % 1000000000);
	st->st_mtime = (uint32_t)(inode->i_mtime / 1000000000);
	st->st_mtime_nsec = (uint32_t)(inode->i_mtime % 1000000000);
	st->st_ctime = (uint32_t)(inode->i_ctime / 1000000000);
	st->st_ctime_nsec = (uint32_t)(inode->i_ctime % 1000000000);
}

static struct statx_timestamp
statx_time(int64_t ns)
{
	return (struct statx_timestamp){ ns / 1000000000, (uint32_t)(ns % 1000000000), 0 };
}

static void
fill_statx(struct inode *inode, struct statx *sx)
{
	uint32_t dev = inode->i_sb ? inode->i_sb->s_dev : 0;

	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = BLKSIZE;
	sx->stx_nlink = inode->i_nlink;
	sx->stx_uid = inode->i_uid;
	sx->stx_gid = inode->i_gid;
	sx->stx_mode = (uint16_t)inode->i_mode;
	sx->stx_ino = inode->i_ino;
	sx->stx_size = inode->i_size;
	sx->stx_blocks = blocks_of(inode);
	sx->stx_atime = statx_time(inode->i_atime);
	sx->stx_mtime = statx_time(inode->i_mtime);
	sx->stx_ctime = statx_time(inode->i_ctime);
	sx->stx_rdev_major = MAJOR(inode->i_rdev);
	sx->stx_rdev_minor = MINOR(inode->i_rdev);
	sx->stx_dev_major = MAJOR(dev);
	sx->stx_dev_minor = MINOR(dev);
}

/* The dentry a stat call names (a reference) or ERR_PTR. */
static struct dentry *
stat_target(int dirfd, const char *upath, int flags)
{
	return user_path(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
			 (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0));
}

/* The inode of an open descriptor, for fstat and AT_EMPTY_PATH (a reference). */
static struct inode *
fd_inode(int fd)
{
	struct file *f = fget(fd);
	struct inode *inode;

	if (!f)
		return NULL;
	inode = igrab(f->f_inode);
	fput(f);
	return inode;
}

static long
stat64_to_user(struct inode *inode, void *ust)
{
	struct stat64 st;

	fill_stat64(inode, &st);
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

static long
sys_fstatat64(int dirfd, const char *upath, void *ust, int flags)
{
	struct dentry *d;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH) {
		char c;

		if (copy_from_user(&c, upath, 1))
			return -EFAULT;
		if (c == '\0' && dirfd != AT_FDCWD) {
			struct inode *inode = fd_inode(dirfd);

			if (!inode)
				return -EBADF;
			err = stat64_to_user(inode, ust);
			iput(inode);
			return err;
		}
	}
	d = stat_target(dirfd, upath, flags);
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = stat64_to_user(d->d_inode, ust);
	dput(d);
	return err;
}
static long sys_stat64(const char *p, void *st) { return sys_fstatat64(AT_FDCWD, p, st, 0); }
static long sys_lstat64(const char *p, void *st) { return sys_fstatat64(AT_FDCWD, p, st, AT_SYMLINK_NOFOLLOW); }
SYSCALL_DEFINE(fstatat64, sys_fstatat64);
SYSCALL_DEFINE(stat64, sys_stat64);
SYSCALL_DEFINE(lstat64, sys_lstat64);

static long
sys_fstat64(int fd, void *ust)
{
	struct inode *inode = fd_inode(fd);
	long err;

	if (!inode)
		return -EBADF;
	err = stat64_to_user(inode, ust);
	iput(inode);
	return err;
}
SYSCALL_DEFINE(fstat64, sys_fstat64);

static long
sys_statx(int dirfd, const char *upath, int flags, unsigned mask, void *ubuf)
{
	struct inode *inode = NULL;
	struct dentry *d = NULL;
	struct statx sx;
	char c;

	(void)mask;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (copy_from_user(&c, upath, 1))
		return -EFAULT;
	if ((flags & AT_EMPTY_PATH) && c == '\0' && dirfd != AT_FDCWD) {
		inode = fd_inode(dirfd);
		if (!inode)
			return -EBADF;
	} else {
		d = stat_target(dirfd, upath, flags);
		if (IS_ERR(d))
			return PTR_ERR(d);
		inode = igrab(d->d_inode);
		dput(d);
	}
	fill_statx(inode, &sx);
	iput(inode);
	return copy_to_user(ubuf, &sx, sizeof(sx)) ? -EFAULT : 0;
}
SYSCALL_DEFINE(statx, sys_statx);

/* ---- getdents64 ---------------------------------------------------- */

/* struct linux_dirent64: d_ino, d_off, d_reclen, d_type, d_name[] (8-aligned records) */
struct getdents_ctx {
	struct dir_context ctx;
	char *ubuf;           /* next record goes here */
	size_t left;          /* room in the user buffer */
	int error;            /* EFAULT, or EINVAL if not even one entry fit */
	bool any;             /* at least one record written */
};

static bool
filldir64(struct dir_context *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
	struct getdents_ctx *g = (struct getdents_ctx *)ctx;
	size_t reclen = (19 + len + 1 + 7) & ~7u;
	struct {
		uint64_t d_ino;
		int64_t d_off;
		uint16_t d_reclen;
		uint8_t d_type;
	} __attribute__((packed)) head = { ino, ctx->pos + 1, (uint16_t)reclen, (uint8_t)type };
	char tail[8] = { 0 };

	if (reclen > g->left) {
		if (!g->any)
			g->error = -EINVAL;
		return false;
	}
	if (copy_to_user(g->ubuf, &head, sizeof(head)) ||
	    copy_to_user(g->ubuf + 19, name, len) ||
	    copy_to_user(g->ubuf + 19 + len, tail, reclen - 19 - len)) {
		g->error = -EFAULT;
		return false;
	}
	g->ubuf += reclen;
	g->left -= reclen;
	g->any = true;
	return true;
}

static long
sys_getdents64(int fd, void *ubuf, unsigned count)
{
	struct file *f = fget(fd);
	struct getdents_ctx g = { { filldir64, 0 }, ubuf, count, 0, false };
	long err;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->f_inode->i_mode) || !f->f_op || !f->f_op->iterate) {
		fput(f);
		return -ENOTDIR;
	}
	if (!access_ok(ubuf, count)) {
		fput(f);
		return -EFAULT;
	}
	if (f->f_dentry && (f->f_dentry->d_flags & D_DELETED)) {
		fput(f);
		return -ENOENT;                  /* a removed directory lists nothing */
	}
	g.ctx.pos = f->f_pos;
	err = f->f_op->iterate(f, &g.ctx);
	f->f_pos = g.ctx.pos;
	fput(f);
	if (err)
		return err;
	if (g.error && !(g.error == -EFAULT && g.any))
		return g.error;
	return (long)(count - g.left);
}
SYSCALL_DEFINE(getdents64, sys_getdents64);
