/*
 * mm/swapfile.c — swap areas: swapon(2), swapoff(2), the per-slot count
 * map, slot allocation by priority, page I/O to a slot, /proc/swaps and
 * meminfo's figures, and the boot RAM-disk area of swap=SIZE.
 *
 * An area is activated in two steps, as on Linux: set up (claim a type,
 * open and check the file or device, read and check the header, build
 * swap_map and, for a file, map every slot to its sectors through the file
 * system's bmap), then made active (SWP_WRITEOK, put on swap_active_list,
 * its pages added to the totals). swapoff undoes it in the other order.
 * Before it frees an area, swapoff stops its slot allocation (SWP_SWAPOFF:
 * slots in use still work) and brings every page back (try_to_unuse,
 * mm/swapoff.c); if one cannot come back the area is made active again,
 * nothing lost.
 *
 * Invariants:
 *   - swap_info[t] (t = 1..MAX_SWAPFILES) is the area of type t or NULL;
 *     SWP_USED is set from the moment swapon claims the type until
 *     swapoff has freed the area; only SWP_WRITEOK areas are on
 *     swap_active_list, sorted by prio, highest first.
 *   - In an active area: swap_map[0] and every bad page's slot is
 *     SWAP_MAP_BAD; pages = max - (those); inuse_pages is the number of
 *     slots whose count is in 1..SWAP_MAP_MAX; every free slot lies in
 *     [lowest_bit, highest_bit].
 *   - total_swap_pages is the sum of the active areas' pages, and
 *     nr_swap_pages the sum of their free slots (pages - inuse_pages).
 *   - Areas that swapon numbered itself have the priorities -2, -3, ...
 *     in activation order without gaps: least_priority is the lowest
 *     given, and swapoff of such an area moves the ones below it up by
 *     one (Linux's rule), so the next area gets the freed number.
 *   - A swap file's page cache is written back at swapon and its blocks
 *     mapped once: slot I/O goes straight to the device's sectors and
 *     never through the file system. While the area is active its inode
 *     has I_SWAPFILE, so write, truncate and writable shared mappings of
 *     it fail with ETXTBSY as on Linux, and its blocks stay where bmap
 *     found them. Writes through the block special files of a device
 *     that is an active area are ETXTBSY too (swap_bdev_active).
 *
 * Locks (mm/LOCKING.md):
 *   swapon_mutex   mutex, a root: serialises swapon, swapoff and the
 *                  /proc/swaps snapshot. Under it: the header's read (page
 *                  lock, bd_lock), the swap file's writeback and bmap
 *                  (page lock, ext2_alloc, buffers), kmalloc.
 *   swap_info[t] is set (claimed) under swap_lock alone, and cleared and
 *   its area freed holding both: so a reader holding either lock may
 *   look at every area it finds there.
 *   swap_lock      spin, irqs off (lock_swap), a leaf of the bottom block: swap_info[], the
 *                  active list, the totals, least_priority, and each
 *                  area's (L) fields (swap_map...). Taken under any lock
 *                  (swap-out holds the page lock and page_table_lock);
 *                  nothing is allocated and nothing sleeps under it.
 */
#include <mm/swapfile.h>
#include <mm/page.h>
#include <mm/slab.h>
#include <mm/memblock.h>
#include <mm/swap_state.h>
#include <mm/filemap.h>
#include <drivers/block/blkdev.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <fs/fs_struct.h>
#include <kernel/task.h>
#include <arch/x86/irqflags.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>
#include <libk/stdio.h>
#include <libk/string.h>

#define SECTORS_PER_PAGE (PAGE_SIZE >> SECTOR_SHIFT)
#define SWAP_HEADER_SLOT 0
#define RAMDISK_MAJOR    1
#define RAMDISK_MINORS   16

static DEFINE_MUTEX(swapon_mutex);
static DEFINE_SPINLOCK(swap_lock);
static uint32_t swap_lock_irqflags;       /* the holder's saved interrupt state */

/* swap_lock is taken with interrupts off: a timer tick under it would wake
 * a task (rq_lock), which may not nest inside it. One CPU: only the holder
 * touches the saved state. */
static void
lock_swap(void)
{
	uint32_t flags = spin_lock_irqsave(&swap_lock);

	swap_lock_irqflags = flags;
}

static void
unlock_swap(void)
{
	spin_unlock_irqrestore(&swap_lock, swap_lock_irqflags);
}
static struct swap_info_struct *swap_info[MAX_SWAPFILES + 1];   /* [0] unused */
static LIST_HEAD(swap_active_list);
static unsigned long total_swap_pages, nr_swap_pages;           /* (L) */
static int least_priority = -1;                                 /* (L) */

