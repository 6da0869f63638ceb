/*
 * fs/mpage.h — the address_space operations of a file system whose file
 * data lives in blocks of its device, found through a get_block callback
 * (ext2; any later block file system). A page of the page cache holds
 * PAGE_SIZE / blocksize consecutive file blocks; these helpers move each
 * between the page and the disk with bios straight into the page (no
 * buffer cache in between), merging physically consecutive blocks.
 */
#ifndef FS_MPAGE_H
#define FS_MPAGE_H

#include <stdint.h>
#include <stdbool.h>
#include <mm/filemap.h>

struct inode;

/*
 * Maps file block iblock of inode to a block of its device in *phys
 * (0: a hole). With create it allocates a missing one. Returns 1 when the
 * block was just allocated (its contents on disk are garbage), 0 when it
 * was there (or is a hole without create), or -errno (-ENOSPC, -EIO,
 * -EFBIG, -EROFS).
 */
typedef int (*get_block_t)(struct inode *inode, uint32_t iblock, uint32_t *phys, bool create);

/* readpage: fills the locked page (holes and bytes past EOF read as zeros),
 * sets PG_uptodate (PG_error on a failed read) and unlocks it. 0 or -errno. */
int block_readpage(struct address_space *mapping, struct page *page, get_block_t get_block);
/* writepage: writes the blocks of the locked page that lie inside i_size
 * (bytes past EOF in the last one are zeroed first, so what a mapping
 * stored there never reaches the file). Holes stay holes. 0 or -errno. */
int block_writepage(struct address_space *mapping, struct page *page, get_block_t get_block);
/* prepare_write: allocates the blocks under bytes [from, to) of the locked
 * page and, if it is not uptodate, fills the rest of it (reading the
 * blocks that exist, zeroing holes, new blocks and what lies past EOF).
 * 0 or -errno; blocks allocated before an error stay mapped. */
int block_prepare_write(struct address_space *mapping, struct page *page, unsigned from,
			unsigned to, get_block_t get_block);
/* Zeroes the file from byte size to the end of its block, in the page
 * cache (the page is read if needed and dirtied): truncate calls it before
 * freeing blocks, so that growing the file again shows zeros, never old
 * data. 0 or -errno. */
int block_truncate_page(struct address_space *mapping, loff_t size, get_block_t get_block);

#endif
