/*
 * mm/shmem.c — the internal tmpfs behind shared anonymous memory (see
 * shmem.h). Its files live in their page cache, and in swap: reclaim
 * writes a page out (shmem_writeout) and leaves the slot's entry in the
 * file's own swap tree at the page's offset, where the page was; the
 * next read or fault of that offset finds the page missing from the page
 * cache, makes a new one and its readpage reads it back from the slot
 * (shmem_readpage), as Linux 2.6's shmem kept swap entries in a vector of
 * its own. A page never written reads as zeros.
 *
 * The files are never linked into any directory: they have no dentry,
 * and /proc/PID/maps names them as Linux does, "/dev/zero (deleted)"
 * on device 00:01.
 *
 * Invariants: an offset of a file has a page in the page cache or an
 * entry in the swap tree or neither, never both (the page is deleted from
 * the cache in the same tree_lock hold that files its entry, and a
 * readpage takes the entry out before it reads); each entry holds one
 * count of its slot (rmap_check counts them). The file's size is the size
 * of the mapping that created it (mremap may grow the VMA past it: the
 * pages past EOF fault SIGBUS, as on Linux).
 *
 * Locks: those of the page cache (mm/filemap.h): the swap tree is changed
 * under mapping->tree_lock, a page written out or read in is locked.
 * shmem_list_mutex (mmap_lock → it → page lock) guards the list of every
 * file, for swapoff and the checker; a file leaves it at its last iput.
 * shmem_punch_hole runs under mmap_lock (madvise) and takes each page's
 * lock (truncate's order).
 */
#include <mm/shmem.h>
#include <mm/filemap.h>
#include <mm/mm_types.h>
#include <mm/rmap.h>
#include <mm/page_lock.h>
#include <mm/slab.h>
#include <mm/swap_state.h>
#include <mm/vmstat.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <libk/radix_tree.h>
#include <libk/string.h>

#define SHMEM_DEV MKDEV(0, 1)       /* Linux's internal shm mount */

static struct super_block *shm_sb;

/* A shared-memory file's own data (inode->i_private). */
struct shmem_inode_info {
	struct radix_tree_root swap;     /* offset -> swap entry (shmem_entry_item) of
					  * each page that is out; tree_lock */
	unsigned long swapped;           /* entries in swap; tree_lock */
	struct inode *inode;
	struct list_head list;           /* on shmem_files; shmem_list_mutex */
};

static DEFINE_MUTEX(shmem_list_mutex);
static LIST_HEAD(shmem_files);

/* A radix-tree item holds an entry shifted left (items keep bit 0 clear). */
static void *shmem_entry_item(swp_entry_t e)  { return (void *)(uintptr_t)(e.val << 1); }
static swp_entry_t item_shmem_entry(void *item) { return (swp_entry_t){ (uint32_t)(uintptr_t)item >> 1 }; }

static struct shmem_inode_info *
SHMEM_I(const struct inode *inode)
{
	return inode->i_private;
}

/* Frees the swap entries of offsets [first, last] (truncate, hole, the
 * file's end). */
static void
shmem_free_swap(struct inode *inode, uint32_t first, uint32_t last)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct address_space *mapping = inode->i_mapping;

	while (first <= last) {
		void *item;
		uint32_t index;
		unsigned n;

		spin_lock(&mapping->tree_lock);
		n = radix_tree_gang_lookup(&info->swap, &item, &index, first, 1);
		if (n && index <= last) {
			radix_tree_delete(&info->swap, index);
			info->swapped--;
		}
		spin_unlock(&mapping->tree_lock);
		if (!n || index > last)
			return;
		swap_free(item_shmem_entry(item));
		if (index == last)
			return;
		first = index + 1;
	}
}

static int
shmem_truncate(struct inode *inode, loff_t size)
{
	truncate_setsize(inode, size);
	shmem_free_swap(inode, page_index_of(size + PAGE_SIZE - 1), 0xFFFFFFFFu);
	return 0;
}

/* Fills the locked page of a shared-memory file: from its slot if it was
 * swapped out (the entry leaves the tree first: ours to read and free),
 * else with zeros. 0 or -EIO (the entry goes back: nothing lost). */
