/*
 * mm/shmem.h — shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, and
 * MAP_SHARED of /dev/zero) as files of an internal tmpfs, as on Linux:
 * each such mapping gets an unlinked file whose page cache holds its
 * pages, so faults, reverse mapping (i_mmap), migration, truncate and
 * MADV_REMOVE treat it exactly as any other file.
 */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include <fs/vfs.h>
#include <mm/swapfile.h>

struct vm_area_struct;

/* A new unlinked tmpfs file of size bytes (all zeros), opened O_RDWR:
 * a reference, or ERR_PTR(-ENOMEM). */
struct file *shmem_file_setup(loff_t size);
/* Makes vma (shared, not linked yet) map a new tmpfs file of its size
 * from offset 0, in place of the file it had (/dev/zero). 0 or -ENOMEM. */
int shmem_zero_setup(struct vm_area_struct *vma);
/* Does vma map a file of the internal tmpfs (shared anonymous memory)? */
bool vma_is_shmem(const struct vm_area_struct *vma);
struct address_space;
/* True if mapping is the page cache of a shared-memory file. */
bool mapping_is_shmem(const struct address_space *mapping);
/* Frees the file's pages in bytes [start, start+len) (page aligned) after
 * unmapping them from every process (MADV_REMOVE); they read zero again. */
int shmem_punch_hole(struct inode *inode, loff_t start, loff_t len);

/* Reclaim: writes the locked, unmapped shared-memory page to a new swap
 * slot with write(page, slot, arg), then, if no one holds it but its cache and extra_refs,
 * files the slot in the file's swap tree and takes the page out of the
 * page cache (the caller's reference frees it). 0, -ENOSPC (no slot),
 * -EIO, -EBUSY (someone holds it: it stays, the slot is freed). */
int shmem_writeout(struct page *page, int extra_refs,
		   int (*write)(struct page *, swp_entry_t, void *), void *arg);
/* Pages of inode's offsets [first, last] that are in swap (smaps Swap). */
unsigned long shmem_swapped_in_range(struct inode *inode, uint32_t first, uint32_t last);
/* Calls fn(entry, offset, arg) for every swap entry of every shared-memory
 * file, under locks that forbid sleeping; fn returns false to stop with
 * that file. For the rmap checker. */
void shmem_for_each_swap_entry(bool (*fn)(swp_entry_t, uint32_t, void *), void *arg);
/* swapoff: reads back into the page cache every page of every shared-
 * memory file that is in area type: 0 or -errno. */
int shmem_unuse(uint32_t type);

#endif
