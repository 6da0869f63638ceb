/*
 * tests/host/test_slab.c — the slab allocator and kmalloc (mm/slab.c), on
 * top of the real buddy allocator, compiled for the host.
 *
 * Every live object is tracked by the test: its bytes are marked in a
 * bitmap of the fake physical memory (two live objects may never share a
 * byte) and filled with a tag derived from an allocation serial number,
 * checked before the object is freed (nothing else may write into a live
 * object). check_cache() walks a cache's slab lists and freelists and
 * checks them against the same bookkeeping.
 *
 * All cases share one memory and one set of kmalloc caches, as the kernel
 * does; each case measures nr_free_pages() after kmem_cache_shrink_all()
 * at its start and requires the same number at its end, so a case that
 * loses a page fails.
 */
#include "hosttest.h"
#include "shim.h"

#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <kernel/preempt.h>
#include <arch/x86/irqflags.h>
#include <libk/random.h>
#include <stdint.h>
#include <string.h>

#define SLAB_FRAMES         8192ul  /* 32 MiB: room for a 4 MiB kmalloc */
#define FIRST_FREE_FRAME    1       /* frame 0 stays reserved, as on a PC */
#define MEMORY_BYTES        (SLAB_FRAMES * PAGE_SIZE)
#define BITS_PER_BYTE       8
#define MAX_LIVE            20000
#define PERCENT             100
#define SLAB_KEEP_EMPTY     1       /* empty slabs a cache keeps, as in mm/slab.c */
#define SLAB_MAX_ORDER      3       /* largest slab order, as in mm/slab.c */
#define SLAB_MAX_BYTES      (PAGE_SIZE << SLAB_MAX_ORDER)
#define KMALLOC_LARGEST     ((size_t)PAGE_SIZE << MAX_ORDER)

/* slab_random_model */
#define RANDOM_OPS          60000ul
#define PHASE_OPS           3000ul
#define FILLING_PERCENT     70
#define DRAINING_PERCENT    30      /* the phases balance out: live counts do not drift */
#define ZALLOC_ODDS         4       /* one allocation in 4 uses kmem_cache_zalloc */
#define CHECK_CACHE_OPS     512ul

/* slab_kmalloc_classes */
#define KMALLOC_COPIES      5
#define KMALLOC_RANDOM_OPS  40000ul
#define KMALLOC_RANDOM_MAX  10000   /* random sizes span slab and page-backed */
#define KMALLOC_BIG_ODDS    200     /* one request in 200 is up to 1 MiB */
#define KMALLOC_BIG_MAX     (1u << 20) /* and sizes this big get one copy */

/* tag_byte(): a multiplicative hash of an allocation number and a byte index. */
#define GOLDEN_RATIO_32     0x9E3779B1u
#define MIX_MULTIPLIER      0x85EBCA6Bu
#define MIX_SHIFT_1         15
#define MIX_SHIFT_2         24

#define DIRTY_BYTE          0xff

struct object {
	void *ptr;
	size_t size;        /* bytes the test owns: object_size, or ksize() for kmalloc */
	uint32_t serial;
};

struct cache_spec {
	size_t size, align;
};

static struct object live[MAX_LIVE];
static unsigned long nr_live;
static uint32_t next_serial;
static uint8_t live_bits[MEMORY_BYTES / BITS_PER_BYTE];

/* ---- bookkeeping of live objects ---------------------------------------- */

/* The fake physical address of p. */
static unsigned long
phys_of(const void *p)
{
	return __pa(p);
}

/* True if physical byte pa belongs to a live object. */
static bool
byte_live(unsigned long pa)
{
	return live_bits[pa / BITS_PER_BYTE] & (1u << (pa % BITS_PER_BYTE));
}

/* Marks [p, p + size) live (after checking no byte already is) or free. */
static void
mark_bytes(const void *p, size_t size, bool make_live)
{
	unsigned long pa = phys_of(p);

	CHECK(p >= (void *)host_phys_base && pa + size <= MEMORY_BYTES,
	      "object %p (+%zu) lies outside memory", p, size);
	for (unsigned long b = pa; b < pa + size; b++) {
		if (make_live) {
			CHECK(!byte_live(b), "object at phys %#lx (+%zu) overlaps a live object at byte %#lx",
			      pa, size, b);
			live_bits[b / BITS_PER_BYTE] |= 1u << (b % BITS_PER_BYTE);
		} else {
			live_bits[b / BITS_PER_BYTE] &= ~(1u << (b % BITS_PER_BYTE));
		}
	}
}

