/*
 * mm/rmap_check.c — the reverse-map consistency checker.
 *
 * Two independent views of "who maps this page" must agree:
 *
 *   forward:  every mm's VMAs and page tables, scanned PTE by PTE, give
 *             for each frame the number of PTEs that map it;
 *   reverse:  rmap_walk(page), from the page's anon_vma or address_space,
 *             finds the PTEs that map it.
 *
 * For every frame: page_mapcount == forward count; a mapped page has an
 * anon_vma or address_space, its reference count covers its mappings (and
 * the page cache's reference), and
 * the reverse walk finds exactly as many PTEs as the scan (since a walk
 * visits each (VMA, address) once and only counts PTEs that really map
 * the page, equal counts mean equal sets). Each disagreement is one
 * mismatch; 0 means consistent.
 *
 * The walk trusts the interval trees (an anon_vma's, a file's i_mmap) to
 * hold each VMA under its current page range, so the checker also
 * compares, for every VMA, the range each tree filed it under with
 * [vm_pgoff, vma_last_pgoff]: a stale one is a mismatch too (a range
 * change that skipped vma_set_range). A nonlinear VMA must be on its
 * file's i_mmap_nonlinear instead (the walk searches those), and a file
 * PTE found outside a nonlinear VMA is a mismatch (a fault would take
 * its offset for a linear VMA's).
 *
 * Mlocked pages (mm/mlock.c): a frame that a PTE of a VM_LOCKED VMA maps
 * must be PG_mlocked; over every mm, a PG_mlocked frame must be mapped by
 * such a PTE, and the PG_mlocked frames must number NR_MLOCK (meminfo
 * Mlocked). lru_check adds that a mlocked page on a list is on the
 * unevictable one.
 *
 * With every mm scanned, each swap slot's count must equal the swap PTEs
 * naming it, plus one if the swap cache holds a page for it, plus one if
 * a shared-memory file keeps it for a page (mm/shmem.c); a swap PTE
 * naming no slot of an active area is a mismatch too.
 *
 * Locks: migrate_mutex (no migration half done) and reclaim paused, then every mm's
 * mmap_lock in address order (the only other holder of two is fork, whose
 * second is a child not yet on the mm list), so no PTE of any user page
 * changes while the two views are taken; rmap_walk and the filing check
 * then take anon_vma, i_mmap and page-table locks inside, as the lock
 * order allows.
 */
#include <mm/rmap.h>
#include <mm/lru.h>
#include <mm/mm.h>
#include <mm/migrate.h>
#include <mm/pagewalk.h>
#include <mm/page_alloc.h>
#include <mm/shmem.h>
#include <mm/vmscan.h>
#include <mm/swap_state.h>
#include <mm/swapops.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <libk/string.h>

#define MAX_CHECKED_MMS (PAGE_SIZE / sizeof(struct mm_struct *))

/* Per-frame counts of PTEs found by the forward scan, and where to keep them. */
struct rmap_scan {
	uint16_t *ptes;               /* [max_pfn] */
	unsigned order;               /* of the allocation */
	uint32_t *locked;             /* [max_pfn] bits: a VM_LOCKED VMA's PTE maps the frame */
	unsigned locked_order;
	const struct vm_area_struct *vma;   /* the VMA being scanned */
	int stray_file_ptes;          /* file PTEs found outside nonlinear VMAs */
	int stray_swap_ptes;          /* swap PTEs naming no slot of an active area */
	/* a check of every mm: references found to each slot of each swap area */
	uint16_t *swap_refs[MAX_SWAPFILES + 1];
	uint32_t swap_slots[MAX_SWAPFILES + 1];
};

static unsigned
order_for_bytes(unsigned long bytes)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static void
sort_mms(struct mm_struct **mms, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && mms[j] < mms[j - 1]; j--) {
			struct mm_struct *t = mms[j];

			mms[j] = mms[j - 1];
			mms[j - 1] = t;
		}
}

#define BITS_PER_WORD 32

static void
mark_locked(struct rmap_scan *scan, unsigned long pfn)
{
	scan->locked[pfn / BITS_PER_WORD] |= 1u << (pfn % BITS_PER_WORD);
}

static bool
is_locked(const struct rmap_scan *scan, unsigned long pfn)
{
	return scan->locked[pfn / BITS_PER_WORD] & (1u << (pfn % BITS_PER_WORD));
}

