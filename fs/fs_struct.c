/*
 * fs/fs_struct.c — each process's root, working directory and umask, and
 * the calls that read and change them: chdir, fchdir, getcwd, umask,
 * chroot.
 */
#include <fs/fs_struct.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <mm/slab.h>



struct fs_struct *
fs_struct_alloc_root(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->count = 1;
	fs->root = dget(root_dentry);
	fs->pwd = dget(root_dentry);
	fs->umask = 022;
	return fs;
}

struct fs_struct *
fs_struct_dup(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->count = 1;
	fs->root = dget(old->root);
	fs->pwd = dget(old->pwd);
	fs->umask = old->umask;
	return fs;
}

void
fs_struct_put(struct fs_struct *fs)
{
	if (--fs->count > 0)
		return;
	dput(fs->root);
	dput(fs->pwd);
	kfree(fs);
}

/* Makes d (a reference, consumed) the working directory. */
static long
set_pwd(struct dentry *d)
{
	struct fs_struct *fs = current->fs;
	int err = inode_permission(d->d_inode, MAY_EXEC);

	if (err) {
		dput(d);
		return err;
	}
	dput(fs->pwd);
	fs->pwd = d;
	return 0;
}

static long
sys_chdir(const char *upath)
{
	struct dentry *d = user_path(AT_FDCWD, upath, LOOKUP_FOLLOW | LOOKUP_DIRECTORY);

	return IS_ERR(d) ? PTR_ERR(d) : set_pwd(d);
}
SYSCALL_DEFINE(chdir, sys_chdir);

static long
sys_fchdir(int fd)
{
	struct file *f = fget(fd);
	struct dentry *d;

	if (!f)
		return -EBADF;
	d = f->f_dentry ? dget(f->f_dentry) : NULL;
	fput(f);
	if (!d || !S_ISDIR(d->d_inode->i_mode)) {
		if (d)
			dput(d);
		return -ENOTDIR;
	}
	return set_pwd(d);
}
SYSCALL_DEFINE(fchdir, sys_fchdir);

static long
sys_chroot(const char *upath)
{
	struct dentry *d = user_path(AT_FDCWD, upath, LOOKUP_FOLLOW | LOOKUP_DIRECTORY);

	if (IS_ERR(d))
		return PTR_ERR(d);
	dput(current->fs->root);
	current->fs->root = d;
	return 0;
}
SYSCALL_DEFINE(chroot, sys_chroot);

/* Linux's getcwd returns the length including the NUL. */
static long
sys_getcwd(char *ubuf, unsigned long size)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	int len;

	if (!buf)
		return -ENOMEM;
	len = d_path(current->fs->pwd, current->fs->root, buf, PATH_MAX);
	if (len >= 0 && (unsigned long)len + 1 > size)
		len = -ERANGE;
	if (len >= 0 && copy_to_user(ubuf, buf, len + 1))
		len = -EFAULT;
	kfree(buf);
	return len < 0 ? len : len + 1;
}
SYSCALL_DEFINE(getcwd, sys_getcwd);

static long
sys_umask(uint32_t mask)
{
	uint32_t old = current->fs->umask;

	current->fs->umask = mask & 0777;
	return old;
}
SYSCALL_DEFINE(umask, sys_umask);