/* Byte i of the tag of the allocation numbered serial. */
static uint8_t
tag_byte(uint32_t serial, size_t i)
{
	uint32_t x = serial * GOLDEN_RATIO_32 + (uint32_t)i * MIX_MULTIPLIER;

	return (uint8_t)(x ^ (x >> MIX_SHIFT_1) ^ (x >> MIX_SHIFT_2));
}

/* Writes o's tag over all its bytes. */
static void
fill_tag(const struct object *o)
{
	uint8_t *b = o->ptr;

	for (size_t i = 0; i < o->size; i++)
		b[i] = tag_byte(o->serial, i);
}

/* Fails unless o still holds its tag. */
static void
verify_tag(const struct object *o, const char *what)
{
	const uint8_t *b = o->ptr;

	for (size_t i = 0; i < o->size; i++)
		CHECK(b[i] == tag_byte(o->serial, i),
		      "%s: object %p (serial %u, %zu bytes): byte %zu overwritten", what, o->ptr,
		      o->serial, o->size, i);
}

/* Records a new object of size bytes: no overlap, then tagged. */
static void
track(void *p, size_t size)
{
	struct object *o;

	CHECK(nr_live < MAX_LIVE, "too many live objects");
	mark_bytes(p, size, true);
	o = &live[nr_live++];
	*o = (struct object){ p, size, ++next_serial };
	fill_tag(o);
}

/* Verifies and forgets live[i]; returns its pointer, for the caller to free. */
static void *
untrack(unsigned long i, const char *what)
{
	struct object o = live[i];

	verify_tag(&o, what);
	mark_bytes(o.ptr, o.size, false);
	live[i] = live[--nr_live];
	return o.ptr;
}

/* True if the n bytes at p all equal byte. */
static bool
all_bytes(const void *p, size_t n, int byte)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != byte)
			return false;
	return true;
}

/* Fails unless every lock was released (preemption and interrupts back on). */
static void
check_locks(const char *what)
{
	CHECK(preempt_count == 0 && !irqs_disabled(),
	      "%s: lock left held (preempt_count %d, irqs %s)", what, preempt_count,
	      irqs_disabled() ? "off" : "on");
}

/* The free page count with every cache's empty slabs returned. */
static unsigned long
settled_free_pages(void)
{
	kmem_cache_shrink_all();
	check_locks("kmem_cache_shrink_all");
	return nr_free_pages();
}

/* Starts a case: frees (with kfree, which finds any object's cache) what a
 * failed earlier case left live, and returns the settled free page count
 * the case must end with. */
static unsigned long
begin_case(void)
{
	while (nr_live) {
		mark_bytes(live[nr_live - 1].ptr, live[nr_live - 1].size, false);
		kfree(live[--nr_live].ptr);
	}
	return settled_free_pages();
}

/* Fails unless the settled free page count is back to baseline. */
static void
check_no_pages_lost(unsigned long baseline, const char *what)
{
	unsigned long now = settled_free_pages();

	CHECK(now == baseline, "%s: %lu free pages, %lu at the start (%ld lost)", what, now,
	      baseline, (long)baseline - (long)now);
}

/* ---- a cache's internal state -------------------------------------------- */

/* Checks one slab of c; returns its inuse count. */
static unsigned
check_slab(struct kmem_cache *c, struct page *page, const char *list, const char *what)
{
	char *base = page_address(page);
	unsigned nfree = 0;

	CHECK(PageSlab(page) && page->slab_cache == c, "%s: %s slab at pfn %lu is not c's slab",
	      what, list, page_to_pfn(page));
	CHECK(page->objects == c->objects_per_slab && page->inuse <= page->objects,
	      "%s: slab at pfn %lu: inuse %u objects %u", what, page_to_pfn(page), page->inuse,
	      page->objects);
	for (void **obj = page->freelist; obj; obj = *obj) {
		uintptr_t off = (uintptr_t)((char *)obj - base);

		CHECK(off % c->size == 0 && off / c->size < page->objects,
		      "%s: slab at pfn %lu: freelist entry %p is not an object", what,
		      page_to_pfn(page), (void *)obj);
		CHECK(!byte_live(phys_of(obj)), "%s: free object %p is live", what, (void *)obj);
		CHECK(++nfree <= page->objects, "%s: slab at pfn %lu: freelist loops", what,
		      page_to_pfn(page));
	}
	CHECK(nfree == (unsigned)(page->objects - page->inuse),
	      "%s: slab at pfn %lu: %u free objects listed, inuse %u of %u", what,
	      page_to_pfn(page), nfree, page->inuse, page->objects);
	return page->inuse;
}

