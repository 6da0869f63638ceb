/*
 * mm/page_alloc.c — the buddy allocator.
 *
 * Free memory is kept as blocks of 2^order frames, each aligned to its
 * size (its first pfn is a multiple of 2^order), on one free list per
 * order. A block of order k has exactly one "buddy": the block of the same
 * order whose pfn differs only in bit k. Allocation takes the smallest
 * block that fits and splits off halves down to the order asked for;
 * freeing merges a block with its buddy for as long as the buddy is free
 * too, so free memory coalesces back into the largest blocks — the
 * property compaction will rely on.
 *
 * Invariants (checked by tests/host/test_buddy.c):
 *   - a free block's first page has PG_buddy, private = order, refcount 0
 *     and sits on free_area[order]; its other pages have no flags;
 *   - two buddies are never both free at the same order (they would have
 *     been merged);
 *   - nr_free of each order equals the length of its list.
 *
 * Locks: zone.lock (irqsave) protects every free list and PG_buddy. It is
 * a leaf lock: nothing else is taken while it is held.
 */
#include <mm/page_alloc.h>
#include <mm/vmscan.h>
#include <mm/lru.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <libk/string.h>

struct free_area {
	struct list_head free_list;   /* first pages of free blocks */
	unsigned long nr_free;        /* blocks on free_list */
};

struct zone {
	spinlock_t lock;
	struct free_area free_area[NR_ORDERS];
	unsigned long managed_pages;  /* pages ever given to the allocator */
	unsigned long free_pages;     /* sum over orders of nr_free << order */
	/* watermarks in free pages (mm/vmscan.h): below low kswapd runs, to
	 * high; below min only atomic allocations and reclaim's own go */
	unsigned long wmark_min, wmark_low, wmark_high;
};

struct page *mem_map;
unsigned long max_pfn;
static struct zone zone;

void
dump_page(const struct page *p, const char *reason)
{
	printk(KERN_EMERG "page:%p pfn:%lu flags:%#x count:%d mapcount:%d mapping:%p index:%#x private:%#x (%s)\n",
	       (void *)p, page_to_pfn(p), p->flags, p->_refcount, p->_mapcount, p->mapping,
	       p->index, p->private, reason);
}

#define BAD_PAGE(p, why)                                                       \
	do {                                                                   \
		dump_page(p, why);                                             \
		panic("bad page state: %s", why);                              \
	} while (0)

void
buddy_init(struct page *map, unsigned long nr_pfns)
{
	mem_map = map;
	max_pfn = nr_pfns;
	spin_lock_init(&zone.lock, "zone");
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		INIT_LIST_HEAD(&zone.free_area[o].free_list);
		zone.free_area[o].nr_free = 0;
	}
	zone.managed_pages = 0;
	zone.free_pages = 0;
	for (unsigned long pfn = 0; pfn < nr_pfns; pfn++) {
		struct page *p = &map[pfn];

		memset(p, 0, sizeof(*p));
		p->flags = 1u << PG_reserved;
		p->_refcount = 1;
		p->_mapcount = -1;
		INIT_LIST_HEAD(&p->lru);
	}
}

static void
add_to_free_area(struct page *page, unsigned order)
{
	SetPageFlag(page, PG_buddy);
	page->private = order;
	list_add(&page->lru, &zone.free_area[order].free_list);
	zone.free_area[order].nr_free++;
	zone.free_pages += 1ul << order;
}

static void
del_from_free_area(struct page *page, unsigned order)
{
	list_del_init(&page->lru);
	ClearPageFlag(page, PG_buddy);
	page->private = 0;
	zone.free_area[order].nr_free--;
	zone.free_pages -= 1ul << order;
}

/* True if pfn heads a free block of exactly this order. */
static bool
is_free_buddy(unsigned long pfn, unsigned order)
{
	struct page *p;

	if (!pfn_valid(pfn))
		return false;
	p = pfn_to_page(pfn);
	return PageBuddy(p) && p->private == order;
}

/* Frees one aligned block, merging with free buddies. zone.lock held. */
static void
free_one_block_locked(unsigned long pfn, unsigned order)
{
	assert_spin_locked(&zone.lock);
	while (order < MAX_ORDER) {
		unsigned long buddy = pfn ^ (1ul << order);

		if (!is_free_buddy(buddy, order))
			break;
		del_from_free_area(pfn_to_page(buddy), order);
		pfn &= ~(1ul << order);          /* the merged block starts at the lower one */
		order++;
	}
	add_to_free_area(pfn_to_page(pfn), order);
}

/* Splits a free block of order high down to order low; returns the low part. */
static struct page *
split_block(struct page *page, unsigned low, unsigned high)
{
	while (high > low) {
		high--;
		add_to_free_area(page + (1ul << high), high);
	}
	return page;
}

static struct page *
take_block_locked(unsigned order)
{
	assert_spin_locked(&zone.lock);
	for (unsigned o = order; o < NR_ORDERS; o++) {
		struct free_area *area = &zone.free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_area(page, o);
		return split_block(page, order, o);
	}
	return NULL;
}

