/*
 * fs/mpage.c — moving page-cache pages to and from a block device for a
 * file system that maps file blocks with a get_block callback (see
 * mpage.h).
 *
 * A page covers blocks first .. first + n - 1 (n = PAGE_SIZE / blocksize).
 * Each operation maps the blocks it needs, then does the I/O in runs of
 * physically consecutive blocks, one synchronous bio per run, straight
 * into the page's memory.
 *
 * Invariants: a page is made uptodate only when every byte of it holds the
 * file's contents (zeros for holes and past EOF); bytes past EOF never go
 * to the disk as file data (block_writepage zeroes them first).
 *
 * Locks: every function is called with the page locked (block_truncate_page
 * takes it) and i_mutex held for writes and truncate; get_block takes the
 * file system's own locks (for ext2: ext2_alloc, then ext2_sb), and the
 * device's bd_lock is taken by the bio underneath. No buffer-cache lock is
 * taken: file data never goes through the buffer cache.
 */
#include <fs/mpage.h>
#include <fs/vfs.h>
#include <drivers/block/blkdev.h>
#include <kernel/errno.h>
#include <mm/page.h>
#include <mm/page_lock.h>
#include <libk/string.h>

/* What the blocks of one page are. */
struct page_blocks {
	struct inode *inode;
	unsigned bits;              /* log2 of the block size */
	unsigned count;             /* blocks in the page */
	uint32_t first;             /* file block of the page's first byte */
	char *data;                 /* the page's memory */
};

static struct page_blocks
page_blocks_of(struct address_space *mapping, struct page *page)
{
	struct inode *inode = mapping->host;
	unsigned bits = inode->i_sb->s_blocksize_bits;

	return (struct page_blocks){
		.inode = inode,
		.bits = bits,
		.count = 1u << (PAGE_SHIFT - bits),
		.first = page->index << (PAGE_SHIFT - bits),
		.data = page_address(page),
	};
}

/* Blocks of the file that hold bytes below i_size. */
static uint64_t
blocks_in_file(const struct page_blocks *pb)
{
	return ((uint64_t)pb->inode->i_size + (1u << pb->bits) - 1) >> pb->bits;
}

/* Reads or writes blocks [i, i + n) of the page from/to disk blocks
 * phys .. phys + n - 1. */
static int
block_io(const struct page_blocks *pb, enum req_op op, unsigned i, unsigned n, uint32_t phys)
{
	struct block_device *bdev = pb->inode->i_sb->s_bdev;
	unsigned sectors_per_block = 1u << (pb->bits - SECTOR_SHIFT);

	return blkdev_rw(bdev, op, (uint64_t)phys * sectors_per_block, pb->data + (i << pb->bits),
			 n << pb->bits);
}

/* Runs of consecutive disk blocks, gathered one block at a time. */
struct run {
	unsigned start, len;        /* page block index, number of blocks */
	uint32_t phys;              /* disk block of the first */
};

/* Adds block i at phys to the run, first doing the run's I/O if it cannot
 * be extended. 0 or -errno. */
static int
run_add(const struct page_blocks *pb, enum req_op op, struct run *r, unsigned i, uint32_t phys)
{
	int err = 0;

	if (r->len && r->start + r->len == i && r->phys + r->len == phys) {
		r->len++;
		return 0;
	}
	if (r->len)
		err = block_io(pb, op, r->start, r->len, r->phys);
	r->start = i;
	r->len = 1;
	r->phys = phys;
	return err;
}

static int
run_flush(const struct page_blocks *pb, enum req_op op, struct run *r)
{
	int err = r->len ? block_io(pb, op, r->start, r->len, r->phys) : 0;

	r->len = 0;
	return err;
}

/* Zeroes the bytes of the page at or past EOF. */
static void
zero_past_eof(const struct page_blocks *pb, struct page *page)
{
	loff_t start = (loff_t)page->index << PAGE_SHIFT;
	loff_t size = pb->inode->i_size;

	if (size <= start)
		memset(pb->data, 0, PAGE_SIZE);
	else if (size < start + PAGE_SIZE)
		memset(pb->data + (size - start), 0, (size_t)(start + PAGE_SIZE - size));
}

/* Fills the blocks of the page whose bit is set in want from the disk
 * (holes and blocks past EOF become zeros). 0 or -errno. */
