/*
 * fs/buffer.c — the buffer cache (see buffer.h for the objects and rules).
 *
 * Invariants:
 *   - at most one buffer_head per (bdev, block, size): it is in the hash
 *     from getblk until it is freed;
 *   - a buffer is on the LRU list exactly when b_count is 0;
 *   - a buffer is freed only with b_count 0 and BH_Dirty clear (shrink,
 *     invalidate_bdev) or when its block was freed (bforget_block);
 *   - BH_Dirty is cleared before the write starts, so a change made while
 *     the block is being written dirties it again and is not lost.
 *
 * Locks (mm/LOCKING.md): buffer_lock (spin, leaf) guards the hash, the LRU,
 * b_count, b_state and the counters. bh->b_lock (mutex "buffer") is held
 * across a read or write of the block; it is taken with no spinlock held,
 * under the file system's locks, and the driver's bd_lock nests inside it.
 */
#include <fs/buffer.h>
#include <fs/vfs.h>
#include <drivers/block/blkdev.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <mm/slab.h>
#include <libk/string.h>

#define BUFFER_HASH_BITS 9
#define BUFFER_HASH_SIZE (1u << BUFFER_HASH_BITS)

static struct list_head buffer_hash[BUFFER_HASH_SIZE];
static LIST_HEAD(buffer_lru);                 /* unreferenced, oldest first */
static DEFINE_SPINLOCK(buffer_lock);
static struct kmem_cache *bh_cache;
static unsigned long nr_buffers, buffer_bytes;

static void
buffer_cache_init(void)
{
	for (unsigned i = 0; i < BUFFER_HASH_SIZE; i++)
		INIT_LIST_HEAD(&buffer_hash[i]);
	bh_cache = kmem_cache_create("buffer_head", sizeof(struct buffer_head), 4);
	if (!bh_cache)
		panic("buffer_cache_init: no memory");
}

static struct list_head *
hash_chain(struct block_device *bdev, uint64_t block)
{
	uint32_t h = (uint32_t)block * 2654435761u ^ (uint32_t)(uintptr_t)bdev;

	return &buffer_hash[(h >> (32 - BUFFER_HASH_BITS)) ^ (h & (BUFFER_HASH_SIZE - 1))];
}

/* The cached buffer of the block, or NULL. buffer_lock held. */
static struct buffer_head *
lookup_locked(struct block_device *bdev, uint64_t block, uint32_t size)
{
	struct buffer_head *bh;

	assert_spin_locked(&buffer_lock);
	list_for_each_entry(bh, hash_chain(bdev, block), b_hash)
		if (bh->b_bdev == bdev && bh->b_blocknr == block && bh->b_size == size)
			return bh;
	return NULL;
}

/* Takes a reference on a cached buffer. buffer_lock held. */
static void
get_bh_locked(struct buffer_head *bh)
{
	if (bh->b_count++ == 0)
		list_del_init(&bh->b_lru);
}

static struct buffer_head *
alloc_buffer(struct block_device *bdev, uint64_t block, uint32_t size)
{
	struct buffer_head *bh = kmem_cache_zalloc(bh_cache);

	if (!bh)
		return NULL;
	bh->b_data = kmalloc(size, GFP_NOFS);        /* under the file system's locks */
	if (!bh->b_data) {
		kmem_cache_free(bh_cache, bh);
		return NULL;
	}
	bh->b_bdev = bdev;
	bh->b_blocknr = block;
	bh->b_size = size;
	bh->b_count = 1;
	mutex_init(&bh->b_lock, "buffer");
	INIT_LIST_HEAD(&bh->b_hash);
	INIT_LIST_HEAD(&bh->b_lru);
	return bh;
}

static void
free_buffer(struct buffer_head *bh)
{
	kfree(bh->b_data);
	kmem_cache_free(bh_cache, bh);
}

/* Takes an unreferenced buffer out of the hash and the LRU. buffer_lock held. */
static void
unhash_locked(struct buffer_head *bh)
{
	BUG_ON(bh->b_count != 0);
	list_del_init(&bh->b_hash);
	list_del_init(&bh->b_lru);
	nr_buffers--;
	buffer_bytes -= bh->b_size;
}

