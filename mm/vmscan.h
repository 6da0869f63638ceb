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

/* Adds a shrinker: it frees what it can and returns how many pages. */
void register_shrinker(unsigned long (*shrink)(void));
/* Runs every shrinker, unless the caller cannot sleep or is reclaiming
 * already; the number of pages they freed. */
unsigned long try_to_free_pages(void);

#endif
