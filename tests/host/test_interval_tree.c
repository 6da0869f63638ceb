/*
 * tests/host/test_interval_tree.c — the interval tree against a model.
 *
 * The model is an array of slots, each holding an interval or nothing.
 * Long seeded runs insert, remove and move (remove, then insert with a new
 * interval, as rmap does when a VMA's range changes) random intervals, and
 * ask random overlap queries; every query's answer must be exactly the
 * slots whose interval overlaps, in order of start, each once, and
 * interval_tree_check must find the order, the cached subtree maxima and
 * the red-black invariants intact. Intervals are drawn from a small space
 * (many overlaps and equal starts) and from the edges of uint32_t.
 */
#include "hosttest.h"
#include <libk/interval_tree.h>
#include <libk/random.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS   600
#define STEPS   60000
#define QUERIES 3

struct slot {
	struct interval_node it;
	bool present;
	uint32_t start, last;
};

static struct slot slots[SLOTS];
static struct rb_root root;
static int nr_present;

static uint32_t seed;                /* of the xorshift32 stream (libk/random.h) */

static struct slot *slot_of(struct interval_node *n) { return container_of(n, struct slot, it); }

/* Which coordinates a run draws from. */
enum space { SMALL_SPACE, EDGE_SPACE };

/* A random interval [*start, *last] in the given space. */
static void
random_interval(enum space space, uint32_t *start, uint32_t *last)
{
	uint32_t a, b;

	if (space == SMALL_SPACE) {
		a = random_below(&seed, 1000);              /* mostly short, some long: */
		b = a + random_below(&seed, random_below(&seed, 4) ? 8 : 300);
	} else {
		a = random_below(&seed, 3) ? UINT32_MAX - random_below(&seed, 64)
					   : random_below(&seed, 64);
		b = random_below(&seed, 4) ? a + random_below(&seed, 16) : UINT32_MAX;
		if (b < a)                               /* wrapped past UINT32_MAX */
			b = UINT32_MAX;
	}
	*start = a;
	*last = b;
}

static void
insert_slot(int i, enum space space)
{
	random_interval(space, &slots[i].start, &slots[i].last);
	interval_tree_insert(&slots[i].it, slots[i].start, slots[i].last, &root);
	slots[i].present = true;
	nr_present++;
}

static void
remove_slot(int i)
{
	interval_tree_remove(&slots[i].it, &root);
	slots[i].present = false;
	nr_present--;
}

static bool
overlaps(const struct slot *s, uint32_t first, uint32_t last)
{
	return s->start <= last && s->last >= first;
}

/* The tree's answer for [first, last] must be the model's. */
static void
check_query(uint32_t first, uint32_t last)
{
	static bool seen[SLOTS];
	struct interval_node *n;
	uint32_t prev_start = 0;
	int found = 0, expected = 0;

	memset(seen, 0, sizeof(seen));
	interval_tree_for_each(n, &root, first, last) {
		struct slot *s = slot_of(n);
		int i = (int)(s - slots);

		CHECK(s->present, "query [%u,%u] returned removed slot %d", first, last, i);
		CHECK(!seen[i], "query [%u,%u] returned slot %d twice", first, last, i);
		CHECK(overlaps(s, first, last), "query [%u,%u] returned [%u,%u], which misses it",
		      first, last, s->start, s->last);
		CHECK(n->start == s->start && n->last == s->last, "slot %d: node holds [%u,%u], not [%u,%u]",
		      i, n->start, n->last, s->start, s->last);
		CHECK(found == 0 || n->start >= prev_start, "query [%u,%u]: not in order of start", first, last);
		prev_start = n->start;
		seen[i] = true;
		found++;
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].present && overlaps(&slots[i], first, last)) {
			expected++;
			CHECK(seen[i], "query [%u,%u] missed slot %d [%u,%u]", first, last, i,
			      slots[i].start, slots[i].last);
		}
	CHECK(found == expected, "query [%u,%u]: %d answers, model has %d", first, last, found, expected);
}

