/*
 * tests/kernel/test_swapfile.c — swap areas from inside (mm/swapfile.c), on
 * RAM disks of their own: headers swapon must refuse, the slot allocator
 * (counts, exhaustion, bad pages, Linux's priority rules: higher first,
 * equal ones taking turns, -2, -3, ... renumbered by swapoff), page I/O to
 * a slot landing at its place on the device, and swapoff refusing an area
 * with a slot in use.
 *
 * The disks are registered once (block devices never go away) as ram10
 * .. ram13, numbers no boot module gets; their memory is allocated for
 * each test and freed at its end (release_disks), the devices then being
 * of size 0, so that every bio to them fails. (Static memory would grow
 * the kernel's bss past what GRUB can load at -m 6: boot/too_little_memory.)
 * The tests expect no other swap area to be active (the ktest boots have
 * no swap=). swap_file_on_ext2 uses the 1 KiB-block ext2 image of the
 * ktest boots (tools/mktestfs, found by label as test_ext2.c does).
 */
#include <kernel/ktest.h>
#include <drivers/block/blkdev.h>
#include <mm/swapfile.h>
#include <mm/page_alloc.h>
#include <mm/page.h>
#include <mm/memblock.h>
#include <arch/x86/memlayout.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/ext2/ext2.h>
#include <mm/slab.h>
#include <kernel/errno.h>
#include <libk/stdio.h>
#include <libk/string.h>

#define DISK_ORDER   4                       /* 16 pages per disk */
#define DISK_PAGES   (1 << DISK_ORDER)
#define FIRST_MINOR  10
#define NR_DISKS     4

static char *disk_mem[NR_DISKS];
static struct block_device disks[NR_DISKS];

/* Test disk i, registered on first use, with fresh memory (zeros) holding
 * a header for pages pages (0: no header). NULL if memory ran out. */
static struct block_device *
test_disk(int i, uint32_t pages)
{
	static bool registered[NR_DISKS];

	if (!disk_mem[i]) {
		struct page *p = alloc_pages(GFP_KERNEL, DISK_ORDER);

		if (!p)
			return NULL;
		disk_mem[i] = page_address(p);
	}
	if (!registered[i]) {
		ramdisk_setup(&disks[i], FIRST_MINOR + i, disk_mem[i], DISK_PAGES * PAGE_SIZE);
		add_disk(&disks[i]);
		registered[i] = true;
	}
	disks[i].bd_private = disk_mem[i];
	disks[i].bd_nr_sectors = DISK_PAGES * (PAGE_SIZE / SECTOR_SIZE);
	memset(disk_mem[i], 0, DISK_PAGES * PAGE_SIZE);
	if (pages)
		swap_header_init((union swap_header *)disk_mem[i], pages);
	return &disks[i];
}

/* Frees the disks' memory; they stay registered, of size 0. */
static void
release_disks(void)
{
	for (int i = 0; i < NR_DISKS; i++) {
		disks[i].bd_nr_sectors = 0;
		if (disk_mem[i])
			__free_pages(virt_to_page(disk_mem[i]), DISK_ORDER);
		disk_mem[i] = NULL;
	}
}

static union swap_header *
header_of(int i)
{
	return (union swap_header *)disk_mem[i];
}

static bool
no_swap_active(void)
{
	unsigned long total, free;

	si_swapinfo(&total, &free);
	return total == 0 && free == 0;
}

