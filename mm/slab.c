/*
 * mm/slab.c — the slab allocator: kernel objects of one size carved out
 * of page blocks ("slabs"), and kmalloc's power-of-two caches on top.
 *
 * A slab is a block of 2^order pages from the buddy allocator; its head
 * struct page records the slab's state (PG_slab, slab_cache, freelist,
 * inuse, objects) so that freeing an object needs only its address:
 * virt_to_head_page(obj) finds the slab and its cache. Free objects of a
 * slab are chained through their first word, starting at page->freelist.
 *
 *      slab (order 0)
 *     +--------+--------+--------+--------+----
 *     | obj 0  | obj 1  | obj 2  | obj 3  | ...     freelist -> 2 -> 0 -> NULL
 *     +--------+--------+--------+--------+----
 *
 * Each slab is on exactly one of its cache's lists: full (no free object),
 * partial, or empty (all free; at most SLAB_KEEP_EMPTY are kept, the rest
 * go back to the buddy allocator).
 *
 * Locks: all_caches_lock (the list of caches; /proc/slabinfo's snapshot
 * takes each cache's lock under it), cache->lock (irqsave), then
 * zone.lock inside the page allocator.
 */
#include <mm/slab.h>
#include <mm/page_alloc.h>
#include <kernel/printk.h>
#include <libk/string.h>

#define SLAB_KEEP_EMPTY      1
#define SLAB_MIN_OBJECTS     8       /* pick an order giving at least this many */
#define SLAB_MAX_ORDER       3
#define KMALLOC_SHIFT_MIN    3
#define KMALLOC_SHIFT_MAX    11
#define NR_KMALLOC_CACHES    (KMALLOC_SHIFT_MAX - KMALLOC_SHIFT_MIN + 1)

static struct kmem_cache cache_cache;   /* the cache of struct kmem_cache */
static struct kmem_cache *kmalloc_caches[NR_KMALLOC_CACHES];
static LIST_HEAD(all_caches);
static DEFINE_SPINLOCK(all_caches_lock);

static unsigned
slab_order_for(unsigned size)
{
	unsigned order = 0;

	while (order < SLAB_MAX_ORDER && (PAGE_SIZE << order) / size < SLAB_MIN_OBJECTS)
		order++;
	return order;
}

static void
cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	memset(c, 0, sizeof(*c));
	spin_lock_init_class(&c->lock, name, LC_KMEM_CACHE);
	c->name = name;
	c->object_size = size;
	/* At least pointer alignment: free objects hold the freelist link. */
	c->align = align > sizeof(void *) ? align : sizeof(void *);
	c->size = (size < sizeof(void *) ? sizeof(void *) : size);
	c->size = (c->size + c->align - 1) & ~(c->align - 1);
	c->order = slab_order_for(c->size);
	c->objects_per_slab = (PAGE_SIZE << c->order) / c->size;
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	INIT_LIST_HEAD(&c->empty);

	uint32_t flags = spin_lock_irqsave(&all_caches_lock);
	list_add_tail(&c->cache_list, &all_caches);
	spin_unlock_irqrestore(&all_caches_lock, flags);
}

struct kmem_cache *
kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	if (size == 0 || size > (PAGE_SIZE << SLAB_MAX_ORDER) || (align & (align - 1)) ||
	    align > (PAGE_SIZE << SLAB_MAX_ORDER))
		return NULL;
	if (!cache_cache.name)
		cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0);
	c = kmem_cache_alloc(&cache_cache);
	if (c)
		cache_setup(c, name, size, align);
	return c;
}

/* Gets a new slab from the page allocator and threads its freelist. */
static struct page *
new_slab(struct kmem_cache *c)
{
	/* GFP_NOFS: whoever asked for an object may hold a file system's locks */
	struct page *page = alloc_pages(GFP_NOFS | __GFP_COMP, c->order);
	char *base;

	if (!page)
		return NULL;
	base = page_address(page);
	SetPageFlag(page, PG_slab);
	page->slab_cache = c;
	page->inuse = 0;
	page->objects = c->objects_per_slab;
	page->freelist = NULL;
	for (unsigned i = c->objects_per_slab; i-- > 0;) {
		void **obj = (void **)(base + i * c->size);
		*obj = page->freelist;
		page->freelist = obj;
	}
	c->nr_slabs++;
	return page;
}

static void
discard_slab(struct kmem_cache *c, struct page *page)
{
	ClearPageFlag(page, PG_slab);
	page->slab_cache = NULL;
	page->freelist = NULL;
	page->private = 0;
	c->nr_slabs--;
	__free_pages(page, c->order);
}

/* A slab with a free object, from partial or empty, else NULL. lock held. */
static struct page *
slab_with_free_object(struct kmem_cache *c)
{
	assert_spin_locked(&c->lock);
	if (!list_empty(&c->partial))
		return list_first_entry(&c->partial, struct page, lru);
	if (!list_empty(&c->empty)) {
		struct page *page = list_first_entry(&c->empty, struct page, lru);
		list_move_tail(&page->lru, &c->partial);
		c->nr_empty--;
		return page;
	}
	return NULL;
}

