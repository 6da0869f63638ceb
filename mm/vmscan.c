/*
 * mm/vmscan.c — page reclaim: freeing specific pages, chosen by age on
 * the LRU lists (mm/lru.c), by unmapping them from every process through
 * reverse mapping; and the shrinkers of the kernel's own caches.
 *
 *   active list --(shrink_active_list: accessed bits cleared, to the
 *                  inactive list; Linux since 2.6.28)--> inactive list
 *   inactive list tail --(reclaim_page)-->
 *        referenced since?  anonymous, or twice: back to active
 *                           once: kept on inactive (second chance)
 *        anonymous          a swap slot and the swap cache (add_to_swap)
 *        mapped             try_to_unmap_reclaim: swap PTEs / file PTEs
 *        dirty              written: to swap, or (kswapd only) to its file
 *        clean, unmapped    out of its cache: freed
 *
 * Who reclaims: kswapd, a kernel thread the allocator wakes when free
 * memory falls below the low watermark, until it is above the high one;
 * and an allocating task itself (direct reclaim, try_to_free_pages) when
 * free memory is below the minimum. Scanning starts gently (1/4096 of
 * each list, DEF_PRIORITY) and doubles each round until enough pages are
 * freed; /proc/sys/vm/swappiness weighs anonymous against file pages.
 *
 * Invariants: a page being reclaimed is isolated (off its list, with a
 * reference) and locked by us, while the rmap checker is not running
 * (pause_reclaim: it never sees PTEs half changed); it is freed only when no PTE maps it, it
 * is clean and only its cache and we hold it (remove_mapping,
 * remove_swap_mapping); anything else puts it back, nothing is lost.
 * Reclaim never runs inside itself (task->memalloc, set while it runs,
 * also lets its own allocations use the reserve below the minimum).
 *
 * Locks: direct reclaim runs under whatever its caller holds, so it never
 * waits for a sleeping lock: page locks are trylocked, rmap walks give up
 * on a busy anon_vma or i_mmap lock (try_lock), and the lock check treats
 * it as a fresh context (lockrank_reclaim_enter). Two exceptions, by
 * gfp: swap I/O (__GFP_IO; bd_lock, checked against the caller's real
 * locks: lockrank_reclaim_io_begin) and the shrinkers that call into file
 * systems (__GFP_FS). Direct reclaim never writes a file's page; kswapd,
 * which holds nothing, does. A file system allocating under its own
 * locks asks with GFP_NOFS.
 */
#include <mm/vmscan.h>
#include <mm/gfp.h>
#include <mm/lru.h>
#include <mm/rmap.h>
#include <mm/filemap.h>
#include <mm/swap_state.h>
#include <mm/page_alloc.h>
#include <mm/page_lock.h>
#include <mm/mlock.h>
#include <mm/shmem.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>
#include <kernel/lockrank.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <kernel/wait.h>
#include <arch/x86/irqflags.h>

#define MAX_SHRINKERS 4
#define DEF_PRIORITY 12                  /* the first round scans lists >> 12 */
#define SWAP_CLUSTER_MAX 32              /* pages isolated, and reclaimed, at a time */

static struct {
	unsigned long (*shrink)(unsigned long nr);
	bool needs_fs;
} shrinkers[MAX_SHRINKERS];
static unsigned nr_shrinkers;

int vm_swappiness = DEFAULT_SWAPPINESS;
/* Rounds in a row in which kswapd freed nothing: at MAX_RECLAIM_RETRIES
 * it stops being woken until direct reclaim frees something (Linux's
 * kswapd_failures), so a machine with nothing reclaimable does not spend
 * its time scanning. */
static unsigned kswapd_failures;

void
register_shrinker(unsigned long (*shrink)(unsigned long nr), bool needs_fs)
{
	BUG_ON(nr_shrinkers == MAX_SHRINKERS);
	shrinkers[nr_shrinkers].shrink = shrink;
	shrinkers[nr_shrinkers++].needs_fs = needs_fs;
}

