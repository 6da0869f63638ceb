/*
 * fs/inode.c — allocating inodes, counting references to them, and the
 * inode cache of file systems whose inodes live on a disk.
 *
 * An inode lives while something refers to it: a dentry naming it, a pipe
 * end, an open file through its dentry. The last iput evicts it: its dirty
 * pages are written (if it still has a name), its page cache dropped, the
 * file system writes it back or, if no name is left
 * (i_nlink 0), frees it on disk (sb->s_op->evict_inode), private data is
 * freed (i_destroy) and the inode goes. So an unlinked file that is still
 * open or mapped keeps its blocks until the last reference goes.
 *
 * The inode cache (iget_locked) finds the in-memory inode of (sb, ino) so
 * that one file has one inode however it is reached (two hard links, a
 * lookup after the dentry was pruned). A new cache entry is I_NEW until
 * its file system has read it in (unlock_new_inode) or failed
 * (iget_failed); an inode being evicted is I_FREEING until it is gone.
 * iget_locked waits for both.
 *
 * Invariants: an inode is in the hash from iget_locked until its eviction
 * ends; i_count > 0 except while it is I_FREEING; a hashed inode with
 * i_count 0 is always I_FREEING (no unreferenced inode is kept).
 *
 * Locks (mm/LOCKING.md): inode_hash_lock (spin, irqs off, a leaf) guards
 * the hash chains, i_state and every i_count; inode_sb_list_lock (spin,
 * leaf) guards the sb->s_inodes lists. Eviction runs with neither held
 * (it sleeps for I/O) and takes the file system's own locks.
 */
#include <fs/vfs.h>
#include <fs/block_dev.h>
#include <kernel/errno.h>
#include <kernel/time.h>
#include <kernel/spinlock.h>
#include <kernel/wait.h>
#include <mm/slab.h>
#include <libk/string.h>

#define INODE_HASH_BITS 8
#define INODE_HASH_SIZE (1u << INODE_HASH_BITS)

static struct kmem_cache *inode_cache;
/* Guards every super_block's s_inodes list (Linux's s_inode_list_lock). */
DEFINE_SPINLOCK(inode_sb_list_lock);
static DEFINE_SPINLOCK(inode_hash_lock);
static struct list_head inode_hashtable[INODE_HASH_SIZE];
static DEFINE_WAIT_QUEUE_HEAD(inode_state_wait);   /* I_NEW or I_FREEING cleared */

int64_t
current_time_ns(void)
{
	return (int64_t)realtime_ns();
}

/* Made on first use: the first inode comes before any init hook could run. */
static void
inode_cache_init(void)
{
	if (inode_cache)
		return;
	inode_cache = kmem_cache_create("inode", sizeof(struct inode), 4);
	if (!inode_cache)
		panic("inode_cache_init: no memory");
	for (unsigned i = 0; i < INODE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&inode_hashtable[i]);
}

static struct inode *
alloc_inode(struct super_block *sb, uint32_t mode)
{
	struct inode *inode;

	inode_cache_init();
	inode = kmem_cache_zalloc(inode_cache);
	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_mode = mode;
	inode->i_nlink = 1;
	inode->i_count = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time_ns();
	mutex_init(&inode->i_mutex, "i_mutex");
	address_space_init(&inode->i_data, inode);
	inode->i_mapping = &inode->i_data;
	INIT_LIST_HEAD(&inode->i_hash);
	INIT_LIST_HEAD(&inode->i_deferred);
	INIT_LIST_HEAD(&inode->i_sb_list);
	if (sb) {
		uint32_t flags = spin_lock_irqsave(&inode_sb_list_lock);

		list_add_tail(&inode->i_sb_list, &sb->s_inodes);
		spin_unlock_irqrestore(&inode_sb_list_lock, flags);
	}
	return inode;
}

struct inode *
new_inode(struct super_block *sb, uint32_t mode)
{
	struct inode *inode = alloc_inode(sb, mode);

	if (inode && sb)
		inode->i_ino = ++sb->s_next_ino;
	return inode;
}

