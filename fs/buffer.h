/*
 * fs/buffer.h — the buffer cache: blocks of a block device kept in memory,
 * for a file system's metadata (superblock, group descriptors, bitmaps,
 * inode tables, indirect blocks, directories). File data lives in the page
 * cache (mm/filemap.h), not here.
 *
 * A buffer_head names one block: (device, block number, block size). There
 * is at most one buffer per name (a hash finds it); b_count counts the
 * users that hold it (bread/getblk give a reference, brelse drops it).
 *
 *   BH_Uptodate  b_data holds the block's contents (read in, or written
 *                whole by its user)
 *   BH_Dirty     b_data differs from the disk: sync_dirty_buffer or
 *                sync_blockdev writes it
 *
 * Unreferenced buffers stay cached on an LRU list; buffer_shrink() frees
 * the clean ones (oldest first) when memory is wanted (drop_caches).
 * A dirty buffer is never freed before it is written.
 *
 * Locks: buffer_lock (spin, a leaf: kernel/lockrank.c) guards the hash,
 * the LRU and every b_count and b_state change. Each buffer's b_lock (a
 * mutex, "buffer") is held while its block moves to or from the disk, so a
 * reader never sees half a read and a block is written by one writer at
 * a time; it is taken under the file system's own locks and above the
 * device's bd_lock. Changing b_data is serialised by the user (ext2's
 * s_lock for bitmaps and descriptors, namespace_mutex for directories,
 * i_mutex for one file's indirect blocks).
 */
#ifndef FS_BUFFER_H
#define FS_BUFFER_H

#include <stdint.h>
#include <stdbool.h>
#include <kernel/mutex.h>
#include <libk/list.h>

struct block_device;

enum bh_state_bits {
	BH_Uptodate,
	BH_Dirty,
};

struct buffer_head {
	struct block_device *b_bdev;    /* the device */
	uint64_t b_blocknr;             /* block number, in b_size units */
	uint32_t b_size;                /* 512 .. PAGE_SIZE, a power of two */
	char *b_data;                   /* b_size bytes (kmalloc) */
	unsigned long b_state;          /* BH_* bits (buffer_lock) */
	int b_count;                    /* references (buffer_lock) */
	struct mutex b_lock;            /* held across I/O of the block */
	struct list_head b_hash;        /* in its hash chain (buffer_lock) */
	struct list_head b_lru;         /* on the LRU while b_count is 0 */
};

static inline bool buffer_uptodate(const struct buffer_head *bh) { return bh->b_state & (1ul << BH_Uptodate); }
static inline bool buffer_dirty(const struct buffer_head *bh) { return bh->b_state & (1ul << BH_Dirty); }

/* The buffer of block (a reference), not read: maybe !uptodate. NULL if
 * out of memory. May sleep. */
struct buffer_head *getblk(struct block_device *bdev, uint64_t block, uint32_t size);
/* The buffer of block, uptodate (read from the disk if needed), with a
 * reference; NULL on an I/O error or out of memory. May sleep. */
struct buffer_head *bread(struct block_device *bdev, uint64_t block, uint32_t size);
/* Drops a reference (NULL is fine). */
void brelse(struct buffer_head *bh);
/* The caller changed b_data (the buffer must be uptodate): write it later. */
void mark_buffer_dirty(struct buffer_head *bh);
/* The caller filled b_data whole: it is uptodate without a read. */
void set_buffer_uptodate(struct buffer_head *bh);
/* Writes bh now if it is dirty and waits: 0 or -errno (-EIO, -EROFS). */
int sync_dirty_buffer(struct buffer_head *bh);
/* Writes every dirty buffer of bdev and waits: 0 or the first error. */
int sync_blockdev(struct block_device *bdev);
/* The block was freed by its file system: drop its buffer (dirty or not)
 * from the cache so a stale copy is never written over the block's next
 * owner or read back as its contents. A buffer still referenced is only
 * marked clean and !uptodate. */
void bforget_block(struct block_device *bdev, uint64_t block, uint32_t size);
/* Drops every unreferenced buffer of bdev (after sync_blockdev: umount). */
void invalidate_bdev(struct block_device *bdev);
/* Frees up to nr clean unreferenced buffers, oldest first; how many went. */
unsigned long buffer_shrink(unsigned long nr);
/* Buffers in the cache and their bytes (meminfo's Buffers). */
unsigned long buffer_cache_bytes(void);

#endif