static void
random_run(enum space space, uint32_t s)
{
	seed = s;
	root = RB_ROOT;
	nr_present = 0;
	memset(slots, 0, sizeof(slots));
	for (int i = 0; i < SLOTS; i++)
		interval_node_init(&slots[i].it);
	for (int step = 0; step < STEPS; step++) {
		int i = random_below(&seed, SLOTS);

		if (!slots[i].present) {
			insert_slot(i, space);
		} else if (random_below(&seed, 3) == 0) {
			remove_slot(i);                  /* moved: out, then in again */
			insert_slot(i, space);
		} else {
			remove_slot(i);
		}
		CHECK(interval_node_linked(&slots[i].it) == slots[i].present,
		      "slot %d: linked %d, present %d", i, interval_node_linked(&slots[i].it),
		      slots[i].present);
		if (step % 61 == 0 || step < 1000)
			CHECK(interval_tree_check(&root) >= 0, "step %d: tree invariants broken", step);
		for (int q = 0; q < QUERIES; q++) {
			uint32_t first, last;

			random_interval(space, &first, &last);
			check_query(first, last);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].present)
			remove_slot(i);
	CHECK(RB_EMPTY_ROOT(&root) && nr_present == 0, "tree not empty after removing every slot");
}

static void
case_random_small_space(void)
{
	random_run(SMALL_SPACE, 2024);
	random_run(SMALL_SPACE, 0x9e3779b9u);
}

static void
case_random_edges(void)
{
	random_run(EDGE_SPACE, 7);
}

/* The shape rmap gives it: one VMA per page, 1,000 of them side by side;
 * each point query finds exactly its own, the whole range finds all in
 * order. */
static void
case_adjacent_points(void)
{
	struct interval_node *n;
	uint32_t expect = 0;

	root = RB_ROOT;
	memset(slots, 0, sizeof(slots));
	for (uint32_t i = 0; i < SLOTS; i++)
		interval_tree_insert(&slots[i].it, 1000 + i, 1000 + i, &root);
	CHECK(interval_tree_check(&root) >= 0, "tree invariants broken");
	for (uint32_t i = 0; i < SLOTS; i++) {
		n = interval_tree_iter_first(&root, 1000 + i, 1000 + i);
		CHECK(n == &slots[i].it, "point %u: found %p, not its own node", 1000 + i, (void *)n);
		CHECK(interval_tree_iter_next(n, 1000 + i, 1000 + i) == NULL, "point %u: a second answer",
		      1000 + i);
	}
	CHECK(interval_tree_iter_first(&root, 0, 999) == NULL, "an answer below every interval");
	CHECK(interval_tree_iter_first(&root, 1000 + SLOTS, UINT32_MAX) == NULL,
	      "an answer above every interval");
	interval_tree_for_each(n, &root, 0, UINT32_MAX) {
		CHECK(n == &slots[expect].it, "full range: answer %u out of order", expect);
		expect++;
	}
	CHECK(expect == SLOTS, "full range: %u answers, not %d", expect, SLOTS);
}

/* A node whose cached maximum was damaged must be reported: the checker
 * the kernel relies on can say no. */
static void
case_check_finds_damage(void)
{
	root = RB_ROOT;
	memset(slots, 0, sizeof(slots));
	for (uint32_t i = 0; i < 50; i++)
		interval_tree_insert(&slots[i].it, i * 10, i * 10 + 25, &root);
	CHECK(interval_tree_check(&root) >= 0, "a fresh tree fails the check");
	rb_entry(root.rb_node, struct interval_node, rb)->subtree_last++;
	CHECK(interval_tree_check(&root) < 0, "a wrong subtree_last went unnoticed");
	rb_entry(root.rb_node, struct interval_node, rb)->subtree_last--;
	slots[3].it.start = 1000;                        /* out of order */
	CHECK(interval_tree_check(&root) < 0, "a node out of order went unnoticed");
}

int
main(void)
{
	RUN_CASE("interval_tree_random_small_space", case_random_small_space);
	RUN_CASE("interval_tree_random_edges", case_random_edges);
	RUN_CASE("interval_tree_adjacent_points", case_adjacent_points);
	RUN_CASE("interval_tree_check_finds_damage", case_check_finds_damage);
	HOSTTEST_EXIT();
}
