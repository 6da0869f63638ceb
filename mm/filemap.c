/*
 * mm/filemap.c — the page cache (see filemap.h for the structures, the
 * page states and the lock order): finding and adding pages, reading
 * them in, and the generic read(), write() and mmap() of a file whose
 * contents live in its page cache.
 *
 * Invariants: a page is in mapping->page_tree at index i exactly when
 * page->mapping == mapping and page->index == i; the tree holds one
 * reference on it; nrpages counts the tree's pages. Both change together
 * under the page lock and tree_lock. A page is uptodate before anyone
 * maps it or copies from it, and once uptodate it stays so while cached.
 *
 * write() holds i_mutex for the whole call, so writes, truncate and the
 * size they see are serialised per file; read() takes no sleeping lock
 * but each page's lock while it is read in. Neither holds a page lock
 * while it may fault on user memory: write() copies with page faults
 * disabled and, when the source is not resident, drops the page lock,
 * touches the source and tries again (Linux's fault_in_readable dance),
 * so a write() from a mapping of the same page cannot deadlock.
 *
 * Locks: i_mutex → mmap_lock (a fault on the user buffer) → page lock →
 * tree_lock (spin; radix tree nodes are allocated under it, the slab
 * never sleeps).
 */
#include <mm/filemap.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/page_lock.h>
#include <mm/mm_types.h>
#include <mm/vmstat.h>
#include <mm/lru.h>
#include <mm/memory.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <kernel/lockrank.h>
#include <kernel/uaccess.h>
#include <libk/string.h>

void
address_space_init(struct address_space *mapping, struct inode *host)
{
	mapping->host = host;
	spin_lock_init(&mapping->tree_lock, "tree_lock");
	INIT_RADIX_TREE(&mapping->page_tree);
	mapping->nrpages = 0;
	mapping->a_ops = NULL;
	mutex_init(&mapping->i_mmap_lock, "i_mmap");
	mapping->i_mmap = RB_ROOT;
	INIT_LIST_HEAD(&mapping->i_mmap_nonlinear);
	mapping->nr_mapped_vmas = 0;
	mapping->wb_err = 0;
}

/* ---- the tree ------------------------------------------------------- */

/* A file with no backing store (ramfs, tmpfs) gained or lost a page: its
 * pages are all it has, so they are its blocks (st_blocks) and count as
 * Shmem. tree_lock held. */
static void
account_memory_backed_page(struct address_space *mapping, int pages)
{
	mod_node_page_state(NR_SHMEM, pages);
	mapping->host->i_blocks += (int64_t)pages * (PAGE_SIZE >> 9);
}

struct page *
find_get_page(struct address_space *mapping, uint32_t index)
{
	struct page *page;

	spin_lock(&mapping->tree_lock);
	page = radix_tree_lookup(&mapping->page_tree, index);
	if (page)
		get_page(page);
	spin_unlock(&mapping->tree_lock);
	return page;
}

struct page *
find_lock_page(struct address_space *mapping, uint32_t index)
{
	struct page *page;

	while ((page = find_get_page(mapping, index))) {
		lock_page(page);
		if (page->mapping == mapping && page->index == index)
			return page;
		unlock_page(page);               /* truncated or moved while we slept */
		put_page(page);
	}
	return NULL;
}

int
add_to_page_cache(struct page *page, struct address_space *mapping, uint32_t index)
{
	int err;

	assert_page_locked(page);
	BUG_ON(page->mapping);
	get_page(page);                          /* the cache's reference */
	spin_lock(&mapping->tree_lock);
	err = radix_tree_insert(&mapping->page_tree, index, page);
	if (!err) {
		page->mapping = mapping;
		page->index = index;
		mapping->nrpages++;
		mod_node_page_state(NR_FILE_PAGES, 1);
		if (!mapping_can_writeback(mapping))
			account_memory_backed_page(mapping, 1);
	}
	spin_unlock(&mapping->tree_lock);
	if (err)
		put_page(page);
	else
		lru_cache_add(page);
	return err;
}

