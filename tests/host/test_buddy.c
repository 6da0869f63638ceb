/*
 * tests/host/test_buddy.c — the buddy allocator (mm/page_alloc.c), compiled
 * for the host and checked against an independent model.
 *
 * The model is a bitmap of free frames. Because the allocator merges a
 * freed block with its buddy for as long as it can, its free lists are
 * determined by the set of free frames alone: a block of order k is listed
 * exactly when all its frames are free and, below MAX_ORDER, the block of
 * order k+1 containing it is not. So the per-order free counts can be
 * predicted from the bitmap, after every operation, without knowing which
 * block the allocator chose. The model keeps, per order, one "wholly free"
 * bit per aligned block and updates only the blocks an operation touches;
 * check_mem_map() recomputes everything from scratch now and then, and
 * compares it with the PG_buddy marks in mem_map.
 *
 * Every case builds its own fake physical memory (shim_make_memory), with
 * holes where frames are never handed to the allocator.
 */
#include "hosttest.h"
#include "shim.h"

#include <mm/page_alloc.h>
#include <kernel/preempt.h>
#include <arch/x86/irqflags.h>
#include <libk/random.h>
#include <stdint.h>
#include <string.h>

#define BLOCK_PAGES(order)     (1ul << (order))
#define MODEL_MAX_FRAMES       8192ul   /* a multiple of BLOCK_PAGES(MAX_ORDER) */
#define PERCENT                100

/* buddy_random_model */
#define RANDOM_OPS             200000ul
#define RANDOM_FRAMES          4200ul
#define RANDOM_HOLES           6
#define RANDOM_HOLE_MAX        40
#define PHASE_OPS              5000ul   /* alternate filling and draining phases */
#define FILLING_ALLOC_PERCENT  70
#define DRAINING_ALLOC_PERCENT 35
#define SMALL_ORDERS           3        /* orders 0..2 make up most requests */
#define SMALL_ORDER_ODDS       4        /* 3 requests in 4 are small */
#define MEM_MAP_CHECK_OPS      4096ul

/* buddy_write_patterns */
#define PATTERN_OPS            30000ul
#define PATTERN_FRAMES         2125ul
#define PATTERN_MAX_ORDER      5
#define PATTERN_VERIFY_OPS     1000ul

/* buddy_boot_ranges_coalesce */
#define BOOT_RANDOM_LAYOUTS    20
#define BOOT_RANDOM_CUTS       30
#define BOOT_RANDOM_MIN_FRAMES 3000ul
#define BOOT_RANDOM_SPREAD     2000ul

/* pattern(): a splitmix64-style mix of an allocation number and a word index. */
#define GOLDEN_RATIO_64        0x9E3779B97F4A7C15ull
#define MIX_MULTIPLIER         0xBF58476D1CE4E5B9ull
#define MIX_SHIFT_1            31
#define MIX_SHIFT_2            29

/* A byte that freshly freed memory is dirtied with before __GFP_ZERO reuse. */
#define DIRTY_BYTE             0xa5

enum frame_state { FRAMES_IN_USE, FRAMES_FREE };

struct range {
	unsigned long start, end;       /* frames [start, end) */
};

struct block {
	struct page *page;
	unsigned order;
	uint64_t serial;                /* buddy_write_patterns: which allocation */
};

/*
 * The model. full[k][i] is true when every frame of the i-th aligned block
 * of order k is free; counts[k] is the number of such blocks the allocator
 * must have on free_area[k] (see the file comment).
 */
static struct {
	unsigned long nr_frames;
	uint8_t full[NR_ORDERS][MODEL_MAX_FRAMES];
	unsigned long counts[NR_ORDERS];
	unsigned long free_frames;
} model;

static struct block live[MODEL_MAX_FRAMES];
static unsigned long nr_live;

/* ---- the model -------------------------------------------------------- */

/* Empties the model for a memory of nr_frames frames, all in use. */
static void
model_reset(unsigned long nr_frames)
{
	CHECK(nr_frames <= MODEL_MAX_FRAMES, "model holds at most %lu frames", MODEL_MAX_FRAMES);
	memset(&model, 0, sizeof(model));
	model.nr_frames = nr_frames;
}

/* True if block i of order k is one the allocator must have on a free list. */
static bool
model_listed(unsigned k, unsigned long i)
{
	return model.full[k][i] && (k == MAX_ORDER || !model.full[k + 1][i >> 1]);
}

/* The blocks of order k whose listing may change when frames [start, end)
 * change: those whose own bit or whose parent's bit may change. */
