/*
 * fs/ramfs.c — a file system that lives only in memory: the root file
 * system, into which the initrd is unpacked, and /tmp.
 *
 * The dentry cache is the directory structure (every ramfs dentry is
 * pinned by one extra reference from creation until unlink), so lookup
 * has nothing to find beyond what is cached. A regular file's contents
 * are its page cache and nothing else, as in Linux's ramfs: read, write
 * and mmap are the generic page-cache ones (mm/filemap.c); a page never
 * written (a hole) reads as zeros; there is no writepage, so the pages
 * stay until the file shrinks or goes. A symlink keeps its target string.
 *
 * Locking: that of the page cache (mm/filemap.h): i_mutex serialises
 * writes and truncate of one file.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <mm/slab.h>
#include <libk/string.h>


/* A directory's size grows by this much per name in it, as tmpfs's does
 * (Linux's BOGO_DIRENT_SIZE): programs expect a non-empty directory to
 * have a size. */
#define BOGO_DIRENT_SIZE 20

static const struct inode_operations ramfs_dir_iops;
static const struct inode_operations ramfs_file_iops;
static const struct inode_operations ramfs_symlink_iops;

/* ---- file contents: the page cache ----------------------------------- */

/* A symlink keeps its target string in i_private; a regular file's pages
 * go with its page cache (iput drops it). */
static void
ramfs_free_contents(struct inode *inode)
{
	if (S_ISLNK(inode->i_mode))
		kfree(inode->i_private);
}

/* i_mutex held (do_truncate). */
static int
ramfs_truncate(struct inode *inode, loff_t size)
{
	if (size > inode->i_sb->s_maxbytes)
		return -EFBIG;
	truncate_setsize(inode, size);
	return 0;
}

static const struct file_operations ramfs_file_fops = {
	.read = generic_file_read,
	.write = generic_file_write,
	.mmap = generic_file_mmap,
	.fsync = generic_file_fsync,
};

static const struct inode_operations ramfs_file_iops = {
	.truncate = ramfs_truncate,
};

/* ---- making inodes ------------------------------------------------- */

static struct inode *
ramfs_new_inode(struct super_block *sb, uint32_t mode, uint32_t rdev)
{
	struct inode *inode = new_inode(sb, mode);

	if (!inode)
		return NULL;
	inode->i_rdev = rdev;
	inode->i_destroy = ramfs_free_contents;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &ramfs_dir_iops;
		inode->i_fop = &simple_dir_operations;
		inode->i_nlink = 2;
		inode->i_size = 2 * BOGO_DIRENT_SIZE;    /* "." and "..", as tmpfs */
		break;
	case S_IFREG:
		inode->i_op = &ramfs_file_iops;
		inode->i_fop = &ramfs_file_fops;
		break;
	case S_IFLNK:
		inode->i_op = &ramfs_symlink_iops;
		break;
	default:
		init_special_inode(inode);
		break;
	}
	return inode;
}

/* Gives d its new inode and pins it in the cache. */
static void
ramfs_add(struct inode *dir, struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	dget(d);
	dir->i_size += BOGO_DIRENT_SIZE;
	dir->i_mtime = dir->i_ctime = current_time_ns();
}

static int
ramfs_mknod(struct inode *dir, struct dentry *d, uint32_t mode, uint32_t rdev)
{
	struct inode *inode = ramfs_new_inode(dir->i_sb, mode, rdev);

	if (!inode)
		return -ENOSPC;
	ramfs_add(dir, d, inode);
	return 0;
}

static int
ramfs_create(struct inode *dir, struct dentry *d, uint32_t mode)
{
	return ramfs_mknod(dir, d, mode, 0);
}

static int
ramfs_mkdir(struct inode *dir, struct dentry *d, uint32_t mode)
{
	int err = ramfs_mknod(dir, d, mode, 0);

	if (!err)
		dir->i_nlink++;
	return err;
}

static int
ramfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	struct inode *inode = ramfs_new_inode(dir->i_sb, S_IFLNK | 0777, 0);
	size_t len = strlen(target);

	if (!inode)
		return -ENOSPC;
	inode->i_private = kmalloc(len + 1, GFP_KERNEL);
	if (!inode->i_private) {
		iput(inode);
		return -ENOSPC;
	}
	memcpy(inode->i_private, target, len + 1);
	inode->i_size = len;
	ramfs_add(dir, d, inode);
	return 0;
}

static int
ramfs_readlink(struct dentry *d, char *buf, size_t size)
{
	const char *target = d->d_inode->i_private;
	size_t len = strlen(target);

	if (len > size)
		len = size;
	memcpy(buf, target, len);
	return (int)len;
}

static int
ramfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->d_inode;

	inode->i_nlink++;
	inode->i_ctime = current_time_ns();
	ramfs_add(dir, d, igrab(inode));
	return 0;
}

/* Takes the name d away: drops the pin, the inode goes with its last user. */
static int
ramfs_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->d_inode;

	inode->i_nlink--;
	inode->i_ctime = dir->i_mtime = dir->i_ctime = current_time_ns();
	dir->i_size -= BOGO_DIRENT_SIZE;
	d_delete(d);
	dput(d);
	return 0;
}

static int
ramfs_rmdir(struct inode *dir, struct dentry *d)
{
	d->d_inode->i_nlink = 0;
	dir->i_nlink--;
	dir->i_size -= BOGO_DIRENT_SIZE;
	dir->i_mtime = dir->i_ctime = current_time_ns();
	d_delete(d);
	dput(d);
	return 0;
}

static int
ramfs_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir, struct dentry *new)
{
	bool moving_dir = S_ISDIR(old->d_inode->i_mode);

	if (new->d_inode) {
		if (S_ISDIR(new->d_inode->i_mode))
			ramfs_rmdir(new_dir, new);
		else
			ramfs_unlink(new_dir, new);
	}
	if (moving_dir && old_dir != new_dir) {
		old_dir->i_nlink--;
		new_dir->i_nlink++;
	}
	old_dir->i_size -= BOGO_DIRENT_SIZE;
	new_dir->i_size += BOGO_DIRENT_SIZE;
	d_move(old, new->d_parent, new->d_name);
	old_dir->i_mtime = old_dir->i_ctime = current_time_ns();
	new_dir->i_mtime = new_dir->i_ctime = old_dir->i_mtime;
	old->d_inode->i_ctime = old_dir->i_mtime;
	return 0;
}

/* Everything that exists is in the dentry cache: a miss is a miss. */
static int
ramfs_lookup(struct inode *dir, struct dentry *d)
{
	(void)dir;
	(void)d;
	return 0;
}

static const struct inode_operations ramfs_dir_iops = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.mknod = ramfs_mknod,
	.symlink = ramfs_symlink,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
};

static const struct inode_operations ramfs_symlink_iops = {
	.readlink = ramfs_readlink,
};

struct super_block *
ramfs_mount(void)
{
	static uint32_t next_dev = 1;
	struct super_block *sb = alloc_super("ramfs", MKDEV(0, next_dev++));
	struct inode *root;

	if (!sb)
		return NULL;
	sb->s_magic = 0x858458f6;               /* RAMFS_MAGIC, statfs's f_type */
	root = ramfs_new_inode(sb, S_IFDIR | 0755, 0);
	if (!root || !d_alloc_root(sb, root)) {
		kfree(sb);
		return NULL;
	}
	return sb;
}
