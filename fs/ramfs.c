/*
 * fs/ramfs.c — a file system that lives only in memory: the root file
 * system, into which the initrd is unpacked, and /tmp.
 *
 * The dentry cache is the directory structure (every ramfs dentry is
 * pinned by one extra reference from creation until unlink), so lookup
 * has nothing to find beyond what is cached. A regular file's contents
 * are whole pages, pages[i] holding bytes [i*4096, (i+1)*4096); a hole
 * (a NULL slot below i_size) reads as zeros. A symlink keeps its target
 * string.
 *
 * Invariants: bytes past i_size inside the last page are zero, so growing
 * a file with ftruncate or a write past the end exposes zeros.
 *
 * Locking: i_mutex protects pages[], nr_slots and i_size. User memory is
 * never touched with i_mutex held (a page is pinned with get_page, the
 * lock dropped, then copied), so a read() into a private mapping of the
 * same file cannot deadlock in the page-fault path.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <fs/block_dev.h>
#include <kernel/errno.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <libk/string.h>

#define RAMFS_MAX_SIZE (1ull << 30)     /* 1 GiB: beyond it EFBIG */

struct ramfs_file {
	struct page **pages;     /* nr_slots slots, NULL for a hole */
	uint32_t nr_slots;
};

static const struct inode_operations ramfs_dir_iops;
static const struct inode_operations ramfs_file_iops;
static const struct inode_operations ramfs_symlink_iops;
static const struct file_operations ramfs_file_fops;

/* ---- file contents ------------------------------------------------- */

static void
ramfs_free_contents(struct inode *inode)
{
	struct ramfs_file *rf = inode->i_private;

	if (S_ISLNK(inode->i_mode)) {
		kfree(inode->i_private);
		return;
	}
	if (!rf)
		return;
	for (uint32_t i = 0; i < rf->nr_slots; i++)
		if (rf->pages[i])
			put_page(rf->pages[i]);
	kfree(rf->pages);
	kfree(rf);
}

/* Makes room for slot index; 0 or -ENOMEM. i_mutex held. */
static int
grow_slots(struct ramfs_file *rf, uint32_t index)
{
	uint32_t n = rf->nr_slots ? rf->nr_slots : 4;
	struct page **pages;

	if (index < rf->nr_slots)
		return 0;
	while (n <= index)
		n *= 2;
	pages = kzalloc(n * sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (rf->nr_slots)
		memcpy(pages, rf->pages, rf->nr_slots * sizeof(*pages));
	kfree(rf->pages);
	rf->pages = pages;
	rf->nr_slots = n;
	return 0;
}

/* The page at index with a reference for the caller; allocated if create. */
static struct page *
ramfs_get_page(struct inode *inode, uint32_t index, bool create)
{
	struct ramfs_file *rf = inode->i_private;
	struct page *page = NULL;

	mutex_lock(&inode->i_mutex);
	if (index < rf->nr_slots)
		page = rf->pages[index];
	if (!page && create && grow_slots(rf, index) == 0) {
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		rf->pages[index] = page;
	}
	if (page)
		get_page(page);
	mutex_unlock(&inode->i_mutex);
	return page;
}

static ssize_t
ramfs_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	size_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	while (b->left && *pos < inode->i_size) {
		uint32_t offset = (uint32_t)(*pos % PAGE_SIZE);
		size_t n = PAGE_SIZE - offset;
		struct page *page = ramfs_get_page(inode, (uint32_t)(*pos / PAGE_SIZE), false);
		int err;

		if (n > b->left)
			n = b->left;
		if ((loff_t)n > inode->i_size - *pos)
			n = (size_t)(inode->i_size - *pos);
		if (page) {
			err = iobuf_put(b, (char *)page_address(page) + offset, n);
			put_page(page);
		} else {
			err = iobuf_zero(b, n);
		}
		if (err)
			return done ? (ssize_t)done : err;
		*pos += n;
		done += n;
	}
	inode->i_atime = current_time_ns();
	return (ssize_t)done;
}

static ssize_t
ramfs_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	size_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= RAMFS_MAX_SIZE)
		return -EFBIG;
	if (b->left > RAMFS_MAX_SIZE - (uint64_t)*pos)
		b->left = (size_t)(RAMFS_MAX_SIZE - (uint64_t)*pos);
	while (b->left) {
		uint32_t offset = (uint32_t)(*pos % PAGE_SIZE);
		size_t n = PAGE_SIZE - offset;
		struct page *page = ramfs_get_page(inode, (uint32_t)(*pos / PAGE_SIZE), true);
		int err;

		if (!page)
			return done ? (ssize_t)done : -ENOSPC;
		if (n > b->left)
			n = b->left;
		err = iobuf_get(b, (char *)page_address(page) + offset, n);
		put_page(page);
		if (err)
			return done ? (ssize_t)done : err;
		*pos += n;
		done += n;
		mutex_lock(&inode->i_mutex);
		if (*pos > inode->i_size)
			inode->i_size = *pos;
		mutex_unlock(&inode->i_mutex);
	}
	inode->i_mtime = inode->i_ctime = current_time_ns();
	return (ssize_t)done;
}

/* i_mutex held (do_truncate). */
static int
ramfs_truncate(struct inode *inode, loff_t size)
{
	struct ramfs_file *rf = inode->i_private;
	uint32_t keep = (uint32_t)((size + PAGE_SIZE - 1) / PAGE_SIZE);

	if ((uint64_t)size > RAMFS_MAX_SIZE)
		return -EFBIG;
	for (uint32_t i = keep; i < rf->nr_slots; i++) {
		if (rf->pages[i]) {
			put_page(rf->pages[i]);
			rf->pages[i] = NULL;
		}
	}
	if (size % PAGE_SIZE && keep - 1 < rf->nr_slots && rf->pages[keep - 1]) {
		uint32_t tail = (uint32_t)(size % PAGE_SIZE);

		memset((char *)page_address(rf->pages[keep - 1]) + tail, 0, PAGE_SIZE - tail);
	}
	inode->i_size = size;
	return 0;
}

static const struct file_operations ramfs_file_fops = {
	.read = ramfs_read,
	.write = ramfs_write,
	.mmap = generic_file_mmap,
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
		break;
	case S_IFREG:
		inode->i_op = &ramfs_file_iops;
		inode->i_fop = &ramfs_file_fops;
		inode->i_private = kzalloc(sizeof(struct ramfs_file), GFP_KERNEL);
		if (!inode->i_private) {
			iput(inode);
			return NULL;
		}
		break;
	case S_IFLNK:
		inode->i_op = &ramfs_symlink_iops;
		break;
	case S_IFCHR:
		inode->i_fop = &chrdev_open_operations;
		break;
	case S_IFBLK:
		inode->i_fop = &blkdev_open_operations;
		break;
	default:
		break;                  /* FIFOs, sockets: open gives ENXIO */
	}
	return inode;
}

/* Gives d its new inode and pins it in the cache. */
static void
ramfs_add(struct inode *dir, struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	dget(d);
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
	d_delete(d);
	dput(d);
	return 0;
}

static int
ramfs_rmdir(struct inode *dir, struct dentry *d)
{
	d->d_inode->i_nlink = 0;
	dir->i_nlink--;
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
	root = ramfs_new_inode(sb, S_IFDIR | 0755, 0);
	if (!root || !d_alloc_root(sb, root)) {
		kfree(sb);
		return NULL;
	}
	return sb;
}
