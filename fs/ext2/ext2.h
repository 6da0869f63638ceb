/*
 * fs/ext2/ext2.h — the second extended file system: its on-disk format and
 * what anvil keeps of it in memory.
 *
 * The disk, in blocks of 1, 2 or 4 KiB:
 *
 *   +------+------------+------------------------------------------------+
 *   | boot | superblock | group 0 | group 1 | ...                          |
 *   +------+------------+------------------------------------------------+
 *   byte 0   byte 1024    each group: [sb copy][descriptors][reserved]
 *                         block bitmap, inode bitmap, inode table, data
 *
 * The superblock always starts at byte 1024. With 1 KiB blocks it is block
 * 1 and groups start there (s_first_data_block = 1); otherwise block 0
 * holds both. The group descriptor table follows the superblock's block.
 * Backup copies (every group, or groups 0, 1 and powers of 3, 5, 7 with
 * sparse_super) are written by mke2fs and e2fsck; anvil updates only the
 * primary copies, as Linux's ext2 does.
 *
 * An inode's data blocks: i_block[0..11] direct, [12] single indirect,
 * [13] double, [14] triple; a pointer 0 is a hole. A directory is a file of
 * entries (inode, rec_len, name_len, file_type, name) that tile each block
 * exactly; a deleted entry is merged into the one before it, or has
 * inode 0 when it is first in its block.
 *
 * Everything on the disk is little-endian, as the x86 is: the structures
 * below are read and written as they are.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include <stdint.h>
#include <stdbool.h>
#include <fs/vfs.h>
#include <kernel/mutex.h>
#include <drivers/block/blkdev.h>

struct buffer_head;

#define EXT2_SUPER_MAGIC        0xEF53
#define EXT2_SUPERBLOCK_OFFSET  1024
#define EXT2_SUPERBLOCK_SIZE    1024
#define EXT2_MIN_BLOCK_LOG_SIZE 10          /* 1 KiB */
#define EXT2_MAX_BLOCK_LOG_SIZE 12          /* 4 KiB: a block must fit in a page */
#define EXT2_GOOD_OLD_REV       0
#define EXT2_DYNAMIC_REV        1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11

/* reserved inode numbers */
#define EXT2_BAD_INO            1
#define EXT2_ROOT_INO           2

/* s_state */
#define EXT2_VALID_FS           0x0001      /* cleanly unmounted */
#define EXT2_ERROR_FS           0x0002

/* features anvil knows */
#define EXT2_FEATURE_INCOMPAT_FILETYPE     0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE  0x0002
#define EXT2_INCOMPAT_SUPPORTED  EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPPORTED (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
				  EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

/* i_flags */
#define EXT2_INDEX_FL           0x00001000  /* hashed directory (anvil reads it linearly) */

#define EXT2_NDIR_BLOCKS        12
#define EXT2_IND_BLOCK          12
#define EXT2_DIND_BLOCK         13
#define EXT2_TIND_BLOCK         14
#define EXT2_N_BLOCKS           15
#define EXT2_FAST_SYMLINK_MAX   (EXT2_N_BLOCKS * 4 - 1)   /* fits in i_block with its NUL */

#define EXT2_NAME_LEN           255

/* The superblock, at byte 1024 (fields after s_def_resgid exist from revision 1). */
struct ext2_super_block {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;      /* reserved for root */
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;      /* block size = 1024 << this */
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;               /* last mount */
	uint32_t s_wtime;               /* last write */
	uint16_t s_mnt_count;
	int16_t  s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;               /* EXT2_VALID_FS, EXT2_ERROR_FS */
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	uint32_t s_first_ino;           /* first inode ordinary files may have */
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t  s_uuid[16];
	char     s_volume_name[16];
	char     s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t  s_prealloc_blocks;
	uint8_t  s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	uint8_t  s_rest[EXT2_SUPERBLOCK_SIZE - 208];   /* journal, hash seed...: kept as read */
};
_Static_assert(sizeof(struct ext2_super_block) == EXT2_SUPERBLOCK_SIZE, "superblock layout");
_Static_assert(__builtin_offsetof(struct ext2_super_block, s_magic) == 56, "s_magic");
_Static_assert(__builtin_offsetof(struct ext2_super_block, s_feature_ro_compat) == 100, "features");
_Static_assert(__builtin_offsetof(struct ext2_super_block, s_volume_name) == 120, "label");

