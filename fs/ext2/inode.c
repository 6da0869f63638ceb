/*
 * fs/ext2/inode.c — ext2 inodes: reading and writing them in the inode
 * table, mapping a file's blocks (get_block, with allocation), freeing
 * blocks on truncate and when the last link and reference go.
 *
 * Block map of a file, P = block size / 4 pointers per indirect block:
 *
 *   i_data[0..11]  file blocks 0..11
 *   i_data[12]  -> [P pointers]                     blocks 12 .. 12+P-1
 *   i_data[13]  -> [P] -> [P pointers]              the next P^2
 *   i_data[14]  -> [P] -> [P] -> [P pointers]       the next P^3
 *
 * Invariants: i_blocks counts, in 512-byte units, every block the inode
 * owns (data and indirect), as Linux and e2fsck do; a block pointer is
 * set only after its block is allocated (its bitmap bit set), and an
 * indirect block is zeroed before it is linked, so every state a crash
 * or ENOSPC can leave is consistent. Blocks past i_size are freed by
 * truncate (every level). Device inodes keep their number in i_data[0]
 * and fast symlinks their target, so neither has a block map.
 *
 * Locks: ei->i_alloc_lock (mutex "ext2_alloc", Linux's truncate_mutex)
 * serialises the block map of one inode: get_block and truncate take it;
 * it nests inside i_mutex and the page lock and outside s_lock, which
 * ext2_new_block/ext2_free_blocks take. write_inode takes s_lock.
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <fs/vfs.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <mm/slab.h>
#include <libk/string.h>

#define NSEC_PER_SEC 1000000000ll
#define EXT2_MAX_DEPTH 4

static uint32_t to_disk_time(int64_t ns) { return (uint32_t)(ns / NSEC_PER_SEC); }
static int64_t from_disk_time(uint32_t s) { return (int64_t)s * NSEC_PER_SEC; }

/* 512-byte units of one block. */
static unsigned
sectors_per_block(struct super_block *sb)
{
	return sb->s_blocksize >> SECTOR_SHIFT;
}

/* Whether the inode's i_data is a block map (not a device number or a
 * fast symlink's text). */
static bool
has_block_map(struct inode *inode)
{
	if (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode))
		return true;
	return S_ISLNK(inode->i_mode) && inode->i_op == &ext2_symlink_inode_operations;
}

/* Whether a symlink keeps its target in i_data: it owns no block (an
 * extended-attribute block aside), as Linux decides. */
static bool
is_fast_symlink(struct inode *inode)
{
	uint64_t ea = EXT2_I(inode)->i_file_acl ? sectors_per_block(inode->i_sb) : 0;

	return inode->i_blocks == ea;
}

/* ---- the raw inode in its table ----------------------------------------- */

/* The buffer holding inode ino's raw inode (a reference) and where in it. */
static struct buffer_head *
raw_inode_buffer(struct super_block *sb, uint64_t ino, unsigned *offset)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned group = (unsigned)((ino - 1) / sbi->s_inodes_per_group);
	unsigned index = (unsigned)((ino - 1) % sbi->s_inodes_per_group);
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);

	*offset = (index % sbi->s_inodes_per_block) * sbi->s_inode_size;
	return bread(sb->s_bdev, gd->bg_inode_table + index / sbi->s_inodes_per_block,
		     sb->s_blocksize);
}

static bool
valid_ino(struct super_block *sb, uint64_t ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	return (ino == EXT2_ROOT_INO || ino >= sbi->s_first_ino) && ino <= sbi->s_es->s_inodes_count;
}

static void
ext2_destroy_info(struct inode *inode)
{
	kfree(inode->i_private);
	inode->i_private = NULL;
}

/* Decodes a device number as Linux stores it: old (8:8) in i_block[0],
 * or new (12:20) in i_block[1]. */
