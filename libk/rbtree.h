/*
 * libk/rbtree.h — intrusive red-black trees.
 *
 * A struct rb_node is embedded in the object it orders; the caller walks
 * down from root->rb_node comparing keys, links the new node where the
 * search ended (rb_link_node) and then rebalances (rb_insert_color).
 * The tree stays balanced: no red node has a red child, and every path
 * from a node down to a leaf crosses the same number of black nodes, so
 * its height is at most 2 log2(n + 1).
 *
 * Augmented trees keep, in each node, a value computed from its subtree
 * (libk/interval_tree.c keeps the largest interval end below each node).
 * The callbacks tell the tree how to maintain it:
 *   propagate(n, stop)  recompute n and its ancestors, stopping at stop;
 *                       it may also stop at the first node whose value
 *                       did not change (the tree calls it so that nothing
 *                       above such a node needs recomputing)
 *   copy(old, new)      new takes old's place: copy the value
 *   rotate(old, new)    new became old's parent by a rotation: new gets
 *                       old's value (same subtree), old is recomputed
 * Contract of rb_insert_augmented: before calling it, the caller has
 * linked the node and set the values of the node and all its ancestors
 * as if no rebalancing were needed.
 */
#ifndef LIBK_RBTREE_H
#define LIBK_RBTREE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <libk/list.h>

struct rb_node {
	uintptr_t parent_color;          /* parent pointer | colour in bit 0 */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new);
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

#define RB_RED   0
#define RB_BLACK 1

#define RB_ROOT (struct rb_root){ NULL }
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define RB_EMPTY_ROOT(root) ((root)->rb_node == NULL)
/* A node that is not in any tree points at itself. */
#define RB_EMPTY_NODE(node) ((node)->parent_color == (uintptr_t)(node))
#define RB_CLEAR_NODE(node) ((node)->parent_color = (uintptr_t)(node))

static inline struct rb_node *rb_parent(const struct rb_node *n)
{
	return (struct rb_node *)(n->parent_color & ~(uintptr_t)3);
}

/* Puts node (with no children) at *link under parent, coloured red. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->parent_color = (uintptr_t)parent | RB_RED;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			 const struct rb_augment_callbacks *cb);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
			const struct rb_augment_callbacks *cb);
/* new takes victim's place (same position in the order); no rebalancing. */
void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root);

struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

/* The black height of the tree, or -1 if a red-black or parent-pointer
 * invariant is broken (for tests). */
int rb_check(const struct rb_root *root);

#endif