static unsigned long
pages_to_kb(unsigned long pages)
{
	return pages * (PAGE_SIZE / 1024);
}

/* ---- slots ---------------------------------------------------------------- */

/* The area of type whose slots are in use: active, or being emptied by
 * swapoff; NULL if none. swap_lock held. */
static struct swap_info_struct *
active_area(uint32_t type)
{
	struct swap_info_struct *si;

	assert_spin_locked(&swap_lock);
	if (type == 0 || type > MAX_SWAPFILES)
		return NULL;
	si = swap_info[type];
	return si && (si->flags & (SWP_WRITEOK | SWP_SWAPOFF)) ? si : NULL;
}

/* The area and slot count of entry, which must name a slot of an active
 * area (a kernel bug otherwise). swap_lock held. */
static uint16_t *
slot_of(swp_entry_t entry, struct swap_info_struct **sip)
{
	struct swap_info_struct *si = active_area(swp_type(entry));

	if (!si || swp_offset(entry) >= si->max)
		panic("swap: entry %#x names no slot of an active area", entry.val);
	*sip = si;
	return &si->swap_map[swp_offset(entry)];
}

/* A free slot of si between lowest_bit and highest_bit, next-fit from
 * si->next, taken with count 1; 0 if none. swap_lock held. */
static uint32_t
take_free_slot(struct swap_info_struct *si)
{
	uint32_t span = si->highest_bit - si->lowest_bit + 1;
	uint32_t start = si->next;

	if (si->lowest_bit > si->highest_bit)
		return 0;
	if (start < si->lowest_bit || start > si->highest_bit)
		start = si->lowest_bit;
	for (uint32_t i = 0, off = start; i < span; i++) {
		if (si->swap_map[off] == SWAP_MAP_FREE) {
			si->swap_map[off] = 1;
			si->inuse_pages++;
			nr_swap_pages--;
			si->next = off + 1;
			if (off == si->lowest_bit)
				si->lowest_bit++;
			if (si->inuse_pages == si->pages) {   /* full: the range is empty */
				si->lowest_bit = si->max;
				si->highest_bit = 0;
			}
			return off;
		}
		off = off == si->highest_bit ? si->lowest_bit : off + 1;
	}
	return 0;
}

/* Moves si behind the other active areas of its priority: equal
 * priorities take turns, as Linux's plist_requeue makes them. */
static void
requeue_area(struct swap_info_struct *si)
{
	struct swap_info_struct *pos, *last = si;

	list_for_each_entry(pos, &swap_active_list, avail)
		if (pos->prio == si->prio)
			last = pos;
	if (last != si) {
		list_del(&si->avail);
		list_add(&si->avail, &last->avail);
	}
}

swp_entry_t
get_swap_page(void)
{
	struct swap_info_struct *si;
	swp_entry_t entry = { 0 };

	lock_swap();
	list_for_each_entry(si, &swap_active_list, avail) {
		uint32_t off = take_free_slot(si);

		if (off) {
			entry = swp_entry(si->type, off);
			requeue_area(si);
			break;
		}
	}
	unlock_swap();
	return entry;
}

int
swap_duplicate(swp_entry_t entry)
{
	int err = swap_duplicate_if_used(entry);

	if (err == -ENOENT)
		panic("swap: entry %#x names no slot in use", entry.val);
	return err;
}

int
swap_duplicate_if_used(swp_entry_t entry)
{
	struct swap_info_struct *si;
	uint16_t *count = NULL;
	int err = 0;

	lock_swap();
	si = active_area(swp_type(entry));
	if (si && swp_offset(entry) < si->max)
		count = &si->swap_map[swp_offset(entry)];
	if (!count || *count == SWAP_MAP_FREE || *count == SWAP_MAP_BAD)
		err = -ENOENT;
	else if (*count == SWAP_MAP_MAX)
		err = -ENOMEM;
	else
		(*count)++;
	unlock_swap();
	return err;
}

/* Makes slot off of si free again. swap_lock held. */
static void
release_slot(struct swap_info_struct *si, uint32_t off)
{
	si->inuse_pages--;
	if (si->flags & SWP_WRITEOK)
		nr_swap_pages++;                 /* (an area being swapped off is out of the totals) */
	if (si->lowest_bit > si->highest_bit) {
		si->lowest_bit = si->highest_bit = off;
		return;
	}
	if (off < si->lowest_bit)
		si->lowest_bit = off;
	if (off > si->highest_bit)
		si->highest_bit = off;
}

