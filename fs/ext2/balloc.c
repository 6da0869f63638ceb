/*
 * fs/ext2/balloc.c — allocating and freeing blocks: the block bitmaps and
 * the free counts in the group descriptors.
 *
 * Bit b of group g's block bitmap is block s_first_data_block + g *
 * s_blocks_per_group + b; a set bit is a block in use (metadata included:
 * mke2fs marks the superblock copies, descriptors, bitmaps and inode
 * tables, and the bits past the end of the last group). Allocation is
 * goal-directed: the first free block at or after the goal in the goal's
 * group, then the following groups, wrapping round.
 *
 * Invariants (with s_lock held, and after every call): a group's
 * bg_free_blocks_count is the number of clear bits in its bitmap; the
 * superblock's count is made their sum at sync (ext2_sync_fs). A block
 * is handed out only with its bit set first, so ENOSPC loses nothing.
 *
 * Locks: s_lock around every bitmap and descriptor change; the bitmap's
 * buffer is read under it.
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

static bool
test_bit8(const uint8_t *map, unsigned bit)
{
	return map[bit >> 3] & (1u << (bit & 7));
}

static void
set_bit8(uint8_t *map, unsigned bit)
{
	map[bit >> 3] |= (uint8_t)(1u << (bit & 7));
}

static void
clear_bit8(uint8_t *map, unsigned bit)
{
	map[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
}

/* The first clear bit of map in [start, end), or end. */
unsigned
ext2_find_zero_bit(const uint8_t *map, unsigned start, unsigned end)
{
	unsigned bit = start;

	while (bit < end) {
		if ((bit & 7) == 0 && bit + 8 <= end && map[bit >> 3] == 0xff) {
			bit += 8;
			continue;
		}
		if (!test_bit8(map, bit))
			return bit;
		bit++;
	}
	return end;
}

/* Sets bit in map and returns whether it was clear. */
bool
ext2_set_bit(uint8_t *map, unsigned bit)
{
	bool was_clear = !test_bit8(map, bit);

	set_bit8(map, bit);
	return was_clear;
}

/* Clears bit in map and returns whether it was set. */
bool
ext2_clear_bit(uint8_t *map, unsigned bit)
{
	bool was_set = test_bit8(map, bit);

	clear_bit8(map, bit);
	return was_set;
}

static bool
is_power_of(unsigned n, unsigned base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

bool
ext2_group_has_super(struct super_block *sb, unsigned group)
{
	const struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	if (group <= 1 || es->s_rev_level == EXT2_GOOD_OLD_REV ||
	    !(es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	return is_power_of(group, 3) || is_power_of(group, 5) || is_power_of(group, 7);
}

/* Blocks in group (the last group may be short). */
static unsigned
blocks_in_group(struct super_block *sb, unsigned group)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t first = sbi->s_es->s_first_data_block + group * sbi->s_blocks_per_group;
	uint32_t left = sbi->s_es->s_blocks_count - first;

	return left < sbi->s_blocks_per_group ? left : sbi->s_blocks_per_group;
}

/* Takes the first free block of group in [start, end) of its bitmap:
 * its bit number, or -1 if there is none (-2: the bitmap cannot be read). */
static long
take_in_group(struct super_block *sb, unsigned group, unsigned start, unsigned end)
{
	struct buffer_head *gdbh, *bh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gdbh);
	unsigned bit;

	if (!gd->bg_free_blocks_count || start >= end)
		return -1;
	bh = bread(sb->s_bdev, gd->bg_block_bitmap, sb->s_blocksize);
	if (!bh)
		return -2;
	bit = ext2_find_zero_bit((uint8_t *)bh->b_data, start, end);
	if (bit == end) {
		brelse(bh);
		return -1;
	}
	ext2_set_bit((uint8_t *)bh->b_data, bit);
	mark_buffer_dirty(bh);
	brelse(bh);
	gd->bg_free_blocks_count--;
	mark_buffer_dirty(gdbh);
	return bit;
}

uint32_t
ext2_new_block(struct inode *inode, uint32_t goal, int *err)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t first = sbi->s_es->s_first_data_block;
	unsigned group, start;

	if (sb_rdonly(sb)) {
		*err = -EROFS;
		return 0;
	}
	if (goal < first || goal >= sbi->s_es->s_blocks_count)
		goal = first + EXT2_I(inode)->i_block_group * sbi->s_blocks_per_group;
	group = (goal - first) / sbi->s_blocks_per_group;
	start = (goal - first) % sbi->s_blocks_per_group;
	mutex_lock(&sbi->s_lock);
	/* the goal's group from the goal on, the others whole, then the
	 * goal's group before the goal */
	for (unsigned i = 0; i <= sbi->s_groups_count; i++) {
		unsigned g = (group + i) % sbi->s_groups_count;
		unsigned from = i == 0 ? start : 0;
		unsigned to = i == sbi->s_groups_count ? start : blocks_in_group(sb, g);
		long bit = take_in_group(sb, g, from, to);

		if (bit == -2) {
			mutex_unlock(&sbi->s_lock);
			*err = -EIO;
			return 0;
		}
		if (bit >= 0) {
			mutex_unlock(&sbi->s_lock);
			*err = 0;
			return first + g * sbi->s_blocks_per_group + (uint32_t)bit;
		}
	}
	mutex_unlock(&sbi->s_lock);
	*err = -ENOSPC;
	return 0;
}