static void
model_affected(unsigned k, const struct range *r, unsigned long *first, unsigned long *last)
{
	if (k == MAX_ORDER) {
		*first = r->start >> k;
		*last = (r->end - 1) >> k;
	} else {
		*first = (r->start >> (k + 1)) << 1;
		*last = (((r->end - 1) >> (k + 1)) << 1) + 1;
	}
}

/* Removes (undo) or adds back the listed blocks among the affected ones. */
static void
model_account(const struct range *r, bool undo)
{
	for (unsigned k = 0; k < NR_ORDERS; k++) {
		unsigned long first, last;

		model_affected(k, r, &first, &last);
		for (unsigned long i = first; i <= last; i++) {
			if (!model_listed(k, i))
				continue;
			if (undo)
				model.counts[k]--;
			else
				model.counts[k]++;
		}
	}
}

/* Marks frames [start, end) free or in use, keeping full[] and counts exact. */
static void
model_set(unsigned long start, unsigned long end, enum frame_state state)
{
	struct range r = { start, end };

	model_account(&r, true);
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (model.full[0][pfn] == (state == FRAMES_FREE))
			continue;
		model.full[0][pfn] = state == FRAMES_FREE;
		if (state == FRAMES_FREE)
			model.free_frames++;
		else
			model.free_frames--;
	}
	for (unsigned k = 1; k < NR_ORDERS; k++)
		for (unsigned long i = start >> k; i <= (end - 1) >> k; i++)
			model.full[k][i] = model.full[k - 1][2 * i] && model.full[k - 1][2 * i + 1];
	model_account(&r, false);
}

/* True if the model has frame pfn free (managed and not allocated). */
static bool
model_frame_free(unsigned long pfn)
{
	return model.full[0][pfn];
}

/* True if frames [pfn, pfn + n) are all free in the model's bitmap. */
static bool
frames_all_free(unsigned long pfn, unsigned long n)
{
	if (pfn + n > model.nr_frames)
		return false;
	for (unsigned long i = 0; i < n; i++)
		if (!model_frame_free(pfn + i))
			return false;
	return true;
}

/* Counts, from scratch, the maximal wholly free aligned blocks inside the
 * block of this order at pfn (the slow, obviously right version). */
static void
canonical_blocks(unsigned long pfn, unsigned order, unsigned long counts[NR_ORDERS])
{
	if (frames_all_free(pfn, BLOCK_PAGES(order))) {
		counts[order]++;
	} else if (order > 0) {
		canonical_blocks(pfn, order - 1, counts);
		canonical_blocks(pfn + BLOCK_PAGES(order - 1), order - 1, counts);
	}
}

/* Recounts, from the frame bitmap alone, the free blocks of every order. */
static void
canonical_counts(unsigned long counts[NR_ORDERS])
{
	memset(counts, 0, NR_ORDERS * sizeof(counts[0]));
	for (unsigned long pfn = 0; pfn < model.nr_frames; pfn += BLOCK_PAGES(MAX_ORDER))
		canonical_blocks(pfn, MAX_ORDER, counts);
}

/* ---- checks ----------------------------------------------------------- */

/* Fails unless the allocator's per-order counts and free total are the
 * model's, and no lock was left held. */
static void
check_counts(const char *what, unsigned long step)
{
	unsigned long counts[NR_ORDERS];

	buddy_counts(counts);
	for (unsigned o = 0; o < NR_ORDERS; o++)
		CHECK(counts[o] == model.counts[o],
		      "%s, step %lu: order %u: allocator lists %lu free blocks, model expects %lu",
		      what, step, o, counts[o], model.counts[o]);
	CHECK(nr_free_pages() == model.free_frames, "%s, step %lu: nr_free_pages %lu, model %lu",
	      what, step, nr_free_pages(), model.free_frames);
	CHECK(preempt_count == 0 && !irqs_disabled(),
	      "%s, step %lu: lock left held (preempt_count %d, irqs %s)", what, step,
	      preempt_count, irqs_disabled() ? "off" : "on");
}

/* Checks one PG_buddy head found in mem_map; returns its order. */
static unsigned
check_free_block(unsigned long pfn, const char *what)
{
	const struct page *p = pfn_to_page(pfn);
	unsigned order = p->private;

	CHECK(order <= MAX_ORDER, "%s: free block at %lu has order %u", what, pfn, order);
	CHECK(!(pfn & (BLOCK_PAGES(order) - 1)), "%s: free block at %lu misaligned for order %u",
	      what, pfn, order);
	CHECK(p->flags == 1u << PG_buddy && p->_refcount == 0,
	      "%s: free block at %lu: flags %#x refcount %d", what, pfn, p->flags, p->_refcount);
	CHECK(frames_all_free(pfn, BLOCK_PAGES(order)),
	      "%s: order-%u block at %lu is listed free but the model has a frame of it in use",
	      what, order, pfn);
	for (unsigned long i = 1; i < BLOCK_PAGES(order); i++)
		CHECK(p[i].flags == 0 && p[i]._refcount == 0,
		      "%s: frame %lu inside the free block at %lu: flags %#x refcount %d",
		      what, pfn + i, pfn, p[i].flags, p[i]._refcount);
	return order;
}