static void
check_new_page(struct page *p)
{
	if (p->flags || p->_refcount || p->_mapcount != -1 || p->mapping)
		BAD_PAGE(p, "allocating a page that is in use");
}

static void
prep_compound(struct page *head, unsigned order)
{
	SetPageFlag(head, PG_head);
	head->private = order;
	for (unsigned long i = 1; i < (1ul << order); i++) {
		SetPageFlag(head + i, PG_tail);
		head[i].first_page = head;
	}
}

/* The integer square root of n (Newton's method). */
static unsigned long
int_sqrt(unsigned long n)
{
	unsigned long x = n, y = (n + 1) / 2;

	while (y < x) {
		x = y;
		y = (x + n / x) / 2;
	}
	return x;
}

/* Linux's init_per_zone_wmark_min: min_free_kbytes = sqrt(16 * memory
 * in KiB), at least 128 KiB; low and high are 5/4 and 3/2 of it. Recomputed
 * as boot hands memory over. zone.lock held. */
static void
set_watermarks(void)
{
	unsigned long min_kb = int_sqrt(zone.managed_pages * (PAGE_SIZE / 1024) * 16);

	if (min_kb < 128)
		min_kb = 128;
	zone.wmark_min = min_kb / (PAGE_SIZE / 1024);
	zone.wmark_low = zone.wmark_min + zone.wmark_min / 4;
	zone.wmark_high = zone.wmark_min + zone.wmark_min / 2;
}

unsigned long
high_wmark_pages(void)
{
	return zone.wmark_high;
}

unsigned long
min_wmark_pages(void)
{
	return zone.wmark_min;
}

/* Free pages an allocation must leave: the minimum watermark, unless it
 * cannot sleep or reclaim itself is allocating (Linux's ALLOC_HARDER and
 * PF_MEMALLOC), for whom the reserve is kept. */
static unsigned long
reserve_for(gfp_t gfp)
{
	if (!(gfp & __GFP_WAIT) || reclaim_may_use_reserve())
		return 0;
	return zone.wmark_min;
}

/* A block of order if taking it leaves reserve free pages; wakes kswapd
 * when free memory is below the low watermark. */
static struct page *
take_block_above(unsigned order, unsigned long reserve)
{
	struct page *page = NULL;
	uint32_t flags = spin_lock_irqsave(&zone.lock);
	bool low;

	if (zone.free_pages >= reserve + (1ul << order))
		page = take_block_locked(order);
	low = zone.free_pages < zone.wmark_low;
	spin_unlock_irqrestore(&zone.lock, flags);
	if (low)
		wakeup_kswapd();
	return page;
}

/* Free memory is at the minimum watermark: the reserve for those who may
 * use it, else reclaim for as long as it makes progress (the allocator
 * never fails while something can be freed). */
static struct page *
alloc_pages_slowpath(gfp_t gfp, unsigned order)
{
	unsigned long reserve = reserve_for(gfp);
	unsigned failures = 0;
	struct page *page;

	while (!(page = take_block_above(order, reserve))) {
		if (!reserve)
			return NULL;                 /* cannot sleep, or reclaim's own */
		if (try_to_free_pages(gfp))
			failures = 0;
		else if (++failures > MAX_RECLAIM_RETRIES)
			return NULL;
		else
			reclaim_throttle();          /* let kswapd and other reclaimers go on */
	}
	return page;
}

struct page *
alloc_pages(gfp_t gfp, unsigned order)
{
	struct page *page;

	if (order > MAX_ORDER)
		return NULL;
	page = take_block_above(order, zone.wmark_min);   /* the common case */
	if (!page && !(page = alloc_pages_slowpath(gfp, order)))
		return NULL;

	for (unsigned long i = 0; i < (1ul << order); i++)
		check_new_page(page + i);
	page->_refcount = 1;
	if ((gfp & __GFP_COMP) && order)
		prep_compound(page, order);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

/*
 * True if pfn lies inside a block on a free list. A freed block that has
 * merged with its buddy is no longer PG_buddy itself when it was the upper
 * half, so look for a free head at each order's aligned start.
 */
static bool
pfn_in_free_block(unsigned long pfn)
{
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		const struct page *head = pfn_to_page(pfn & ~((1ul << o) - 1));

		if (PageBuddy(head) && head->private >= o)
			return true;
	}
	return false;
}

/* Clears the allocation state of each page of a block before freeing it. */
static void
free_pages_prepare(struct page *page, unsigned order)
{
	if (pfn_in_free_block(page_to_pfn(page)))
		BAD_PAGE(page, "double free");
	for (unsigned long i = 0; i < (1ul << order); i++) {
		struct page *p = page + i;

		if (p->_mapcount != -1 || PageSlab(p))
			BAD_PAGE(p, "freeing a page that is still mapped or a slab");
		if (i && p->_refcount)
			BAD_PAGE(p, "freeing a block whose tail page has references");
		p->flags &= ~((1u << PG_head) | (1u << PG_tail) | (1u << PG_referenced) |
			      (1u << PG_dirty) | (1u << PG_reserved));
		if (p->flags)
			BAD_PAGE(p, "freeing a page with state flags set");
		p->mapping = NULL;
		p->index = 0;
		p->private = 0;
	}
	page->_refcount = 0;
}

