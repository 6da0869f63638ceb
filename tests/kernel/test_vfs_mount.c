/*
 * tests/kernel/test_vfs_mount.c — the parts of fs/sync.c and the umount
 * machinery user space cannot watch directly.
 *
 * sync_filesystem_writes_dirty_inodes: sync_filesystem calls write_inode
 * exactly for the inodes marked dirty (clearing I_DIRTY first), then
 * sync_fs with wait; a second sync writes nothing again; a failing
 * write_inode is reported and leaves its inode dirty for the next sync.
 *
 * d_tree_busy_counts_users: on a ramfs tree (whose dentries are pinned), the
 * pins and the children's references on their parents are not "users"; a
 * reference anyone else takes is, until it is dropped; d_free_tree then
 * frees every dentry, inode and data page (the ktest runner checks that no
 * page was lost).
 *
 * mount_block_device_source, sync_filesystem_writes_each_dirty_page_once:
 * see their comments below.
 */
#include <kernel/ktest.h>
#include <kernel/errno.h>
#include <kernel/lockrank.h>
#include <fs/vfs.h>
#include <drivers/block/blkdev.h>
#include <mm/filemap.h>
#include <mm/page.h>
#include <mm/page_lock.h>
#include <mm/slab.h>
#include <libk/string.h>

#define TEST_DEV MKDEV(0, 250)          /* not from the anon pool: never freed to it */
#define NR_TEST_INODES 3

static struct {
	int write_inode_calls, sync_fs_calls;
	bool last_wait;
	struct inode *fail_for;            /* write_inode fails with -EIO for it */
} counts;

static int
count_write_inode(struct inode *inode, bool sync)
{
	counts.write_inode_calls++;
	return inode == counts.fail_for ? -EIO : 0;
}

static int
count_sync_fs(struct super_block *sb, bool wait)
{
	counts.sync_fs_calls++;
	counts.last_wait = wait;
	return 0;
}

static const struct super_operations counting_sops = {
	.write_inode = count_write_inode,
	.sync_fs = count_sync_fs,
};

KTEST(sync_filesystem_writes_dirty_inodes)
{
	struct super_block *sb = alloc_super("ktestfs", TEST_DEV);
	struct inode *inodes[NR_TEST_INODES];

	KT_CHECK(sb != NULL, "no super_block");
	memset(&counts, 0, sizeof(counts));
	sb->s_op = &counting_sops;
	for (int i = 0; i < NR_TEST_INODES; i++) {
		inodes[i] = new_inode(sb, S_IFREG | 0644);
		KT_CHECK(inodes[i] != NULL, "no inode");
	}
	mark_inode_dirty(inodes[0]);
	mark_inode_dirty(inodes[2]);

	KT_CHECK(sync_filesystem(sb) == 0, "sync failed");
	KT_CHECK(counts.write_inode_calls == 2, "write_inode called %d times for 2 dirty inodes",
		 counts.write_inode_calls);
	for (int i = 0; i < NR_TEST_INODES; i++)
		KT_CHECK(!(inodes[i]->i_state & I_DIRTY), "inode %d still dirty", i);
	KT_CHECK(counts.sync_fs_calls == 1 && counts.last_wait, "sync_fs %d calls, wait %d",
		 counts.sync_fs_calls, counts.last_wait);

	KT_CHECK(sync_filesystem(sb) == 0, "second sync failed");
	KT_CHECK(counts.write_inode_calls == 2, "a clean inode was written again");
	KT_CHECK(counts.sync_fs_calls == 2, "sync_fs not called on the second sync");

	counts.fail_for = inodes[1];
	mark_inode_dirty(inodes[1]);
	KT_CHECK(sync_filesystem(sb) == -EIO, "write_inode's error not reported");
	KT_CHECK(inodes[1]->i_state & I_DIRTY, "an inode that failed to write is clean");

	for (int i = 0; i < NR_TEST_INODES; i++)
		iput(inodes[i]);
	KT_CHECK(list_empty(&sb->s_inodes), "inodes left on s_inodes");
	kfree(sb);
}

