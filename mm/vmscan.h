/*
 * mm/vmscan.h — freeing memory when the page allocator runs out.
 *
 * For now reclaim is a list of shrinkers: callbacks that free what their
 * cache can give up (the clean page cache: fs/drop_caches.c; the buffer
 * cache). The allocator calls them for an allocation that may sleep and
 * found no free block, then tries once more. LRU lists, kswapd and
 * eviction through reverse mapping come with swap.
 */
#ifndef MM_VMSCAN_H
#define MM_VMSCAN_H

#include <stdbool.h>

/* Adds a shrinker: it frees what it can and returns how many pages (or
 * objects: non-zero means progress). needs_fs: it calls into file systems
 * (it may evict an inode), so it runs only for __GFP_FS allocations. */
void register_shrinker(unsigned long (*shrink)(void), bool needs_fs);
/* Runs the shrinkers gfp allows, unless the caller cannot sleep or is
 * reclaiming already; what they freed. */
unsigned long try_to_free_pages(unsigned gfp);

#endif
