/*
 * fs/ext2/super.c — mounting ext2: reading and checking the superblock and
 * the group descriptors, statfs, sync_fs, remount and unmount.
 *
 * Invariants: while mounted, the superblock's buffer and every descriptor
 * block's buffer are held (never freed, never read again), so their
 * contents in memory are the truth and the disk gets them at sync. A
 * read-write mount clears EXT2_VALID_FS on the disk at once and puts back
 * the state it found at unmount or remount read-only, as Linux does, so a
 * crash leaves the fs marked "not clean" for e2fsck. A read-only mount
 * never writes a block.
 *
 * Features: an unknown INCOMPAT feature refuses the mount (EINVAL); an
 * unknown RO_COMPAT feature makes it read-only; COMPAT ones are ignored
 * (a hashed directory is read and changed as a linear one, and its index
 * flag dropped, as Linux's ext2 does).
 *
 * Locks: s_lock (ext2_sb_info) around every change of the superblock's
 * counts and the descriptors; sync_fs takes it only briefly (writing the
 * inodes takes it per inode) so that an eviction it causes can take it.
 */
#include <fs/ext2/ext2.h>
#include <fs/buffer.h>
#include <drivers/block/blkdev.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <mm/slab.h>
#include <libk/string.h>


static const struct super_operations ext2_sops;

struct ext2_group_desc *
ext2_get_group_desc(struct super_block *sb, unsigned group, struct buffer_head **bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *b;

	BUG_ON(group >= sbi->s_groups_count);
	b = sbi->s_group_desc[group / sbi->s_desc_per_block];
	if (bh)
		*bh = b;
	return (struct ext2_group_desc *)b->b_data + group % sbi->s_desc_per_block;
}

void
ext2_mark_sb_dirty(struct super_block *sb)
{
	mark_buffer_dirty(EXT2_SB(sb)->s_sbh);
}

/* ---- reading the superblock ------------------------------------------ */

/* Checks what the superblock says before anything is built on it:
 * 0, -EINVAL for a file system anvil cannot read (*flags may gain
 * SB_RDONLY for one it may only read). */
static int
check_super(const struct ext2_super_block *es, unsigned *flags, const char *dev)
{
	if (es->s_magic != EXT2_SUPER_MAGIC)
		return -EINVAL;
	if (es->s_log_block_size > EXT2_MAX_BLOCK_LOG_SIZE - EXT2_MIN_BLOCK_LOG_SIZE) {
		printk(KERN_ERR "ext2 %s: block size %u not supported\n", dev,
		       1024u << es->s_log_block_size);
		return -EINVAL;
	}
	if (es->s_rev_level == EXT2_GOOD_OLD_REV &&
	    (es->s_feature_compat || es->s_feature_incompat || es->s_feature_ro_compat))
		printk(KERN_WARNING "ext2 %s: revision 0 with feature flags: ignored\n", dev);
	if (es->s_rev_level >= EXT2_DYNAMIC_REV) {
		if (es->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED) {
			printk(KERN_ERR "ext2 %s: unsupported incompatible features %#x\n", dev,
			       es->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED);
			return -EINVAL;
		}
		if ((es->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED) && !(*flags & SB_RDONLY)) {
			printk(KERN_WARNING "ext2 %s: unsupported features %#x: mounting read-only\n",
			       dev, es->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED);
			*flags |= SB_RDONLY;
		}
	}
	if (es->s_rev_level > EXT2_DYNAMIC_REV && !(*flags & SB_RDONLY)) {
		printk(KERN_WARNING "ext2 %s: revision %u: mounting read-only\n", dev, es->s_rev_level);
		*flags |= SB_RDONLY;
	}
	if (!es->s_blocks_per_group || !es->s_inodes_per_group || !es->s_blocks_count ||
	    es->s_first_data_block >= es->s_blocks_count)
		return -EINVAL;
	return 0;
}

