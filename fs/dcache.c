/*
 * fs/dcache.c — dentries: the tree of names.
 *
 * Each directory's cached children hang on its d_subdirs list. A path
 * walk finds a component there first and asks the file system
 * (i_op->lookup) only when it is missing. ramfs keeps every name here for
 * good (it pins its dentries); procfs makes D_VOLATILE dentries that are
 * freed on their last dput, so /proc/PID disappears with the process.
 * A disk file system's (ext2) positive dentries stay cached with no
 * reference once their users are gone, and shrink_dcache_* frees them
 * (and so the inodes they hold) at drop_caches (umount frees the whole
 * tree: d_free_tree); a
 * negative dentry is never kept (the next lookup asks the disk again).
 *
 * Invariants: a dentry on a d_subdirs list has a reference on its parent;
 * a deleted (unlinked, D_DELETED) dentry is on no list but keeps its
 * parent until freed; a root's d_parent is itself.
 *
 * Mounts: a mounted file system's root hangs on the directory it covers
 * (mountpoint->d_mounted, root->d_mountpoint), each holding a reference on
 * the other (d_link_mount); fs/namespace.c keeps the table. umount asks
 * d_tree_busy whether anything but the tree itself refers to a dentry of
 * the file system (the references a tree holds on itself are known:
 * children on parents, the file system's pins, the root's own and the
 * mount's), and frees an idle tree with d_free_tree.
 *
 * Locking: dcache_lock (a spinlock, never held across anything that can
 * sleep) protects the d_subdirs lists and every d_count. The structure of
 * the tree changes only under namespace_mutex (fs/namei.c); dput needs
 * only dcache_lock, so it may run with or without namespace_mutex.
 */
#include <fs/vfs.h>
#include <kernel/errno.h>
#include <kernel/spinlock.h>
#include <mm/slab.h>
#include <libk/string.h>

DEFINE_MUTEX(namespace_mutex);
static DEFINE_SPINLOCK(dcache_lock);
static struct kmem_cache *dentry_cache;

static struct dentry *
dentry_new(const char *name, size_t len)
{
	struct dentry *d;

	if (!dentry_cache)
		dentry_cache = kmem_cache_create("dentry", sizeof(struct dentry), 4);
	d = kmem_cache_zalloc(dentry_cache);
	if (!d)
		return NULL;
	d->d_name = kmalloc(len + 1, GFP_KERNEL);
	if (!d->d_name) {
		kmem_cache_free(dentry_cache, d);
		return NULL;
	}
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_count = 1;
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	return d;
}

struct dentry *
d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = dentry_new(name, len);

	if (!d)
		return NULL;
	d->d_sb = parent->d_sb;
	d->d_flags = parent->d_flags & D_VOLATILE;
	spin_lock(&dcache_lock);
	parent->d_count++;
	d->d_parent = parent;
	d->d_pos = parent->d_next_pos++;
	list_add_tail(&d->d_child, &parent->d_subdirs);
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *
d_alloc_root(struct super_block *sb, struct inode *inode)
{
	struct dentry *d = dentry_new("/", 1);

	if (!d)
		return NULL;
	d->d_sb = sb;
	d->d_parent = d;
	d->d_inode = inode;
	sb->s_root = d;
	return d;
}

