/*
 * mm/mmap.c — mmap, munmap, mprotect and brk.
 *
 * Each system call first checks its arguments with no side effects
 * (Linux's errno for each case), then changes the address space. Ranges
 * that cut through a VMA split it; VMAs that end up alike and adjacent
 * merge again. mprotect, like Linux's, works VMA by VMA: the part of the
 * range before a hole or a forbidden VMA is changed before it fails.
 * mmap checks in Linux's order: the length, offset and fixed address
 * (mmap_check); then the address is placed (mmap_place: EEXIST, ENOMEM);
 * only then the mapping type and backing (mmap_backing_check): a file can
 * be mapped only if it has an f_op->mmap hook and was opened for what the
 * mapping needs. MAP_FIXED unmaps what it replaces only once the new VMA
 * is ready, so a refused mmap changes nothing.
 *
 * Locks: mm->mmap_lock, taken here for the whole operation; no user
 * memory is touched while it is held (a fault would take it again).
 */
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/shmem.h>
#include <mm/rmap.h>
#include <mm/mlock.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <fs/file.h>

static uint32_t
prot_to_vm_flags(uint32_t prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

int
do_munmap(struct mm_struct *mm, uint32_t start, uint32_t len)
{
	struct vm_area_struct *vma, *next;
	uint32_t end;

	lockdep_assert_held(&mm->mmap_lock);
	if (!PAGE_ALIGNED(start) || start > USER_TOP || len > USER_TOP - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);                   /* cannot wrap: len <= USER_TOP */
	if (!len)
		return -EINVAL;
	end = start + len;
	if (vma_split_at(mm, start) || vma_split_at(mm, end))
		return -ENOMEM;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = next) {
		next = vma_next(mm, vma);
		zap_page_range(vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		vma_free(vma);
	}
	return 0;
}

/* The checks Linux makes before placing the address, in its order: the
 * length (rounded up to whole pages in *len), the offset, a fixed address. */
static long
mmap_check(uint32_t addr, uint32_t *len, uint32_t flags, uint32_t pgoff)
{
	if (*len == 0)
		return -EINVAL;
	if (*len > USER_TOP || PAGE_ALIGN(*len) == 0)
		return -ENOMEM;
	*len = PAGE_ALIGN(*len);
	if (pgoff + (*len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr > USER_TOP - *len)
			return -ENOMEM;
		if (!PAGE_ALIGNED(addr))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
	}
	return 0;
}

static uint32_t
mmap_vm_flags(uint32_t prot, uint32_t flags)
{
	uint32_t vm = prot_to_vm_flags(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		vm |= VM_SHARED;
	if (flags & MAP_GROWSDOWN)
		vm |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm |= VM_LOCKED;
	if (flags & MAP_NORESERVE)
		vm |= VM_NORESERVE;
	return vm;
}

/* MAP_POPULATE, or a locked mapping not locked on fault only. */
static bool
mmap_should_populate(const struct vm_area_struct *vma, uint32_t flags)
{
	if (flags & MAP_POPULATE)
		return true;
	return (vma->vm_flags & VM_LOCKED) && !(vma->vm_flags & VM_LOCKONFAULT);
}

/* Picks the address: the fixed one, the hint, or a free range. Changes
 * nothing: what a MAP_FIXED range replaces is unmapped only once the new
 * VMA is ready (do_mmap). */
static long
mmap_place(struct mm_struct *mm, uint32_t addr, uint32_t len, uint32_t flags)
{
	if (flags & MAP_FIXED_NOREPLACE)
		return find_vma_intersection(mm, addr, addr + len) ? -EEXIST : (long)addr;
	if (flags & MAP_FIXED)
		return addr;
	if (addr && addr < MMAP_MIN_ADDR)
		addr = MMAP_MIN_ADDR;            /* Linux's round_hint_to_min */
	addr = get_unmapped_area(mm, PAGE_ALIGN(addr), len);
	return addr ? (long)addr : -ENOMEM;
}

/*
 * Linux's checks of a file mapping, in its order: the file must be open
 * for writing if a shared mapping may be written (EACCES), open for
 * reading in any case (EACCES), not be an active swap file if a shared
 * mapping is writable (ETXTBSY), have something to map (ENODEV), and a
 * file is no stack (MAP_GROWSDOWN: EINVAL). A shared mapping of a file not
 * open for writing can never become writable: it loses VM_MAYWRITE.
 */
static long
mmap_file_check(const struct file *file, uint32_t prot, uint32_t flags, uint32_t *vm_flags)
{
	if ((flags & MAP_TYPE) != MAP_PRIVATE && !(file->f_mode & FMODE_WRITE)) {
		if (prot & PROT_WRITE)
			return -EACCES;
		*vm_flags &= ~VM_MAYWRITE;
	}
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && IS_SWAPFILE(file->f_inode))
		return -ETXTBSY;
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if (!file->f_op->mmap)
		return -ENODEV;
	if (*vm_flags & VM_GROWSDOWN)
		return -EINVAL;
	return 0;
}

/*
 * The checks Linux makes once the address is placed (so an address
 * MAP_FIXED_NOREPLACE finds taken is EEXIST first), in its order: a
 * file's offsets (EOVERFLOW), the mapping type (MAP_SHARED_VALIDATE only for a file), then a file's own
 * checks, or, for anonymous memory, that only a private mapping grows
 * down. 0 or -errno; *vm_flags may lose VM_MAYWRITE.
 */
/* Whether a mapping of len bytes from page pgoff stays inside the offsets
 * file can have (Linux's file_mmap_ok): a regular file or a block device
 * reaches MAX_LFS_FILESIZE, any other file (a character device) only the
 * 32-bit offsets. */
static bool
file_mmap_ok(const struct file *file, uint32_t pgoff, uint32_t len)
{
	uint32_t mode = file->f_inode->i_mode;
	uint64_t maxsize = S_ISREG(mode) || (mode & S_IFMT) == S_IFBLK ? (uint64_t)MAX_LFS_FILESIZE
								       : 0xFFFFFFFFull;

	if (len > maxsize)
		return false;
	return pgoff <= (maxsize - len) >> PAGE_SHIFT;
}

static long
mmap_backing_check(const struct file *file, uint32_t prot, uint32_t flags, uint32_t *vm_flags,
		   uint32_t pgoff, uint32_t len)
{
	uint32_t type = flags & MAP_TYPE;

	if (file && !file_mmap_ok(file, pgoff, len))
		return -EOVERFLOW;
	if (type != MAP_SHARED && type != MAP_PRIVATE && (type != MAP_SHARED_VALIDATE || !file))
		return -EINVAL;
	if (file)
		return mmap_file_check(file, prot, flags, vm_flags);
	if ((*vm_flags & VM_GROWSDOWN) && type != MAP_PRIVATE)
		return -EINVAL;
	return 0;
}

void
vma_set_anonymous(struct vm_area_struct *vma)
{
	BUG_ON(vma_file_linked(vma));
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = NULL;
	vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
}

/* Gives a new VMA its backing: the file (through its mmap hook, which
 * may swap it for another: /dev/zero) or, for shared anonymous memory, a
 * tmpfs file; then files it in its file's i_mmap. 0 or -errno. */
static int
mmap_backing(struct vm_area_struct *vma, struct file *file)
{
	int err = 0;

	if (file) {
		vma->vm_file = get_file(file);
		err = file->f_op->mmap(file, vma);
	} else if (vma->vm_flags & VM_SHARED) {
		err = shmem_zero_setup(vma);
	}
	if (!err && vma->vm_file)
		vma_link_file(vma);
	return err;
}

/* The new VMA for [addr, addr+len), ready to be linked: backing set up
 * and, for MAP_FIXED, the old mappings of the range gone. NULL with *err
 * if it cannot be made; the address space is then unchanged. */
static struct vm_area_struct *
mmap_new_vma(struct mm_struct *mm, uint32_t addr, uint32_t len, uint32_t vm_flags,
	     uint32_t flags, struct file *file, uint32_t pgoff, long *err)
{
	struct vm_area_struct *vma = vma_alloc(mm, addr, addr + len, vm_flags,
					       file ? pgoff : addr >> PAGE_SHIFT);

	if (!vma) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = mmap_backing(vma, file);
	if (!*err && (flags & MAP_FIXED) && do_munmap(mm, addr, len))
		*err = -ENOMEM;
	if (*err) {
		vma_free(vma);
		return NULL;
	}
	vma_set_page_prot(vma);
	return vma;
}

long
do_mmap(struct mm_struct *mm, uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
	struct file *file, uint32_t pgoff)
{
	uint32_t vm_flags = mmap_vm_flags(prot, flags) | mm->def_flags;
	struct vm_area_struct *vma;
	long err = mmap_check(addr, &len, flags, pgoff), where;

	if (err)
		return err;
	mutex_lock(&mm->mmap_lock);
	where = mmap_place(mm, addr, len, flags);
	if (where < 0 && where > -MAX_ERRNO)
		err = where;
	else if ((flags & MAP_LOCKED) && !can_do_mlock())
		err = -EPERM;
	else if (mlock_future_check(mm, vm_flags, len))
		err = -EAGAIN;                   /* locked past RLIMIT_MEMLOCK */
	else
		err = mmap_backing_check(file, prot, flags, &vm_flags, pgoff, len);
	if (err) {
		mutex_unlock(&mm->mmap_lock);
		return err;
	}
	addr = (uint32_t)where;
	vma = mmap_new_vma(mm, addr, len, vm_flags, flags, file, pgoff, &err);
	if (!vma) {
		mutex_unlock(&mm->mmap_lock);
		return err;
	}
	vma_link(mm, vma);
	if (vma_is_anonymous(vma))
		vma = vma_merge_neighbours(mm, vma);
	if (mmap_should_populate(vma, flags))
		populate_range(mm, addr, addr + len, (prot & PROT_WRITE) ? FAULT_WRITE : FAULT_READ);
	mutex_unlock(&mm->mmap_lock);
	return addr;
}

/* The open file behind fd, or NULL (EBADF): an O_PATH descriptor names a
 * file but cannot be used to map it, as on Linux. */
static struct file *
mmap_fget(int fd)
{
	struct file *file = fget(fd);

	if (file && (file->f_flags & O_PATH)) {
		fput(file);
		return NULL;
	}
	return file;
}

static long
sys_mmap2(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd, uint32_t pgoff)
{
	struct file *file = NULL;
	long ret;

	if (!(flags & MAP_ANONYMOUS) && !(file = mmap_fget(fd)))
		return -EBADF;
	ret = do_mmap(current->mm, addr, len, prot, flags, file, pgoff);
	if (file)
		fput(file);
	return ret;
}
SYSCALL_DEFINE(mmap2, sys_mmap2);

struct mmap_arg_struct {
	uint32_t addr, len, prot, flags, fd, offset;
};

/* The old i386 mmap: one pointer to all six arguments, offset in bytes. */
static long
sys_old_mmap(const struct mmap_arg_struct *uargs)
{
	struct mmap_arg_struct a;

	if (copy_from_user(&a, uargs, sizeof(a)))
		return -EFAULT;
	if (!PAGE_ALIGNED(a.offset))
		return -EINVAL;
	return sys_mmap2(a.addr, a.len, a.prot, a.flags, (int)a.fd, a.offset >> PAGE_SHIFT);
}
SYSCALL_DEFINE(mmap, sys_old_mmap);

static long
sys_munmap(uint32_t addr, uint32_t len)
{
	struct mm_struct *mm = current->mm;
	long err;

	mutex_lock(&mm->mmap_lock);
	err = do_munmap(mm, addr, len);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(munmap, sys_munmap);

/* Gives [start, end) of vma (which it lies in) the access flags newflags:
 * split, rewrite the PTEs, merge. The VMA now covering start, or NULL. */
static struct vm_area_struct *
mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
	       uint32_t newflags)
{
	if (vma_split_at(mm, start) || vma_split_at(mm, end))
		return NULL;
	vma = find_vma(mm, start);
	vma->vm_flags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | newflags;
	vma_set_page_prot(vma);
	change_protection(vma, vma->vm_start, vma->vm_end);
	return vma_merge_neighbours(mm, vma);
}

/* vma_apply_range's step for mprotect: the new rights, if allowed. */
static int
mprotect_step(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start, uint32_t end,
	      void *newflags)
{
	uint32_t flags = *(uint32_t *)newflags;

	if ((flags & VM_WRITE) && !(vma->vm_flags & VM_MAYWRITE))
		return -EACCES;
	return mprotect_fixup(mm, vma, start, end, flags) ? 0 : -ENOMEM;
}

static long
sys_mprotect(uint32_t start, uint32_t len, uint32_t prot)
{
	struct mm_struct *mm = current->mm;
	uint32_t end, newflags = prot_to_vm_flags(prot);
	long err;

	if (!PAGE_ALIGNED(start) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (len == 0)
		return 0;
	end = start + PAGE_ALIGN(len);
	if (end <= start || end > USER_TOP)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	/* as on Linux, the VMAs before a hole (ENOMEM) or before one that
	 * may not get the rights (EACCES) keep their new protection */
	err = vma_apply_range(mm, start, end, mprotect_step, &newflags);
	mutex_unlock(&mm->mmap_lock);
	return err;
}
SYSCALL_DEFINE(mprotect, sys_mprotect);

/* Grows the heap VMA (or makes one) to cover [oldend, newend); locked,
 * and faulted in, after mlockall(MCL_FUTURE) (mm->def_flags), within
 * RLIMIT_MEMLOCK (else -EAGAIN), as on Linux. */
static int
brk_extend(struct mm_struct *mm, uint32_t oldend, uint32_t newend)
{
	uint32_t flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | mm->def_flags;
	struct vm_area_struct *vma;

	if (mlock_future_check(mm, flags, newend - oldend))
		return -EAGAIN;
	vma = vma_alloc(mm, oldend, newend, flags, oldend >> PAGE_SHIFT);
	if (!vma)
		return -ENOMEM;
	vma_set_page_prot(vma);
	vma_link(mm, vma);
	vma_merge_neighbours(mm, vma);
	if ((flags & VM_LOCKED) && !(flags & VM_LOCKONFAULT))
		populate_range(mm, oldend, newend, FAULT_WRITE);
	return 0;
}

static long
sys_brk(uint32_t addr)
{
	struct mm_struct *mm = current->mm;
	uint32_t oldend, newend;

	mutex_lock(&mm->mmap_lock);
	if (addr < mm->start_brk || addr > USER_TOP - PAGE_SIZE)
		goto out;
	oldend = PAGE_ALIGN(mm->brk);
	newend = PAGE_ALIGN(addr);
	if (newend < oldend) {
		if (do_munmap(mm, newend, oldend - newend))
			goto out;
	} else if (newend > oldend) {
		struct vm_area_struct *next = find_vma(mm, oldend);

		/* a page of room to the next VMA, or its stack guard gap */
		if ((next && newend + PAGE_SIZE > vm_start_gap(next)) ||
		    brk_extend(mm, oldend, newend))
			goto out;
	}
	mm->brk = addr;
out:
	addr = mm->brk;
	mutex_unlock(&mm->mmap_lock);
	return addr;
}
SYSCALL_DEFINE(brk, sys_brk);