/* Fills sbi's geometry from es; 0 or -EINVAL if it does not add up. */
static int
read_geometry(struct super_block *sb, struct ext2_sb_info *sbi, const struct ext2_super_block *es)
{
	uint32_t bs = sb->s_blocksize;

	if (es->s_rev_level == EXT2_GOOD_OLD_REV) {
		sbi->s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		sbi->s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		sbi->s_inode_size = es->s_inode_size;
		sbi->s_first_ino = es->s_first_ino;
		sbi->s_has_filetype = es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	}
	if (sbi->s_inode_size < EXT2_GOOD_OLD_INODE_SIZE || sbi->s_inode_size > bs ||
	    (sbi->s_inode_size & (sbi->s_inode_size - 1)))
		return -EINVAL;
	sbi->s_blocks_per_group = es->s_blocks_per_group;
	sbi->s_inodes_per_group = es->s_inodes_per_group;
	if (sbi->s_blocks_per_group > bs * 8 || sbi->s_inodes_per_group > bs * 8)
		return -EINVAL;
	sbi->s_inodes_per_block = bs / sbi->s_inode_size;
	sbi->s_itb_per_group = (sbi->s_inodes_per_group + sbi->s_inodes_per_block - 1) /
			       sbi->s_inodes_per_block;
	sbi->s_addr_per_block = bs / sizeof(uint32_t);
	sbi->s_addr_per_block_bits = sb->s_blocksize_bits - 2;
	sbi->s_desc_per_block = bs / sizeof(struct ext2_group_desc);
	sbi->s_groups_count = (es->s_blocks_count - es->s_first_data_block +
			       sbi->s_blocks_per_group - 1) / sbi->s_blocks_per_group;
	sbi->s_gdb_count = (sbi->s_groups_count + sbi->s_desc_per_block - 1) / sbi->s_desc_per_block;
	if ((uint64_t)sbi->s_groups_count * sbi->s_inodes_per_group < es->s_inodes_count)
		return -EINVAL;
	if ((uint64_t)es->s_blocks_count * (bs >> SECTOR_SHIFT) > sb->s_bdev->bd_nr_sectors) {
		printk(KERN_ERR "ext2 %s: %u blocks, but the device is smaller\n",
		       sb->s_bdev->bd_name, es->s_blocks_count);
		return -EINVAL;
	}
	return 0;
}

/* Reads the descriptor table and checks each group's metadata lies in it. */
static int
read_group_descs(struct super_block *sb, struct ext2_sb_info *sbi)
{
	uint32_t first = sbi->s_es->s_first_data_block + 1;

	sbi->s_group_desc = kzalloc(sbi->s_gdb_count * sizeof(*sbi->s_group_desc), GFP_KERNEL);
	if (!sbi->s_group_desc)
		return -ENOMEM;
	for (unsigned i = 0; i < sbi->s_gdb_count; i++) {
		sbi->s_group_desc[i] = bread(sb->s_bdev, first + i, sb->s_blocksize);
		if (!sbi->s_group_desc[i])
			return -EIO;
	}
	for (unsigned g = 0; g < sbi->s_groups_count; g++) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, NULL);
		uint32_t lo = sbi->s_es->s_first_data_block + g * sbi->s_blocks_per_group;
		uint32_t hi = lo + sbi->s_blocks_per_group;

		if (hi > sbi->s_es->s_blocks_count)
			hi = sbi->s_es->s_blocks_count;
		if (gd->bg_block_bitmap < lo || gd->bg_block_bitmap >= hi ||
		    gd->bg_inode_bitmap < lo || gd->bg_inode_bitmap >= hi ||
		    gd->bg_inode_table < lo || gd->bg_inode_table + sbi->s_itb_per_group > hi) {
			printk(KERN_ERR "ext2 %s: group %u descriptor points outside its group\n",
			       sb->s_bdev->bd_name, g);
			return -EINVAL;
		}
	}
	return 0;
}

static void
release_sbi(struct ext2_sb_info *sbi)
{
	if (sbi->s_group_desc) {
		for (unsigned i = 0; i < sbi->s_gdb_count; i++)
			brelse(sbi->s_group_desc[i]);
		kfree(sbi->s_group_desc);
	}
	brelse(sbi->s_sbh);
	kfree(sbi);
}

/* Writes the superblock's buffer now. */
static int
write_super_now(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	sbi->s_es->s_wtime = (uint32_t)(realtime_ns() / 1000000000u);
	mark_buffer_dirty(sbi->s_sbh);
	return sync_dirty_buffer(sbi->s_sbh);
}

/* A read-write mount: the disk says "in use, not clean" until unmount. */
static int
setup_rw(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;

	if (!(sbi->s_mount_state & EXT2_VALID_FS))
		printk(KERN_WARNING "ext2 %s: mounting a file system that was not cleanly "
		       "unmounted; run e2fsck\n", sb->s_bdev->bd_name);
	if (sbi->s_mount_state & EXT2_ERROR_FS)
		printk(KERN_WARNING "ext2 %s: mounting a file system with errors; run e2fsck\n",
		       sb->s_bdev->bd_name);
	mutex_lock(&sbi->s_lock);
	es->s_state &= ~EXT2_VALID_FS;
	es->s_mnt_count++;
	es->s_mtime = (uint32_t)(realtime_ns() / 1000000000u);
	mutex_unlock(&sbi->s_lock);
	return write_super_now(sb);
}

