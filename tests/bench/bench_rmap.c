/*
 * tests/bench/bench_rmap.c — `make bench` figures for reverse mapping, in
 * guest instructions (QEMU -icount shift=0).
 *
 *   rmap.walk_sharers_N   one rmap_walk of a page that N address spaces
 *                         share (a parent and N-1 forked children), in a
 *                         world where each also maps 256 other pages: the
 *                         cost must grow with N, not with mapped memory
 *   rmap.migrate_sharers_N  moving that page to a new frame
 *   rmap.walk_1000_vmas   one rmap_walk of a page in an mm whose mapping
 *                         was split into 1,000 VMAs (alternate pages made
 *                         read-only), all on the same anon_vma; and
 *   rmap.walk_1000_vmas_examined  how many of them that walk examined:
 *                         the cost must not grow with the VMAs that do not
 *                         cover the page
 *   rmap.fork_generation_bytes  anon_vma + anon_vma_chain slab bytes added
 *                         per generation of fork-then-parent-exits (a
 *                         survivor forks, its parent exits), measured
 *                         between generations 10 and 400; and
 *   rmap.fork_generation_400  instructions of the 400th such fork, and
 *   rmap.fork_generation_chain  the anon_vma_chain length of one of the
 *                         survivor's VMAs then: all must stay bounded
 *   rmap.bytes_per_vma / bytes_per_page  metadata reverse mapping costs
 */
#include <kernel/ktest.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/vma.h>
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
#define SPLIT_VMAS  1000
#define GENERATIONS 400
#define GEN_WARMUP  10              /* generations before the memory baseline */
#define GEN_VMAS    4               /* touched anonymous VMAs of the forking process */
#define GEN_PAGES   4               /* pages in each */
#define GEN_GAP     (16 * PAGE_SIZE)

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
		struct rmap_walk_control rwc = { .arg = &found, .visit = count_visit };
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

/* An mm with SPLIT_VMAS pages at BASE, all touched, then every other page
 * made read-only: SPLIT_VMAS VMAs on one anon_vma. */
static struct mm_struct *
mm_with_split_vmas(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm || do_mmap(mm, BASE, SPLIT_VMAS * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, NULL, 0) != (long)BASE)
		return mm;
	mutex_lock(&mm->mmap_lock);
	for (uint32_t i = 1; i < SPLIT_VMAS; i += 2) {
		uint32_t addr = BASE + i * PAGE_SIZE;
		struct vm_area_struct *vma = find_vma(mm, addr);

		if (!vma_modify_flags(mm, vma, addr, addr + PAGE_SIZE, vma->vm_flags & ~VM_WRITE))
			break;
	}
	mutex_unlock(&mm->mmap_lock);
	return mm;
}

static void
bench_walk_split_vmas(void)
{
	struct mm_struct *mm = mm_with_split_vmas();
	uint64_t runs[REPEAT];
	struct page *page;
	int found = 0, examined = 0;

	KT_CHECK(mm && mm->map_count == SPLIT_VMAS, "split into %d VMAs, not %d",
		 mm ? mm->map_count : 0, SPLIT_VMAS);
	page = page_at(mm, BASE + SPLIT_VMAS / 2 * PAGE_SIZE);
	KT_CHECK(page, "no page");
	for (int r = 0; r < REPEAT; r++) {
		struct rmap_walk_control rwc = { .arg = &found, .visit = count_visit };
		uint64_t t0;

		found = 0;
		t0 = rdtsc();
		examined = rmap_walk(page, &rwc);
		runs[r] = rdtsc() - t0;
		KT_CHECK(found == 1, "walk found %d mappings, not 1", found);
	}
	bench_report("rmap.walk_1000_vmas", bench_median(runs, REPEAT),
		     "instructions per rmap_walk of one page, 1,000 VMAs on its anon_vma (median of 9)");
	bench_report("rmap.walk_1000_vmas_examined", (uint64_t)examined,
		     "VMAs examined by that walk (1 covers the page)");
	mmput(mm);
}

/* The process of the fork generations: GEN_VMAS anonymous VMAs (apart,
 * so they do not merge) of GEN_PAGES touched pages each. */
static struct mm_struct *
generation_zero(void)
{
	struct mm_struct *mm = mm_alloc();

	for (uint32_t i = 0; mm && i < GEN_VMAS; i++) {
		uint32_t addr = BASE + i * GEN_GAP;

		if (do_mmap(mm, addr, GEN_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, NULL, 0) != (long)addr)
			return mm;
	}
	return mm;
}

static int
chain_length(struct vm_area_struct *vma)
{
	struct list_head *p;
	int n = 0;

	list_for_each(p, &vma->anon_vma_chain)
		n++;
	return n;
}

static void
bench_fork_generations(void)
{
	struct mm_struct *mm = generation_zero();
	struct rmap_usage base = { 0 }, end;
	uint64_t last_fork = 0;
	long grown;

	KT_CHECK(mm && mm->map_count == GEN_VMAS, "generation 0 setup failed");
	for (int gen = 1; gen <= GENERATIONS; gen++) {
		uint64_t t0 = rdtsc();
		struct mm_struct *child = dup_mm(mm);

		last_fork = rdtsc() - t0;
		KT_CHECK(child, "fork of generation %d failed", gen);
		mmput(mm);                       /* the parent exits */
		mm = child;
		if (gen == GEN_WARMUP)
			rmap_get_usage(&base);
	}
	rmap_get_usage(&end);
	grown = (long)(end.bytes - base.bytes);
	bench_report("rmap.fork_generation_bytes",
		     grown > 0 ? (uint64_t)grown / (GENERATIONS - GEN_WARMUP) : 0,
		     "bytes of anon_vma + anon_vma_chain per fork-then-parent-exits generation (4 VMAs)");
	bench_report("rmap.fork_generation_400", last_fork,
		     "instructions of the 400th generation's fork (4 VMAs of 4 pages)");
	bench_report("rmap.fork_generation_chain",
		     (uint64_t)chain_length(list_first_entry(&mm->mmap_list, struct vm_area_struct, vm_list)),
		     "anon_vma_chain entries of a VMA after 400 generations");
	mmput(mm);
}

KBENCH(rmap)
{
	bench_sharers(1);
	bench_sharers(8);
	bench_sharers(MAX_SHARERS);
	bench_walk_split_vmas();
	bench_fork_generations();
	bench_report("rmap.bytes_per_vma", RMAP_BYTES_PER_VMA,
		     "bytes (an anon_vma_chain per anon_vma on its chain: its own, its ancestors')");
	bench_report("rmap.bytes_per_page", RMAP_BYTES_PER_PAGE,
		     "bytes (page->mapping and page->index are in struct page already)");
}
