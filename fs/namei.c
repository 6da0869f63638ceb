/*
 * fs/namei.c — turning path names into dentries, and the system calls
 * that add, remove and rename names (mkdir, unlink, rmdir, rename, link,
 * symlink, readlink, mknod).
 *
 * A walk starts at the process's root ("/...") or at a directory (the cwd
 * or a dirfd) and takes one component at a time: "." stays, ".." goes up
 * (never above the root, and across a mount back to the mountpoint's
 * parent), a name is looked up in the dentry cache and then asked of the
 * file system. A mountpoint leads to the root of what is mounted on it; a
 * symlink is read and walked from the directory that holds it, at most
 * MAX_NESTED_LINKS deep and MAX_LINKS in all (ELOOP).
 *
 * Errors are Linux's: ENOENT for a missing component or an empty path,
 * ENOTDIR when a non-directory is walked through (or named with a
 * trailing slash), ENAMETOOLONG for a component over NAME_MAX.
 *
 * Every call that adds, removes or renames a name asks sb_want_write
 * (fs/vfs.h) first and fails with EROFS on a read-only mount, at the
 * point Linux does (after EEXIST for a name that exists; before ENOENT
 * for unlink, rmdir and rename, which Linux checks before the lookup).
 *
 * Locking: the walk and every change of the tree run under
 * namespace_mutex; negative dentries made by a failed lookup are freed
 * before it is released, so directory lists change only under it.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/fs_struct.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <mm/slab.h>
#include <libk/string.h>

#define MAX_NESTED_LINKS 8
#define MAX_LINKS        40

struct nameidata {
	struct dentry *root;     /* the process's root: ".." stops here */
	int links;               /* symlinks followed so far */
	int nesting;             /* symlinks being walked inside each other */
};

static struct dentry *walk(struct nameidata *nd, struct dentry *start,
			   const char *path, unsigned flags);

/* Kernel threads (the boot thread unpacking the initrd) have no fs_struct:
 * they work from the global root. */
static struct dentry *
fs_root(void)
{
	return current->fs ? current->fs->root : root_dentry;
}

static struct dentry *
fs_pwd(void)
{
	return current->fs ? current->fs->pwd : root_dentry;
}

static bool
is_dir(struct dentry *d)
{
	return d->d_inode && S_ISDIR(d->d_inode->i_mode);
}

/* Follows mounts on d: returns the dentry to use in its place (a reference). */
static struct dentry *
follow_mounts(struct dentry *d)
{
	while (d->d_mounted) {
		struct dentry *next = dget(d->d_mounted);

		dput(d);
		d = next;
	}
	return d;
}

static struct dentry *
step_up(struct nameidata *nd, struct dentry *d)
{
	while (d != nd->root && d->d_parent == d && d->d_mountpoint)
		d = d->d_mountpoint;            /* a mounted root: leave the mount */
	if (d == nd->root)
		return dget(d);
	return dget(d->d_parent);
}

/*
 * The child called name of dir (a reference), asking the file system if
 * it is not cached; ERR_PTR(-ENOENT) if there is none. With want_negative
 * a missing name gives the negative dentry instead, for creating it.
 */
static struct dentry *
lookup_one(struct dentry *dir, const char *name, size_t len, bool want_negative)
{
	struct inode *inode = dir->d_inode;
	struct dentry *d;
	int err;

	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d = d_find_child(dir, name, len);
	if (!d) {
		d = d_alloc(dir, name, len);
		if (!d)
			return ERR_PTR(-ENOMEM);
		err = inode->i_op && inode->i_op->lookup ? inode->i_op->lookup(inode, d) : 0;
		if (err) {
			dput(d);
			return ERR_PTR(err);
		}
	}
	if (!d->d_inode && !want_negative) {
		dput(d);
		return ERR_PTR(-ENOENT);
	}
	return d;
}

