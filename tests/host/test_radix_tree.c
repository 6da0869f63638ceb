/*
 * tests/host/test_radix_tree.c — the radix tree (libk/radix_tree.c)
 * against a model, with its nodes from the real slab and buddy allocators.
 *
 * The model is an array of (index, item, tag bits) sorted by index. Long
 * seeded runs draw indices from one space at a time (small indices, a
 * dense run across level boundaries, sparse ones over all of uint32_t,
 * the edges of each level and 0xFFFFFFFF, all mixed) and apply random
 * insert, delete, lookup, lookup_slot (replacing through it), tag_set,
 * tag_clear, tag_get, gang_lookup and gang_lookup_tag; every answer must
 * be the model's, root->tags must say exactly which tags some item has,
 * and the height must be the least that holds the largest index. Every
 * so often radix_tree_check walks the whole tree, its node count must
 * equal the live objects of the "radix_tree_node" slab cache, and a
 * chunked gang lookup must list the model exactly. Each run ends by
 * deleting everything: the tree must be empty and every node freed.
 *
 * radix_enomem_leaves_tree_unchanged runs with nearly all memory taken:
 * an insert that cannot get its nodes must fail with -ENOMEM and leave
 * the tree, its tags and the number of nodes exactly as they were.
 */
#include "hosttest.h"
#include "shim.h"

#include <libk/radix_tree.h>
#include <libk/random.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <kernel/errno.h>
#include <stdint.h>
#include <string.h>

#define FRAMES              8192ul  /* 32 MiB of fake memory */
#define FIRST_FREE_FRAME    1
#define MAP_SHIFT           6       /* RADIX_TREE_MAP_SHIFT, restated */
#define MAX_HEIGHT          6
#define NR_TAGS             RADIX_TREE_MAX_TAGS
#define ITEM_SHIFT          3       /* items are serial << 3: bit 0 clear, never NULL */
#define NODE_CACHE_NAME     "radix_tree_node"
#define MAX_CACHES          64

#define MODEL_MAX           4000
#define GANG_MAX            80      /* more than a node's 64 slots */
#define FULL_CHECK_EVERY    500
#define PERCENT             100

/* random runs */
#define RUN_OPS             60000u
#define PHASE_OPS           10000u  /* filling phases alternate with draining ones: */
#define FILL_INSERT_PERCENT 40
#define FILL_DELETE_PERCENT 5       /* and the reverse when draining */
#define SMALL_SPAN          300
#define DENSE_SPAN          5000
#define DENSE_BASE          ((1u << 18) - 2000)  /* the run crosses a level-3 boundary */
#define EDGE_JITTER         3
#define TOP_SPAN            130     /* indices just below UINT32_MAX */

/* radix_enomem_leaves_tree_unchanged */
#define ENOMEM_OPS          30000u
#define ENOMEM_MIN_FAILURES 20
#define RELEASE_EVERY       400     /* ops between giving pages back */
#define RELEASE_PAGES       4
#define ENOMEM_INSERT_PERCENT 50    /* inserts outnumber deletes: memory stays short */
#define ENOMEM_DELETE_PERCENT 15

struct entry {
	uint32_t index;
	void *item;
	uint8_t tags;
};

static struct entry model[MODEL_MAX];
static unsigned nr_model;
static unsigned nr_tagged[NR_TAGS];
static struct radix_tree_root tree = RADIX_TREE_INIT;
static uint32_t seed;
static uintptr_t next_serial;
static bool memory_may_run_out;    /* -ENOMEM is a correct answer to insert */
static unsigned long nr_enomem;

static struct page *held[FRAMES];
static unsigned long nr_held;

/* Which indices a run draws from. */
enum space { SMALL_SPACE, DENSE_SPACE, SPARSE_SPACE, EDGE_SPACE, MIXED_SPACE, NR_SPACES };

static const char *const space_names[NR_SPACES] = {
	"small", "dense", "sparse", "edge", "mixed",
};

/* ---- the model ---------------------------------------------------------- */