static uint32_t
decode_rdev(const uint32_t *blocks)
{
	uint32_t dev = blocks[0] ? blocks[0] : blocks[1];
	unsigned major = (dev >> 8) & 0xfff, minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	return MKDEV(major, minor);
}

static void
fill_inode(struct inode *inode, const struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	inode->i_mode = raw->i_mode;
	inode->i_uid = raw->i_uid | (uint32_t)raw->i_uid_high << 16;
	inode->i_gid = raw->i_gid | (uint32_t)raw->i_gid_high << 16;
	inode->i_nlink = raw->i_links_count;
	inode->i_size = raw->i_size;
	if (S_ISREG(inode->i_mode))
		inode->i_size |= (loff_t)raw->i_size_high << 32;
	inode->i_atime = from_disk_time(raw->i_atime);
	inode->i_mtime = from_disk_time(raw->i_mtime);
	inode->i_ctime = from_disk_time(raw->i_ctime);
	inode->i_blocks = raw->i_blocks;
	ei->i_flags = raw->i_flags;
	ei->i_dtime = raw->i_dtime;
	ei->i_file_acl = raw->i_file_acl;
	ei->i_generation = raw->i_generation;
	memcpy(ei->i_data, raw->i_block, sizeof(ei->i_data));
	if (S_ISCHR(inode->i_mode) || ((inode->i_mode & S_IFMT) == S_IFBLK))
		inode->i_rdev = decode_rdev(raw->i_block);
}

void
ext2_set_inode_ops(struct inode *inode)
{
	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &ext2_file_inode_operations;
		inode->i_fop = &ext2_file_operations;
		inode->i_mapping->a_ops = &ext2_aops;
		break;
	case S_IFDIR:
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
		break;
	case S_IFLNK:
		inode->i_op = is_fast_symlink(inode) ? &ext2_fast_symlink_inode_operations
						     : &ext2_symlink_inode_operations;
		break;
	default:
		init_special_inode(inode);
		break;
	}
}

struct inode *
ext2_iget(struct super_block *sb, uint32_t ino)
{
	struct ext2_inode_info *ei;
	struct buffer_head *bh;
	struct inode *inode;
	unsigned offset;
	const struct ext2_inode *raw;

	if (!valid_ino(sb, ino))
		return ERR_PTR(-EIO);
	inode = iget_locked(sb, ino);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	ei = kzalloc(sizeof(*ei), GFP_KERNEL);
	bh = raw_inode_buffer(sb, ino, &offset);
	if (!ei || !bh) {
		kfree(ei);
		brelse(bh);
		iget_failed(inode);
		return ERR_PTR(ei ? -EIO : -ENOMEM);
	}
	inode->i_private = ei;
	inode->i_destroy = ext2_destroy_info;
	mutex_init(&ei->i_alloc_lock, "ext2_alloc");
	ei->i_block_group = (uint32_t)((ino - 1) / EXT2_SB(sb)->s_inodes_per_group);
	raw = (const struct ext2_inode *)(bh->b_data + offset);
	if (raw->i_links_count == 0 && (raw->i_mode == 0 || raw->i_dtime)) {
		brelse(bh);
		printk(KERN_ERR "ext2: a name points at deleted inode %u\n", ino);
		iget_failed(inode);
		return ERR_PTR(-EIO);
	}
	fill_inode(inode, raw);
	brelse(bh);
	ext2_set_inode_ops(inode);
	unlock_new_inode(inode);
	return inode;
}

