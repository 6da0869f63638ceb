/*
 * tests/kernel/test_radix_tree.c — the radix tree on the kernel's own slab
 * allocator and 32-bit pointers: a file's worth of dense indices, a few
 * sparse ones up to 0xFFFFFFFF, dirty tags found by gang lookup, and every
 * node given back when the tree empties. (The full model test is the host
 * one, tests/host/test_radix_tree.c.)
 */
#include <kernel/ktest.h>
#include <kernel/errno.h>
#include <libk/radix_tree.h>
#include <libk/string.h>
#include <mm/slab.h>

#define DENSE_PAGES  3000u           /* crosses level-2 boundaries */
#define TAG_EVERY    7u              /* every 7th page is "dirty" */
#define ITEM_SHIFT   3               /* items are serial << 3: bit 0 clear */
#define GANG_CHUNK   16
#define MAX_CACHES   64
/* Dense pages with the tag: 0, 7, 14, ... below DENSE_PAGES. */
#define NR_DENSE_TAGGED   ((DENSE_PAGES + TAG_EVERY - 1) / TAG_EVERY)

static const uint32_t sparse[] = { 0x40000u, 0x12345678u, 0x80000000u, 0xFFFFFFFFu };
#define NR_SPARSE (sizeof(sparse) / sizeof(sparse[0]))

static void *
item_for(uint32_t serial)
{
	return (void *)(uintptr_t)((serial + 1) << ITEM_SHIFT);
}

/* Nodes allocated from the radix tree's cache (0 before its first use). */
static unsigned long
radix_nodes_live(void)
{
	static struct slab_stats stats[MAX_CACHES];
	int n = slab_stats_snapshot(stats, MAX_CACHES);

	for (int i = 0; i < n && i < MAX_CACHES; i++)
		if (strcmp(stats[i].name, "radix_tree_node") == 0)
			return stats[i].active_objects;
	return 0;
}

KTEST(radix_tree_pages)
{
	struct radix_tree_root root = RADIX_TREE_INIT;
	void *results[GANG_CHUNK];
	uint32_t indices[GANG_CHUNK], first = 0, tagged = 0, n;
	unsigned long nodes_before = radix_nodes_live();

	for (uint32_t i = 0; i < DENSE_PAGES; i++)
		KT_CHECK(radix_tree_insert(&root, i, item_for(i)) == 0, "insert %u", i);
	for (uint32_t s = 0; s < NR_SPARSE; s++)
		KT_CHECK(radix_tree_insert(&root, sparse[s], item_for(DENSE_PAGES + s)) == 0,
			 "insert %#x", sparse[s]);
	KT_CHECK(radix_tree_insert(&root, 5, item_for(0)) == -EEXIST, "second insert at 5");
	KT_CHECK(root.height == 6, "height %u with index 0xFFFFFFFF", root.height);
	for (uint32_t i = 0; i < DENSE_PAGES; i += TAG_EVERY)
		radix_tree_tag_set(&root, i, 0);
	radix_tree_tag_set(&root, 0xFFFFFFFFu, 0);

	while ((n = radix_tree_gang_lookup_tag(&root, results, indices, first, GANG_CHUNK, 0))) {
		for (uint32_t k = 0; k < n; k++) {
			uint32_t want = tagged < NR_DENSE_TAGGED ? tagged * TAG_EVERY : 0xFFFFFFFFu;

			KT_CHECK(indices[k] == want, "tagged #%u at %#x, want %#x", tagged, indices[k],
				 want);
			tagged++;
		}
		if (indices[n - 1] == 0xFFFFFFFFu)
			break;
		first = indices[n - 1] + 1;
	}
	KT_CHECK(tagged == NR_DENSE_TAGGED + 1, "%u tagged items found", tagged);

	for (uint32_t i = 0; i < DENSE_PAGES; i++)
		KT_CHECK(radix_tree_delete(&root, i) == item_for(i), "delete %u", i);
	KT_CHECK(radix_tree_check(&root) >= 0 && radix_tree_tagged(&root, 0),
		 "after the dense deletes");
	for (uint32_t s = 0; s < NR_SPARSE; s++)
		KT_CHECK(radix_tree_lookup(&root, sparse[s]) == item_for(DENSE_PAGES + s),
			 "lookup %#x", sparse[s]);
	for (uint32_t s = 0; s < NR_SPARSE; s++)
		KT_CHECK(radix_tree_delete(&root, sparse[s]) == item_for(DENSE_PAGES + s),
			 "delete %#x", sparse[s]);
	KT_CHECK(root.rnode == NULL && root.height == 0 && root.tags == 0,
		 "empty tree: height %u tags %#x", root.height, root.tags);
	KT_CHECK(radix_nodes_live() == nodes_before, "%lu nodes allocated, %lu before",
		 radix_nodes_live(), nodes_before);
}