/* Walks c's full, partial and empty lists and checks them against its counters. */
static void
check_cache(struct kmem_cache *c, const char *what)
{
	unsigned long slabs = 0, empties = 0, inuse = 0;
	struct page *page;

	list_for_each_entry(page, &c->full, lru) {
		CHECK(page->inuse == page->objects, "%s: slab on full list has room", what);
		inuse += check_slab(c, page, "full", what);
		slabs++;
	}
	list_for_each_entry(page, &c->partial, lru) {
		CHECK(page->inuse > 0 && page->inuse < page->objects,
		      "%s: slab on partial list has inuse %u of %u", what, page->inuse, page->objects);
		inuse += check_slab(c, page, "partial", what);
		slabs++;
	}
	list_for_each_entry(page, &c->empty, lru) {
		CHECK(page->inuse == 0, "%s: slab on empty list has inuse %u", what, page->inuse);
		check_slab(c, page, "empty", what);
		slabs++;
		empties++;
	}
	CHECK(slabs == c->nr_slabs, "%s: %lu slabs on lists, nr_slabs %lu", what, slabs, c->nr_slabs);
	CHECK(empties == c->nr_empty && empties <= SLAB_KEEP_EMPTY, "%s: %lu empty slabs, nr_empty %lu",
	      what, empties, c->nr_empty);
	CHECK(inuse == c->active_objects, "%s: slabs hold %lu objects, active_objects %lu", what,
	      inuse, c->active_objects);
}

/* Checks the geometry kmem_cache_create chose for a cache. */
static void
check_geometry(struct kmem_cache *c, const struct cache_spec *s)
{
	size_t align = s->align > sizeof(void *) ? s->align : sizeof(void *);

	CHECK(c->object_size == s->size, "%zu/%zu: object_size %u", s->size, s->align, c->object_size);
	CHECK(c->size >= s->size && c->size % align == 0,
	      "%zu/%zu: stride %u is too small or not a multiple of %zu", s->size, s->align, c->size,
	      align);
	CHECK(c->objects_per_slab >= 1 &&
	      (unsigned long)c->objects_per_slab * c->size <= (PAGE_SIZE << c->order) &&
	      (PAGE_SIZE << c->order) <= SLAB_MAX_BYTES,
	      "%zu/%zu: %u objects of %u bytes in an order-%u slab", s->size, s->align,
	      c->objects_per_slab, c->size, c->order);
}

/* Checks a pointer kmem_cache_alloc returned: aligned, at an object of a slab of c. */
static void
check_new_object(struct kmem_cache *c, const struct cache_spec *s, void *obj)
{
	struct page *head;
	uintptr_t off;

	CHECK(obj, "%zu/%zu: allocation failed", s->size, s->align);
	CHECK((uintptr_t)obj % (s->align ? s->align : sizeof(void *)) == 0,
	      "%zu/%zu: object %p misaligned", s->size, s->align, obj);
	head = virt_to_head_page(obj);
	CHECK(PageSlab(head) && head->slab_cache == c, "%zu/%zu: object %p is not in a slab of c",
	      s->size, s->align, obj);
	off = (uintptr_t)((char *)obj - (char *)page_address(head));
	CHECK(off + c->object_size <= (PAGE_SIZE << c->order),
	      "%zu/%zu: object at offset %lu runs past its slab", s->size, s->align,
	      (unsigned long)off);
}

/* ---- slab_cache_sizes ---------------------------------------------------- */