struct buffer_head *
getblk(struct block_device *bdev, uint64_t block, uint32_t size)
{
	struct buffer_head *bh, *fresh;

	BUG_ON(size < SECTOR_SIZE || (size & (size - 1)));
	if (!bh_cache)
		buffer_cache_init();
	spin_lock(&buffer_lock);
	bh = lookup_locked(bdev, block, size);
	if (bh)
		get_bh_locked(bh);
	spin_unlock(&buffer_lock);
	if (bh)
		return bh;

	fresh = alloc_buffer(bdev, block, size);       /* may sleep */
	if (!fresh)
		return NULL;
	spin_lock(&buffer_lock);
	bh = lookup_locked(bdev, block, size);         /* someone else was quicker? */
	if (bh) {
		get_bh_locked(bh);
	} else {
		bh = fresh;
		fresh = NULL;
		list_add(&bh->b_hash, hash_chain(bdev, block));
		nr_buffers++;
		buffer_bytes += size;
	}
	spin_unlock(&buffer_lock);
	if (fresh)
		free_buffer(fresh);
	return bh;
}

static void
set_state(struct buffer_head *bh, enum bh_state_bits bit, bool on)
{
	spin_lock(&buffer_lock);
	if (on)
		bh->b_state |= 1ul << bit;
	else
		bh->b_state &= ~(1ul << bit);
	spin_unlock(&buffer_lock);
}

/* Clears BH_Dirty; whether it was set. */
static bool
test_clear_dirty(struct buffer_head *bh)
{
	bool was;

	spin_lock(&buffer_lock);
	was = buffer_dirty(bh);
	bh->b_state &= ~(1ul << BH_Dirty);
	spin_unlock(&buffer_lock);
	return was;
}

static uint64_t
first_sector(const struct buffer_head *bh)
{
	return bh->b_blocknr * (bh->b_size >> SECTOR_SHIFT);
}

struct buffer_head *
bread(struct block_device *bdev, uint64_t block, uint32_t size)
{
	struct buffer_head *bh = getblk(bdev, block, size);
	int err = 0;

	if (!bh || buffer_uptodate(bh))
		return bh;
	mutex_lock(&bh->b_lock);
	if (!buffer_uptodate(bh)) {
		err = blkdev_rw(bdev, REQ_OP_READ, first_sector(bh), bh->b_data, size);
		if (!err)
			set_state(bh, BH_Uptodate, true);
	}
	mutex_unlock(&bh->b_lock);
	if (err) {
		printk(KERN_ERR "buffer: read error %d on %s block %llu\n", err, bdev->bd_name,
		       (unsigned long long)block);
		brelse(bh);
		return NULL;
	}
	return bh;
}

void
brelse(struct buffer_head *bh)
{
	if (!bh)
		return;
	spin_lock(&buffer_lock);
	BUG_ON(bh->b_count <= 0);
	if (--bh->b_count == 0) {
		if (list_empty(&bh->b_hash)) {          /* forgotten while we held it */
			spin_unlock(&buffer_lock);
			free_buffer(bh);
			return;
		}
		list_add_tail(&bh->b_lru, &buffer_lru);
	}
	spin_unlock(&buffer_lock);
}

void
mark_buffer_dirty(struct buffer_head *bh)
{
	BUG_ON(!buffer_uptodate(bh));
	set_state(bh, BH_Dirty, true);
	dirty_events++;                          /* the flusher will write it */
}

void
set_buffer_uptodate(struct buffer_head *bh)
{
	set_state(bh, BH_Uptodate, true);
}

int
sync_dirty_buffer(struct buffer_head *bh)
{
	int err = 0;

	mutex_lock(&bh->b_lock);
	if (test_clear_dirty(bh)) {
		err = blkdev_rw(bh->b_bdev, REQ_OP_WRITE, first_sector(bh), bh->b_data, bh->b_size);
		if (err) {
			printk(KERN_ERR "buffer: write error %d on %s block %llu\n", err,
			       bh->b_bdev->bd_name, (unsigned long long)bh->b_blocknr);
			set_state(bh, BH_Dirty, true);
		}
	}
	mutex_unlock(&bh->b_lock);
	return err;
}

