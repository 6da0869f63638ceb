/*
 * mm/mincore.c — mincore: which pages of a range are resident.
 *
 * A page is resident if its PTE maps it (present, PROT_NONE, or being
 * migrated), or — shared memory — if its shmem object holds it even
 * though this process has not touched it. One byte per page, bit 0.
 *
 * Locks: mmap_lock while a chunk of the answer is computed, dropped
 * before it is copied out (the copy may fault).
 */
#include <mm/vma.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/shmem.h>
#include <mm/swapops.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>

#define MINCORE_CHUNK 256             /* pages answered per lock hold */

static bool
page_resident(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t addr)
{
	pte_t *ptep = pte_lookup(mm->pgd, addr);

	if (ptep && (pte_mapped(*ptep) || is_migration_entry(*ptep)))
		return true;
	if (ptep && !pte_none(*ptep))
		return false;                    /* swapped out */
	return vma->vm_shmem && shmem_peek_page(vma->vm_shmem, linear_page_index(vma, addr));
}

/* Fills vec for up to count pages from addr; how many, or -ENOMEM at a hole. */
static long
mincore_chunk(struct mm_struct *mm, uint32_t addr, uint32_t count, unsigned char *vec)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	uint32_t n = 0;

	if (!vma || addr < vma->vm_start)
		return -ENOMEM;
	for (; n < count && addr < vma->vm_end; n++, addr += PAGE_SIZE)
		vec[n] = page_resident(mm, vma, addr);
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