/* Fails unless the PG_buddy heads in mem_map are exactly the model's free
 * blocks, and the model agrees with a from-scratch recount. */
static void
check_mem_map(const char *what)
{
	unsigned long heads[NR_ORDERS] = { 0 }, canon[NR_ORDERS], covered = 0;

	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		unsigned order;

		if (!PageBuddy(pfn_to_page(pfn)))
			continue;
		order = check_free_block(pfn, what);
		heads[order]++;
		covered += BLOCK_PAGES(order);
	}
	CHECK(covered == model.free_frames, "%s: free blocks cover %lu frames, model has %lu free",
	      what, covered, model.free_frames);
	canonical_counts(canon);
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		CHECK(canon[o] == model.counts[o], "%s: order %u: recount %lu, incremental model %lu",
		      what, o, canon[o], model.counts[o]);
		CHECK(heads[o] == canon[o], "%s: order %u: mem_map has %lu PG_buddy heads, expected %lu",
		      what, o, heads[o], canon[o]);
	}
}

/* ---- memory set-up ---------------------------------------------------- */

/* A fresh fake memory of nr frames, all reserved, and a matching model. */
static void
setup_memory(unsigned long nr)
{
	model_reset(nr);
	shim_make_memory(nr);
	nr_live = 0;
}

/* Hands [start, end) to the allocator, as mm/memblock.c does at boot. */
static void
boot_free(unsigned long start, unsigned long end)
{
	if (start >= end)
		return;
	free_boot_range(start, end);
	model_set(start, end, FRAMES_FREE);
}

/* Frees every frame of [0, nr) except frame 0 and nr_holes random holes. */
static void
boot_free_with_holes(uint32_t *rs, unsigned nr_holes)
{
	uint8_t hole[MODEL_MAX_FRAMES] = { 1 };    /* frame 0 stays reserved, as on a PC */
	unsigned long start = 0;

	for (unsigned h = 0; h < nr_holes; h++) {
		unsigned long at = random_below(rs, model.nr_frames);
		unsigned long len = 1 + random_below(rs, RANDOM_HOLE_MAX);

		for (unsigned long pfn = at; pfn < at + len && pfn < model.nr_frames; pfn++)
			hole[pfn] = 1;
	}
	for (unsigned long pfn = 0; pfn <= model.nr_frames; pfn++) {
		if (pfn < model.nr_frames && !hole[pfn])
			continue;
		boot_free(start, pfn);
		start = pfn + 1;
	}
}

/* ---- allocating and freeing through the model -------------------------- */

/* Checks a block alloc_pages just returned and records it as in use. */
static void
take_block(struct page *page, unsigned order, const char *what, unsigned long step)
{
	unsigned long pfn = page_to_pfn(page);

	CHECK(page >= mem_map && pfn + BLOCK_PAGES(order) <= max_pfn,
	      "%s, step %lu: order-%u block at pfn %lu is outside memory", what, step, order, pfn);
	CHECK(!(pfn & (BLOCK_PAGES(order) - 1)), "%s, step %lu: order-%u block at pfn %lu misaligned",
	      what, step, order, pfn);
	for (unsigned long i = 0; i < BLOCK_PAGES(order); i++)
		CHECK(model_frame_free(pfn + i),
		      "%s, step %lu: order-%u block at %lu includes frame %lu, which is %s", what,
		      step, order, pfn, pfn + i,
		      PageReserved(page + i) ? "a hole" : "already allocated");
	CHECK(page_count(page) == 1, "%s, step %lu: new block refcount %d", what, step,
	      page_count(page));
	for (unsigned long i = 0; i < BLOCK_PAGES(order); i++)
		CHECK(page[i].flags == 0 && (i == 0 || page[i]._refcount == 0),
		      "%s, step %lu: new block at %lu: frame %lu has flags %#x refcount %d", what,
		      step, pfn, pfn + i, page[i].flags, page[i]._refcount);
	model_set(pfn, pfn + BLOCK_PAGES(order), FRAMES_IN_USE);
	live[nr_live++] = (struct block){ page, order, 0 };
}

