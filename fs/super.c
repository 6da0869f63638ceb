/*
 * fs/super.c — building the file tree at boot: a ramfs root with /dev,
 * /tmp and /proc, the device nodes, procfs mounted on /proc, then the
 * initrd unpacked on top (it may add to /dev or replace nothing else).
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <drivers/mem.h>
#include <drivers/tty.h>
#include <kernel/errno.h>
#include <kernel/main.h>
#include <kernel/printk.h>

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

static void
must(int err, const char *what)
{
	if (err && err != -EEXIST)
		panic("fs_init: %s: error %d", what, err);
}

static void
mount_proc(void)
{
	struct super_block *sb = procfs_mount();
	struct dentry *mp;

	if (!sb)
		panic("fs_init: cannot create procfs");
	mp = kern_path(AT_FDCWD, "/proc", LOOKUP_DIRECTORY);
	if (IS_ERR(mp))
		panic("fs_init: no /proc to mount on");
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
	mem_devices_init();
	tty_init();
	for (unsigned i = 0; i < sizeof(device_nodes) / sizeof(device_nodes[0]); i++) {
		const struct device_node *n = &device_nodes[i];

		must(vfs_mknod_path(n->path, S_IFCHR | n->mode, MKDEV(n->major, n->minor)), n->path);
	}
	mount_proc();
	if (initrd && len)
		unpack_initramfs(initrd, len);
	else
		printk(KERN_WARNING "fs: no initrd: the root file system is empty\n");
}