/* Walks the target of symlink link, which sits in dir. */
static struct dentry *
follow_link(struct nameidata *nd, struct dentry *dir, struct dentry *link, unsigned flags)
{
	struct inode *inode = link->d_inode;
	struct dentry *result;
	char *target;
	int len;

	if (++nd->links > MAX_LINKS || nd->nesting >= MAX_NESTED_LINKS)
		return ERR_PTR(-ELOOP);
	if (!inode->i_op || !inode->i_op->readlink)
		return ERR_PTR(-EINVAL);
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target)
		return ERR_PTR(-ENOMEM);
	len = inode->i_op->readlink(link, target, PATH_MAX - 1);
	if (len < 0) {
		kfree(target);
		return ERR_PTR(len);
	}
	target[len] = '\0';
	nd->nesting++;
	result = len ? walk(nd, dir, target, flags) : ERR_PTR(-ENOENT);
	nd->nesting--;
	kfree(target);
	return result;
}

/* Splits off the next component of *p; returns its length, 0 at the end. */
static size_t
next_component(const char **p, const char **name)
{
	const char *s = *p;
	size_t len = 0;

	while (*s == '/')
		s++;
	*name = s;
	while (s[len] && s[len] != '/')
		len++;
	*p = s + len;
	return len;
}

static bool
only_slashes_left(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

/*
 * Walks path from start (or the root for an absolute path) to a positive
 * dentry (a reference). LOOKUP_FOLLOW follows a final symlink; a trailing
 * slash demands a directory and follows it too.
 */
static struct dentry *
walk(struct nameidata *nd, struct dentry *start, const char *path, unsigned flags)
{
	struct dentry *d = dget(*path == '/' ? nd->root : start);
	const char *p = path, *name;
	size_t len;

	d = follow_mounts(d);
	while ((len = next_component(&p, &name))) {
		bool last = only_slashes_left(p);
		bool trailing_slash = last && *p == '/';
		struct dentry *next;

		if (!is_dir(d)) {
			dput(d);
			return ERR_PTR(-ENOTDIR);
		}
		if (len == 1 && name[0] == '.') {
			next = dget(d);
		} else if (len == 2 && name[0] == '.' && name[1] == '.') {
			next = step_up(nd, d);
		} else {
			next = lookup_one(d, name, len, false);
			if (!IS_ERR(next))
				next = follow_mounts(next);
		}
		if (!IS_ERR(next) && S_ISLNK(next->d_inode->i_mode) &&
		    (!last || (flags & LOOKUP_FOLLOW) || trailing_slash)) {
			struct dentry *target = follow_link(nd, d, next, LOOKUP_FOLLOW);

			dput(next);
			next = target;
		}
		dput(d);
		if (IS_ERR(next))
			return next;
		d = next;
		if (trailing_slash && !is_dir(d)) {
			dput(d);
			return ERR_PTR(-ENOTDIR);
		}
	}
	if ((flags & LOOKUP_DIRECTORY) && !is_dir(d)) {
		dput(d);
		return ERR_PTR(-ENOTDIR);
	}
	return d;
}

/* The directory a relative path starts from: the cwd or dirfd's (a reference). */
static struct dentry *
start_dir(int dirfd)
{
	struct file *f;
	struct dentry *d;

	if (dirfd == AT_FDCWD)
		return dget(fs_pwd());
	f = fget(dirfd);
	if (!f)
		return ERR_PTR(-EBADF);
	d = f->f_dentry ? dget(f->f_dentry) : NULL;
	fput(f);
	return d ? d : ERR_PTR(-ENOTDIR);
}

struct dentry *
kern_path(int dirfd, const char *path, unsigned flags)
{
	struct nameidata nd = { .root = fs_root() };
	struct dentry *start, *d;

	if (!*path && !(flags & LOOKUP_EMPTY))
		return ERR_PTR(-ENOENT);
	start = *path == '/' ? dget(nd.root) : start_dir(dirfd);
	if (IS_ERR(start))
		return start;
	if (!*path) {                    /* AT_EMPTY_PATH: dirfd itself */
		return start;
	}
	if (!is_dir(start)) {
		dput(start);
		return ERR_PTR(-ENOTDIR);
	}
	mutex_lock(&namespace_mutex);
	d = walk(&nd, start, path, flags);
	mutex_unlock(&namespace_mutex);
	dput(start);
	return d;
}

/* Copies a user path into a kmalloc'd PATH_MAX buffer, or ERR_PTR. */
char *
getname(const char *upath)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, upath, PATH_MAX);
	if (len < 0) {
		kfree(name);
		return ERR_PTR(len);
	}
	return name;
}

