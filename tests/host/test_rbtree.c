/*
 * tests/host/test_rbtree.c — the red-black tree against a model.
 *
 * Long seeded sequences of inserts and erases of integer keys; after every
 * step the tree's in-order walk must equal the model (a presence bitmap),
 * rb_check must find the colour and parent invariants intact, and
 * rb_first/rb_last/rb_next/rb_prev must agree. The augmented case keeps
 * the subtree maximum of a per-node value and recomputes it after every
 * step, once with a propagate callback that recomputes up to the root and
 * once with one that stops at the first unchanged node.
 */
#include "hosttest.h"
#include <libk/rbtree.h>
#include <libk/random.h>
#include <stdlib.h>
#include <string.h>

#define KEYS 512
#define STEPS 100000

struct item {
	struct rb_node rb;
	int key;
	int value;          /* augmented case: a payload */
	int subtree_max;    /* augmented case: max value in the subtree */
};

static struct item items[KEYS];
static bool present[KEYS];
static struct rb_root root;

static uint32_t seed;                /* of the xorshift32 stream (libk/random.h) */

static struct item *item_of(struct rb_node *n) { return rb_entry(n, struct item, rb); }

/* ---- augmented maintenance: subtree_max ---- */

static int
compute_max(struct item *it)
{
	int m = it->value;

	if (it->rb.rb_left && item_of(it->rb.rb_left)->subtree_max > m)
		m = item_of(it->rb.rb_left)->subtree_max;
	if (it->rb.rb_right && item_of(it->rb.rb_right)->subtree_max > m)
		m = item_of(it->rb.rb_right)->subtree_max;
	return m;
}

static void
aug_propagate(struct rb_node *n, struct rb_node *stop)
{
	for (; n != stop; n = rb_parent(n))
		item_of(n)->subtree_max = compute_max(item_of(n));
}

static void
aug_copy(struct rb_node *old, struct rb_node *new)
{
	item_of(new)->subtree_max = item_of(old)->subtree_max;
}

static void
aug_rotate(struct rb_node *old, struct rb_node *new)
{
	item_of(new)->subtree_max = item_of(old)->subtree_max;
	item_of(old)->subtree_max = compute_max(item_of(old));
}

static const struct rb_augment_callbacks aug = { aug_propagate, aug_copy, aug_rotate };

/* The same, but propagation stops at the first node whose value does not
 * change (as the interval tree's does): the tree must call it so that
 * nothing above such a node can be stale. */
static void
aug_propagate_early(struct rb_node *n, struct rb_node *stop)
{
	for (; n != stop; n = rb_parent(n)) {
		int m = compute_max(item_of(n));

		if (item_of(n)->subtree_max == m)
			break;
		item_of(n)->subtree_max = m;
	}
}

static const struct rb_augment_callbacks aug_early = { aug_propagate_early, aug_copy, aug_rotate };
static const struct rb_augment_callbacks *augment = &aug;

static void
insert(int key, bool augmented)
{
	struct rb_node **link = &root.rb_node, *parent = NULL;
	struct item *it = &items[key];

	while (*link) {
		parent = *link;
		link = key < item_of(parent)->key ? &parent->rb_left : &parent->rb_right;
	}
	it->key = key;
	rb_link_node(&it->rb, parent, link);
	if (augmented) {
		it->subtree_max = it->value;
		aug_propagate(&it->rb, NULL);
		rb_insert_augmented(&it->rb, &root, augment);
	} else {
		rb_insert_color(&it->rb, &root);
	}
	present[key] = true;
}

static void
erase(int key, bool augmented)
{
	if (augmented)
		rb_erase_augmented(&items[key].rb, &root, augment);
	else
		rb_erase(&items[key].rb, &root);
	present[key] = false;
}

static void
check_against_model(bool augmented)
{
	struct rb_node *n = rb_first(&root), *prev = NULL;

	CHECK(rb_check(&root) >= 0, "red-black invariants broken");
	for (int k = 0; k < KEYS; k++) {
		if (!present[k])
			continue;
		CHECK(n && item_of(n)->key == k, "in-order walk: expected key %d, got %d", k,
		      n ? item_of(n)->key : -1);
		CHECK(rb_prev(n) == prev, "rb_prev of key %d is wrong", k);
		if (augmented)
			CHECK(item_of(n)->subtree_max == compute_max(item_of(n)),
			      "key %d caches max %d, real %d", k, item_of(n)->subtree_max,
			      compute_max(item_of(n)));
		prev = n;
		n = rb_next(n);
	}
	CHECK(n == NULL, "tree has keys the model lacks");
	CHECK(rb_last(&root) == prev, "rb_last disagrees");
}

static void
random_run(bool augmented, uint32_t s)
{
	seed = s;
	root = RB_ROOT;
	memset(present, 0, sizeof(present));
	for (int k = 0; k < KEYS; k++)
		items[k].value = (int)random_below(&seed, 100000);
	for (int step = 0; step < STEPS; step++) {
		int key = random_below(&seed, KEYS);

		if (present[key])
			erase(key, augmented);
		else
			insert(key, augmented);
		if (step % 97 == 0 || step < 2000)
			check_against_model(augmented);
	}
	for (int k = 0; k < KEYS; k++)
		if (present[k])
			erase(k, augmented);
	CHECK(RB_EMPTY_ROOT(&root), "tree not empty after erasing every key");
}

static void
case_insert_erase_random(void)
{
	random_run(false, 12345);
	random_run(false, 987654321);
}

static void
case_augmented_max(void)
{
	random_run(true, 4242);
	random_run(true, 77);
}

static void
case_augmented_early_stop(void)
{
	augment = &aug_early;
	random_run(true, 4242);
	random_run(true, 31337);
	augment = &aug;
}

static void
case_replace(void)
{
	struct item spare = { .key = 10 };

	root = RB_ROOT;
	memset(present, 0, sizeof(present));
	for (int k = 0; k < 20; k++)
		insert(k, false);
	rb_replace_node(&items[10].rb, &spare.rb, &root);
	CHECK(rb_check(&root) >= 0, "invariants broken by rb_replace_node");
	CHECK(RB_EMPTY_NODE(&items[10].rb), "the victim still looks linked");
	CHECK(rb_next(&items[9].rb) == &spare.rb && rb_prev(&items[11].rb) == &spare.rb,
	      "the replacement is not in the victim's place");
}

static void
case_sorted_inserts_stay_balanced(void)
{
	int height;

	root = RB_ROOT;
	memset(present, 0, sizeof(present));
	for (int k = 0; k < KEYS; k++)
		insert(k, false);
	height = rb_check(&root);
	/* black height of a valid tree of n nodes is at most log2(n + 1) + 1 */
	CHECK(height > 0 && height <= 10, "black height %d for %d sorted inserts", height, KEYS);
}

int
main(void)
{
	RUN_CASE("rbtree_insert_erase_random", case_insert_erase_random);
	RUN_CASE("rbtree_augmented_max", case_augmented_max);
	RUN_CASE("rbtree_augmented_early_stop", case_augmented_early_stop);
	RUN_CASE("rbtree_replace", case_replace);
	RUN_CASE("rbtree_sorted_inserts_balanced", case_sorted_inserts_stay_balanced);
	HOSTTEST_EXIT();
}
