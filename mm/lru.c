/*
 * mm/lru.c — the LRU lists.
 *
 * Every page user space can reach is on exactly one of five lists from
 * when it becomes a user page until it is freed:
 *
 *   active_anon, inactive_anon   anonymous pages, and shared memory (a
 *                                tmpfs file): only swap can free them
 *   active_file, inactive_file   page cache of files with backing store:
 *                                dropped when clean, written back first
 *   unevictable                  pages nothing can free: ramfs files,
 *                                and mlocked pages (PG_mlocked: a VM_LOCKED
 *                                VMA maps them; mm/mlock.c)
 *
 * A new anonymous page starts active (it was just written); a new
 * page-cache page starts inactive, so a file read once does not push
 * out what is in use (Linux's rules before 5.9). Reclaim
 * (mm/vmscan.c) ages pages from active to inactive and frees from the
 * tail of inactive, finding the PTEs of a specific page through reverse
 * mapping; it isolates the pages it works on (lru_isolate) and puts back
 * those it keeps (lru_putback).
 *
 * Being on a list holds no reference: a page leaves its list when its
 * last reference goes (put_page calls lru_page_freed), so the "are we its
 * only user" test of a COW fault (page_count == 1) is not fooled by the
 * lists. A page migrated to a new frame leaves its place to the new one
 * (lru_replace_page). A page's list is chosen when it joins, from its kind
 * then; a page-cache page truncated while still referenced stays on its
 * list until it is freed.
 *
 * Which list a page is on is in its flags (page_lru): PG_unevictable, else
 * PG_swapbacked (anon) or not (file), and PG_active. They are set when it
 * joins and cleared when it leaves.
 *
 * Mlocked pages (the section at the end): mm/mlock.c says when a page
 * becomes mlocked or stops being so; lru_set_mlocked moves it from an
 * evictable list to the unevictable one, lru_putback_munlocked back to the
 * inactive list of its kind. Reclaim scans only the four evictable lists,
 * so it never meets a mlocked page there except in Linux's race (a
 * page still on an evictable list, or taken off it by reclaim, when its
 * VMA becomes locked), for which mlock_page_found_locked (mm/mlock.h) is
 * the cull. A page mlocked or munlocked while reclaim has it isolated gets
 * the flags of its new list, so lru_putback puts it there.
 *
 * Invariants (lru_check): PG_lru <=> the page is on a list, the one its
 * flags name; a list's length == the node counter NR_INACTIVE_ANON + l
 * (mm/vmstat.h); a PG_mlocked page on a list is on the unevictable one, and
 * a page there is mlocked or of an unevictable kind (or truncated out of its
 * file). NR_MLOCK counts the PG_mlocked pages, on a list or not (checked by
 * the rmap checker, with "PG_mlocked <=> a VM_LOCKED PTE maps it").
 *
 * Locks: lru_lock, a spinlock taken with interrupts off at the bottom of
 * the lock order (under page_table_lock when a fault maps a new page,
 * under tree_lock when put_page frees a page-cache page); nothing is taken
 * under it.
 */
#include <mm/lru.h>
#include <mm/rmap.h>
#include <mm/filemap.h>
#include <mm/shmem.h>
#include <mm/vmstat.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <libk/list.h>

static struct {
	spinlock_t lock;
	struct list_head lists[NR_LRU_LISTS];   /* head: most recently added; the
						 * lengths are the node counters */
} lru = {
	.lock = SPINLOCK_INIT(lru_lock),
	.lists = {
		LIST_HEAD_INIT(lru.lists[0]), LIST_HEAD_INIT(lru.lists[1]),
		LIST_HEAD_INIT(lru.lists[2]), LIST_HEAD_INIT(lru.lists[3]),
		LIST_HEAD_INIT(lru.lists[4]),
	},
};

_Static_assert(NR_UNEVICTABLE - NR_INACTIVE_ANON == LRU_UNEVICTABLE,
	       "the node counters follow the lists");

static bool
lru_is_active(enum lru_list l)
{
	return l == LRU_ACTIVE_ANON || l == LRU_ACTIVE_FILE;
}

static enum lru_list evictable_lru(const struct page *page);
static void mlocked_page_freed(struct page *page);
static bool mlock_list_mismatch(const struct page *page, enum lru_list l);

/* The list a new user page joins (or one put back after isolation: a
 * mlocked page goes to the unevictable list). */
static enum lru_list
new_page_lru(const struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (PageFlag(page, PG_mlocked))
		return LRU_UNEVICTABLE;
	if (PageAnon(page))
		return LRU_ACTIVE_ANON;
	BUG_ON(!mapping);
	if (mapping_is_shmem(mapping))
		return LRU_INACTIVE_ANON;
	if (!mapping_can_writeback(mapping))
		return LRU_UNEVICTABLE;
	return LRU_INACTIVE_FILE;
}

