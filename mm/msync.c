/*
 * mm/msync.c — msync: write the dirty pages of a shared file mapping back
 * to the file.
 *
 * anvil has no shared file mappings yet (they come with the page cache),
 * so no mapping has anything to write back; msync still checks its
 * arguments and walks the range exactly as Linux does, so programs get
 * Linux's answers:
 *   EINVAL  an unknown flag, an unaligned start, MS_ASYNC with MS_SYNC
 *   ENOMEM  a range that wraps around the address space, or that has
 *           unmapped parts (a plain MS_SYNC stops at the first hole; the
 *           other flags walk on and fail at the end)
 *   EBUSY   MS_INVALIDATE on a locked (mlock) mapping
 * A length of 0 (also one that rounds up to 0) does nothing and succeeds.
 *
 * Locks: mmap_lock while the range is walked.
 */
#include <mm/vma.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/* Walks the VMAs of [start, end) (start < end) in Linux's order. */
static int
msync_walk(struct mm_struct *mm, uint32_t start, uint32_t end, int flags)
{
	int unmapped_error = 0;

	for (;;) {
		struct vm_area_struct *vma = find_vma(mm, start);

		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			if (flags == MS_SYNC)
				return -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				return -ENOMEM;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -EBUSY;
		/* a shared file mapping's dirty pages would be written here */
		start = vma->vm_end;
		if (start >= end)
			return unmapped_error;
	}
}

static long
sys_msync(uint32_t start, uint32_t len, int flags)
{
	struct mm_struct *mm = current->mm;
	uint32_t end;
	long err;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (!PAGE_ALIGNED(start))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	mutex_lock(&mm->mmap_lock);
	err = msync_walk(mm, start, end, flags);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(msync, sys_msync);
