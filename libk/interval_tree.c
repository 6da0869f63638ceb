/*
 * libk/interval_tree.c — intervals in an augmented red-black tree (see
 * interval_tree.h for the picture).
 *
 * Invariant, besides the red-black ones: for every node,
 *   subtree_last == max(last, left->subtree_last, right->subtree_last)
 * (a missing child counts for nothing). Insertion raises subtree_last on
 * the way down and the rbtree's augment callbacks keep it through
 * rotations and erasure.
 *
 * The queries are inline in interval_tree.h. Why a query may skip what
 * it skips: nodes are in order of start, so once a node starts after the
 * query's last, so does everything after it in order; and a subtree whose
 * subtree_last is below the query's first holds no interval reaching the
 * query.
 *
 * No locking: callers serialise access to a tree.
 */
#include <libk/interval_tree.h>

/* What n->subtree_last should be, given its children's. */
static uint32_t
compute_subtree_last(const struct interval_node *n)
{
	const struct interval_node *left = interval_node_of(n->rb.rb_left);
	const struct interval_node *right = interval_node_of(n->rb.rb_right);
	uint32_t max = n->last;

	if (left && left->subtree_last > max)
		max = left->subtree_last;
	if (right && right->subtree_last > max)
		max = right->subtree_last;
	return max;
}

/* ---- augment callbacks (contract in libk/rbtree.h) ---------------------- */

static void
augment_propagate(struct rb_node *rb, struct rb_node *stop)
{
	while (rb != stop) {
		struct interval_node *n = interval_node_of(rb);
		uint32_t max = compute_subtree_last(n);

		if (n->subtree_last == max)
			break;                   /* nothing above changes either */
		n->subtree_last = max;
		rb = rb_parent(rb);
	}
}

static void
augment_copy(struct rb_node *old, struct rb_node *new)
{
	interval_node_of(new)->subtree_last = interval_node_of(old)->subtree_last;
}

static void
augment_rotate(struct rb_node *old, struct rb_node *new)
{
	interval_node_of(new)->subtree_last = interval_node_of(old)->subtree_last;
	interval_node_of(old)->subtree_last = compute_subtree_last(interval_node_of(old));
}

static const struct rb_augment_callbacks interval_augment = {
	augment_propagate, augment_copy, augment_rotate,
};

/* ---- changing the set --------------------------------------------------- */

void
interval_tree_insert(struct interval_node *node, uint32_t start, uint32_t last,
		     struct rb_root *root)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	node->start = start;
	node->last = last;
	node->subtree_last = last;
	while (*link) {
		struct interval_node *p = interval_node_of(*link);

		parent = *link;
		if (p->subtree_last < last)
			p->subtree_last = last;  /* node will be in p's subtree */
		link = start < p->start ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&node->rb, parent, link);
	rb_insert_augmented(&node->rb, root, &interval_augment);
}

void
interval_tree_remove(struct interval_node *node, struct rb_root *root)
{
	rb_erase_augmented(&node->rb, root, &interval_augment);
}

/* ---- checking ----------------------------------------------------------- */

/* True if n's subtree is in order of start within [lo, hi] and every
 * cached subtree_last in it is right. */
static bool
subtree_ok(const struct interval_node *n, uint32_t lo, uint32_t hi)
{
	if (!n)
		return true;
	if (n->start < lo || n->start > hi || n->start > n->last ||
	    n->subtree_last != compute_subtree_last(n))
		return false;
	return subtree_ok(interval_node_of(n->rb.rb_left), lo, n->start) &&
	       subtree_ok(interval_node_of(n->rb.rb_right), n->start, hi);
}

int
interval_tree_check(const struct rb_root *root)
{
	int height = rb_check(root);

	if (height < 0 || !subtree_ok(interval_node_of(root->rb_node), 0, UINT32_MAX))
		return -1;
	return height;
}