/* The raw inode inode should have on disk, built over the bytes it has. */
static void
encode_inode(struct inode *inode, struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	raw->i_mode = (uint16_t)inode->i_mode;
	raw->i_uid = (uint16_t)inode->i_uid;
	raw->i_uid_high = (uint16_t)(inode->i_uid >> 16);
	raw->i_gid = (uint16_t)inode->i_gid;
	raw->i_gid_high = (uint16_t)(inode->i_gid >> 16);
	raw->i_links_count = (uint16_t)inode->i_nlink;
	raw->i_size = (uint32_t)inode->i_size;
	if (S_ISREG(inode->i_mode))
		raw->i_size_high = (uint32_t)((uint64_t)inode->i_size >> 32);
	raw->i_atime = to_disk_time(inode->i_atime);
	raw->i_mtime = to_disk_time(inode->i_mtime);
	raw->i_ctime = to_disk_time(inode->i_ctime);
	raw->i_dtime = ei->i_dtime;
	raw->i_blocks = (uint32_t)inode->i_blocks;
	raw->i_flags = ei->i_flags;
	raw->i_file_acl = ei->i_file_acl;
	raw->i_generation = ei->i_generation;
	if (S_ISCHR(inode->i_mode) || ((inode->i_mode & S_IFMT) == S_IFBLK)) {
		memset(raw->i_block, 0, sizeof(raw->i_block));
		raw->i_block[0] = (uint32_t)inode->i_rdev;        /* MKDEV is the old 8:8 form */
	} else {
		memcpy(raw->i_block, ei->i_data, sizeof(raw->i_block));
	}
}

/* A file over 2 GiB needs the large_file feature in the superblock. */
static void
note_large_file(struct inode *inode)
{
	struct ext2_super_block *es = EXT2_SB(inode->i_sb)->s_es;

	if (inode->i_size <= INT32_MAX || es->s_rev_level == EXT2_GOOD_OLD_REV ||
	    (es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE))
		return;
	es->s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
	ext2_mark_sb_dirty(inode->i_sb);
}

/*
 * Copies inode into its inode-table buffer (marking it dirty only if a
 * byte changed) and, with sync, writes the buffer now. Nothing on a
 * read-only mount. 0 or -errno.
 */
int
ext2_write_inode(struct inode *inode, bool sync)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct ext2_inode raw;
	struct buffer_head *bh;
	unsigned offset;
	int err = 0;

	if (sb_rdonly(sb) || !ei || !valid_ino(sb, inode->i_ino))
		return 0;
	bh = raw_inode_buffer(sb, inode->i_ino, &offset);
	if (!bh)
		return -EIO;
	mutex_lock(&sbi->s_lock);
	if (ei->i_fresh) {
		memset(bh->b_data + offset, 0, sbi->s_inode_size);
		mark_buffer_dirty(bh);
		ei->i_fresh = false;
	}
	memcpy(&raw, bh->b_data + offset, sizeof(raw));
	encode_inode(inode, &raw);
	note_large_file(inode);
	if (memcmp(&raw, bh->b_data + offset, sizeof(raw)) != 0) {
		memcpy(bh->b_data + offset, &raw, sizeof(raw));
		mark_buffer_dirty(bh);
	}
	inode->i_state &= ~I_DIRTY;
	mutex_unlock(&sbi->s_lock);
	if (sync)
		err = sync_dirty_buffer(bh);
	brelse(bh);
	return err;
}

void
ext2_inode_touch(struct inode *inode, bool mtime)
{
	inode->i_ctime = current_time_ns();
	if (mtime)
		inode->i_mtime = inode->i_ctime;
	ext2_write_inode(inode, false);
}

/* ---- the block map -------------------------------------------------------- */

/*
 * The path to file block iblock: offsets[0] an index into i_data, each
 * next one an index into an indirect block. Its length (1-4), or 0 if
 * iblock is past what a triple indirect block reaches.
 */