void
swap_free(swp_entry_t entry)
{
	struct swap_info_struct *si;
	uint16_t *count;

	lock_swap();
	count = slot_of(entry, &si);
	BUG_ON(*count == SWAP_MAP_FREE || *count == SWAP_MAP_BAD);
	if (--*count == SWAP_MAP_FREE)
		release_slot(si, swp_offset(entry));
	unlock_swap();
}

int
swap_count(swp_entry_t entry)
{
	struct swap_info_struct *si;
	int count = 0;

	lock_swap();
	si = active_area(swp_type(entry));
	if (si && swp_offset(entry) < si->max && si->swap_map[swp_offset(entry)] != SWAP_MAP_BAD)
		count = si->swap_map[swp_offset(entry)];
	unlock_swap();
	return count;
}

uint32_t
swap_area_slots(uint32_t type, uint32_t *inuse)
{
	struct swap_info_struct *si;
	uint32_t slots;

	lock_swap();
	si = active_area(type);
	slots = si ? si->max : 0;
	if (inuse)
		*inuse = si ? si->inuse_pages : 0;
	unlock_swap();
	return slots;
}

int
swap_check_counts(uint32_t type, const uint16_t *refs, uint32_t slots, bool verbose)
{
	struct swap_info_struct *si;
	int errors = 0;

	lock_swap();
	si = active_area(type);
	for (uint32_t off = 0; si && off < slots && off < si->max; off++) {
		uint16_t count = si->swap_map[off];

		if (count == SWAP_MAP_BAD || count == refs[off])
			continue;
		if (verbose && errors < 8)
			printk(KERN_ERR "swap_check: slot %u:%u counts %u, references found %u\n", type,
			       off, count, refs[off]);
		errors++;
	}
	unlock_swap();
	return errors;
}

bool
vm_swap_full(void)
{
	return nr_swap_pages * 2 < total_swap_pages;
}

void
si_swapinfo(unsigned long *total, unsigned long *free)
{
	lock_swap();
	*total = total_swap_pages;
	*free = nr_swap_pages;
	unlock_swap();
}

/* ---- page I/O --------------------------------------------------------------- */

/* One page between page and entry's slot. The area cannot go away: the
 * caller's reference to the slot keeps swapoff out. */
static int
swap_page_io(struct page *page, swp_entry_t entry, enum req_op op)
{
	struct swap_info_struct *si;
	uint32_t off = swp_offset(entry);
	uint64_t sector;

	might_sleep();
	lock_swap();
	slot_of(entry, &si);
	BUG_ON(si->swap_map[off] == SWAP_MAP_FREE || si->swap_map[off] == SWAP_MAP_BAD);
	unlock_swap();
	sector = si->slot_sector ? si->slot_sector[off] : (uint64_t)off * SECTORS_PER_PAGE;
	return blkdev_rw(si->bdev, op, sector, page_address(page), PAGE_SIZE);
}

int
swap_readpage(struct page *page, swp_entry_t entry)
{
	return swap_page_io(page, entry, REQ_OP_READ);
}

int
swap_writepage(struct page *page, swp_entry_t entry)
{
	return swap_page_io(page, entry, REQ_OP_WRITE);
}

/* ---- the header --------------------------------------------------------------- */

void
swap_header_init(union swap_header *hdr, uint32_t pages)
{
	BUG_ON(pages < 2);
	memset(hdr, 0, sizeof(*hdr));
	hdr->info.version = SWAP_HEADER_VERSION;
	hdr->info.last_page = pages - 1;
	memcpy(hdr->magic.magic, SWAP_MAGIC, SWAP_MAGIC_LEN);
}

/*
 * Checks hdr as Linux's read_swap_header does, for an area whose backing
 * has avail_pages pages (0: unknown): the number of slots (last_page + 1,
 * at most SWP_MAX_OFFSET), or -EINVAL for no signature, another version,
 * an empty area, an area longer than its backing, bad pages in a file or
 * too many of them. (Linux also takes a byte-swapped header; anvil is
 * little-endian only and does not.)
 */