struct page *
find_or_create_page(struct address_space *mapping, uint32_t index)
{
	for (;;) {
		struct page *page = find_lock_page(mapping, index);
		int err;

		if (page)
			return page;
		page = alloc_page(GFP_KERNEL);
		if (!page)
			return NULL;
		if (!trylock_page(page))         /* fresh: no one else can hold it */
			BUG();
		err = add_to_page_cache(page, mapping, index);
		if (!err)
			return page;
		unlock_page(page);
		put_page(page);
		if (err != -EEXIST)
			return NULL;                 /* -ENOMEM */
	}
}

/* Takes page out of the tree and its counters; tree_lock held. */
static void
page_cache_tree_delete(struct address_space *mapping, struct page *page)
{
	assert_spin_locked(&mapping->tree_lock);
	radix_tree_delete(&mapping->page_tree, page->index);
	page->mapping = NULL;
	mapping->nrpages--;
	mod_node_page_state(NR_FILE_PAGES, -1);
	if (!mapping_can_writeback(mapping))
		account_memory_backed_page(mapping, -1);
	if (PageFlag(page, PG_dirty)) {
		ClearPageFlag(page, PG_dirty);
		if (mapping_can_writeback(mapping))
			mod_node_page_state(NR_FILE_DIRTY, -1);
	}
}

void
delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	assert_page_locked(page);
	BUG_ON(page_mapcount(page) != 0);
	BUG_ON(PageFlag(page, PG_writeback));
	spin_lock(&mapping->tree_lock);
	page_cache_tree_delete(mapping, page);
	spin_unlock(&mapping->tree_lock);
	ClearPageFlag(page, PG_uptodate);
	ClearPageFlag(page, PG_error);
	put_page(page);                          /* the cache's reference */
}

bool
remove_mapping(struct page *page, int extra_refs)
{
	struct address_space *mapping = page->mapping;
	bool unused;

	assert_page_locked(page);
	spin_lock(&mapping->tree_lock);
	/* lookups take their reference under tree_lock: none can come now */
	unused = page_count(page) == 1 + extra_refs && !page_mapcount(page) &&
		 !PageFlag(page, PG_dirty) && !PageFlag(page, PG_writeback);
	if (unused)
		page_cache_tree_delete(mapping, page);
	spin_unlock(&mapping->tree_lock);
	if (!unused)
		return false;
	ClearPageFlag(page, PG_uptodate);
	ClearPageFlag(page, PG_error);
	put_page(page);                          /* the cache's reference */
	return true;
}

void
replace_page_cache_page(struct page *old, struct page *newpage)
{
	struct address_space *mapping = old->mapping;
	void **slot;

	assert_page_locked(old);
	assert_page_locked(newpage);
	get_page(newpage);                       /* the cache's reference moves over */
	spin_lock(&mapping->tree_lock);
	slot = radix_tree_lookup_slot(&mapping->page_tree, old->index);
	BUG_ON(!slot || *slot != old);
	*slot = newpage;
	newpage->mapping = mapping;
	newpage->index = old->index;
	old->mapping = NULL;
	spin_unlock(&mapping->tree_lock);
	put_page(old);
}

unsigned
find_get_pages(struct address_space *mapping, uint32_t index, unsigned nr, struct page **pages)
{
	unsigned n;

	spin_lock(&mapping->tree_lock);
	n = radix_tree_gang_lookup(&mapping->page_tree, (void **)pages, NULL, index, nr);
	for (unsigned i = 0; i < n; i++)
		get_page(pages[i]);
	spin_unlock(&mapping->tree_lock);
	return n;
}