/* The list the flags of page name (PG_lru set). */
static enum lru_list
page_lru(const struct page *page)
{
	if (PageFlag(page, PG_unevictable))
		return LRU_UNEVICTABLE;
	return (PageFlag(page, PG_swapbacked) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE) +
	       PageFlag(page, PG_active);
}

/* Puts page on list l. lru_lock held. */
static void
add_page_to_list(struct page *page, enum lru_list l)
{
	assert_spin_locked(&lru.lock);
	BUG_ON(PageFlag(page, PG_lru));
	list_add(&page->lru, &lru.lists[l]);
	__mod_node_page_state(NR_INACTIVE_ANON + l, 1);
	SetPageFlag(page, PG_lru);
	if (lru_is_active(l))
		SetPageFlag(page, PG_active);
	if (l == LRU_UNEVICTABLE)
		SetPageFlag(page, PG_unevictable);
	else if (l <= LRU_ACTIVE_ANON)
		SetPageFlag(page, PG_swapbacked);
}

/* Takes page off list l, which it is on. lru_lock held. */
static void
del_page_from_list(struct page *page, enum lru_list l)
{
	assert_spin_locked(&lru.lock);
	list_del_init(&page->lru);
	__mod_node_page_state(NR_INACTIVE_ANON + l, -1);
	page->flags &= ~LRU_FLAGS;
}

void
lru_cache_add(struct page *page)
{
	enum lru_list l = new_page_lru(page);
	uint32_t flags = spin_lock_irqsave(&lru.lock);

	add_page_to_list(page, l);
	spin_unlock_irqrestore(&lru.lock, flags);
}

void
lru_page_freed(struct page *page)
{
	uint32_t flags;

	BUG_ON(page_count(page) != 0);
	flags = spin_lock_irqsave(&lru.lock);
	if (PageFlag(page, PG_lru))
		del_page_from_list(page, page_lru(page));
	else
		page->flags &= ~LRU_FLAGS;       /* isolated by reclaim, which let go last */
	if (PageFlag(page, PG_mlocked))
		mlocked_page_freed(page);        /* (an isolated one keeps PG_unevictable till here) */
	spin_unlock_irqrestore(&lru.lock, flags);
}

unsigned long
lru_isolate(enum lru_list l, unsigned long nr, struct list_head *out, unsigned long *scanned)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);
	unsigned long taken = 0;

	*scanned = 0;
	while (*scanned < nr && !list_empty(&lru.lists[l])) {
		struct page *page = list_last_entry(&lru.lists[l], struct page, lru);

		(*scanned)++;
		if (page_count(page) == 0) {
			/* its last put_page is about to take it off: leave it */
			list_move(&page->lru, &lru.lists[l]);
			continue;
		}
		get_page(page);
		list_move(&page->lru, out);
		__mod_node_page_state(NR_INACTIVE_ANON + l, -1);
		ClearPageFlag(page, PG_lru);
		taken++;
	}
	spin_unlock_irqrestore(&lru.lock, flags);
	return taken;
}

void
lru_putback(struct page *page)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);
	enum lru_list l;

	BUG_ON(PageFlag(page, PG_lru));
	l = page_lru(page);
	list_add(&page->lru, &lru.lists[l]);
	__mod_node_page_state(NR_INACTIVE_ANON + l, 1);
	SetPageFlag(page, PG_lru);
	spin_unlock_irqrestore(&lru.lock, flags);
	put_page(page);                          /* the isolation's reference */
}

bool
lru_isolate_page(struct page *page)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);
	bool taken = PageFlag(page, PG_lru) && page_count(page) > 0;

	if (taken) {
		get_page(page);
		list_del_init(&page->lru);
		__mod_node_page_state(NR_INACTIVE_ANON + page_lru(page), -1);
		ClearPageFlag(page, PG_lru);
	}
	spin_unlock_irqrestore(&lru.lock, flags);
	return taken;
}

void
lru_replace_page(struct page *old, struct page *newpage)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);

	if (PageFlag(old, PG_lru)) {
		BUG_ON(PageFlag(newpage, PG_lru));
		list_replace_init(&old->lru, &newpage->lru);
		newpage->flags = (newpage->flags & ~LRU_FLAGS) | (old->flags & LRU_FLAGS);
		old->flags &= ~LRU_FLAGS;
	}
	spin_unlock_irqrestore(&lru.lock, flags);
}

unsigned long
lru_list_pages(enum lru_list l)
{
	return global_node_page_state(NR_INACTIVE_ANON + l);
}

