/*
 * mm/swap_state.h — the swap cache: anonymous pages found by the swap
 * slot that holds (or will hold) their contents.
 *
 * A page goes to swap in three steps (mm/vmscan.c): add_to_swap gives it
 * a slot and puts it in the swap cache; try_to_unmap replaces each PTE
 * that maps it with a swap PTE naming the slot; the page is written to the
 * slot and, once no one holds it but the cache, taken out of the cache and
 * freed. A fault on a swap PTE (do_swap_page, mm/fault.c) looks in the
 * cache first: a page a relative brought back, or one not yet freed, is
 * mapped again, so a page shared by a fork tree goes out once and comes
 * back once, still shared.
 *
 *   swap PTE ----(type, offset)----> slot: swap_map[offset] counts the
 *        \                                 swap PTEs naming it + 1 if the
 *         \                                swap cache holds a page for it
 *          `--lookup_swap_cache--> page: PG_swapcache, private = entry,
 *                                  mapping = its anon_vma as before,
 *                                  one reference held by the cache
 *
 * A page in the swap cache is an ordinary anonymous page otherwise: it
 * may be mapped by present PTEs (after a swap-in) while swap PTEs of
 * other processes still name its slot. Its contents equal the slot's as
 * long as it is clean (!PG_dirty and no dirty PTE); a write makes it
 * dirty, and reclaim writes it again before freeing it.
 *
 * Invariants: PG_swapcache <=> the page is in the cache, under
 * page->private's entry, and holds one reference of the page and one
 * count of the slot. Pages enter and leave the cache locked.
 *
 * Locks: swap_cache_lock (spin) guards the tree; taken under the page
 * lock and page_table_lock, above swap_lock (mm/LOCKING.md).
 */
#ifndef MM_SWAP_STATE_H
#define MM_SWAP_STATE_H

#include <mm/swapfile.h>
#include <mm/page.h>

struct vm_area_struct;

static inline bool PageSwapCache(const struct page *page) { return PageFlag(page, PG_swapcache); }
/* The slot a swap-cache page belongs to. */
static inline swp_entry_t page_swap_entry(const struct page *page)
{
	return (swp_entry_t){ page->private };
}

/* Gives the locked anonymous page (not in the swap cache) a slot and puts
 * it in the cache, dirty (its contents are not in the slot yet). False
 * if no slot is free or memory for the tree ran out. */
bool add_to_swap(struct page *page);
/* Takes the locked page out of the swap cache: the cache's reference to
 * the page and its count of the slot are dropped. */
void delete_from_swap_cache(struct page *page);
/* Reclaim: takes the locked, clean, unmapped page out of the swap cache
 * if no one else holds it (references: the cache's and extra_refs);
 * true if it did. */
bool remove_swap_mapping(struct page *page, int extra_refs);
/* The swap-cache page of entry, with a reference; NULL if none. */
struct page *lookup_swap_cache(swp_entry_t entry);
/*
 * The page holding entry's contents, locked, uptodate, in the swap cache,
 * with a reference for the caller: the cached one, or a new page read
 * from the slot (*major set). NULL if the slot is no longer in use (the
 * caller's PTE changed meanwhile: look again) or memory ran out
 * (*err = -ENOMEM); NULL with *err = -EIO if the read failed. The caller
 * holds a reference to the slot (a swap PTE it saw, under mmap_lock).
 */
struct page *swapin_page(swp_entry_t entry, bool *major, int *err);
/* The locked swap-cache page's slot is named by no swap PTE (count: the
 * cache's only): take it out of the cache, dirty, since its contents are
 * about to differ from the slot's or the slot is not needed. True if it
 * was freed. */
bool try_to_free_swap(struct page *page);
/* A swap PTE naming entry is gone (zap): drop its count, and if only the
 * cache still holds the slot and no one maps its page, free both.
 * Called under page_table_lock: only trylocks. */
void free_swap_and_cache(swp_entry_t entry);
/* The last PTE mapping a swap-cache page is gone: if no swap PTE needs
 * its slot either, free the slot (a trylock: else reclaim does it). */
void free_swap_cache(struct page *page);
/* swapoff: every page in the swap cache for a slot of area type that no
 * swap PTE names any more leaves the cache (dirty: its slot is going). */
void free_swap_cache_of_type(uint32_t type);
/* Migration: newpage (locked) takes the locked old's place in the cache. */
void replace_swap_cache_page(struct page *old, struct page *newpage);
/* Pages in the swap cache (meminfo SwapCached). */
unsigned long total_swapcache_pages(void);

#endif