static void
swap_header_refused_body(void)
{
	struct block_device *bdev;

	KT_CHECK(no_swap_active(), "a swap area is already active");
	bdev = test_disk(0, 0);
	KT_CHECK(bdev, "no memory for a test disk");
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EINVAL, "no signature accepted");
	test_disk(0, DISK_PAGES);
	header_of(0)->info.version = 2;
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EINVAL, "version 2 accepted");
	test_disk(0, DISK_PAGES);
	header_of(0)->info.last_page = 0;
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EINVAL, "an empty area accepted");
	test_disk(0, DISK_PAGES + 1);
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EINVAL, "an area longer than its device accepted");
	test_disk(0, DISK_PAGES);
	header_of(0)->info.nr_badpages = 1;
	header_of(0)->info.badpages[0] = 0;
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EINVAL, "bad page 0 accepted");
	test_disk(0, DISK_PAGES);
	header_of(0)->info.nr_badpages = MAX_SWAP_BADPAGES + 1;
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EINVAL, "too many bad pages accepted");
	test_disk(0, 2);
	header_of(0)->info.nr_badpages = 1;
	header_of(0)->info.badpages[0] = 1;
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EINVAL, "an area of bad pages only accepted");
	KT_CHECK(swapon_bdev(bdev, "t0", 0x80000) == -EINVAL, "an unknown flag accepted");
	KT_CHECK(no_swap_active(), "a refused area was left active");
}

static void
swap_slot_counts_and_exhaustion_body(void)
{
	struct block_device *bdev = test_disk(0, DISK_PAGES);
	bool seen[DISK_PAGES] = { false };
	unsigned long total, free;
	swp_entry_t e, first;
	int type;

	KT_CHECK(no_swap_active(), "a swap area is already active");
	KT_CHECK(bdev, "no memory for a test disk");
	type = swapon_bdev(bdev, "t0", SWAP_FLAG_PREFER | 3);
	KT_CHECK(type >= 1 && type <= MAX_SWAPFILES, "swapon_bdev gave %d", type);
	KT_CHECK(swapon_bdev(bdev, "t0", 0) == -EBUSY, "the same device activated twice");
	si_swapinfo(&total, &free);
	KT_CHECK(total == DISK_PAGES - 1 && free == total, "totals %lu/%lu, not %u", total, free,
		 DISK_PAGES - 1);
	first = get_swap_page();
	KT_CHECK(swp_type(first) == (uint32_t)type && swp_offset(first) != 0,
		 "first slot %#x (type %d wanted, never the header)", first.val, type);
	KT_CHECK(swap_count(first) == 1, "a new slot counts %d", swap_count(first));
	KT_CHECK(swap_duplicate(first) == 0 && swap_count(first) == 2, "duplicate: count %d",
		 swap_count(first));
	swap_free(first);
	KT_CHECK(swap_count(first) == 1, "after one free: %d", swap_count(first));
	KT_CHECK(pte_is_swap(swp_entry_to_pte(first)) && !is_migration_entry(swp_entry_to_pte(first)) &&
		 pte_to_swp_entry(swp_entry_to_pte(first)).val == first.val,
		 "the PTE encoding does not give the entry back");
	seen[swp_offset(first)] = true;
	for (int i = 1; i < DISK_PAGES - 1; i++) {
		e = get_swap_page();
		KT_CHECK(swp_type(e) == (uint32_t)type, "slot %d of %d not given", i, DISK_PAGES - 1);
		KT_CHECK(swp_offset(e) > 0 && swp_offset(e) < DISK_PAGES && !seen[swp_offset(e)],
			 "slot %u given twice or out of the area", swp_offset(e));
		seen[swp_offset(e)] = true;
	}
	si_swapinfo(&total, &free);
	KT_CHECK(free == 0, "full area says %lu free", free);
	KT_CHECK(swp_entry_none(get_swap_page()), "a slot given from a full area");
	swap_free(swp_entry(type, 7));
	e = get_swap_page();
	KT_CHECK(e.val == swp_entry(type, 7).val, "the freed slot 7 not given again (got %#x)", e.val);
	KT_CHECK(swapoff_bdev(bdev) == -EBUSY, "swapoff of an area in use succeeded");
	KT_CHECK(swap_count(first) == 1, "a refused swapoff changed a count");
	for (uint32_t off = 1; off < DISK_PAGES; off++)
		swap_free(swp_entry(type, off));
	si_swapinfo(&total, &free);
	KT_CHECK(free == total, "after freeing all: %lu of %lu free", free, total);
	KT_CHECK(swapoff_bdev(bdev) == 0, "swapoff of an idle area failed");
	KT_CHECK(swapoff_bdev(bdev) == -EINVAL, "swapoff of an inactive device did not say EINVAL");
	KT_CHECK(no_swap_active(), "totals not back to 0");
	KT_CHECK(swap_count(first) == 0, "a slot of a gone area counts");
}