/* The first model position whose index is >= index. */
static unsigned
lower_bound(uint32_t index)
{
	unsigned lo = 0, hi = nr_model;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (model[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The model entry at index, or NULL. */
static struct entry *
model_find(uint32_t index)
{
	unsigned pos = lower_bound(index);

	return pos < nr_model && model[pos].index == index ? &model[pos] : NULL;
}

static void
model_add(uint32_t index, void *item)
{
	unsigned pos = lower_bound(index);

	memmove(&model[pos + 1], &model[pos], (nr_model - pos) * sizeof(model[0]));
	model[pos] = (struct entry){ index, item, 0 };
	nr_model++;
}

static void
model_set_tag(struct entry *e, unsigned tag, bool on)
{
	bool was = e->tags & (1u << tag);

	if (was == on)
		return;
	e->tags ^= 1u << tag;
	if (on)
		nr_tagged[tag]++;
	else
		nr_tagged[tag]--;
}

static void
model_remove(struct entry *e)
{
	for (unsigned tag = 0; tag < NR_TAGS; tag++)
		model_set_tag(e, tag, false);
	memmove(e, e + 1, (size_t)(&model[nr_model] - (e + 1)) * sizeof(model[0]));
	nr_model--;
}

static void *
new_item(void)
{
	return (void *)(++next_serial << ITEM_SHIFT);
}

/* The least height holding index, computed without the tree's helpers. */
static unsigned
expected_height(uint32_t max)
{
	unsigned height = 0;

	while ((uint64_t)max >= (uint64_t)1 << (height * MAP_SHIFT))
		height++;
	return height;
}

/* Live objects of the node cache (0 before its first use). */
static unsigned long
nodes_live(void)
{
	static struct slab_stats stats[MAX_CACHES];
	int n = slab_stats_snapshot(stats, MAX_CACHES);

	CHECK(n <= MAX_CACHES, "more than %d slab caches", MAX_CACHES);
	for (int i = 0; i < n; i++)
		if (strcmp(stats[i].name, NODE_CACHE_NAME) == 0)
			return stats[i].active_objects;
	return 0;
}

/* ---- checks ------------------------------------------------------------- */

/* root->tags and the height, which every operation must keep exact. */
static void
check_root(const char *what)
{
	unsigned height = nr_model ? expected_height(model[nr_model - 1].index) : 0;

	for (unsigned tag = 0; tag < NR_TAGS; tag++)
		CHECK(radix_tree_tagged(&tree, tag) == (nr_tagged[tag] > 0),
		      "%s: root says tag %u is %s, %u items have it", what, tag,
		      radix_tree_tagged(&tree, tag) ? "used" : "unused", nr_tagged[tag]);
	CHECK(tree.height == height, "%s: height %u, the largest index needs %u", what,
	      tree.height, height);
	CHECK((tree.rnode == NULL) == (nr_model == 0), "%s: rnode %p with %u items", what,
	      tree.rnode, nr_model);
}

/*
 * One gang lookup (tag < NR_TAGS: gang_lookup_tag; else any item) from
 * first for max items, compared with the model. Returns how many it
 * found, and the index of the last in *last.
 */
static unsigned
check_gang(uint32_t first, unsigned max, unsigned tag, uint32_t *last)
{
	void *results[GANG_MAX];
	uint32_t indices[GANG_MAX];
	bool want_indices = random_below(&seed, 4) != 0;
	unsigned n, expected = 0, pos = lower_bound(first);

	memset(indices, 0, sizeof(indices));
	if (tag < NR_TAGS)
		n = radix_tree_gang_lookup_tag(&tree, results, want_indices ? indices : NULL,
					       first, max, tag);
	else
		n = radix_tree_gang_lookup(&tree, results, want_indices ? indices : NULL, first,
					   max);
	CHECK(n <= max, "gang lookup from %#x returned %u > max %u", first, n, max);
	for (; pos < nr_model && expected < max; pos++) {
		const struct entry *e = &model[pos];

		if (tag < NR_TAGS && !(e->tags & (1u << tag)))
			continue;
		CHECK(expected < n, "gang lookup (tag %u) from %#x max %u: %u found, missed index %#x",
		      tag, first, max, n, e->index);
		CHECK(results[expected] == e->item,
		      "gang lookup (tag %u) from %#x: result %u is %p, want %p at %#x", tag, first,
		      expected, results[expected], e->item, e->index);
		CHECK(!want_indices || indices[expected] == e->index,
		      "gang lookup (tag %u) from %#x: index %u is %#x, want %#x", tag, first,
		      expected, indices[expected], e->index);
		*last = e->index;
		expected++;
	}
	CHECK(n == expected, "gang lookup (tag %u) from %#x max %u: %u found, model has %u", tag,
	      first, max, n, expected);
	return n;
}

/* Walks the whole tree: invariants, node count, contents, tags. */
static void
check_all(const char *what)
{
	int nodes = radix_tree_check(&tree);

	CHECK(nodes >= 0, "%s: radix_tree_check found a broken invariant", what);
	CHECK((unsigned long)nodes == nodes_live(), "%s: %d nodes in the tree, %lu allocated",
	      what, nodes, nodes_live());
	check_root(what);
	for (unsigned tag = 0; tag <= NR_TAGS; tag++) {
		uint32_t first = 0;

		for (;;) {              /* chunks of GANG_MAX, each starting past the last */
			uint32_t last;

			if (check_gang(first, GANG_MAX, tag, &last) < GANG_MAX || last == UINT32_MAX)
				break;
			first = last + 1;
		}
	}
	for (unsigned i = 0; i < nr_model; i++)
		for (unsigned tag = 0; tag < NR_TAGS; tag++)
			CHECK(radix_tree_tag_get(&tree, model[i].index, tag) ==
				      !!(model[i].tags & (1u << tag)),
			      "%s: tag %u of %#x reads wrong", what, tag, model[i].index);
}

/* ---- operations, each checked ------------------------------------------- */

static void
op_insert(uint32_t index)
{
	struct entry *e = model_find(index);
	unsigned long nodes_before = nodes_live();
	void *item = new_item();
	int err;

	if (!e && nr_model == MODEL_MAX)
		return;
	err = radix_tree_insert(&tree, index, item);
	if (e) {
		CHECK(err == -EEXIST, "insert at taken %#x returned %d", index, err);
		CHECK(radix_tree_lookup(&tree, index) == e->item, "failed insert replaced %#x", index);
		return;
	}
	if (err == -ENOMEM && memory_may_run_out) {
		nr_enomem++;
		CHECK(nodes_live() == nodes_before, "failed insert at %#x kept %ld nodes", index,
		      (long)(nodes_live() - nodes_before));
		CHECK(!radix_tree_lookup(&tree, index), "failed insert at %#x stored it", index);
		check_root("insert -ENOMEM");
		return;
	}
	CHECK(err == 0, "insert at free %#x returned %d", index, err);
	model_add(index, item);
	CHECK(radix_tree_lookup(&tree, index) == item, "insert at %#x: lookup misses it", index);
}

static void
op_delete(uint32_t index)
{
	struct entry *e = model_find(index);
	void *got = radix_tree_delete(&tree, index);

	CHECK(got == (e ? e->item : NULL), "delete %#x returned %p, want %p", index, got,
	      e ? e->item : NULL);
	if (e)
		model_remove(e);
	CHECK(!radix_tree_lookup(&tree, index), "deleted %#x still found", index);
	for (unsigned tag = 0; tag < NR_TAGS; tag++)
		CHECK(!radix_tree_tag_get(&tree, index, tag), "deleted %#x keeps tag %u", index, tag);
}

/* lookup, and lookup_slot (replacing the item through it one time in 4). */
static void
op_lookup(uint32_t index)
{
	struct entry *e = model_find(index);
	void *got = radix_tree_lookup(&tree, index);
	void **slot = radix_tree_lookup_slot(&tree, index);

	CHECK(got == (e ? e->item : NULL), "lookup %#x gave %p, want %p", index, got,
	      e ? e->item : NULL);
	CHECK((slot != NULL) == (e != NULL), "lookup_slot %#x gave %p with%s an item", index,
	      (void *)slot, e ? "" : "out");
	if (!e)
		return;
	CHECK(*slot == e->item, "lookup_slot %#x holds %p, want %p", index, *slot, e->item);
	if (random_below(&seed, 4) == 0) {
		e->item = new_item();
		*slot = e->item;
		CHECK(radix_tree_lookup(&tree, index) == e->item, "replacing %#x through its slot",
		      index);
	}
}

static void
op_tag(uint32_t index, unsigned tag, bool set)
{
	struct entry *e = model_find(index);

	if (set) {
		if (!e)
			return;          /* the item must exist */
		radix_tree_tag_set(&tree, index, tag);
	} else {
		radix_tree_tag_clear(&tree, index, tag);
	}
	if (e)
		model_set_tag(e, tag, set);
	CHECK(radix_tree_tag_get(&tree, index, tag) == (e && set), "tag %u of %#x after %s",
	      tag, index, set ? "set" : "clear");
	CHECK(radix_tree_lookup(&tree, index) == (e ? e->item : NULL), "tagging %#x changed it",
	      index);
}

static void
op_tag_get(uint32_t index, unsigned tag)
{
	struct entry *e = model_find(index);
	bool want = e && (e->tags & (1u << tag));

	CHECK(radix_tree_tag_get(&tree, index, tag) == want, "tag_get %u of %#x: want %d", tag,
	      index, want);
}

/* ---- drawing indices ---------------------------------------------------- */

/* An index at or near the edge of what a tree of some height holds. */
static uint32_t
edge_index(void)
{
	unsigned height = random_below(&seed, MAX_HEIGHT + 1);
	uint64_t edge = (uint64_t)1 << (height * MAP_SHIFT);          /* first needing more */
	int64_t jitter = (int64_t)random_below(&seed, 2 * EDGE_JITTER + 1) - EDGE_JITTER;
	int64_t index = (int64_t)edge + jitter;

	if (random_below(&seed, 4) == 0)
		return UINT32_MAX - random_below(&seed, TOP_SPAN);
	if (index < 0)
		return 0;
	return index > UINT32_MAX ? UINT32_MAX : (uint32_t)index;
}

static uint32_t
random_index(enum space space)
{
	switch (space) {
	case SMALL_SPACE:
		return random_below(&seed, SMALL_SPAN);
	case DENSE_SPACE:
		return DENSE_BASE + random_below(&seed, DENSE_SPAN);
	case SPARSE_SPACE:
		switch (random_below(&seed, 8)) {
		case 0: return UINT32_MAX;
		case 1: return 0;
		default: return xorshift32(&seed);
		}
	case EDGE_SPACE:
		return edge_index();
	default:
		return random_index(random_below(&seed, MIXED_SPACE));
	}
}

/* Mostly an index the model holds (so deletes and tags hit), else a new one. */
static uint32_t
pick_index(enum space space)
{
	if (nr_model && random_below(&seed, 2))
		return model[random_below(&seed, nr_model)].index;
	return random_index(space);
}

/* A gang lookup (tag NR_TAGS: any item) near index, of a random size. */
static void
gang_op(uint32_t index, unsigned tag)
{
	uint32_t last;

	check_gang(index - random_below(&seed, 3), 1 + random_below(&seed, GANG_MAX), tag, &last);
}

/* Operations other than insert and delete, each drawn as often. */
enum other_op { OP_LOOKUP, OP_TAG_SET, OP_TAG_CLEAR, OP_TAG_GET, OP_GANG, OP_GANG_TAG, NR_OTHER_OPS };

/* One random operation: insert_percent of them insert, delete_percent
 * delete, the rest are spread over the others. */
static void
random_op(enum space space, unsigned insert_percent, unsigned delete_percent)
{
	unsigned dice = random_below(&seed, PERCENT);
	uint32_t index = pick_index(space);
	unsigned tag = random_below(&seed, NR_TAGS);

	if (dice < insert_percent) {
		op_insert(index);
		return;
	}
	dice -= insert_percent;
	if (dice < delete_percent) {
		op_delete(index);
		return;
	}
	switch ((enum other_op)(dice % NR_OTHER_OPS)) {
	case OP_LOOKUP:    op_lookup(index); break;
	case OP_TAG_SET:   op_tag(index, tag, true); break;
	case OP_TAG_CLEAR: op_tag(index, tag, false); break;
	case OP_TAG_GET:   op_tag_get(index, tag); break;
	case OP_GANG:      gang_op(index, NR_TAGS); break;
	default:           gang_op(index, tag); break;
	}
	check_root("random op");
}

/* Deletes every item in random order, then checks that nothing is left. */
static void
drain(void)
{
	while (nr_model) {
		op_delete(model[random_below(&seed, nr_model)].index);
		check_root("drain");
	}
	CHECK(tree.rnode == NULL && tree.height == 0 && tree.tags == 0,
	      "emptied tree: rnode %p height %u tags %#x", tree.rnode, tree.height, tree.tags);
	CHECK(nodes_live() == 0, "emptied tree: %lu nodes still allocated", nodes_live());
	CHECK(radix_tree_check(&tree) == 0, "emptied tree fails radix_tree_check");
}

/* ---- cases -------------------------------------------------------------- */

static void
random_run(enum space space, uint32_t run_seed)
{
	seed = run_seed;
	for (unsigned op = 0; op < RUN_OPS; op++) {
		bool filling = (op / PHASE_OPS) % 2 == 0;

		random_op(space, filling ? FILL_INSERT_PERCENT : FILL_DELETE_PERCENT,
			  filling ? FILL_DELETE_PERCENT : FILL_INSERT_PERCENT);
		if (op % FULL_CHECK_EVERY == 0)
			check_all(space_names[space]);
	}
	check_all(space_names[space]);
	drain();
}

static void
test_random_model(void)
{
	for (enum space space = 0; space < NR_SPACES; space++)
		random_run(space, 0x5EED0000u + space);
}

/* 0 and 0xFFFFFFFF: the full height and back down to the item at the root. */
static void
test_edge_indices(void)
{
	void *a = new_item(), *b = new_item(), *results[4];
	uint32_t indices[4];

	seed = 1;
	CHECK(radix_tree_insert(&tree, UINT32_MAX, b) == 0, "insert UINT32_MAX");
	CHECK(tree.height == MAX_HEIGHT, "height %u for UINT32_MAX", tree.height);
	CHECK(radix_tree_insert(&tree, 0, a) == 0, "insert 0");
	CHECK(radix_tree_lookup(&tree, UINT32_MAX) == b && radix_tree_lookup(&tree, 0) == a,
	      "lookups of 0 and UINT32_MAX");
	CHECK(radix_tree_lookup(&tree, UINT32_MAX - 1) == NULL, "UINT32_MAX - 1 is empty");
	CHECK(radix_tree_gang_lookup(&tree, results, indices, 1, 4) == 1 && results[0] == b &&
		      indices[0] == UINT32_MAX, "gang lookup from 1");
	CHECK(radix_tree_gang_lookup(&tree, results, indices, UINT32_MAX, 4) == 1,
	      "gang lookup from UINT32_MAX");
	radix_tree_tag_set(&tree, UINT32_MAX, 1);
	CHECK(radix_tree_gang_lookup_tag(&tree, results, indices, 0, 4, 1) == 1 &&
		      indices[0] == UINT32_MAX, "tagged gang lookup");
	CHECK(radix_tree_gang_lookup_tag(&tree, results, indices, 0, 4, 0) == 0,
	      "tag 0 is on nothing");
	radix_tree_tag_set(&tree, 0, 0);
	CHECK(radix_tree_delete(&tree, UINT32_MAX) == b, "delete UINT32_MAX");
	CHECK(tree.height == 0 && tree.rnode == a && tree.tags == 1u,
	      "after the delete: height %u rnode %p tags %#x", tree.height, tree.rnode, tree.tags);
	CHECK(nodes_live() == 0, "%lu nodes left with one item at 0", nodes_live());
	CHECK(radix_tree_gang_lookup_tag(&tree, results, indices, 0, 4, 0) == 1 &&
		      results[0] == a && indices[0] == 0, "tagged item at the root");
	CHECK(radix_tree_delete(&tree, 0) == a && tree.rnode == NULL && tree.tags == 0,
	      "delete 0");
}

/* Inserts with memory nearly gone: every -ENOMEM must leave the tree as it was. */
static void
test_enomem_leaves_tree_unchanged(void)
{
	struct page *page;

	seed = 0xE0E0;
	kmem_cache_shrink_all();
	while ((page = alloc_page(GFP_KERNEL)) != NULL)
		held[nr_held++] = page;
	memory_may_run_out = true;
	nr_enomem = 0;
	for (unsigned op = 0; op < ENOMEM_OPS; op++) {
		random_op(op % 2 ? SPARSE_SPACE : MIXED_SPACE, ENOMEM_INSERT_PERCENT,
			  ENOMEM_DELETE_PERCENT);
		if (op % RELEASE_EVERY == 0)
			for (unsigned i = 0; i < RELEASE_PAGES && nr_held; i++)
				__free_pages(held[--nr_held], 0);
		if (op % FULL_CHECK_EVERY == 0)
			check_all("enomem");
	}
	check_all("enomem");
	memory_may_run_out = false;
	while (nr_held)
		__free_pages(held[--nr_held], 0);
	CHECK(nr_enomem >= ENOMEM_MIN_FAILURES, "only %lu inserts ran out of memory", nr_enomem);
	drain();
}

/* Runs a case from a clean slate, and cleans up after a failed one. */
static void
reset_tree(void)
{
	memory_may_run_out = false;
	while (nr_held)
		__free_pages(held[--nr_held], 0);
	while (nr_model)
		radix_tree_delete(&tree, model[--nr_model].index);
	memset(nr_tagged, 0, sizeof(nr_tagged));
	INIT_RADIX_TREE(&tree);
}

int
main(void)
{
	shim_make_memory(FRAMES);
	free_boot_range(FIRST_FREE_FRAME, FRAMES);
	kmalloc_init();

	RUN_CASE("radix_edge_indices", test_edge_indices);
	reset_tree();
	RUN_CASE("radix_random_model", test_random_model);
	reset_tree();
	RUN_CASE("radix_enomem_leaves_tree_unchanged", test_enomem_leaves_tree_unchanged);
	reset_tree();
	shim_free_memory();
	HOSTTEST_EXIT();
}
