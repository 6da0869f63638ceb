/*
 * libk/interval_tree.h — a set of closed intervals [start, last] of
 * uint32_t that answers "which of them overlap [first, last]?" in
 * O(log n + k) for k answers.
 *
 * It is an augmented red-black tree (libk/rbtree.h): nodes are ordered by
 * start (equal starts keep insertion order), and each node also caches
 * subtree_last, the largest last in its subtree. A query goes down only
 * into subtrees whose subtree_last reaches first, and stops at the first
 * node, in order, that starts after last:
 *
 *                      [5,9] sl=30
 *                     /           \
 *             [2,3] sl=3        [12,30] sl=30
 *                              /
 *                       [10,11] sl=11
 *
 *   query [8,10]: the left subtree ends at 3 < 8, skipped; [5,9] and
 *   [10,11] overlap; [12,30] starts after 10, so the walk ends there.
 *
 * An object is put in a tree by embedding a struct interval_node in it:
 *
 *   interval_tree_insert(&obj->it, start, last, &root);
 *   for (n = interval_tree_iter_first(&root, first, last); n;
 *        n = interval_tree_iter_next(n, first, last))
 *           use(container_of(n, struct obj, it));
 *
 * The interval is copied into the node when it is inserted: to change it,
 * remove the node and insert it again (the tree would be misordered if
 * the copy changed in place).
 *
 * No locking: callers serialise every access to a tree, lookups included.
 */
#ifndef LIBK_INTERVAL_TREE_H
#define LIBK_INTERVAL_TREE_H

#include <libk/rbtree.h>

struct interval_node {
	struct rb_node rb;
	uint32_t start;               /* the interval, both ends included: */
	uint32_t last;                /* start <= last */
	uint32_t subtree_last;        /* the largest last in this node's subtree */
};

/* Marks node as in no tree (interval_node_linked says false). */
static inline void interval_node_init(struct interval_node *node)
{
	RB_CLEAR_NODE(&node->rb);
}

static inline bool interval_node_linked(const struct interval_node *node)
{
	return !RB_EMPTY_NODE(&node->rb);
}

/* Adds node, in no tree, as the interval [start, last] (start <= last). */
void interval_tree_insert(struct interval_node *node, uint32_t start, uint32_t last,
			  struct rb_root *root);
/* Takes node out of the tree; it is then in no tree. */
void interval_tree_remove(struct interval_node *node, struct rb_root *root);

/*
 * Queries. They are inline because a reverse-mapping walk runs one step
 * per VMA it visits: a call per step would cost more than the step.
 *
 *   interval_tree_iter_first(root, first, last)  the first node, in order
 *       of start, whose interval overlaps [first, last] (first <= last);
 *       NULL if none
 *   interval_tree_iter_next(node, first, last)   the next one after node,
 *       in order; NULL when there is none
 */
static inline struct interval_node *
interval_node_of(const struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct interval_node, rb) : NULL;
}

/* The first node in order in n's subtree that overlaps [first, last],
 * given that n->subtree_last >= first (some interval below reaches first).
 * The first node L in order that reaches first is the only candidate:
 * those before it end too early, and if L starts after last, so does
 * everything after it. */
static inline struct interval_node *
interval_first_overlap_below(struct interval_node *n, uint32_t first, uint32_t last)
{
	for (;;) {
		struct interval_node *left = interval_node_of(n->rb.rb_left), *right;

		if (left && left->subtree_last >= first) {
			n = left;                /* L is on the left */
			continue;
		}
		if (n->start > last)
			return NULL;             /* L is n or after it: too late */
		if (n->last >= first)
			return n;                /* L is n */
		right = interval_node_of(n->rb.rb_right);
		if (!right || right->subtree_last < first)
			return NULL;
		n = right;                       /* L is on the right */
	}
}

static inline struct interval_node *
interval_tree_iter_first(const struct rb_root *root, uint32_t first, uint32_t last)
{
	struct interval_node *top = interval_node_of(root->rb_node);

	if (!top || top->subtree_last < first)
		return NULL;
	return interval_first_overlap_below(top, first, last);
}

static inline struct interval_node *
interval_tree_iter_next(const struct interval_node *node, uint32_t first, uint32_t last)
{
	const struct rb_node *rb = &node->rb;

	for (;;) {
		struct interval_node *right = interval_node_of(rb->rb_right), *n;
		struct rb_node *parent;

		if (right && right->subtree_last >= first)
			return interval_first_overlap_below(right, first, last);
		/* nothing on the right: up to the first ancestor we are left of */
		while ((parent = rb_parent(rb)) && parent->rb_right == rb)
			rb = parent;
		if (!parent)
			return NULL;
		rb = parent;
		n = interval_node_of(parent);
		if (n->start > last)
			return NULL;
		if (n->last >= first)
			return n;
	}
}

#define interval_tree_for_each(node, root, first, last)                        \
	for ((node) = interval_tree_iter_first(root, first, last); (node);     \
	     (node) = interval_tree_iter_next(node, first, last))

/* For tests and checkers: the tree's black height, or -1 if a red-black
 * invariant, the order by start or a cached subtree_last is wrong. */
int interval_tree_check(const struct rb_root *root);

#endif