unsigned
find_get_pages_tag(struct address_space *mapping, uint32_t *index, unsigned tag,
		   unsigned nr, struct page **pages)
{
	unsigned n;

	spin_lock(&mapping->tree_lock);
	n = radix_tree_gang_lookup_tag(&mapping->page_tree, (void **)pages, NULL, *index, nr, tag);
	for (unsigned i = 0; i < n; i++)
		get_page(pages[i]);
	spin_unlock(&mapping->tree_lock);
	if (n)
		*index = pages[n - 1]->index + 1;
	return n;
}

/* ---- reading pages in ----------------------------------------------- */

/* The a_ops->readpage of a file with no backing store (ramfs, tmpfs): a
 * page that was never written holds zeros. */
static int
zero_readpage(struct address_space *mapping, struct page *page)
{
	(void)mapping;
	memset(page_address(page), 0, PAGE_SIZE);
	SetPageFlag(page, PG_uptodate);
	unlock_page(page);
	return 0;
}

/* Reads the locked, !uptodate page through its file system and waits for
 * the read: 0 with the page uptodate (and unlocked), or -errno. */
static int
read_page_sync(struct address_space *mapping, struct page *page)
{
	int (*readpage)(struct address_space *, struct page *) =
		mapping->a_ops && mapping->a_ops->readpage ? mapping->a_ops->readpage : zero_readpage;
	int err;

	ClearPageFlag(page, PG_error);
	err = readpage(mapping, page);
	if (err)
		return err;
	wait_on_page_locked(page);
	if (!PageFlag(page, PG_uptodate))
		return -EIO;
	return 0;
}

/* read_mapping_page, telling in *read_in whether it had to read the page. */
static struct page *
get_uptodate_page(struct address_space *mapping, uint32_t index, bool *read_in)
{
	for (;;) {
		struct page *page = find_get_page(mapping, index);
		int err;

		if (page && PageFlag(page, PG_uptodate))
			return page;
		if (!page) {
			page = find_or_create_page(mapping, index);
			if (!page)
				return ERR_PTR(-ENOMEM);
		} else {
			lock_page(page);
		}
		if (page->mapping != mapping) {  /* truncated meanwhile: look again */
			unlock_page(page);
			put_page(page);
			continue;
		}
		if (PageFlag(page, PG_uptodate)) {
			unlock_page(page);
			return page;
		}
		err = read_page_sync(mapping, page);
		if (err) {
			put_page(page);
			return ERR_PTR(err);
		}
		*read_in = true;
		return page;
	}
}

struct page *
read_mapping_page(struct address_space *mapping, uint32_t index)
{
	bool read_in;

	return get_uptodate_page(mapping, index, &read_in);
}

/* ---- read() --------------------------------------------------------- */

/* relatime, as Linux by default: atime moves only if it is older than the
 * last change or than a day, so reading does not dirty the inode each time. */
static void
file_accessed(struct inode *inode)
{
	const int64_t day = 24ll * 3600 * 1000000000;
	int64_t now = current_time_ns();

	if (inode->i_sb && sb_rdonly(inode->i_sb))
		return;
	if (inode->i_atime <= inode->i_mtime || inode->i_atime <= inode->i_ctime ||
	    now - inode->i_atime >= day) {
		inode->i_atime = now;
		mark_inode_dirty(inode);
	}
}

ssize_t
generic_file_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	struct address_space *mapping = inode->i_mapping;
	size_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	while (b->left && *pos < inode->i_size) {
		uint32_t offset = (uint32_t)*pos & ~PAGE_MASK;
		size_t n = PAGE_SIZE - offset;
		struct page *page = read_mapping_page(mapping, (uint32_t)(*pos >> PAGE_SHIFT));
		loff_t size;
		int err;

		if (IS_ERR(page))
			return done ? (ssize_t)done : PTR_ERR(page);
		size = inode->i_size;            /* after the read: a truncate may have run */
		if (*pos >= size) {
			put_page(page);
			break;
		}
		if (n > b->left)
			n = b->left;
		if ((loff_t)n > size - *pos)
			n = (size_t)(size - *pos);
		err = iobuf_put(b, (char *)page_address(page) + offset, n);
		put_page(page);
		if (err)
			return done ? (ssize_t)done : err;
		*pos += n;
		done += n;
	}
	file_accessed(inode);
	return (ssize_t)done;
}

