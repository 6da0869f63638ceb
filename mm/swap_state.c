/*
 * mm/swap_state.c — the swap cache (see swap_state.h for the picture).
 *
 * One radix tree, indexed by the swap entry's value (type and offset),
 * holds every page in the cache. Entering the cache takes a reference of
 * the page and a count of the slot; leaving it gives both back. A slot's
 * count is therefore exactly: the swap PTEs naming it, plus one while a
 * page for it is in the cache (rmap_check verifies it).
 *
 * Invariants: a page is in the tree <=> PG_swapcache; page->private is
 * its entry then; it is locked whenever it enters or leaves; the tree's
 * item count is nr_swapcache.
 *
 * Locks: page lock → swap_cache_lock (spin) → swap_lock (spin). The
 * cache is changed under the page lock of the page concerned and the
 * tree lock; lookups take the tree lock alone and a reference before
 * dropping it, so a page found cannot be freed under the finder.
 */
#include <mm/swap_state.h>
#include <mm/page_alloc.h>
#include <mm/page_lock.h>
#include <mm/rmap.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <libk/radix_tree.h>

static struct {
	spinlock_t lock;                 /* the tree and nrpages */
	struct radix_tree_root tree;     /* swap-cache pages by entry value */
	unsigned long nrpages;
} swap_cache = { .lock = SPINLOCK_INIT(swap_cache_lock), .tree = RADIX_TREE_INIT };

unsigned long
total_swapcache_pages(void)
{
	return swap_cache.nrpages;
}

/* Puts the locked page into the cache under entry, whose slot count the
 * caller has already raised for it. 0, -EEXIST (another page is there),
 * -ENOMEM. */
static int
add_to_swap_cache(struct page *page, swp_entry_t entry)
{
	uint32_t flags;
	int err;

	assert_page_locked(page);
	BUG_ON(PageSwapCache(page));
	flags = spin_lock_irqsave(&swap_cache.lock);
	err = radix_tree_insert(&swap_cache.tree, entry.val, page);
	if (!err) {
		get_page(page);
		SetPageFlag(page, PG_swapcache);
		page->private = entry.val;
		swap_cache.nrpages++;
	}
	spin_unlock_irqrestore(&swap_cache.lock, flags);
	return err;
}

bool
add_to_swap(struct page *page)
{
	swp_entry_t entry;

	assert_page_locked(page);
	BUG_ON(!PageAnon(page) || PageSwapCache(page));
	entry = get_swap_page();                 /* its count of 1 is the cache's */
	if (swp_entry_none(entry))
		return false;
	if (add_to_swap_cache(page, entry)) {
		swap_free(entry);
		return false;
	}
	SetPageFlag(page, PG_dirty);             /* the slot does not hold it yet */
	return true;
}

/* Takes the locked page out of the tree. swap_cache.lock held; the
 * caller then drops the slot's count and the page reference. */
static swp_entry_t
swap_cache_tree_delete(struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);

	assert_page_locked(page);
	assert_spin_locked(&swap_cache.lock);
	BUG_ON(!PageSwapCache(page));
	BUG_ON(radix_tree_delete(&swap_cache.tree, entry.val) != page);
	ClearPageFlag(page, PG_swapcache);
	page->private = 0;
	swap_cache.nrpages--;
	return entry;
}

void
delete_from_swap_cache(struct page *page)
{
	uint32_t flags = spin_lock_irqsave(&swap_cache.lock);
	swp_entry_t entry = swap_cache_tree_delete(page);

	spin_unlock_irqrestore(&swap_cache.lock, flags);
	swap_free(entry);
	put_page(page);
}

bool
remove_swap_mapping(struct page *page, int extra_refs)
{
	swp_entry_t entry = { 0 };
	uint32_t flags;
	bool unused;

	assert_page_locked(page);
	BUG_ON(!PageSwapCache(page));
	flags = spin_lock_irqsave(&swap_cache.lock);
	/* lookups take their reference under the lock: none can come now */
	unused = page_count(page) == 1 + extra_refs && !page_mapcount(page) &&
		 !PageFlag(page, PG_dirty);
	if (unused)
		entry = swap_cache_tree_delete(page);
	spin_unlock_irqrestore(&swap_cache.lock, flags);
	if (!unused)
		return false;
	swap_free(entry);
	put_page(page);                          /* the cache's reference */
	return true;
}

