/*
 * fs/block_dev.c — block special files (/dev/sda, /dev/ram0): a device
 * node whose i_rdev names a registered block device (drivers/block/blkdev.h)
 * reads and writes the device's bytes at any offset and length.
 *
 * open() finds the device by i_rdev (ENXIO if none is registered) and
 * keeps it in f->private_data. A read or write moves the bytes in chunks of
 * at most BLKDEV_BOUNCE_SIZE through a kernel bounce buffer that covers
 * whole sectors; a write that starts or ends inside a sector first reads
 * that sector (read-modify-write). The end of the device is the end of the
 * file, as on Linux: a read there returns 0, a write ENOSPC, lseek past it
 * EINVAL, SEEK_END is the device's size; a write to a device that is an
 * active swap area is ETXTBSY (mm/swapfile.c); ioctl BLKGETSIZE64, BLKGETSIZE
 * and BLKSSZGET report the size, BLKROGET the read-only flag; fsync sends a REQ_OP_FLUSH. The node's
 * own i_size stays 0 (stat of /dev/sda shows size 0, as on Linux).
 *
 * At boot, blockdev_nodes_init() makes /dev/NAME (S_IFBLK, 0660) for every
 * registered device. The root= option (root_device_name) says which device
 * holds the root file system.
 *
 * Invariants: no lock is held across a user copy; the user's bytes are
 * copied into the bounce buffer before the sectors around them are read.
 *
 * Locks: a write holds the node's i_mutex from reading the partial edge
 * sectors to writing the chunk, so two writers through one node cannot
 * undo each other's bytes in a shared sector; submit_bio takes
 * bdev->lock under it (i_mutex, then bd_lock: mm/LOCKING.md). Reads take
 * no lock of their own.
 */
#include <fs/block_dev.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <drivers/block/blkdev.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/uaccess.h>
#include <libk/stdio.h>
#include <libk/string.h>
#include <mm/slab.h>
#include <mm/swapfile.h>

#define BLKDEV_BOUNCE_SIZE (16u * 1024)     /* bytes per bio of a read or write */
#define BLKDEV_NODE_MODE   0660

/* ioctl numbers of Linux's include/uapi/linux/fs.h */
#define BLKROGET     0x125e                 /* read-only: int, 1 or 0 */
#define BLKGETSIZE   0x1260                 /* size in sectors, unsigned long */
#define BLKSSZGET    0x1268                 /* logical sector size, int */
#define BLKGETSIZE64 0x80081272             /* size in bytes, u64 */

/* ---- the device behind an open file ----------------------------------- */

static struct block_device *
file_bdev(struct file *f)
{
	return f->private_data;
}

static loff_t
bdev_bytes(const struct block_device *bdev)
{
	return (loff_t)(bdev->bd_nr_sectors << SECTOR_SHIFT);
}

loff_t
blkdev_file_size(struct file *f)
{
	struct block_device *bdev = file_bdev(f);

	return bdev ? bdev_bytes(bdev) : f->f_inode->i_size;
}

/* ---- reading and writing ------------------------------------------------ */

/* One chunk of a transfer at pos: the sector-aligned span [start, end) of
 * at most BLKDEV_BOUNCE_SIZE bytes that holds the first n bytes wanted. */
struct chunk {
	loff_t start, end;         /* sector-aligned */
	size_t off;                /* pos - start: where the caller's bytes begin */
	size_t n;                  /* the caller's bytes in this chunk */
};

static struct chunk
chunk_at(loff_t pos, size_t want)
{
	struct chunk c;

	c.off = (size_t)(pos & (SECTOR_SIZE - 1));
	c.start = pos - c.off;
	c.n = want < BLKDEV_BOUNCE_SIZE - c.off ? want : BLKDEV_BOUNCE_SIZE - c.off;
	c.end = (pos + (loff_t)c.n + SECTOR_SIZE - 1) & ~(loff_t)(SECTOR_SIZE - 1);
	return c;
}

static int
bdev_io(struct block_device *bdev, enum req_op op, loff_t start, void *buf, size_t len)
{
	return blkdev_rw(bdev, op, (uint64_t)start >> SECTOR_SHIFT, buf, (uint32_t)len);
}

static ssize_t
blkdev_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct block_device *bdev = file_bdev(f);
	loff_t size = bdev_bytes(bdev);
	size_t done = 0;
	char *bounce;
	int err = 0;

	if (*pos < 0)
		return -EINVAL;
	if (*pos >= size)
		return 0;
	if (b->left > (uint64_t)(size - *pos))
		b->left = (size_t)(size - *pos);
	bounce = kmalloc(BLKDEV_BOUNCE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (b->left) {
		struct chunk c = chunk_at(*pos, b->left);

		err = bdev_io(bdev, REQ_OP_READ, c.start, bounce, (size_t)(c.end - c.start));
		if (!err)
			err = iobuf_put(b, bounce + c.off, c.n);
		if (err)
			break;
		*pos += (loff_t)c.n;
		done += c.n;
	}
	kfree(bounce);
	return done ? (ssize_t)done : err;
}

/* Fills the bytes of the chunk's edge sectors that the caller does not
 * write with what the device holds (read-modify-write). */