static unsigned
block_to_path(struct inode *inode, uint32_t iblock, unsigned offsets[EXT2_MAX_DEPTH])
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	unsigned bits = sbi->s_addr_per_block_bits;
	uint64_t p = sbi->s_addr_per_block, b = iblock;

	if (b < EXT2_NDIR_BLOCKS) {
		offsets[0] = (unsigned)b;
		return 1;
	}
	b -= EXT2_NDIR_BLOCKS;
	if (b < p) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = (unsigned)b;
		return 2;
	}
	b -= p;
	if (b < p * p) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = (unsigned)(b >> bits);
		offsets[2] = (unsigned)(b & (p - 1));
		return 3;
	}
	b -= p * p;
	if (b < p * p * p) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = (unsigned)(b >> (2 * bits));
		offsets[2] = (unsigned)((b >> bits) & (p - 1));
		offsets[3] = (unsigned)(b & (p - 1));
		return 4;
	}
	return 0;
}

/* The largest file size the block map reaches (and i_blocks can count). */
loff_t
ext2_max_size(struct super_block *sb)
{
	uint64_t p = EXT2_SB(sb)->s_addr_per_block;
	uint64_t blocks = EXT2_NDIR_BLOCKS + p + p * p + p * p * p;
	uint64_t by_iblocks = ((1ull << 32) - 1) / sectors_per_block(sb) - 1 - 1 - p - p * p;

	if (blocks > by_iblocks)
		blocks = by_iblocks;
	if (blocks > (1ull << 32) - 1)           /* page and block indexes are 32 bits */
		blocks = (1ull << 32) - 1;
	return (loff_t)(blocks << sb->s_blocksize_bits);
}

/* Allocates a block for inode near goal and accounts it: the block or 0 (*err). */
static uint32_t
alloc_block(struct inode *inode, uint32_t goal, int *err)
{
	uint32_t block = ext2_new_block(inode, goal, err);

	if (block) {
		inode->i_blocks += sectors_per_block(inode->i_sb);
		EXT2_I(inode)->i_next_goal = block + 1;
	}
	return block;
}

/* A new indirect block, zeroed and dirty, near goal: its number or 0 (*err). */
static uint32_t
alloc_indirect(struct inode *inode, uint32_t goal, int *err)
{
	struct super_block *sb = inode->i_sb;
	uint32_t block = alloc_block(inode, goal, err);
	struct buffer_head *bh;

	if (!block)
		return 0;
	bh = getblk(sb->s_bdev, block, sb->s_blocksize);
	if (!bh) {
		ext2_free_blocks(inode, block, 1);
		inode->i_blocks -= sectors_per_block(sb);
		*err = -ENOMEM;
		return 0;
	}
	memset(bh->b_data, 0, sb->s_blocksize);
	set_buffer_uptodate(bh);
	mark_buffer_dirty(bh);
	brelse(bh);
	return block;
}

static uint32_t
goal_for(struct inode *inode, uint32_t near)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	return ei->i_next_goal ? ei->i_next_goal : near;
}

/* get_block with i_alloc_lock held. */
static int
get_block_locked(struct inode *inode, uint32_t iblock, uint32_t *phys, bool create)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned offsets[EXT2_MAX_DEPTH];
	unsigned depth = block_to_path(inode, iblock, offsets);
	struct buffer_head *bh = NULL;      /* holds *slot, when it is not in i_data */
	uint32_t *slot, parent = 0;
	int err = 0, result = 0;

	*phys = 0;
	if (!depth)
		return create ? -EFBIG : 0;
	if (create && sb_rdonly(sb))
		return -EROFS;
	slot = &ei->i_data[offsets[0]];
	for (unsigned level = 1; level <= depth; level++) {
		if (!*slot) {
			uint32_t fresh;

			if (!create)
				goto out;
			fresh = level < depth ? alloc_indirect(inode, goal_for(inode, parent), &err)
					      : alloc_block(inode, goal_for(inode, parent), &err);
			if (!fresh)
				goto out;
			*slot = fresh;
			if (bh)
				mark_buffer_dirty(bh);
			else
				mark_inode_dirty(inode);
			if (level == depth)
				result = 1;
		}
		parent = *slot;
		if (level == depth)
			break;
		brelse(bh);
		bh = bread(sb->s_bdev, parent, sb->s_blocksize);
		if (!bh) {
			err = -EIO;
			goto out;
		}
		slot = (uint32_t *)bh->b_data + offsets[level];
	}
	*phys = *slot;