static long
check_swap_header(const union swap_header *hdr, uint32_t avail_pages, bool is_file)
{
	uint32_t maxpages;

	if (memcmp(hdr->magic.magic, SWAP_MAGIC, SWAP_MAGIC_LEN)) {
		printk(KERN_ERR "swapon: unable to find swap-space signature\n");
		return -EINVAL;
	}
	if (hdr->info.version != SWAP_HEADER_VERSION) {
		printk(KERN_WARNING "swapon: unable to handle swap header version %u\n",
		       hdr->info.version);
		return -EINVAL;
	}
	if (hdr->info.last_page == 0) {
		printk(KERN_WARNING "swapon: empty swap-file\n");
		return -EINVAL;
	}
	maxpages = hdr->info.last_page >= SWP_MAX_OFFSET - 1 ? SWP_MAX_OFFSET : hdr->info.last_page + 1;
	if (avail_pages && maxpages > avail_pages) {
		printk(KERN_WARNING "swapon: swap area shorter than signature indicates\n");
		return -EINVAL;
	}
	if (hdr->info.nr_badpages && is_file)
		return -EINVAL;
	if (hdr->info.nr_badpages > MAX_SWAP_BADPAGES)
		return -EINVAL;
	return maxpages;
}

/* Marks slot 0 and the header's bad pages SWAP_MAP_BAD; the usable slots,
 * or -EINVAL for a bad page 0 or past last_page, or no usable slot. */
static long
mark_bad_slots(struct swap_info_struct *si, const union swap_header *hdr)
{
	uint32_t bad = 1;

	si->swap_map[SWAP_HEADER_SLOT] = SWAP_MAP_BAD;
	for (uint32_t i = 0; i < hdr->info.nr_badpages; i++) {
		uint32_t page = hdr->info.badpages[i];

		if (page == 0 || page > hdr->info.last_page)
			return -EINVAL;
		if (page < si->max && si->swap_map[page] != SWAP_MAP_BAD) {
			si->swap_map[page] = SWAP_MAP_BAD;
			bad++;
		}
	}
	if (bad >= si->max) {
		printk(KERN_WARNING "swapon: empty swap-file\n");
		return -EINVAL;
	}
	return si->max - bad;
}

/* ---- setting an area up --------------------------------------------------- */

/* Claims a free type for a new area: a zeroed area with SWP_USED, or
 * -EPERM when MAX_SWAPFILES are in use (Linux's value), -ENOMEM. */
static struct swap_info_struct *
alloc_swap_info(void)
{
	struct swap_info_struct *si = kzalloc(sizeof(*si), GFP_KERNEL);
	uint32_t type;

	if (!si)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&si->avail);
	lock_swap();
	for (type = 1; type <= MAX_SWAPFILES && swap_info[type]; type++)
		;
	if (type > MAX_SWAPFILES) {
		unlock_swap();
		kfree(si);
		return ERR_PTR(-EPERM);
	}
	si->type = (uint8_t)type;
	si->flags = SWP_USED;
	swap_info[type] = si;
	unlock_swap();
	return si;
}

/* Frees an area that is not active, giving its type back; its file (if
 * any) is the caller's to fput, outside swapon_mutex (the last reference
 * to an unlinked file evicts it, which takes file-system locks). */
static void
free_swap_info(struct swap_info_struct *si)
{
	lockdep_assert_held(&swapon_mutex);      /* area_exists may be looking at si */
	BUG_ON(si->flags & SWP_WRITEOK);
	lock_swap();
	swap_info[si->type] = NULL;
	unlock_swap();
	kfree(si->swap_map);
	kfree(si->slot_sector);
	kfree(si->name);
	kfree(si);
}

/* free_swap_info for a caller that does not hold swapon_mutex. */
static void
discard_swap_info(struct swap_info_struct *si)
{
	mutex_lock(&swapon_mutex);
	free_swap_info(si);
	mutex_unlock(&swapon_mutex);
}

/* Whether another area (active or being set up) is the block device bdev
 * or the file inode. swapon_mutex held. */
static bool
area_exists(const struct swap_info_struct *self, struct block_device *bdev, struct inode *inode)
{
	lockdep_assert_held(&swapon_mutex);
	for (int t = 1; t <= MAX_SWAPFILES; t++) {
		const struct swap_info_struct *si = swap_info[t];

		if (!si || si == self)
			continue;
		if (inode && si->inode == inode)
			return true;
		if (bdev && (si->flags & SWP_BLKDEV) && si->bdev == bdev)
			return true;
	}
	return false;
}

struct mounted_query {
	struct block_device *bdev;
	bool mounted;
};

static void
super_on_bdev(struct super_block *sb, void *arg)
{
	struct mounted_query *q = arg;

	if (sb->s_bdev == q->bdev)
		q->mounted = true;
}

/* Whether a file system is mounted from bdev (Linux's exclusive claim
 * fails then). */
static bool
bdev_mounted(struct block_device *bdev)
{
	struct mounted_query q = { bdev, false };

	iterate_supers(super_on_bdev, &q);
	return q.mounted;
}

