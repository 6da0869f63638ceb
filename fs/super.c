/*
 * fs/super.c — the list of super_blocks, and building the file tree at
 * boot.
 *
 * The root is the ext2 file system on the block device the root= option
 * names (fs/block_dev.c; default ram0: the disk image GRUB loaded as a
 * module; make run says /dev/sda), mounted read-write; /tmp lives on it
 * (made, mode 1777, if missing). If that device does not exist or holds
 * no ext2 we can mount, the root is a ramfs into which the initrd (cpio)
 * is unpacked, as before disks. Either way /dev is a ramfs of its own
 * holding the device nodes (so an image needs none), procfs is mounted on
 * /proc and sysfs on /sys; on a disk root these directories are made if
 * the image lacks them.
 *
 * Locks: sb_list_lock (spin, leaf) guards the list of super_blocks; fs_init
 * runs on the boot thread before any process exists, and the path calls
 * it makes take namespace_mutex as usual.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <fs/block_dev.h>
#include <fs/proc_internal.h>
#include <drivers/mem.h>
#include <drivers/tty.h>
#include <kernel/errno.h>
#include <kernel/main.h>
#include <kernel/printk.h>
#include <mm/slab.h>
#include <arch/x86/mmu.h>
#include <fs/ext2/ext2.h>
#include <libk/string.h>

struct dentry *root_dentry;

struct device_node {
	const char *path;
	unsigned major, minor;
	uint32_t mode;
};

static const struct device_node device_nodes[] = {
	{ "/dev/null",    1, 3, 0666 },
	{ "/dev/zero",    1, 5, 0666 },
	{ "/dev/full",    1, 7, 0666 },
	{ "/dev/random",  1, 8, 0666 },
	{ "/dev/urandom", 1, 9, 0666 },
	{ "/dev/tty",     5, 0, 0666 },
	{ "/dev/console", 5, 1, 0600 },
};

static LIST_HEAD(super_blocks);
static DEFINE_SPINLOCK(sb_list_lock);

struct super_block *
alloc_super(const char *type, uint32_t dev)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	uint32_t flags;

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_dev = dev;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	INIT_LIST_HEAD(&sb->s_inodes);
	flags = spin_lock_irqsave(&sb_list_lock);
	list_add_tail(&sb->s_list, &super_blocks);
	spin_unlock_irqrestore(&sb_list_lock, flags);
	return sb;
}

/* The list is walked with the lock dropped around fn: a super_block is
 * freed (destroy_super) only by umount's teardown, under namespace_mutex,
 * so a caller that may race with one holds namespace_mutex. */
void
iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg)
{
	struct super_block *sb;

	list_for_each_entry(sb, &super_blocks, s_list)
		fn(sb, arg);
}

void
destroy_super(struct super_block *sb)
{
	uint32_t flags = spin_lock_irqsave(&sb_list_lock);

	list_del(&sb->s_list);
	spin_unlock_irqrestore(&sb_list_lock, flags);
	kfree(sb);
}

static void
must(int err, const char *what)
{
	if (err && err != -EEXIST)
		panic("fs_init: %s: error %d", what, err);
}

/* Mounts sb (NULL: it could not be made) on the directory path. */
static void
mount_on(const char *path, struct super_block *sb)
{
	struct dentry *mp;

	if (!sb)
		panic("fs_init: cannot create the file system for %s", path);
	mp = kern_path(AT_FDCWD, path, LOOKUP_DIRECTORY);
	if (IS_ERR(mp))
		panic("fs_init: no %s to mount on", path);
	mount_at(mp, sb);
	dput(mp);
}

/* The ext2 on the root= device, mounted read-write, or NULL (why is printed). */
static struct super_block *
mount_root_device(void)
{
	struct block_device *bdev = root_device();
	struct super_block *sb;

	if (!bdev) {
		printk(KERN_INFO "fs: no root device %s: the root is the initrd in a ramfs\n",
		       root_device_name);
		return NULL;
	}
	sb = ext2_fs_type.mount(&ext2_fs_type, 0, bdev, NULL);
	if (IS_ERR(sb)) {
		printk(KERN_WARNING "fs: %s holds no ext2 we can mount (error %ld): "
		       "the root is the initrd in a ramfs\n", root_device_name, PTR_ERR(sb));
		return NULL;
	}
	printk(KERN_INFO "fs: root is ext2 on /dev/%s%s\n", bdev->bd_name,
	       sb_rdonly(sb) ? " (read-only)" : "");
	return sb;
}

/* /dev: a ramfs with the character and block device nodes, on the root's /dev. */
static void
mount_dev(void)
{
	mount_on("/dev", ramfs_mount());
	mem_devices_init();
	tty_init();
	for (unsigned i = 0; i < sizeof(device_nodes) / sizeof(device_nodes[0]); i++) {
		const struct device_node *n = &device_nodes[i];

		must(vfs_mknod_path(n->path, S_IFCHR | n->mode, MKDEV(n->major, n->minor)), n->path);
	}
	blockdev_nodes_init();
}

static void
make_mount_points(void)
{
	must(vfs_mkdir_path("/dev", 0755), "/dev");
	must(vfs_mkdir_path("/tmp", 01777), "/tmp");
	must(vfs_mkdir_path("/proc", 0555), "/proc");
	must(vfs_mkdir_path("/sys", 0555), "/sys");
}

void
fs_init(void *initrd, size_t len)
{
	struct super_block *root;

	must(register_filesystem(&ext2_fs_type), "ext2");
	root = mount_root_device();
	if (root) {
		root_dentry = root->s_root;
		if (!sb_rdonly(root))
			make_mount_points();
	} else {
		root = ramfs_mount();
		if (!root)
			panic("fs_init: cannot create the root file system");
		root_dentry = root->s_root;
		make_mount_points();
	}
	mount_dev();
	mount_on("/proc", procfs_mount());
	mount_on("/sys", sysfs_mount());
	if (root->s_bdev)
		return;
	if (initrd && len)
		unpack_initramfs(initrd, len);
	else
		printk(KERN_WARNING "fs: no initrd: the root file system is empty\n");
}