static void
swap_bad_pages_skipped_body(void)
{
	struct block_device *bdev = test_disk(1, DISK_PAGES);
	union swap_header *h;
	unsigned long total, free;
	int type;

	KT_CHECK(bdev, "no memory for a test disk");
	h = header_of(1);
	h->info.nr_badpages = 3;
	h->info.badpages[0] = 2;
	h->info.badpages[1] = 5;
	h->info.badpages[2] = 2;            /* twice: counted once */
	type = swapon_bdev(bdev, "t1", 0);
	KT_CHECK(type > 0, "swapon with bad pages: %d", type);
	si_swapinfo(&total, &free);
	KT_CHECK(total == DISK_PAGES - 3, "%lu pages, not %d (header and two bad)", total, DISK_PAGES - 3);
	for (unsigned long i = 0; i < total; i++) {
		swp_entry_t e = get_swap_page();

		KT_CHECK(swp_type(e) == (uint32_t)type, "slot %lu not given", i);
		KT_CHECK(swp_offset(e) != 2 && swp_offset(e) != 5, "bad page %u given", swp_offset(e));
	}
	KT_CHECK(swp_entry_none(get_swap_page()), "a slot beyond the good ones given");
	KT_CHECK(swap_count(swp_entry(type, 2)) == 0, "a bad slot counts");
	for (uint32_t off = 1; off < DISK_PAGES; off++)
		if (off != 2 && off != 5)
			swap_free(swp_entry(type, off));
	KT_CHECK(swapoff_bdev(bdev) == 0, "swapoff failed");
}

/* The priority /proc/swaps shows for the area called name. */
static int
prio_of(const char *name)
{
	struct swap_area_info a[MAX_SWAPFILES];
	int n = swap_areas_snapshot(a, MAX_SWAPFILES);

	for (int i = 0; i < n; i++)
		if (strcmp(a[i].name, name) == 0)
			return a[i].prio;
	return 1000;
}