out:
	brelse(bh);
	return err ? err : result;
}

int
ext2_get_block(struct inode *inode, uint32_t iblock, uint32_t *phys, bool create)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	int ret;

	mutex_lock(&ei->i_alloc_lock);
	ret = get_block_locked(inode, iblock, phys, create);
	mutex_unlock(&ei->i_alloc_lock);
	if (create)
		ext2_write_inode(inode, false);    /* i_data, i_blocks may have changed */
	return ret;
}

int
ext2_get_zeroed_block(struct inode *inode, uint32_t iblock, struct buffer_head **bhp)
{
	struct super_block *sb = inode->i_sb;
	uint32_t phys;
	int err = ext2_get_block(inode, iblock, &phys, true);

	*bhp = NULL;
	if (err < 0)
		return err;
	*bhp = getblk(sb->s_bdev, phys, sb->s_blocksize);
	if (!*bhp)
		return -ENOMEM;
	memset((*bhp)->b_data, 0, sb->s_blocksize);
	return 0;
}

/* ---- freeing blocks: truncate ----------------------------------------------- */

/* Frees runs of consecutive blocks in one call each. */
struct block_freer {
	struct inode *inode;
	uint32_t start, count;
};

static void
freer_flush(struct block_freer *f)
{
	if (f->count) {
		ext2_free_blocks(f->inode, f->start, f->count);
		f->inode->i_blocks -= (uint64_t)f->count * sectors_per_block(f->inode->i_sb);
	}
	f->count = 0;
}

static void
freer_add(struct block_freer *f, uint32_t block)
{
	if (f->count && block == f->start + f->count) {
		f->count++;
		return;
	}
	freer_flush(f);
	f->start = block;
	f->count = 1;
}

/* Frees block and, for depth > 0 (an indirect block), everything under it. */
static void
free_subtree(struct block_freer *f, uint32_t block, unsigned depth)
{
	struct super_block *sb = f->inode->i_sb;

	if (depth > 0) {
		struct buffer_head *bh = bread(sb->s_bdev, block, sb->s_blocksize);
		unsigned p = EXT2_SB(sb)->s_addr_per_block;

		if (!bh) {
			printk(KERN_ERR "ext2: cannot read indirect block %u of inode %llu: "
			       "its blocks are lost\n", block, (unsigned long long)f->inode->i_ino);
		} else {
			for (unsigned i = 0; i < p; i++) {
				uint32_t child = ((uint32_t *)bh->b_data)[i];

				if (child)
					free_subtree(f, child, depth - 1);
			}
			brelse(bh);
		}
	}
	freer_add(f, block);
}

/*
 * Frees what the tree at *slot (an indirect block of depth levels; 1 holds
 * data pointers) maps from its file block `from` on, clearing the
 * pointers; the whole tree and *slot itself when from is 0. slot lives in
 * bh's block (marked dirty), or in i_data when bh is NULL.
 */
static void
truncate_subtree(struct block_freer *f, uint32_t *slot, struct buffer_head *bh,
		 unsigned depth, uint64_t from)
{
	struct super_block *sb = f->inode->i_sb;
	unsigned bits = EXT2_SB(sb)->s_addr_per_block_bits;
	unsigned p = EXT2_SB(sb)->s_addr_per_block;
	uint64_t span = 1ull << (bits * (depth - 1));     /* file blocks per entry */
	struct buffer_head *ibh;
	unsigned first;

	if (!*slot)
		return;
	if (from == 0) {
		free_subtree(f, *slot, depth);
		*slot = 0;
		if (bh)
			mark_buffer_dirty(bh);
		return;
	}
	ibh = bread(sb->s_bdev, *slot, sb->s_blocksize);
	if (!ibh)
		return;
	first = (unsigned)(from / span);
	if (from % span) {                  /* an entry kept in part */
		truncate_subtree(f, (uint32_t *)ibh->b_data + first, ibh, depth - 1, from % span);
		first++;
	}
	for (unsigned i = first; i < p; i++) {
		uint32_t *child = (uint32_t *)ibh->b_data + i;

		if (*child) {
			free_subtree(f, *child, depth - 1);
			*child = 0;
			mark_buffer_dirty(ibh);
		}
	}
	brelse(ibh);
}

