/*
 * fs/filesystems.c — the kinds of file system mount(2) can name, and
 * /proc/filesystems.
 *
 * A file system type (struct file_system_type, fs/vfs.h) has a name and a
 * mount function that makes a super_block. The built-in memory file
 * systems are on the list from the start: ramfs, tmpfs (the same ramfs
 * with tmpfs's magic number and statfs figures, as anvil has no separate
 * shmem file system), proc and sysfs. A disk file system adds itself with
 * register_filesystem (ext2, FS_REQUIRES_DEV: mount(2) hands it the block
 * device its source names).
 *
 * Unnamed device numbers: a file system without a device still needs an
 * st_dev of its own. Each super_block mount(2) makes of a built-in type
 * takes one from a small pool (major 0, minors ANON_DEV_FIRST..255);
 * umount gives it back. The boot mounts keep their fixed numbers (the root
 * 0:1, /proc 0:4, pipes 0:12, /sys 0:13), which lie below the pool.
 *
 * Invariants: the list only grows; a type's name is unique on it.
 *
 * Locking: the list and the pool change under namespace_mutex (mount(2)
 * and registration run under it or at boot, before any process exists);
 * get_fs_type and /proc/filesystems read the list without it, which is
 * safe because entries are only ever appended, each fully set up before
 * the pointer to it is stored.
 */
#include <fs/vfs.h>
#include <fs/proc_internal.h>
#include <kernel/errno.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <arch/x86/mmu.h>
#include <libk/string.h>

#define RAMFS_MAGIC      0x858458f6u
#define TMPFS_MAGIC      0x01021994u
#define ANON_DEV_FIRST   16u             /* above the boot mounts' fixed minors */
#define ANON_DEV_COUNT   (256u - ANON_DEV_FIRST)

/* ---- the memory file systems ------------------------------------------ */

/*
 * tmpfs's statfs: Linux's default size limit, half of RAM, in pages;
 * used blocks are the pages in the files' page caches (holes use none),
 * inodes the ones that exist (anvil's ramfs sets no limit, so these are
 * figures, not quotas). nrpages is read without tree_lock: a snapshot.
 */
static int
tmpfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	uint64_t limit = nr_managed_pages() / 2, used = 0, inodes = 0;
	struct inode *inode;

	spin_lock(&inode_sb_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		inodes++;
		used += inode->i_mapping->nrpages;
	}
	spin_unlock(&inode_sb_list_lock);
	st->f_type = TMPFS_MAGIC;
	st->f_bsize = PAGE_SIZE;
	st->f_blocks = limit;
	st->f_bfree = st->f_bavail = used < limit ? limit - used : 0;
	st->f_files = limit;
	st->f_ffree = inodes < limit ? limit - inodes : 0;
	st->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations tmpfs_super_operations = {
	.statfs = tmpfs_statfs,
};

/* A ramfs super_block named after type ("ramfs" or "tmpfs"), with a device
 * number of the pool; ERR_PTR(-EMFILE) when the pool is empty. */
static struct super_block *
memfs_mount(struct file_system_type *type, uint32_t magic)
{
	uint32_t dev = get_anon_dev();
	struct super_block *sb;

	if (!dev)
		return ERR_PTR(-EMFILE);
	sb = ramfs_mount();
	if (!sb) {
		free_anon_dev(dev);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_type = type->name;
	sb->s_dev = dev;
	sb->s_magic = magic;
	return sb;
}

static struct super_block *
ramfs_type_mount(struct file_system_type *type, unsigned flags, struct block_device *bdev,
		 const char *data)
{
	return memfs_mount(type, RAMFS_MAGIC);
}

static struct super_block *
tmpfs_type_mount(struct file_system_type *type, unsigned flags, struct block_device *bdev,
		 const char *data)
{
	struct super_block *sb = memfs_mount(type, TMPFS_MAGIC);

	if (!IS_ERR(sb) && !sb->s_op)
		sb->s_op = &tmpfs_super_operations;
	return sb;
}

/* proc and sysfs: a fresh table file system with a device number of the pool. */
static struct super_block *
table_fs_type_mount(struct super_block *(*make)(void))
{
	uint32_t dev = get_anon_dev();
	struct super_block *sb;

	if (!dev)
		return ERR_PTR(-EMFILE);
	sb = make();
	if (!sb) {
		free_anon_dev(dev);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_dev = dev;
	return sb;
}

static struct super_block *
proc_type_mount(struct file_system_type *type, unsigned flags, struct block_device *bdev,
		const char *data)
{
	return table_fs_type_mount(procfs_mount);
}

static struct super_block *
sysfs_type_mount(struct file_system_type *type, unsigned flags, struct block_device *bdev,
		 const char *data)
{
	return table_fs_type_mount(sysfs_mount);
}

/* The built-in types, chained in the order /proc/filesystems lists them. */
static struct file_system_type ramfs_fs_type = {
	.name = "ramfs", .fs_flags = FS_PINS_DENTRIES, .mount = ramfs_type_mount,
};
static struct file_system_type proc_fs_type = {
	.name = "proc", .mount = proc_type_mount, .next = &ramfs_fs_type,
};
static struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs", .fs_flags = FS_PINS_DENTRIES, .mount = tmpfs_type_mount,
	.next = &proc_fs_type,
};
static struct file_system_type sysfs_fs_type = {
	.name = "sysfs", .mount = sysfs_type_mount, .next = &tmpfs_fs_type,
};

static struct file_system_type *file_systems = &sysfs_fs_type;

/* ---- the list ---------------------------------------------------------- */

struct file_system_type *
get_fs_type(const char *name)
{
	for (struct file_system_type *t = file_systems; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

int
register_filesystem(struct file_system_type *type)
{
	struct file_system_type **p = &file_systems;

	BUG_ON(!type->name || !type->mount);
	for (; *p; p = &(*p)->next)
		if (strcmp((*p)->name, type->name) == 0)
			return (*p == type) ? 0 : -EBUSY;
	type->next = NULL;
	*p = type;
	return 0;
}

/* /proc/filesystems: "nodev\tproc" for a type without a device, "\text2"
 * for one that needs a block device, as Linux writes it. */
int
proc_show_filesystems(struct proc_buf *pb, int pid)
{
	for (struct file_system_type *t = file_systems; t; t = t->next)
		pb_printf(pb, "%s\t%s\n", (t->fs_flags & FS_REQUIRES_DEV) ? "" : "nodev", t->name);
	return 0;
}

/* ---- unnamed device numbers -------------------------------------------- */

static uint32_t anon_dev_used[(ANON_DEV_COUNT + 31) / 32];

uint32_t
get_anon_dev(void)
{
	for (unsigned i = 0; i < ANON_DEV_COUNT; i++) {
		if (!(anon_dev_used[i / 32] & (1u << (i % 32)))) {
			anon_dev_used[i / 32] |= 1u << (i % 32);
			return MKDEV(0, ANON_DEV_FIRST + i);
		}
	}
	return 0;
}

void
free_anon_dev(uint32_t dev)
{
	unsigned i = MINOR(dev) - ANON_DEV_FIRST;

	if (MAJOR(dev) != 0 || MINOR(dev) < ANON_DEV_FIRST)
		return;                  /* a fixed boot number: not from the pool */
	BUG_ON(!(anon_dev_used[i / 32] & (1u << (i % 32))));
	anon_dev_used[i / 32] &= ~(1u << (i % 32));
}