/* ---- write() -------------------------------------------------------- */

/* Copies n bytes from b into page at offset without taking a page fault
 * (page faults are disabled: a user source that is not resident fails
 * with -EFAULT at once and nothing of b is consumed). */
static int
copy_from_iobuf_atomic(struct iobuf *b, struct page *page, uint32_t offset, size_t n)
{
	int err;

	preempt_disable();
	err = iobuf_get(b, (char *)page_address(page) + offset, n);
	preempt_enable_no_resched();
	return err;
}

/* Touches the n user bytes b is at, so an atomic copy finds them resident;
 * -EFAULT if they cannot be read at all. */
static int
fault_in_iobuf(const struct iobuf *b, size_t n)
{
	char c;

	if (!b->user || !n)
		return 0;
	for (size_t off = 0; off < n; off = (off | ~PAGE_MASK) + 1)
		if (copy_from_user(&c, b->ptr + off, 1))
			return -EFAULT;
	return copy_from_user(&c, b->ptr + n - 1, 1) ? -EFAULT : 0;
}

/* Makes the locked page ready for a store to [from, to): backing store
 * allocated and, if the page is not uptodate, the rest of it filled. */
static int
prepare_write(struct address_space *mapping, struct page *page, unsigned from, unsigned to)
{
	if (mapping->a_ops && mapping->a_ops->prepare_write)
		return mapping->a_ops->prepare_write(mapping, page, from, to);
	if (!PageFlag(page, PG_uptodate)) {
		memset(page_address(page), 0, from);
		memset((char *)page_address(page) + to, 0, PAGE_SIZE - to);
	}
	return 0;
}

/* A page write() created but could not fill: it must not stay in the cache
 * past EOF, nor stay there uninitialised. */
static void
discard_failed_page(struct inode *inode, struct page *page)
{
	if (!PageFlag(page, PG_uptodate) && !page_mapcount(page) &&
	    (loff_t)page->index << PAGE_SHIFT >= inode->i_size)
		delete_from_page_cache(page);
}

/* Writes one page's worth of b at *pos: bytes written or -errno. */
static ssize_t
write_one_chunk(struct file *f, struct iobuf *b, loff_t pos)
{
	struct inode *inode = f->f_inode;
	struct address_space *mapping = inode->i_mapping;
	uint32_t offset = (uint32_t)pos & ~PAGE_MASK;
	size_t n = PAGE_SIZE - offset;
	struct page *page;
	int err;

	if (n > b->left)
		n = b->left;
	for (;;) {
		page = find_or_create_page(mapping, (uint32_t)(pos >> PAGE_SHIFT));
		if (!page)
			return -ENOMEM;
		err = prepare_write(mapping, page, offset, offset + n);
		if (!err)
			err = copy_from_iobuf_atomic(b, page, offset, n);
		if (!err)
			break;
		discard_failed_page(inode, page);
		unlock_page(page);
		put_page(page);
		if (err != -EFAULT)
			return err;
		err = fault_in_iobuf(b, n);      /* no page lock held: may fault */
		if (err)
			return err;
	}
	SetPageFlag(page, PG_uptodate);
	set_page_dirty(page);
	if (pos + (loff_t)n > inode->i_size)
		inode->i_size = pos + n;
	unlock_page(page);
	put_page(page);
	return (ssize_t)n;
}

/* A write that was to reach byte end stopped short (a fault on the user
 * buffer, a full disk): prepare_write may have given the file system's
 * backing store past i_size for bytes never stored, which the file must
 * not keep. Its own truncate to the size it has frees them (Linux's
 * write_failed). i_mutex held. */