static void
swap_priorities_body(void)
{
	struct block_device *a = test_disk(0, 4), *b = test_disk(1, 4), *c = test_disk(2, 3);
	struct block_device *d = test_disk(3, 4);
	int ta, tb, tc, counts[MAX_SWAPFILES + 1] = { 0 };
	swp_entry_t e, prev = { 0 };

	KT_CHECK(no_swap_active(), "a swap area is already active");
	KT_CHECK(a && b && c && d, "no memory for the test disks");
	ta = swapon_bdev(a, "a", SWAP_FLAG_PREFER | 5);
	tb = swapon_bdev(b, "b", SWAP_FLAG_PREFER | 5);
	tc = swapon_bdev(c, "c", SWAP_FLAG_PREFER | 10);
	KT_CHECK(ta > 0 && tb > 0 && tc > 0 && ta != tb && tb != tc, "types %d %d %d", ta, tb, tc);
	for (int i = 0; i < 2; i++) {
		e = get_swap_page();
		KT_CHECK(swp_type(e) == (uint32_t)tc, "slot %d from type %u, not the priority-10 area", i,
			 swp_type(e));
	}
	for (int i = 0; i < 6; i++) {
		e = get_swap_page();
		KT_CHECK(swp_type(e) == (uint32_t)ta || swp_type(e) == (uint32_t)tb,
			 "slot from type %u, not an area of priority 5", swp_type(e));
		KT_CHECK(i == 0 || swp_type(e) != swp_type(prev), "equal priorities did not take turns");
		counts[swp_type(e)]++;
		prev = e;
	}
	KT_CHECK(counts[ta] == 3 && counts[tb] == 3, "split %d/%d", counts[ta], counts[tb]);
	KT_CHECK(swp_entry_none(get_swap_page()), "a slot beyond all areas");
	for (uint32_t off = 1; off < 4; off++) {
		swap_free(swp_entry(ta, off));
		swap_free(swp_entry(tb, off));
	}
	swap_free(swp_entry(tc, 1));
	swap_free(swp_entry(tc, 2));
	KT_CHECK(swapoff_bdev(a) == 0 && swapoff_bdev(b) == 0 && swapoff_bdev(c) == 0, "swapoff failed");

	/* Linux's default priorities: -2, -3, -4; swapoff of -3 moves -4 up. */
	ta = swapon_bdev(a, "a", 0);
	KT_CHECK(ta > 0 && swapon_bdev(b, "b", 0) > 0 && swapon_bdev(c, "c", 0) > 0,
		 "swapon without a priority failed");
	KT_CHECK(prio_of("a") == -2 && prio_of("b") == -3 && prio_of("c") == -4,
		 "default priorities %d %d %d, not -2 -3 -4", prio_of("a"), prio_of("b"), prio_of("c"));
	KT_CHECK(swapoff_bdev(b) == 0, "swapoff b failed");
	KT_CHECK(prio_of("a") == -2 && prio_of("c") == -3, "after swapoff of -3: %d %d", prio_of("a"),
		 prio_of("c"));
	KT_CHECK(swapon_bdev(d, "d", 0) > 0 && prio_of("d") == -4, "the next area got %d, not -4",
		 prio_of("d"));
	e = get_swap_page();
	KT_CHECK(swp_type(e) == (uint32_t)ta,
		 "the -2 area is not used first");
	swap_free(e);
	KT_CHECK(swapoff_bdev(a) == 0 && swapoff_bdev(c) == 0 && swapoff_bdev(d) == 0, "swapoff failed");
	KT_CHECK(no_swap_active(), "totals not back to 0");
}

static void
swap_page_io_body(void)
{
	struct block_device *bdev = test_disk(0, DISK_PAGES);
	static struct page *out, *in;
	swp_entry_t e;
	int type;

	KT_CHECK(bdev, "no memory for a test disk");
	type = swapon_bdev(bdev, "t0", 0);
	KT_CHECK(type > 0, "swapon: %d", type);
	out = alloc_page(GFP_KERNEL);
	in = alloc_page(GFP_KERNEL);
	KT_CHECK(out && in, "no pages");
	get_swap_page();                          /* slot 1: so the one tested is not the first */
	e = get_swap_page();
	KT_CHECK(swp_offset(e) == 2, "second slot is %u", swp_offset(e));
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		((uint8_t *)page_address(out))[i] = (uint8_t)(i * 7 + 3);
	memset(page_address(in), 0, PAGE_SIZE);
	KT_CHECK(swap_writepage(out, e) == 0, "write failed");
	KT_CHECK(memcmp(disk_mem[0] + 2 * PAGE_SIZE, page_address(out), PAGE_SIZE) == 0,
		 "the page is not at offset 2 of the device");
	KT_CHECK(swap_readpage(in, e) == 0, "read failed");
	KT_CHECK(memcmp(page_address(in), page_address(out), PAGE_SIZE) == 0, "read back wrong bytes");
	KT_CHECK(header_of(0)->info.version == SWAP_HEADER_VERSION &&
		 header_of(0)->info.last_page == DISK_PAGES - 1 &&
		 memcmp(header_of(0)->magic.magic, SWAP_MAGIC, SWAP_MAGIC_LEN) == 0,
		 "the header was overwritten");
	swap_free(swp_entry(type, 1));
	swap_free(e);
	__free_pages(out, 0);
	__free_pages(in, 0);
	KT_CHECK(swapoff_bdev(bdev) == 0, "swapoff failed");
}