struct dentry *
user_path(int dirfd, const char *upath, unsigned flags)
{
	char *name = getname(upath);
	struct dentry *d;

	if (IS_ERR(name))
		return (struct dentry *)name;
	d = kern_path(dirfd, name, flags);
	kfree(name);
	return d;
}

/*
 * For calls that create or remove a name: the parent directory and the
 * final component's dentry (negative if the name does not exist). Runs
 * with namespace_mutex held, which the caller keeps until it is done and
 * then calls end_create(). A trailing slash is reported in *dir_only.
 */
struct create_ctx {
	struct dentry *parent;
	struct dentry *child;
	bool dir_only;           /* the name ended in '/' */
	bool dots;               /* the last component was "." or ".." */
};

static int
begin_create(int dirfd, const char *path, struct create_ctx *c)
{
	struct nameidata nd = { .root = fs_root() };
	struct dentry *start;
	char *copy;
	size_t len;
	int err = 0;

	memset(c, 0, sizeof(*c));
	if (!*path)
		return -ENOENT;
	start = *path == '/' ? dget(nd.root) : start_dir(dirfd);
	if (IS_ERR(start))
		return PTR_ERR(start);
	copy = kmalloc(strlen(path) + 1, GFP_KERNEL);
	if (!copy) {
		dput(start);
		return -ENOMEM;
	}
	strcpy(copy, path);
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/') {
		copy[--len] = '\0';
		c->dir_only = true;
	}
	char *slash = strrchr(copy, '/');
	const char *last = slash ? slash + 1 : copy;

	mutex_lock(&namespace_mutex);
	if (slash == copy)
		c->parent = follow_mounts(dget(nd.root));
	else if (slash) {
		*slash = '\0';
		c->parent = walk(&nd, start, copy, LOOKUP_FOLLOW | LOOKUP_DIRECTORY);
	} else {
		c->parent = is_dir(start) ? follow_mounts(dget(start)) : ERR_PTR(-ENOTDIR);
	}
	if (IS_ERR(c->parent)) {
		err = PTR_ERR(c->parent);
	} else if (!*last) {                     /* the path was "/" */
		c->child = dget(c->parent);
		c->dots = true;
	} else if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
		c->child = last[1] ? step_up(&nd, c->parent) : dget(c->parent);
		c->dots = true;
	} else {
		c->child = lookup_one(c->parent, last, strlen(last), true);
		if (IS_ERR(c->child))
			err = PTR_ERR(c->child);
	}
	if (err) {
		if (!IS_ERR(c->parent))
			dput(c->parent);
		mutex_unlock(&namespace_mutex);
		c->parent = c->child = NULL;
	}
	kfree(copy);
	dput(start);
	return err;
}

static void
end_create(struct create_ctx *c)
{
	dput(c->child);          /* a negative child is freed here, under the mutex */
	dput(c->parent);
	mutex_unlock(&namespace_mutex);
}

static int
begin_create_user(int dirfd, const char *upath, struct create_ctx *c)
{
	char *name = getname(upath);
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = begin_create(dirfd, name, c);
	kfree(name);
	return err;
}

/* begin_create for a user-space path (user) or a kernel one. */
static int
begin_create_from(int dirfd, const char *path, struct create_ctx *c, bool user)
{
	return user ? begin_create_user(dirfd, path, c) : begin_create(dirfd, path, c);
}

static uint32_t
apply_umask(uint32_t mode)
{
	return current->fs ? mode & ~current->fs->umask : mode;
}

/* ---- creating names ------------------------------------------------ */

static int
create_node(struct create_ctx *c, uint32_t mode, uint32_t rdev, const char *link_target)
{
	struct inode *dir = c->parent->d_inode;
	const struct inode_operations *op = dir->i_op;
	int err;

	if (c->child->d_inode)
		return -EEXIST;
	if (c->dir_only && !S_ISDIR(mode))
		return -ENOENT;
	if (c->parent->d_flags & D_DELETED)
		return -ENOENT;
	err = sb_want_write(c->parent->d_sb);
	if (err)
		return err;
	if (S_ISDIR(mode))
		return op && op->mkdir ? op->mkdir(dir, c->child, mode) : -EPERM;
	if (link_target)
		return op && op->symlink ? op->symlink(dir, c->child, link_target) : -EPERM;
	if (S_ISREG(mode) && !rdev)
		return op && op->create ? op->create(dir, c->child, mode) : -EACCES;
	return op && op->mknod ? op->mknod(dir, c->child, mode, rdev) : -EPERM;
}