/* One reclaim pass: what it may do and what it did. */
struct scan_control {
	unsigned long nr_to_reclaim;
	unsigned long nr_reclaimed;
	unsigned long nr_scanned;
	gfp_t gfp;
	bool kswapd;                     /* may write file pages; counts as kswapd's */
	bool may_swap;                   /* may write anonymous pages to swap */
	int priority;                    /* DEF_PRIORITY .. 0: scan lists >> priority */
	struct held_locks *callers_locks;/* direct reclaim: its caller's (lockcheck) */
};

/* What becomes of a page reclaim looked at. */
enum page_fate {
	PAGE_FREED,                      /* gone: count it */
	PAGE_KEEP,                       /* back to the inactive list */
	PAGE_ACTIVATE,                   /* back to the active list */
};

static bool swap_available(void);

/* Writes page to slot entry; from direct reclaim the I/O's locks are
 * checked against the caller's (arg: the scan_control). */
static int
reclaim_swap_writepage(struct page *page, swp_entry_t entry, void *arg)
{
	struct scan_control *sc = arg;
	struct held_locks reclaims;
	int err;

	if (sc->callers_locks)
		lockrank_reclaim_io_begin(sc->callers_locks, &reclaims);
	err = swap_writepage(page, entry);
	if (sc->callers_locks)
		lockrank_reclaim_io_end(sc->callers_locks, &reclaims);
	return err;
}

/* Was the page used since reclaim last looked? Linux's
 * page_check_references: a page accessed through its PTEs goes back to
 * the active list if it is anonymous, executable... here: if it is
 * anonymous or was seen referenced before (PG_referenced); once only, it
 * gets a second chance on the inactive list. */
static enum page_fate
check_references(struct page *page)
{
	int ptes = page_referenced_reclaim(page);
	bool seen_before = PageFlag(page, PG_referenced);

	if (ptes < 0)
		return PAGE_KEEP;                /* an rmap lock was busy: look later */
	if (!ptes) {
		ClearPageFlag(page, PG_referenced);
		return PAGE_FREED;               /* "go on": reclaim it */
	}
	SetPageFlag(page, PG_referenced);
	if (PageFlag(page, PG_swapbacked) || seen_before || ptes > 1)
		return PAGE_ACTIVATE;
	return PAGE_KEEP;
}

/* The anonymous page (locked, in the swap cache, unmapped) is written to
 * its slot if dirty; then it leaves the swap cache. */
static enum page_fate
reclaim_anon_page(struct page *page, struct scan_control *sc)
{
	if (PageFlag(page, PG_dirty)) {
		ClearPageFlag(page, PG_dirty);
		if (reclaim_swap_writepage(page, page_swap_entry(page), sc)) {
			SetPageFlag(page, PG_dirty);
			return PAGE_ACTIVATE;
		}
		count_vm_event(PSWPOUT);
	}
	return remove_swap_mapping(page, 1) ? PAGE_FREED : PAGE_KEEP;
}

/* The file page (locked, unmapped) is written if dirty (kswapd only),
 * then leaves its page cache. */
static enum page_fate
reclaim_file_page(struct page *page, struct scan_control *sc)
{
	if (PageFlag(page, PG_dirty)) {
		if (!sc->kswapd)
			return PAGE_KEEP;            /* kswapd or the flusher writes it */
		if (pageout_page(page))
			return PAGE_ACTIVATE;
	}
	return remove_mapping(page, 1) ? PAGE_FREED : PAGE_KEEP;
}

/* The shared-memory page (locked, unmapped) goes to swap: its file keeps
 * the slot's entry in its place (mm/shmem.c). */
static enum page_fate
reclaim_shmem_page(struct page *page, struct scan_control *sc)
{
	switch (shmem_writeout(page, 1, reclaim_swap_writepage, sc)) {
	case 0:
		return PAGE_FREED;
	case -EBUSY:
		return PAGE_KEEP;
	default:
		return PAGE_ACTIVATE;            /* no slot, or the write failed */
	}
}

/* Tries to free one isolated page (reference held, locked by the
 * caller). Linux's shrink_page_list for one page. */