/*
 * The swap= area (a boot of its own: tools/runner.py's kernel@32M-swap
 * boots swap=8M ktest=swap_boot_ramdisk). With swap=: one active area, a
 * RAM disk /dev/ramN of that size, priority -2, its memory reserved and
 * left out of the managed pages, a slot written and read back. Without
 * swap= (the ktest=all boots): no area and no reservation.
 */
KTEST(swap_boot_ramdisk)
{
	unsigned long pages = swap_ramdisk_pages(), total, free;
	struct swap_area_info a[MAX_SWAPFILES];
	int n = swap_areas_snapshot(a, MAX_SWAPFILES);
	struct block_device *bdev;
	struct page *out, *in;
	swp_entry_t e;

	if (!pages) {
		KT_CHECK(n == 0 && no_swap_active(), "an area without swap=");
		return;
	}
	KT_CHECK(n == 1, "%d areas, not the boot one alone", n);
	KT_CHECK(strncmp(a[0].name, "/dev/ram", 8) == 0 && a[0].partition && a[0].prio == -2,
		 "area %s partition %d prio %d", a[0].name, a[0].partition, a[0].prio);
	KT_CHECK(a[0].size_kb == (pages - 1) * (PAGE_SIZE / 1024) && a[0].used_kb == 0,
		 "size %lu used %lu KiB for %lu pages", a[0].size_kb, a[0].used_kb, pages);
	si_swapinfo(&total, &free);
	KT_CHECK(total == pages - 1 && free == total, "totals %lu/%lu", total, free);
	KT_CHECK(nr_managed_pages() + pages <= memblock_end_of_lowmem() >> PAGE_SHIFT,
		 "the RAM disk's %lu pages are still counted (%lu managed)", pages, nr_managed_pages());
	bdev = blkdev_get_by_name(a[0].name + strlen("/dev/"));
	KT_CHECK(bdev && bdev->bd_nr_sectors == pages * (PAGE_SIZE / SECTOR_SIZE), "no device %s",
		 a[0].name);
	KT_CHECK(memblock_is_reserved(__pa(bdev->bd_private)), "the RAM disk is not reserved");
	out = alloc_page(GFP_KERNEL);
	in = alloc_page(GFP_KERNEL);
	KT_CHECK(out && in, "no pages");
	e = get_swap_page();
	KT_CHECK(swp_offset(e) == 1, "first slot %#x", e.val);
	memset(page_address(out), 0xa5, PAGE_SIZE);
	KT_CHECK(swap_writepage(out, e) == 0 && swap_readpage(in, e) == 0, "I/O failed");
	KT_CHECK(memcmp(page_address(in), page_address(out), PAGE_SIZE) == 0, "read back wrong bytes");
	swap_free(e);
	__free_pages(out, 0);
	__free_pages(in, 0);
	si_swapinfo(&total, &free);
	KT_CHECK(free == total, "the slot was not freed");
}

/* Each test on the test disks, which are released after it whatever it
 * found (a failed check returns early). */
KTEST(swap_header_refused)
{
	swap_header_refused_body();
	release_disks();
}

KTEST(swap_slot_counts_and_exhaustion)
{
	swap_slot_counts_and_exhaustion_body();
	release_disks();
}

KTEST(swap_bad_pages_skipped)
{
	swap_bad_pages_skipped_body();
	release_disks();
}

KTEST(swap_priorities)
{
	swap_priorities_body();
	release_disks();
}

KTEST(swap_page_io)
{
	swap_page_io_body();
	release_disks();
}

/* ---- a swap file on ext2 ---------------------------------------------------- */