static int
do_mkdirat(int dirfd, const char *path, uint32_t mode, bool user)
{
	struct create_ctx c;
	int err = user ? begin_create_user(dirfd, path, &c) : begin_create(dirfd, path, &c);

	if (err)
		return err;
	err = c.dots ? -EEXIST : create_node(&c, S_IFDIR | apply_umask(mode & 07777), 0, NULL);
	end_create(&c);
	return err;
}

int
vfs_mkdir_path(const char *path, uint32_t mode)
{
	return do_mkdirat(AT_FDCWD, path, mode, false);
}

static long sys_mkdirat(int dirfd, const char *path, uint32_t mode) { return do_mkdirat(dirfd, path, mode, true); }
static long sys_mkdir(const char *path, uint32_t mode) { return do_mkdirat(AT_FDCWD, path, mode, true); }
SYSCALL_DEFINE(mkdirat, sys_mkdirat);
SYSCALL_DEFINE(mkdir, sys_mkdir);

static int
do_mknodat(int dirfd, const char *path, uint32_t mode, uint32_t dev, bool user)
{
	struct create_ctx c;
	int err;

	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	err = user ? begin_create_user(dirfd, path, &c) : begin_create(dirfd, path, &c);
	if (err)
		return err;
	err = c.dots ? -EEXIST : create_node(&c, (mode & S_IFMT) | apply_umask(mode & 07777), dev, NULL);
	end_create(&c);
	return err;
}

int
vfs_mknod_path(const char *path, uint32_t mode, uint32_t rdev)
{
	return do_mknodat(AT_FDCWD, path, mode, rdev, false);
}

static long sys_mknodat(int dirfd, const char *path, uint32_t mode, uint32_t dev) { return do_mknodat(dirfd, path, mode, dev, true); }
static long sys_mknod(const char *path, uint32_t mode, uint32_t dev) { return do_mknodat(AT_FDCWD, path, mode, dev, true); }
SYSCALL_DEFINE(mknodat, sys_mknodat);
SYSCALL_DEFINE(mknod, sys_mknod);

static int
do_symlinkat(const char *target, int dirfd, const char *path)
{
	struct create_ctx c;
	int err;

	if (!*target)
		return -ENOENT;
	err = begin_create(dirfd, path, &c);
	if (err)
		return err;
	err = c.dots ? -EEXIST : create_node(&c, S_IFLNK | 0777, 0, target);
	end_create(&c);
	return err;
}

int
vfs_symlink_path(const char *target, const char *path)
{
	return do_symlinkat(target, AT_FDCWD, path);
}

static long
sys_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	char *target = getname(utarget), *path;
	long err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	path = getname(upath);
	err = IS_ERR(path) ? PTR_ERR(path) : do_symlinkat(target, dirfd, path);
	if (!IS_ERR(path))
		kfree(path);
	kfree(target);
	return err;
}
static long sys_symlink(const char *t, const char *p) { return sys_symlinkat(t, AT_FDCWD, p); }
SYSCALL_DEFINE(symlinkat, sys_symlinkat);
SYSCALL_DEFINE(symlink, sys_symlink);

