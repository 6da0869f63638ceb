/*
 * fs/ext2/file.c — regular files of ext2: read, write, mmap and fsync
 * through the page cache (mm/filemap.c), the address_space operations that
 * move its pages to and from the disk (fs/mpage.c with ext2_get_block),
 * and changing a file's size.
 *
 * Invariants: the blocks of a file past i_size are freed by every
 * truncate, and a write that stores less than it allocated for frees what
 * it got past EOF (write_failed in mm/filemap.c calls ext2_setsize), so
 * e2fsck never finds blocks beyond the size; the tail of the
 * last block past EOF is zero on the disk after a truncate (growing the
 * file again shows zeros).
 *
 * Locks: i_mutex (held by write() and truncate) → page lock → ext2_alloc
 * → ext2_sb → buffer; see mm/LOCKING.md.
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <fs/file.h>
#include <fs/mpage.h>
#include <kernel/errno.h>
#include <mm/filemap.h>

static int
ext2_readpage(struct address_space *mapping, struct page *page)
{
	return block_readpage(mapping, page, ext2_get_block);
}

static int
ext2_writepage(struct address_space *mapping, struct page *page)
{
	return block_writepage(mapping, page, ext2_get_block);
}

/* Blocks for [from, to) of page: allocated through ext2_get_block. If
 * the write then fails, the blocks it got past EOF are freed by
 * generic_file_write's write_failed, through ext2_setsize. */
static int
ext2_prepare_write(struct address_space *mapping, struct page *page, unsigned from, unsigned to)
{
	struct inode *inode = mapping->host;

	if (sb_rdonly(inode->i_sb))
		return -EROFS;
	return block_prepare_write(mapping, page, from, to, ext2_get_block);
}

/* a_ops->bmap: the block map, as FIBMAP reads it (swapon of a swap file). */
static int
ext2_bmap(struct address_space *mapping, uint32_t block, uint32_t *phys)
{
	int err = ext2_get_block(mapping->host, block, phys, false);

	return err < 0 ? err : 0;
}

const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.writepage = ext2_writepage,
	.prepare_write = ext2_prepare_write,
	.bmap = ext2_bmap,
};

/* i_op->truncate: i_mutex held. */
int
ext2_setsize(struct inode *inode, loff_t size)
{
	struct super_block *sb = inode->i_sb;
	int err;

	if (sb_rdonly(sb))
		return -EROFS;
	if (size > sb->s_maxbytes)
		return -EFBIG;
	if (size < inode->i_size) {
		err = block_truncate_page(inode->i_mapping, size, ext2_get_block);
		if (err)
			return err;
	}
	truncate_setsize(inode, size);
	return ext2_truncate_blocks(inode, size);
}

/* The file's pages and inode (generic_file_fsync), then the metadata its
 * blocks hang from: indirect blocks, bitmaps, descriptors (all the dirty
 * buffers of the device). */
static int
ext2_fsync(struct file *f, bool datasync)
{
	struct super_block *sb = f->f_inode->i_sb;
	int err;

	if (sb_rdonly(sb))
		return 0;
	err = generic_file_fsync(f, datasync);
	if (!err)
		err = ext2_write_inode(f->f_inode, false);
	if (!err)
		err = sync_blockdev(sb->s_bdev);
	return err;
}

const struct file_operations ext2_file_operations = {
	.read = generic_file_read,
	.write = generic_file_write,
	.mmap = generic_file_mmap,
	.fsync = ext2_fsync,
};

const struct inode_operations ext2_file_inode_operations = {
	.truncate = ext2_setsize,
};
