/*
 * mm/shmem.c — the internal tmpfs behind shared anonymous memory (see
 * shmem.h). Its files live only in their page cache: a page never
 * written reads as zeros (there is no readpage: mm/filemap.c fills such
 * pages with zeros), and there is no writepage, so their pages stay
 * until the file goes (the last VMA or descriptor lets go of it) or a
 * hole is punched. Reclaim will give them a swap-backed writepage.
 *
 * The files are never linked into any directory: they have no dentry,
 * and /proc/PID/maps names them as Linux does, "/dev/zero (deleted)"
 * on device 00:01.
 *
 * Invariants: the file's size is the size of the mapping that created
 * it (mremap may grow the VMA past it: the pages past EOF fault SIGBUS,
 * as on Linux).
 *
 * Locks: those of the page cache (mm/filemap.h); shmem_punch_hole runs
 * under mmap_lock (madvise) and takes each page's lock (truncate's order).
 */
#include <mm/shmem.h>
#include <mm/filemap.h>
#include <mm/mm_types.h>
#include <mm/rmap.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/printk.h>

#define SHMEM_DEV MKDEV(0, 1)       /* Linux's internal shm mount */

static struct super_block *shm_sb;

static int
shmem_truncate(struct inode *inode, loff_t size)
{
	truncate_setsize(inode, size);
	return 0;
}

static const struct file_operations shmem_file_operations = {
	.read = generic_file_read,
	.write = generic_file_write,
	.mmap = generic_file_mmap,
};

static const struct inode_operations shmem_inode_operations = {
	.truncate = shmem_truncate,
};

struct file *
shmem_file_setup(loff_t size)
{
	struct inode *inode;
	struct file *f;

	if (!shm_sb && !(shm_sb = alloc_super("tmpfs", SHMEM_DEV)))
		return ERR_PTR(-ENOMEM);
	inode = new_inode(shm_sb, S_IFREG | 0777);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_nlink = 0;                      /* never linked anywhere */
	inode->i_size = size;
	inode->i_op = &shmem_inode_operations;
	inode->i_fop = &shmem_file_operations;
	f = alloc_file(NULL, inode, O_RDWR, &shmem_file_operations);
	iput(inode);                             /* the file holds it now */
	return f ? f : ERR_PTR(-ENOMEM);
}

bool
mapping_is_shmem(const struct address_space *mapping)
{
	return shm_sb && mapping->host->i_sb == shm_sb;
}

bool
vma_is_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_file && mapping_is_shmem(vma_mapping(vma));
}

int
shmem_zero_setup(struct vm_area_struct *vma)
{
	struct file *f = shmem_file_setup((loff_t)vma_pages(vma) << PAGE_SHIFT);

	BUG_ON(!(vma->vm_flags & VM_SHARED) || vma_file_linked(vma));
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = f;                        /* the VMA's reference */
	vma->vm_pgoff = 0;
	return 0;
}

/* No i_mutex: madvise holds mmap_lock, which nests inside it, and a file
 * of this tmpfs is never written nor truncated through the VFS (it has no
 * name and no descriptor), so nothing here races with a write(). */
int
shmem_punch_hole(struct inode *inode, loff_t start, loff_t len)
{
	truncate_pagecache_range(inode, start, start + len - 1);
	return 0;
}
