/*
 * tests/kernel/test_swap.c — swap-out and swap-in of anonymous pages
 * (mm/vmscan.c, mm/swap_state.c, do_swap_page in mm/fault.c), on a RAM-disk
 * swap area of its own: a page reclaimed becomes a swap PTE whose slot
 * holds its bytes; touching it brings the same bytes back; a page shared
 * by a fork goes out once (one slot, counted by both PTEs) and comes back
 * once, to one frame both map; a write after that copies on write while
 * the other still maps it, and reuses the page when no one else can see
 * it; zap and exit give the slots back; the rmap checker agrees at every
 * step (swap counts included).
 *
 * The disk is ram14 (a minor no boot module or other test uses),
 * registered once; its memory is allocated per test and freed at the end.
 * The ktest boots have no other swap area.
 */
#include <kernel/ktest.h>
#include "mm_fixture.h"
#include <drivers/block/blkdev.h>
#include <mm/swapfile.h>
#include <mm/swap_state.h>
#include <mm/vmscan.h>
#include <mm/lru.h>
#include <mm/swapops.h>
#include <libk/string.h>

#define DISK_ORDER  5                       /* 32 pages: 31 slots */
#define DISK_PAGES  (1 << DISK_ORDER)
#define DISK_MINOR  14
#define BASE        0x40000000u
#define PAGES       4

static struct block_device disk;
static char *disk_mem;

/* Activates the test area on fresh memory; false if memory ran out. */
static bool
swap_area_on(void)
{
	static bool registered;
	struct page *p = alloc_pages(GFP_KERNEL, DISK_ORDER);

	if (!p)
		return false;
	disk_mem = page_address(p);
	memset(disk_mem, 0, DISK_PAGES * PAGE_SIZE);
	swap_header_init((union swap_header *)disk_mem, DISK_PAGES);
	if (!registered) {
		ramdisk_setup(&disk, DISK_MINOR, disk_mem, DISK_PAGES * PAGE_SIZE);
		add_disk(&disk);
		registered = true;
	}
	disk.bd_private = disk_mem;
	disk.bd_nr_sectors = DISK_PAGES * (PAGE_SIZE / SECTOR_SIZE);
	return swapon_bdev(&disk, "ktest-swap", 0) > 0;
}

/* Turns the area off (every slot must be free again) and frees its memory. */
static int
swap_area_off(void)
{
	int err = swapoff_bdev(&disk);

	disk.bd_nr_sectors = 0;
	__free_pages(virt_to_page(disk_mem), DISK_ORDER);
	return err;
}

/* The byte pattern of page i of a test (written through the kernel map). */
static uint8_t
pattern(uint32_t i, uint32_t off)
{
	return (uint8_t)(i * 37 + off * 7 + 1);
}

static void
fill(struct mm_struct *mm, uint32_t i)
{
	uint8_t *p = page_address(page_at(mm, BASE + i * PAGE_SIZE));

	for (uint32_t off = 0; off < PAGE_SIZE; off++)
		p[off] = pattern(i, off);
}

/* Does the page mapped at page i of mm hold the pattern? */
static bool
holds_pattern(struct mm_struct *mm, uint32_t i)
{
	struct page *page = page_at(mm, BASE + i * PAGE_SIZE);
	const uint8_t *p;

	if (!page)
		return false;
	p = page_address(page);
	for (uint32_t off = 0; off < PAGE_SIZE; off++)
		if (p[off] != pattern(i, off))
			return false;
	return true;
}

static pte_t
pte_at(struct mm_struct *mm, uint32_t addr)
{
	pte_t *ptep = pte_lookup(mm->pgd, addr);

	return ptep ? *ptep : (pte_t){ 0 };
}

/* MADV_PAGEOUT of one page from inside: true if it was freed. */
static bool
page_out(struct mm_struct *mm, uint32_t addr)
{
	struct page *page = page_at(mm, addr);

	return page && lru_isolate_page(page) && reclaim_isolated_page(page);
}

