/*
 * fs/ext2/dir.c — ext2 directories: listing them (getdents64), finding,
 * adding and removing entries, making a new directory's "." and "..".
 *
 * A directory is a file of whole blocks read through the buffer cache.
 * Each block is tiled by entries: the rec_len of each leads to the next,
 * and the last one reaches the end of the block. An entry with inode 0
 * is free space (only ever the first of a block: a removed entry is
 * merged into the one before it). Adding a name takes a free entry or the
 * slack at the end of one that is larger than its name needs; if there is
 * none, the directory grows by a block.
 *
 * readdir positions are byte offsets in the directory. A position that no
 * longer starts an entry (the directory changed between two getdents
 * calls) is moved to the next entry that starts after it in its block.
 *
 * Invariants: every block of a directory passes check_block (entries
 * tile it exactly, rec_len is 4-aligned and holds its name); "." and ".."
 * are the first two entries of block 0.
 *
 * Locks: namespace_mutex is held by every caller that changes a directory
 * (fs/namei.c) and by ext2_readdir, so a block is never read half-changed.
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <libk/string.h>

static unsigned
dir_blocks(struct inode *dir)
{
	return (unsigned)(dir->i_size >> dir->i_sb->s_blocksize_bits);
}

static struct ext2_dir_entry *
entry_at(struct buffer_head *bh, unsigned offset)
{
	return (struct ext2_dir_entry *)(bh->b_data + offset);
}

/* Whether the entries of a directory block tile it correctly. */
static bool
check_block(struct inode *dir, struct buffer_head *bh, unsigned n)
{
	unsigned bs = dir->i_sb->s_blocksize, off = 0;

	while (off < bs) {
		struct ext2_dir_entry *de = entry_at(bh, off);

		if (off + EXT2_DIR_ENTRY_HEADER > bs || de->rec_len < EXT2_DIR_ENTRY_HEADER ||
		    de->rec_len % EXT2_DIR_ROUND || off + de->rec_len > bs ||
		    (de->inode && de->rec_len < ext2_rec_len(de->name_len))) {
			printk(KERN_ERR "ext2: directory %llu block %u: bad entry at offset %u\n",
			       (unsigned long long)dir->i_ino, n, off);
			return false;
		}
		off += de->rec_len;
	}
	return true;
}

/* Block n of dir, read and checked (a reference), or ERR_PTR. */
static struct buffer_head *
dir_block(struct inode *dir, unsigned n)
{
	struct super_block *sb = dir->i_sb;
	struct buffer_head *bh;
	uint32_t phys;
	int err = ext2_get_block(dir, n, &phys, false);

	if (err < 0)
		return ERR_PTR(err);
	if (!phys) {
		printk(KERN_ERR "ext2: directory %llu has a hole at block %u\n",
		       (unsigned long long)dir->i_ino, n);
		return ERR_PTR(-EIO);
	}
	bh = bread(sb->s_bdev, phys, sb->s_blocksize);
	if (!bh)
		return ERR_PTR(-EIO);
	if (!check_block(dir, bh, n)) {
		brelse(bh);
		return ERR_PTR(-EIO);
	}
	return bh;
}

static uint8_t
file_type_of(struct super_block *sb, uint32_t mode)
{
	if (!EXT2_SB(sb)->s_has_filetype)
		return 0;
	switch (mode & S_IFMT) {
	case S_IFREG:  return EXT2_FT_REG_FILE;
	case S_IFDIR:  return EXT2_FT_DIR;
	case S_IFCHR:  return EXT2_FT_CHRDEV;
	case S_IFBLK:  return EXT2_FT_BLKDEV;
	case S_IFIFO:  return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK:  return EXT2_FT_SYMLINK;
	default:       return EXT2_FT_UNKNOWN;
	}
}

static unsigned
dt_of(const struct ext2_dir_entry *de)
{
	static const uint8_t dt[EXT2_FT_MAX] = {
		[EXT2_FT_REG_FILE] = DT_REG, [EXT2_FT_DIR] = DT_DIR,
		[EXT2_FT_CHRDEV] = DT_CHR, [EXT2_FT_BLKDEV] = S_IFBLK >> 12,
		[EXT2_FT_FIFO] = DT_FIFO, [EXT2_FT_SOCK] = S_IFSOCK >> 12,
		[EXT2_FT_SYMLINK] = DT_LNK,
	};

	return de->file_type < EXT2_FT_MAX ? dt[de->file_type] : DT_UNKNOWN;
}