struct page *
lookup_swap_cache(swp_entry_t entry)
{
	uint32_t flags = spin_lock_irqsave(&swap_cache.lock);
	struct page *page = radix_tree_lookup(&swap_cache.tree, entry.val);

	if (page)
		get_page(page);
	spin_unlock_irqrestore(&swap_cache.lock, flags);
	return page;
}

/* A new page for entry, locked and in the cache, read from the slot; or
 * NULL with *err set (0: the slot is free now, or a page appeared in the
 * cache meanwhile — look again). */
static struct page *
read_swap_page(swp_entry_t entry, int *err)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page) {
		*err = -ENOMEM;
		return NULL;
	}
	if (!trylock_page(page))
		BUG();                           /* new: no one else can hold it */
	*err = swap_duplicate_if_used(entry);    /* the cache's count */
	if (!*err) {
		*err = add_to_swap_cache(page, entry);
		if (*err)
			swap_free(entry);
	}
	if (*err) {
		unlock_page(page);
		put_page(page);
		*err = *err == -ENOMEM ? -ENOMEM : 0;   /* -ENOENT, -EEXIST: look again */
		return NULL;
	}
	/* the allocation's reference is the caller's; the cache took its own */
	if (swap_readpage(page, entry)) {
		/* no one can have mapped it yet: it leaves the cache again */
		delete_from_swap_cache(page);
		unlock_page(page);
		put_page(page);
		*err = -EIO;
		return NULL;
	}
	count_vm_event(PSWPIN);
	return page;
}

struct page *
swapin_page(swp_entry_t entry, bool *major, int *err)
{
	struct page *page;

	*major = false;
	*err = 0;
	for (;;) {
		page = lookup_swap_cache(entry);
		if (!page) {
			if (!swap_count(entry))
				return NULL;             /* freed: the PTE changed */
			page = read_swap_page(entry, err);
			if (page) {
				*major = true;
				return page;
			}
			if (*err)
				return NULL;
			continue;                        /* raced with another reader */
		}
		lock_page(page);
		if (PageSwapCache(page) && page_swap_entry(page).val == entry.val)
			return page;
		unlock_page(page);                       /* it left the cache meanwhile */
		put_page(page);
	}
}

bool
try_to_free_swap(struct page *page)
{
	assert_page_locked(page);
	if (!PageSwapCache(page) || PageFlag(page, PG_writeback) ||
	    swap_count(page_swap_entry(page)) != 1)
		return false;
	delete_from_swap_cache(page);
	SetPageFlag(page, PG_dirty);             /* no slot holds its contents now */
	return true;
}

void
free_swap_cache(struct page *page)
{
	if (!PageSwapCache(page) || page_mapcount(page) || !trylock_page(page))
		return;
	try_to_free_swap(page);
	unlock_page(page);
}

void
free_swap_and_cache(swp_entry_t entry)
{
	struct page *page;

	swap_free(entry);
	if (swap_count(entry) != 1)
		return;                          /* more swap PTEs, or no cached page */
	page = lookup_swap_cache(entry);
	if (!page)
		return;
	free_swap_cache(page);
	put_page(page);
}

void
replace_swap_cache_page(struct page *old, struct page *newpage)
{
	swp_entry_t entry = page_swap_entry(old);
	uint32_t flags;
	void **slot;

	assert_page_locked(old);
	assert_page_locked(newpage);
	flags = spin_lock_irqsave(&swap_cache.lock);
	slot = radix_tree_lookup_slot(&swap_cache.tree, entry.val);
	BUG_ON(!slot || *slot != old);
	*slot = newpage;
	get_page(newpage);
	SetPageFlag(newpage, PG_swapcache);
	newpage->private = entry.val;
	ClearPageFlag(old, PG_swapcache);
	old->private = 0;
	spin_unlock_irqrestore(&swap_cache.lock, flags);
	put_page(old);
}

void
free_swap_cache_of_type(uint32_t type)
{
	uint32_t next = swp_entry(type, 0).val, last = swp_entry(type, SWP_ENTRY_OFFSET_MASK).val;

	for (;;) {
		uint32_t flags = spin_lock_irqsave(&swap_cache.lock);
		struct page *page = NULL;
		uint32_t index;

		if (radix_tree_gang_lookup(&swap_cache.tree, (void **)&page, &index, next, 1) &&
		    index <= last)
			get_page(page);
		else
			page = NULL;
		spin_unlock_irqrestore(&swap_cache.lock, flags);
		if (!page)
			return;
		lock_page(page);
		if (PageSwapCache(page) && page_swap_entry(page).val == index)
			try_to_free_swap(page);
		unlock_page(page);
		put_page(page);
		next = index + 1;
	}
}
