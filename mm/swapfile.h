/*
 * mm/swapfile.h — swap areas: where anonymous pages will go when memory
 * runs short. An area is a block device (the boot RAM disk of swap=, an
 * IDE disk) or a regular file of a file system that can map its blocks
 * (ext2), starting with Linux's swap header (union swap_header below), so
 * what the host's mkswap writes is accepted. Each area has a type (1 ..
 * MAX_SWAPFILES of mm/swapops.h, which is also the type of a swap entry in
 * a PTE) and an array of slots, one per page of the area; a slot is named
 * by a swap entry (type, offset), and swap_map[offset] counts the
 * references to it (swap PTEs, the swap cache, shmem files).
 *
 * This file is the slot API the swap-out work uses: get_swap_page,
 * swap_duplicate, swap_free, swap_count, swap_readpage/swap_writepage, and
 * the figures of /proc/meminfo (si_swapinfo) and /proc/swaps. The
 * invariants and locks are at the top of mm/swapfile.c.
 */
#ifndef MM_SWAPFILE_H
#define MM_SWAPFILE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <arch/x86/mmu.h>
#include <mm/swapops.h>
#include <libk/list.h>

struct page;
struct file;
struct inode;
struct block_device;

/* swapon(2)'s flags, Linux's values (include/linux/swap.h). */
#define SWAP_FLAG_PREFER        0x8000    /* use the priority in the low bits */
#define SWAP_FLAG_PRIO_MASK     0x7fff
#define SWAP_FLAG_PRIO_SHIFT    0
#define SWAP_FLAG_DISCARD       0x10000   /* accepted, no effect: no discard here */
#define SWAP_FLAG_DISCARD_ONCE  0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#define SWAP_FLAGS_VALID (SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | \
			  SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES)

/*
 * The first page of every area, as Linux's mkswap writes it:
 *
 *   byte 0      1024        1028      1032         1036    1052     1068  1536          4086     4096
 *   +-----------+-----------+---------+------------+-------+--------+-----+--------------+--------+
 *   | boot bits | version=1 |last_page|nr_badpages | uuid  | label  | pad | badpages[]   |"SWAP-  |
 *   | (ignored) |           |         |            |       |        |     | (offsets)    |SPACE2" |
 *   +-----------+-----------+---------+------------+-------+--------+-----+--------------+--------+
 *
 * Little-endian 32-bit fields. last_page is the offset of the area's last
 * page (so the area has last_page + 1 pages, the header being page 0);
 * badpages[0 .. nr_badpages) are offsets of pages not to use.
 */
#define SWAP_MAGIC            "SWAPSPACE2"
#define SWAP_MAGIC_LEN        10
#define SWAP_BOOTBITS_SIZE    1024
#define SWAP_UUID_SIZE        16
#define SWAP_LABEL_SIZE       16
#define SWAP_HEADER_PADDING   117
#define SWAP_HEADER_VERSION   1

union swap_header {
	struct {
		char reserved[PAGE_SIZE - SWAP_MAGIC_LEN];
		char magic[SWAP_MAGIC_LEN];          /* SWAP_MAGIC, no NUL */
	} magic;
	struct {
		char bootbits[SWAP_BOOTBITS_SIZE];   /* room for a boot sector/disklabel */
		uint32_t version;                    /* SWAP_HEADER_VERSION */
		uint32_t last_page;                  /* offset of the last page */
		uint32_t nr_badpages;                /* entries of badpages[] in use */
		unsigned char sws_uuid[SWAP_UUID_SIZE];
		char sws_volume[SWAP_LABEL_SIZE];    /* label, NUL-padded */
		uint32_t padding[SWAP_HEADER_PADDING];
		uint32_t badpages[1];                /* up to MAX_SWAP_BADPAGES */
	} info;
};
_Static_assert(sizeof(union swap_header) == PAGE_SIZE, "the swap header is one page");
_Static_assert(offsetof(union swap_header, info.badpages) == 1536, "Linux's header layout");

/* How many bad pages fit between badpages[] and the magic (637). */
#define MAX_SWAP_BADPAGES \
	((offsetof(union swap_header, magic.magic) - offsetof(union swap_header, info.badpages)) / \
	 sizeof(uint32_t))

/*
 * A swap entry: the slot (type, offset) a page went to. Type 0 is no
 * entry (val 0). The value is ours; in a PTE the entry is written in
 * arch/x86/mmu.h's layout by swp_entry_to_pte, and read back with
 * pte_to_swp_entry.
 *
 *    31      24 23 22                               0
 *   +----------+--+----------------------------------+
 *   |   type   |0 |          offset (23 bits)        |
 *   +----------+--+----------------------------------+
 */