/* Reads the header page of a block-device area into hdr. */
static int
read_bdev_header(struct block_device *bdev, union swap_header *hdr)
{
	if ((bdev->bd_nr_sectors >> (PAGE_SHIFT - SECTOR_SHIFT)) == 0)
		return -EINVAL;
	return blkdev_rw(bdev, REQ_OP_READ, 0, hdr, PAGE_SIZE);
}

/* Builds swap_map (and the totals' pages) of si from hdr, for backing of
 * avail_pages pages: 0 or -errno. */
static int
setup_swap_map(struct swap_info_struct *si, const union swap_header *hdr, uint32_t avail_pages,
	       bool is_file)
{
	long maxpages = check_swap_header(hdr, avail_pages, is_file);
	long good;

	if (maxpages < 0)
		return (int)maxpages;
	si->max = (uint32_t)maxpages;
	si->swap_map = kzalloc(si->max * sizeof(si->swap_map[0]), GFP_KERNEL);
	if (!si->swap_map)
		return -ENOMEM;
	good = mark_bad_slots(si, hdr);
	if (good < 0)
		return (int)good;
	si->pages = (uint32_t)good;
	return 0;
}

/*
 * Maps every slot of a swap file to the sectors of its device, as Linux's
 * swap extents do at swapon: each page of the file must be in blocks that
 * follow each other on the device, else its slot is marked unusable (as
 * Linux skips such a page). A hole, or a file system without bmap, is
 * -EINVAL. Writes back the file's dirty pages first, so that nothing in
 * the page cache is written over swapped data later.
 */
static int
map_swap_file(struct swap_info_struct *si, struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	uint32_t blocksize = inode->i_sb->s_blocksize;
	uint32_t per_page = PAGE_SIZE / blocksize, sectors_per_block = blocksize >> SECTOR_SHIFT;
	int err;

	if (!mapping->a_ops || !mapping->a_ops->bmap || !inode->i_sb->s_bdev || blocksize > PAGE_SIZE)
		return -EINVAL;
	err = write_inode_now(inode);
	if (err)
		return err;
	si->slot_sector = kmalloc(si->max * sizeof(si->slot_sector[0]), GFP_KERNEL);
	if (!si->slot_sector)
		return -ENOMEM;
	for (uint32_t off = 0; off < si->max; off++) {
		uint32_t first = 0;
		bool contiguous = true;

		for (uint32_t b = 0; b < per_page; b++) {
			uint32_t phys;

			err = mapping->a_ops->bmap(mapping, off * per_page + b, &phys);
			if (err)
				return err;
			if (phys == 0) {
				printk(KERN_WARNING "swapon: swapfile has holes\n");
				return -EINVAL;
			}
			if (b == 0)
				first = phys;
			else if (phys != first + b)
				contiguous = false;
		}
		si->slot_sector[off] = first * sectors_per_block;
		if (!contiguous && si->swap_map[off] != SWAP_MAP_BAD) {
			si->swap_map[off] = SWAP_MAP_BAD;
			si->pages--;
		}
	}
	if (si->pages == 0)
		return -EINVAL;
	si->bdev = inode->i_sb->s_bdev;
	return 0;
}

/* The priority swapon gives an area: flags' if SWAP_FLAG_PREFER, else the
 * next of -2, -3, ... swap_lock held. */
static int
area_priority(int swap_flags)
{
	if (swap_flags & SWAP_FLAG_PREFER)
		return (swap_flags & SWAP_FLAG_PRIO_MASK) >> SWAP_FLAG_PRIO_SHIFT;
	return --least_priority;
}

/* Marks (or unmarks) inode as an active swap file: I_SWAPFILE. i_state
 * changes with interrupts off (fs/vfs.h). */
static void
set_inode_swapfile(struct inode *inode, bool on)
{
	uint32_t flags = local_irq_save();

	if (on)
		inode->i_state |= I_SWAPFILE;
	else
		inode->i_state &= ~I_SWAPFILE;
	local_irq_restore(flags);
}

/* si hands out slots (again): on the active list by priority, its pages
 * in the totals, SWP_WRITEOK. swap_lock held. */
static void
start_allocations(struct swap_info_struct *si)
{
	struct swap_info_struct *pos;
	struct list_head *before = &swap_active_list;

	assert_spin_locked(&swap_lock);
	list_for_each_entry(pos, &swap_active_list, avail)
		if (pos->prio < si->prio) {
			before = &pos->avail;
			break;
		}
	list_add_tail(&si->avail, before);
	total_swap_pages += si->pages;
	nr_swap_pages += si->pages - si->inuse_pages;
	si->flags = (si->flags & ~SWP_SWAPOFF) | SWP_WRITEOK;
}