struct dentry *
d_find_child(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d, *found = NULL;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, &parent->d_subdirs, d_child) {
		if (strlen(d->d_name) == len && memcmp(d->d_name, name, len) == 0) {
			d->d_count++;
			found = d;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

void
d_instantiate(struct dentry *d, struct inode *inode)
{
	d->d_inode = inode;
}

void
d_delete(struct dentry *d)
{
	spin_lock(&dcache_lock);
	d->d_flags |= D_DELETED;
	list_del_init(&d->d_child);
	spin_unlock(&dcache_lock);
}

void
d_move(struct dentry *d, struct dentry *new_parent, const char *name)
{
	struct dentry *old_parent;
	char *new_name = kmalloc(strlen(name) + 1, GFP_KERNEL);

	if (new_name) {                  /* keep the old name rather than fail */
		strcpy(new_name, name);
		kfree(d->d_name);
		d->d_name = new_name;
	}
	spin_lock(&dcache_lock);
	old_parent = d->d_parent;
	list_del(&d->d_child);
	new_parent->d_count++;
	d->d_parent = new_parent;
	d->d_pos = new_parent->d_next_pos++;
	list_add_tail(&d->d_child, &new_parent->d_subdirs);
	spin_unlock(&dcache_lock);
	dput(old_parent);
}

struct dentry *
dget(struct dentry *d)
{
	spin_lock(&dcache_lock);
	d->d_count++;
	spin_unlock(&dcache_lock);
	return d;
}

/* A dentry nobody refers to is freed if it is not worth caching. */
static bool
dentry_disposable(struct dentry *d)
{
	return !d->d_inode || (d->d_flags & (D_VOLATILE | D_DELETED));
}

/* Frees one dentry nobody refers to any more, and its inode reference. */
static void
dentry_free(struct dentry *d)
{
	iput(d->d_inode);
	kfree(d->d_name);
	kmem_cache_free(dentry_cache, d);
}

void
dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent;

		spin_lock(&dcache_lock);
		BUG_ON(d->d_count <= 0);
		if (--d->d_count > 0 || !dentry_disposable(d) || d->d_parent == d) {
			spin_unlock(&dcache_lock);
			return;
		}
		list_del_init(&d->d_child);
		parent = d->d_parent;
		spin_unlock(&dcache_lock);

		dentry_free(d);
		d = parent;
	}
}

/* Drops the reference taken by the pruning walk; frees d if nothing else
 * uses it (no reference, no cached child, no mount on it). Whether it went. */
static bool
dput_prune(struct dentry *d)
{
	struct dentry *parent;

	spin_lock(&dcache_lock);
	BUG_ON(d->d_count <= 0);
	if (--d->d_count > 0 || d->d_parent == d || d->d_mounted || !list_empty(&d->d_subdirs)) {
		spin_unlock(&dcache_lock);
		return false;
	}
	list_del_init(&d->d_child);
	parent = d->d_parent;
	spin_unlock(&dcache_lock);

	dentry_free(d);
	dput(parent);
	return true;
}

/* The first child of dir at position pos or later, with a reference, or NULL.
 * Children are kept in d_pos order (d_alloc and d_move append). */
static struct dentry *
next_child(struct dentry *dir, uint32_t pos)
{
	struct dentry *d, *found = NULL;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, &dir->d_subdirs, d_child)
		if (d->d_pos >= pos) {
			d->d_count++;
			found = d;
			break;
		}
	spin_unlock(&dcache_lock);
	return found;
}

/* Frees the unused dentries under dir, deepest first, crossing into the
 * file systems mounted there; how many went. namespace_mutex held. */
static unsigned long
prune_dir(struct dentry *dir)
{
	unsigned long freed = 0;
	struct dentry *d;
	uint32_t pos = 0;

	while ((d = next_child(dir, pos)) != NULL) {
		pos = d->d_pos + 1;
		if (d->d_mounted)
			freed += prune_dir(d->d_mounted);
		else if (!list_empty(&d->d_subdirs))
			freed += prune_dir(d);
		freed += dput_prune(d);
	}
	return freed;
}

unsigned long
shrink_dcache_all(void)
{
	unsigned long freed;

	mutex_lock(&namespace_mutex);
	freed = root_dentry ? prune_dir(root_dentry) : 0;
	mutex_unlock(&namespace_mutex);
	return freed;
}

void
d_link_mount(struct dentry *mountpoint, struct dentry *root)
{
	BUG_ON(mountpoint->d_mounted || root->d_mountpoint || root->d_parent != root);
	mountpoint->d_mounted = dget(root);
	root->d_mountpoint = dget(mountpoint);
}

void
d_unlink_mount(struct dentry *root)
{
	struct dentry *mountpoint = root->d_mountpoint;

	BUG_ON(!mountpoint || mountpoint->d_mounted != root);
	mountpoint->d_mounted = NULL;
	root->d_mountpoint = NULL;
	dput(root);
	dput(mountpoint);
}

/* The dentry after d in a depth-first walk of root's tree (parents before
 * children), or NULL at the end. Mounted trees are not entered: their
 * roots are on no d_subdirs list. dcache_lock held. */
