/*
 * mm/lru.h — the LRU lists: every page user space can reach, on one of
 * five lists by kind and age, so that reclaim can pick a specific page
 * by how long ago it was used (mm/lru.c explains the rules).
 */
#ifndef MM_LRU_H
#define MM_LRU_H

#include <mm/page.h>

/* The lists, in Linux's order (the node counters NR_INACTIVE_ANON... of
 * mm/vmstat.h follow it). */
enum lru_list {
	LRU_INACTIVE_ANON,        /* anonymous and shared-memory pages: need swap to go */
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,        /* page cache of files with backing store */
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,          /* pages nothing can free (ramfs) */
	NR_LRU_LISTS
};

/* The page flags that say which list a page is on (PG_lru clear while
 * reclaim has it isolated, the others kept). */
#define LRU_FLAGS ((1u << PG_lru) | (1u << PG_active) | (1u << PG_swapbacked) | \
		   (1u << PG_unevictable))

/* A new user page joins the list of its kind: an anonymous page (its
 * anon_vma set) the active anon list, a page-cache page (its mapping set)
 * the inactive list of its file's kind. It must not be on a list yet. */
void lru_cache_add(struct page *page);
/* The last reference to page is gone (put_page): it leaves its list
 * (or, isolated, just its LRU flags). */
void lru_page_freed(struct page *page);
/* Reclaim: takes up to nr pages from the tail (the oldest end) of list l
 * onto out, each with a reference and PG_lru clear (isolated: reclaim
 * owns them until lru_putback or their last put_page). *scanned: how
 * many it looked at. How many it took. */
unsigned long lru_isolate(enum lru_list l, unsigned long nr, struct list_head *out,
			  unsigned long *scanned);
/* Isolates one page (MADV_PAGEOUT) if it is on a list: true if taken. */
bool lru_isolate_page(struct page *page);
/* An isolated page goes back, to the head of the list its flags name
 * (PG_active, PG_swapbacked, PG_unevictable), and the isolation's
 * reference is dropped. */
void lru_putback(struct page *page);
/* Migration: newpage takes old's place on its list, old leaves it. */
void lru_replace_page(struct page *old, struct page *newpage);
/* Pages on list l now. */
unsigned long lru_list_pages(enum lru_list l);
/* Mismatches between the lists and the pages' flags and counters (0:
 * consistent); each printed when verbose. Run by the rmap checker. */
int lru_check(bool verbose);

#endif