static const struct cache_spec sizes_specs[] = {
	{ 1, 0 }, { 24, 0 }, { 100, 64 }, { 3000, 0 }, { 8, 8 }, { 64, 32 }, { 200, 128 },
	{ 1000, PAGE_SIZE }, { PAGE_SIZE, 0 }, { SLAB_MAX_BYTES, 0 }, { 17, 16 },
};

/* Creates a cache for s, fills three slabs and a bit, empties it, destroys it. */
static void
exercise_cache(const struct cache_spec *s)
{
	unsigned long before = settled_free_pages(), after_create, n;
	struct kmem_cache *c = kmem_cache_create("test", s->size, s->align);

	CHECK(c, "kmem_cache_create(%zu, %zu) failed", s->size, s->align);
	check_geometry(c, s);
	after_create = nr_free_pages();
	n = 3ul * c->objects_per_slab + 1;
	for (unsigned long i = 0; i < n; i++) {
		void *obj = kmem_cache_alloc(c);

		check_new_object(c, s, obj);
		track(obj, s->size);
		CHECK(c->active_objects == i + 1, "active_objects %lu after %lu allocations",
		      c->active_objects, i + 1);
	}
	CHECK(c->nr_slabs == (n + c->objects_per_slab - 1) / c->objects_per_slab,
	      "%zu/%zu: %lu slabs for %lu objects of %u per slab", s->size, s->align, c->nr_slabs,
	      n, c->objects_per_slab);
	check_cache(c, "sizes: full");
	while (nr_live)
		kmem_cache_free(c, untrack(nr_live - 1, "sizes"));
	check_locks("sizes");
	check_cache(c, "sizes: emptied");
	CHECK(c->active_objects == 0, "active_objects %lu after freeing all", c->active_objects);
	kmem_cache_shrink(c);
	CHECK(c->nr_slabs == 0 && c->nr_empty == 0, "%lu slabs left after shrink", c->nr_slabs);
	CHECK(nr_free_pages() == after_create, "%zu/%zu: shrink left %lu free pages, %lu expected",
	      s->size, s->align, nr_free_pages(), after_create);
	kmem_cache_destroy(c);
	check_no_pages_lost(before, "sizes");
}

/* slab_cache_sizes: geometry, alignment and page accounting for many sizes. */
static void
test_cache_sizes(void)
{
	begin_case();
	for (unsigned i = 0; i < sizeof(sizes_specs) / sizeof(sizes_specs[0]); i++)
		exercise_cache(&sizes_specs[i]);
}

/* ---- slab_random_model --------------------------------------------------- */

static const struct cache_spec random_specs[] = {
	{ 1, 0 }, { 24, 0 }, { 100, 64 }, { 3000, 0 }, { 512, 0 }, { 40, 8 },
};

/* A long random run of alloc/zalloc/free on one new cache, checked after every step. */
static void
random_cache_run(const struct cache_spec *s, uint32_t seed)
{
	unsigned long before = settled_free_pages(), after_create;
	struct kmem_cache *c = kmem_cache_create("random", s->size, s->align);
	uint32_t rs = seed;

	CHECK(c, "kmem_cache_create(%zu, %zu) failed", s->size, s->align);
	after_create = nr_free_pages();
	for (unsigned long op = 0; op < RANDOM_OPS; op++) {
		unsigned pct = (op / PHASE_OPS) % 2 ? DRAINING_PERCENT : FILLING_PERCENT;

		if (nr_live == 0 || (nr_live < MAX_LIVE && random_below(&rs, PERCENT) < pct)) {
			bool zero = random_below(&rs, ZALLOC_ODDS) == 0;
			void *obj = zero ? kmem_cache_zalloc(c) : kmem_cache_alloc(c);

			check_new_object(c, s, obj);
			CHECK(!zero || all_bytes(obj, s->size, 0), "kmem_cache_zalloc: %p not zeroed", obj);
			track(obj, s->size);
		} else {
			kmem_cache_free(c, untrack(random_below(&rs, nr_live), "random"));
		}
		CHECK(c->active_objects == nr_live, "op %lu: active_objects %lu, %lu live", op,
		      c->active_objects, nr_live);
		check_locks("random");
		if (op % CHECK_CACHE_OPS == 0) {
			check_cache(c, "random");
			for (unsigned long i = 0; i < nr_live; i++)
				verify_tag(&live[i], "random: periodic");
		}
	}
	check_cache(c, "random: end");
	while (nr_live)
		kmem_cache_free(c, untrack(random_below(&rs, nr_live), "random: freeing all"));
	check_cache(c, "random: all freed");
	kmem_cache_shrink(c);
	CHECK(c->nr_slabs == 0, "%lu slabs left after shrink", c->nr_slabs);
	CHECK(nr_free_pages() == after_create, "%zu/%zu: shrink left %lu free pages, %lu expected",
	      s->size, s->align, nr_free_pages(), after_create);
	kmem_cache_destroy(c);
	check_no_pages_lost(before, "random");
}