static bool
is_swap_entry(pte_t pte)
{
	return pte_is_swap(pte) && !is_migration_entry(pte);
}

KTEST(swap_out_and_back_in)
{
	unsigned long free_before, free_out, total;
	struct mm_struct *mm;
	swp_entry_t entry;
	pte_t pte;

	KT_CHECK(swap_area_on(), "no swap area");
	si_swapinfo(&total, &free_before);
	mm = mm_with_written_pages(BASE, PAGES, MAP_PRIVATE);
	KT_CHECK(mm, "no mm");
	for (uint32_t i = 0; i < PAGES; i++)
		fill(mm, i);
	for (uint32_t i = 0; i < PAGES; i++)
		KT_CHECK(page_out(mm, BASE + i * PAGE_SIZE), "page %u was not reclaimed", i);
	si_swapinfo(&total, &free_out);
	KT_CHECK(free_before - free_out == PAGES, "%lu slots used, not %u", free_before - free_out, PAGES);
	pte = pte_at(mm, BASE);
	KT_CHECK(is_swap_entry(pte), "the PTE is not a swap entry: %#x", pte.pte);
	entry = pte_to_swp_entry(pte);
	KT_CHECK(swap_count(entry) == 1, "slot count %d, not 1 (the PTE's)", swap_count(entry));
	KT_CHECK(!lookup_swap_cache(entry), "the page stayed in the swap cache");
	KT_CHECK(mm->swap_ents == PAGES && mm->rss == 0, "swap_ents %lu rss %lu", mm->swap_ents, mm->rss);
	KT_CHECK(rmap_check_mms(&mm, 1, true) == 0, "rmap_check after swap-out");

	KT_CHECK(touch(mm, BASE, FAULT_READ), "read fault on the swap PTE");
	KT_CHECK(holds_pattern(mm, 0), "page 0 came back with other bytes");
	KT_CHECK(PageSwapCache(page_at(mm, BASE)) && swap_count(entry) == 1,
		 "read swap-in: the page should keep its slot (cache's count), count %d",
		 swap_count(entry));
	KT_CHECK(!pte_write(pte_at(mm, BASE)), "a read swap-in mapped the page writable");
	KT_CHECK(touch(mm, BASE, FAULT_WRITE), "write fault after the read");
	KT_CHECK(!PageSwapCache(page_at(mm, BASE)) && pte_write(pte_at(mm, BASE)),
		 "the write did not reuse the page (swap cache %d)", PageSwapCache(page_at(mm, BASE)));
	KT_CHECK(swap_count(entry) == 0, "the slot was not freed by the write: count %d",
		 swap_count(entry));
	KT_CHECK(touch(mm, BASE + PAGE_SIZE, FAULT_WRITE), "write fault on a swap PTE");
	KT_CHECK(holds_pattern(mm, 1) && pte_write(pte_at(mm, BASE + PAGE_SIZE)),
		 "a write swap-in did not map the page writable with its bytes");
	KT_CHECK(rmap_check_mms(&mm, 1, true) == 0, "rmap_check after swap-in");
	mmput(mm);                               /* pages 2 and 3 still out: zap frees them */
	si_swapinfo(&total, &free_out);
	KT_CHECK(free_out == free_before, "exit left %lu slots in use", free_before - free_out);
	KT_CHECK(swap_area_off() == 0, "swapoff refused: slots still in use");
}