/* Up to max dirty buffers of bdev, each with a reference; how many. */
static unsigned
collect_dirty(struct block_device *bdev, struct buffer_head **out, unsigned max)
{
	unsigned n = 0;

	spin_lock(&buffer_lock);
	for (unsigned i = 0; i < BUFFER_HASH_SIZE && n < max; i++) {
		struct buffer_head *bh;

		list_for_each_entry(bh, &buffer_hash[i], b_hash) {
			if (bh->b_bdev != bdev || !buffer_dirty(bh))
				continue;
			get_bh_locked(bh);
			out[n++] = bh;
			if (n == max)
				break;
		}
	}
	spin_unlock(&buffer_lock);
	return n;
}

/* Insertion sort by block number: the disk sees one sweep. */
static void
sort_by_block(struct buffer_head **v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct buffer_head *x = v[i];
		unsigned j = i;

		for (; j > 0 && v[j - 1]->b_blocknr > x->b_blocknr; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

#define SYNC_BATCH 256

int
sync_blockdev(struct block_device *bdev)
{
	struct buffer_head **batch;
	unsigned n;
	int err = 0;

	if (!bdev || !bh_cache)
		return 0;
	batch = kmalloc(SYNC_BATCH * sizeof(*batch), GFP_NOFS);
	if (!batch)
		return -ENOMEM;
	/* Each round writes what is dirty; a round that finds only buffers
	 * that fail to write (and stay dirty) ends the loop. */
	while ((n = collect_dirty(bdev, batch, SYNC_BATCH)) > 0) {
		int round_err = 0;
		unsigned written = 0;

		sort_by_block(batch, n);
		for (unsigned i = 0; i < n; i++) {
			int e = sync_dirty_buffer(batch[i]);

			if (e && !round_err)
				round_err = e;
			else if (!e)
				written++;
			brelse(batch[i]);
		}
		if (round_err && !err)
			err = round_err;
		if (round_err && written < n)
			break;
	}
	kfree(batch);
	return err;
}

void
bforget_block(struct block_device *bdev, uint64_t block, uint32_t size)
{
	struct buffer_head *bh, *to_free = NULL;

	if (!bh_cache)
		return;
	spin_lock(&buffer_lock);
	bh = lookup_locked(bdev, block, size);
	if (bh) {
		bh->b_state &= ~((1ul << BH_Dirty) | (1ul << BH_Uptodate));
		if (bh->b_count == 0) {
			unhash_locked(bh);
			to_free = bh;
		} else {
			/* its holder's brelse frees it (off the hash) */
			list_del_init(&bh->b_hash);
			nr_buffers--;
			buffer_bytes -= bh->b_size;
		}
	}
	spin_unlock(&buffer_lock);
	if (to_free)
		free_buffer(to_free);
}

/* Frees the first (oldest) unreferenced buffer on the LRU that wanted()
 * picks; false if there is none. */
static bool
free_one(bool (*wanted)(struct buffer_head *bh, void *arg), void *arg)
{
	struct buffer_head *bh, *victim = NULL;

	spin_lock(&buffer_lock);
	list_for_each_entry(bh, &buffer_lru, b_lru)
		if (wanted(bh, arg)) {
			victim = bh;
			break;
		}
	if (victim)
		unhash_locked(victim);
	spin_unlock(&buffer_lock);
	if (victim)
		free_buffer(victim);
	return victim != NULL;
}

static bool
of_device(struct buffer_head *bh, void *bdev)
{
	if (bh->b_bdev == bdev && buffer_dirty(bh))
		printk(KERN_WARNING "buffer: dropping dirty block %llu of %s\n",
		       (unsigned long long)bh->b_blocknr, bh->b_bdev->bd_name);
	return bh->b_bdev == bdev;
}

void
invalidate_bdev(struct block_device *bdev)
{
	if (!bh_cache)
		return;
	while (free_one(of_device, bdev))
		;
}

static bool
is_clean(struct buffer_head *bh, void *unused)
{
	(void)unused;
	return !buffer_dirty(bh);
}

unsigned long
buffer_shrink(unsigned long nr)
{
	unsigned long freed = 0;

	if (!bh_cache)
		return 0;
	while (freed < nr && free_one(is_clean, NULL))
		freed++;
	return freed;
}

unsigned long
buffer_cache_bytes(void)
{
	return buffer_bytes;
}