/* slab_random_model: random runs on caches of several sizes and alignments. */
static void
test_random_model(void)
{
	begin_case();
	for (unsigned i = 0; i < sizeof(random_specs) / sizeof(random_specs[0]); i++)
		random_cache_run(&random_specs[i], i + 1);
}

/* ---- slab_kmalloc_classes ------------------------------------------------ */

/* What ksize must say for a kmalloc of size bytes: the power-of-two cache,
 * or the power-of-two number of pages, that holds it. */
static size_t
expected_ksize(size_t size)
{
	size_t k = size <= KMALLOC_MAX_CACHE_SIZE ? KMALLOC_MIN_SIZE : PAGE_SIZE;

	while (k < size)
		k <<= 1;
	return k;
}

/* True if the buddy allocator has no free block big enough for a
 * page-backed kmalloc of size bytes, so that NULL is the right answer. */
static bool
no_block_for(size_t size)
{
	unsigned long counts[NR_ORDERS];
	unsigned order = 0;

	if (size <= KMALLOC_MAX_CACHE_SIZE)
		return false;
	while ((PAGE_SIZE << order) < size)
		order++;
	buddy_counts(counts);
	for (unsigned o = order; o < NR_ORDERS; o++)
		if (counts[o])
			return false;
	return true;
}

enum oom_policy { OOM_IS_FAILURE, OOM_ALLOWED };

/* kmalloc through the bookkeeping: checks size, alignment and no overlap.
 * NULL is accepted only under OOM_ALLOWED, and only if no block was free. */
static void *
tracked_kmalloc(size_t size, enum oom_policy oom, const char *what)
{
	void *p = kmalloc(size, GFP_KERNEL);
	size_t want = expected_ksize(size);

	if (!p && oom == OOM_ALLOWED && no_block_for(size))
		return NULL;
	CHECK(p, "%s: kmalloc(%zu) failed", what, size);
	CHECK(ksize(p) == want, "%s: ksize(kmalloc(%zu)) = %zu, expected %zu", what, size, ksize(p),
	      want);
	CHECK((uintptr_t)p % (want < PAGE_SIZE ? want : PAGE_SIZE) == 0,
	      "%s: kmalloc(%zu) = %p is not naturally aligned", what, size, p);
	track(p, ksize(p));
	check_locks(what);
	return p;
}

/* slab_kmalloc_classes: every size class and page-backed sizes, then random mixes. */
static void
test_kmalloc_classes(void)
{
	static const size_t sizes[] = {
		0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256,
		257, 511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048, 2049, 3000, 4095, 4096,
		4097, 8191, 8192, 8193, 65536, 100000, KMALLOC_BIG_MAX, KMALLOC_LARGEST - 1, KMALLOC_LARGEST,
	};
	unsigned long before = begin_case();
	uint32_t rs = 99;

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (unsigned k = 0; k < KMALLOC_COPIES && (k == 0 || sizes[i] < KMALLOC_BIG_MAX); k++)
			tracked_kmalloc(sizes[i], OOM_IS_FAILURE, "classes");
		for (unsigned long j = 0; j < nr_live; j++)
			verify_tag(&live[j], "classes");
		while (nr_live)
			kfree(untrack(nr_live - 1, "classes"));
		check_no_pages_lost(before, "classes");
	}
	kfree(NULL);
	CHECK(kmalloc(KMALLOC_LARGEST + 1, GFP_KERNEL) == NULL, "kmalloc above 4 MiB succeeded");

	/* Random sizes, random order, slab and page-backed mixed. */
	for (unsigned long op = 0; op < KMALLOC_RANDOM_OPS; op++) {
		unsigned pct = (op / PHASE_OPS) % 2 ? DRAINING_PERCENT : FILLING_PERCENT;

		if (nr_live == 0 || (nr_live < MAX_LIVE && random_below(&rs, PERCENT) < pct)) {
			size_t size = random_below(&rs, KMALLOC_BIG_ODDS) ?
				random_below(&rs, KMALLOC_RANDOM_MAX) : random_below(&rs, KMALLOC_BIG_MAX);

			tracked_kmalloc(size, OOM_ALLOWED, "kmalloc random");
		} else {
			kfree(untrack(random_below(&rs, nr_live), "kmalloc random"));
		}
	}
	while (nr_live)
		kfree(untrack(random_below(&rs, nr_live), "kmalloc random: freeing all"));
	check_no_pages_lost(before, "kmalloc random");
}