static void
dir_changed(struct inode *dir)
{
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;   /* its hash index (if any) is stale now */
	ext2_inode_touch(dir, true);
}

/* ---- readdir -------------------------------------------------------------- */

static int
ext2_readdir(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode;
	unsigned bs = dir->i_sb->s_blocksize;
	int err = 0;

	if (ctx->pos < 0)
		return -EINVAL;
	mutex_lock(&namespace_mutex);
	while (ctx->pos < dir->i_size) {
		unsigned n = (unsigned)(ctx->pos >> dir->i_sb->s_blocksize_bits);
		unsigned want = (unsigned)(ctx->pos & (bs - 1)), off = 0;
		struct buffer_head *bh = dir_block(dir, n);
		bool full = false;

		if (IS_ERR(bh)) {
			err = PTR_ERR(bh);
			break;
		}
		for (; off < bs && !full; off += entry_at(bh, off)->rec_len) {
			struct ext2_dir_entry *de = entry_at(bh, off);

			if (off < want || !de->inode)
				continue;
			ctx->pos = ((loff_t)n << dir->i_sb->s_blocksize_bits) + off;
			full = !ctx->actor(ctx, de->name, de->name_len, de->inode, dt_of(de));
		}
		brelse(bh);
		if (full)
			break;
		ctx->pos = (loff_t)(n + 1) << dir->i_sb->s_blocksize_bits;
	}
	mutex_unlock(&namespace_mutex);
	return err;
}

const struct file_operations ext2_dir_operations = {
	.iterate = ext2_readdir,
};

/* ---- finding -------------------------------------------------------------- */

static bool
name_matches(const struct ext2_dir_entry *de, const char *name, size_t len)
{
	return de->inode && de->name_len == len && memcmp(de->name, name, len) == 0;
}

int
ext2_find_entry(struct inode *dir, const char *name, size_t len, struct buffer_head **bhp,
		struct ext2_dir_entry **dep, struct ext2_dir_entry **prevp)
{
	unsigned bs = dir->i_sb->s_blocksize;

	for (unsigned n = 0; n < dir_blocks(dir); n++) {
		struct buffer_head *bh = dir_block(dir, n);
		struct ext2_dir_entry *prev = NULL;

		if (IS_ERR(bh))
			return PTR_ERR(bh);
		for (unsigned off = 0; off < bs; off += entry_at(bh, off)->rec_len) {
			struct ext2_dir_entry *de = entry_at(bh, off);

			if (name_matches(de, name, len)) {
				int ino = (int)de->inode;

				if (dep)
					*dep = de;
				if (prevp)
					*prevp = prev;
				if (bhp)
					*bhp = bh;
				else
					brelse(bh);
				return ino;
			}
			prev = de;
		}
		brelse(bh);
	}
	return 0;
}

/* ---- adding ----------------------------------------------------------------- */

static void
fill_entry(struct super_block *sb, struct ext2_dir_entry *de, const char *name, size_t len,
	   struct inode *inode)
{
	de->inode = (uint32_t)inode->i_ino;
	de->name_len = (uint8_t)len;
	de->file_type = file_type_of(sb, inode->i_mode);
	memcpy(de->name, name, len);
}

/* Puts the name into block bh if it has room: true if it did. */
static bool
add_to_block(struct inode *dir, struct buffer_head *bh, const char *name, size_t len,
	     struct inode *inode)
{
	unsigned bs = dir->i_sb->s_blocksize, need = ext2_rec_len((unsigned)len);

	for (unsigned off = 0; off < bs; off += entry_at(bh, off)->rec_len) {
		struct ext2_dir_entry *de = entry_at(bh, off);
		unsigned used = de->inode ? ext2_rec_len(de->name_len) : 0;

		if (de->rec_len - used < need)
			continue;
		if (used) {                     /* split: the new entry takes the slack */
			struct ext2_dir_entry *next = entry_at(bh, off + used);

			next->rec_len = (uint16_t)(de->rec_len - used);
			de->rec_len = (uint16_t)used;
			de = next;
		}
		fill_entry(dir->i_sb, de, name, len, inode);
		mark_buffer_dirty(bh);
		return true;
	}
	return false;
}

