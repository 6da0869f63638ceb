/*
 * fs/ext2/ialloc.c — allocating and freeing inodes: the inode bitmaps and
 * the free and directory counts in the group descriptors.
 *
 * Bit b of group g's inode bitmap is inode g * s_inodes_per_group + b + 1.
 * Inodes below s_first_ino are reserved (root, lost+found's neighbours,
 * the resize inode) and never handed out. Placement is simple, not
 * Linux's Orlov: a directory goes to the group with the most free blocks
 * among those with free inodes, a file next to its directory.
 *
 * Invariants (s_lock held, and after every call): bg_free_inodes_count is
 * the number of clear bits in the group's inode bitmap (within
 * s_inodes_per_group) and bg_used_dirs_count the number of directories
 * in it. A freed inode is written with i_links_count 0 and i_dtime set
 * before its bit is cleared, as e2fsck expects of a deleted inode.
 *
 * Locks: s_lock around every bitmap and descriptor change.
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/random.h>
#include <mm/slab.h>

/* The group a new inode of dir should go in, or -1 if none has room. */
static long
choose_group(struct inode *dir, bool is_dir)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned parent = EXT2_I(dir)->i_block_group;
	long best = -1;

	if (is_dir) {
		unsigned best_free = 0;

		for (unsigned g = 0; g < sbi->s_groups_count; g++) {
			struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, NULL);

			if (gd->bg_free_inodes_count &&
			    (best < 0 || gd->bg_free_blocks_count > best_free)) {
				best = g;
				best_free = gd->bg_free_blocks_count;
			}
		}
		return best;
	}
	for (unsigned i = 0; i < sbi->s_groups_count; i++) {
		unsigned g = (parent + i) % sbi->s_groups_count;

		if (ext2_get_group_desc(sb, g, NULL)->bg_free_inodes_count)
			return g;
	}
	return -1;
}

/* Takes a free inode of group: its number, 0 if the bitmap had none, or
 * -EIO. s_lock held. */
static long
take_inode_in_group(struct super_block *sb, unsigned group, bool is_dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *gdbh, *bh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gdbh);
	unsigned start = 0, bit;

	if (group == 0)
		start = sbi->s_first_ino - 1;          /* skip the reserved inodes */
	bh = bread(sb->s_bdev, gd->bg_inode_bitmap, sb->s_blocksize);
	if (!bh)
		return -EIO;
	bit = ext2_find_zero_bit((uint8_t *)bh->b_data, start, sbi->s_inodes_per_group);
	if (bit == sbi->s_inodes_per_group) {
		brelse(bh);
		return 0;
	}
	ext2_set_bit((uint8_t *)bh->b_data, bit);
	mark_buffer_dirty(bh);
	brelse(bh);
	gd->bg_free_inodes_count--;
	if (is_dir)
		gd->bg_used_dirs_count++;
	mark_buffer_dirty(gdbh);
	return (long)group * sbi->s_inodes_per_group + bit + 1;
}

/* Gives an inode number back to its group's bitmap. s_lock held. */
static void
release_inode_number(struct super_block *sb, uint32_t ino, bool is_dir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned group = (ino - 1) / sbi->s_inodes_per_group;
	unsigned bit = (ino - 1) % sbi->s_inodes_per_group;
	struct buffer_head *gdbh, *bh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, group, &gdbh);

	bh = bread(sb->s_bdev, gd->bg_inode_bitmap, sb->s_blocksize);
	if (!bh)
		return;
	if (ext2_clear_bit((uint8_t *)bh->b_data, bit)) {
		gd->bg_free_inodes_count++;
		if (is_dir)
			gd->bg_used_dirs_count--;
		mark_buffer_dirty(gdbh);
		mark_buffer_dirty(bh);
	} else {
		printk(KERN_ERR "ext2: freeing free inode %u\n", ino);
	}
	brelse(bh);
}

static void
ext2_destroy_info(struct inode *inode)
{
	kfree(inode->i_private);
	inode->i_private = NULL;
}

/*
 * A new inode of mode in dir's file system: numbered, hashed, with its
 * ext2 info, written to its inode-table buffer, i_nlink 1. ERR_PTR(-ENOSPC)
 * when no inode is free, -EROFS, -ENOMEM, -EIO.
 */
struct inode *
ext2_new_inode(struct inode *dir, uint32_t mode)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode_info *ei;
	struct inode *inode;
	long group, ino = 0;

	if (sb_rdonly(sb))
		return ERR_PTR(-EROFS);
	ei = kzalloc(sizeof(*ei), GFP_KERNEL);
	inode = new_inode(sb, mode);
	if (!ei || !inode) {
		kfree(ei);
		if (inode)
			iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	inode->i_private = ei;
	inode->i_destroy = ext2_destroy_info;
	mutex_init(&ei->i_alloc_lock, "ext2_alloc");
	inode->i_state |= I_BAD;               /* nothing to evict until it has a number */

	mutex_lock(&sbi->s_lock);
	for (unsigned tries = 0; tries < sbi->s_groups_count && ino == 0; tries++) {
		group = choose_group(dir, S_ISDIR(mode));
		if (group < 0)
			break;
		ino = take_inode_in_group(sb, (unsigned)group, S_ISDIR(mode));
		if (ino == 0) {                 /* the count lied: trust the bitmap */
			printk(KERN_ERR "ext2: group %ld has no free inode in its bitmap\n", group);
			ext2_get_group_desc(sb, (unsigned)group, NULL)->bg_free_inodes_count = 0;
		}
	}
	mutex_unlock(&sbi->s_lock);
	if (ino <= 0) {
		iput(inode);
		return ERR_PTR(ino < 0 ? ino : -ENOSPC);
	}

	inode->i_ino = (uint64_t)ino;
	ei->i_block_group = (uint32_t)((ino - 1) / sbi->s_inodes_per_group);
	get_random_bytes(&ei->i_generation, sizeof(ei->i_generation));
	ei->i_flags = 0;
	inode->i_nlink = 1;
	inode->i_uid = inode->i_gid = 0;
	inode->i_size = 0;
	inode->i_blocks = 0;
	inode->i_state &= ~I_BAD;
	ei->i_fresh = true;                    /* zero the whole raw inode at its first write */
	ext2_set_inode_ops(inode);
	insert_inode_hash(inode);
	ext2_write_inode(inode, false);
	return inode;
}

void
ext2_free_inode(struct inode *inode)
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);

	BUG_ON(inode->i_ino < sbi->s_first_ino);
	mutex_lock(&sbi->s_lock);
	release_inode_number(inode->i_sb, (uint32_t)inode->i_ino, S_ISDIR(inode->i_mode));
	mutex_unlock(&sbi->s_lock);
}

unsigned long
ext2_count_free_inodes(struct super_block *sb)
{
	unsigned long n = 0;

	for (unsigned g = 0; g < EXT2_SB(sb)->s_groups_count; g++)
		n += ext2_get_group_desc(sb, g, NULL)->bg_free_inodes_count;
	return n;
}
