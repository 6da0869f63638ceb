/*
 * fs/super.c — building the file tree at boot: a ramfs root with /dev,
 * /tmp, /proc and /sys, the device nodes, procfs mounted on /proc and
 * sysfs on /sys, then the initrd unpacked on top (it may add to /dev or
 * replace nothing else).
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

/* super_blocks are never freed (there is no umount yet), so the list may
 * be walked with the lock dropped around fn. */
void
iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg)
{
	struct super_block *sb;

	list_for_each_entry(sb, &super_blocks, s_list)
		fn(sb, arg);
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

void
fs_init(void *initrd, size_t len)
{
	struct super_block *root = ramfs_mount();

	if (!root)
		panic("fs_init: cannot create the root file system");
	root_dentry = root->s_root;
	must(vfs_mkdir_path("/dev", 0755), "/dev");
	must(vfs_mkdir_path("/tmp", 01777), "/tmp");
	must(vfs_mkdir_path("/proc", 0555), "/proc");
	must(vfs_mkdir_path("/sys", 0555), "/sys");
	mem_devices_init();
	tty_init();
	for (unsigned i = 0; i < sizeof(device_nodes) / sizeof(device_nodes[0]); i++) {
		const struct device_node *n = &device_nodes[i];

		must(vfs_mknod_path(n->path, S_IFCHR | n->mode, MKDEV(n->major, n->minor)), n->path);
	}
	blockdev_nodes_init();
	mount_on("/proc", procfs_mount());
	mount_on("/sys", sysfs_mount());
	if (initrd && len)
		unpack_initramfs(initrd, len);
	else
		printk(KERN_WARNING "fs: no initrd: the root file system is empty\n");
}