void *
kmem_cache_alloc(struct kmem_cache *c)
{
	uint32_t flags = spin_lock_irqsave(&c->lock);
	struct page *page = slab_with_free_object(c);
	void **obj;

	if (!page) {
		/* The page allocator is called without the cache lock. */
		spin_unlock_irqrestore(&c->lock, flags);
		page = new_slab(c);
		if (!page)
			return NULL;
		flags = spin_lock_irqsave(&c->lock);
		list_add(&page->lru, &c->partial);
	}
	obj = page->freelist;
	page->freelist = *obj;
	page->inuse++;
	if (page->inuse == page->objects)
		list_move_tail(&page->lru, &c->full);
	c->active_objects++;
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

void *
kmem_cache_zalloc(struct kmem_cache *c)
{
	void *p = kmem_cache_alloc(c);

	if (p)
		memset(p, 0, c->object_size);
	return p;
}

/* Checks that obj is an object boundary of a live slab of c. */
static struct page *
slab_of_object(struct kmem_cache *c, const void *obj)
{
	struct page *page = virt_to_head_page(obj);
	uintptr_t off = (uintptr_t)obj - (uintptr_t)page_address(page);

	if (!PageSlab(page) || page->slab_cache != c)
		panic("kmem_cache_free(%s): %p is not an object of this cache", c->name, obj);
	if (off % c->size || off / c->size >= page->objects)
		panic("kmem_cache_free(%s): %p is not an object boundary", c->name, obj);
	return page;
}

void
kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *page = slab_of_object(c, obj);
	uint32_t flags = spin_lock_irqsave(&c->lock);
	struct page *to_discard = NULL;

	if (page->inuse == 0 || page->freelist == obj)
		panic("kmem_cache_free(%s): double free of %p", c->name, obj);
	*(void **)obj = page->freelist;
	page->freelist = obj;
	if (page->inuse-- == page->objects)
		list_move_tail(&page->lru, &c->partial);
	c->active_objects--;
	if (page->inuse == 0) {
		list_del(&page->lru);
		if (c->nr_empty < SLAB_KEEP_EMPTY) {
			list_add(&page->lru, &c->empty);
			c->nr_empty++;
		} else {
			to_discard = page;
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (to_discard)
		discard_slab(c, to_discard);
}

void
kmem_cache_shrink(struct kmem_cache *c)
{
	uint32_t flags = spin_lock_irqsave(&c->lock);
	LIST_HEAD(victims);
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &c->empty, lru)
		list_move_tail(&page->lru, &victims);
	c->nr_empty = 0;
	spin_unlock_irqrestore(&c->lock, flags);
	list_for_each_entry_safe(page, tmp, &victims, lru) {
		list_del(&page->lru);
		discard_slab(c, page);
	}
}

void
kmem_cache_shrink_all(void)
{
	struct kmem_cache *c;
	uint32_t flags = spin_lock_irqsave(&all_caches_lock);

	list_for_each_entry(c, &all_caches, cache_list)
		kmem_cache_shrink(c);
	spin_unlock_irqrestore(&all_caches_lock, flags);
}

void
kmem_cache_destroy(struct kmem_cache *c)
{
	uint32_t flags;

	if (c->active_objects)
		panic("kmem_cache_destroy(%s): %lu objects still allocated", c->name,
		      c->active_objects);
	kmem_cache_shrink(c);
	flags = spin_lock_irqsave(&all_caches_lock);
	list_del(&c->cache_list);
	spin_unlock_irqrestore(&all_caches_lock, flags);
	kmem_cache_free(&cache_cache, c);
}

/* ---- kmalloc: power-of-two caches, and whole pages above 2 KiB ---- */

static const char *const kmalloc_names[NR_KMALLOC_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};

void
kmalloc_init(void)
{
	for (unsigned i = 0; i < NR_KMALLOC_CACHES; i++) {
		kmalloc_caches[i] = kmem_cache_create(kmalloc_names[i],
						      1u << (i + KMALLOC_SHIFT_MIN), 0);
		BUG_ON(!kmalloc_caches[i]);
	}
}

static unsigned
kmalloc_index(size_t size)
{
	unsigned shift = KMALLOC_SHIFT_MIN;

	while ((1u << shift) < size)
		shift++;
	return shift - KMALLOC_SHIFT_MIN;
}

static unsigned
order_for_bytes(size_t size)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *
kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (size <= KMALLOC_MAX_CACHE_SIZE) {
		p = kmem_cache_alloc(kmalloc_caches[kmalloc_index(size ? size : 1)]);
		if (p && (gfp & __GFP_ZERO))
			memset(p, 0, size);
		return p;
	}
	/* Checked before order_for_bytes, whose shift would overflow on huge sizes. */
	if (size > ((size_t)PAGE_SIZE << MAX_ORDER))
		return NULL;
	return get_free_pages(gfp | __GFP_COMP, order_for_bytes(size));
}

void *
kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

void
kfree(const void *p)
{
	struct page *page;

	if (!p)
		return;
	page = virt_to_head_page(p);
	if (PageSlab(page))
		kmem_cache_free(page->slab_cache, (void *)p);
	else
		__free_pages(page, compound_order(page));
}

size_t
ksize(const void *p)
{
	struct page *page = virt_to_head_page(p);

	if (PageSlab(page))
		return page->slab_cache->size;
	return PAGE_SIZE << compound_order(page);
}

int
slab_stats_snapshot(struct slab_stats *out, int max)
{
	struct kmem_cache *c;
	int n = 0;
	uint32_t flags = spin_lock_irqsave(&all_caches_lock);

	list_for_each_entry(c, &all_caches, cache_list) {
		if (n < max) {
			struct slab_stats *st = &out[n];

			spin_lock(&c->lock);
			strlcpy(st->name, c->name, sizeof(st->name));
			st->active_objects = c->active_objects;
			st->objects = c->nr_slabs * c->objects_per_slab;
			st->size = c->size;
			st->objects_per_slab = c->objects_per_slab;
			st->pages_per_slab = 1u << c->order;
			st->active_slabs = c->nr_slabs - c->nr_empty;
			st->slabs = c->nr_slabs;
			spin_unlock(&c->lock);
		}
		n++;
	}
	spin_unlock_irqrestore(&all_caches_lock, flags);
	return n;
}