void
__free_pages(struct page *page, unsigned order)
{
	uint32_t flags;

	BUG_ON(order > MAX_ORDER);
	BUG_ON(page_to_pfn(page) & ((1ul << order) - 1));
	if (page->_refcount > 1)
		BAD_PAGE(page, "freeing a page that others still hold");
	free_pages_prepare(page, order);
	flags = spin_lock_irqsave(&zone.lock);
	free_one_block_locked(page_to_pfn(page), order);
	spin_unlock_irqrestore(&zone.lock, flags);
}

void *
get_free_pages(gfp_t gfp, unsigned order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? page_address(page) : NULL;
}

void
free_pages(void *addr, unsigned order)
{
	if (addr)
		__free_pages(virt_to_page(addr), order);
}

void
get_page(struct page *p)
{
	uint32_t flags = local_irq_save();

	BUG_ON(p->_refcount <= 0);
	p->_refcount++;
	local_irq_restore(flags);
}

void
put_page(struct page *p)
{
	uint32_t flags = local_irq_save();
	int left;

	p = compound_head(p);
	if (p->_refcount <= 0)
		BAD_PAGE(p, "put_page on a free page");
	left = --p->_refcount;
	local_irq_restore(flags);
	if (left != 0)
		return;
	if (p->flags & LRU_FLAGS)
		lru_page_freed(p);               /* off its LRU list (mm/lru.c) */
	if (p->mapping)
		page_clear_rmap_on_free(p);      /* an anonymous page's anon_vma */
	__free_pages(p, compound_order(p));
}

/* The pfn of the free block containing pfn, and its order; false if the
 * frame is not free. zone.lock held. */
static bool
find_free_block(unsigned long pfn, unsigned long *head, unsigned *order)
{
	assert_spin_locked(&zone.lock);
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		unsigned long start = pfn & ~((1ul << o) - 1);

		if (is_free_buddy(start, o)) {
			*head = start;
			*order = o;
			return true;
		}
	}
	return false;
}

bool
take_page_off_buddy(struct page *page)
{
	unsigned long pfn = page_to_pfn(page), head;
	unsigned order;
	uint32_t flags = spin_lock_irqsave(&zone.lock);
	bool found = find_free_block(pfn, &head, &order);

	if (found) {
		del_from_free_area(pfn_to_page(head), order);
		/* give back every part of the block but the one frame */
		while (order > 0) {
			order--;
			if (pfn & (1ul << order)) {
				add_to_free_area(pfn_to_page(head), order);
				head += 1ul << order;
			} else {
				add_to_free_area(pfn_to_page(head + (1ul << order)), order);
			}
		}
		page->_refcount = 1;
	}
	spin_unlock_irqrestore(&zone.lock, flags);
	return found;
}

/* Largest order at which a block starting at pfn fits in [pfn, end). */
static unsigned
largest_fitting_order(unsigned long pfn, unsigned long end)
{
	unsigned order = 0;

	while (order < MAX_ORDER && !(pfn & (1ul << order)) && pfn + (2ul << order) <= end)
		order++;
	return order;
}

void
free_boot_range(unsigned long start_pfn, unsigned long end_pfn)
{
	uint32_t flags = spin_lock_irqsave(&zone.lock);

	BUG_ON(end_pfn > max_pfn);
	while (start_pfn < end_pfn) {
		unsigned order = largest_fitting_order(start_pfn, end_pfn);
		struct page *page = pfn_to_page(start_pfn);

		for (unsigned long i = 0; i < (1ul << order); i++) {
			page[i].flags = 0;
			page[i]._refcount = 0;
		}
		zone.managed_pages += 1ul << order;
		free_one_block_locked(start_pfn, order);
		start_pfn += 1ul << order;
	}
	set_watermarks();
	spin_unlock_irqrestore(&zone.lock, flags);
}

unsigned long
nr_free_pages(void)
{
	return zone.free_pages;
}

unsigned long
nr_managed_pages(void)
{
	return zone.managed_pages;
}

void
buddy_counts(unsigned long counts[NR_ORDERS])
{
	uint32_t flags = spin_lock_irqsave(&zone.lock);

	for (unsigned o = 0; o < NR_ORDERS; o++)
		counts[o] = zone.free_area[o].nr_free;
	spin_unlock_irqrestore(&zone.lock, flags);
}

void
show_buddyinfo(void)
{
	unsigned long counts[NR_ORDERS];

	buddy_counts(counts);
	printk(KERN_INFO "Node 0, zone   Normal");
	for (unsigned o = 0; o < NR_ORDERS; o++)
		printk(KERN_INFO " %6lu", counts[o]);
	printk(KERN_INFO "\n");
}