typedef struct { uint32_t val; } swp_entry_t;

#define SWP_ENTRY_TYPE_SHIFT 24
#define SWP_ENTRY_OFFSET_MASK ((1u << SWP_OFFSET_BITS) - 1)
#define SWP_MAX_OFFSET       (1u << SWP_OFFSET_BITS)   /* slots an area may have */

static inline swp_entry_t swp_entry(uint32_t type, uint32_t offset)
{
	return (swp_entry_t){ (type << SWP_ENTRY_TYPE_SHIFT) | (offset & SWP_ENTRY_OFFSET_MASK) };
}
static inline uint32_t swp_type(swp_entry_t e)   { return e.val >> SWP_ENTRY_TYPE_SHIFT; }
static inline uint32_t swp_offset(swp_entry_t e) { return e.val & SWP_ENTRY_OFFSET_MASK; }
static inline bool swp_entry_none(swp_entry_t e) { return e.val == 0; }
/* The non-present PTE holding e (a swap-area entry, type 1..MAX_SWAPFILES). */
static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	return swp_pte(swp_type(e), swp_offset(e));
}
/* The entry a swap PTE holds (pte_is_swap, not a migration entry). */
static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	return swp_entry(pte_swp_type(pte), pte_swp_offset(pte));
}

/* swap_map values: a count of references, or one of these. */
#define SWAP_MAP_FREE 0                /* a free slot */
#define SWAP_MAP_MAX  0xfffeu          /* the largest count */
#define SWAP_MAP_BAD  0xffffu          /* the header and bad pages: never used */

/* swap_info_struct.flags */
#define SWP_USED    (1u << 0)          /* the type is taken (an area is being set up or is on) */
#define SWP_WRITEOK (1u << 1)          /* active: slots may be handed out */
#define SWP_BLKDEV  (1u << 2)          /* a block device ("partition"), not a file */
#define SWP_SWAPOFF (1u << 3)          /* being emptied by swapoff: no new slots,
					* the ones in use still work */

/*
 * One swap area. (L) swap_lock, (M) swapon_mutex: set up under the mutex
 * before the area is active and read-only while it is; (L+M) changed
 * holding both.
 */
struct swap_info_struct {
	unsigned flags;                 /* (L+M) SWP_* */
	int prio;                       /* (L+M) higher is used first; areas swapon
					 * numbers itself are -2, -3, ... */
	uint8_t type;                   /* (M) its index in swap_info[], 1..MAX_SWAPFILES */
	struct block_device *bdev;      /* (M) the device the slots are on (a swap
					 * file's: its file system's device) */
	struct file *swap_file;         /* (M) the file swapon opened (a reference),
					 * NULL for the boot area of swap= */
	struct inode *inode;            /* (M) the block special file or regular file
					 * it is (identity for EBUSY and swapoff), or NULL */
	char *name;                     /* (M) the path /proc/swaps shows (kmalloc'd) */
	uint32_t max;                   /* (M) slots in swap_map: last_page + 1 */
	uint32_t pages;                 /* (M) usable slots: max minus the header and
					 * the bad pages (Size of /proc/swaps) */
	uint32_t inuse_pages;           /* (L) slots with a non-zero count */
	uint16_t *swap_map;             /* (L) per-slot count (SWAP_MAP_*); slot 0
					 * is the header, SWAP_MAP_BAD */
	uint32_t *slot_sector;          /* (M) a swap file's: the device sector of
					 * each slot (from bmap at swapon); NULL for a
					 * block device, where it is offset * 8 */
	uint32_t lowest_bit, highest_bit;/* (L) the free slots lie in [lowest, highest];
					 * lowest > highest when none is free */
	uint32_t next;                  /* (L) where the next search starts */
	struct list_head avail;         /* (L) on swap_active_list, by priority */
};

/* A copy of an active area's figures, for /proc/swaps. */
#define SWAP_NAME_MAX 128
struct swap_area_info {
	char name[SWAP_NAME_MAX];
	bool partition;                 /* a block device, else a file */
	unsigned long size_kb, used_kb;
	int prio;
};

/* ---- the slot API (swap-out and swap-in use these) ---- */

/* A free slot of the highest-priority active area that has one, its count
 * set to 1; areas of equal priority take turns. swp_entry none (val 0)
 * when every area is full or none is active. Takes swap_lock. */