/* alloc_pages through the model: checks the answer, NULL included. */
static struct page *
model_alloc(gfp_t gfp, unsigned order, const char *what, unsigned long step)
{
	struct page *page = alloc_pages(gfp, order);

	if (!page) {
		for (unsigned o = order; o < NR_ORDERS; o++)
			CHECK(model.counts[o] == 0,
			      "%s, step %lu: order-%u allocation failed with %lu free order-%u blocks",
			      what, step, order, model.counts[o], o);
		return NULL;
	}
	CHECK(order <= MAX_ORDER, "%s, step %lu: an order-%u allocation succeeded", what, step, order);
	take_block(page, order, what, step);
	return page;
}

/* Frees live[i] and forgets it (the last live block takes its slot). */
static void
model_free(unsigned long i)
{
	struct block b = live[i];
	unsigned long pfn = page_to_pfn(b.page);

	live[i] = live[--nr_live];
	__free_pages(b.page, b.order);
	model_set(pfn, pfn + BLOCK_PAGES(b.order), FRAMES_FREE);
}

/* Frees every live block in random order, checking the counts each time. */
static void
free_all_live(uint32_t *rs, const char *what)
{
	for (unsigned long step = 0; nr_live; step++) {
		model_free(random_below(rs, nr_live));
		check_counts(what, step);
	}
}

/* Fails unless buddy_counts() reports exactly want. */
static void
check_same_counts(const unsigned long want[NR_ORDERS], const char *what)
{
	unsigned long now[NR_ORDERS];

	buddy_counts(now);
	for (unsigned o = 0; o < NR_ORDERS; o++)
		CHECK(now[o] == want[o], "%s: order %u has %lu free blocks, expected %lu", what, o,
		      now[o], want[o]);
}

/* ---- buddy_boot_ranges_coalesce ------------------------------------- */

/* Hands the n ranges to the allocator in order, checking counts after each and
 * mem_map, the managed and the free totals at the end. */
static void
boot_free_ranges(const struct range *r, unsigned n, const char *what)
{
	unsigned long managed = 0;

	for (unsigned i = 0; i < n; i++) {
		boot_free(r[i].start, r[i].end);
		managed += r[i].end - r[i].start;
		check_counts(what, i);
	}
	CHECK(nr_managed_pages() == managed, "%s: %lu managed pages, %lu handed over", what,
	      nr_managed_pages(), managed);
	CHECK(nr_free_pages() == managed, "%s: %lu free pages, %lu handed over", what,
	      nr_free_pages(), managed);
	check_mem_map(what);
}

/* Random holes and odd edges: cut [0, nr) at random points, free every
 * other piece, in a random order. */
static void
boot_random_layout(uint32_t seed)
{
	uint32_t rs = seed;
	unsigned long nr = BOOT_RANDOM_MIN_FRAMES + random_below(&rs, BOOT_RANDOM_SPREAD);
	unsigned long cut[BOOT_RANDOM_CUTS + 2];
	struct range r[BOOT_RANDOM_CUTS / 2 + 1];
	unsigned n = 0, ncut = 0;

	setup_memory(nr);
	cut[ncut++] = random_below(&rs, 2);       /* sometimes frame 0 too */
	for (unsigned i = 0; i < BOOT_RANDOM_CUTS; i++)
		cut[ncut++] = random_below(&rs, nr);
	cut[ncut++] = nr;
	for (unsigned i = 1; i < ncut; i++)                 /* insertion sort */
		for (unsigned j = i; j > 0 && cut[j - 1] > cut[j]; j--) {
			unsigned long t = cut[j];
			cut[j] = cut[j - 1];
			cut[j - 1] = t;
		}
	for (unsigned i = 0; i + 1 < ncut; i += 2)
		if (cut[i] < cut[i + 1])
			r[n++] = (struct range){ cut[i], cut[i + 1] };
	for (unsigned i = n; i > 1; i--) {                  /* shuffle */
		unsigned j = random_below(&rs, i);
		struct range t = r[i - 1];
		r[i - 1] = r[j];
		r[j] = t;
	}
	boot_free_ranges(r, n, "random boot layout");
}

