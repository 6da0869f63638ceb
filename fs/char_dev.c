/*
 * fs/char_dev.c — character devices. A device node is an inode with a
 * device number (i_rdev); opening it looks the number up in the table of
 * registered drivers and gives the file that driver's operations, then
 * calls the driver's own open. No driver for the number: ENXIO.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

#define MAX_CHRDEVS 16

struct chrdev {
	unsigned major, minor;
	const char *name;
	const struct file_operations *fops;
};

static struct chrdev chrdevs[MAX_CHRDEVS];
static unsigned nr_chrdevs;

int
register_chrdev(unsigned major, unsigned minor, const char *name,
		const struct file_operations *fops)
{
	if (nr_chrdevs == MAX_CHRDEVS) {
		printk(KERN_ERR "chrdev: no room for %s (%u:%u)\n", name, major, minor);
		return -ENOSPC;
	}
	chrdevs[nr_chrdevs++] = (struct chrdev){ major, minor, name, fops };
	return 0;
}

static const struct chrdev *
find_chrdev(uint32_t rdev)
{
	for (unsigned i = 0; i < nr_chrdevs; i++)
		if (chrdevs[i].major == MAJOR(rdev) && chrdevs[i].minor == MINOR(rdev))
			return &chrdevs[i];
	return NULL;
}

static int
chrdev_open(struct inode *inode, struct file *f)
{
	const struct chrdev *dev = find_chrdev(inode->i_rdev);

	if (!dev)
		return -ENXIO;
	f->f_op = dev->fops;
	return f->f_op->open ? f->f_op->open(inode, f) : 0;
}

const struct file_operations chrdev_open_operations = {
	.open = chrdev_open,
};
