/*
 * mm/mlock.c — mlock, mlock2, munlock, mlockall, munlockall.
 *
 * A locked range is a VMA with VM_LOCKED: its pages are faulted in at once
 * (unless MLOCK_ONFAULT / MCL_ONFAULT) and must stay resident — reclaim,
 * when it comes, will treat them as unevictable. mm->locked_vm counts the
 * pages of VM_LOCKED VMAs (VmLck in /proc/PID/status); mlockall(MCL_FUTURE)
 * makes later mappings locked through mm->def_flags.
 *
 * As on Linux, mlock of a range with a hole locks the mapped part before
 * the hole and fails with ENOMEM; lengths are rounded out to whole pages.
 *
 * Locks: mmap_lock for the whole call, including the populating faults.
 */
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>

#define MLOCK_ONFAULT 0x01
#define MCL_CURRENT   1
#define MCL_FUTURE    2
#define MCL_ONFAULT   4

#define LOCK_FLAGS (VM_LOCKED | VM_LOCKONFAULT)

/* Faults in the accessible pages of [start, end): writable private pages
 * are written (COW broken now, as Linux does), others read. */
static int
populate_locked(struct mm_struct *mm, uint32_t start, uint32_t end)
{
	while (start < end) {
		struct vm_area_struct *vma = find_vma(mm, start);
		uint32_t stop;
		bool write;

		if (!vma || vma->vm_start >= end)
			break;
		if (start < vma->vm_start)
			start = vma->vm_start;
		stop = vma->vm_end < end ? vma->vm_end : end;
		write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
		if ((vma->vm_flags & VM_ACCESS_FLAGS) && (vma->vm_flags & VM_LOCKED) &&
		    !(vma->vm_flags & VM_LOCKONFAULT) &&
		    populate_range(mm, start, stop, write ? FAULT_WRITE : FAULT_READ) == -ENOMEM)
			return -ENOMEM;
		start = stop;
	}
	return 0;
}

/* vma_apply_range's step: [start, end) of vma gets the lock flags. */
static int
lock_step(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
	  void *lockflags)
{
	uint32_t flags = (vma->vm_flags & ~LOCK_FLAGS) | *(uint32_t *)lockflags;

	return vma_modify_flags(mm, vma, start, end, flags) ? 0 : -ENOMEM;
}

static long
do_mlock(uint32_t start, uint32_t len, uint32_t lockflags)
{
	struct mm_struct *mm = current->mm;
	uint32_t end;
	long err;

	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	mutex_lock(&mm->mmap_lock);
	err = vma_apply_range(mm, start, end, lock_step, &lockflags);
	if (!err && (lockflags & VM_LOCKED))
		err = populate_locked(mm, start, end);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static long
sys_mlock(uint32_t start, uint32_t len)
{
	return do_mlock(start, len, VM_LOCKED);
}
SYSCALL_DEFINE(mlock, sys_mlock);

static long
sys_mlock2(uint32_t start, uint32_t len, uint32_t flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}
SYSCALL_DEFINE(mlock2, sys_mlock2);

static long
sys_munlock(uint32_t start, uint32_t len)
{
	return do_mlock(start, len, 0);
}
SYSCALL_DEFINE(munlock, sys_munlock);

/* Gives every VMA the lock flags. */
static int
lock_all_vmas(struct mm_struct *mm, uint32_t lockflags)
{
	struct vm_area_struct *vma = list_empty(&mm->mmap_list) ? NULL
		: list_first_entry(&mm->mmap_list, struct vm_area_struct, vm_list);

	while (vma) {
		uint32_t end = vma->vm_end;

		vma = vma_modify_flags(mm, vma, vma->vm_start, end,
				       (vma->vm_flags & ~LOCK_FLAGS) | lockflags);
		if (!vma)
			return -ENOMEM;
		vma = find_vma(mm, end);
	}
	return 0;
}

static long
sys_mlockall(uint32_t flags)
{
	struct mm_struct *mm = current->mm;
	uint32_t lockflags = VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0);
	long err = 0;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	mutex_lock(&mm->mmap_lock);
	mm->def_flags = (flags & MCL_FUTURE) ? lockflags : 0;
	if (flags & MCL_CURRENT) {
		err = lock_all_vmas(mm, lockflags);
		if (!err)
			err = populate_locked(mm, 0, USER_TOP);
	}
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(mlockall, sys_mlockall);

static long
sys_munlockall(void)
{
	struct mm_struct *mm = current->mm;
	long err;

	mutex_lock(&mm->mmap_lock);
	mm->def_flags = 0;
	err = lock_all_vmas(mm, 0);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(munlockall, sys_munlockall);
