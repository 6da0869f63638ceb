/*
 * tests/bench/bench_radix_tree.c — what the page cache's index costs, in
 * guest instructions (make bench runs under -icount shift=0): a lookup,
 * a gang lookup per item found, a tagged gang lookup over a mostly clean
 * file per dirty page found, a page evicted and read back (delete and
 * insert), and an insert far away with its delete (the tree grows to six
 * levels and shrinks back). The tree stands for a 16 MiB file: 4096
 * pages, one in 16 tagged dirty.
 */
#include <kernel/ktest.h>
#include <libk/radix_tree.h>
#include <arch/x86/cpu.h>

#define BENCH_REPEAT 15
#define FILE_PAGES   4096u
#define DIRTY_EVERY  16u
#define DIRTY_TAG    0
#define GANG_CHUNK   16
#define ITEM_SHIFT   3               /* items are serial << 3: bit 0 clear */
#define FAR_INDEX    0x12340000u     /* needs 6 levels: 9 new nodes, all freed again */

static void *
item_for(uint32_t index)
{
	return (void *)(uintptr_t)((index + 1) << ITEM_SHIFT);
}

/* Instructions per item of one pass of gang lookups over the whole tree
 * (tag < 0: every item), which must find want items. */
static uint64_t
gang_pass(struct radix_tree_root *root, int tag, uint32_t want)
{
	void *results[GANG_CHUNK];
	uint32_t indices[GANG_CHUNK], first = 0, found = 0, n;
	uint64_t start = rdtsc(), cost;

	for (;;) {
		n = tag < 0 ? radix_tree_gang_lookup(root, results, indices, first, GANG_CHUNK)
			    : radix_tree_gang_lookup_tag(root, results, indices, first, GANG_CHUNK,
							 (unsigned)tag);
		found += n;
		if (n < GANG_CHUNK)
			break;
		first = indices[n - 1] + 1;
	}
	cost = (rdtsc() - start) / (found ? found : 1);
	KT_EXPECT(found == want, "gang pass (tag %d) found %u items, want %u", tag, found, want);
	return cost;
}

KBENCH(radix_tree)
{
	struct radix_tree_root root = RADIX_TREE_INIT;
	uint64_t lookup[BENCH_REPEAT], gang[BENCH_REPEAT], gang_tag[BENCH_REPEAT];
	uint64_t churn[BENCH_REPEAT], far[BENCH_REPEAT];

	for (uint32_t i = 0; i < FILE_PAGES; i++)
		KT_CHECK(radix_tree_insert(&root, i, item_for(i)) == 0, "insert %u", i);
	for (uint32_t i = 0; i < FILE_PAGES; i += DIRTY_EVERY)
		radix_tree_tag_set(&root, i, DIRTY_TAG);
	for (unsigned r = 0; r < BENCH_REPEAT; r++) {
		uint64_t start = rdtsc();

		for (uint32_t i = 0; i < FILE_PAGES; i++)
			KT_CHECK(radix_tree_lookup(&root, i) == item_for(i), "lookup %u", i);
		lookup[r] = (rdtsc() - start) / FILE_PAGES;
		gang[r] = gang_pass(&root, -1, FILE_PAGES);
		gang_tag[r] = gang_pass(&root, DIRTY_TAG, FILE_PAGES / DIRTY_EVERY);
		start = rdtsc();
		for (uint32_t i = 0; i < FILE_PAGES; i++) {
			radix_tree_delete(&root, i);
			KT_CHECK(radix_tree_insert(&root, i, item_for(i)) == 0, "insert %u", i);
		}
		churn[r] = (rdtsc() - start) / FILE_PAGES;
		for (uint32_t i = 0; i < FILE_PAGES; i += DIRTY_EVERY)
			radix_tree_tag_set(&root, i, DIRTY_TAG);   /* the deletes took them */
		start = rdtsc();
		for (uint32_t i = 0; i < FILE_PAGES; i++) {
			KT_CHECK(radix_tree_insert(&root, FAR_INDEX, item_for(i)) == 0, "far insert");
			radix_tree_delete(&root, FAR_INDEX);
		}
		far[r] = (rdtsc() - start) / FILE_PAGES;
	}
	for (uint32_t i = 0; i < FILE_PAGES; i++)
		radix_tree_delete(&root, i);
	KT_CHECK(root.rnode == NULL, "tree not empty after the deletes");
	bench_report("radix_tree.lookup", bench_median(lookup, BENCH_REPEAT),
		     "instructions per lookup, 4096-page tree (median of 15)");
	bench_report("radix_tree.gang_lookup", bench_median(gang, BENCH_REPEAT),
		     "instructions per item, 16 per call");
	bench_report("radix_tree.gang_lookup_tag", bench_median(gang_tag, BENCH_REPEAT),
		     "instructions per tagged item, 1 page in 16 tagged");
	bench_report("radix_tree.delete_insert", bench_median(churn, BENCH_REPEAT),
		     "instructions per page deleted and inserted again");
	bench_report("radix_tree.far_insert_delete", bench_median(far, BENCH_REPEAT),
		     "instructions per insert+delete growing 2 -> 6 levels and back");
}