/* kmalloc sizes that would hang or overflow a page-order computation. */
static void
test_kmalloc_huge_size_returns_null(void)
{
	static const size_t huge[] = {
		KMALLOC_LARGEST + 1, (size_t)1 << 31, ((size_t)1 << 31) + 1, (size_t)UINT32_MAX,
		(size_t)UINT32_MAX + 1, SIZE_MAX / 2, SIZE_MAX,
	};
	unsigned long before = begin_case();

	for (unsigned i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		void *p = kmalloc(huge[i], GFP_KERNEL);

		CHECK(p == NULL, "kmalloc(%zu) returned %p", huge[i], p);
		CHECK(kzalloc(huge[i], GFP_KERNEL) == NULL, "kzalloc(%zu) succeeded", huge[i]);
	}
	check_no_pages_lost(before, "huge");
}

/* ---- slab_kzalloc_zeroes ------------------------------------------------- */

/* slab_kzalloc_zeroes: kzalloc, __GFP_ZERO and kmem_cache_zalloc zero dirty memory. */
static void
test_kzalloc_zeroes(void)
{
	static const size_t sizes[] = { 1, 8, 24, 100, 128, 700, 2048, 2049, 4096, 10000, 70000 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]), ROUNDS = 8 };
	unsigned long before = begin_case();
	struct kmem_cache *c = kmem_cache_create("zalloc", 200, 0);
	void *p[N];

	CHECK(c, "kmem_cache_create failed");
	for (unsigned r = 0; r < ROUNDS; r++) {
		/* Dirty blocks, free them, and ask for zeroed ones: LIFO reuse gives the same. */
		for (unsigned i = 0; i < N; i++) {
			p[i] = kmalloc(sizes[i], GFP_KERNEL);
			CHECK(p[i], "kmalloc(%zu) failed", sizes[i]);
			memset(p[i], DIRTY_BYTE, ksize(p[i]));
		}
		for (unsigned i = N; i-- > 0;)
			kfree(p[i]);
		for (unsigned i = 0; i < N; i++) {
			p[i] = r % 2 ? kmalloc(sizes[i], GFP_KERNEL | __GFP_ZERO) :
				       kzalloc(sizes[i], GFP_KERNEL);
			CHECK(p[i] && all_bytes(p[i], sizes[i], 0), "kzalloc(%zu) = %p is not zeroed",
			      sizes[i], p[i]);
			memset(p[i], DIRTY_BYTE, ksize(p[i]));
		}
		for (unsigned i = 0; i < N; i++)
			kfree(p[i]);

		p[0] = kmem_cache_alloc(c);
		CHECK(p[0], "kmem_cache_alloc failed");
		memset(p[0], DIRTY_BYTE, c->object_size);
		kmem_cache_free(c, p[0]);
		p[0] = kmem_cache_zalloc(c);
		CHECK(p[0] && all_bytes(p[0], c->object_size, 0), "kmem_cache_zalloc not zeroed");
		kmem_cache_free(c, p[0]);
	}
	kmem_cache_destroy(c);
	check_no_pages_lost(before, "kzalloc");
}

/* ---- slab_free_non_boundary_panics --------------------------------------- */