static enum page_fate
reclaim_page(struct page *page, struct scan_control *sc, bool force)
{
	enum page_fate fate;

	if (PageFlag(page, PG_writeback) || PageFlag(page, PG_unevictable))
		return PAGE_KEEP;
	if (!page->mapping)
		return page_count(page) == 1 ? PAGE_FREED : PAGE_KEEP;   /* truncated: ours alone */
	if (!force) {
		fate = check_references(page);
		if (fate != PAGE_FREED)
			return fate;
	}
	if (PageAnon(page)) {
		if (!PageSwapCache(page) && (!sc->may_swap || !add_to_swap(page)))
			return PAGE_ACTIVATE;        /* no swap: it cannot go */
	} else if (PageFlag(page, PG_swapbacked) && (!sc->may_swap || !swap_available())) {
		return PAGE_ACTIVATE;            /* shared memory, no swap */
	}
	if (page_mapcount(page)) {
		switch (try_to_unmap_reclaim(page)) {
		case UNMAP_DONE:
			break;
		case UNMAP_MLOCKED:
			mlock_page_found_locked(page);   /* culled: to the unevictable list */
			return PAGE_KEEP;
		case UNMAP_AGAIN:
			return PAGE_KEEP;
		}
	}
	if (PageAnon(page))
		return reclaim_anon_page(page, sc);
	if (PageFlag(page, PG_swapbacked))
		return reclaim_shmem_page(page, sc);
	return reclaim_file_page(page, sc);
}

/*
 * Reclaim changes PTEs without mmap_lock, as migration does; the rmap
 * checker, which compares every page table with rmap, pauses it
 * (pause_reclaim): reclaim works on no new page and the checker waits for
 * the ones in flight. Counted with interrupts off (one CPU); reclaim never
 * waits here, it keeps the page for later.
 */
static unsigned reclaim_in_flight;       /* pages reclaim is working on */
static bool reclaim_paused;              /* the checker runs */

static bool
lock_page_for_reclaim(struct page *page)
{
	uint32_t flags = local_irq_save();
	bool go = !reclaim_paused;

	if (go)
		reclaim_in_flight++;
	local_irq_restore(flags);
	if (go && trylock_page(page))
		return true;
	if (go) {
		flags = local_irq_save();
		reclaim_in_flight--;
		local_irq_restore(flags);
	}
	return false;
}

static void
unlock_page_for_reclaim(struct page *page)
{
	uint32_t flags;

	unlock_page(page);
	flags = local_irq_save();
	reclaim_in_flight--;
	local_irq_restore(flags);
}

void
pause_reclaim(void)
{
	reclaim_paused = true;
	while (reclaim_in_flight)
		msleep(1);
}

void
resume_reclaim(void)
{
	reclaim_paused = false;
}

/* A kept page (locked) that no PTE maps and no swap PTE needs leaves the
 * swap cache: a zap that found it locked by us could not free its slot
 * (free_swap_cache only trylocks), and our putback may now free it. */
static void
drop_unneeded_swap_cache(struct page *page, enum page_fate fate)
{
	if (fate != PAGE_FREED && PageSwapCache(page) && !page_mapcount(page))
		try_to_free_swap(page);
}

/* Ends reclaim's hold on a page it looked at. */
static void
finish_page(struct page *page, enum page_fate fate)
{
	switch (fate) {
	case PAGE_FREED:
		put_page(page);                  /* the last reference: freed */
		return;
	case PAGE_ACTIVATE:
		if (!PageFlag(page, PG_active)) {
			SetPageFlag(page, PG_active);
			count_vm_event(PGACTIVATE);
		}
		break;
	case PAGE_KEEP:
		count_vm_event(PGROTATED);
		break;
	}
	lru_putback(page);
}

/* Reclaims what it can of the isolated pages on list; how many it freed. */
static unsigned long
shrink_page_list(struct list_head *list, struct scan_control *sc, bool force)
{
	unsigned long freed = 0;

	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);
		enum page_fate fate = PAGE_KEEP;

		list_del_init(&page->lru);
		if (lock_page_for_reclaim(page)) {
			fate = reclaim_page(page, sc, force);
			drop_unneeded_swap_cache(page, fate);
			unlock_page_for_reclaim(page);
		}
		if (fate == PAGE_FREED)
			freed++;
		finish_page(page, fate);
	}
	return freed;
}