/* One block group's descriptor; the table follows the superblock's block. */
struct ext2_group_desc {
	uint32_t bg_block_bitmap;       /* block of the block bitmap */
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;        /* first block of the inode table */
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor layout");

/* The first 128 bytes of an on-disk inode (s_inode_size may be larger:
 * anvil leaves the rest as it finds it). */
struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;                /* low 32 bits */
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;               /* when it was deleted */
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;              /* 512-byte units, indirect blocks included */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;            /* an extended-attribute block */
	uint32_t i_size_high;           /* regular files: high 32 bits of the size */
	uint32_t i_faddr;
	uint8_t  i_frag, i_fsize;
	uint16_t i_pad1;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint32_t i_reserved2;
};
_Static_assert(sizeof(struct ext2_inode) == EXT2_GOOD_OLD_INODE_SIZE, "inode layout");
_Static_assert(__builtin_offsetof(struct ext2_inode, i_block) == 40, "i_block");

/* A directory entry; rec_len covers the name and the padding to the next. */
struct ext2_dir_entry {
	uint32_t inode;                 /* 0: an unused entry */
	uint16_t rec_len;
	uint8_t  name_len;
	uint8_t  file_type;             /* EXT2_FT_*; 0 without the filetype feature */
	char     name[];
};
#define EXT2_DIR_ENTRY_HEADER 8
#define EXT2_DIR_ROUND        4
/* The bytes an entry with a name of len bytes needs. */
static inline unsigned ext2_rec_len(unsigned len)
{
	return (EXT2_DIR_ENTRY_HEADER + len + EXT2_DIR_ROUND - 1) & ~(EXT2_DIR_ROUND - 1);
}

/* file_type values */
enum {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK, EXT2_FT_MAX
};

/* ---- in memory ------------------------------------------------------ */

/*
 * One mounted ext2 (sb->s_fs_info).
 * s_lock (mutex "ext2_sb") serialises every change of the bitmaps, the
 * group descriptors, the superblock's counts and the inode table blocks;
 * it is taken under i_mutex, namespace_mutex and the page lock, and the
 * buffers' b_lock nests inside it.
 */
struct ext2_sb_info {
	struct ext2_super_block *s_es;  /* inside s_sbh->b_data */
	struct buffer_head *s_sbh;      /* the superblock's buffer (held) */
	struct buffer_head **s_group_desc;   /* the descriptor table's buffers (held) */
	unsigned s_gdb_count;           /* blocks of descriptors */
	unsigned s_groups_count;
	unsigned s_desc_per_block;
	unsigned s_addr_per_block;      /* block numbers in an indirect block */
	unsigned s_addr_per_block_bits;
	unsigned s_inode_size;
	unsigned s_inodes_per_block;
	unsigned s_inodes_per_group;
	unsigned s_blocks_per_group;
	unsigned s_itb_per_group;       /* inode table blocks per group */
	unsigned s_first_ino;
	uint16_t s_mount_state;         /* s_state as found at mount */
	bool s_has_filetype;
	struct mutex s_lock;
};

/* ext2's part of an inode (inode->i_private). */
struct ext2_inode_info {
	uint32_t i_data[EXT2_N_BLOCKS]; /* block pointers (or a fast symlink's target) */
	uint32_t i_flags;
	uint32_t i_dtime;
	uint32_t i_block_group;         /* where it lives: goal for its blocks */
	uint32_t i_dir_start_lookup;
	uint32_t i_file_acl;
	uint32_t i_generation;
	bool i_fresh;                   /* new: its whole raw inode is zeroed at the first write */
	uint32_t i_next_goal;           /* where the next block should go (after the last one) */
	struct mutex i_alloc_lock;      /* the block map (inode.c) */
};

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb) { return sb->s_fs_info; }
static inline struct ext2_inode_info *EXT2_I(struct inode *inode) { return inode->i_private; }