static long
do_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew, int flags, bool user)
{
	struct dentry *old;
	struct create_ctx c;
	unsigned lookup = (flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0) |
			  (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0);
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	old = user ? user_path(olddirfd, uold, lookup) : kern_path(olddirfd, uold, lookup);
	if (IS_ERR(old))
		return PTR_ERR(old);
	err = begin_create_from(newdirfd, unew, &c, user);
	if (err) {
		dput(old);
		return err;
	}
	struct inode *dir = c.parent->d_inode;

	if (c.dots || c.child->d_inode)
		err = -EEXIST;
	else if ((err = sb_want_write(c.parent->d_sb)))
		;                               /* EROFS */
	else if (S_ISDIR(old->d_inode->i_mode))
		err = -EPERM;
	else if (old->d_sb != c.parent->d_sb)
		err = -EXDEV;
	else if (!dir->i_op || !dir->i_op->link)
		err = -EPERM;
	else
		err = dir->i_op->link(old, dir, c.child);
	end_create(&c);
	dput(old);
	return err;
}
static long sys_linkat(int od, const char *o, int nd, const char *n, int flags) { return do_linkat(od, o, nd, n, flags, true); }
static long sys_link(const char *o, const char *n) { return sys_linkat(AT_FDCWD, o, AT_FDCWD, n, 0); }
int vfs_link_path(const char *old, const char *new) { return (int)do_linkat(AT_FDCWD, old, AT_FDCWD, new, 0, false); }
SYSCALL_DEFINE(linkat, sys_linkat);
SYSCALL_DEFINE(link, sys_link);

/* ---- removing names ------------------------------------------------ */

static bool
dir_is_empty(struct dentry *d)
{
	struct dentry *child;

	list_for_each_entry(child, &d->d_subdirs, d_child)
		if (child->d_inode)
			return false;
	return true;
}

static bool
is_mount_point_or_root(struct dentry *d)
{
	return d->d_mounted || d->d_parent == d;
}

static long
do_rmdir(int dirfd, const char *upath, bool user)
{
	struct create_ctx c;
	long err = begin_create_from(dirfd, upath, &c, user);

	if (err)
		return err;
	struct inode *dir = c.parent->d_inode;

	if (c.dots)
		err = c.child == c.parent ? -EINVAL : -ENOTEMPTY;
	else if ((err = sb_want_write(c.parent->d_sb)))
		;                               /* EROFS, before the name is looked at */
	else if (!c.child->d_inode)
		err = -ENOENT;
	else if (!S_ISDIR(c.child->d_inode->i_mode))
		err = -ENOTDIR;
	else if (is_mount_point_or_root(c.child) || c.child == fs_root())
		err = -EBUSY;
	else if (!dir_is_empty(c.child))
		err = -ENOTEMPTY;
	else if (!dir->i_op || !dir->i_op->rmdir)
		err = -EPERM;
	else
		err = dir->i_op->rmdir(dir, c.child);
	end_create(&c);
	return err;
}

static long
do_unlink(int dirfd, const char *upath, bool user)
{
	struct create_ctx c;
	long err = begin_create_from(dirfd, upath, &c, user);

	if (err)
		return err;
	struct inode *dir = c.parent->d_inode;

	if (c.dots)
		err = -EISDIR;
	else if ((err = sb_want_write(c.parent->d_sb)))
		;                               /* EROFS, before the name is looked at */
	else if (!c.child->d_inode)
		err = -ENOENT;
	else if (S_ISDIR(c.child->d_inode->i_mode))
		err = -EISDIR;
	else if (c.dir_only)
		err = -ENOTDIR;
	else if (c.child->d_mounted)
		err = -EBUSY;
	else if (!dir->i_op || !dir->i_op->unlink)
		err = -EPERM;
	else
		err = dir->i_op->unlink(dir, c.child);
	end_create(&c);
	return err;
}

static long
sys_unlinkat(int dirfd, const char *path, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return flags & AT_REMOVEDIR ? do_rmdir(dirfd, path, true) : do_unlink(dirfd, path, true);
}
static long sys_unlink(const char *path) { return do_unlink(AT_FDCWD, path, true); }
static long sys_rmdir(const char *path) { return do_rmdir(AT_FDCWD, path, true); }
int vfs_unlink_path(const char *path) { return (int)do_unlink(AT_FDCWD, path, false); }
int vfs_rmdir_path(const char *path) { return (int)do_rmdir(AT_FDCWD, path, false); }
SYSCALL_DEFINE(unlinkat, sys_unlinkat);
SYSCALL_DEFINE(unlink, sys_unlink);
SYSCALL_DEFINE(rmdir, sys_rmdir);

/* ---- rename -------------------------------------------------------- */

static bool
is_ancestor(struct dentry *a, struct dentry *d)
{
	for (;;) {
		if (d == a)
			return true;
		if (d->d_parent == d)
			return false;
		d = d->d_parent;
	}
}

