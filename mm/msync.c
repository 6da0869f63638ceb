/*
 * mm/msync.c — msync: write the dirty pages of a shared file mapping back
 * to the file.
 *
 * A store through a shared mapping lands in the file's page cache at once
 * (the mapping maps the page-cache page), so read() sees it without msync;
 * msync(MS_SYNC) makes it durable: for each shared file VMA of the range
 * it writes back the dirty pages of the file bytes the VMA maps there
 * (mm/page-writeback.c, which finds them by their dirty tag and
 * write-protects their PTEs first; for a nonlinear VMA, whose pages may
 * be any of the file's, the whole file's), then asks the file system to make
 * them durable (f_op->fsync with datasync, as Linux's vfs_fsync_range).
 * MS_ASYNC does nothing, as on Linux since 2.6.19: dirty pages are already
 * known to writeback. MS_INVALIDATE only refuses locked mappings: the
 * mappings already see the page cache, there is nothing stale to drop.
 * The arguments are checked and the range walked exactly as Linux does:
 *   EINVAL  an unknown flag, an unaligned start, MS_ASYNC with MS_SYNC
 *   ENOMEM  a range that wraps around the address space, or that has
 *           unmapped parts (a plain MS_SYNC stops at the first hole; the
 *           other flags walk on and fail at the end)
 *   EBUSY   MS_INVALIDATE on a locked (mlock) mapping
 * A length of 0 (also one that rounds up to 0) does nothing and succeeds.
 *
 * Locks: mmap_lock while the range is walked, dropped around the
 * writeback of each VMA's file (which may take i_mutex, above mmap_lock),
 * as Linux does; the VMA is looked up again afterwards.
 */
#include <mm/vma.h>
#include <mm/filemap.h>
#include <fs/file.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/* Writes back the file bytes [fstart, fend] of f and makes them durable:
 * 0 or -errno. No mmap_lock held. */
static int
msync_file_range(struct file *f, loff_t fstart, loff_t fend)
{
	int err = filemap_write_and_wait_range(f->f_inode->i_mapping, fstart, fend);

	if (!err && f->f_op && f->f_op->fsync)
		err = f->f_op->fsync(f, true);
	return err;
}

/* Walks the VMAs of [start, end) (start < end) in Linux's order, writing
 * back what MS_SYNC asks for. mmap_lock held on entry and on return. */
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
		if ((flags & MS_SYNC) && vma->vm_file && (vma->vm_flags & VM_SHARED)) {
			struct file *f = get_file(vma->vm_file);
			uint32_t stop = end < vma->vm_end ? end : vma->vm_end;
			loff_t fstart = ((loff_t)vma->vm_pgoff << PAGE_SHIFT) + (start - vma->vm_start);
			loff_t fend = fstart + (stop - start) - 1;

			if (vma->vm_flags & VM_NONLINEAR) {
				fstart = 0;              /* its pages may be anywhere in the file */
				fend = MAX_LFS_FILESIZE;
			}
			int err;

			start = vma->vm_end;             /* vma may go once the lock is dropped */
			mutex_unlock(&mm->mmap_lock);
			err = msync_file_range(f, fstart, fend);
			fput(f);
			mutex_lock(&mm->mmap_lock);
			if (err)
				return err;
		} else {
			start = vma->vm_end;
		}
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
