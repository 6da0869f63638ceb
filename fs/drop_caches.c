/*
 * fs/drop_caches.c — what writing to /proc/sys/vm/drop_caches does
 * (drop_caches: 1 and 3 the clean page cache of every file; any value the
 * unused dentries and inodes and the clean buffers), and the buffer-cache
 * shrinker reclaim calls when the LRU lists fall short (mm/vmscan.c).
 *
 * Only pages no one needs go: clean (written back or never dirtied),
 * unmapped, unlocked, and referenced by nothing but the cache
 * (invalidate_mapping_pages, mm/truncate.c). ramfs and tmpfs pages stay
 * dirty forever, so they never go.
 *
 * The walk never evicts an inode: a reference it held that turns out to
 * be the last waits on the deferred iputs for the flusher (iput_no_evict).
 *
 * Locks: inode_sb_list_lock around the walk of each super_block's
 * inodes (dropped around each inode, which is held by a reference), then
 * the page cache's (a trylock of each page).
 */
#include <fs/vfs.h>
#include <mm/filemap.h>
#include <mm/vmscan.h>
#include <fs/buffer.h>

struct drop_walk {
	unsigned long gone;
	bool may_evict;
};

static void
drop_inode_pages(struct inode *inode, void *arg)
{
	((struct drop_walk *)arg)->gone += invalidate_mapping_pages(inode->i_mapping, 0, 0xFFFFFFFFu);
}

static void
drop_sb_pages(struct super_block *sb, void *arg)
{
	iterate_inodes(sb, ITER_CACHED | (((struct drop_walk *)arg)->may_evict ? 0 : ITER_NO_EVICT),
		       drop_inode_pages, arg);
}

unsigned long
drop_pagecache(bool may_evict)
{
	struct drop_walk w = { 0, may_evict };

	if (may_evict)
		run_deferred_iputs();
	iterate_supers(drop_sb_pages, &w);
	return w.gone;
}

/* Syncs sb if it has something to write (drop_caches). */
static void
sync_one(struct super_block *sb, void *arg)
{
	(void)arg;
	if (sb->s_bdev && !sb_rdonly(sb))
		sync_filesystem(sb);
}

void
drop_caches(int what)
{
	if (what == 1 || what == 3)
		drop_pagecache(true);
	reap_detached_mounts_unlocked();     /* the dentries of lazily unmounted file systems */
	/* unused dentries go (their inodes are evicted: dirty pages written,
	 * the inode copied into its inode-table buffer), every disk file
	 * system is synced (the flusher would wait a few seconds), then every
	 * clean buffer is freed */
	shrink_dcache_all();
	mutex_lock(&namespace_mutex);
	iterate_supers(sync_one, NULL);
	mutex_unlock(&namespace_mutex);
	buffer_shrink(~0ul);
}

/* The shrinker reclaim calls when the LRU lists could not give it a
 * batch: the clean buffers of the buffer cache (fs/buffer.c). The page
 * cache is not a shrinker's: reclaim takes its pages by age from the LRU
 * lists (mm/vmscan.c); dropping all of it at once is drop_caches'. */
static unsigned long
buffer_cache_shrink(unsigned long nr)
{
	return buffer_shrink(nr);
}

void
drop_caches_init(void)
{
	register_shrinker(buffer_cache_shrink, false);
}
