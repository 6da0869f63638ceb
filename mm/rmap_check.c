/*
 * mm/rmap_check.c — the reverse-map consistency checker.
 *
 * Two independent views of "who maps this page" must agree:
 *
 *   forward:  every mm's VMAs and page tables, scanned PTE by PTE, give
 *             for each frame the number of PTEs that map it;
 *   reverse:  rmap_walk(page), from the page's anon_vma or shmem object,
 *             finds the PTEs that map it.
 *
 * For every frame: page_mapcount == forward count; a mapped page has an
 * anon_vma or shmem object, its reference count covers its mappings, and
 * the reverse walk finds exactly as many PTEs as the scan (since a walk
 * visits each (VMA, address) once and only counts PTEs that really map
 * the page, equal counts mean equal sets). Each disagreement is one
 * mismatch; 0 means consistent.
 *
 * Locks: migrate_mutex (no migration half done), then every mm's
 * mmap_lock in address order (nothing else holds two), so no PTE of any
 * user page changes while the two views are taken; rmap_walk then takes
 * anon_vma and page-table locks inside, as the lock order allows.
 */
#include <mm/rmap.h>
#include <mm/mm.h>
#include <mm/migrate.h>
#include <mm/pagewalk.h>
#include <mm/page_alloc.h>
#include <mm/shmem.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <libk/string.h>

#define MAX_CHECKED_MMS (PAGE_SIZE / sizeof(struct mm_struct *))

/* Per-frame counts of PTEs found by the forward scan, and where to keep them. */
struct rmap_scan {
	uint16_t *ptes;               /* [max_pfn] */
	unsigned order;               /* of the allocation */
};

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

/* pte_table of the scan: counts the frames the slots of [addr, end) map. */
static int
scan_pte_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	struct rmap_scan *scan = walk->private;

	for (uint32_t n = (end - addr) >> PAGE_SHIFT; n; n--, ptep++)
		if (pte_mapped(*ptep) && pfn_valid(pte_pfn(*ptep)))
			scan->ptes[pte_pfn(*ptep)]++;
	return 0;
}

/* No page_table_lock: with every mmap_lock and migrate_mutex held, no
 * user PTE changes during the check. */
static const struct mm_walk_ops scan_ops = { .pte_table = scan_pte_table };

/* Counts, per frame, the PTEs of mm's VMAs that map it. */
static void
scan_mm(struct mm_struct *mm, struct rmap_scan *scan)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mm->mmap_list, vm_list)
		walk_page_range(mm, vma->vm_start, vma->vm_end, &scan_ops, scan);
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
	struct rmap_walk_control rwc = { &found, count_mapping };

	rmap_walk(page, &rwc);
	return found;
}

static void
report(bool verbose, const struct page *page, const char *what, int expected, int got)
{
	if (verbose)
		printk(KERN_ERR "rmap_check: pfn %#lx: %s: expected %d, got %d\n",
		       page_to_pfn(page), what, expected, got);
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
		report(verbose, page, "mapped page without anon_vma or shmem object", 1, 0);
		return errors + 1;
	}
	refs_needed = ptes + (page_shmem_object(page) ? 1 : 0);
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
 * every mm, also frames that claim mappings no one has. */
static int
check_frames(struct rmap_scan *scan, bool every_mm, bool verbose)
{
	int errors = 0;

	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (scan->ptes[pfn] || (every_mm && page->_mapcount >= 0))
			errors += check_frame(page, scan->ptes[pfn], verbose);
	}
	return errors;
}

static unsigned
order_for_bytes(unsigned long bytes)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static int
check_mms(struct mm_struct **mms, int n, bool every_mm, bool verbose)
{
	struct rmap_scan scan;
	int errors;

	BUG_ON(lockrank_held(LC_MMAP));          /* it takes them all, in order */
	scan.order = order_for_bytes(max_pfn * sizeof(uint16_t));
	scan.ptes = get_free_pages(GFP_KERNEL | __GFP_ZERO, scan.order);
	if (!scan.ptes)
		return -ENOMEM;
	sort_mms(mms, n);
	mutex_lock(&migrate_mutex);
	for (int i = 0; i < n; i++)
		mutex_lock(&mms[i]->mmap_lock);
	for (int i = 0; i < n; i++)
		scan_mm(mms[i], &scan);
	errors = check_frames(&scan, every_mm, verbose);
	for (int i = n - 1; i >= 0; i--)
		mutex_unlock(&mms[i]->mmap_lock);
	mutex_unlock(&migrate_mutex);
	free_pages(scan.ptes, scan.order);
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