/* buddy_boot_ranges_coalesce: free_boot_range builds exactly the maximal blocks. */
static void
test_boot_ranges_coalesce(void)
{
	/* Holes, ranges starting and ending on odd frames, a range ending at max_pfn. */
	static const struct range holes[] = {
		{ 1, 7 }, { 9, 10 }, { 13, 1040 }, { 1041, 2565 }, { 3000, 5000 },
	};
	/* An aligned 2048-frame region freed in three pieces, out of order. */
	static const struct range pieces[] = { { 3001, 4096 }, { 2048, 2049 }, { 2049, 3001 } };
	/* 1234 = 1024 + 128 + 64 + 16 + 2: one block of each of those orders. */
	static const unsigned long want_1234[NR_ORDERS] = { [1] = 1, [4] = 1, [6] = 1, [7] = 1, [MAX_ORDER] = 1 };
	unsigned long want_max[NR_ORDERS] = { 0 };
	static const struct range all_1234[] = { { 0, 1234 } };

	setup_memory(5000);
	boot_free_ranges(holes, sizeof(holes) / sizeof(holes[0]), "ranges with holes");

	setup_memory(1234);
	boot_free_ranges(all_1234, 1, "1234 frames");
	check_same_counts(want_1234, "1234 frames");

	/* [2048, 4096) in pieces, then [0, 2048) one frame at a time from the top. */
	setup_memory(4096);
	boot_free_ranges(pieces, sizeof(pieces) / sizeof(pieces[0]), "pieces");
	for (unsigned long pfn = 2048; pfn-- > 0;) {
		boot_free(pfn, pfn + 1);
		check_counts("frame by frame", pfn);
	}
	check_mem_map("frame by frame");
	want_max[MAX_ORDER] = 4096 / BLOCK_PAGES(MAX_ORDER);
	check_same_counts(want_max, "a fully freed aligned region");

	for (uint32_t seed = 1; seed <= BOOT_RANDOM_LAYOUTS; seed++)
		boot_random_layout(seed);
}

/* ---- buddy_random_model ---------------------------------------------- */

/* Mostly small requests, as the kernel makes them, and now and then any
 * order up to MAX_ORDER + 1 (which must always fail). */
static unsigned
random_order(uint32_t *rs)
{
	if (random_below(rs, SMALL_ORDER_ODDS))
		return random_below(rs, SMALL_ORDERS);
	return random_below(rs, NR_ORDERS + 1);
}

/* The largest order with a free block in counts. */
static unsigned
largest_order(const unsigned long counts[NR_ORDERS])
{
	unsigned largest = 0;

	for (unsigned o = 0; o < NR_ORDERS; o++)
		if (counts[o])
			largest = o;
	return largest;
}

/* One long random run of alloc_pages/__free_pages, checked after every step. */
static void
random_model_run(uint32_t seed, unsigned nr_holes)
{
	uint32_t rs = seed;
	unsigned long start_counts[NR_ORDERS], successes[NR_ORDERS] = { 0 }, failures = 0;

	setup_memory(RANDOM_FRAMES);
	boot_free_with_holes(&rs, nr_holes);
	buddy_counts(start_counts);
	check_mem_map("random: after boot");

	for (unsigned long op = 0; op < RANDOM_OPS; op++) {
		unsigned pct = (op / PHASE_OPS) % 2 ? DRAINING_ALLOC_PERCENT : FILLING_ALLOC_PERCENT;

		if (nr_live == 0 || random_below(&rs, PERCENT) < pct) {
			unsigned order = random_order(&rs);

			if (model_alloc(GFP_KERNEL, order, "random", op))
				successes[order]++;
			else if (order < SMALL_ORDERS)
				failures++;
		} else {
			model_free(random_below(&rs, nr_live));
		}
		check_counts("random", op);
		if (op % MEM_MAP_CHECK_OPS == 0)
			check_mem_map("random");
	}
	check_mem_map("random: before freeing all");
	for (unsigned o = 0; o <= largest_order(start_counts); o++)
		CHECK(successes[o] > 0, "seed %u: no order-%u allocation ever succeeded", seed, o);
	CHECK(failures > 0, "seed %u: memory never ran out of small blocks", seed);

	free_all_live(&rs, "random: freeing all");
	check_same_counts(start_counts, "random: after freeing all");
	CHECK(nr_free_pages() == nr_managed_pages(), "%lu free of %lu managed", nr_free_pages(),
	      nr_managed_pages());
	check_mem_map("random: after freeing all");
}

