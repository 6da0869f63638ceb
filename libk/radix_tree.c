/*
 * libk/radix_tree.c — the radix tree of radix_tree.h: lookup, insertion
 * and deletion, growing and shrinking at the top, tags, gang lookups.
 *
 * A node at level L (1: the nodes that hold items) picks its slot with
 * bits [6(L-1), 6L) of the index. A tree of height 2 holding index 69:
 *
 *   root (height 2) --> node, level 2: slots[69 >> 6 = 1]
 *                         --> node, level 1: slots[69 & 63 = 5] --> item
 *
 * Each node has a bitmap per tag and one of its used slots
 * (bits[SLOTS_USED]); lookups step one slot per level, gang lookups jump
 * from set bit to set bit, so empty and untagged slots cost nothing.
 *
 * Invariants:
 *   - root->rnode == NULL iff the tree is empty, and then height == 0.
 *     At height 0 rnode is the item at index 0 itself.
 *   - height is the least that holds the largest index: the top node
 *     uses some slot other than slot 0 (else it is shrunk away).
 *   - bits[SLOTS_USED] bit i is set iff slots[i] != NULL; no node in the
 *     tree is empty (an emptied node is freed at once).
 *   - bits[t] bit i is set iff slots[i] is an item with tag t (level 1)
 *     or a node whose bits[t] is not zero.
 *   - root->tags bit t is set iff some item has tag t: iff the top
 *     node's bits[t] is not zero (at height 0: the item has tag t).
 *
 * Insertion first counts and allocates every node it will link (at most
 * one per level plus one per level grown), then links them: running out
 * of memory leaves the tree untouched. Nodes come from a slab cache made
 * on first use.
 *
 * No locking: callers serialise access to a tree.
 */
#include <libk/radix_tree.h>
#include <mm/slab.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

#define RADIX_TREE_MAP_MASK    (RADIX_TREE_MAP_SIZE - 1)
#define INDEX_BITS             32
/* Levels a full index needs: 6 (they cover 36 bits). */
#define RADIX_TREE_MAX_HEIGHT  ((INDEX_BITS + RADIX_TREE_MAP_SHIFT - 1) / RADIX_TREE_MAP_SHIFT)
/* The bitmap of used slots, after the tag bitmaps in node->bits[]. */
#define SLOTS_USED             RADIX_TREE_MAX_TAGS
#define ITEM_RESERVED_BITS     ((uintptr_t)1)   /* an item's bit 0 must be clear */
/* Most nodes one insertion links: a new path below the top, plus the
 * levels grown above the old top. */
#define MAX_INSERT_NODES       (2 * RADIX_TREE_MAX_HEIGHT)

typedef uint64_t slot_map;     /* bit i stands for slots[i] */
#define HALF_MAP_BITS          32

struct radix_tree_node {
	slot_map bits[RADIX_TREE_MAX_TAGS + 1];  /* per tag, then SLOTS_USED */
	void *slots[RADIX_TREE_MAP_SIZE];
};

_Static_assert(sizeof(slot_map) * 8 == RADIX_TREE_MAP_SIZE, "one bit per slot");

static struct kmem_cache *node_cache;

/* ---- index arithmetic --------------------------------------------------- */

/* The largest index a tree of the given height holds. */
static inline uint32_t
max_index(unsigned height)
{
	unsigned bits = height * RADIX_TREE_MAP_SHIFT;

	return bits >= INDEX_BITS ? UINT32_MAX : (1u << bits) - 1;
}

/* The least height that holds index. */
static unsigned
height_for(uint32_t index)
{
	unsigned height = 0;

	while (index > max_index(height))
		height++;
	return height;
}

/* How far a node at level shifts the index to find its slot. */
static inline unsigned
level_shift(unsigned level)
{
	return (level - 1) * RADIX_TREE_MAP_SHIFT;
}

/* The slot that leads to index in a node at level. */
static inline unsigned
slot_offset(uint32_t index, unsigned level)
{
	return (index >> level_shift(level)) & RADIX_TREE_MAP_MASK;
}

static inline slot_map
slot_bit(unsigned offset)
{
	return (slot_map)1 << offset;
}

/* The first set bit of map at or after offset, or RADIX_TREE_MAP_SIZE.
 * In 32-bit halves: on i386 a 64-bit count would call into libgcc. */