/* Up to nr pages from the tail of the inactive list l. */
static void
shrink_inactive_list(enum lru_list l, unsigned long nr, struct scan_control *sc)
{
	LIST_HEAD(isolated);
	unsigned long scanned, freed;

	lru_isolate(l, nr, &isolated, &scanned);
	freed = shrink_page_list(&isolated, sc, false);
	sc->nr_scanned += scanned;
	sc->nr_reclaimed += freed;
	count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, scanned);
	count_vm_events(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, freed);
}

/* Moves up to nr pages from the tail of the active list l to its inactive
 * list, clearing their accessed bits: whatever is used again before
 * reclaim reaches it there comes back (Linux since 2.6.28). */
static void
shrink_active_list(enum lru_list l, unsigned long nr)
{
	LIST_HEAD(isolated);
	unsigned long scanned;

	lru_isolate(l, nr, &isolated, &scanned);
	while (!list_empty(&isolated)) {
		struct page *page = list_first_entry(&isolated, struct page, lru);

		list_del_init(&page->lru);
		page_referenced_reclaim(page);
		ClearPageFlag(page, PG_active);
		count_vm_event(PGDEACTIVATE);
		lru_putback(page);
	}
}

/* Is there swap to write anonymous pages to? */
static bool
swap_available(void)
{
	unsigned long total, free;

	si_swapinfo(&total, &free);
	return free > 0;
}

/* How many pages of the kind whose inactive list is l (anon or file)
 * to scan this round: the size of its two lists >> priority, weighted by
 * swappiness (anon: swappiness, file: 200 - swappiness, as Linux's
 * get_scan_count in its simplest case). */
static unsigned long
scan_count(enum lru_list l, const struct scan_control *sc, bool anon_ok)
{
	bool anon = l <= LRU_ACTIVE_ANON;
	unsigned long size = lru_list_pages(l) + lru_list_pages(l + 1), weight, nr;

	if (anon && !anon_ok)
		return 0;
	weight = anon ? (unsigned long)vm_swappiness : 200 - (unsigned long)vm_swappiness;
	if (anon && !weight && !lru_list_pages(LRU_INACTIVE_FILE) && !lru_list_pages(LRU_ACTIVE_FILE))
		weight = 100;                    /* swappiness 0: anon only when no file is left */
	nr = size >> sc->priority;
	if (!nr && size && sc->priority < DEF_PRIORITY / 2)
		nr = size < SWAP_CLUSTER_MAX ? size : SWAP_CLUSTER_MAX;
	return nr * weight / 100;
}

/* One round over the lists at sc->priority. */
static void
shrink_lists(struct scan_control *sc)
{
	bool anon_ok = sc->may_swap && swap_available();
	unsigned long nr[2];

	nr[0] = scan_count(LRU_INACTIVE_ANON, sc, anon_ok);
	nr[1] = scan_count(LRU_INACTIVE_FILE, sc, anon_ok);
	while ((nr[0] || nr[1]) && sc->nr_reclaimed < sc->nr_to_reclaim) {
		for (int i = 0; i < 2; i++) {
			enum lru_list inactive = i ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
			unsigned long batch = nr[i] < SWAP_CLUSTER_MAX ? nr[i] : SWAP_CLUSTER_MAX;

			if (!batch)
				continue;
			nr[i] -= batch;
			/* keep the inactive list about as long as the active one */
			if (lru_list_pages(inactive) < lru_list_pages(inactive + 1))
				shrink_active_list(inactive + 1, batch);
			shrink_inactive_list(inactive, batch, sc);
		}
	}
}

/* Rounds of rising priority until nr_to_reclaim pages are freed; if the
 * lists could not give that many, the shrinkers gfp allows, each asked for
 * what is missing (a cache emptied at every batch, the buffer cache's
 * metadata, would only be read again). Pages freed. */
