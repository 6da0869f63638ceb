/*
 * mm/mincore.c — mincore: which pages of a range are resident.
 *
 * A page is resident if its PTE maps it (present, PROT_NONE, or being
 * migrated), or — a file or shared memory — if its page cache holds it
 * even though this process has not touched it: the file page the PTE
 * names in a nonlinear VMA (a file PTE), else the linear one. One byte
 * per page, bit 0.
 *
 * Locks: mmap_lock while a chunk of the answer is computed, dropped
 * before it is copied out (the copy may fault); page_table_lock around
 * each page table's PTEs as they are read (walk_page_range).
 */
#include <mm/vma.h>
#include <mm/pagewalk.h>
#include <mm/rmap.h>
#include <mm/shmem.h>
#include <mm/swapops.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>

#define MINCORE_CHUNK 256             /* pages answered per lock hold */

/* What one chunk's walk fills in: vec[0] is the page at base of vma. */
struct mincore_walk {
	struct vm_area_struct *vma;
	uint32_t base;
	unsigned char *vec;
};

/* Whether the page cache behind a page with no PTE holds file page
 * pgoff (a file or shared memory), as Linux's mincore_page. */
static unsigned char
object_resident(const struct mincore_walk *w, uint32_t pgoff)
{
	struct address_space *mapping = vma_mapping(w->vma);
	struct page *page;

	if (!mapping)
		return 0;
	page = find_get_page(mapping, pgoff);
	if (!page)
		return 0;
	put_page(page);
	return 1;
}

/* pte_entry of mincore. => page_table_lock held. */
static int
mincore_pte(pte_t *ptep, uint32_t addr, struct mm_walk *walk)
{
	struct mincore_walk *w = walk->private;
	unsigned char *byte = &w->vec[(addr - w->base) >> PAGE_SHIFT];

	if (pte_mapped(*ptep) || is_migration_entry(*ptep))
		*byte = 1;
	else if (pte_file(*ptep))
		*byte = object_resident(w, pte_to_pgoff(*ptep));   /* a nonlinear VMA's page */
	else if (!pte_none(*ptep))
		*byte = 0;                       /* swapped out */
	else
		*byte = object_resident(w, linear_page_index(w->vma, addr));
	return 0;
}

/* pte_hole of mincore: no page table, so only the object can hold the pages. */
static int
mincore_hole(uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	struct mincore_walk *w = walk->private;

	for (; addr != end; addr += PAGE_SIZE)
		w->vec[(addr - w->base) >> PAGE_SHIFT] = object_resident(w, linear_page_index(w->vma, addr));
	return 0;
}

static const struct mm_walk_ops mincore_ops = { .pte_entry = mincore_pte, .pte_hole = mincore_hole,
						 .flags = WALK_LOCK_PTL };

/* Fills vec for up to count pages from addr; how many, or -ENOMEM at a hole. */
static long
mincore_chunk(struct mm_struct *mm, uint32_t addr, uint32_t count, unsigned char *vec)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct mincore_walk w = { vma, addr, vec };
	uint32_t n;

	if (!vma || addr < vma->vm_start)
		return -ENOMEM;
	n = (vma->vm_end - addr) >> PAGE_SHIFT;
	if (n > count)
		n = count;
	walk_page_range(mm, addr, addr + (n << PAGE_SHIFT), &mincore_ops, &w);
	return n;
}

static long
sys_mincore(uint32_t start, uint32_t len, unsigned char *uvec)
{
	struct mm_struct *mm = current->mm;
	unsigned char vec[MINCORE_CHUNK];
	uint32_t pages;

	if (!PAGE_ALIGNED(start))
		return -EINVAL;
	if (len > USER_TOP || start > USER_TOP - len)
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if ((uint32_t)uvec > USER_TOP - pages)
		return -EFAULT;
	while (pages) {
		long n;

		mutex_lock(&mm->mmap_lock);
		n = mincore_chunk(mm, start, pages < MINCORE_CHUNK ? pages : MINCORE_CHUNK, vec);
		mutex_unlock(&mm->mmap_lock);
		if (n < 0)
			return n;
		if (copy_to_user(uvec, vec, (size_t)n))
			return -EFAULT;
		uvec += n;
		pages -= (uint32_t)n;
		start += (uint32_t)n << PAGE_SHIFT;
	}
	return 0;
}
SYSCALL_DEFINE(mincore, sys_mincore);
