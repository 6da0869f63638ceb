/*
 * tests/kernel/file_fixture.h — a file for the page-cache tests, built in
 * the kernel: a regular file of a test file system whose writepage only
 * records which pages it was asked to write (recorded_writes), and
 * address spaces that map it. Pages it reads in are zeros (it has no
 * readpage).
 *
 * Locks: none held on entry; mm_mapping takes mmap_lock through do_mmap.
 */
#ifndef TESTS_KERNEL_FILE_FIXTURE_H
#define TESTS_KERNEL_FILE_FIXTURE_H

#include "mm_fixture.h"
#include <mm/filemap.h>
#include <mm/page_lock.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <libk/string.h>

#define RECORDING_FILE_MAX_PAGES 16
#define RECORDING_FILE_DEV       MKDEV(0, 250)

/* How many times writepage was asked for each page of the last
 * recording_file. */
static unsigned recorded_writes[RECORDING_FILE_MAX_PAGES];

static int
recording_writepage(struct address_space *mapping, struct page *page)
{
	(void)mapping;
	assert_page_locked(page);
	if (page->index < RECORDING_FILE_MAX_PAGES)
		recorded_writes[page->index]++;
	return 0;
}

static const struct address_space_operations recording_aops = {
	.writepage = recording_writepage,
};

static const struct file_operations recording_fops = {
	.read = generic_file_read,
	.write = generic_file_write,
	.mmap = generic_file_mmap,
};

/* recording_file - a file of pages pages (zeros, at most
 * RECORDING_FILE_MAX_PAGES) with backing store that records writes, opened
 * read-write; the records start at 0. NULL if out of memory. */
static inline struct file *
recording_file(uint32_t pages)
{
	static struct super_block *sb;
	struct inode *inode;
	struct file *f;

	if (!sb && !(sb = alloc_super("filemap-test", RECORDING_FILE_DEV)))
		return NULL;
	inode = new_inode(sb, S_IFREG | 0644);
	if (!inode)
		return NULL;
	inode->i_size = (loff_t)pages * PAGE_SIZE;
	inode->i_fop = &recording_fops;
	inode->i_mapping->a_ops = &recording_aops;
	f = alloc_file(NULL, inode, O_RDWR, &recording_fops);
	iput(inode);
	memset(recorded_writes, 0, sizeof(recorded_writes));
	return f;
}

/* mm_mapping - a new mm mapping pages pages of f from offset 0 at base
 * with type (MAP_SHARED or MAP_PRIVATE), read-write; NULL on failure. */
static inline struct mm_struct *
mm_mapping(struct file *f, uint32_t base, uint32_t pages, uint32_t type)
{
	struct mm_struct *mm = mm_alloc();

	if (mm && do_mmap(mm, base, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, type | MAP_FIXED, f,
			  0) != (long)base) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

#endif
