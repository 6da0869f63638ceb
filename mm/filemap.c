/*
 * mm/filemap.c — the page cache (see filemap.h for the structures, the
 * page states and the lock order).
 */
#include <mm/filemap.h>
#include <fs/vfs.h>

void
address_space_init(struct address_space *mapping, struct inode *host)
{
	mapping->host = host;
	spin_lock_init(&mapping->tree_lock, "tree_lock");
	INIT_RADIX_TREE(&mapping->page_tree);
	mapping->nrpages = 0;
	mapping->a_ops = NULL;
	mutex_init(&mapping->i_mmap_lock, "i_mmap");
	mapping->i_mmap = RB_ROOT;
	mapping->nr_mapped_vmas = 0;
	mapping->wb_err = 0;
}
