/*
 * tests/bench/bench_rmap.c — `make bench` figures for reverse mapping, in
 * guest instructions (QEMU -icount shift=0).
 *
 *   rmap.walk_sharers_N   one rmap_walk of a page that N address spaces
 *                         share (a parent and N-1 forked children), in a
 *                         world where each also maps 256 other pages: the
 *                         cost must grow with N, not with mapped memory
 *   rmap.migrate_sharers_N  moving that page to a new frame
 *   rmap.bytes_per_vma / bytes_per_page  metadata reverse mapping costs
 */
#include <kernel/ktest.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/memory.h>
#include <mm/migrate.h>
#include <mm/pgtable.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <arch/x86/cpu.h>
#include <libk/stdio.h>

#define BASE        0x40000000u
#define OTHER_PAGES 256
#define MAX_SHARERS 64
#define REPEAT      9

static bool
count_visit(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	if (pte_maps_page(*ptep, page))
		(*(int *)arg)++;
	return true;
}

/* A parent with one shared page at BASE and OTHER_PAGES more after it. */
static struct mm_struct *
bench_parent(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm || do_mmap(mm, BASE, (OTHER_PAGES + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, NULL, 0) != (long)BASE)
		return NULL;
	return mm;
}

static struct page *
page_at(struct mm_struct *mm, uint32_t addr)
{
	pte_t *ptep = pte_lookup(mm->pgd, addr);

	return ptep && pte_mapped(*ptep) ? pfn_to_page(pte_pfn(*ptep)) : NULL;
}

static void
bench_sharers(int sharers)
{
	struct mm_struct *mms[MAX_SHARERS];
	uint64_t walk_runs[REPEAT], migrate_runs[REPEAT];
	char name[48];
	int found = 0;

	mms[0] = bench_parent();
	KT_CHECK(mms[0], "parent setup failed");
	for (int i = 1; i < sharers; i++) {
		mms[i] = dup_mm(mms[0]);
		KT_CHECK(mms[i], "fork %d failed", i);
	}
	for (int r = 0; r < REPEAT; r++) {
		struct page *page = page_at(mms[0], BASE), *newpage = alloc_page(GFP_KERNEL);
		struct rmap_walk_control rwc = { &found, count_visit };
		uint64_t t0;

		KT_CHECK(page && newpage, "no page");
		found = 0;
		t0 = rdtsc();
		rmap_walk(page, &rwc);
		walk_runs[r] = rdtsc() - t0;
		KT_CHECK(found == sharers, "walk found %d of %d mappings", found, sharers);
		get_page(page);
		t0 = rdtsc();
		KT_CHECK(migrate_page_to(page, newpage) == 0, "migration failed");
		migrate_runs[r] = rdtsc() - t0;
		put_page(page);                  /* the old frame goes back to the allocator */
	}
	snprintf(name, sizeof(name), "rmap.walk_sharers_%d", sharers);
	bench_report(name, bench_median(walk_runs, REPEAT), "instructions per rmap_walk (median of 9)");
	snprintf(name, sizeof(name), "rmap.migrate_sharers_%d", sharers);
	bench_report(name, bench_median(migrate_runs, REPEAT), "instructions per migrate_page_to (median of 9)");
	for (int i = sharers - 1; i >= 0; i--)
		mmput(mms[i]);
}

KBENCH(rmap)
{
	bench_sharers(1);
	bench_sharers(8);
	bench_sharers(MAX_SHARERS);
	bench_report("rmap.bytes_per_vma", RMAP_BYTES_PER_VMA,
		     "bytes (one anon_vma_chain; a forked VMA has one per ancestor generation)");
	bench_report("rmap.bytes_per_page", RMAP_BYTES_PER_PAGE,
		     "bytes (page->mapping and page->index are in struct page already)");
}