static int
shmem_fill_page(struct address_space *mapping, struct page *page)
{
	struct shmem_inode_info *info = SHMEM_I(mapping->host);
	void *item;
	int err;

	spin_lock(&mapping->tree_lock);
	item = radix_tree_delete(&info->swap, page->index);
	if (item)
		info->swapped--;
	spin_unlock(&mapping->tree_lock);
	if (!item) {
		memset(page_address(page), 0, PAGE_SIZE);
		return 0;
	}
	err = swap_readpage(page, item_shmem_entry(item));
	if (err) {
		spin_lock(&mapping->tree_lock);
		if (!radix_tree_insert(&info->swap, page->index, item))
			info->swapped++;
		spin_unlock(&mapping->tree_lock);
		return err;
	}
	swap_free(item_shmem_entry(item));
	count_vm_event(PSWPIN);
	set_page_dirty(page);                    /* only memory holds it now */
	return 0;
}

static int
shmem_readpage(struct address_space *mapping, struct page *page)
{
	int err = shmem_fill_page(mapping, page);

	if (!err)
		SetPageFlag(page, PG_uptodate);
	unlock_page(page);
	return err;
}

/* A store into a page not yet uptodate: its bytes come back first. */
static int
shmem_prepare_write(struct address_space *mapping, struct page *page, unsigned from, unsigned to)
{
	(void)from;
	(void)to;
	if (PageFlag(page, PG_uptodate))
		return 0;
	return shmem_fill_page(mapping, page);
}

static const struct address_space_operations shmem_aops = {
	.readpage = shmem_readpage,
	.prepare_write = shmem_prepare_write,
};

int
shmem_writeout(struct page *page, int extra_refs,
	       int (*write)(struct page *, swp_entry_t, void *), void *arg)
{
	struct address_space *mapping = page->mapping;
	struct shmem_inode_info *info = SHMEM_I(mapping->host);
	uint32_t index = page->index;
	swp_entry_t entry;
	bool moved = false;

	assert_page_locked(page);
	BUG_ON(page_mapcount(page) || !mapping_is_shmem(mapping));
	entry = get_swap_page();                 /* its count is the tree's */
	if (swp_entry_none(entry))
		return -ENOSPC;
	if (write(page, entry, arg)) {
		swap_free(entry);
		return -EIO;
	}
	spin_lock(&mapping->tree_lock);
	/* no one else may hold it: the cache's reference and the caller's */
	if (page_count(page) == 1 + extra_refs && !page_mapcount(page) &&
	    !radix_tree_insert(&info->swap, index, shmem_entry_item(entry))) {
		info->swapped++;
		page_cache_tree_delete(mapping, page);
		moved = true;
	}
	spin_unlock(&mapping->tree_lock);
	if (!moved) {
		swap_free(entry);
		return -EBUSY;
	}
	ClearPageFlag(page, PG_uptodate);
	put_page(page);                          /* the cache's reference */
	count_vm_event(PSWPOUT);
	return 0;
}

/* The last iput: the file's swap entries go, and it leaves the list. */
static void
shmem_destroy_info(struct inode *inode)
{
	struct shmem_inode_info *info = SHMEM_I(inode);

	shmem_free_swap(inode, 0, 0xFFFFFFFFu);
	mutex_lock(&shmem_list_mutex);
	list_del(&info->list);
	mutex_unlock(&shmem_list_mutex);
	kfree(info);
	inode->i_private = NULL;
}

static const struct file_operations shmem_file_operations = {
	.read = generic_file_read,
	.write = generic_file_write,
	.mmap = generic_file_mmap,
};

static const struct inode_operations shmem_inode_operations = {
	.truncate = shmem_truncate,
};

struct file *
shmem_file_setup(loff_t size)
{
	struct shmem_inode_info *info;
	struct inode *inode;
	struct file *f;

	if (!shm_sb && !(shm_sb = alloc_super("tmpfs", SHMEM_DEV)))
		return ERR_PTR(-ENOMEM);
	inode = new_inode(shm_sb, S_IFREG | 0777);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	INIT_RADIX_TREE(&info->swap);
	info->inode = inode;
	inode->i_private = info;
	inode->i_destroy = shmem_destroy_info;
	mutex_lock(&shmem_list_mutex);
	list_add(&info->list, &shmem_files);
	mutex_unlock(&shmem_list_mutex);
	inode->i_nlink = 0;                      /* never linked anywhere */
	inode->i_size = size;
	inode->i_op = &shmem_inode_operations;
	inode->i_fop = &shmem_file_operations;
	inode->i_mapping->a_ops = &shmem_aops;
	f = alloc_file(NULL, inode, O_RDWR, &shmem_file_operations);
	iput(inode);                             /* the file holds it now */
	return f ? f : ERR_PTR(-ENOMEM);
}