swp_entry_t get_swap_page(void);
/* One more reference to entry's slot (a fork copying a swap PTE): 0, or
 * -ENOMEM if the count is at SWAP_MAP_MAX. entry must be a slot in use. */
int swap_duplicate(swp_entry_t entry);
/* The same for a slot that may have been freed meanwhile (a swap-in
 * racing with the PTE's zap): -ENOENT if it is free. */
int swap_duplicate_if_used(swp_entry_t entry);
/* Drops a reference to entry's slot; the last one frees it. */
void swap_free(swp_entry_t entry);
/* The count of entry's slot: 0 if it is free or names no active area. */
int swap_count(swp_entry_t entry);
/* More than half of all swap is in use (Linux's vm_swap_full): pages
 * swapped in give up their slots at once. */
bool vm_swap_full(void);
/* Pages of swap in all active areas, and how many are free (meminfo). */
void si_swapinfo(unsigned long *total, unsigned long *free);
/* Reads entry's slot into page, or writes page to it, synchronously:
 * 0 or -errno (-EIO). The caller owns page's contents for the duration
 * (a locked page, or one nobody else sees yet) and holds a reference to
 * the slot. May sleep. */
int swap_readpage(struct page *page, swp_entry_t entry);
int swap_writepage(struct page *page, swp_entry_t entry);

/* ---- swapoff (mm/swapoff.c) ---- */

/* Brings back every page whose contents are in area type (SWP_SWAPOFF):
 * each swap PTE naming one of its slots, in every process, maps the page
 * again; pages left in the swap cache for its slots leave it. 0 when no
 * slot is in use any more; -ENOMEM, -EIO, -EINTR (a signal). */
int try_to_unuse(uint32_t type);

/* ---- the rmap checker's view (mm/rmap_check.c) ---- */

/* Slots of the area of type whose slots are in use (its swap_map's
 * length), 0 if none; and in *inuse (unless NULL) how many are taken:
 * swapoff's progress. */
uint32_t swap_area_slots(uint32_t type, uint32_t *inuse);
/* Compares each slot's count with refs[offset], the references the
 * checker found (swap PTEs, the swap cache); mismatches, each printed
 * when verbose (the first few). */
int swap_check_counts(uint32_t type, const uint16_t *refs, uint32_t slots, bool verbose);

/* ---- areas ---- */

/* Activates the block device bdev (holding a swap header) as a swap area
 * shown as name, with swapon(2)'s flags: the boot RAM disk, and the
 * in-kernel tests. The type, or -errno as swapon(2). */
int swapon_bdev(struct block_device *bdev, const char *name, int swap_flags);
/* swapoff of the area on bdev: its pages are brought back, then it is
 * freed. 0, -EINVAL if bdev is no active area, or what try_to_unuse
 * returns (the area stays active then). */
int swapoff_bdev(struct block_device *bdev);
/*
 * swapon(2) on a kernel path, as Linux's: flags outside SWAP_FLAGS_VALID
 * EINVAL; EPERM with MAX_SWAPFILES areas; the open's errors (ENOENT,
 * ENOTDIR, EISDIR: the path is opened read-write); EINVAL for what is
 * neither a block device nor a regular file, for a bad header, and for a
 * file with holes or on a file system without bmap; EBUSY for an active
 * area or a mounted device. 0 or -errno.
 */
int do_swapon(const char *path, int swap_flags);
/* swapoff(2) on a kernel path: the open's errors; EINVAL if path is no
 * active area; else every page in it is brought back into the processes
 * that had it swapped out before the area goes (ENOMEM if memory ran out,
 * EINTR on a signal: the area stays active then, nothing lost). */
int do_swapoff(const char *path);
/* Whether bdev is an active swap area: writes through its block special
 * files are ETXTBSY then, and mounting it EBUSY, as on Linux
 * (fs/block_dev.c, fs/namespace.c). */
bool swap_bdev_active(struct block_device *bdev);
/* Copies the figures of up to max active areas, in type order; how many. */
int swap_areas_snapshot(struct swap_area_info *out, int max);
/* Writes a swap header for an area of pages pages into buf (a page). */
void swap_header_init(union swap_header *hdr, uint32_t pages);

/* swap=SIZE: memblock reservation at boot (mm_init, before the buddy
 * allocator takes the rest), then the RAM disk and its activation once
 * block devices and kmalloc work (kernel_main, after ramdisk_init). */
void swap_ramdisk_reserve(void);
void swap_ramdisk_init(void);
/* Pages swap= took from RAM (0 without swap=, or if it did not fit). */
unsigned long swap_ramdisk_pages(void);

#endif
