/*
 * mm/filemap.h — the page cache: the pages of a file, found by offset,
 * shared by read(), write(), execve and every mapping of the file.
 *
 * Each inode has one address_space (inode->i_data; inode->i_mapping
 * points at it). It holds:
 *
 *   page_tree   the file's cached pages in a radix tree indexed by page
 *               offset. A cached page has page->mapping == the
 *               address_space (bit 0 clear: not anonymous) and
 *               page->index == its offset in pages, and the tree holds
 *               one reference on it. Tags mark dirty pages and pages
 *               under writeback, so writeback finds them without a scan.
 *   i_mmap      every VMA that maps the file linearly, in an interval tree
 *               keyed by the file pages it maps, [vm_pgoff,
 *               vma_last_pgoff] (libk/interval_tree.h): reverse mapping of
 *               a file page, truncate and writeback go from an offset to
 *               exactly the VMAs that map it (seed 002: objrmap).
 *   i_mmap_nonlinear  the shared VMAs remap_file_pages made nonlinear,
 *               where the address of a page says nothing about its offset:
 *               a list, whose page tables are searched (mm/fremap.c).
 *   a_ops       how the file system moves a page to and from its backing
 *               store; mm/ reaches file contents only through them.
 *
 * Page states. A page enters the cache locked and !PG_uptodate; readpage
 * (or a write covering it) makes it uptodate; it is unlocked when the I/O
 * is done, and whoever waits for it sleeps in lock_page. A write through
 * write() or a shared mapping sets PG_dirty (set_page_dirty) and tags the
 * page; writeback clears PG_dirty and write-protects every PTE mapping
 * the page (through i_mmap) *before* writing, so a store that comes later
 * faults and dirties it again: no write is lost and each dirty page is
 * written once. A page past EOF never stays in the cache after truncate.
 *
 * Locks (mm/LOCKING.md): inode->i_mutex → mmap_lock (a write() copies from
 * user memory, which may fault) → page lock → i_mmap_lock →
 * page_table_lock; tree_lock (spin) is taken innermost, under any of them,
 * and guards page_tree, its tags and nrpages. A page's mapping and index
 * change only under its page lock and tree_lock together.
 */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H

#include <stdint.h>
#include <stdbool.h>
#include <kernel/mutex.h>
#include <kernel/spinlock.h>
#include <libk/rbtree.h>
#include <libk/radix_tree.h>
#include <mm/memory.h>

struct page;
struct inode;
struct file;
struct iobuf;
struct address_space;
struct vm_area_struct;

typedef int64_t loff_t;
typedef long ssize_t;

/* radix tree tags of the page cache */
#define PAGECACHE_TAG_DIRTY     0
#define PAGECACHE_TAG_WRITEBACK 1

struct address_space_operations {
	/* Fills page (locked, in the cache, !uptodate) from backing store:
	 * on success it sets PG_uptodate; bytes past EOF read as zeros. It
	 * unlocks the page when the data is there (or the read failed,
	 * PG_error set). 0 or -errno. */
	int (*readpage)(struct address_space *mapping, struct page *page);
	/* Writes page (locked, PG_writeback set, PG_dirty already cleared
	 * and its PTEs write-protected by the caller) to backing store and
	 * returns when it is there: 0 or -errno. Bytes past EOF need not be
	 * written. The caller ends writeback and unlocks. NULL: the file has
	 * no backing store (ramfs, tmpfs): its pages stay dirty and live only
	 * in memory. */
	int (*writepage)(struct address_space *mapping, struct page *page);
	/* A write is about to store bytes [from, to) of page (locked, in the
	 * cache): make sure it has backing store (allocate blocks; -ENOSPC,
	 * -EDQUOT, -EROFS) and, if it is not uptodate, that the bytes outside
	 * [from, to) hold the file's contents (read them, or zero them past
	 * EOF and in holes). A write fault of a shared mapping calls it with
	 * the whole page (clipped to EOF) before making the PTE writable; an
	 * error there is SIGBUS. NULL: nothing to prepare but zeroing. */
	int (*prepare_write)(struct address_space *mapping, struct page *page,
			     unsigned from, unsigned to);
	/* The device block that holds file block `block` (in units of the
	 * file system's block size), without allocating: *phys = 0 for a
	 * hole. 0 or -errno. swapon maps a swap file's slots with it
	 * (mm/swapfile.c). NULL: the file has no blocks of a device. */
	int (*bmap)(struct address_space *mapping, uint32_t block, uint32_t *phys);
};