/* super.c */
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, unsigned group,
					    struct buffer_head **bh);
void ext2_mark_sb_dirty(struct super_block *sb);
extern struct file_system_type ext2_fs_type;

/* balloc.c */
unsigned ext2_find_zero_bit(const uint8_t *map, unsigned start, unsigned end);
bool ext2_set_bit(uint8_t *map, unsigned bit);
bool ext2_clear_bit(uint8_t *map, unsigned bit);
/* A free block near goal, marked used (i_blocks not touched); 0 and *err. */
uint32_t ext2_new_block(struct inode *inode, uint32_t goal, int *err);
void ext2_free_blocks(struct inode *inode, uint32_t block, unsigned count);
unsigned long ext2_count_free_blocks(struct super_block *sb);
/* Whether group has a superblock backup (sparse_super). */
bool ext2_group_has_super(struct super_block *sb, unsigned group);

/* ialloc.c */
struct inode *ext2_new_inode(struct inode *dir, uint32_t mode);
void ext2_free_inode(struct inode *inode);
unsigned long ext2_count_free_inodes(struct super_block *sb);

/* inode.c */
struct inode *ext2_iget(struct super_block *sb, uint32_t ino);
int ext2_write_inode(struct inode *inode, bool sync);
void ext2_evict_inode(struct inode *inode);
void ext2_set_inode_ops(struct inode *inode);
loff_t ext2_max_size(struct super_block *sb);
/* Maps file block iblock to a disk block (*phys, 0 for a hole);
 * with create, allocates it: returns 1 when the block is new (its
 * contents are garbage), 0 when it existed, or -errno. */
int ext2_get_block(struct inode *inode, uint32_t iblock, uint32_t *phys, bool create);
struct buffer_head;
/* Maps (allocating it if needed) file block iblock and gives its buffer
 * in *bhp, zeroed, for the caller to fill, mark uptodate and dirty, and
 * release. 0 or -errno (a block allocated before a failed getblk stays
 * allocated, inside the file). */
int ext2_get_zeroed_block(struct inode *inode, uint32_t iblock, struct buffer_head **bhp);
int ext2_truncate_blocks(struct inode *inode, loff_t size);
int ext2_setsize(struct inode *inode, loff_t size);
void ext2_inode_touch(struct inode *inode, bool mtime);
extern const struct inode_operations ext2_file_inode_operations;
extern const struct inode_operations ext2_symlink_inode_operations;
extern const struct inode_operations ext2_fast_symlink_inode_operations;

/* dir.c */
int ext2_add_link(struct dentry *d, struct inode *inode);
/* The entry named name in dir: its inode number (0: none, or -errno)
 * and, if wanted, its buffer (the caller brelses it), the entry and the
 * entry before it in its block (NULL if it is the first). */
int ext2_find_entry(struct inode *dir, const char *name, size_t len,
		    struct buffer_head **bhp, struct ext2_dir_entry **dep,
		    struct ext2_dir_entry **prevp);
int ext2_delete_entry(struct inode *dir, struct buffer_head *bh,
		      struct ext2_dir_entry *de, struct ext2_dir_entry *prev);
int ext2_make_empty(struct inode *inode, struct inode *parent);
int ext2_empty_dir(struct inode *inode);
/* Points the entry de (in bh, of dir) at inode. */
void ext2_set_link(struct inode *dir, struct buffer_head *bh, struct ext2_dir_entry *de,
		   struct inode *inode);
/* The ".." entry of dir (with its buffer), or NULL. */
struct ext2_dir_entry *ext2_dotdot(struct inode *dir, struct buffer_head **bhp);
extern const struct file_operations ext2_dir_operations;

/* namei.c */
extern const struct inode_operations ext2_dir_inode_operations;

/* file.c */
extern const struct file_operations ext2_file_operations;
extern const struct address_space_operations ext2_aops;

/* The block size, its log, and the disk block of file block b through bh. */
static inline uint32_t ext2_blocksize(struct super_block *sb) { return sb->s_blocksize; }

#endif
