/*
 * fs/ext2/namei.c — the directory inode operations of ext2: lookup,
 * create, mknod, mkdir, symlink, link, unlink, rmdir, rename.
 *
 * The VFS (fs/namei.c) has checked the names and the kinds of files
 * (ENOTDIR, EISDIR, EEXIST, mount points); these functions change the
 * disk and the dentries: a new name's dentry gets its inode
 * (d_instantiate, whose reference the dentry then holds), a removed name's
 * dentry is d_delete'd, so the inode goes when its last user does
 * (ext2_evict_inode frees it if no name is left). ext2 dentries are a
 * cache: nothing pins them, and lookup reads the directory on a miss.
 *
 * Link counts, as Linux and e2fsck expect: a file's i_nlink is its number
 * of names; a directory's is 2 (its name and ".") plus one per
 * subdirectory (their ".."). EMLINK past EXT2_LINK_MAX.
 *
 * Locks: namespace_mutex is held by the VFS around each call; ext2's own
 * s_lock and i_alloc_lock are taken inside by the block and inode
 * allocators. No i_mutex is taken here.
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <kernel/errno.h>
#include <libk/string.h>

#define EXT2_LINK_MAX 32000

static int
ext2_lookup(struct inode *dir, struct dentry *d)
{
	int ino = ext2_find_entry(dir, d->d_name, strlen(d->d_name), NULL, NULL, NULL);
	struct inode *inode;

	if (ino <= 0)
		return ino;                     /* 0: a negative dentry */
	inode = ext2_iget(dir->i_sb, (uint32_t)ino);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_instantiate(d, inode);
	return 0;
}

/* Drops a new inode that did not get its name: nothing of it stays. */
static void
discard_new_inode(struct inode *inode)
{
	inode->i_nlink = 0;
	iput(inode);
}

/* Names the new inode d in dir, or discards it. */
static int
add_nondir(struct dentry *d, struct inode *inode)
{
	int err = ext2_add_link(d, inode);

	if (err) {
		discard_new_inode(inode);
		return err;
	}
	d_instantiate(d, inode);
	return 0;
}

/* Every change is refused on a read-only mount, whatever the VFS checked. */
static bool
read_only(struct inode *dir)
{
	return sb_rdonly(dir->i_sb);
}

static int
ext2_mknod(struct inode *dir, struct dentry *d, uint32_t mode, uint32_t rdev)
{
	struct inode *inode;

	if (read_only(dir))
		return -EROFS;
	inode = ext2_new_inode(dir, mode);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode->i_rdev = rdev;
	ext2_set_inode_ops(inode);
	ext2_write_inode(inode, false);
	return add_nondir(d, inode);
}

static int
ext2_create(struct inode *dir, struct dentry *d, uint32_t mode)
{
	return ext2_mknod(dir, d, mode, 0);
}

/* Writes a long symlink's target into its first block. */
static int
write_slow_symlink(struct inode *inode, const char *target, size_t len)
{
	struct buffer_head *bh;
	int err;

	inode->i_op = &ext2_symlink_inode_operations;
	err = ext2_get_zeroed_block(inode, 0, &bh);
	if (err < 0)
		return err;
	memcpy(bh->b_data, target, len);
	set_buffer_uptodate(bh);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

static int
ext2_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	size_t len = strlen(target);
	struct inode *inode;
	int err = 0;

	if (read_only(dir))
		return -EROFS;
	if (len >= dir->i_sb->s_blocksize)
		return -ENAMETOOLONG;
	inode = ext2_new_inode(dir, S_IFLNK | 0777);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	if (len <= EXT2_FAST_SYMLINK_MAX) {
		memcpy(EXT2_I(inode)->i_data, target, len);
		inode->i_op = &ext2_fast_symlink_inode_operations;
	} else {
		err = write_slow_symlink(inode, target, len);
	}
	inode->i_size = (loff_t)len;
	ext2_write_inode(inode, false);
	if (err) {
		discard_new_inode(inode);
		return err;
	}
	return add_nondir(d, inode);
}

static int
ext2_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->d_inode;
	int err;

	if (read_only(dir))
		return -EROFS;
	if (inode->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	err = ext2_add_link(d, inode);
	if (err)
		return err;
	inode->i_nlink++;
	ext2_inode_touch(inode, false);
	d_instantiate(d, igrab(inode));
	return 0;
}

