/*
 * fs/open.c — opening and closing files, and the calls that change an
 * inode's attributes: open, openat, creat, close, access, chmod, chown,
 * truncate. Every change to a file system first asks sb_want_write
 * (EROFS on a read-only mount); a file open for writing is counted in its
 * super_block's s_writers (FMODE_WRITER) until its last fput, so that
 * remounting read-only can refuse (EBUSY).
 */
#include <fs/file.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <mm/slab.h>
#include <libk/string.h>

int
do_truncate(struct dentry *d, loff_t size)
{
	struct inode *inode = d->d_inode;
	int err;

	if (size < 0)
		return -EINVAL;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (IS_SWAPFILE(inode))
		return -ETXTBSY;
	err = sb_want_write(inode->i_sb);
	if (err)
		return err;
	if (!inode->i_op || !inode->i_op->truncate)
		return -EPERM;
	mutex_lock(&inode->i_mutex);
	err = inode->i_op->truncate(inode, size);
	if (!err)
		inode->i_mtime = inode->i_ctime = current_time_ns();
	mutex_unlock(&inode->i_mutex);
	return err;
}

/* Whether opening inode with acc may write to its file system (device
 * nodes and FIFOs do not: their data is elsewhere). */
static bool
open_writes_fs(struct inode *inode, int acc)
{
	uint32_t m = inode->i_mode;

	return acc != O_RDONLY && (S_ISREG(m) || S_ISDIR(m) || S_ISLNK(m));
}

/* Checks that flags may open d's inode; 0 or the errno open(2) gives, in
 * Linux's order: O_TRUNC of a regular file needs a writable file system
 * first (EROFS even with O_RDONLY), then the type checks, then write
 * access to the file system (EROFS). */
