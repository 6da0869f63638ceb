/*
 * mm/page.h — struct page: what the kernel knows about one physical frame.
 *
 * mem_map[] holds one struct page per frame from pfn 0 to max_pfn, so the
 * conversions pfn <-> struct page <-> kernel virtual address are additions
 * and shifts. A struct page is 32 bytes, 0.78% of the memory it describes:
 *
 *   offset  field        state in which it means what
 *   0       flags        always: PG_* bits below
 *   4       _refcount    always: references; 0 <=> free (in the buddy
 *                        allocator) or never usable (PG_reserved)
 *   8       _mapcount    user page: page-table entries mapping it, minus
 *                        one (-1 = unmapped), as on Linux
 *   12      mapping      user page: anon_vma | PAGE_MAPPING_ANON for an
 *                        anonymous page, or the address_space of the file
 *                        whose page cache holds it (bit 0 clear; shared
 *                        anonymous memory is a tmpfs file); NULL once
 *                        truncate took it out of the cache
 *           slab_cache   PG_slab: the cache the slab belongs to
 *   16      index        user page: offset in the mapping, in pages (an
 *                        anonymous page's linear index, vm_pgoff-based;
 *                        a page-cache page's offset in its file)
 *           freelist     PG_slab: first free object of the slab
 *           first_page   PG_tail: the head page of the compound page
 *   20      private      PG_buddy: order of the free block it heads
 *                        PG_head: order of the compound allocation
 *                        PG_swapcache: the swap entry (mm/swap_state.h)
 *           inuse/objects PG_slab: objects allocated / objects in the slab
 *   24      lru          PG_buddy: link on free_area[order].free_list
 *                        PG_slab: link on the cache's partial/full list
 *                        PG_lru: link on an LRU list (mm/lru.c), which
 *                        PG_active, PG_swapbacked and PG_unevictable name
 *
 * Locking: PG_buddy and the list links of free pages change under
 * zone.lock (mm/page_alloc.c); slab fields under the cache's lock;
 * PG_locked only in mm/page_lock.c, with interrupts off; an anonymous
 * page's mapping and index are set when it is first mapped and change only
 * under its page lock (migration) or under the page-table lock of its one
 * mapping (page_move_anon_rmap); a page-cache page's change only under its
 * page lock and its mapping's tree_lock together (mm/filemap.c), as do
 * PG_dirty and PG_writeback of a cached page; _refcount and _mapcount are
 * updated with interrupts off (uniprocessor atomics).
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <arch/x86/mmu.h>
#include <arch/x86/memlayout.h>
#include <libk/list.h>
#include <stdint.h>
#include <stdbool.h>

struct kmem_cache;

struct page {
	uint32_t flags;
	int _refcount;
	int _mapcount;
	union {
		void *mapping;
		struct kmem_cache *slab_cache;
	};
	union {
		uint32_t index;
		void *freelist;
		struct page *first_page;
	};
	union {
		uint32_t private;
		struct {
			uint16_t inuse;
			uint16_t objects;
		};
	};
	struct list_head lru;
};

/* The layout above is the i386 one; host tests (tests/host) build this
 * header with 64-bit pointers, where struct page is larger. */
#if __SIZEOF_POINTER__ == 4
_Static_assert(sizeof(struct page) == 32, "struct page must stay 32 bytes");
#endif

/* Page flags: bit numbers. */
enum pageflags {
	PG_reserved,     /* not managed by the buddy allocator (firmware, kernel image) */
	PG_buddy,        /* free, heads a block of 2^private pages in the buddy */
	PG_slab,         /* first page of a slab */
	PG_head,         /* first page of a compound (multi-page) allocation */
	PG_tail,         /* a later page of a compound allocation */
	PG_locked,       /* page lock: held during migration, page-cache I/O, truncate */
	PG_referenced,   /* recently used (reclaim) */
	PG_dirty,        /* contents differ from backing store */
	PG_lru,          /* on an LRU list */
	PG_active,       /* on the active LRU list */
	PG_swapcache,    /* in the swap cache; private holds the swap entry */
	PG_unevictable,  /* may not be reclaimed (mlocked) */
	PG_mlocked,      /* mapped by a VM_LOCKED VMA */
	PG_hwpoison,     /* soft-offlined: never to be allocated again */
	PG_uptodate,     /* page cache: holds the file's bytes (read in or written) */
	PG_writeback,    /* page cache: being written to backing store */
	PG_error,        /* page cache: the last read or write of it failed */
	PG_swapbacked,   /* on an anon LRU list: only swap can free it (mm/lru.c) */
	NR_PAGEFLAGS
};

static inline bool PageFlag(const struct page *p, enum pageflags f) { return p->flags & (1u << f); }
static inline void SetPageFlag(struct page *p, enum pageflags f)    { p->flags |= 1u << f; }
static inline void ClearPageFlag(struct page *p, enum pageflags f)  { p->flags &= ~(1u << f); }

#define PageReserved(p) PageFlag(p, PG_reserved)
#define PageBuddy(p)    PageFlag(p, PG_buddy)
#define PageSlab(p)     PageFlag(p, PG_slab)
#define PageHead(p)     PageFlag(p, PG_head)
#define PageTail(p)     PageFlag(p, PG_tail)

extern struct page *mem_map;      /* one entry per frame, [0, max_pfn) */
extern unsigned long max_pfn;     /* first frame number not described */

static inline unsigned long page_to_pfn(const struct page *p) { return p - mem_map; }
static inline struct page *pfn_to_page(unsigned long pfn)     { return mem_map + pfn; }
static inline bool pfn_valid(unsigned long pfn)                { return pfn < max_pfn; }
static inline uintptr_t page_to_phys(const struct page *p)     { return page_to_pfn(p) << PAGE_SHIFT; }
static inline void *page_address(const struct page *p)         { return __va(page_to_phys(p)); }
static inline struct page *virt_to_page(const void *va)        { return pfn_to_page(__pa(va) >> PAGE_SHIFT); }

static inline struct page *compound_head(struct page *p)
{
	return PageTail(p) ? p->first_page : p;
}
static inline struct page *virt_to_head_page(const void *va)   { return compound_head(virt_to_page(va)); }
static inline unsigned compound_order(const struct page *p)    { return PageHead(p) ? p->private : 0; }

static inline int page_count(const struct page *p)    { return p->_refcount; }
static inline int page_mapcount(const struct page *p) { return p->_mapcount + 1; }
void get_page(struct page *p);
/* Drops a reference; frees the page when it was the last (taking it off
 * its LRU list and letting go of its anon_vma first: lru_page_freed,
 * mm/lru.c; page_clear_rmap_on_free, mm/rmap.c). */
void put_page(struct page *p);
void page_clear_rmap_on_free(struct page *page);

/* Prints a page's fields, for BUG reports. */
void dump_page(const struct page *p, const char *reason);

#endif