static void
write_failed(struct inode *inode, loff_t end)
{
	lockdep_assert_held(&inode->i_mutex);
	if (end > inode->i_size && inode->i_op && inode->i_op->truncate)
		inode->i_op->truncate(inode, inode->i_size);
}

ssize_t
generic_file_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	loff_t max = inode->i_sb ? inode->i_sb->s_maxbytes : MAX_LFS_FILESIZE;
	size_t done = 0;
	ssize_t n = 0;

	mutex_lock(&inode->i_mutex);
	if (f->f_flags & O_APPEND)
		*pos = inode->i_size;
	if (*pos < 0) {
		n = -EINVAL;
		goto out;
	}
	if (*pos >= max) {
		n = b->left ? -EFBIG : 0;
		goto out;
	}
	if ((loff_t)b->left > max - *pos)
		b->left = (size_t)(max - *pos);
	if (b->left) {
		inode->i_mtime = inode->i_ctime = current_time_ns();
		mark_inode_dirty(inode);
		if (*pos > inode->i_size)
			pagecache_isize_extended(inode, inode->i_size);
	}
	while (b->left) {
		n = write_one_chunk(f, b, *pos);
		if (n < 0) {
			write_failed(inode, *pos + (loff_t)b->left);
			break;
		}
		*pos += n;
		done += (size_t)n;
		balance_dirty_pages(inode->i_mapping);
	}
	if (done && (f->f_flags & O_DSYNC)) {
		int err = filemap_write_and_wait_range(inode->i_mapping, *pos - (loff_t)done, *pos - 1);

		if (err)
			n = err, done = 0;
	}
out:
	mutex_unlock(&inode->i_mutex);
	return done ? (ssize_t)done : n;
}

/* ---- mmap() ---------------------------------------------------------- */

/* Any file whose pages live in its page cache can be mapped, shared or
 * private (mm/fault.c maps them: filemap_fault_page below). */
int
generic_file_mmap(struct file *f, struct vm_area_struct *vma)
{
	(void)f;
	(void)vma;
	return 0;
}

/* ---- page faults ----------------------------------------------------- */

enum fault_result
filemap_fault_page(struct vm_area_struct *vma, uint32_t pgoff, struct page **pagep)
{
	struct address_space *mapping = vma->vm_file->f_inode->i_mapping;
	struct inode *inode = mapping->host;
	struct page *page;

	for (;;) {
		bool read_in = false;

		if ((loff_t)pgoff << PAGE_SHIFT >= inode->i_size)
			return FAULT_SIGBUS;         /* wholly past the end of the file */
		page = get_uptodate_page(mapping, pgoff, &read_in);
		if (IS_ERR(page))                /* an I/O error reads as SIGBUS, as Linux */
			return PTR_ERR(page) == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
		if (read_in)
			count_vm_event(PGMAJFAULT);
		lock_page(page);
		if (page->mapping == mapping)
			break;
		unlock_page(page);               /* truncated meanwhile: look again */
		put_page(page);
	}
	if ((loff_t)pgoff << PAGE_SHIFT >= inode->i_size) {
		unlock_page(page);               /* truncated while we read it */
		put_page(page);
		return FAULT_SIGBUS;
	}
	*pagep = page;
	return FAULT_HANDLED;
}

int
page_mkwrite(struct vm_area_struct *vma, struct page *page)
{
	struct address_space *mapping = page->mapping;
	loff_t size = mapping->host->i_size, start = (loff_t)page->index << PAGE_SHIFT;
	unsigned to = size - start >= PAGE_SIZE ? PAGE_SIZE : (unsigned)(size - start);
	int err;

	(void)vma;
	assert_page_locked(page);
	if (start >= size)
		return -EFAULT;                  /* truncated: SIGBUS */
	err = prepare_write(mapping, page, 0, to);
	if (err)
		return err;
	set_page_dirty(page);
	return 0;
}