/* One reference to entry's slot found (a swap PTE, the swap cache); with
 * the swap counts not being checked (swap_refs NULL) only its validity. */
static void
count_swap_ref(struct rmap_scan *scan, swp_entry_t entry)
{
	uint32_t type = swp_type(entry);

	if (!scan->swap_refs[type] || swp_offset(entry) >= scan->swap_slots[type])
		scan->stray_swap_ptes += type > MAX_SWAPFILES || !swap_area_slots(type, NULL);
	else
		scan->swap_refs[type][swp_offset(entry)]++;
}

/* pte_table of the scan: counts the frames the slots of [addr, end) map,
 * and the swap slots they name. */
static int
scan_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	struct rmap_scan *scan = walk->private;
	bool locked = scan->vma->vm_flags & VM_LOCKED;

	for (uint32_t n = (end - addr) >> PAGE_SHIFT; n; n--, ptep++) {
		if (pte_mapped(*ptep) && pfn_valid(pte_pfn(*ptep))) {
			scan->ptes[pte_pfn(*ptep)]++;
			if (locked)
				mark_locked(scan, pte_pfn(*ptep));
		} else if (pte_file(*ptep) && !(scan->vma->vm_flags & VM_NONLINEAR)) {
			scan->stray_file_ptes++;
		} else if (pte_is_swap(*ptep) && !is_migration_entry(*ptep)) {
			count_swap_ref(scan, pte_to_swp_entry(*ptep));
		}
	}
	return 0;
}

/* No page_table_lock: with every mmap_lock and migrate_mutex held, no
 * user PTE changes during the check. */
static const struct mm_walk_ops scan_ops = { .pte_table = scan_pte_table };

static void
report_filing(bool verbose, const struct vm_area_struct *vma, const char *tree,
	      const struct interval_node *it)
{
	if (verbose)
		printk(KERN_ERR "rmap_check: VMA [%#x, %#x) pgoff %#x: %s has it %s [%#x, %#x]\n",
		       vma->vm_start, vma->vm_end, vma->vm_pgoff, tree,
		       interval_node_linked(it) ? "under" : "not filed, last under",
		       it->start, it->last);
}

static bool
filed_under_range(const struct interval_node *it, const struct vm_area_struct *vma)
{
	return interval_node_linked(it) && it->start == vma->vm_pgoff &&
	       it->last == vma_last_pgoff(vma);
}

/* True if the nonlinear vma is on its own file's i_mmap_nonlinear.
 * i_mmap_lock held. */
static bool
on_nonlinear_list(const struct vm_area_struct *vma)
{
	struct vm_area_struct *v;

	list_for_each_entry(v, &vma_mapping(vma)->i_mmap_nonlinear, nonlinear)
		if (v == vma)
			return true;
	return false;
}

/* The mismatches between vma's page range and the ranges the interval
 * trees of its anon_vmas and its file's i_mmap filed it under (a
 * nonlinear VMA: that it is on i_mmap_nonlinear instead). */
static int
check_vma_filing(struct vm_area_struct *vma, bool verbose)
{
	struct anon_vma_chain *avc;
	int errors = 0;

	if (vma->anon_vma)
		mutex_lock(&vma->anon_vma->root->lock);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (!filed_under_range(&avc->rb, vma)) {
			report_filing(verbose, vma, "an anon_vma tree", &avc->rb);
			errors++;
		}
	if (vma->anon_vma)
		mutex_unlock(&vma->anon_vma->root->lock);
	if (vma->vm_file) {
		mutex_lock(&vma_mapping(vma)->i_mmap_lock);
		if (vma->vm_flags & VM_NONLINEAR) {
			if (!on_nonlinear_list(vma) || interval_node_linked(&vma->shared)) {
				if (verbose)
					printk(KERN_ERR "rmap_check: nonlinear VMA [%#x, %#x) is not (only) on its file's i_mmap_nonlinear\n",
					       vma->vm_start, vma->vm_end);
				errors++;
			}
		} else if (!filed_under_range(&vma->shared, vma)) {
			report_filing(verbose, vma, "its file's i_mmap", &vma->shared);
			errors++;
		}
		mutex_unlock(&vma_mapping(vma)->i_mmap_lock);
	}
	return errors;
}

/* Counts, per frame, the PTEs of mm's VMAs that map it; returns the VMAs'
 * filing mismatches. */