static inline unsigned
next_set_bit(slot_map map, unsigned offset)
{
	uint32_t low, high;

	map &= ~(slot_map)0 << offset;
	low = (uint32_t)map;
	high = (uint32_t)(map >> HALF_MAP_BITS);
	if (low)
		return (unsigned)__builtin_ctz(low);
	if (high)
		return HALF_MAP_BITS + (unsigned)__builtin_ctz(high);
	return RADIX_TREE_MAP_SIZE;
}

static inline uint8_t
tag_bit(unsigned tag)
{
	return (uint8_t)(1u << tag);
}

/* ---- nodes -------------------------------------------------------------- */

/* Nodes allocated before an insertion changes anything. */
struct node_reserve {
	unsigned nr;
	struct radix_tree_node *node[MAX_INSERT_NODES];
};

/* Fills r with nr zeroed nodes: 0, or -ENOMEM with none taken. */
static int
reserve_nodes(struct node_reserve *r, unsigned nr)
{
	BUG_ON(nr > MAX_INSERT_NODES);
	r->nr = 0;
	if (nr == 0)
		return 0;
	if (!node_cache)
		node_cache = kmem_cache_create("radix_tree_node", sizeof(struct radix_tree_node), 0);
	if (!node_cache)
		return -ENOMEM;
	while (r->nr < nr) {
		struct radix_tree_node *node = kmem_cache_zalloc(node_cache);

		if (!node) {
			while (r->nr > 0)
				kmem_cache_free(node_cache, r->node[--r->nr]);
			return -ENOMEM;
		}
		r->node[r->nr++] = node;
	}
	return 0;
}

static struct radix_tree_node *
take_node(struct node_reserve *r)
{
	BUG_ON(r->nr == 0);
	return r->node[--r->nr];
}

/* Frees a node that no longer holds anything. */
static void
free_node(struct radix_tree_node *node)
{
	for (unsigned i = 0; i <= SLOTS_USED; i++)
		BUG_ON(node->bits[i] != 0);
	kmem_cache_free(node_cache, node);
}

/* ---- lookup ------------------------------------------------------------- */

/* The slot for index (root->rnode itself at height 0), or NULL if a node
 * on the way there is missing. */
static inline void **
find_slot(const struct radix_tree_root *root, uint32_t index)
{
	unsigned height = root->height, shift;
	struct radix_tree_node *node;

	if (index > max_index(height))
		return NULL;
	if (height == 0)
		return (void **)&root->rnode;
	node = root->rnode;
	shift = level_shift(height);
	for (;;) {
		void **slot = &node->slots[(index >> shift) & RADIX_TREE_MAP_MASK];

		if (shift == 0)
			return slot;
		node = *slot;
		if (!node)
			return NULL;
		shift -= RADIX_TREE_MAP_SHIFT;
	}
}

void *
radix_tree_lookup(const struct radix_tree_root *root, uint32_t index)
{
	void **slot = find_slot(root, index);

	return slot ? *slot : NULL;
}

void **
radix_tree_lookup_slot(struct radix_tree_root *root, uint32_t index)
{
	void **slot = find_slot(root, index);

	return slot && *slot ? slot : NULL;
}

/* The nodes from the top down to the one holding index's slot, and the
 * slot taken in each, by level (delete and tag_clear climb back up it). */
struct path {
	struct radix_tree_node *node[RADIX_TREE_MAX_HEIGHT + 1];
	unsigned offset[RADIX_TREE_MAX_HEIGHT + 1];
};

/* Fills path down to index; returns the item there, or NULL (the path
 * then stops where the tree does). */
static void *
walk_path(const struct radix_tree_root *root, uint32_t index, struct path *path)
{
	void *entry = root->rnode;

	if (index > max_index(root->height))
		return NULL;
	for (unsigned level = root->height; level > 0 && entry; level--) {
		struct radix_tree_node *node = entry;
		unsigned offset = slot_offset(index, level);

		path->node[level] = node;
		path->offset[level] = offset;
		entry = node->slots[offset];
	}
	return entry;
}

/* ---- insertion ---------------------------------------------------------- */

/* How many nodes inserting at index (free, and held by no node yet) will
 * link: the levels grown, and the missing part of index's path. */