void
init_special_inode(struct inode *inode)
{
	if (S_ISCHR(inode->i_mode))
		inode->i_fop = &chrdev_open_operations;
	else if (S_ISBLK(inode->i_mode))
		inode->i_fop = &blkdev_open_operations;
}

struct inode *
igrab(struct inode *inode)
{
	uint32_t flags = spin_lock_irqsave(&inode_hash_lock);

	inode->i_count++;
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	return inode;
}

static struct list_head *
inode_chain(struct super_block *sb, uint64_t ino)
{
	uint32_t h = (uint32_t)ino * 2654435761u ^ (uint32_t)(uintptr_t)sb;

	return &inode_hashtable[h >> (32 - INODE_HASH_BITS)];
}

/* The hashed inode of (sb, ino), or NULL. inode_hash_lock held. */
static struct inode *
find_inode_locked(struct super_block *sb, uint64_t ino)
{
	struct inode *inode;

	list_for_each_entry(inode, inode_chain(sb, ino), i_hash)
		if (inode->i_sb == sb && inode->i_ino == ino)
			return inode;
	return NULL;
}

/* Whether (sb, ino) is hashed and still I_NEW or I_FREEING: iget must wait. */
static bool
inode_busy(struct super_block *sb, uint64_t ino)
{
	uint32_t flags = spin_lock_irqsave(&inode_hash_lock);
	struct inode *inode = find_inode_locked(sb, ino);
	bool busy = inode && (inode->i_state & (I_NEW | I_FREEING));

	spin_unlock_irqrestore(&inode_hash_lock, flags);
	return busy;
}

/*
 * The cached inode (sb, ino) with a reference, or NULL: waits while it is
 * being read in or evicted (then looks again).
 */
static struct inode *
iget_cached(struct super_block *sb, uint64_t ino)
{
	for (;;) {
		uint32_t flags = spin_lock_irqsave(&inode_hash_lock);
		struct inode *inode = find_inode_locked(sb, ino);

		if (inode && !(inode->i_state & (I_NEW | I_FREEING))) {
			inode->i_count++;
			spin_unlock_irqrestore(&inode_hash_lock, flags);
			return inode;
		}
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		if (!inode)
			return NULL;
		wait_event(inode_state_wait, !inode_busy(sb, ino));
	}
}

struct inode *
iget_locked(struct super_block *sb, uint64_t ino)
{
	struct inode *inode, *fresh;
	uint32_t flags;

	BUG_ON(!sb);
	inode_cache_init();
	for (;;) {
		inode = iget_cached(sb, ino);
		if (inode)
			return inode;
		fresh = alloc_inode(sb, 0);            /* may sleep */
		if (!fresh)
			return NULL;
		fresh->i_ino = ino;
		fresh->i_state = I_NEW;
		flags = spin_lock_irqsave(&inode_hash_lock);
		if (!find_inode_locked(sb, ino)) {
			list_add(&fresh->i_hash, inode_chain(sb, ino));
			spin_unlock_irqrestore(&inode_hash_lock, flags);
			return fresh;
		}
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		fresh->i_state = 0;                    /* someone else read it: start again */
		iput(fresh);
	}
}

static void
clear_state_and_wake(struct inode *inode, unsigned bits)
{
	uint32_t flags = spin_lock_irqsave(&inode_hash_lock);

	inode->i_state &= ~bits;
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	wake_up(&inode_state_wait);
}

void
unlock_new_inode(struct inode *inode)
{
	BUG_ON(!(inode->i_state & I_NEW));
	clear_state_and_wake(inode, I_NEW);
}

void
iget_failed(struct inode *inode)
{
	uint32_t flags;

	BUG_ON(!(inode->i_state & I_NEW));
	flags = spin_lock_irqsave(&inode_hash_lock);
	list_del_init(&inode->i_hash);
	inode->i_state = I_BAD;                 /* never read: nothing to evict */
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	wake_up(&inode_state_wait);
	iput(inode);
}

void
insert_inode_hash(struct inode *inode)
{
	uint32_t flags = spin_lock_irqsave(&inode_hash_lock);

	BUG_ON(!list_empty(&inode->i_hash));
	list_add(&inode->i_hash, inode_chain(inode->i_sb, inode->i_ino));
	spin_unlock_irqrestore(&inode_hash_lock, flags);
}