static int
scan_mm(struct mm_struct *mm, struct rmap_scan *scan, bool verbose)
{
	struct vm_area_struct *vma;
	int errors = 0;

	list_for_each_entry(vma, &mm->mmap_list, vm_list) {
		scan->vma = vma;
		walk_page_range(mm, vma->vm_start, vma->vm_end, &scan_ops, scan);
		errors += check_vma_filing(vma, verbose);
	}
	return errors;
}

static bool
count_mapping(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (pte_maps_page(*ptep, page))
		(*(int *)arg)++;
	return true;
}

static int
reverse_count(struct page *page)
{
	int found = 0;
	struct rmap_walk_control rwc = { .arg = &found, .visit = count_mapping };

	rmap_walk(page, &rwc);
	return found;
}

static void
report(bool verbose, const struct page *page, const char *what, int expected, int got)
{
	if (verbose)
		printk(KERN_ERR "rmap_check: pfn %#lx: %s: expected %d, got %d (mapping %p index %#x flags %#x count %d)\n",
		       page_to_pfn(page), what, expected, got, page->mapping, page->index, page->flags,
		       page_count(page));
}

/* The mismatches of one frame, given the forward count. */
static int
check_frame(struct page *page, int ptes, bool verbose)
{
	int errors = 0, refs_needed, found;

	if (page_mapcount(page) != ptes) {
		report(verbose, page, "mapcount vs PTEs scanned", ptes, page_mapcount(page));
		errors++;
	}
	if (!ptes)
		return errors;
	if (!page->mapping) {
		report(verbose, page, "mapped page without anon_vma or address_space", 1, 0);
		return errors + 1;
	}
	refs_needed = ptes + (page_mapping(page) ? 1 : 0);
	if (page_count(page) < refs_needed) {
		report(verbose, page, "references below mappings", refs_needed, page_count(page));
		errors++;
	}
	found = reverse_count(page);
	if (found != ptes) {
		report(verbose, page, "PTEs found by rmap_walk vs scanned", ptes, found);
		errors++;
	}
	return errors;
}

/* Checks the frames the scan found mapped and, when the scan covered
 * every mm, also frames that claim mappings no one has; counts the swap
 * cache's references to slots. */
static int
check_frames(struct rmap_scan *scan, bool every_mm, bool verbose)
{
	int errors = 0;

	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (scan->ptes[pfn] || (every_mm && page->_mapcount >= 0))
			errors += check_frame(page, scan->ptes[pfn], verbose);
		if (PageSwapCache(page))
			count_swap_ref(scan, page_swap_entry(page));
	}
	return errors;
}

/* The mlock mismatches: a frame a locked PTE maps without PG_mlocked; over
 * every mm also PG_mlocked without one, and NR_MLOCK against the frames
 * with the flag. */
static int
check_mlocked_frames(const struct rmap_scan *scan, bool every_mm, bool verbose)
{
	unsigned long mlocked = 0;
	int errors = 0;

	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		bool flag = PageFlag(page, PG_mlocked);

		mlocked += flag;
		if (flag == is_locked(scan, pfn) || (flag && !every_mm))
			continue;
		report(verbose, page, flag ? "PG_mlocked without a VM_LOCKED PTE"
					   : "mapped by a VM_LOCKED VMA without PG_mlocked", !flag, flag);
		errors++;
	}
	if (every_mm && mlocked != global_node_page_state(NR_MLOCK)) {
		if (verbose)
			printk(KERN_ERR "rmap_check: %lu frames PG_mlocked, NR_MLOCK %lu\n", mlocked,
			       global_node_page_state(NR_MLOCK));
		errors++;
	}
	return errors;
}

/* Arrays for the references to every slot of every active swap area
 * (a check of every mm only); false if memory ran out. */
static bool
alloc_swap_refs(struct rmap_scan *scan)
{
	for (uint32_t t = 1; t <= MAX_SWAPFILES; t++) {
		scan->swap_slots[t] = swap_area_slots(t, NULL);
		if (!scan->swap_slots[t])
			continue;
		scan->swap_refs[t] = get_free_pages(GFP_KERNEL | __GFP_ZERO,
						    order_for_bytes(scan->swap_slots[t] * sizeof(uint16_t)));
		if (!scan->swap_refs[t])
			return false;
	}
	return true;
}