static struct super_block *
ext2_mount(struct file_system_type *type, unsigned flags, struct block_device *bdev,
	   const char *data)
{
	struct ext2_sb_info *sbi;
	struct super_block *sb;
	struct buffer_head *probe;
	struct inode *root;
	uint32_t bs, sb_block, sb_offset;
	int err;

	(void)type;
	(void)data;
	if (!bdev)
		return ERR_PTR(-ENOTBLK);
	if (bdev->bd_read_only)
		flags |= SB_RDONLY;
	/* Byte 1024 is block 1 in 1 KiB units, whatever the block size. */
	probe = bread(bdev, 1, EXT2_SUPERBLOCK_SIZE);
	if (!probe)
		return ERR_PTR(-EIO);
	err = check_super((struct ext2_super_block *)probe->b_data, &flags, bdev->bd_name);
	bs = 1024u << ((struct ext2_super_block *)probe->b_data)->s_log_block_size;
	brelse(probe);
	if (err)
		return ERR_PTR(err);

	sb = alloc_super("ext2", bdev->bd_dev);
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sb || !sbi) {
		if (sb)
			destroy_super(sb);
		kfree(sbi);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&sbi->s_lock, "ext2_sb");
	sb->s_bdev = bdev;
	sb->s_blocksize = bs;
	sb->s_blocksize_bits = (unsigned)__builtin_ctz(bs);
	sb->s_magic = EXT2_SUPER_MAGIC;
	sb->s_op = &ext2_sops;
	sb->s_flags = flags;
	sb->s_fs_info = sbi;
	sb_block = EXT2_SUPERBLOCK_OFFSET / bs;
	sb_offset = EXT2_SUPERBLOCK_OFFSET % bs;
	err = -EIO;
	sbi->s_sbh = bread(bdev, sb_block, bs);
	if (!sbi->s_sbh)
		goto out_free;
	sbi->s_es = (struct ext2_super_block *)(sbi->s_sbh->b_data + sb_offset);
	sbi->s_mount_state = sbi->s_es->s_state;
	err = read_geometry(sb, sbi, sbi->s_es);
	if (!err)
		err = read_group_descs(sb, sbi);
	if (err)
		goto out_free;
	sb->s_maxbytes = ext2_max_size(sb);
	if (sb->s_maxbytes > MAX_LFS_FILESIZE)
		sb->s_maxbytes = MAX_LFS_FILESIZE;

	root = ext2_iget(sb, EXT2_ROOT_INO);
	if (IS_ERR(root)) {
		err = PTR_ERR(root);
		goto out_free;
	}
	err = -EINVAL;
	if (!S_ISDIR(root->i_mode) || !root->i_size) {
		printk(KERN_ERR "ext2 %s: the root inode is not a directory\n", bdev->bd_name);
		iput(root);
		goto out_free;
	}
	err = -ENOMEM;
	if (!d_alloc_root(sb, root)) {
		iput(root);
		goto out_free;
	}
	if (!sb_rdonly(sb) && (err = setup_rw(sb)) != 0) {
		dput(sb->s_root);                /* a root is not freed by dput */
		iput(root);
		goto out_free;
	}
	printk(KERN_INFO "ext2: %s mounted %s: %u KiB blocks, %u groups, %u/%u blocks free, "
	       "%u/%u inodes free\n", bdev->bd_name, sb_rdonly(sb) ? "read-only" : "read-write",
	       bs / 1024, sbi->s_groups_count, sbi->s_es->s_free_blocks_count,
	       sbi->s_es->s_blocks_count, sbi->s_es->s_free_inodes_count,
	       sbi->s_es->s_inodes_count);
	return sb;

out_free:
	release_sbi(sbi);
	invalidate_bdev(bdev);
	destroy_super(sb);
	return ERR_PTR(err);
}

/* ---- statfs, sync, remount, unmount ---------------------------------- */

/* Blocks of metadata (superblock copies, descriptors, bitmaps, inode
 * tables) that statfs does not count as file system blocks, as Linux. */
static unsigned long
overhead_blocks(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long n = sbi->s_es->s_first_data_block;

	for (unsigned g = 0; g < sbi->s_groups_count; g++)
		if (ext2_group_has_super(sb, g))
			n += 1 + sbi->s_gdb_count + sbi->s_es->s_reserved_gdt_blocks;
	return n + sbi->s_groups_count * (2ul + sbi->s_itb_per_group);
}