KTEST(swap_fork_shared_goes_once_comes_once)
{
	struct mm_struct *mms[2];
	struct page *page;
	swp_entry_t entry;
	unsigned long total, free_before, free_now;

	KT_CHECK(swap_area_on(), "no swap area");
	si_swapinfo(&total, &free_before);
	mms[0] = mm_with_written_pages(BASE, PAGES, MAP_PRIVATE);
	KT_CHECK(mms[0], "no mm");
	for (uint32_t i = 0; i < PAGES; i++)
		fill(mms[0], i);
	mms[1] = dup_mm(mms[0]);
	KT_CHECK(mms[1], "fork failed");
	page = page_at(mms[0], BASE);
	KT_CHECK(page_mapcount(page) == 2, "after fork mapcount %d", page_mapcount(page));
	KT_CHECK(page_out(mms[0], BASE), "the shared page was not reclaimed");
	KT_CHECK(is_swap_entry(pte_at(mms[0], BASE)) && is_swap_entry(pte_at(mms[1], BASE)),
		 "both PTEs should be swap entries");
	entry = pte_to_swp_entry(pte_at(mms[0], BASE));
	KT_CHECK(pte_at(mms[1], BASE).pte == pte_at(mms[0], BASE).pte, "two slots for one page");
	KT_CHECK(swap_count(entry) == 2, "slot count %d, not 2", swap_count(entry));
	KT_CHECK(rmap_check_mms(mms, 2, true) == 0, "rmap_check after the shared swap-out");

	/* the child reads it back: the parent's PTE still names the slot */
	KT_CHECK(touch(mms[1], BASE, FAULT_READ), "child read fault");
	KT_CHECK(holds_pattern(mms[1], 0), "the child got other bytes");
	KT_CHECK(touch(mms[0], BASE, FAULT_READ), "parent read fault");
	KT_CHECK(page_at(mms[0], BASE) == page_at(mms[1], BASE),
		 "the page came back twice (two frames)");
	KT_CHECK(page_mapcount(page_at(mms[0], BASE)) == 2, "mapcount %d, not 2",
		 page_mapcount(page_at(mms[0], BASE)));
	KT_CHECK(rmap_check_mms(mms, 2, true) == 0, "rmap_check after the shared swap-in");

	/* a write by the child copies: the parent keeps the old bytes */
	KT_CHECK(touch(mms[1], BASE, FAULT_WRITE), "child write fault");
	KT_CHECK(page_at(mms[0], BASE) != page_at(mms[1], BASE), "the child's write did not copy");
	((uint8_t *)page_address(page_at(mms[1], BASE)))[0] ^= 0xff;
	KT_CHECK(holds_pattern(mms[0], 0), "the child's write reached the parent");

	/* page 1: out, the child back in and writing while the parent is still out */
	KT_CHECK(page_out(mms[0], BASE + PAGE_SIZE), "page 1 was not reclaimed");
	KT_CHECK(touch(mms[1], BASE + PAGE_SIZE, FAULT_WRITE), "child write swap-in");
	((uint8_t *)page_address(page_at(mms[1], BASE + PAGE_SIZE)))[0] ^= 0xff;
	KT_CHECK(touch(mms[0], BASE + PAGE_SIZE, FAULT_READ), "parent read swap-in");
	KT_CHECK(holds_pattern(mms[0], 1), "the parent saw the child's write after swap-in");
	KT_CHECK(page_at(mms[0], BASE + PAGE_SIZE) != page_at(mms[1], BASE + PAGE_SIZE),
		 "parent and child share a page one of them wrote");
	KT_CHECK(rmap_check_mms(mms, 2, true) == 0, "rmap_check after the COW");

	/* page 2 out, then the child exits: the parent's swap PTE keeps the slot */
	KT_CHECK(page_out(mms[0], BASE + 2 * PAGE_SIZE), "page 2 was not reclaimed");
	entry = pte_to_swp_entry(pte_at(mms[0], BASE + 2 * PAGE_SIZE));
	mmput(mms[1]);
	KT_CHECK(swap_count(entry) == 1, "after the child's exit the slot count is %d, not 1",
		 swap_count(entry));
	KT_CHECK(touch(mms[0], BASE + 2 * PAGE_SIZE, FAULT_READ) && holds_pattern(mms[0], 2),
		 "page 2 did not come back intact");
	KT_CHECK(rmap_check_mms(mms, 1, true) == 0, "rmap_check after the child's exit");
	mmput(mms[0]);
	si_swapinfo(&total, &free_now);
	KT_CHECK(free_now == free_before, "exit left %lu slots in use", free_before - free_now);
	KT_CHECK(swap_area_off() == 0, "swapoff refused: slots still in use");
}