/* Grows dir by one block holding only the name. */
static int
add_block(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct super_block *sb = dir->i_sb;
	unsigned n = dir_blocks(dir);
	struct ext2_dir_entry *de;
	struct buffer_head *bh;
	int err = ext2_get_zeroed_block(dir, n, &bh);

	if (err < 0)
		return err;
	de = entry_at(bh, 0);
	de->rec_len = (uint16_t)sb->s_blocksize;
	fill_entry(sb, de, name, len, inode);
	set_buffer_uptodate(bh);
	mark_buffer_dirty(bh);
	brelse(bh);
	dir->i_size += sb->s_blocksize;
	return 0;
}

/* Adds d's name to its parent directory, pointing at inode. 0 or -errno. */
int
ext2_add_link(struct dentry *d, struct inode *inode)
{
	struct inode *dir = d->d_parent->d_inode;
	const char *name = d->d_name;
	size_t len = strlen(name);
	int err = 0;
	bool done = false;

	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	for (unsigned n = 0; n < dir_blocks(dir) && !done; n++) {
		struct buffer_head *bh = dir_block(dir, n);

		if (IS_ERR(bh))
			return PTR_ERR(bh);
		done = add_to_block(dir, bh, name, len, inode);
		brelse(bh);
	}
	if (!done)
		err = add_block(dir, name, len, inode);
	if (!err)
		dir_changed(dir);
	return err;
}

/* ---- removing and changing -------------------------------------------------- */

int
ext2_delete_entry(struct inode *dir, struct buffer_head *bh, struct ext2_dir_entry *de,
		  struct ext2_dir_entry *prev)
{
	if (prev)
		prev->rec_len = (uint16_t)(prev->rec_len + de->rec_len);
	else
		de->inode = 0;
	mark_buffer_dirty(bh);
	dir_changed(dir);
	return 0;
}

void
ext2_set_link(struct inode *dir, struct buffer_head *bh, struct ext2_dir_entry *de,
	      struct inode *inode)
{
	de->inode = (uint32_t)inode->i_ino;
	de->file_type = file_type_of(dir->i_sb, inode->i_mode);
	mark_buffer_dirty(bh);
	dir_changed(dir);
}

struct ext2_dir_entry *
ext2_dotdot(struct inode *dir, struct buffer_head **bhp)
{
	struct buffer_head *bh = dir_block(dir, 0);
	struct ext2_dir_entry *dot, *dotdot;

	if (IS_ERR(bh))
		return NULL;
	dot = entry_at(bh, 0);
	if (dot->rec_len >= dir->i_sb->s_blocksize) {
		brelse(bh);
		return NULL;
	}
	dotdot = entry_at(bh, dot->rec_len);
	if (dotdot->name_len != 2 || memcmp(dotdot->name, "..", 2) != 0) {
		brelse(bh);
		return NULL;
	}
	*bhp = bh;
	return dotdot;
}

/* Gives the new directory inode its first block: "." and "..". */
int
ext2_make_empty(struct inode *inode, struct inode *parent)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_dir_entry *dot, *dotdot;
	struct buffer_head *bh;
	int err = ext2_get_zeroed_block(inode, 0, &bh);

	if (err < 0)
		return err;
	dot = entry_at(bh, 0);
	dot->rec_len = (uint16_t)ext2_rec_len(1);
	fill_entry(sb, dot, ".", 1, inode);
	dotdot = entry_at(bh, dot->rec_len);
	dotdot->rec_len = (uint16_t)(sb->s_blocksize - dot->rec_len);
	fill_entry(sb, dotdot, "..", 2, parent);
	set_buffer_uptodate(bh);
	mark_buffer_dirty(bh);
	brelse(bh);
	inode->i_size = sb->s_blocksize;
	ext2_write_inode(inode, false);
	return 0;
}

/* 1 if dir holds nothing but "." and "..", 0 if it holds more, or -errno. */
int
ext2_empty_dir(struct inode *dir)
{
	unsigned bs = dir->i_sb->s_blocksize;

	for (unsigned n = 0; n < dir_blocks(dir); n++) {
		struct buffer_head *bh = dir_block(dir, n);

		if (IS_ERR(bh))
			return PTR_ERR(bh);
		for (unsigned off = 0; off < bs; off += entry_at(bh, off)->rec_len) {
			struct ext2_dir_entry *de = entry_at(bh, off);

			if (!de->inode)
				continue;
			if (de->name[0] != '.' || de->name_len > 2 ||
			    (de->name_len == 2 && de->name[1] != '.')) {
				brelse(bh);
				return 0;
			}
		}
		brelse(bh);
	}
	return 1;
}