/* buddy_random_model: several seeds, one without holes. */
static void
test_random_model(void)
{
	static const uint32_t seeds[] = { 1, 2, 0xdeadbeefu, 12345 };

	random_model_run(seeds[0], 0);
	for (unsigned i = 1; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		random_model_run(seeds[i], RANDOM_HOLES);
}

/* ---- buddy_write_patterns -------------------------------------------- */

/* The 64-bit word the allocation numbered serial keeps at word index w. */
static uint64_t
pattern(uint64_t serial, unsigned long w)
{
	uint64_t x = serial * GOLDEN_RATIO_64 + w;

	x ^= x >> MIX_SHIFT_1;
	x *= MIX_MULTIPLIER;
	return x ^ (x >> MIX_SHIFT_2);
}

/* The number of 64-bit words in block b. */
static unsigned long
block_words(const struct block *b)
{
	return (PAGE_SIZE << b->order) / sizeof(uint64_t);
}

/* Writes b's pattern over the whole block. */
static void
fill_block(const struct block *b)
{
	uint64_t *w = page_address(b->page);

	for (unsigned long i = 0; i < block_words(b); i++)
		w[i] = pattern(b->serial, i);
}

/* Fails unless b still holds the pattern fill_block wrote. */
static void
verify_block(const struct block *b, const char *what)
{
	const uint64_t *w = page_address(b->page);

	for (unsigned long i = 0; i < block_words(b); i++)
		CHECK(w[i] == pattern(b->serial, i),
		      "%s: order-%u block at pfn %lu: word %lu overwritten (another block overlaps it)",
		      what, b->order, page_to_pfn(b->page), i);
}

/* buddy_write_patterns: live blocks keep their contents; free frames are not touched. */
static void
test_write_patterns(void)
{
	uint32_t rs = 77;
	uint64_t serial = 0;

	setup_memory(PATTERN_FRAMES);
	boot_free_with_holes(&rs, RANDOM_HOLES);
	/* Free frames are off limits: only the test's own blocks may be touched. */
	shim_poison_frames(0, PATTERN_FRAMES);

	for (unsigned long op = 0; op < PATTERN_OPS; op++) {
		if (nr_live == 0 || random_below(&rs, PERCENT) < FILLING_ALLOC_PERCENT) {
			unsigned order = random_below(&rs, PATTERN_MAX_ORDER + 1);
			struct page *page = model_alloc(GFP_KERNEL, order, "patterns", op);

			if (!page)
				continue;
			live[nr_live - 1].serial = ++serial;
			shim_unpoison_frames(page_to_pfn(page), BLOCK_PAGES(order));
			fill_block(&live[nr_live - 1]);
		} else {
			unsigned long i = random_below(&rs, nr_live);
			struct block b = live[i];

			verify_block(&b, "before free");
			model_free(i);
			shim_poison_frames(page_to_pfn(b.page), BLOCK_PAGES(b.order));
		}
		check_counts("patterns", op);
		if (op % PATTERN_VERIFY_OPS == 0)
			for (unsigned long i = 0; i < nr_live; i++)
				verify_block(&live[i], "periodic check");
	}
	for (unsigned long i = 0; i < nr_live; i++)
		verify_block(&live[i], "final check");
	free_all_live(&rs, "patterns: freeing all");
	shim_unpoison_frames(0, PATTERN_FRAMES);
}

/* ---- buddy_exhaustion ------------------------------------------------ */

/* Allocates blocks of this order until alloc_pages says NULL; returns how many. */
static unsigned long
alloc_until_empty(unsigned order)
{
	unsigned long n = 0;

	while (model_alloc(GFP_KERNEL, order, "exhaustion", n))
		n++;
	return n;
}

/* buddy_exhaustion: allocation fails exactly when no block is big enough. */
static void
test_exhaustion(void)
{
	uint32_t rs = 5;
	unsigned long start[NR_ORDERS], managed, got;

	setup_memory(1500);
	boot_free(0, 700);
	boot_free(705, 1500);
	buddy_counts(start);
	managed = nr_managed_pages();

	got = alloc_until_empty(0);
	CHECK(got == managed, "order 0: %lu blocks of %lu managed pages", got, managed);
	CHECK(nr_free_pages() == 0, "%lu pages free after exhaustion", nr_free_pages());
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		CHECK(model.counts[o] == 0, "order %u still has free blocks", o);
		CHECK(alloc_pages(GFP_KERNEL, o) == NULL, "order %u allocated from empty memory", o);
	}
	free_all_live(&rs, "exhaustion: order 0");
	check_same_counts(start, "exhaustion: order 0 freed");

	for (unsigned order = 1; order <= MAX_ORDER; order++) {
		unsigned long want = 0;

		for (unsigned k = order; k <= MAX_ORDER; k++)
			want += start[k] << (k - order);
		got = alloc_until_empty(order);
		CHECK(got == want, "order %u: %lu blocks allocated, %lu expected", order, got, want);
		check_mem_map("exhaustion");
		free_all_live(&rs, "exhaustion");
		check_same_counts(start, "exhaustion: freed");
	}
	CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER + 1) == NULL, "order MAX_ORDER + 1 allocated");
	CHECK(nr_free_pages() == managed, "%lu free of %lu", nr_free_pages(), managed);
}