static int
read_blocks(const struct page_blocks *pb, uint32_t want, get_block_t get_block)
{
	uint64_t eof = blocks_in_file(pb);
	struct run r = { 0 };
	int err = 0;

	for (unsigned i = 0; i < pb->count && !err; i++) {
		uint32_t phys = 0;

		if (!(want & (1u << i)))
			continue;
		if (pb->first + i < eof)
			err = get_block(pb->inode, pb->first + i, &phys, false);
		if (!err && phys)
			err = run_add(pb, REQ_OP_READ, &r, i, phys);
		else if (!err)
			memset(pb->data + (i << pb->bits), 0, 1u << pb->bits);
	}
	if (!err)
		err = run_flush(pb, REQ_OP_READ, &r);
	return err < 0 ? err : 0;
}

int
block_readpage(struct address_space *mapping, struct page *page, get_block_t get_block)
{
	struct page_blocks pb = page_blocks_of(mapping, page);
	int err;

	assert_page_locked(page);
	err = read_blocks(&pb, (1u << pb.count) - 1, get_block);
	if (err) {
		SetPageFlag(page, PG_error);
	} else {
		zero_past_eof(&pb, page);
		SetPageFlag(page, PG_uptodate);
	}
	unlock_page(page);
	return err;
}

int
block_writepage(struct address_space *mapping, struct page *page, get_block_t get_block)
{
	struct page_blocks pb = page_blocks_of(mapping, page);
	uint64_t eof = blocks_in_file(&pb);
	struct run r = { 0 };
	int err = 0;

	assert_page_locked(page);
	zero_past_eof(&pb, page);
	for (unsigned i = 0; i < pb.count && pb.first + i < eof && !err; i++) {
		uint32_t phys;

		err = get_block(pb.inode, pb.first + i, &phys, false);
		if (!err && phys)
			err = run_add(&pb, REQ_OP_WRITE, &r, i, phys);
	}
	if (!err)
		err = run_flush(&pb, REQ_OP_WRITE, &r);
	return err < 0 ? err : 0;
}

int
block_prepare_write(struct address_space *mapping, struct page *page, unsigned from, unsigned to,
		    get_block_t get_block)
{
	struct page_blocks pb = page_blocks_of(mapping, page);
	bool uptodate = PageFlag(page, PG_uptodate);
	uint32_t to_fill = 0;            /* blocks whose bytes outside [from, to) need contents */
	unsigned bs = 1u << pb.bits;

	assert_page_locked(page);
	BUG_ON(from > to || to > PAGE_SIZE);
	for (unsigned i = 0; i < pb.count; i++) {
		unsigned start = i << pb.bits, end = start + bs;
		bool covered = from <= start && end <= to;
		uint32_t phys;
		int ret = 0;

		if (end > from && start < to)
			ret = get_block(pb.inode, pb.first + i, &phys, true);
		if (ret < 0)
			return ret;
		if (uptodate || covered)
			continue;
		if (ret == 1)                   /* new: no old contents to read */
			memset(pb.data + start, 0, bs);
		else
			to_fill |= 1u << i;
	}
	return to_fill ? read_blocks(&pb, to_fill, get_block) : 0;
}

int
block_truncate_page(struct address_space *mapping, loff_t size, get_block_t get_block)
{
	struct inode *inode = mapping->host;
	unsigned bs = inode->i_sb->s_blocksize;
	unsigned tail = (unsigned)size & (bs - 1);
	unsigned offset = (unsigned)size & ~PAGE_MASK;
	struct page *page;
	uint32_t phys;
	int err;

	if (!tail)
		return 0;
	err = get_block(inode, (uint32_t)(size >> inode->i_sb->s_blocksize_bits), &phys, false);
	if (err < 0 || !phys)
		return err < 0 ? err : 0;     /* a hole reads as zeros already */
	page = read_mapping_page(mapping, (uint32_t)(size >> PAGE_SHIFT));
	if (IS_ERR(page))
		return PTR_ERR(page);
	lock_page(page);
	if (page->mapping == mapping) {
		memset((char *)page_address(page) + offset, 0, bs - tail);
		set_page_dirty(page);
	}
	unlock_page(page);
	put_page(page);
	return 0;
}
