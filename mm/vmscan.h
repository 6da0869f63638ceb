/*
 * mm/vmscan.h — page reclaim: freeing memory when it runs short.
 *
 * The allocator (mm/page_alloc.c) keeps three watermarks of free pages:
 * below "low" it wakes kswapd, which reclaims until free memory is above
 * "high"; below "min" an allocation that may sleep reclaims for itself
 * (try_to_free_pages) before it takes a page, and only allocations that
 * cannot sleep, and reclaim's own, may go under it. Reclaim frees pages
 * chosen by age from the LRU lists (mm/lru.c) through reverse mapping,
 * then, if they fell short, asks the shrinkers of the kernel's own
 * caches (the buffer cache).
 */
#ifndef MM_VMSCAN_H
#define MM_VMSCAN_H

#include <stdbool.h>
#include <mm/gfp.h>

struct page;

/* Linux's defaults: /proc/sys/vm/swappiness (0..200, how readily
 * anonymous pages go to swap rather than file pages be dropped). */
#define DEFAULT_SWAPPINESS 60
#define MAX_SWAPPINESS     200
extern int vm_swappiness;

/* How often an allocation retries reclaim that freed nothing before it
 * fails (Linux's MAX_RECLAIM_RETRIES). */
#define MAX_RECLAIM_RETRIES 16

/* Adds a shrinker: asked for nr pages, it frees up to about that many
 * and returns how many. needs_fs: it calls into file systems (it may
 * evict an inode), so it runs only for __GFP_FS allocations. */
void register_shrinker(unsigned long (*shrink)(unsigned long nr), bool needs_fs);
/* Direct reclaim: frees a batch of pages for an allocation with gfp,
 * unless the caller cannot sleep or is reclaiming already; how many it
 * freed. */
unsigned long try_to_free_pages(gfp_t gfp);
/* May the current task allocate below the minimum watermark? Reclaim
 * itself may (kswapd, direct reclaim), which needs memory to free some. */
bool reclaim_may_use_reserve(void);
/* Direct reclaim freed nothing: the allocating task sleeps a moment
 * before it tries again, so that kswapd and the other reclaimers, which
 * may hold the pages it wanted isolated, go on (Linux's reclaim_throttle,
 * VMSCAN_THROTTLE_NOPROGRESS); after MAX_RECLAIM_RETRIES such rounds the
 * allocation fails. */
#define RECLAIM_THROTTLE_MS 10
void reclaim_throttle(void);
/* The allocator found free memory below the low watermark. */
void wakeup_kswapd(void);
/* Starts kswapd (boot, once the scheduler runs). */
void kswapd_init(void);

/* The rmap checker: reclaim stops changing PTEs (it waits for the pages
 * in flight), and starts again. Called under migrate_mutex (one checker). */
void pause_reclaim(void);
void resume_reclaim(void);
/* MADV_PAGEOUT: reclaims the isolated page now (lru_isolate_page), as
 * far as it can: true if it was freed. Drops the isolation either way.
 * May sleep. */
bool reclaim_isolated_page(struct page *page);
/* MADV_COLD: the isolated page goes back to the inactive list, as
 * reclaim's next candidate, unreferenced. */
void deactivate_isolated_page(struct page *page);

#endif