static int
fill_partial_edges(struct block_device *bdev, const struct chunk *c, char *bounce)
{
	char sector[SECTOR_SIZE];
	size_t tail = (size_t)(c->end - c->start) - c->off - c->n;   /* bytes after ours */
	int err;

	if (c->off) {
		if ((err = bdev_io(bdev, REQ_OP_READ, c->start, sector, SECTOR_SIZE)))
			return err;
		memcpy(bounce, sector, c->off);
	}
	if (tail) {
		if ((err = bdev_io(bdev, REQ_OP_READ, c->end - SECTOR_SIZE, sector, SECTOR_SIZE)))
			return err;
		memcpy(bounce + c->off + c->n, sector + SECTOR_SIZE - tail, tail);
	}
	return 0;
}

static ssize_t
blkdev_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct block_device *bdev = file_bdev(f);
	struct inode *inode = f->f_inode;
	loff_t size = bdev_bytes(bdev);
	size_t done = 0;
	char *bounce;
	int err = 0;

	if (bdev->bd_read_only)
		return -EPERM;
	if (swap_bdev_active(bdev))
		return -ETXTBSY;             /* its sectors are swap slots now (Linux: the same) */
	if (b->left == 0)
		return 0;
	if (*pos < 0)
		return -EINVAL;
	if (*pos >= size)
		return -ENOSPC;
	if (b->left > (uint64_t)(size - *pos))
		b->left = (size_t)(size - *pos);
	bounce = kmalloc(BLKDEV_BOUNCE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (b->left) {
		struct chunk c = chunk_at(*pos, b->left);

		if ((err = iobuf_get(b, bounce + c.off, c.n)))
			break;
		mutex_lock(&inode->i_mutex);
		err = fill_partial_edges(bdev, &c, bounce);
		if (!err)
			err = bdev_io(bdev, REQ_OP_WRITE, c.start, bounce, (size_t)(c.end - c.start));
		mutex_unlock(&inode->i_mutex);
		if (err)
			break;
		*pos += (loff_t)c.n;
		done += c.n;
	}
	kfree(bounce);
	return done ? (ssize_t)done : err;
}

/* ---- the rest of the file operations ------------------------------------- */

/* lseek: any offset up to the device's size (Linux's fixed_size_llseek). */
static int
blkdev_llseek_ok(struct file *f, loff_t pos)
{
	return pos > bdev_bytes(file_bdev(f)) ? -EINVAL : 0;
}

static long
blkdev_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct block_device *bdev = file_bdev(f);
	uint64_t bytes = (uint64_t)bdev_bytes(bdev);
	uint32_t sectors = bdev->bd_nr_sectors > UINT32_MAX ? UINT32_MAX : (uint32_t)bdev->bd_nr_sectors;

	switch (cmd) {
	case BLKGETSIZE64:
		return copy_to_user((void *)arg, &bytes, sizeof(bytes)) ? -EFAULT : 0;
	case BLKGETSIZE:
		return put_user_u32(sectors, (void *)arg);
	case BLKSSZGET:
		return put_user_u32(SECTOR_SIZE, (void *)arg);
	case BLKROGET:
		return put_user_u32(bdev->bd_read_only, (void *)arg);
	default:
		return -ENOTTY;
	}
}

static int
blkdev_fsync(struct file *f, bool datasync)
{
	(void)datasync;
	return blkdev_rw(file_bdev(f), REQ_OP_FLUSH, 0, NULL, 0);
}

static const struct file_operations blkdev_file_operations = {
	.read = blkdev_read,
	.write = blkdev_write,
	.ioctl = blkdev_ioctl,
	.llseek_ok = blkdev_llseek_ok,
	.fsync = blkdev_fsync,
};

/* open() of an S_IFBLK node: the device its i_rdev names, or ENXIO. */
static int
blkdev_open(struct inode *inode, struct file *f)
{
	struct block_device *bdev = blkdev_get(inode->i_rdev);

	if (!bdev)
		return -ENXIO;
	f->private_data = bdev;
	f->f_op = &blkdev_file_operations;
	return 0;
}

const struct file_operations blkdev_open_operations = {
	.open = blkdev_open,
};

/* ---- boot: the /dev nodes and the root= option ----------------------------- */

static void
make_node(struct block_device *bdev, void *arg)
{
	char path[sizeof("/dev/") + sizeof(bdev->bd_name)];
	int err;

	(void)arg;
	snprintf(path, sizeof(path), "/dev/%s", bdev->bd_name);
	err = vfs_mknod_path(path, S_IFBLK | BLKDEV_NODE_MODE, bdev->bd_dev);
	if (err && err != -EEXIST)
		printk(KERN_ERR "block: cannot create %s: error %d\n", path, err);
}

void
blockdev_nodes_init(void)
{
	blkdev_for_each(make_node, NULL);
}

#define ROOT_NAME_MAX 32
static char root_name[ROOT_NAME_MAX] = "ram0";
const char *root_device_name = root_name;

static int
parse_root(const char *val)
{
	if (strncmp(val, "/dev/", 5) == 0)
		val += 5;
	if (!*val || strlen(val) >= sizeof(root_name))
		return -1;
	strlcpy(root_name, val, sizeof(root_name));
	return 0;
}
KERNEL_PARAM("root", parse_root,
	     "the device of the root file system: /dev/sda, sda, ram0 or MAJOR:MINOR (default ram0)");

struct block_device *
root_device(void)
{
	char *end;
	unsigned long major = strtoul(root_name, &end, 10);

	if (end != root_name && *end == ':') {
		unsigned long minor = strtoul(end + 1, &end, 10);

		if (!*end)
			return blkdev_get(MKDEV(major, minor));
	}
	return blkdev_get_by_name(root_name);
}