/* swapoff begins: si hands out no more slots and leaves the totals, its
 * slots in use still work (SWP_SWAPOFF). swap_lock held. */
static void
stop_allocations(struct swap_info_struct *si)
{
	assert_spin_locked(&swap_lock);
	list_del_init(&si->avail);
	total_swap_pages -= si->pages;
	nr_swap_pages -= si->pages - si->inuse_pages;
	si->flags = (si->flags & ~SWP_WRITEOK) | SWP_SWAPOFF;
}

/* Makes the set-up area si active: on the list by priority, its pages in
 * the totals, its free range the whole map. */
static void
activate_area(struct swap_info_struct *si, int swap_flags)
{
	lock_swap();
	si->prio = area_priority(swap_flags);
	si->lowest_bit = 1;
	si->highest_bit = si->max - 1;
	si->next = 1;
	start_allocations(si);
	unlock_swap();
	printk(KERN_INFO "Adding %luk swap on %s.  Priority:%d\n", pages_to_kb(si->pages), si->name,
	       si->prio);
}

/* Sets up and activates si over bdev (a block-device area) or, when inode
 * is a regular file, over that file: 0 or -errno. On success the area
 * owns file (a reference); on failure si is freed and file is still the
 * caller's. swapon_mutex held. */
static int
setup_area(struct swap_info_struct *si, struct block_device *bdev, struct inode *inode,
	   struct file *file, const char *name, int swap_flags)
{
	union swap_header *hdr = NULL;
	bool is_file = inode && S_ISREG(inode->i_mode);
	uint32_t avail;
	int err;

	si->swap_file = file;
	si->inode = inode;
	si->name = kmalloc(strlen(name) + 1, GFP_KERNEL);
	hdr = kmalloc(PAGE_SIZE, GFP_KERNEL);
	err = -ENOMEM;
	if (!si->name || !hdr)
		goto out_free;
	strcpy(si->name, name);
	err = -EBUSY;
	if (area_exists(si, bdev, inode) || (bdev && bdev_mounted(bdev)))
		goto out_free;
	if (is_file) {
		ssize_t n = kernel_read(file, hdr, PAGE_SIZE, 0);

		err = n < 0 ? (int)n : 0;
		if (n >= 0 && n < (ssize_t)PAGE_SIZE)
			memset((char *)hdr + n, 0, PAGE_SIZE - (size_t)n);
		avail = (uint32_t)(inode->i_size >> PAGE_SHIFT);
	} else {
		si->flags |= SWP_BLKDEV;
		si->bdev = bdev;
		err = read_bdev_header(bdev, hdr);
		avail = (uint32_t)(bdev->bd_nr_sectors >> (PAGE_SHIFT - SECTOR_SHIFT));
	}
	if (err)
		goto out_free;
	err = setup_swap_map(si, hdr, avail, is_file);
	if (!err && is_file)
		err = map_swap_file(si, inode);
	if (err)
		goto out_free;
	kfree(hdr);
	if (is_file)
		set_inode_swapfile(inode, true);
	activate_area(si, swap_flags);
	return 0;

out_free:
	kfree(hdr);
	free_swap_info(si);
	return err;
}