/* The checks rename(2) makes before asking the file system; 0 if it may go ahead. */
static int
rename_checks(struct dentry *old, struct dentry *new, struct dentry *new_parent)
{
	struct inode *src = old->d_inode, *dst = new->d_inode;

	if (!src)
		return -ENOENT;
	if (old->d_sb != new_parent->d_sb)
		return -EXDEV;
	if (is_mount_point_or_root(old) || (dst && is_mount_point_or_root(new)))
		return -EBUSY;
	if (S_ISDIR(src->i_mode) && is_ancestor(old, new_parent))
		return -EINVAL;
	if (dst && S_ISDIR(src->i_mode) && !S_ISDIR(dst->i_mode))
		return -ENOTDIR;
	if (dst && !S_ISDIR(src->i_mode) && S_ISDIR(dst->i_mode))
		return -EISDIR;
	if (dst && S_ISDIR(dst->i_mode) && !dir_is_empty(new))
		return -ENOTEMPTY;
	return 0;
}

#define RENAME_NOREPLACE 1u

static long
do_renameat2(int olddirfd, const char *uold, int newdirfd, const char *unew, unsigned flags,
	     bool user)
{
	struct create_ctx o, n;
	long err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	err = begin_create_from(olddirfd, uold, &o, user);
	if (err)
		return err;
	/* Both lookups must hold the mutex at once: take the old one's
	 * dentries, release, then look both up again under one hold. */
	struct dentry *op = dget(o.parent), *oc = dget(o.child);
	bool odots = o.dots, o_dir_only = o.dir_only;

	end_create(&o);
	err = begin_create_from(newdirfd, unew, &n, user);
	if (err) {
		dput(oc);
		dput(op);
		return err;
	}
	struct inode *old_dir = op->d_inode, *new_dir = n.parent->d_inode;

	if (odots || n.dots)
		err = -EBUSY;
	else if (op->d_sb != n.parent->d_sb)
		err = -EXDEV;
	else if ((err = sb_want_write(op->d_sb)))
		;                               /* EROFS, before the names are looked at */
	else if (!oc->d_inode || (oc->d_flags & D_DELETED) || oc->d_parent != op)
		err = -ENOENT;
	else if ((o_dir_only || n.dir_only) && !S_ISDIR(oc->d_inode->i_mode))
		err = -ENOTDIR;
	else if (n.child->d_inode && (flags & RENAME_NOREPLACE))
		err = -EEXIST;
	else if (oc == n.child)
		err = 0;                        /* same name: nothing to do */
	else if (oc->d_inode == n.child->d_inode)
		err = 0;                        /* hard links to one inode: POSIX says do nothing */
	else if (!(err = rename_checks(oc, n.child, n.parent)))
		err = old_dir->i_op && old_dir->i_op->rename ?
			old_dir->i_op->rename(old_dir, oc, new_dir, n.child) : -EPERM;
	end_create(&n);
	dput(oc);
	dput(op);
	return err;
}
static long sys_renameat2(int od, const char *o, int nd, const char *n, unsigned flags) { return do_renameat2(od, o, nd, n, flags, true); }
static long sys_renameat(int od, const char *o, int nd, const char *n) { return sys_renameat2(od, o, nd, n, 0); }
int vfs_rename_path(const char *old, const char *new) { return (int)do_renameat2(AT_FDCWD, old, AT_FDCWD, new, 0, false); }
static long sys_rename(const char *o, const char *n) { return sys_renameat2(AT_FDCWD, o, AT_FDCWD, n, 0); }
SYSCALL_DEFINE(renameat2, sys_renameat2);
SYSCALL_DEFINE(renameat, sys_renameat);
SYSCALL_DEFINE(rename, sys_rename);

/* ---- readlink ------------------------------------------------------ */