/* ---- buddy_double_free_panics ---------------------------------------- */

/* Fails unless freeing (page, order) panics with a message containing
 * expect, and leaves the allocator exactly as it was. */
static void
check_free_panics(struct page *page, unsigned order, const char *expect, const char *what)
{
	unsigned long before[NR_ORDERS], free_before = nr_free_pages();
	bool panicked;

	buddy_counts(before);
	panicked = SHIM_PANICS(__free_pages(page, order));
	CHECK(panicked, "%s: __free_pages(pfn %lu, order %u) did not panic", what,
	      page_to_pfn(page), order);
	CHECK(strstr(shim_last_panic(), expect), "%s: panic \"%s\" does not say \"%s\"", what,
	      shim_last_panic(), expect);
	check_same_counts(before, what);
	CHECK(nr_free_pages() == free_before, "%s: free pages changed", what);
	check_counts(what, 0);
	check_mem_map(what);
}

/* buddy_double_free_panics: freeing a free frame panics, merged or not. */
static void
test_double_free_panics(void)
{
	enum { NR = 64 };
	struct page *frame[NR];

	setup_memory(NR);
	boot_free(0, NR);
	for (unsigned i = 0; i < NR; i++) {
		frame[i] = model_alloc(GFP_KERNEL, 0, "double free", i);
		CHECK(frame[i], "could not allocate frame %u", i);
	}
	/* Undo the model's live list: this case frees by frame number. */
	nr_live = 0;

	/* Frame 5 alone is free: its buddy 4 is in use, so nothing merges. */
	__free_pages(frame[5], 0);
	model_set(5, 6, FRAMES_FREE);
	check_free_panics(frame[5], 0, "double free", "unmerged block");

	/* Freeing 4 merges 4 and 5 into one order-1 block headed by 4. */
	__free_pages(frame[4], 0);
	model_set(4, 5, FRAMES_FREE);
	check_free_panics(frame[5], 0, "double free", "upper half of a merged block");
	check_free_panics(frame[4], 0, "double free", "head of a merged block");
	check_free_panics(frame[4], 1, "double free", "the merged block itself");

	/* Frames 0..3 merge into an order-2 block, which stays apart from the
	 * order-1 block 4..5 because 6 and 7 are in use. */
	for (unsigned i = 0; i < 4; i++) {
		__free_pages(frame[i], 0);
		model_set(i, i + 1, FRAMES_FREE);
	}
	check_free_panics(frame[2], 0, "double free", "inside an order-2 block");
	check_free_panics(frame[0], 2, "double free", "a whole free order-2 block");

	/* Misuse that is not a double free must panic too. */
	get_page(frame[10]);
	check_free_panics(frame[10], 0, "others still hold", "refcount 2");
	put_page(frame[10]);
	CHECK(page_count(frame[10]) == 1, "put_page left refcount %d", page_count(frame[10]));
	check_free_panics(frame[9], 1, "BUG_ON", "misaligned order-1 free");

	for (unsigned i = 6; i < NR; i++) {
		__free_pages(frame[i], 0);
		model_set(i, i + 1, FRAMES_FREE);
		check_counts("double free: freeing the rest", i);
	}
	CHECK(model.counts[6] == 1 && nr_free_pages() == NR, "memory did not coalesce back");
	check_mem_map("double free: end");
}

/* ---- buddy_compound -------------------------------------------------- */