static unsigned long
do_reclaim(struct scan_control *sc)
{
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		shrink_lists(sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			return sc->nr_reclaimed;
	}
	for (unsigned i = 0; i < nr_shrinkers && sc->nr_reclaimed < sc->nr_to_reclaim; i++)
		if (!shrinkers[i].needs_fs || (sc->gfp & __GFP_FS))
			sc->nr_reclaimed += shrinkers[i].shrink(sc->nr_to_reclaim - sc->nr_reclaimed);
	return sc->nr_reclaimed;
}

void
reclaim_throttle(void)
{
	wakeup_kswapd();
	msleep(RECLAIM_THROTTLE_MS);
}

bool
reclaim_may_use_reserve(void)
{
	return current && current->memalloc;
}

unsigned long
try_to_free_pages(gfp_t gfp)
{
	struct held_locks callers_locks;
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX, .gfp = gfp,
		.may_swap = gfp & __GFP_IO, .callers_locks = &callers_locks,
	};

	if (!(gfp & __GFP_WAIT) || !current || current->memalloc || preempt_count ||
	    irqs_disabled())
		return 0;
	current->memalloc = true;
	lockrank_reclaim_enter(&callers_locks);
	if (!lockcheck_enabled)
		sc.callers_locks = NULL;
	do_reclaim(&sc);
	lockrank_reclaim_exit(&callers_locks);
	current->memalloc = false;
	if (sc.nr_reclaimed)
		kswapd_failures = 0;             /* there is something to reclaim again */
	return sc.nr_reclaimed;
}

/* ---- MADV_PAGEOUT and MADV_COLD ---------------------------------------- */

bool
reclaim_isolated_page(struct page *page)
{
	struct scan_control sc = { .nr_to_reclaim = 1, .gfp = GFP_KERNEL, .kswapd = true,
				   .may_swap = true };
	enum page_fate fate = PAGE_KEEP;

	might_sleep();
	if (lock_page_for_reclaim(page)) {
		fate = reclaim_page(page, &sc, true);
		drop_unneeded_swap_cache(page, fate);
		unlock_page_for_reclaim(page);
	}
	finish_page(page, fate == PAGE_ACTIVATE ? PAGE_KEEP : fate);
	return fate == PAGE_FREED;
}

void
deactivate_isolated_page(struct page *page)
{
	if (PageFlag(page, PG_active)) {
		ClearPageFlag(page, PG_active);
		count_vm_event(PGDEACTIVATE);
	}
	ClearPageFlag(page, PG_referenced);
	lru_putback(page);
}

/* ---- kswapd --------------------------------------------------------------- */

static DEFINE_WAIT_QUEUE_HEAD(kswapd_wait);
static bool kswapd_woken;
static bool kswapd_running;

void
wakeup_kswapd(void)
{
	if (!kswapd_running || kswapd_woken || kswapd_failures >= MAX_RECLAIM_RETRIES)
		return;
	kswapd_woken = true;
	wake_up(&kswapd_wait);
}

/* Reclaims until free memory is above the high watermark, or a round at
 * every priority left free memory no higher (what the shrinkers report
 * freeing is objects, not pages: free memory is what counts). */
static void
balance_memory(void)
{
	unsigned long free;

	while ((free = nr_free_pages()) < high_wmark_pages()) {
		struct scan_control sc = {
			.nr_to_reclaim = high_wmark_pages() - free,
			.gfp = GFP_KERNEL, .kswapd = true, .may_swap = true,
		};

		if (sc.nr_to_reclaim > 4 * SWAP_CLUSTER_MAX)
			sc.nr_to_reclaim = 4 * SWAP_CLUSTER_MAX;
		do_reclaim(&sc);
		if (nr_free_pages() <= free) {
			kswapd_failures++;
			return;
		}
		kswapd_failures = 0;
	}
}

static int
kswapd_thread(void *arg)
{
	(void)arg;
	current->memalloc = true;                /* its allocations never reclaim */
	for (;;) {
		wait_event(kswapd_wait, kswapd_woken);
		balance_memory();
		kswapd_woken = false;
	}
	return 0;
}

void
kswapd_init(void)
{
	if (!kthread_run(kswapd_thread, NULL, "kswapd0")) {
		printk(KERN_WARNING "vmscan: no kswapd: allocations reclaim for themselves\n");
		return;
	}
	kswapd_running = true;
}
