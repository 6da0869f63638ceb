/*
 * libk/radix_tree.h — a radix tree: a sparse array of pointers indexed by
 * a 32-bit integer, as Linux's page cache used from 2.5 to 4.19.
 *
 * Each node has 64 slots (6 bits of the index per level); the tree is as
 * tall as the largest index needs (an index < 64 needs one level, a full
 * 32-bit index six), and grows and shrinks at the top. A lookup is one
 * array step per level. Each node also keeps, per tag, a bitmap of which
 * slots have a tagged item below them, so "the next dirty page" is found
 * by following set bits, not by scanning (tags 0 and 1).
 *
 * Items are non-NULL pointers with bit 0 clear. The tree allocates its
 * nodes from a slab cache of its own ("radix_tree_node", made on first
 * use; it never sleeps) and frees them when they empty. A failed insert
 * leaves the tree as it was. It takes no lock: its user serialises
 * changes and lookups (the page cache holds mapping->tree_lock).
 */
#ifndef LIBK_RADIX_TREE_H
#define LIBK_RADIX_TREE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define RADIX_TREE_MAP_SHIFT 6
#define RADIX_TREE_MAP_SIZE  (1u << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAX_TAGS  2

struct radix_tree_node;

struct radix_tree_root {
	unsigned height;                  /* levels; 0: empty, or one item at index 0 */
	void *rnode;                      /* the top node (height > 0) or the item */
	uint8_t tags;                     /* bit t: some item carries tag t */
};

#define RADIX_TREE_INIT { 0, NULL, 0 }
static inline void INIT_RADIX_TREE(struct radix_tree_root *root)
{
	root->height = 0;
	root->rnode = NULL;
	root->tags = 0;
}

/* Stores item at index: 0, -EEXIST if a slot is taken, -ENOMEM. */
int radix_tree_insert(struct radix_tree_root *root, uint32_t index, void *item);
/* The item at index, or NULL. */
void *radix_tree_lookup(const struct radix_tree_root *root, uint32_t index);
/* The slot holding the item at index (to replace it in place, with
 * another item: non-NULL, bit 0 clear; its tags stay), or NULL if there
 * is no item there. */
void **radix_tree_lookup_slot(struct radix_tree_root *root, uint32_t index);
/* Removes and returns the item at index (NULL if none), with its tags;
 * frees the nodes that become empty and shrinks the tree. */
void *radix_tree_delete(struct radix_tree_root *root, uint32_t index);

/* Tags of the item at index (which must exist for set). */
void radix_tree_tag_set(struct radix_tree_root *root, uint32_t index, unsigned tag);
void radix_tree_tag_clear(struct radix_tree_root *root, uint32_t index, unsigned tag);
bool radix_tree_tag_get(const struct radix_tree_root *root, uint32_t index, unsigned tag);
/* Does any item carry tag? */
static inline bool radix_tree_tagged(const struct radix_tree_root *root, unsigned tag)
{
	return root->tags & (1u << tag);
}

/* Up to max items with index >= first, in index order, into results (and
 * their indices into indices, unless NULL); how many were found. */
unsigned radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
				uint32_t *indices, uint32_t first, unsigned max);
/* The same, only items that carry tag. */
unsigned radix_tree_gang_lookup_tag(const struct radix_tree_root *root, void **results,
				    uint32_t *indices, uint32_t first, unsigned max,
				    unsigned tag);

/* Checks every invariant of the tree (radix_tree.c): the number of nodes
 * it holds, or -1 if one is broken. For tests. */
int radix_tree_check(const struct radix_tree_root *root);

#endif