int
swapon_bdev(struct block_device *bdev, const char *name, int swap_flags)
{
	struct swap_info_struct *si;
	int err;

	if (swap_flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	si = alloc_swap_info();
	if (IS_ERR(si))
		return PTR_ERR(si);
	mutex_lock(&swapon_mutex);
	err = setup_area(si, bdev, NULL, NULL, name, swap_flags);
	mutex_unlock(&swapon_mutex);
	return err ? err : si->type;
}

/* ---- taking an area out of use -------------------------------------------- */

/* Frees si, which swapoff emptied (no slot in use, off the active list),
 * handing its file to the caller in *file to fput after swapon_mutex
 * (NULL for the boot area). The areas that swapon numbered below it move
 * up by one, as on Linux. swapon_mutex held. */
static void
deactivate_area(struct swap_info_struct *si, struct file **file)
{
	struct swap_info_struct *pos;

	lockdep_assert_held(&swapon_mutex);
	lock_swap();
	BUG_ON(si->inuse_pages || !(si->flags & SWP_SWAPOFF));
	si->flags &= ~SWP_SWAPOFF;
	if (si->prio < 0) {
		list_for_each_entry(pos, &swap_active_list, avail)
			if (pos->prio < si->prio)
				pos->prio++;
		least_priority++;
	}
	unlock_swap();
	if (si->inode)
		set_inode_swapfile(si->inode, false);
	*file = si->swap_file;
	free_swap_info(si);
}

/* swapoff of the active area si: it stops handing out slots, every page
 * in it is brought back (try_to_unuse, without swapon_mutex: it takes
 * mmap_locks and page locks), then it is freed. If a page cannot come
 * back (-ENOMEM, -EIO, -EINTR), the area is active again at its priority
 * and nothing is lost, as on Linux. swapon_mutex held (dropped meanwhile;
 * no one else finds si: it is not SWP_WRITEOK). */
static int
swapoff_area(struct swap_info_struct *si, struct file **file)
{
	int err;

	lockdep_assert_held(&swapon_mutex);
	lock_swap();
	stop_allocations(si);
	unlock_swap();
	mutex_unlock(&swapon_mutex);
	err = try_to_unuse(si->type);
	mutex_lock(&swapon_mutex);
	if (err) {
		lock_swap();
		start_allocations(si);
		unlock_swap();
		return err;
	}
	deactivate_area(si, file);
	return 0;
}

/* The active area that is bdev (a block-device area) or inode; NULL if
 * none. swapon_mutex held. */
static struct swap_info_struct *
find_active_area(struct block_device *bdev, struct inode *inode)
{
	lockdep_assert_held(&swapon_mutex);
	for (int t = 1; t <= MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info[t];

		if (!si || !(si->flags & SWP_WRITEOK))
			continue;
		if ((inode && si->inode == inode) ||
		    (bdev && (si->flags & SWP_BLKDEV) && si->bdev == bdev))
			return si;
	}
	return NULL;
}

int
swapoff_bdev(struct block_device *bdev)
{
	struct swap_info_struct *si;
	struct file *file = NULL;
	int err = -EINVAL;

	mutex_lock(&swapon_mutex);
	si = find_active_area(bdev, NULL);
	if (si)
		err = swapoff_area(si, &file);
	mutex_unlock(&swapon_mutex);
	if (file)
		fput(file);
	return err;
}

/* ---- the system calls ------------------------------------------------------- */

/* The absolute path of file as the caller sees it (kmalloc'd), or NULL.
 * A kernel thread has no fs_struct: its paths are from the global root. */
static char *
swap_file_name(struct file *file)
{
	struct dentry *root = current->fs ? current->fs->root : NULL;
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);

	if (buf && d_path(file->f_dentry, root, buf, PATH_MAX) < 0) {
		kfree(buf);
		buf = NULL;
	}
	return buf;
}

/* Opens path as swapon and swapoff do (read-write): the file or ERR_PTR
 * (ENOENT, ENOTDIR, EISDIR, EACCES, EROFS... from the open). */
static struct file *
open_swap_path(const char *path)
{
	return kernel_open(path, O_RDWR | O_LARGEFILE, 0);
}

