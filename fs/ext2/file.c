/*
 * fs/ext2/file.c — regular files of ext2: read, write, mmap, fsync, and
 * changing the size (truncate).
 *
 * INTERIM (until the page cache of mm/filemap.c lands): data moves block
 * by block through the buffer cache, found with ext2_get_block. A hole
 * reads as zeros; a block allocated for a write that does not cover it
 * whole is zeroed first. The page cache replaces this with
 * generic_file_read/write and fs/mpage.c's address_space operations.
 *
 * Locks: i_mutex around the size change of a write and around truncate;
 * no lock is held while user memory is copied (a fault there may read
 * this very file).
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <libk/string.h>

/* Bytes of the block holding pos that one step of a read or write moves. */
static size_t
step_len(struct super_block *sb, loff_t pos, size_t left)
{
	size_t n = sb->s_blocksize - (size_t)(pos & (sb->s_blocksize - 1));

	return n < left ? n : left;
}

static ssize_t
ext2_file_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	struct super_block *sb = inode->i_sb;
	size_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	while (b->left && *pos < inode->i_size) {
		size_t n = step_len(sb, *pos, b->left);
		uint32_t off = (uint32_t)(*pos & (sb->s_blocksize - 1)), phys;
		int err = ext2_get_block(inode, (uint32_t)(*pos >> sb->s_blocksize_bits), &phys, false);

		if ((loff_t)n > inode->i_size - *pos)
			n = (size_t)(inode->i_size - *pos);
		if (err >= 0 && phys) {
			struct buffer_head *bh = bread(sb->s_bdev, phys, sb->s_blocksize);

			err = bh ? iobuf_put(b, bh->b_data + off, n) : -EIO;
			brelse(bh);
		} else if (err >= 0) {
			err = iobuf_zero(b, n);
		}
		if (err < 0)
			return done ? (ssize_t)done : err;
		*pos += n;
		done += n;
	}
	return (ssize_t)done;
}

/* The buffer of file block iblock for a write of [off, off+n) into it. */
static struct buffer_head *
block_for_write(struct inode *inode, loff_t pos, uint32_t off, size_t n, int *err)
{
	struct super_block *sb = inode->i_sb;
	uint32_t phys;
	struct buffer_head *bh;
	int ret = ext2_get_block(inode, (uint32_t)(pos >> sb->s_blocksize_bits), &phys, true);

	if (ret < 0) {
		*err = ret;
		return NULL;
	}
	if (ret == 1 || (off == 0 && n == sb->s_blocksize)) {
		bh = getblk(sb->s_bdev, phys, sb->s_blocksize);
		if (bh && !buffer_uptodate(bh)) {
			memset(bh->b_data, 0, sb->s_blocksize);
			set_buffer_uptodate(bh);
		}
	} else {
		bh = bread(sb->s_bdev, phys, sb->s_blocksize);
	}
	*err = bh ? 0 : -EIO;
	return bh;
}

static ssize_t
ext2_file_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	struct super_block *sb = inode->i_sb;
	loff_t max = ext2_max_size(sb);
	size_t done = 0;
	int err = 0;

	if (*pos < 0)
		return -EINVAL;
	if (sb_rdonly(sb))
		return -EROFS;
	if (f->f_flags & O_APPEND)
		*pos = inode->i_size;
	if (*pos >= max)
		return b->left ? -EFBIG : 0;
	if ((loff_t)b->left > max - *pos)
		b->left = (size_t)(max - *pos);
	while (b->left) {
		size_t n = step_len(sb, *pos, b->left);
		uint32_t off = (uint32_t)(*pos & (sb->s_blocksize - 1));
		struct buffer_head *bh = block_for_write(inode, *pos, off, n, &err);

		if (bh) {
			err = iobuf_get(b, bh->b_data + off, n);
			mark_buffer_dirty(bh);
			brelse(bh);
		}
		if (err)
			break;
		*pos += n;
		done += n;
		mutex_lock(&inode->i_mutex);
		if (*pos > inode->i_size)
			inode->i_size = *pos;
		mutex_unlock(&inode->i_mutex);
	}
	if (!done)
		return err;
	ext2_inode_touch(inode, true);
	return (ssize_t)done;
}

/* i_op->truncate: i_mutex held. */
int
ext2_setsize(struct inode *inode, loff_t size)
{
	struct super_block *sb = inode->i_sb;
	uint32_t tail = (uint32_t)(size & (sb->s_blocksize - 1));

	if (sb_rdonly(sb))
		return -EROFS;
	if (size > ext2_max_size(sb))
		return -EFBIG;
	if (size < inode->i_size && tail) {
		/* zero the rest of the new last block, so growing shows zeros */
		uint32_t phys;
		int err = ext2_get_block(inode, (uint32_t)(size >> sb->s_blocksize_bits), &phys, false);

		if (err >= 0 && phys) {
			struct buffer_head *bh = bread(sb->s_bdev, phys, sb->s_blocksize);

			if (bh) {
				memset(bh->b_data + tail, 0, sb->s_blocksize - tail);
				mark_buffer_dirty(bh);
				brelse(bh);
			}
		}
	}
	inode->i_size = size;
	return ext2_truncate_blocks(inode, size);
}

static int
ext2_fsync(struct file *f, bool datasync)
{
	struct super_block *sb = f->f_inode->i_sb;
	int err;

	(void)datasync;
	if (sb_rdonly(sb))
		return 0;
	err = ext2_write_inode(f->f_inode, false);
	return err ? err : sync_blockdev(sb->s_bdev);
}

const struct file_operations ext2_file_operations = {
	.read = ext2_file_read,
	.write = ext2_file_write,
	.mmap = generic_file_mmap,
	.fsync = ext2_fsync,
};

const struct inode_operations ext2_file_inode_operations = {
	.truncate = ext2_setsize,
};

const struct address_space_operations ext2_aops = {
	.readpage = NULL,
};