/* The last reference is gone: drop the cached pages, let the file system
 * write or free the inode, then free it. */
static void
evict(struct inode *inode)
{
	const struct super_operations *sop = inode->i_sb ? inode->i_sb->s_op : NULL;
	uint32_t flags;

	if (!(inode->i_state & I_BAD)) {
		/* a file that keeps its name keeps what was written to it */
		if (inode->i_nlink && inode->i_data.nrpages && mapping_can_writeback(&inode->i_data))
			filemap_write_and_wait(&inode->i_data);
		truncate_inode_pages(&inode->i_data, 0);   /* its page cache goes with it */
		if (sop && sop->evict_inode)
			sop->evict_inode(inode);
	}
	if (inode->i_destroy)
		inode->i_destroy(inode);
	flags = spin_lock_irqsave(&inode_hash_lock);
	list_del_init(&inode->i_hash);
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	wake_up(&inode_state_wait);
	flags = spin_lock_irqsave(&inode_sb_list_lock);
	list_del(&inode->i_sb_list);
	spin_unlock_irqrestore(&inode_sb_list_lock, flags);
	kmem_cache_free(inode_cache, inode);
}

void
iput(struct inode *inode)
{
	uint32_t flags;
	int left;

	if (!inode)
		return;
	flags = spin_lock_irqsave(&inode_hash_lock);
	BUG_ON(inode->i_count <= 0);
	left = --inode->i_count;
	if (!left)
		inode->i_state |= I_FREEING;
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	if (!left)
		evict(inode);
}

/* Root may read and write anything and execute anything with an x bit;
 * anvil runs everything as root, so only the x rule ever refuses. */
int
inode_permission(struct inode *inode, int mask)
{
	if ((mask & MAY_EXEC) && !S_ISDIR(inode->i_mode) && !(inode->i_mode & 0111))
		return -EACCES;
	return 0;
}

/* Inodes whose last reference reclaim held: iput_no_evict. */
static LIST_HEAD(deferred_iputs);
static DEFINE_SPINLOCK(deferred_iput_lock);

void
iput_no_evict(struct inode *inode)
{
	uint32_t flags = spin_lock_irqsave(&deferred_iput_lock);

	if (inode->i_count > 1)
		inode->i_count--;                /* not the last: nothing to evict */
	else
		list_add_tail(&inode->i_deferred, &deferred_iputs);   /* keeps the reference */
	spin_unlock_irqrestore(&deferred_iput_lock, flags);
}

void
run_deferred_iputs(void)
{
	for (;;) {
		uint32_t flags = spin_lock_irqsave(&deferred_iput_lock);
		struct inode *inode = list_empty(&deferred_iputs) ? NULL :
			list_first_entry(&deferred_iputs, struct inode, i_deferred);

		if (inode)
			list_del_init(&inode->i_deferred);
		spin_unlock_irqrestore(&deferred_iput_lock, flags);
		if (!inode)
			return;
		iput(inode);
	}
}

void
iterate_inodes(struct super_block *sb, unsigned how, void (*fn)(struct inode *inode, void *arg),
	       void *arg)
{
	void (*put)(struct inode *) = how & ITER_NO_EVICT ? iput_no_evict : iput;
	struct inode *inode, *prev = NULL;
	uint32_t flags = spin_lock_irqsave(&inode_sb_list_lock);

	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		/* i_count 0: its last iput is freeing it right now */
		if (!inode->i_count || (inode->i_state & (I_NEW | I_FREEING)) ||
		    ((how & ITER_CACHED) && !inode->i_data.nrpages))
			continue;
		igrab(inode);                    /* keeps it, and our place in the list */
		spin_unlock_irqrestore(&inode_sb_list_lock, flags);
		if (prev)
			put(prev);
		fn(inode, arg);
		prev = inode;
		flags = spin_lock_irqsave(&inode_sb_list_lock);
	}
	spin_unlock_irqrestore(&inode_sb_list_lock, flags);
	if (prev)
		put(prev);
}