static struct dentry *
d_walk_next(struct dentry *root, struct dentry *d)
{
	if (!list_empty(&d->d_subdirs))
		return list_first_entry(&d->d_subdirs, struct dentry, d_child);
	while (d != root) {
		struct dentry *parent = d->d_parent;

		if (d->d_child.next != &parent->d_subdirs)
			return list_entry(d->d_child.next, struct dentry, d_child);
		d = parent;
	}
	return NULL;
}

/*
 * The references the tree itself holds on d: one from each cached child
 * (its d_parent), the pin of a file system that pins its names, and for
 * the root d_alloc_root's own and the mount's (while it is mounted).
 * Anything beyond is a user. dcache_lock held.
 */
static int
d_tree_refs(struct dentry *root, struct dentry *d, bool pinned)
{
	struct dentry *child;
	int refs = 0;

	list_for_each_entry(child, &d->d_subdirs, d_child)
		refs++;
	if (d == root)
		refs += 1 + (d->d_mountpoint ? 1 : 0);
	else if (pinned && d->d_inode)
		refs++;
	return refs;
}

/*
 * A deleted (unlinked) dentry is on no list but still holds its parent,
 * and exists only while someone uses it, so it shows as an extra
 * reference on its parent. Checked under dcache_lock: d_count only grows
 * from a reference someone already has, or by a path walk, which the
 * caller keeps out with namespace_mutex.
 */
bool
d_tree_busy(struct dentry *root, bool pinned)
{
	bool busy = false;

	spin_lock(&dcache_lock);
	for (struct dentry *d = root; d && !busy; d = d_walk_next(root, d)) {
		int refs = d_tree_refs(root, d, pinned);

		BUG_ON(d->d_count < refs);
		busy = d->d_count > refs || d->d_mounted;
	}
	spin_unlock(&dcache_lock);
	return busy;
}

void
d_free_tree(struct dentry *root, bool pinned)
{
	struct dentry *d = root;

	BUG_ON(root->d_mountpoint || root->d_parent != root);
	for (;;) {
		struct dentry *parent;

		spin_lock(&dcache_lock);
		while (!list_empty(&d->d_subdirs))      /* down to a leaf */
			d = list_first_entry(&d->d_subdirs, struct dentry, d_child);
		if (d == root) {
			spin_unlock(&dcache_lock);
			break;
		}
		BUG_ON(d->d_count != (pinned && d->d_inode ? 1 : 0) || d->d_mounted);
		parent = d->d_parent;
		list_del_init(&d->d_child);
		parent->d_count--;
		spin_unlock(&dcache_lock);
		dentry_free(d);                         /* may sleep: no lock held */
		d = parent;
	}
	BUG_ON(root->d_count != 1);
	if (root->d_sb && root->d_sb->s_root == root)
		root->d_sb->s_root = NULL;
	dentry_free(root);
}

/* Prepends "/name" to the path being built backwards at *end. */
static int
prepend_name(char *buf, char **end, const char *name)
{
	size_t len = strlen(name);

	if ((size_t)(*end - buf) < len + 1)
		return -ERANGE;
	*end -= len;
	memcpy(*end, name, len);
	*--*end = '/';
	return 0;
}

int
__d_path(struct dentry *d, struct dentry *root, char *buf, size_t size)
{
	char *end = buf + size;
	int err = 0;

	lockdep_assert_held(&namespace_mutex);
	if (size < 2)
		return -ERANGE;
	*--end = '\0';
	while (d != root && !err) {
		if (d->d_flags & D_DELETED) {
			err = -ENOENT;
		} else if (d->d_parent == d) {         /* a root: cross its mount */
			if (!d->d_mountpoint)
				break;
			d = d->d_mountpoint;
		} else {
			err = prepend_name(buf, &end, d->d_name);
			d = d->d_parent;
		}
	}
	if (err)
		return err;
	if (*end == '\0') {
		if (end == buf)
			return -ERANGE;
		*--end = '/';
	}
	memmove(buf, end, buf + size - end);
	return (int)(buf + size - end) - 1;
}

int
d_path(struct dentry *d, struct dentry *root, char *buf, size_t size)
{
	int len;

	mutex_lock(&namespace_mutex);
	len = __d_path(d, root, buf, size);
	mutex_unlock(&namespace_mutex);
	return len;
}