static unsigned
nodes_to_insert(const struct radix_tree_root *root, uint32_t index)
{
	unsigned need = height_for(index), level;
	const struct radix_tree_node *node = root->rnode;

	if (!node)
		return need;
	if (need > root->height)         /* the new top's slot for index is not 0: */
		return (need - root->height) + (need - 1);   /* a whole new path */
	for (level = root->height; level > 1; level--) {
		node = node->slots[slot_offset(index, level)];
		if (!node)
			return level - 1;
	}
	return 0;
}

/* Adds levels on top until the tree is height tall; the old top becomes
 * slot 0 of the new one, with its tags. */
static void
grow(struct radix_tree_root *root, unsigned height, struct node_reserve *r)
{
	if (!root->rnode) {              /* nothing to carry: the path comes later */
		if (height > root->height)
			root->height = height;
		return;
	}
	while (root->height < height) {
		struct radix_tree_node *node = take_node(r);

		node->slots[0] = root->rnode;
		node->bits[SLOTS_USED] = slot_bit(0);
		for (unsigned tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
			if (root->tags & tag_bit(tag))
				node->bits[tag] = slot_bit(0);
		root->rnode = node;
		root->height++;
	}
}

/* Stores item at index (which the tree is tall enough for), linking
 * reserved nodes where index's path is missing. */
static void
store(struct radix_tree_root *root, uint32_t index, void *item, struct node_reserve *r)
{
	void **slot = &root->rnode;
	struct radix_tree_node *parent = NULL;
	unsigned offset = 0;

	for (unsigned level = root->height; level > 0; level--) {
		if (!*slot) {
			*slot = take_node(r);
			if (parent)
				parent->bits[SLOTS_USED] |= slot_bit(offset);
		}
		parent = *slot;
		offset = slot_offset(index, level);
		slot = &parent->slots[offset];
	}
	*slot = item;
	if (parent)
		parent->bits[SLOTS_USED] |= slot_bit(offset);
}

int
radix_tree_insert(struct radix_tree_root *root, uint32_t index, void *item)
{
	struct node_reserve reserve;
	int err;

	BUG_ON(!item || ((uintptr_t)item & ITEM_RESERVED_BITS));
	if (radix_tree_lookup(root, index))
		return -EEXIST;
	err = reserve_nodes(&reserve, nodes_to_insert(root, index));
	if (err)
		return err;
	grow(root, height_for(index), &reserve);
	store(root, index, item, &reserve);
	BUG_ON(reserve.nr != 0);
	return 0;
}

/* ---- deletion ----------------------------------------------------------- */

/* Clears tag on the item path leads to, and on each node above it that no
 * longer leads to a tagged item; and in root->tags if none is left. */
static void
clear_tag_upwards(struct radix_tree_root *root, const struct path *path, unsigned tag)
{
	for (unsigned level = 1; level <= root->height; level++) {
		struct radix_tree_node *node = path->node[level];

		node->bits[tag] &= ~slot_bit(path->offset[level]);
		if (node->bits[tag])
			return;
	}
	root->tags &= ~tag_bit(tag);
}

/* While the top node uses only slot 0, makes that slot the top. */
static void
shrink(struct radix_tree_root *root)
{
	while (root->height > 0) {
		struct radix_tree_node *top = root->rnode;

		if (top->bits[SLOTS_USED] != slot_bit(0))
			return;
		root->rnode = top->slots[0];     /* its tags are root->tags already */
		root->height--;
		for (unsigned i = 0; i <= SLOTS_USED; i++)
			top->bits[i] = 0;
		free_node(top);
	}
}

/* Empties the slot path leads to (its tags already cleared), frees the
 * nodes that become empty, and shrinks the tree. */
static void
remove_slot(struct radix_tree_root *root, const struct path *path)
{
	for (unsigned level = 1; level <= root->height; level++) {
		struct radix_tree_node *node = path->node[level];
		unsigned offset = path->offset[level];

		node->slots[offset] = NULL;
		node->bits[SLOTS_USED] &= ~slot_bit(offset);
		if (node->bits[SLOTS_USED]) {
			shrink(root);
			return;
		}
		free_node(node);
	}
	root->rnode = NULL;              /* the top node went too */
	root->height = 0;
}

void *
radix_tree_delete(struct radix_tree_root *root, uint32_t index)
{
	struct path path;
	void *item = walk_path(root, index, &path);

	if (!item)
		return NULL;
	if (root->height == 0) {
		root->rnode = NULL;
		root->tags = 0;
		return item;
	}
	for (unsigned tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
		if (path.node[1]->bits[tag] & slot_bit(path.offset[1]))
			clear_tag_upwards(root, &path, tag);
	remove_slot(root, &path);
	return item;
}

/* ---- tags --------------------------------------------------------------- */

void
radix_tree_tag_set(struct radix_tree_root *root, uint32_t index, unsigned tag)
{
	struct radix_tree_node *node = root->rnode;

	BUG_ON(tag >= RADIX_TREE_MAX_TAGS);
	BUG_ON(!radix_tree_lookup(root, index));
	for (unsigned level = root->height; level > 0; level--) {
		unsigned offset = slot_offset(index, level);

		node->bits[tag] |= slot_bit(offset);
		node = node->slots[offset];
	}
	root->tags |= tag_bit(tag);
}

void
radix_tree_tag_clear(struct radix_tree_root *root, uint32_t index, unsigned tag)
{
	struct path path;

	BUG_ON(tag >= RADIX_TREE_MAX_TAGS);
	if (!walk_path(root, index, &path))
		return;
	if (root->height == 0)
		root->tags &= ~tag_bit(tag);
	else
		clear_tag_upwards(root, &path, tag);
}

bool
radix_tree_tag_get(const struct radix_tree_root *root, uint32_t index, unsigned tag)
{
	const struct radix_tree_node *node = root->rnode;

	BUG_ON(tag >= RADIX_TREE_MAX_TAGS);
	if (!(root->tags & tag_bit(tag)) || index > max_index(root->height))
		return false;
	for (unsigned level = root->height; level > 0; level--) {
		unsigned offset = slot_offset(index, level);

		if (!(node->bits[tag] & slot_bit(offset)))
			return false;
		node = node->slots[offset];
	}
	return true;
}

/* ---- gang lookups ------------------------------------------------------- */

/* index with its slot at level set to offset (>= the current one) and,
 * if that moved it, its lower levels' slots to 0. */
static inline uint32_t
move_to_slot(uint32_t index, unsigned level, unsigned offset)
{
	unsigned shift = level_shift(level);
	uint32_t below = ((uint32_t)RADIX_TREE_MAP_MASK << shift) | ((1u << shift) - 1);

	if (offset == slot_offset(index, level))
		return index;
	return (index & ~below) | ((uint32_t)offset << shift);
}

/*
 * The node at *level (on the walk's stack) has nothing more at or after
 * *index: moves *index to the first index past that node and *level up
 * to the lowest node of the stack that covers it. False if the tree holds
 * no index that far.
 */
static bool
next_block(uint32_t *index, unsigned *level, unsigned height)
{
	unsigned shift = *level * RADIX_TREE_MAP_SHIFT;   /* a node at *level spans 2^shift */
	uint32_t next;

	if (*level == height)
		return false;
	next = ((*index >> shift) + 1) << shift;
	if (next == 0 || next > max_index(height))       /* 0: past UINT32_MAX */
		return false;
	do
		(*level)++;                                /* a carry out of a node's */
	while (*level < height && slot_offset(next, *level) == 0);   /* last slot */
	*index = next;
	return true;
}

/* Copies up to max items of leaf (index: that of slot offset, whose bit
 * in bitmap `which` is set) from slot offset on whose bit is set; how
 * many. */
static inline unsigned
collect_leaf(const struct radix_tree_node *leaf, unsigned which, unsigned offset,
	     uint32_t index, void **results, uint32_t *indices, unsigned max)
{
	slot_map map = leaf->bits[which];
	uint32_t base = index & ~(uint32_t)RADIX_TREE_MAP_MASK;
	unsigned n = 0;

	for (;;) {
		results[n] = leaf->slots[offset];
		if (indices)
			indices[n] = base | offset;
		if (++n == max || offset == RADIX_TREE_MAP_MASK)
			return n;
		offset = next_set_bit(map, offset + 1);
		if (offset == RADIX_TREE_MAP_SIZE)
			return n;
	}
}

/* Up to max items from first on whose bit in bitmap `which` is set (a tag,
 * or SLOTS_USED for any item), in index order: how many. */
static unsigned
gang_lookup(const struct radix_tree_root *root, void **results, uint32_t *indices,
	    uint32_t first, unsigned max, unsigned which)
{
	struct radix_tree_node *stack[RADIX_TREE_MAX_HEIGHT + 1];
	unsigned height = root->height, level = height, found = 0;
	uint32_t index = first;

	if (max == 0 || !root->rnode || first > max_index(height))
		return 0;
	if (height == 0) {               /* first == 0: the item at index 0 */
		if (which != SLOTS_USED && !(root->tags & tag_bit(which)))
			return 0;
		results[0] = root->rnode;
		if (indices)
			indices[0] = 0;
		return 1;
	}
	stack[level] = root->rnode;
	for (;;) {
		struct radix_tree_node *node = stack[level];
		unsigned offset = next_set_bit(node->bits[which], slot_offset(index, level));

		if (offset == RADIX_TREE_MAP_SIZE) {
			if (!next_block(&index, &level, height))
				return found;
			continue;
		}
		index = move_to_slot(index, level, offset);
		if (level > 1) {
			stack[--level] = node->slots[offset];
			continue;
		}
		found += collect_leaf(node, which, offset, index, results + found,
				      indices ? indices + found : NULL, max - found);
		if (found == max)
			return found;
		if (!next_block(&index, &level, height))
			return found;
	}
}

unsigned
radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
		       uint32_t *indices, uint32_t first, unsigned max)
{
	return gang_lookup(root, results, indices, first, max, SLOTS_USED);
}

unsigned
radix_tree_gang_lookup_tag(const struct radix_tree_root *root, void **results,
			   uint32_t *indices, uint32_t first, unsigned max, unsigned tag)
{
	BUG_ON(tag >= RADIX_TREE_MAX_TAGS);
	if (!(root->tags & tag_bit(tag)))
		return 0;
	return gang_lookup(root, results, indices, first, max, tag);
}

/* ---- checking ----------------------------------------------------------- */

/* Checks the subtree of node (at level) against the invariants: its
 * number of nodes, or -1. tags_out gets which tags it leads to. */
static int
check_node(const struct radix_tree_node *node, unsigned level, uint8_t *tags_out)
{
	int nodes = 1;
	uint8_t tags = 0;

	if (node->bits[SLOTS_USED] == 0)
		return -1;
	for (unsigned i = 0; i < RADIX_TREE_MAP_SIZE; i++) {
		const void *child = node->slots[i];
		uint8_t child_tags = 0;

		if (!child != !(node->bits[SLOTS_USED] & slot_bit(i)))
			return -1;
		if (!child) {
			for (unsigned tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
				if (node->bits[tag] & slot_bit(i))
					return -1;
			continue;
		}
		if (level == 1) {
			if ((uintptr_t)child & ITEM_RESERVED_BITS)
				return -1;
			for (unsigned tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
				if (node->bits[tag] & slot_bit(i))
					child_tags |= tag_bit(tag);
		} else {
			int below = check_node(child, level - 1, &child_tags);

			if (below < 0)
				return -1;
			nodes += below;
			for (unsigned tag = 0; tag < RADIX_TREE_MAX_TAGS; tag++)
				if (!(child_tags & tag_bit(tag)) != !(node->bits[tag] & slot_bit(i)))
					return -1;
		}
		tags |= child_tags;
	}
	*tags_out = tags;
	return nodes;
}

int
radix_tree_check(const struct radix_tree_root *root)
{
	const struct radix_tree_node *top = root->rnode;
	uint8_t tags = 0;
	int nodes;

	if (root->height > RADIX_TREE_MAX_HEIGHT)
		return -1;
	if (root->height == 0) {
		if (!top)
			return root->tags == 0 ? 0 : -1;
		return ((uintptr_t)top & ITEM_RESERVED_BITS) ||
		       (root->tags & ~(tag_bit(RADIX_TREE_MAX_TAGS) - 1)) ? -1 : 0;
	}
	if (!top || (top->bits[SLOTS_USED] & ~slot_bit(0)) == 0)
		return -1;               /* empty, or one level too tall */
	nodes = check_node(top, root->height, &tags);
	return nodes >= 0 && tags == root->tags ? nodes : -1;
}
