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
 */
#include <kernel/ktest.h>
#include <kernel/errno.h>
#include <fs/vfs.h>
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
