/*
 * mm/page_alloc.h — the buddy allocator: physical memory in blocks of
 * 2^order contiguous frames, order 0 (4 KiB) to MAX_ORDER (4 MiB).
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <mm/page.h>
#include <mm/gfp.h>

#define MAX_ORDER 10
#define NR_ORDERS (MAX_ORDER + 1)

/* Allocates 2^order contiguous frames; NULL when no block is free. */
struct page *alloc_pages(gfp_t gfp, unsigned order);
static inline struct page *alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }
/* Returns a block from alloc_pages (refcount must be 1, or 0 for boot memory). */
void __free_pages(struct page *page, unsigned order);
/* The same, in kernel virtual addresses. */
void *get_free_pages(gfp_t gfp, unsigned order);
void free_pages(void *addr, unsigned order);

/* Hands the frames [start_pfn, end_pfn) to the allocator at boot. */
void free_boot_range(unsigned long start_pfn, unsigned long end_pfn);
/* Sets up an empty allocator describing frames [0, max_pfn). */
void buddy_init(struct page *map, unsigned long nr_pfns);

/* If page is free, takes it alone out of the allocator (splitting its
 * block) with one reference, for good: soft-offline. False if not free. */
bool take_page_off_buddy(struct page *page);

unsigned long nr_free_pages(void);
/* The high and minimum watermarks, in free pages (mm/vmscan.h). */
unsigned long high_wmark_pages(void);
unsigned long min_wmark_pages(void);
unsigned long nr_managed_pages(void);
/* Free blocks of each order, as /proc/buddyinfo shows them. */
void buddy_counts(unsigned long counts[NR_ORDERS]);
void show_buddyinfo(void);

#endif