/* Fails unless stmt panics with a message containing expect. */
#define CHECK_PANICS(stmt, expect)                                             \
	do {                                                                   \
		bool panicked_ = SHIM_PANICS(stmt);                            \
		CHECK(panicked_, "%s did not panic", #stmt);                   \
		CHECK(strstr(shim_last_panic(), expect),                       \
		      "%s: panic \"%s\" does not say \"%s\"", #stmt,           \
		      shim_last_panic(), expect);                              \
		check_locks(#stmt);                                            \
	} while (0)

/* slab_free_non_boundary_panics: freeing what is not an object of the cache panics. */
static void
test_free_non_boundary_panics(void)
{
	unsigned long before = begin_case();
	struct kmem_cache *c = kmem_cache_create("boundary", 100, 64);
	struct kmem_cache *big = kmem_cache_create("boundary-big", 3000, 0);
	struct kmem_cache *other = kmem_cache_create("boundary-other", 24, 0);
	char *obj, *bigobj, *otherobj, *page_backed;

	CHECK(c && big && other, "kmem_cache_create failed");
	obj = kmem_cache_alloc(c);
	bigobj = kmem_cache_alloc(big);
	otherobj = kmem_cache_alloc(other);
	page_backed = kmalloc(PAGE_SIZE, GFP_KERNEL);
	CHECK(obj && bigobj && otherobj && page_backed, "allocation failed");

	CHECK_PANICS(kmem_cache_free(c, obj + 1), "not an object boundary");
	CHECK_PANICS(kmem_cache_free(c, obj + c->object_size), "not an object boundary");
	CHECK_PANICS(kfree(obj + sizeof(void *)), "not an object boundary");
	/* A multiple of the stride, but past the last object of the slab. */
	CHECK_PANICS(kmem_cache_free(big, (char *)page_address(virt_to_head_page(bigobj)) +
				     (size_t)big->objects_per_slab * big->size),
		     "not an object boundary");
	CHECK_PANICS(kmem_cache_free(c, otherobj), "not an object of this cache");
	CHECK_PANICS(kmem_cache_free(c, page_backed), "not an object of this cache");
	CHECK(c->active_objects == 1 && big->active_objects == 1 && other->active_objects == 1,
	      "a panicking free changed active_objects");
	check_cache(c, "boundary");
	check_cache(big, "boundary");

	kmem_cache_free(c, obj);
	kmem_cache_free(big, bigobj);
	kmem_cache_free(other, otherobj);
	kfree(page_backed);
	kmem_cache_destroy(c);
	kmem_cache_destroy(big);
	kmem_cache_destroy(other);
	check_no_pages_lost(before, "boundary");
}

/* ---- slab_destroy_live_panics -------------------------------------------- */

/* slab_destroy_live_panics: destroying a cache with live objects panics and
 * leaves the cache usable. */
static void
test_destroy_live_panics(void)
{
	unsigned long before = begin_case();
	struct kmem_cache *c = kmem_cache_create("destroy", 48, 0);
	void *a, *b;

	CHECK(c, "kmem_cache_create failed");
	a = kmem_cache_alloc(c);
	CHECK(a, "kmem_cache_alloc failed");
	CHECK_PANICS(kmem_cache_destroy(c), "still allocated");
	/* The cache is intact and still usable. */
	b = kmem_cache_alloc(c);
	CHECK(b && b != a && c->active_objects == 2, "cache unusable after the failed destroy");
	check_cache(c, "destroy");
	kmem_cache_free(c, a);
	CHECK_PANICS(kmem_cache_destroy(c), "still allocated");
	kmem_cache_free(c, b);
	kmem_cache_destroy(c);
	check_no_pages_lost(before, "destroy");
}

/* ---- slab_shrink_all ----------------------------------------------------- */

/* slab_shrink_all: kmem_cache_shrink_all returns every cache's empty slabs. */
static void
test_shrink_all(void)
{
	static const struct cache_spec specs[] = { { 16, 0 }, { 300, 0 }, { 2000, 0 }, { 5000, 64 } };
	enum { NC = sizeof(specs) / sizeof(specs[0]), SLABS_EACH = 3 };
	unsigned long before = begin_case(), after_create;
	struct kmem_cache *c[NC];

	for (unsigned i = 0; i < NC; i++) {
		c[i] = kmem_cache_create("shrink", specs[i].size, specs[i].align);
		CHECK(c[i], "kmem_cache_create(%zu) failed", specs[i].size);
	}
	after_create = nr_free_pages();
	for (unsigned i = 0; i < NC; i++) {
		for (unsigned long k = 0; k < SLABS_EACH * c[i]->objects_per_slab; k++)
			track(kmem_cache_alloc(c[i]), specs[i].size);
		while (nr_live)
			kmem_cache_free(c[i], untrack(nr_live - 1, "shrink"));
		CHECK(c[i]->nr_slabs == SLAB_KEEP_EMPTY && c[i]->nr_empty == SLAB_KEEP_EMPTY,
		      "cache %u keeps %lu slabs (%lu empty)", i, c[i]->nr_slabs, c[i]->nr_empty);
	}
	/* kmalloc caches too keep an empty slab after use. */
	for (size_t size = KMALLOC_MIN_SIZE; size <= KMALLOC_MAX_CACHE_SIZE; size <<= 1)
		kfree(kmalloc(size, GFP_KERNEL));
	CHECK(nr_free_pages() < after_create, "no empty slab was kept");

	kmem_cache_shrink_all();
	check_locks("shrink_all");
	for (unsigned i = 0; i < NC; i++) {
		CHECK(c[i]->nr_slabs == 0 && c[i]->nr_empty == 0, "cache %u still has %lu slabs", i,
		      c[i]->nr_slabs);
		check_cache(c[i], "shrink_all");
	}
	CHECK(nr_free_pages() == after_create, "after shrink_all %lu free pages, %lu expected",
	      nr_free_pages(), after_create);
	for (unsigned i = 0; i < NC; i++)
		kmem_cache_destroy(c[i]);
	check_no_pages_lost(before, "shrink_all");
}

/* ---- slab_create_rejects_bad_args ---------------------------------------- */

/* slab_create_rejects_bad_args: sizes and alignments no slab can serve give NULL. */
static void
test_create_rejects_bad_args(void)
{
	static const struct cache_spec bad[] = {
		{ 0, 0 }, { 8, 3 }, { 8, 48 }, { SLAB_MAX_BYTES + 1, 0 },
		/* No aligned object fits in the largest slab. */
		{ 1, SLAB_MAX_BYTES * 2 }, { SLAB_MAX_BYTES, SLAB_MAX_BYTES * 2 },
	};
	unsigned long before = begin_case();

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kmem_cache *c = kmem_cache_create("bad", bad[i].size, bad[i].align);

		CHECK(c == NULL, "kmem_cache_create(%zu, %zu) accepted (%u objects per slab)",
		      bad[i].size, bad[i].align, c ? c->objects_per_slab : 0);
	}
	check_no_pages_lost(before, "bad args");
}

/* ---- slab_small_align_keeps_freelist_aligned ----------------------------- */

/*
 * An alignment below a pointer's used to give a stride that is not a
 * multiple of the pointer size, so the freelist link stored in each free
 * object was misaligned (UBSan reports it on the host).
 */
static void
test_small_align_keeps_freelist_aligned(void)
{
	static const struct cache_spec specs[] = { { 9, 1 }, { 12, 4 }, { 6, 2 }, { 20, 2 }, { 33, 1 } };

	begin_case();
	for (unsigned i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		exercise_cache(&specs[i]);
}

int
main(void)
{
	shim_make_memory(SLAB_FRAMES);
	free_boot_range(FIRST_FREE_FRAME, SLAB_FRAMES);
	kmalloc_init();

	RUN_CASE("slab_cache_sizes", test_cache_sizes);
	RUN_CASE("slab_random_model", test_random_model);
	RUN_CASE("slab_kmalloc_classes", test_kmalloc_classes);
	RUN_CASE("slab_kmalloc_huge_size_returns_null", test_kmalloc_huge_size_returns_null);
	RUN_CASE("slab_kzalloc_zeroes", test_kzalloc_zeroes);
	RUN_CASE("slab_free_non_boundary_panics", test_free_non_boundary_panics);
	RUN_CASE("slab_destroy_live_panics", test_destroy_live_panics);
	RUN_CASE("slab_shrink_all", test_shrink_all);
	RUN_CASE("slab_create_rejects_bad_args", test_create_rejects_bad_args);
	RUN_CASE("slab_small_align_keeps_freelist_aligned", test_small_align_keeps_freelist_aligned);
	shim_free_memory();
	HOSTTEST_EXIT();
}
