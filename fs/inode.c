/*
 * fs/inode.c — allocating inodes and counting references to them.
 *
 * An inode lives while something refers to it: a dentry naming it, a pipe
 * end, an open file through its dentry. The last iput frees it and lets
 * the file system free its private data (i_destroy); for ramfs that is
 * where an unlinked file's pages are finally freed.
 */
#include <fs/vfs.h>
#include <kernel/errno.h>
#include <kernel/time.h>
#include <kernel/spinlock.h>
#include <mm/slab.h>
#include <libk/string.h>

static struct kmem_cache *inode_cache;
/* Guards every super_block's s_inodes list (Linux's s_inode_list_lock). */
DEFINE_SPINLOCK(inode_sb_list_lock);

int64_t
current_time_ns(void)
{
	return (int64_t)realtime_ns();
}

struct inode *
new_inode(struct super_block *sb, uint32_t mode)
{
	struct inode *inode;

	if (!inode_cache)
		inode_cache = kmem_cache_create("inode", sizeof(struct inode), 4);
	inode = kmem_cache_zalloc(inode_cache);
	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_ino = sb ? ++sb->s_next_ino : 0;
	inode->i_mode = mode;
	inode->i_nlink = 1;
	inode->i_count = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time_ns();
	mutex_init(&inode->i_mutex, "i_mutex");
	address_space_init(&inode->i_data, inode);
	inode->i_mapping = &inode->i_data;
	INIT_LIST_HEAD(&inode->i_hash);
	INIT_LIST_HEAD(&inode->i_sb_list);
	if (sb) {
		uint32_t flags = spin_lock_irqsave(&inode_sb_list_lock);

		list_add_tail(&inode->i_sb_list, &sb->s_inodes);
		spin_unlock_irqrestore(&inode_sb_list_lock, flags);
	}
	return inode;
}

struct inode *
igrab(struct inode *inode)
{
	uint32_t flags = local_irq_save();

	inode->i_count++;
	local_irq_restore(flags);
	return inode;
}

void
iput(struct inode *inode)
{
	uint32_t flags;
	int left;

	if (!inode)
		return;
	flags = local_irq_save();
	left = --inode->i_count;
	local_irq_restore(flags);
	if (left)
		return;
	truncate_inode_pages(&inode->i_data, 0);   /* its page cache goes with it */
	if (inode->i_destroy)
		inode->i_destroy(inode);
	flags = spin_lock_irqsave(&inode_sb_list_lock);
	list_del(&inode->i_sb_list);
	spin_unlock_irqrestore(&inode_sb_list_lock, flags);
	kmem_cache_free(inode_cache, inode);
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

void
iterate_inodes_with_pages(struct super_block *sb, void (*fn)(struct inode *inode, void *arg),
			  void *arg)
{
	struct inode *inode, *prev = NULL;
	uint32_t flags = spin_lock_irqsave(&inode_sb_list_lock);

	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		/* i_count 0: its last iput is freeing it right now */
		if (!inode->i_data.nrpages || !inode->i_count || (inode->i_state & I_NEW))
			continue;
		igrab(inode);                    /* keeps it, and our place in the list */
		spin_unlock_irqrestore(&inode_sb_list_lock, flags);
		iput(prev);
		fn(inode, arg);
		prev = inode;
		flags = spin_lock_irqsave(&inode_sb_list_lock);
	}
	spin_unlock_irqrestore(&inode_sb_list_lock, flags);
	iput(prev);
}
