/*
 * fs/drop_caches.c — dropping the clean page cache of every file: what
 * writing 1 (or 3) to /proc/sys/vm/drop_caches does, and what the page
 * allocator does when it runs out of free pages (a shrinker, mm/vmscan.c).
 *
 * Only pages no one needs go: clean (written back or never dirtied),
 * unmapped, unlocked, and referenced by nothing but the cache
 * (invalidate_mapping_pages, mm/truncate.c). ramfs and tmpfs pages stay
 * dirty forever, so they never go. Until reclaim has LRU lists (with
 * reverse mapping to unmap pages), this is how a file larger than memory
 * can be read and written: clean pages of the part already done make
 * room for the next.
 *
 * Locks: inode_sb_list_lock around the walk of each super_block's
 * inodes (dropped around each inode, which is held by a reference), then
 * the page cache's (a trylock of each page).
 */
#include <fs/vfs.h>
#include <mm/filemap.h>
#include <mm/vmscan.h>

static void
drop_inode_pages(struct inode *inode, void *arg)
{
	unsigned long *gone = arg;

	*gone += invalidate_mapping_pages(inode->i_mapping, 0, 0xFFFFFFFFu);
}

static void
drop_sb_pages(struct super_block *sb, void *arg)
{
	iterate_inodes_with_pages(sb, drop_inode_pages, arg);
}

unsigned long
drop_pagecache(void)
{
	unsigned long gone = 0;

	iterate_supers(drop_sb_pages, &gone);
	return gone;
}

/* The shrinker the allocator calls when it runs out of pages. */
static unsigned long
pagecache_shrink(void)
{
	return drop_pagecache();
}

void
drop_caches_init(void)
{
	register_shrinker(pagecache_shrink);
}