struct address_space {
	struct inode *host;                   /* the file it caches */
	spinlock_t tree_lock;                 /* page_tree, its tags, nrpages */
	struct radix_tree_root page_tree;     /* cached pages by offset (above) */
	unsigned long nrpages;                /* pages in page_tree */
	const struct address_space_operations *a_ops;
	struct mutex i_mmap_lock;             /* i_mmap, i_mmap_nonlinear and the range
					       * of each VMA on them */
	struct rb_root i_mmap;                /* linear VMAs mapping it, interval tree
					       * of vm_area_struct.shared by pgoff */
	struct list_head i_mmap_nonlinear;    /* VM_NONLINEAR VMAs mapping it (their
					       * .nonlinear): searched, not looked up */
	unsigned long nr_mapped_vmas;         /* VMAs in i_mmap and i_mmap_nonlinear
					       * (a fast "is it mapped?") */
	int wb_err;                           /* the first writeback error since the
					       * last fsync reported one (-EIO, -ENOSPC) */
};

/* The page offset of file byte pos, clamped to the largest index. */
static inline uint32_t page_index_of(loff_t pos)
{
	return pos >= ((loff_t)0xFFFFFFFFu << PAGE_SHIFT) ? 0xFFFFFFFFu : (uint32_t)(pos >> PAGE_SHIFT);
}

/* Sets up an empty address_space for host (new_inode does it for i_data). */
void address_space_init(struct address_space *mapping, struct inode *host);

/* Does the file have backing store to write its dirty pages to? (ramfs
 * and tmpfs do not: their pages are never clean, and are not counted as
 * dirty.) */
static inline bool mapping_can_writeback(const struct address_space *mapping)
{
	return mapping->a_ops && mapping->a_ops->writepage;
}

/* ---- finding and adding pages (mm/filemap.c) ----------------------- */

/* The cached page at index with a reference for the caller, or NULL. */
struct page *find_get_page(struct address_space *mapping, uint32_t index);
/* The same, locked, and still in mapping at index (it may have been
 * truncated while we slept for the lock: then NULL). */
struct page *find_lock_page(struct address_space *mapping, uint32_t index);
/* The page at index, locked, with a reference; a new one (!uptodate, its
 * contents undefined) is added if there was none. NULL if out of memory. */
struct page *find_or_create_page(struct address_space *mapping, uint32_t index);
/* Puts the locked page into the cache at index (the cache takes its own
 * reference) and on the LRU list of its kind (mm/lru.c). 0, -EEXIST if a
 * page is there, -ENOMEM. */
int add_to_page_cache(struct page *page, struct address_space *mapping, uint32_t index);
/* Takes the locked page out of its cache and drops the cache's reference.
 * It must no longer be mapped (truncate unmaps first). */
void delete_from_page_cache(struct page *page);
/* Reclaim: takes the locked page out of its cache if no one else holds
 * it (references: the cache's and extra_refs), no PTE maps it and it is
 * clean; true if it did. */
bool remove_mapping(struct page *page, int extra_refs);
/* Migration: newpage (locked) takes old's (locked) place in its cache. */
void replace_page_cache_page(struct page *old, struct page *newpage);
/* The uptodate page at index, read in if needed, with a reference and
 * unlocked; ERR_PTR(-EIO) or ERR_PTR(-ENOMEM) on failure. */
struct page *read_mapping_page(struct address_space *mapping, uint32_t index);
/* Up to nr pages from index on, with a reference each; how many. */
unsigned find_get_pages(struct address_space *mapping, uint32_t index, unsigned nr,
			struct page **pages);
/* The same for pages carrying tag (PAGECACHE_TAG_*); *index is moved past
 * the last one found. */