int
lru_check(bool verbose)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);
	int errors = 0;

	for (int l = 0; l < NR_LRU_LISTS; l++) {
		unsigned long n = 0;
		struct page *page;

		list_for_each_entry(page, &lru.lists[l], lru) {
			n++;
			/* count 0: its last put_page is taking it off right now */
			if (!PageFlag(page, PG_lru) || page_lru(page) != (enum lru_list)l ||
			    page_count(page) < 0 || mlock_list_mismatch(page, l)) {
				if (verbose)
					printk(KERN_ERR "lru_check: pfn %#lx on list %d: flags %#x count %d\n",
					       page_to_pfn(page), l, page->flags, page_count(page));
				errors++;
			}
		}
		if ((long)n != vm_node_stat[NR_INACTIVE_ANON + l]) {
			if (verbose)
				printk(KERN_ERR "lru_check: list %d holds %lu pages, counted %ld\n", l, n,
				       vm_node_stat[NR_INACTIVE_ANON + l]);
			errors++;
		}
	}
	spin_unlock_irqrestore(&lru.lock, flags);
	return errors;
}

/* ---- mlocked pages ---------------------------------------------------------
 *
 * PG_mlocked says that a VM_LOCKED VMA maps the page; mm/mlock.c decides
 * when it is set and cleared, and these functions do it under lru_lock,
 * moving the page between lists. A mlocked page that is on a list is on
 * the unevictable one, so reclaim, which scans only the four others, never
 * meets it there. NR_MLOCK counts the pages with PG_mlocked, on a list or
 * not: a page reclaim has taken off its list keeps the flag, and its
 * putback lands it on the unevictable list (retarget_isolated_page).
 */

/* The list a page goes back to when nothing locks it any more: the
 * inactive list of its kind (as Linux puts back a munlocked page), or
 * the unevictable list for a file nothing can write back (ramfs). A page
 * truncated out of its file (no mapping left) counts as file. */
static enum lru_list
evictable_lru(const struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (PageAnon(page) || (mapping && mapping_is_shmem(mapping)))
		return LRU_INACTIVE_ANON;
	if (mapping && !mapping_can_writeback(mapping))
		return LRU_UNEVICTABLE;
	return LRU_INACTIVE_FILE;
}

/* lru_check's part: a mlocked page on an evictable list, or a page on the
 * unevictable list that neither a lock nor its kind keeps there. */
static bool
mlock_list_mismatch(const struct page *page, enum lru_list l)
{
	if (PageFlag(page, PG_mlocked))
		return l != LRU_UNEVICTABLE;
	return l == LRU_UNEVICTABLE && page->mapping && evictable_lru(page) != LRU_UNEVICTABLE;
}

/* Moves page from the list it is on to list l. lru_lock held. */
static void
move_page_to_list(struct page *page, enum lru_list l)
{
	enum lru_list from = page_lru(page);

	if (from == l)
		return;
	del_page_from_list(page, from);
	add_page_to_list(page, l);
}

/* A page reclaim has isolated (off every list, PG_lru clear, its
 * reference held) gets the flags of list l, so lru_putback puts it there.
 * lru_lock held. */
static void
retarget_isolated_page(struct page *page, enum lru_list l)
{
	BUG_ON(PageFlag(page, PG_lru));
	page->flags &= ~LRU_FLAGS;
	if (l == LRU_UNEVICTABLE)
		SetPageFlag(page, PG_unevictable);
	else if (l <= LRU_ACTIVE_ANON)
		SetPageFlag(page, PG_swapbacked);
	if (lru_is_active(l))
		SetPageFlag(page, PG_active);
}

/* lru_page_freed's part: a page freed with PG_mlocked leaves the count.
 * lru_lock held. */
static void
mlocked_page_freed(struct page *page)
{
	ClearPageFlag(page, PG_mlocked);
	__mod_node_page_state(NR_MLOCK, -1);
	count_vm_event(UNEVICTABLE_PGCLEARED);
}

bool
lru_set_mlocked(struct page *page)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);
	bool newly = !PageFlag(page, PG_mlocked);

	if (newly) {
		SetPageFlag(page, PG_mlocked);
		__mod_node_page_state(NR_MLOCK, 1);
	}
	if (PageFlag(page, PG_lru))
		move_page_to_list(page, LRU_UNEVICTABLE);
	else
		retarget_isolated_page(page, LRU_UNEVICTABLE);   /* reclaim's cull */
	spin_unlock_irqrestore(&lru.lock, flags);
	return newly;
}

bool
lru_clear_mlocked(struct page *page)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);
	bool was = PageFlag(page, PG_mlocked);

	if (was) {
		ClearPageFlag(page, PG_mlocked);
		__mod_node_page_state(NR_MLOCK, -1);
	}
	spin_unlock_irqrestore(&lru.lock, flags);
	return was;
}

bool
lru_putback_munlocked(struct page *page)
{
	uint32_t flags = spin_lock_irqsave(&lru.lock);
	bool moved = false;

	if (!PageFlag(page, PG_mlocked) && PageFlag(page, PG_unevictable) &&
	    evictable_lru(page) != LRU_UNEVICTABLE) {
		if (PageFlag(page, PG_lru))
			move_page_to_list(page, evictable_lru(page));
		else
			retarget_isolated_page(page, evictable_lru(page));
		moved = true;
	}
	spin_unlock_irqrestore(&lru.lock, flags);
	return moved;
}