bool
mapping_is_shmem(const struct address_space *mapping)
{
	return shm_sb && mapping->host->i_sb == shm_sb;
}

bool
vma_is_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_file && mapping_is_shmem(vma_mapping(vma));
}

int
shmem_zero_setup(struct vm_area_struct *vma)
{
	struct file *f = shmem_file_setup((loff_t)vma_pages(vma) << PAGE_SHIFT);

	BUG_ON(!(vma->vm_flags & VM_SHARED) || vma_file_linked(vma));
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = f;                        /* the VMA's reference */
	vma->vm_pgoff = 0;
	return 0;
}

/* No i_mutex: madvise holds mmap_lock, which nests inside it, and a file
 * of this tmpfs is never written nor truncated through the VFS (it has no
 * name and no descriptor), so nothing here races with a write(). */
int
shmem_punch_hole(struct inode *inode, loff_t start, loff_t len)
{
	truncate_pagecache_range(inode, start, start + len - 1);
	shmem_free_swap(inode, page_index_of(start), page_index_of(start + len - 1));
	return 0;
}

unsigned long
shmem_swapped_in_range(struct inode *inode, uint32_t first, uint32_t last)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct address_space *mapping = inode->i_mapping;
	unsigned long n = 0;
	void *items[16];
	uint32_t indices[16];
	unsigned found;

	if (!info->swapped)
		return 0;
	spin_lock(&mapping->tree_lock);
	do {
		found = radix_tree_gang_lookup(&info->swap, items, indices, first, 16);
		for (unsigned i = 0; i < found && indices[i] <= last; i++)
			n++;
		if (!found || indices[found - 1] >= last)
			break;
		first = indices[found - 1] + 1;
	} while (found == 16);
	spin_unlock(&mapping->tree_lock);
	return n;
}

/* Calls fn for each swap entry of file info with its offset, under
 * tree_lock (fn may not sleep); stops when fn returns false. */
static void
for_each_file_entry(struct shmem_inode_info *info, bool (*fn)(swp_entry_t, uint32_t, void *),
		    void *arg)
{
	struct address_space *mapping = info->inode->i_mapping;
	uint32_t first = 0;
	void *items[16];
	uint32_t indices[16];
	unsigned found;
	bool go_on = true;

	spin_lock(&mapping->tree_lock);
	do {
		found = radix_tree_gang_lookup(&info->swap, items, indices, first, 16);
		for (unsigned i = 0; i < found && go_on; i++)
			go_on = fn(item_shmem_entry(items[i]), indices[i], arg);
		if (found)
			first = indices[found - 1] + 1;
	} while (found == 16 && go_on && first);
	spin_unlock(&mapping->tree_lock);
}

void
shmem_for_each_swap_entry(bool (*fn)(swp_entry_t, uint32_t, void *), void *arg)
{
	struct shmem_inode_info *info;

	mutex_lock(&shmem_list_mutex);
	list_for_each_entry(info, &shmem_files, list)
		for_each_file_entry(info, fn, arg);
	mutex_unlock(&shmem_list_mutex);
}

/* swapoff's search of one file: the first offset whose entry names a
 * slot of area *type (in *type's place: the offset), if any. */
struct unuse_search {
	uint32_t type;
	bool found;
	uint32_t index;
};

static bool
find_entry_of_type(swp_entry_t entry, uint32_t index, void *arg)
{
	struct unuse_search *u = arg;

	if (swp_type(entry) != u->type)
		return true;
	u->found = true;
	u->index = index;
	return false;
}

int
shmem_unuse(uint32_t type)
{
	struct shmem_inode_info *info;
	int err = 0;

	mutex_lock(&shmem_list_mutex);
	list_for_each_entry(info, &shmem_files, list) {
		for (;;) {
			struct unuse_search u = { type, false, 0 };
			struct page *page;

			for_each_file_entry(info, find_entry_of_type, &u);
			if (!u.found)
				break;
			/* read back into the page cache (shmem_readpage) */
			page = read_mapping_page(info->inode->i_mapping, u.index);
			if (IS_ERR(page)) {
				err = PTR_ERR(page);
				goto out;
			}
			put_page(page);
		}
	}
out:
	mutex_unlock(&shmem_list_mutex);
	return err;
}