static int
may_open(struct dentry *d, int flags)
{
	struct inode *inode = d->d_inode;
	int acc = flags & O_ACCMODE;

	if (flags & O_PATH)
		return 0;
	if ((flags & O_TRUNC) && S_ISREG(inode->i_mode) && sb_want_write(inode->i_sb))
		return -EROFS;
	if (S_ISDIR(inode->i_mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (S_ISLNK(inode->i_mode))
		return -ELOOP;
	if (open_writes_fs(inode, acc))
		return sb_want_write(inode->i_sb);
	return 0;
}

struct file *
do_filp_open(int dirfd, const char *path, int flags, uint32_t mode)
{
	struct dentry *d;
	struct file *f;
	bool created;
	int err;

	if ((flags & O_TMPFILE_MASK) == O_TMPFILE_MASK)
		return ERR_PTR(-EOPNOTSUPP);
	d = open_lookup(dirfd, path, flags, mode, &created);
	if (IS_ERR(d))
		return (struct file *)d;
	err = may_open(d, flags);
	if (!err && (flags & O_TRUNC) && !created && (flags & O_ACCMODE) != O_RDONLY &&
	    S_ISREG(d->d_inode->i_mode))
		err = do_truncate(d, 0);
	if (err) {
		dput(d);
		return ERR_PTR(err);
	}
	f = alloc_file(d, d->d_inode, flags, flags & O_PATH ? NULL : d->d_inode->i_fop);
	dput(d);
	if (!f)
		return ERR_PTR(-ENOMEM);
	if ((f->f_mode & FMODE_WRITER) && sb_rdonly(f->f_dentry->d_sb)) {
		/* a remount read-only came between may_open and our count */
		f->f_op = NULL;
		fput(f);
		return ERR_PTR(-EROFS);
	}
	if (f->f_op && f->f_op->open) {
		err = f->f_op->open(f->f_inode, f);
		if (err) {
			f->f_op = NULL;          /* nothing to release */
			fput(f);
			return ERR_PTR(err);
		}
	}
	return f;
}

struct file *
kernel_open(const char *path, int flags, int mode)
{
	return do_filp_open(AT_FDCWD, path, flags, (uint32_t)mode);
}

int
file_check_executable(struct file *f)
{
	struct inode *inode = f->f_inode;

	if (!S_ISREG(inode->i_mode))
		return -EACCES;
	return inode_permission(inode, MAY_EXEC);
}

static long
sys_openat(int dirfd, const char *upath, int flags, uint32_t mode)
{
	char *path = getname(upath);
	struct file *f;

	if (IS_ERR(path))
		return PTR_ERR(path);
	f = do_filp_open(dirfd, path, flags, mode);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	return fd_install_new(f, 0, flags & O_CLOEXEC);
}
static long sys_open(const char *p, int flags, uint32_t mode) { return sys_openat(AT_FDCWD, p, flags, mode); }
static long sys_creat(const char *p, uint32_t mode) { return sys_openat(AT_FDCWD, p, O_CREAT | O_WRONLY | O_TRUNC, mode); }
SYSCALL_DEFINE(openat, sys_openat);
SYSCALL_DEFINE(open, sys_open);
SYSCALL_DEFINE(creat, sys_creat);

static long sys_close(int fd) { return close_fd(fd); }
SYSCALL_DEFINE(close, sys_close);

/* ---- access, chmod, chown ------------------------------------------ */

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
#define AT_EACCESS 0x200

static long
sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	struct dentry *d;
	long err;

	if (mode & ~(F_OK | X_OK | W_OK | R_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	d = user_path(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
		      (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0));
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = (mode & X_OK) ? inode_permission(d->d_inode, MAY_EXEC) : 0;
	dput(d);
	return err;
}
static long sys_faccessat(int dirfd, const char *p, int mode) { return sys_faccessat2(dirfd, p, mode, 0); }
static long sys_access(const char *p, int mode) { return sys_faccessat2(AT_FDCWD, p, mode, 0); }
SYSCALL_DEFINE(faccessat2, sys_faccessat2);
SYSCALL_DEFINE(faccessat, sys_faccessat);
SYSCALL_DEFINE(access, sys_access);

static void
set_mode(struct inode *inode, uint32_t mode)
{
	inode->i_mode = (inode->i_mode & S_IFMT) | (mode & 07777);
	inode->i_ctime = current_time_ns();
}

static long
sys_fchmodat(int dirfd, const char *upath, uint32_t mode)
{
	struct dentry *d = user_path(dirfd, upath, LOOKUP_FOLLOW);
	long err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = sb_want_write(d->d_inode->i_sb);
	if (!err)
		set_mode(d->d_inode, mode);
	dput(d);
	return err;
}
static long sys_chmod(const char *p, uint32_t mode) { return sys_fchmodat(AT_FDCWD, p, mode); }
SYSCALL_DEFINE(fchmodat, sys_fchmodat);
SYSCALL_DEFINE(chmod, sys_chmod);

static long
sys_fchmod(int fd, uint32_t mode)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = sb_want_write(f->f_inode->i_sb);
	if (!err)
		set_mode(f->f_inode, mode);
	fput(f);
	return err;
}
SYSCALL_DEFINE(fchmod, sys_fchmod);

static void
set_owner(struct inode *inode, uint32_t uid, uint32_t gid)
{
	if (uid != (uint32_t)-1)
		inode->i_uid = uid;
	if (gid != (uint32_t)-1)
		inode->i_gid = gid;
	inode->i_ctime = current_time_ns();
}

static long
sys_fchownat(int dirfd, const char *upath, uint32_t uid, uint32_t gid, int flags)
{
	struct dentry *d;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	d = user_path(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
		      (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0));
	if (IS_ERR(d))
		return PTR_ERR(d);
	err = sb_want_write(d->d_inode->i_sb);
	if (!err)
		set_owner(d->d_inode, uid, gid);
	dput(d);
	return err;
}
static long sys_chown32(const char *p, uint32_t u, uint32_t g) { return sys_fchownat(AT_FDCWD, p, u, g, 0); }
static long sys_lchown32(const char *p, uint32_t u, uint32_t g) { return sys_fchownat(AT_FDCWD, p, u, g, AT_SYMLINK_NOFOLLOW); }
SYSCALL_DEFINE(fchownat, sys_fchownat);
SYSCALL_DEFINE(chown32, sys_chown32);
SYSCALL_DEFINE(lchown32, sys_lchown32);

static long
sys_fchown32(int fd, uint32_t uid, uint32_t gid)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = sb_want_write(f->f_inode->i_sb);
	if (!err)
		set_owner(f->f_inode, uid, gid);
	fput(f);
	return err;
}
SYSCALL_DEFINE(fchown32, sys_fchown32);

/* ---- truncate ------------------------------------------------------ */

static long
do_sys_truncate(const char *upath, loff_t length)
{
	struct dentry *d = user_path(AT_FDCWD, upath, LOOKUP_FOLLOW);
	long err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = do_truncate(d, length);
	dput(d);
	return err;
}

static long
do_sys_ftruncate(int fd, loff_t length)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	if (!(f->f_mode & FMODE_WRITE) || !f->f_dentry)
		err = S_ISDIR(f->f_inode->i_mode) ? -EISDIR : -EINVAL;
	else if (f->f_flags & O_APPEND)
		err = -EPERM;
	else
		err = do_truncate(f->f_dentry, length);
	fput(f);
	return err;
}

static loff_t join64(uint32_t lo, uint32_t hi) { return (loff_t)(((uint64_t)hi << 32) | lo); }
static long sys_truncate(const char *p, long len) { return do_sys_truncate(p, len); }
static long sys_ftruncate(int fd, long len) { return do_sys_ftruncate(fd, len); }
static long sys_truncate64(const char *p, uint32_t lo, uint32_t hi) { return do_sys_truncate(p, join64(lo, hi)); }
static long sys_ftruncate64(int fd, uint32_t lo, uint32_t hi) { return do_sys_ftruncate(fd, join64(lo, hi)); }
SYSCALL_DEFINE(truncate, sys_truncate);
SYSCALL_DEFINE(ftruncate, sys_ftruncate);
SYSCALL_DEFINE(truncate64, sys_truncate64);
SYSCALL_DEFINE(ftruncate64, sys_ftruncate64);