/* buddy_compound: __GFP_COMP marks head and tails, and put_page frees the whole. */
static void
test_compound(void)
{
	enum { COMP_ORDER = 3, INNER_FRAME = 5, INNER_OFFSET = 100 };
	unsigned long start[NR_ORDERS], free_start;
	struct page *head, *plain;
	char *inner;

	setup_memory(256);
	boot_free(0, 256);
	buddy_counts(start);
	free_start = nr_free_pages();

	head = alloc_pages(GFP_KERNEL | __GFP_COMP, COMP_ORDER);
	CHECK(head, "compound allocation failed");
	CHECK(PageHead(head) && !PageTail(head), "head flags %#x", head->flags);
	CHECK(compound_order(head) == COMP_ORDER, "compound_order %u", compound_order(head));
	CHECK(compound_head(head) == head, "compound_head(head) is not head");
	CHECK(page_count(head) == 1, "head refcount %d", page_count(head));
	for (unsigned i = 1; i < BLOCK_PAGES(COMP_ORDER); i++) {
		CHECK(PageTail(head + i) && !PageHead(head + i), "tail %u flags %#x", i, head[i].flags);
		CHECK(compound_head(head + i) == head, "compound_head(tail %u) is wrong", i);
		CHECK(compound_order(head + i) == 0, "a tail reports an order");
		CHECK(page_count(head + i) == 0, "tail %u refcount %d", i, page_count(head + i));
	}
	inner = (char *)page_address(head) + INNER_FRAME * PAGE_SIZE + INNER_OFFSET;
	CHECK(virt_to_head_page(inner) == head, "virt_to_head_page of an inner address");
	CHECK(nr_free_pages() == free_start - BLOCK_PAGES(COMP_ORDER), "free count after alloc");

	/* Two references; the last put, through a tail page, frees all 8 frames. */
	get_page(head);
	put_page(head + INNER_FRAME);
	CHECK(page_count(head) == 1 && nr_free_pages() == free_start - BLOCK_PAGES(COMP_ORDER),
	      "first put_page freed the block (refcount %d)", page_count(head));
	put_page(head + BLOCK_PAGES(COMP_ORDER) - 1);
	CHECK(nr_free_pages() == free_start, "last put_page did not free the block");
	check_same_counts(start, "compound freed");
	for (unsigned i = 0; i < BLOCK_PAGES(COMP_ORDER); i++)
		CHECK(!PageHead(head + i) && !PageTail(head + i), "frame %u keeps compound flags", i);

	/* The same frames, allocated again without __GFP_COMP, are plain pages. */
	plain = alloc_pages(GFP_KERNEL, COMP_ORDER);
	CHECK(plain, "plain order-%d allocation failed", COMP_ORDER);
	for (unsigned i = 0; i < BLOCK_PAGES(COMP_ORDER); i++)
		CHECK(!PageHead(plain + i) && !PageTail(plain + i), "plain block frame %u flags %#x",
		      i, plain[i].flags);
	CHECK(compound_order(plain) == 0, "plain block has a compound order");
	__free_pages(plain, COMP_ORDER);

	/* An order-0 __GFP_COMP page is not compound; put_page frees it. */
	plain = alloc_pages(GFP_KERNEL | __GFP_COMP, 0);
	CHECK(plain && !PageHead(plain) && !PageTail(plain), "order-0 __GFP_COMP page flags");
	put_page(plain);
	check_same_counts(start, "order-0 put_page");
	check_mem_map("compound: end");
}

/* ---- buddy_gfp_zero -------------------------------------------------- */

/* True if every byte of the order-order block at page equals byte. */
static bool
block_all_bytes(const struct page *page, unsigned order, int byte)
{
	const unsigned char *p = page_address(page);

	for (unsigned long i = 0; i < (PAGE_SIZE << order); i++)
		if (p[i] != byte)
			return false;
	return true;
}

/* buddy_gfp_zero: __GFP_ZERO blocks are zero even where the memory was dirty. */
static void
test_gfp_zero(void)
{
	enum { ZERO_MAX_ORDER = 5, ROUNDS = 3 };
	uint32_t rs = 3;

	setup_memory(300);
	boot_free(0, 300);
	/* Dirty every free frame. */
	alloc_until_empty(0);
	for (unsigned long i = 0; i < nr_live; i++)
		memset(page_address(live[i].page), DIRTY_BYTE, PAGE_SIZE);
	free_all_live(&rs, "gfp_zero: dirtying");

	for (unsigned round = 0; round < ROUNDS; round++)
		for (unsigned order = 0; order <= ZERO_MAX_ORDER; order++) {
			struct page *page = model_alloc(__GFP_ZERO, order, "gfp_zero", round);

			CHECK(page, "order-%u __GFP_ZERO allocation failed", order);
			CHECK(block_all_bytes(page, order, 0),
			      "order-%u __GFP_ZERO block at pfn %lu is not all zeros", order,
			      page_to_pfn(page));
			memset(page_address(page), DIRTY_BYTE, PAGE_SIZE << order);
			if (round % 2)
				model_free(nr_live - 1);  /* reuse it dirty next time */
		}
	free_all_live(&rs, "gfp_zero: end");
}

int
main(void)
{
	RUN_CASE("buddy_boot_ranges_coalesce", test_boot_ranges_coalesce);
	RUN_CASE("buddy_random_model", test_random_model);
	RUN_CASE("buddy_write_patterns", test_write_patterns);
	RUN_CASE("buddy_exhaustion", test_exhaustion);
	RUN_CASE("buddy_double_free_panics", test_double_free_panics);
	RUN_CASE("buddy_compound", test_compound);
	RUN_CASE("buddy_gfp_zero", test_gfp_zero);
	shim_free_memory();
	HOSTTEST_EXIT();
}