#define EXT2_IMAGE_LABEL "anvil-test-1k"
#define SWAP_MNT         "/mnt-swaptest"
#define SWAP_FILE        SWAP_MNT "/swapfile"
#define SWAP_FILE_PAGES  16
#define SLOT_SEED(off)   (0x40u + (off))

struct label_query {
	const char *label;
	struct block_device *found;
};

static void
match_ext2_label(struct block_device *bdev, void *arg)
{
	struct label_query *q = arg;
	struct ext2_super_block *es = kmalloc(EXT2_SUPERBLOCK_SIZE, GFP_KERNEL);

	if (es && blkdev_rw(bdev, REQ_OP_READ, EXT2_SUPERBLOCK_OFFSET / SECTOR_SIZE, es,
			    EXT2_SUPERBLOCK_SIZE) == 0 && es->s_magic == EXT2_SUPER_MAGIC &&
	    strncmp(es->s_volume_name, q->label, sizeof(es->s_volume_name)) == 0)
		q->found = bdev;
	kfree(es);
}

/* Mounts the ext2 image labelled label on SWAP_MNT: 0 or -errno. */
static int
mount_image(const char *label)
{
	struct label_query q = { label, NULL };
	char dev[32];
	int err;

	blkdev_for_each(match_ext2_label, &q);
	if (!q.found)
		return -ENODEV;
	snprintf(dev, sizeof(dev), "/dev/%s", q.found->bd_name);
	err = vfs_mkdir_path(SWAP_MNT, 0755);
	if (err && err != -EEXIST)
		return err;
	return do_mount(dev, SWAP_MNT, "ext2", 0, NULL);
}

static void
fill_slot_pattern(uint8_t *buf, uint32_t seed)
{
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		buf[i] = (uint8_t)(i * 13 + seed * 101 + (i >> 8));
}

/* Writes the swap file: a header for SWAP_FILE_PAGES pages, then zeros. */
static int
write_swap_file(void)
{
	struct file *f = kernel_open(SWAP_FILE, O_CREAT | O_TRUNC | O_RDWR, 0600);
	uint8_t *page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	int err = 0;

	if (IS_ERR(f) || !page) {
		kfree(page);
		return IS_ERR(f) ? PTR_ERR(f) : -ENOMEM;
	}
	for (uint32_t i = 0; i < SWAP_FILE_PAGES && !err; i++) {
		if (i == 0)
			swap_header_init((union swap_header *)page, SWAP_FILE_PAGES);
		else if (i == 1)
			memset(page, 0, PAGE_SIZE);
		if (kernel_write(f, page, PAGE_SIZE, (uint64_t)i * PAGE_SIZE) != PAGE_SIZE)
			err = -EIO;
	}
	fput(f);
	kfree(page);
	return err;
}

/* The swap file again, its header page and last page written, a hole
 * between. */
static int
write_holey_swap_file(void)
{
	struct file *f = kernel_open(SWAP_FILE, O_CREAT | O_TRUNC | O_RDWR, 0600);
	uint8_t *page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	int err = 0;

	if (IS_ERR(f) || !page) {
		kfree(page);
		return IS_ERR(f) ? PTR_ERR(f) : -ENOMEM;
	}
	swap_header_init((union swap_header *)page, SWAP_FILE_PAGES);
	if (kernel_write(f, page, PAGE_SIZE, 0) != PAGE_SIZE ||
	    kernel_write(f, page, PAGE_SIZE, (uint64_t)(SWAP_FILE_PAGES - 1) * PAGE_SIZE) != PAGE_SIZE)
		err = -EIO;
	fput(f);
	kfree(page);
	return err;
}

/* Whether file page off holds slot off's pattern (read after a remount,
 * so from the disk, not from a cached page). */