static long
sys_readlinkat(int dirfd, const char *upath, char *ubuf, int size)
{
	struct dentry *d;
	char *buf;
	long len;

	if (size <= 0)
		return -EINVAL;
	d = user_path(dirfd, upath, LOOKUP_EMPTY);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (!S_ISLNK(d->d_inode->i_mode) || !d->d_inode->i_op || !d->d_inode->i_op->readlink) {
		dput(d);
		return -EINVAL;
	}
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	len = buf ? d->d_inode->i_op->readlink(d, buf, PATH_MAX) : -ENOMEM;
	if (len > size)
		len = size;
	if (len > 0 && copy_to_user(ubuf, buf, len))
		len = -EFAULT;
	kfree(buf);
	dput(d);
	return len;
}
static long sys_readlink(const char *p, char *b, int n) { return sys_readlinkat(AT_FDCWD, p, b, n); }
SYSCALL_DEFINE(readlinkat, sys_readlinkat);
SYSCALL_DEFINE(readlink, sys_readlink);

/* ---- opening with O_CREAT -------------------------------------------- */

static struct dentry *open_lookup_links(int dirfd, const char *path, int flags, uint32_t mode,
					bool *created, int links);

/*
 * O_CREAT met an existing symlink, link: open what it points to, creating
 * it if it does not exist, as Linux does (a dangling link creates its
 * target). The target is resolved from the link's directory: its path is
 * built (d_path) and walked again, links counting towards MAX_LINKS.
 */
static struct dentry *
open_through_link(struct dentry *link, int flags, uint32_t mode, bool *created, int links)
{
	char *path = kmalloc(2 * PATH_MAX, GFP_KERNEL), *target;
	struct dentry *d;
	int n, len;

	if (!path)
		return ERR_PTR(-ENOMEM);
	target = path + PATH_MAX;
	n = link->d_inode->i_op->readlink(link, target, PATH_MAX - 1);
	if (n >= 0) {
		target[n] = '\0';
		len = 0;
		if (target[0] != '/')
			len = d_path(link->d_parent, fs_root(), path, PATH_MAX);
		if (len >= 0 && (size_t)len + 1 + (size_t)n < PATH_MAX) {
			if (len && path[len - 1] != '/')
				path[len++] = '/';
			memcpy(path + len, target, (size_t)n + 1);
			d = open_lookup_links(AT_FDCWD, path, flags, mode, created, links + 1);
		} else {
			d = ERR_PTR(len < 0 ? len : -ENAMETOOLONG);
		}
	} else {
		d = ERR_PTR(n);
	}
	kfree(path);
	return d;
}

/*
 * The dentry open(2) should open (a reference): looked up, or created
 * when O_CREAT asks for it. *created tells O_TRUNC it need not bother.
 */
struct dentry *
open_lookup(int dirfd, const char *path, int flags, uint32_t mode, bool *created)
{
	return open_lookup_links(dirfd, path, flags, mode, created, 0);
}

static struct dentry *
open_lookup_links(int dirfd, const char *path, int flags, uint32_t mode, bool *created, int links)
{
	struct create_ctx c;
	struct dentry *d;
	int err;

	*created = false;
	if (!(flags & O_CREAT)) {
		d = kern_path(dirfd, path, (flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
			      (flags & O_DIRECTORY ? LOOKUP_DIRECTORY : 0));
		if (!IS_ERR(d) && S_ISLNK(d->d_inode->i_mode) && !(flags & O_PATH)) {
			dput(d);
			return ERR_PTR(-ELOOP);
		}
		return d;
	}
	err = begin_create(dirfd, path, &c);
	if (err)
		return ERR_PTR(err);
	if (c.dots || (c.child->d_inode && S_ISDIR(c.child->d_inode->i_mode))) {
		err = -EISDIR;
	} else if (c.child->d_inode) {
		if (flags & O_EXCL)
			err = -EEXIST;
	} else if (c.dir_only) {
		err = -EISDIR;
	} else {
		err = create_node(&c, S_IFREG | apply_umask(mode & 07777), 0, NULL);
		*created = !err;
	}
	d = err ? ERR_PTR(err) : dget(c.child);
	end_create(&c);
	if (!IS_ERR(d) && S_ISLNK(d->d_inode->i_mode)) {
		/* an existing symlink: open (or create) what it points to */
		struct dentry *target = (flags & O_NOFOLLOW) || links >= MAX_LINKS ? ERR_PTR(-ELOOP)
					: open_through_link(d, flags, mode, created, links);

		dput(d);
		d = target;
	}
	return d;
}