static int
ext2_mkdir(struct inode *dir, struct dentry *d, uint32_t mode)
{
	struct inode *inode;
	int err;

	if (read_only(dir))
		return -EROFS;
	if (dir->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	inode = ext2_new_inode(dir, S_IFDIR | mode);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode->i_nlink = 2;
	err = ext2_make_empty(inode, dir);
	if (!err)
		err = ext2_add_link(d, inode);
	if (err) {
		discard_new_inode(inode);
		return err;
	}
	dir->i_nlink++;
	ext2_write_inode(dir, false);
	d_instantiate(d, inode);
	return 0;
}

/* Removes d's entry from dir; 0 or -errno. */
static int
remove_entry(struct inode *dir, struct dentry *d)
{
	struct ext2_dir_entry *de, *prev;
	struct buffer_head *bh;
	int ino = ext2_find_entry(dir, d->d_name, strlen(d->d_name), &bh, &de, &prev);

	if (ino < 0)
		return ino;
	if (ino == 0 || (uint64_t)ino != d->d_inode->i_ino)
		return -ENOENT;
	ext2_delete_entry(dir, bh, de, prev);
	brelse(bh);
	return 0;
}

static int
ext2_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->d_inode;
	int err;

	if (read_only(dir))
		return -EROFS;
	err = remove_entry(dir, d);
	if (err)
		return err;
	inode->i_ctime = dir->i_ctime;
	inode->i_nlink--;
	ext2_write_inode(inode, false);
	d_delete(d);
	return 0;
}

static int
ext2_rmdir(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->d_inode;
	int err;

	if (read_only(dir))
		return -EROFS;
	err = ext2_empty_dir(inode);
	if (err <= 0)
		return err ? err : -ENOTEMPTY;
	err = remove_entry(dir, d);
	if (err)
		return err;
	inode->i_ctime = dir->i_ctime;
	inode->i_nlink = 0;
	inode->i_size = 0;
	ext2_write_inode(inode, false);
	dir->i_nlink--;
	ext2_write_inode(dir, false);
	d_delete(d);
	return 0;
}

/* A target name that rename replaces: its entry now names the moved inode. */
static int
replace_target(struct inode *new_dir, struct dentry *new, struct inode *moved)
{
	struct inode *victim = new->d_inode;
	struct ext2_dir_entry *de;
	struct buffer_head *bh;
	int ino;

	if (S_ISDIR(victim->i_mode)) {
		int empty = ext2_empty_dir(victim);

		if (empty <= 0)
			return empty ? empty : -ENOTEMPTY;
	}
	ino = ext2_find_entry(new_dir, new->d_name, strlen(new->d_name), &bh, &de, NULL);
	if (ino <= 0)
		return ino ? ino : -ENOENT;
	ext2_set_link(new_dir, bh, de, moved);
	brelse(bh);
	victim->i_ctime = current_time_ns();
	if (S_ISDIR(victim->i_mode)) {
		victim->i_nlink = 0;            /* its name and its "." */
		victim->i_size = 0;
	} else {
		victim->i_nlink--;
	}
	ext2_write_inode(victim, false);
	return 0;
}

static int
ext2_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir, struct dentry *new)
{
	struct inode *inode = old->d_inode;
	bool is_dir = S_ISDIR(inode->i_mode);
	struct ext2_dir_entry *dotdot = NULL;
	struct buffer_head *dotdot_bh = NULL;
	int err;

	if (read_only(old_dir))
		return -EROFS;
	if (is_dir && old_dir != new_dir) {
		dotdot = ext2_dotdot(inode, &dotdot_bh);
		if (!dotdot)
			return -EIO;
		if (!new->d_inode && new_dir->i_nlink >= EXT2_LINK_MAX) {
			brelse(dotdot_bh);
			return -EMLINK;
		}
	}
	if (new->d_inode) {
		err = replace_target(new_dir, new, inode);
	} else {
		err = ext2_add_link(new, inode);
		if (!err && is_dir)
			new_dir->i_nlink++;
	}
	if (err) {
		brelse(dotdot_bh);
		return err;
	}
	inode->i_ctime = current_time_ns();
	ext2_write_inode(inode, false);
	err = remove_entry(old_dir, old);      /* found again: adding may have split its block */
	if (dotdot) {
		ext2_set_link(inode, dotdot_bh, dotdot, new_dir);
		brelse(dotdot_bh);
	}
	if (is_dir)
		old_dir->i_nlink--;
	ext2_write_inode(old_dir, false);
	ext2_write_inode(new_dir, false);
	if (new->d_inode)
		d_delete(new);
	d_move(old, new->d_parent, new->d_name);
	return err;
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.mknod = ext2_mknod,
	.symlink = ext2_symlink,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
};