static int
ext2_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;
	unsigned long free_blocks;

	mutex_lock(&sbi->s_lock);
	free_blocks = ext2_count_free_blocks(sb);
	memset(st, 0, sizeof(*st));
	st->f_type = EXT2_SUPER_MAGIC;
	st->f_bsize = st->f_frsize = sb->s_blocksize;
	st->f_blocks = es->s_blocks_count - overhead_blocks(sb);
	st->f_bfree = free_blocks;
	st->f_bavail = free_blocks > es->s_r_blocks_count ? free_blocks - es->s_r_blocks_count : 0;
	st->f_files = es->s_inodes_count;
	st->f_ffree = ext2_count_free_inodes(sb);
	st->f_namelen = EXT2_NAME_LEN;
	memcpy(&st->f_fsid[0], es->s_uuid, sizeof(uint32_t));
	memcpy(&st->f_fsid[1], es->s_uuid + 8, sizeof(uint32_t));
	st->f_flags = sb_rdonly(sb) ? ST_RDONLY : 0;
	mutex_unlock(&sbi->s_lock);
	return 0;
}

/* Writes every cached inode's dirty pages and copies the inode into its
 * inode-table buffer. */
static void
write_all_inodes(struct super_block *sb)
{
	struct inode *inode, *prev = NULL;
	uint32_t flags = spin_lock_irqsave(&inode_sb_list_lock);

	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if (inode->i_state & (I_NEW | I_FREEING | I_BAD))
			continue;
		igrab(inode);
		spin_unlock_irqrestore(&inode_sb_list_lock, flags);
		iput(prev);              /* may evict: never under the list lock */
		prev = inode;
		if (inode->i_data.nrpages)
			filemap_write_and_wait(&inode->i_data);
		ext2_write_inode(inode, false);
		flags = spin_lock_irqsave(&inode_sb_list_lock);
	}
	spin_unlock_irqrestore(&inode_sb_list_lock, flags);
	iput(prev);
}

static int
ext2_sync_fs(struct super_block *sb, bool wait)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	int err;

	if (sb_rdonly(sb))
		return 0;
	write_all_inodes(sb);
	mutex_lock(&sbi->s_lock);
	sbi->s_es->s_free_blocks_count = (uint32_t)ext2_count_free_blocks(sb);
	sbi->s_es->s_free_inodes_count = (uint32_t)ext2_count_free_inodes(sb);
	sbi->s_es->s_wtime = (uint32_t)(realtime_ns() / 1000000000u);
	mark_buffer_dirty(sbi->s_sbh);
	mutex_unlock(&sbi->s_lock);
	err = sync_blockdev(sb->s_bdev);
	if (!err && wait)
		err = blkdev_rw(sb->s_bdev, REQ_OP_FLUSH, 0, NULL, 0);
	return err;
}

/* Puts back the state found at mount (EXT2_VALID_FS if it was clean). */
static int
restore_state(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	int err = ext2_sync_fs(sb, true);

	mutex_lock(&sbi->s_lock);
	sbi->s_es->s_state = sbi->s_mount_state;
	mutex_unlock(&sbi->s_lock);
	return err ? err : write_super_now(sb);
}

static int
ext2_remount(struct super_block *sb, unsigned *flags)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	bool want_ro = *flags & SB_RDONLY;
	int err;

	if (want_ro == sb_rdonly(sb))
		return 0;
	if (want_ro) {
		err = restore_state(sb);
		if (!err)
			sb->s_flags |= SB_RDONLY;
		return err;
	}
	if (sb->s_bdev->bd_read_only ||
	    (sbi->s_es->s_rev_level >= EXT2_DYNAMIC_REV &&
	     (sbi->s_es->s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED)) ||
	    sbi->s_es->s_rev_level > EXT2_DYNAMIC_REV)
		return -EROFS;
	sbi->s_mount_state = sbi->s_es->s_state;
	sb->s_flags &= ~SB_RDONLY;
	err = setup_rw(sb);
	if (err)
		sb->s_flags |= SB_RDONLY;
	return err;
}

static void
ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (!sb_rdonly(sb))
		restore_state(sb);
	sync_blockdev(sb->s_bdev);
	release_sbi(sbi);
	sb->s_fs_info = NULL;
	invalidate_bdev(sb->s_bdev);
}

static const struct super_operations ext2_sops = {
	.evict_inode = ext2_evict_inode,
	.write_inode = ext2_write_inode,
	.sync_fs = ext2_sync_fs,
	.statfs = ext2_statfs,
	.put_super = ext2_put_super,
	.remount_fs = ext2_remount,
};

struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.fs_flags = FS_REQUIRES_DEV,
	.mount = ext2_mount,
};
