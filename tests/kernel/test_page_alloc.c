/*
 * tests/kernel/test_page_alloc.c — the buddy allocator on real memory.
 *
 * pmm_all_pages takes every free frame one at a time, writes a pattern
 * derived from its frame number into all of it, checks every frame, frees
 * them all, and requires the free counts of every order to be exactly as
 * before: nothing lost, nothing overlapping, everything coalesced back.
 */
#include <kernel/ktest.h>
#include <mm/page_alloc.h>
#include <libk/random.h>
#include <libk/list.h>

static uint32_t
pattern(unsigned long pfn, unsigned word)
{
	return (uint32_t)(pfn * 0x9E3779B1u) ^ (word * 0x85EBCA6Bu);
}

static void
fill_page(struct page *p)
{
	uint32_t *w = page_address(p);

	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		w[i] = pattern(page_to_pfn(p), i);
}

static bool
page_intact(struct page *p)
{
	const uint32_t *w = page_address(p);

	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		if (w[i] != pattern(page_to_pfn(p), i))
			return false;
	return true;
}

static bool
same_counts(const unsigned long a[NR_ORDERS], const unsigned long b[NR_ORDERS])
{
	for (unsigned o = 0; o < NR_ORDERS; o++)
		if (a[o] != b[o])
			return false;
	return true;
}

KTEST(pmm_all_pages)
{
	unsigned long before[NR_ORDERS], after[NR_ORDERS], free_before = nr_free_pages();
	unsigned long taken = 0, bad = 0, left;
	LIST_HEAD(pages);
	struct page *p, *tmp;

	buddy_counts(before);
	while ((p = alloc_page(GFP_ATOMIC)) != NULL) {       /* the reserve too */
		list_add_tail(&p->lru, &pages);
		fill_page(p);
		taken++;
	}
	left = nr_free_pages();
	list_for_each_entry(p, &pages, lru)
		bad += !page_intact(p);
	list_for_each_entry_safe(p, tmp, &pages, lru) {
		list_del_init(&p->lru);
		__free_pages(p, 0);
	}
	buddy_counts(after);
	KT_CHECK(left == 0, "allocator still reported %lu free pages when exhausted", left);
	KT_CHECK(taken == free_before, "took %lu pages but %lu were free", taken, free_before);
	KT_CHECK(bad == 0, "%lu pages lost their pattern", bad);
	KT_CHECK(same_counts(before, after), "free blocks per order differ after freeing everything");
	console_printf("(pmm_all_pages) %lu pages allocated, patterned, checked and freed\n", taken);
}

KTEST(pmm_orders_aligned)
{
	unsigned long before[NR_ORDERS], after[NR_ORDERS];
	struct page *blocks[NR_ORDERS];

	buddy_counts(before);
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		blocks[o] = alloc_pages(GFP_KERNEL | __GFP_ZERO, o);
		KT_CHECK(blocks[o], "no block of order %u", o);
		KT_CHECK((page_to_pfn(blocks[o]) & ((1ul << o) - 1)) == 0,
			 "order %u block at pfn %lu is misaligned", o, page_to_pfn(blocks[o]));
		for (unsigned long i = 0; i < (1ul << o); i++)
			fill_page(blocks[o] + i);
	}
	for (unsigned o = 0; o < NR_ORDERS; o++)
		for (unsigned long i = 0; i < (1ul << o); i++)
			KT_CHECK(page_intact(blocks[o] + i), "order %u block overwritten", o);
	for (unsigned o = 0; o < NR_ORDERS; o++)
		__free_pages(blocks[o], o);
	buddy_counts(after);
	KT_CHECK(same_counts(before, after), "free blocks per order differ after freeing");
}

KTEST(pmm_random_orders)
{
	enum { SLOTS = 64, ROUNDS = 4000 };
	struct { struct page *p; unsigned order; } slot[SLOTS] = { { 0 } };
	unsigned long before[NR_ORDERS], after[NR_ORDERS];
	uint32_t seed = 12345;

	buddy_counts(before);
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned i = random_below(&seed, SLOTS);

		if (slot[i].p) {
			for (unsigned long k = 0; k < (1ul << slot[i].order); k++)
				KT_CHECK(page_intact(slot[i].p + k), "block lost its pattern");
			__free_pages(slot[i].p, slot[i].order);
			slot[i].p = NULL;
		} else {
			slot[i].order = random_below(&seed, 6);
			slot[i].p = alloc_pages(GFP_KERNEL, slot[i].order);
			KT_CHECK(slot[i].p, "order %u allocation failed", slot[i].order);
			for (unsigned long k = 0; k < (1ul << slot[i].order); k++)
				fill_page(slot[i].p + k);
		}
	}
	for (unsigned i = 0; i < SLOTS; i++)
		if (slot[i].p)
			__free_pages(slot[i].p, slot[i].order);
	buddy_counts(after);
	KT_CHECK(same_counts(before, after), "free blocks per order differ after freeing");
}

/* An allocation that may sleep leaves the minimum watermark's pages free
 * (after reclaiming what it could): those are kept for allocations that
 * cannot sleep and for reclaim's own, which may take them. */
KTEST(pmm_min_watermark_reserve)
{
	unsigned long left, min = min_wmark_pages();
	LIST_HEAD(pages);
	struct page *p, *tmp, *atomic;

	KT_CHECK(min >= 32 && min < nr_managed_pages() / 8, "min watermark %lu pages of %lu", min,
		 nr_managed_pages());
	while ((p = alloc_page(GFP_KERNEL)) != NULL)
		list_add_tail(&p->lru, &pages);
	left = nr_free_pages();
	atomic = alloc_page(GFP_ATOMIC);
	list_for_each_entry_safe(p, tmp, &pages, lru) {
		list_del_init(&p->lru);
		__free_pages(p, 0);
	}
	if (atomic)
		__free_pages(atomic, 0);
	KT_CHECK(left >= min, "GFP_KERNEL went below the minimum: %lu free, min %lu", left, min);
	KT_CHECK(left < min + 8, "GFP_KERNEL stopped at %lu free, well above min %lu", left, min);
	KT_CHECK(atomic, "GFP_ATOMIC found nothing in the reserve");
}