/* Creates a regular file or directory called name in dir (namespace_mutex
 * held); the new dentry, without an extra reference (ramfs pins it). */
static struct dentry *
make_child(struct dentry *dir, const char *name, bool is_dir)
{
	struct dentry *d = d_alloc(dir, name, strlen(name));
	struct inode *inode = dir->d_inode;
	int err;

	if (!d)
		return NULL;
	err = is_dir ? inode->i_op->mkdir(inode, d, S_IFDIR | 0755)
		     : inode->i_op->create(inode, d, S_IFREG | 0644);
	dput(d);                                 /* the pin keeps it */
	return err ? NULL : d;
}

KTEST(d_tree_busy_counts_users)
{
	struct super_block *sb = ramfs_mount();
	struct dentry *root, *sub, *file;
	bool busy_idle, busy_with_ref, busy_after_put, busy_negative;

	KT_CHECK(sb != NULL, "no ramfs");
	root = sb->s_root;
	mutex_lock(&namespace_mutex);
	sub = make_child(root, "sub", true);
	file = sub ? make_child(sub, "file", false) : NULL;
	if (!file) {
		mutex_unlock(&namespace_mutex);
		KT_CHECK(false, "could not create sub/file");
	}
	busy_idle = d_tree_busy(root, true);
	dget(file);
	busy_with_ref = d_tree_busy(root, true);
	dput(file);
	busy_after_put = d_tree_busy(root, true);
	struct dentry *negative = d_alloc(sub, "absent", strlen("absent"));

	busy_negative = d_tree_busy(root, true);
	dput(negative);
	mutex_unlock(&namespace_mutex);

	KT_CHECK(!busy_idle, "an idle tree (pins and parents only) is busy");
	KT_CHECK(busy_with_ref, "a reference to a file deep in the tree is not seen");
	KT_CHECK(!busy_after_put, "still busy after the reference was dropped");
	KT_CHECK(busy_negative, "a dentry being looked up is not seen");
	KT_CHECK(!d_tree_busy(root, true), "busy after the lookup's dentry went");
	d_free_tree(root, true);
	KT_CHECK(sb->s_root == NULL, "s_root left pointing at the freed root");
	KT_CHECK(list_empty(&sb->s_inodes), "inodes left after d_free_tree");
	kfree(sb);
}

/* ---- mount(2) of a file system that needs a block device --------------- */

#define KTEST_BDEV     MKDEV(240, 0)    /* a "local/experimental" major */
#define KTEST_NO_BDEV  MKDEV(240, 1)    /* no driver has it */
#define KTEST_SECTORS  64

static int put_super_calls;

static void
ktest_bdev_submit(struct bio *bio)
{
	bio_endio(bio, -EIO);                    /* the test file system reads nothing */
}

static const struct block_device_operations ktest_bdev_ops = { .submit_bio = ktest_bdev_submit };
static struct block_device ktest_bdev = {
	.bd_name = "ktestblk", .bd_dev = KTEST_BDEV, .bd_nr_sectors = KTEST_SECTORS,
	.bd_ops = &ktest_bdev_ops,
};

static void
count_put_super(struct super_block *sb)
{
	put_super_calls++;
}

static const struct super_operations ktest_bdev_sops = { .put_super = count_put_super };