int
do_swapon(const char *path, int swap_flags)
{
	struct swap_info_struct *si;
	struct block_device *bdev = NULL;
	struct inode *inode;
	struct file *file;
	char *name = NULL;
	int err;

	if (swap_flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	si = alloc_swap_info();
	if (IS_ERR(si))
		return PTR_ERR(si);
	file = open_swap_path(path);
	if (IS_ERR(file)) {
		discard_swap_info(si);
		return PTR_ERR(file);
	}
	inode = file->f_inode;
	if (S_ISBLK(inode->i_mode))
		bdev = blkdev_get(inode->i_rdev);
	err = -EINVAL;
	if (bdev || S_ISREG(inode->i_mode)) {
		err = -ENOMEM;
		name = swap_file_name(file);
	}
	if (!name) {
		discard_swap_info(si);
		fput(file);
		return err;
	}
	mutex_lock(&swapon_mutex);
	err = setup_area(si, bdev, bdev ? NULL : inode, file, name, swap_flags);
	mutex_unlock(&swapon_mutex);
	kfree(name);
	if (err)
		fput(file);
	return err;
}

/* swapon(2): flags are checked before the path is copied in, as Linux does. */
static long
sys_swapon(const char *upath, int swap_flags)
{
	char *path;
	long err;

	if (swap_flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	path = getname(upath);
	if (IS_ERR(path))
		return PTR_ERR(path);
	err = do_swapon(path, swap_flags);
	kfree(path);
	return err;
}
SYSCALL_DEFINE(swapon, sys_swapon);

int
do_swapoff(const char *path)
{
	struct swap_info_struct *si;
	struct file *file = open_swap_path(path), *area_file = NULL;
	struct inode *inode;
	int err = -EINVAL;

	if (IS_ERR(file))
		return PTR_ERR(file);
	inode = file->f_inode;
	mutex_lock(&swapon_mutex);
	si = S_ISBLK(inode->i_mode) ? find_active_area(blkdev_get(inode->i_rdev), NULL)
				    : find_active_area(NULL, inode);
	if (si)
		err = swapoff_area(si, &area_file);
	mutex_unlock(&swapon_mutex);
	if (area_file)
		fput(area_file);
	fput(file);
	return err;
}

static long
sys_swapoff(const char *upath)
{
	char *path = getname(upath);
	long err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	err = do_swapoff(path);
	kfree(path);
	return err;
}
SYSCALL_DEFINE(swapoff, sys_swapoff);

bool
swap_bdev_active(struct block_device *bdev)
{
	struct swap_info_struct *si;
	bool active = false;

	lock_swap();
	list_for_each_entry(si, &swap_active_list, avail)
		if ((si->flags & SWP_BLKDEV) && si->bdev == bdev)
			active = true;
	unlock_swap();
	return active;
}

int
swap_areas_snapshot(struct swap_area_info *out, int max)
{
	int n = 0;

	mutex_lock(&swapon_mutex);
	for (int t = 1; t <= MAX_SWAPFILES && n < max; t++) {
		struct swap_info_struct *si = swap_info[t];

		if (!si || !(si->flags & SWP_WRITEOK))
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "%s", si->name);
		out[n].partition = si->flags & SWP_BLKDEV;
		lock_swap();
		out[n].size_kb = pages_to_kb(si->pages);
		out[n].used_kb = pages_to_kb(si->inuse_pages);
		out[n].prio = si->prio;
		unlock_swap();
		n++;
	}
	mutex_unlock(&swapon_mutex);
	return n;
}

/* ---- swap=SIZE: an area on a RAM disk carved out at boot ------------------ */

static unsigned long long swap_ramdisk_bytes;   /* swap=, page-aligned */
static void *swap_ramdisk_mem;                  /* its memory, reserved in memblock */

static int
parse_swap(const char *val)
{
	char *end;
	unsigned long long v = memparse(val, &end);

	if (*end || v < 2 * PAGE_SIZE)
		return -1;
	swap_ramdisk_bytes = v & ~(unsigned long long)(PAGE_SIZE - 1);
	return 0;
}
KERNEL_PARAM("swap", parse_swap,
	     "a swap area on a RAM disk of this size, taken from RAM at boot (e.g. swap=64M)");

void
swap_ramdisk_reserve(void)
{
	phys_addr_t limit = memblock_end_of_lowmem();

	if (!swap_ramdisk_bytes)
		return;
	if (swap_ramdisk_bytes >= limit / 2) {
		printk(KERN_ERR "swap: swap=%lluK is more than half of memory; no swap\n",
		       swap_ramdisk_bytes >> 10);
		swap_ramdisk_bytes = 0;
		return;
	}
	swap_ramdisk_mem = memblock_alloc_try((uint32_t)swap_ramdisk_bytes, PAGE_SIZE, limit,
					      "swap ramdisk");
	if (!swap_ramdisk_mem) {
		printk(KERN_ERR "swap: no room for a %lluK RAM disk; no swap\n", swap_ramdisk_bytes >> 10);
		swap_ramdisk_bytes = 0;
	}
}

unsigned long
swap_ramdisk_pages(void)
{
	return swap_ramdisk_mem ? (unsigned long)(swap_ramdisk_bytes >> PAGE_SHIFT) : 0;
}

/* The first RAM-disk minor no device has. */
static unsigned
free_ramdisk_minor(void)
{
	unsigned minor = 0;

	while (minor < RAMDISK_MINORS && blkdev_get(MKDEV(RAMDISK_MAJOR, minor)))
		minor++;
	return minor;
}

void
swap_ramdisk_init(void)
{
	struct block_device *bdev;
	char name[SWAP_NAME_MAX];
	int type;

	if (!swap_ramdisk_mem)
		return;
	bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);
	if (!bdev)
		panic("swap: out of memory");
	ramdisk_setup(bdev, free_ramdisk_minor(), swap_ramdisk_mem, (size_t)swap_ramdisk_bytes);
	add_disk(bdev);
	swap_header_init(swap_ramdisk_mem, (uint32_t)(swap_ramdisk_bytes >> PAGE_SHIFT));
	snprintf(name, sizeof(name), "/dev/%s", bdev->bd_name);
	type = swapon_bdev(bdev, name, 0);
	if (type < 0)
		printk(KERN_ERR "swap: swapon %s failed: %d\n", name, type);
}