/*
 * Frees every block past the one holding byte size-1 (all of them for 0),
 * at every level. i_alloc_lock is taken; the caller has set i_size.
 */
int
ext2_truncate_blocks(struct inode *inode, loff_t size)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	uint64_t p = EXT2_SB(sb)->s_addr_per_block;
	uint64_t from = ((uint64_t)size + sb->s_blocksize - 1) >> sb->s_blocksize_bits;
	struct block_freer f = { .inode = inode };
	uint64_t level_start = EXT2_NDIR_BLOCKS, level_span = p;

	if (!has_block_map(inode))
		return 0;
	if (sb_rdonly(sb))
		return -EROFS;
	mutex_lock(&ei->i_alloc_lock);
	for (uint64_t i = from; i < EXT2_NDIR_BLOCKS; i++) {
		if (ei->i_data[i]) {
			freer_add(&f, ei->i_data[i]);
			ei->i_data[i] = 0;
		}
	}
	for (unsigned depth = 1; depth <= 3; depth++) {
		uint64_t rel = from > level_start ? from - level_start : 0;

		if (rel < level_span)
			truncate_subtree(&f, &ei->i_data[EXT2_IND_BLOCK + depth - 1], NULL, depth, rel);
		level_start += level_span;
		level_span *= p;
	}
	freer_flush(&f);
	ei->i_next_goal = 0;
	mutex_unlock(&ei->i_alloc_lock);
	return ext2_write_inode(inode, false);
}

/* ---- eviction ------------------------------------------------------------- */

void
ext2_evict_inode(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (!ei || sb_rdonly(inode->i_sb))
		return;
	if (inode->i_nlink) {
		ext2_write_inode(inode, false);
		return;
	}
	/* The last name and the last user are gone: free it all. */
	inode->i_size = 0;
	ext2_truncate_blocks(inode, 0);
	ei->i_dtime = to_disk_time(current_time_ns());
	ext2_write_inode(inode, false);
	ext2_free_inode(inode);
}

/* ---- symlinks ------------------------------------------------------------ */

static int
ext2_readlink_fast(struct dentry *d, char *buf, size_t size)
{
	struct inode *inode = d->d_inode;
	size_t len = (size_t)inode->i_size;

	if (len > size)
		len = size;
	memcpy(buf, (const char *)EXT2_I(inode)->i_data, len);
	return (int)len;
}

static int
ext2_readlink_slow(struct dentry *d, char *buf, size_t size)
{
	struct inode *inode = d->d_inode;
	struct super_block *sb = inode->i_sb;
	size_t len = (size_t)inode->i_size;
	struct buffer_head *bh;
	uint32_t block;
	int err;

	if (len >= sb->s_blocksize)
		return -EIO;
	err = ext2_get_block(inode, 0, &block, false);
	if (err < 0)
		return err;
	if (!block)
		return -EIO;
	bh = bread(sb->s_bdev, block, sb->s_blocksize);
	if (!bh)
		return -EIO;
	if (len > size)
		len = size;
	memcpy(buf, bh->b_data, len);
	brelse(bh);
	return (int)len;
}

const struct inode_operations ext2_fast_symlink_inode_operations = {
	.readlink = ext2_readlink_fast,
};

const struct inode_operations ext2_symlink_inode_operations = {
	.readlink = ext2_readlink_slow,
};