/* A super_block with an empty root directory, living on bdev. */
static struct super_block *
ktest_bdev_mount(struct file_system_type *type, unsigned flags, struct block_device *bdev,
		 const char *data)
{
	struct super_block *sb = alloc_super(type->name, bdev->bd_dev);
	struct inode *root = sb ? new_inode(sb, S_IFDIR | 0755) : NULL;

	if (!root || !d_alloc_root(sb, root)) {
		iput(root);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_bdev = bdev;
	sb->s_op = &ktest_bdev_sops;
	return sb;
}

static struct file_system_type ktest_bdev_type = {
	.name = "ktestbdevfs", .fs_flags = FS_REQUIRES_DEV, .mount = ktest_bdev_mount,
};
static struct file_system_type ktest_bdev_type_twin = {
	.name = "ktestbdevfs", .fs_flags = FS_REQUIRES_DEV, .mount = ktest_bdev_mount,
};

/*
 * mount_block_device_source: a FS_REQUIRES_DEV type gets the block device
 * its source's special file names: EINVAL without a source, ENOENT for a
 * missing one, ENOTBLK for a character device, ENXIO for a number no
 * driver has, EACCES for a read-write mount of a read-only device, EBUSY
 * for a device already mounted; umount calls put_super. Everything is
 * done inside a scratch tmpfs mounted over /tmp, unmounted at the end so
 * no page is kept.
 */
KTEST(mount_block_device_source)
{
	static bool disk_added;
	int err;

	KT_CHECK(register_filesystem(&ktest_bdev_type) == 0, "register failed");
	KT_CHECK(register_filesystem(&ktest_bdev_type) == 0, "registering the same type twice failed");
	KT_CHECK(register_filesystem(&ktest_bdev_type_twin) == -EBUSY, "a second type of the same name");
	KT_CHECK(get_fs_type("ktestbdevfs") == &ktest_bdev_type, "get_fs_type");
	if (!disk_added) {
		add_disk(&ktest_bdev);
		disk_added = true;
	}
	KT_CHECK(do_mount("scratch", "/tmp", "tmpfs", 0, NULL) == 0, "scratch tmpfs");
	KT_CHECK(vfs_mkdir_path("/tmp/a", 0755) == 0 && vfs_mkdir_path("/tmp/b", 0755) == 0, "mkdir");
	KT_CHECK(vfs_mknod_path("/tmp/blk", S_IFBLK | 0600, KTEST_BDEV) == 0, "mknod blk");
	KT_CHECK(vfs_mknod_path("/tmp/nodrv", S_IFBLK | 0600, KTEST_NO_BDEV) == 0, "mknod nodrv");
	KT_CHECK(vfs_mknod_path("/tmp/chr", S_IFCHR | 0600, MKDEV(1, 3)) == 0, "mknod chr");

	KT_CHECK((err = do_mount(NULL, "/tmp/a", "ktestbdevfs", 0, NULL)) == -EINVAL, "no source: %d", err);
	KT_CHECK((err = do_mount("/tmp/missing", "/tmp/a", "ktestbdevfs", 0, NULL)) == -ENOENT,
		 "missing source: %d", err);
	KT_CHECK((err = do_mount("/tmp/chr", "/tmp/a", "ktestbdevfs", 0, NULL)) == -ENOTBLK,
		 "character device: %d", err);
	KT_CHECK((err = do_mount("/tmp/nodrv", "/tmp/a", "ktestbdevfs", 0, NULL)) == -ENXIO,
		 "no driver: %d", err);

	put_super_calls = 0;
	KT_CHECK((err = do_mount("/tmp/blk", "/tmp/a", "ktestbdevfs", 0, NULL)) == 0, "mount: %d", err);
	KT_CHECK((err = do_mount("/tmp/blk", "/tmp/b", "ktestbdevfs", 0, NULL)) == -EBUSY,
		 "second mount of the device: %d", err);
	struct dentry *root = kern_path(AT_FDCWD, "/tmp/a", LOOKUP_FOLLOW);

	KT_CHECK(!IS_ERR(root), "mounted root not found");
	KT_CHECK(root->d_sb->s_bdev == &ktest_bdev, "s_bdev is not the device");
	dput(root);
	KT_CHECK((err = do_umount2("/tmp/a", 0)) == 0, "umount: %d", err);
	KT_CHECK(put_super_calls == 1, "put_super called %d times", put_super_calls);

	ktest_bdev.bd_read_only = true;
	err = do_mount("/tmp/blk", "/tmp/a", "ktestbdevfs", 0, NULL);
	ktest_bdev.bd_read_only = false;
	KT_CHECK(err == -EACCES, "read-write mount of a read-only device: %d", err);
	KT_CHECK((err = do_umount2("/tmp", 0)) == 0, "umount of the scratch tmpfs: %d", err);
}

/* ---- sync_filesystem through the page cache -------------------------- */

#define NR_TEST_PAGES 4
#define CLEAN_PAGE    2                  /* the one page never dirtied */

static int writepage_calls;

static int
count_writepage(struct address_space *mapping, struct page *page)
{
	writepage_calls++;
	return 0;
}

static const struct address_space_operations counting_aops = { .writepage = count_writepage };

/* Dirties page index of mapping (it must be cached). */
static bool
dirty_cached_page(struct address_space *mapping, uint32_t index)
{
	struct page *page = find_lock_page(mapping, index);

	if (!page)
		return false;
	set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	return true;
}

/*
 * sync_filesystem_writes_each_dirty_page_once: a file whose page cache
 * has three dirty pages and a clean one: sync writes the three, once
 * each; a second sync writes nothing; a page dirtied again is written
 * again, alone.
 */
KTEST(sync_filesystem_writes_each_dirty_page_once)
{
	struct super_block *sb = alloc_super("ktestfs", TEST_DEV);
	struct inode *inode = sb ? new_inode(sb, S_IFREG | 0644) : NULL;
	struct address_space *mapping;

	KT_CHECK(inode != NULL, "no inode");
	mapping = inode->i_mapping;
	mapping->a_ops = &counting_aops;
	inode->i_size = NR_TEST_PAGES * PAGE_SIZE;
	for (uint32_t i = 0; i < NR_TEST_PAGES; i++) {
		struct page *page = find_or_create_page(mapping, i);

		KT_CHECK(page != NULL, "no page %u", i);
		SetPageFlag(page, PG_uptodate);
		unlock_page(page);
		put_page(page);
		if (i != CLEAN_PAGE)
			KT_CHECK(dirty_cached_page(mapping, i), "page %u not cached", i);
	}
	writepage_calls = 0;
	KT_CHECK(sync_filesystem(sb) == 0, "sync failed");
	KT_CHECK(writepage_calls == NR_TEST_PAGES - 1, "%d pages written, 3 were dirty", writepage_calls);
	KT_CHECK(sync_filesystem(sb) == 0 && writepage_calls == NR_TEST_PAGES - 1,
		 "a second sync wrote clean pages (%d in all)", writepage_calls);
	KT_CHECK(dirty_cached_page(mapping, 1), "page 1 gone");
	KT_CHECK(sync_filesystem(sb) == 0 && writepage_calls == NR_TEST_PAGES,
		 "the page dirtied again: %d writes in all", writepage_calls);
	truncate_inode_pages(mapping, 0);
	iput(inode);
	KT_CHECK(list_empty(&sb->s_inodes), "inode left on s_inodes");
	kfree(sb);
}

/*
 * inode_sb_list_lock_allows_interrupts (regression): inode_sb_list_lock is
 * taken with interrupts on (iput, new_inode, sync_filesystem), so a timer
 * tick may wake a task (rq_lock, a wait queue's lock) while it is held.
 * It was a bottom-block sibling of rq_lock, and lockcheck=1 boots BUGged
 * on such a tick inside iput.
 */
KTEST(inode_sb_list_lock_allows_interrupts)
{
	KT_CHECK(lockrank_allowed(LC_INODE_SB_LIST, LC_RQ), "rq_lock under inode_sb_list_lock refused");
	KT_CHECK(lockrank_allowed(LC_INODE_SB_LIST, LC_WAITQUEUE),
		 "a wait queue's lock under inode_sb_list_lock refused");
	KT_CHECK(lockrank_allowed(LC_NAMESPACE, LC_INODE_SB_LIST) &&
		 lockrank_allowed(LC_MMAP, LC_INODE_SB_LIST) &&
		 lockrank_allowed(LC_I_MUTEX, LC_INODE_SB_LIST) &&
		 lockrank_allowed(LC_PAGE_TABLE, LC_INODE_SB_LIST),
		 "inode_sb_list_lock refused under a lock iput may run under");
}