/* Whether block lies in the metadata of its group (a bug to free it). */
static bool
is_group_metadata(struct super_block *sb, unsigned group, uint32_t block)
{
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, NULL);

	return block == gd->bg_block_bitmap || block == gd->bg_inode_bitmap ||
	       (block >= gd->bg_inode_table &&
		block < gd->bg_inode_table + EXT2_SB(sb)->s_itb_per_group);
}

void
ext2_free_blocks(struct inode *inode, uint32_t block, unsigned count)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t first = sbi->s_es->s_first_data_block;

	mutex_lock(&sbi->s_lock);
	for (uint32_t b = block; b < block + count; b++) {
		unsigned group, bit;
		struct buffer_head *gdbh, *bh;
		struct ext2_group_desc *gd;

		if (b < first || b >= sbi->s_es->s_blocks_count) {
			printk(KERN_ERR "ext2: freeing block %u outside the file system (inode %llu)\n",
			       b, (unsigned long long)inode->i_ino);
			continue;
		}
		group = (b - first) / sbi->s_blocks_per_group;
		bit = (b - first) % sbi->s_blocks_per_group;
		if (is_group_metadata(sb, group, b)) {
			printk(KERN_ERR "ext2: inode %llu points at metadata block %u\n",
			       (unsigned long long)inode->i_ino, b);
			continue;
		}
		gd = ext2_get_group_desc(sb, group, &gdbh);
		bh = bread(sb->s_bdev, gd->bg_block_bitmap, sb->s_blocksize);
		if (!bh)
			continue;
		if (ext2_clear_bit((uint8_t *)bh->b_data, bit)) {
			gd->bg_free_blocks_count++;
			mark_buffer_dirty(gdbh);
			mark_buffer_dirty(bh);
		} else {
			printk(KERN_ERR "ext2: freeing free block %u (inode %llu)\n", b,
			       (unsigned long long)inode->i_ino);
		}
		brelse(bh);
		bforget_block(sb->s_bdev, b, sb->s_blocksize);
	}
	mutex_unlock(&sbi->s_lock);
}

unsigned long
ext2_count_free_blocks(struct super_block *sb)
{
	unsigned long n = 0;

	for (unsigned g = 0; g < EXT2_SB(sb)->s_groups_count; g++)
		n += ext2_get_group_desc(sb, g, NULL)->bg_free_blocks_count;
	return n;
}