static void
free_swap_refs(struct rmap_scan *scan)
{
	for (uint32_t t = 1; t <= MAX_SWAPFILES; t++)
		if (scan->swap_refs[t])
			free_pages(scan->swap_refs[t],
				   order_for_bytes(scan->swap_slots[t] * sizeof(uint16_t)));
}

static bool
count_shmem_ref(swp_entry_t entry, uint32_t index, void *arg)
{
	(void)index;
	count_swap_ref(arg, entry);
	return true;
}

/* Each slot's count against the references found. */
static int
check_swap_counts(struct rmap_scan *scan, bool verbose)
{
	int errors = 0;

	for (uint32_t t = 1; t <= MAX_SWAPFILES; t++)
		if (scan->swap_refs[t])
			errors += swap_check_counts(t, scan->swap_refs[t], scan->swap_slots[t], verbose);
	if (scan->stray_swap_ptes && verbose)
		printk(KERN_ERR "rmap_check: %d swap PTE(s) naming no active area\n",
		       scan->stray_swap_ptes);
	return errors + scan->stray_swap_ptes;
}

static int
check_mms(struct mm_struct **mms, int n, bool every_mm, bool verbose)
{
	struct rmap_scan scan;
	int errors = 0;

	BUG_ON(lockrank_held(LC_MMAP));          /* it takes them all, in order */
	scan.order = order_for_bytes(max_pfn * sizeof(uint16_t));
	scan.ptes = get_free_pages(GFP_KERNEL | __GFP_ZERO, scan.order);
	if (!scan.ptes)
		return -ENOMEM;
	scan.locked_order = order_for_bytes((max_pfn + BITS_PER_WORD - 1) / BITS_PER_WORD * sizeof(uint32_t));
	scan.locked = get_free_pages(GFP_KERNEL | __GFP_ZERO, scan.locked_order);
	if (!scan.locked) {
		free_pages(scan.ptes, scan.order);
		return -ENOMEM;
	}
	scan.stray_file_ptes = scan.stray_swap_ptes = 0;
	memset(scan.swap_refs, 0, sizeof(scan.swap_refs));
	sort_mms(mms, n);
	mutex_lock(&migrate_mutex);
	/* an area that comes or goes meanwhile has no slot in use: the
	 * counts found for it are zeros, as its own */
	if (every_mm && !alloc_swap_refs(&scan)) {
		errors = -ENOMEM;
		goto out;
	}
	pause_reclaim();
	for (int i = 0; i < n; i++)
		mutex_lock(&mms[i]->mmap_lock);
	for (int i = 0; i < n; i++)
		errors += scan_mm(mms[i], &scan, verbose);
	errors += check_frames(&scan, every_mm, verbose);
	errors += check_mlocked_frames(&scan, every_mm, verbose);
	errors += lru_check(verbose);
	if (every_mm) {
		shmem_for_each_swap_entry(count_shmem_ref, &scan);
		errors += check_swap_counts(&scan, verbose);
	}
	if (scan.stray_file_ptes && verbose)
		printk(KERN_ERR "rmap_check: %d file PTE(s) outside nonlinear VMAs\n", scan.stray_file_ptes);
	errors += scan.stray_file_ptes;
	for (int i = n - 1; i >= 0; i--)
		mutex_unlock(&mms[i]->mmap_lock);
	resume_reclaim();
out:
	free_swap_refs(&scan);
	mutex_unlock(&migrate_mutex);
	free_pages(scan.ptes, scan.order);
	free_pages(scan.locked, scan.locked_order);
	count_vm_event(RMAP_CHECK_RUNS);
	count_vm_events(RMAP_CHECK_ERRORS, (unsigned long)errors);
	return errors;
}

int
rmap_check_mms(struct mm_struct **mms, int n, bool verbose)
{
	return check_mms(mms, n, false, verbose);
}

int
rmap_check_all(bool verbose)
{
	struct mm_struct **mms = get_free_pages(GFP_KERNEL, 0);
	int n, errors;

	if (!mms)
		return -ENOMEM;
	n = grab_all_mms(mms, MAX_CHECKED_MMS);
	errors = check_mms(mms, n, true, verbose);
	for (int i = 0; i < n; i++)
		mmdrop(mms[i]);
	free_pages(mms, 0);
	if (verbose && errors >= 0)
		printk(KERN_INFO "rmap_check: %d mm(s), %d mismatch(es)\n", n, errors);
	return errors;
}