static bool
file_page_has_pattern(uint32_t off, uint8_t *buf, uint8_t *want)
{
	struct file *f = kernel_open(SWAP_FILE, O_RDONLY, 0);
	bool ok;

	if (IS_ERR(f))
		return false;
	ok = kernel_read(f, buf, PAGE_SIZE, (uint64_t)off * PAGE_SIZE) == PAGE_SIZE;
	fput(f);
	fill_slot_pattern(want, SLOT_SEED(off));
	return ok && memcmp(buf, want, PAGE_SIZE) == 0;
}

/*
 * A swap file on ext2 with 1 KiB blocks: swapon maps each slot to the
 * four blocks of its page (bmap); pages written to slots land in the
 * file at the slot's offset (seen after a remount, through the file);
 * a hole in the file is refused; the file is EBUSY while active.
 */
static void
swap_file_on_ext2_body(void)
{
	static struct page *out, *in;
	swp_entry_t e[SWAP_FILE_PAGES];
	unsigned long total, free;
	int n = 0, err;

	KT_CHECK(no_swap_active(), "a swap area is already active");
	err = mount_image(EXT2_IMAGE_LABEL);
	KT_CHECK(err == 0, "mount of %s: %d", EXT2_IMAGE_LABEL, err);
	KT_CHECK(write_swap_file() == 0, "writing the swap file failed");
	KT_CHECK(do_swapon(SWAP_FILE, SWAP_FLAG_PREFER | 1) == 0, "swapon of a swap file failed");
	KT_CHECK(do_swapon(SWAP_FILE, 0) == -EBUSY, "an active swap file accepted again");
	si_swapinfo(&total, &free);
	KT_CHECK(total >= 1 && total <= SWAP_FILE_PAGES - 1, "%lu usable pages", total);
	out = alloc_page(GFP_KERNEL);
	in = alloc_page(GFP_KERNEL);
	KT_CHECK(out && in, "no pages");
	for (swp_entry_t s; !swp_entry_none(s = get_swap_page()); n++) {
		e[n] = s;
		fill_slot_pattern(page_address(out), SLOT_SEED(swp_offset(s)));
		KT_CHECK(swap_writepage(out, s) == 0, "write of slot %u failed", swp_offset(s));
	}
	KT_CHECK((unsigned long)n == total, "%d slots given of %lu", n, total);
	for (int i = 0; i < n; i++) {
		fill_slot_pattern(page_address(out), SLOT_SEED(swp_offset(e[i])));
		KT_CHECK(swap_readpage(in, e[i]) == 0, "read of slot %u failed", swp_offset(e[i]));
		KT_CHECK(memcmp(page_address(in), page_address(out), PAGE_SIZE) == 0,
			 "slot %u read back wrong bytes", swp_offset(e[i]));
		swap_free(e[i]);
	}
	KT_CHECK(do_swapoff(SWAP_FILE) == 0, "swapoff of the swap file failed");
	KT_CHECK(do_umount2(SWAP_MNT, 0) == 0 && mount_image(EXT2_IMAGE_LABEL) == 0, "remount failed");
	for (int i = 0; i < n; i++)
		KT_CHECK(file_page_has_pattern(swp_offset(e[i]), page_address(in), page_address(out)),
			 "file page %u does not hold what was written to its slot", swp_offset(e[i]));
	KT_CHECK(write_holey_swap_file() == 0, "writing a file with holes failed");
	KT_CHECK(do_swapon(SWAP_FILE, 0) == -EINVAL, "a swap file with holes accepted");
	KT_CHECK(no_swap_active(), "a refused swap file left an area");
	__free_pages(out, 0);
	__free_pages(in, 0);
}

/* Leaves the image as mktestfs made it (test_ext2.c lists its root). */
static void
swap_file_cleanup(void)
{
	do_swapoff(SWAP_FILE);
	vfs_unlink_path(SWAP_FILE);
	if (do_umount2(SWAP_MNT, 0) == 0)
		vfs_rmdir_path(SWAP_MNT);
}

KTEST(swap_file_on_ext2)
{
	swap_file_on_ext2_body();
	swap_file_cleanup();
}
