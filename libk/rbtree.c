/*
 * libk/rbtree.c — red-black tree insertion, deletion and walking.
 *
 * Invariants: the root is black; a red node has only black children;
 * every path from a node to a NULL leaf has the same number of black
 * nodes. Insertion links a red node and repairs red-red conflicts on the
 * way up (recolouring, or at most two rotations). Deletion follows CLRS:
 * the node is replaced by its successor when it has two children, and
 * a missing black is pushed up or resolved by rotations.
 * No locking: callers serialise access to a tree.
 */
#include <libk/rbtree.h>

static void dummy_propagate(struct rb_node *n, struct rb_node *stop) { }
static void dummy_copy(struct rb_node *old, struct rb_node *new) { }
static void dummy_rotate(struct rb_node *old, struct rb_node *new) { }

static const struct rb_augment_callbacks no_augment = {
	dummy_propagate, dummy_copy, dummy_rotate,
};

static int
color(const struct rb_node *n)
{
	return n ? (int)(n->parent_color & 1) : RB_BLACK;   /* leaves are black */
}

static bool is_red(const struct rb_node *n)   { return color(n) == RB_RED; }

static void
set_parent(struct rb_node *n, struct rb_node *p)
{
	n->parent_color = (uintptr_t)p | (n->parent_color & 1);
}

static void
set_color(struct rb_node *n, int c)
{
	n->parent_color = (n->parent_color & ~(uintptr_t)1) | (uintptr_t)c;
}

/* Makes the link that pointed at old (from its parent, or the root) point at new. */
static void
change_child(struct rb_node *old, struct rb_node *new, struct rb_node *parent,
	     struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * rotate — lifts x's child c (right child if left_rotation, else left)
 * into x's place; x becomes c's child on the other side.
 */
static void
rotate(struct rb_node *x, bool left_rotation, struct rb_root *root,
       const struct rb_augment_callbacks *cb)
{
	struct rb_node *c = left_rotation ? x->rb_right : x->rb_left;
	struct rb_node *inner = left_rotation ? c->rb_left : c->rb_right;
	struct rb_node *parent = rb_parent(x);

	if (left_rotation) {
		x->rb_right = inner;
		c->rb_left = x;
	} else {
		x->rb_left = inner;
		c->rb_right = x;
	}
	if (inner)
		set_parent(inner, x);
	set_parent(c, parent);
	change_child(x, c, parent, root);
	set_parent(x, c);
	cb->rotate(x, c);
}

void
rb_insert_augmented(struct rb_node *n, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	struct rb_node *p;

	while ((p = rb_parent(n)) && is_red(p)) {
		struct rb_node *g = rb_parent(p);        /* exists: a red node is not the root */
		bool p_is_left = g->rb_left == p;
		struct rb_node *uncle = p_is_left ? g->rb_right : g->rb_left;

		if (is_red(uncle)) {                     /* recolour and move the conflict up */
			set_color(p, RB_BLACK);
			set_color(uncle, RB_BLACK);
			set_color(g, RB_RED);
			n = g;
			continue;
		}
		if (n == (p_is_left ? p->rb_right : p->rb_left)) {
			rotate(p, p_is_left, root, cb);  /* make n an outer grandchild */
			n = p;
			p = rb_parent(n);
		}
		set_color(p, RB_BLACK);
		set_color(g, RB_RED);
		rotate(g, !p_is_left, root, cb);
	}
	set_color(root->rb_node, RB_BLACK);
}

void
rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_augmented(node, root, &no_augment);
}

/* Restores the black heights after a black node was removed above x
 * (x may be NULL; parent is x's parent). */
static void
erase_fixup(struct rb_node *x, struct rb_node *parent, struct rb_root *root,
	    const struct rb_augment_callbacks *cb)
{
	while (x != root->rb_node && !is_red(x)) {
		bool x_is_left = parent->rb_left == x;
		struct rb_node *w = x_is_left ? parent->rb_right : parent->rb_left;
		struct rb_node *near, *far;

		if (is_red(w)) {
			set_color(w, RB_BLACK);
			set_color(parent, RB_RED);
			rotate(parent, x_is_left, root, cb);
			w = x_is_left ? parent->rb_right : parent->rb_left;
		}
		near = x_is_left ? w->rb_left : w->rb_right;
		far = x_is_left ? w->rb_right : w->rb_left;
		if (!is_red(near) && !is_red(far)) {
			set_color(w, RB_RED);
			x = parent;
			parent = rb_parent(x);
			continue;
		}
		if (!is_red(far)) {
			set_color(near, RB_BLACK);
			set_color(w, RB_RED);
			rotate(w, !x_is_left, root, cb);
			w = x_is_left ? parent->rb_right : parent->rb_left;
			far = x_is_left ? w->rb_right : w->rb_left;
		}
		set_color(w, color(parent));
		set_color(parent, RB_BLACK);
		set_color(far, RB_BLACK);
		rotate(parent, x_is_left, root, cb);
		x = root->rb_node;
		break;
	}
	if (x)
		set_color(x, RB_BLACK);
}