unsigned find_get_pages_tag(struct address_space *mapping, uint32_t *index, unsigned tag,
			    unsigned nr, struct page **pages);

/* ---- the generic file operations built on it ------------------------ */

/* read(), write() and mmap() of a file whose contents live in its page
 * cache; a file system points its file_operations at them (and at
 * generic_file_fsync, fs/sync.c). */
ssize_t generic_file_read(struct file *f, struct iobuf *b, loff_t *pos);
ssize_t generic_file_write(struct file *f, struct iobuf *b, loff_t *pos);
int generic_file_mmap(struct file *f, struct vm_area_struct *vma);

/* ---- page faults (mm/fault.c calls them) ----------------------------- */

/* The uptodate page at pgoff of vma's file, locked and with a reference
 * for the caller, read in if needed: FAULT_HANDLED (*pagep set),
 * FAULT_SIGBUS past EOF or on an I/O error, FAULT_OOM. */
enum fault_result filemap_fault_page(struct vm_area_struct *vma, uint32_t pgoff,
				     struct page **pagep);
/* A shared mapping is about to make the locked page writable: backing
 * store allocated (a_ops->prepare_write) and the page dirtied. 0, or
 * -errno (the fault is SIGBUS). */
int page_mkwrite(struct vm_area_struct *vma, struct page *page);

/* ---- dirty pages and writeback (mm/page-writeback.c) ---------------- */

/* Marks a page of the cache dirty (and tags it); true if it was clean. */
bool set_page_dirty(struct page *page);
/* Reclaim: writes the locked page (unmapped) if it is dirty, as
 * writeback does: 0 or -errno. May sleep and take file-system locks. */
int pageout_page(struct page *page);
/* Writes every dirty page of mapping with offsets in bytes [start, end]
 * and waits for them: 0 or the first error. */
int filemap_write_and_wait_range(struct address_space *mapping, loff_t start, loff_t end);
int filemap_write_and_wait(struct address_space *mapping);
/* The error writeback met since the last call (then cleared): 0 or -errno. */
int filemap_check_errors(struct address_space *mapping);
/* A writer just dirtied pages of mapping: if too much of memory is dirty,
 * it writes some of them back itself before going on. Called by write()
 * (i_mutex held) and by a shared write fault (the task's own mmap_lock
 * held); no page lock. */
void balance_dirty_pages(struct address_space *mapping);

/* ---- truncate (mm/truncate.c) --------------------------------------- */

/* Unmaps file bytes [start, start+len) (len 0: to the end) from every VMA
 * that maps them, in every process; with even_cows also the private COW
 * copies made from them (truncate does; MS_INVALIDATE does not). */
void unmap_mapping_range(struct address_space *mapping, loff_t start, loff_t len, bool even_cows);
/* Takes every page from byte start on out of the cache (waiting for I/O),
 * zeroing the part of a partial first page past start. */
void truncate_inode_pages(struct address_space *mapping, loff_t start);
/* Unmaps bytes [lstart, lend] (page aligned start, lend+1 page aligned)
 * from every mapping, COW copies too, and drops their pages: a hole
 * punched in the file (MADV_REMOVE on tmpfs). The caller keeps write()
 * and truncate of the file away (i_mutex, or a file that has neither). */
void truncate_pagecache_range(struct inode *inode, loff_t lstart, loff_t lend);
/* The file is about to grow past oldsize: the bytes past oldsize in its
 * old last page become zeros (a mapping's stores there never count).
 * i_mutex held. */
void pagecache_isize_extended(struct inode *inode, loff_t oldsize);
/* Sets i_size to newsize and, if it shrank, unmaps and drops the pages
 * past it: what a file system's truncate calls before freeing blocks.
 * i_mutex held. */
void truncate_setsize(struct inode *inode, loff_t newsize);
/* Drops the clean, unmapped, unlocked pages of [start, end] (offsets in
 * pages): drop_caches and MS_INVALIDATE. How many went. */
unsigned long invalidate_mapping_pages(struct address_space *mapping, uint32_t start, uint32_t end);

#endif