/* Puts v (possibly NULL) where u is. */
static void
transplant(struct rb_node *u, struct rb_node *v, struct rb_root *root)
{
	change_child(u, v, rb_parent(u), root);
	if (v)
		set_parent(v, rb_parent(u));
}

static struct rb_node *
leftmost(struct rb_node *n)
{
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

void
rb_erase_augmented(struct rb_node *z, struct rb_root *root, const struct rb_augment_callbacks *cb)
{
	struct rb_node *x, *xparent, *y = z, *changed;
	int removed_color = color(z);

	if (!z->rb_left || !z->rb_right) {
		x = z->rb_left ? z->rb_left : z->rb_right;
		xparent = rb_parent(z);
		transplant(z, x, root);
		changed = xparent;               /* the lowest node that lost z below it */
	} else {
		y = leftmost(z->rb_right);               /* z's successor */
		removed_color = color(y);
		x = y->rb_right;
		if (rb_parent(y) == z) {
			xparent = y;
		} else {
			xparent = rb_parent(y);
			transplant(y, x, root);
			y->rb_right = z->rb_right;
			set_parent(y->rb_right, y);
		}
		transplant(z, y, root);
		y->rb_left = z->rb_left;
		set_parent(y->rb_left, y);
		set_color(y, color(z));
		cb->copy(z, y);
		/* y's old ancestors below its new place lost y; then y itself,
		 * holding z's value, lost z. Two calls, so that a propagate
		 * that stops at the first unchanged node still reaches y. */
		if (xparent != y)
			cb->propagate(xparent, y);
		changed = y;
	}
	if (changed)
		cb->propagate(changed, NULL);
	if (removed_color == RB_BLACK && root->rb_node)
		erase_fixup(x, xparent, root, cb);
	RB_CLEAR_NODE(z);
}

void
rb_erase(struct rb_node *node, struct rb_root *root)
{
	rb_erase_augmented(node, root, &no_augment);
}

void
rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	*new = *victim;
	if (victim->rb_left)
		set_parent(victim->rb_left, new);
	if (victim->rb_right)
		set_parent(victim->rb_right, new);
	change_child(victim, new, parent, root);
	RB_CLEAR_NODE(victim);
}

struct rb_node *
rb_first(const struct rb_root *root)
{
	return root->rb_node ? leftmost(root->rb_node) : NULL;
}

struct rb_node *
rb_last(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n && n->rb_right)
		n = n->rb_right;
	return n;
}

struct rb_node *
rb_next(const struct rb_node *n)
{
	struct rb_node *p;

	if (n->rb_right)
		return leftmost(n->rb_right);
	while ((p = rb_parent(n)) && n == p->rb_right)
		n = p;
	return p;
}

struct rb_node *
rb_prev(const struct rb_node *n)
{
	struct rb_node *p;

	if (n->rb_left) {
		n = n->rb_left;
		while (n->rb_right)
			n = n->rb_right;
		return (struct rb_node *)n;
	}
	while ((p = rb_parent(n)) && n == p->rb_left)
		n = p;
	return p;
}

static int
check_subtree(const struct rb_node *n, const struct rb_node *parent)
{
	int left, right;

	if (!n)
		return 1;
	if (rb_parent(n) != parent)
		return -1;
	if (is_red(n) && (is_red(n->rb_left) || is_red(n->rb_right)))
		return -1;
	left = check_subtree(n->rb_left, n);
	right = check_subtree(n->rb_right, n);
	if (left < 0 || right < 0 || left != right)
		return -1;
	return left + (is_red(n) ? 0 : 1);
}

int
rb_check(const struct rb_root *root)
{
	if (is_red(root->rb_node))
		return -1;
	return check_subtree(root->rb_node, NULL);
}
