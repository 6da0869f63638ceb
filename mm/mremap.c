/*
 * mm/mremap.c — mremap: resizing a mapping, and moving it elsewhere.
 *
 *   shrink            unmap the tail
 *   grow in place     the range after the VMA is free: extend it
 *   move (MAYMOVE)    a new VMA at another address, the page tables
 *                     moved under it, the old range unmapped
 *   FIXED             move to exactly new_addr, replacing what is there
 *   DONTUNMAP         move, but leave the old range mapped and empty
 *
 * Arguments are checked in Linux's order and with its errno before
 * anything changes: mremap_check without the lock (flags, alignment,
 * lengths, the new range), mremap_prep with it (the VMA at addr). Every
 * address computed from a length is checked not to pass USER_TOP first,
 * so no range wraps around the top of the address space.
 *
 * Moving keeps every page findable by rmap: the new VMA has the same
 * backing (it joins the old VMA's anon_vmas and its file's i_mmap), and a
 * vm_pgoff chosen so that each page's index still names its address.
 * The PTEs move with the file's i_mmap_lock and the anon_vma lock held,
 * so a walker sees each PTE in exactly one of the two places.
 *
 * Locks: mmap_lock for the whole call → i_mmap_lock → anon_vma root lock
 * → page_table_lock while PTEs move.
 */
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/pagewalk.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/mlock.h>
#include <mm/shmem.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/task.h>
#include <kernel/uaccess.h>

#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4

struct mremap_req {
	uint32_t addr, old_len, new_len, flags, new_addr;
};

/* ---- moving page tables ------------------------------------------------ */

/* pte_table of alloc_dest_tables: the destination table of each used
 * slot of [addr, end); *private is the distance of the move. */
static int
alloc_dest_pte_table(pte_t *sp, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	uint32_t delta = *(const uint32_t *)walk->private;

	for (; addr != end; addr += PAGE_SIZE, sp++)
		if (!pte_none(*sp) && !pte_alloc(walk->mm->pgd, addr + delta))
			return -ENOMEM;
	return 0;
}

static const struct mm_walk_ops alloc_dest_ops = { .pte_table = alloc_dest_pte_table };

/* Allocates the page tables [new_addr, +len) will need; 0 or -ENOMEM. */
static int
alloc_dest_tables(struct mm_struct *mm, uint32_t old_addr, uint32_t new_addr, uint32_t len)
{
	uint32_t delta = new_addr - old_addr;

	return walk_page_range(mm, old_addr, old_addr + len, &alloc_dest_ops, &delta);
}

static void
rmap_lock_vma(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		mutex_lock(&vma_mapping(vma)->i_mmap_lock);
	if (vma->anon_vma)
		mutex_lock(&vma->anon_vma->root->lock);
}

static void
rmap_unlock_vma(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		mutex_unlock(&vma->anon_vma->root->lock);
	if (vma->vm_file)
		mutex_unlock(&vma_mapping(vma)->i_mmap_lock);
}

/* pte_table of move_page_tables: moves each used slot of [addr, end) by
 * *private bytes, to a table alloc_dest_tables made. => page_table_lock
 * held (by move_page_tables, around the whole move). */
static int
move_pte_table(pte_t *sp, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	uint32_t delta = *(const uint32_t *)walk->private;

	lockdep_assert_held(&walk->mm->page_table_lock);
	for (; addr != end; addr += PAGE_SIZE, sp++) {
		if (pte_none(*sp))
			continue;
		set_pte(pte_lookup(walk->mm->pgd, addr + delta), *sp);
		set_pte(sp, (pte_t){ 0 });
	}
	return 0;
}

static const struct mm_walk_ops move_ops = { .pte_table = move_pte_table };

/* Moves the PTEs of [old_addr, +len) to [new_addr, +len): the same
 * entries (pages, PROT_NONE, migration entries), so mapcounts and
 * references stay as they are. */
static int
move_page_tables(struct vm_area_struct *vma, uint32_t old_addr, uint32_t new_addr, uint32_t len)
{
	struct mm_struct *mm = vma->vm_mm;
	uint32_t delta = new_addr - old_addr;

	if (alloc_dest_tables(mm, old_addr, new_addr, len))
		return -ENOMEM;
	rmap_lock_vma(vma);
	spin_lock(&mm->page_table_lock);
	walk_page_range(mm, old_addr, old_addr + len, &move_ops, &delta);
	spin_unlock(&mm->page_table_lock);
	rmap_unlock_vma(vma);
	flush_tlb_range(mm->pgd, old_addr, old_addr + len);
	return 0;
}

/* ---- moving a mapping -------------------------------------------------- */

/* A VMA for [new_addr, +new_len) with vma's flags and backing, its
 * offset continuing from old_addr's; linked into the mm. */
static struct vm_area_struct *
copy_vma(struct vm_area_struct *vma, uint32_t old_addr, uint32_t new_addr, uint32_t new_len)
{
	struct vm_area_struct *new = vma_clone_range(vma, new_addr, new_addr + new_len,
						     linear_page_index(vma, old_addr));

	if (new)
		vma_link(vma->vm_mm, new);
	return new;
}

/* DONTUNMAP leaves the old range mapped but empty, and not locked. */
static void
unlock_left_behind(struct mm_struct *mm, uint32_t addr, uint32_t len)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && (vma->vm_flags & VM_LOCKED))
		mlock_fixup(mm, vma, addr, addr + len, vma->vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT));
}

static long
move_vma(struct vm_area_struct *vma, const struct mremap_req *r, uint32_t new_addr)
{
	struct mm_struct *mm = vma->vm_mm;
	uint32_t moved = r->old_len < r->new_len ? r->old_len : r->new_len;
	struct vm_area_struct *new = copy_vma(vma, r->addr, new_addr, r->new_len);

	if (!new)
		return -ENOMEM;
	if (move_page_tables(vma, r->addr, new_addr, moved)) {
		zap_page_range(new, new->vm_start, new->vm_end);
		vma_unlink(mm, new);
		vma_free(new);
		return -ENOMEM;
	}
	/* vma may be freed or split from here on */
	if (r->flags & MREMAP_DONTUNMAP)
		unlock_left_behind(mm, r->addr, r->old_len);
	else if (r->old_len)
		do_munmap(mm, r->addr, r->old_len);
	new = vma_merge_neighbours(mm, new);
	if ((new->vm_flags & VM_LOCKED) && !(new->vm_flags & VM_LOCKONFAULT) && r->new_len > moved)
		populate_range(mm, new_addr + moved, new_addr + r->new_len, FAULT_READ);
	return new_addr;
}

/* ---- the cases --------------------------------------------------------- */

/* True if the call maps addresses that were not mapped: it grows or moves. */
static bool
mremap_maps_new(const struct mremap_req *r)
{
	return r->new_len > r->old_len || (r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP));
}

/* True if the tail a shrink cuts off, [addr+new_len, addr+old_len), lies
 * below USER_TOP (else do_munmap's EINVAL). addr is below USER_TOP. */
static bool
cut_tail_in_range(const struct mremap_req *r)
{
	return r->old_len <= USER_TOP - r->addr;
}

/* Shrinking unmaps the tail, whatever is mapped there: like Linux, it
 * does not stop at the end of the VMA. 0 or -errno. */
static int
unmap_cut_tail(struct mm_struct *mm, const struct mremap_req *r)
{
	if (!cut_tail_in_range(r))
		return -EINVAL;
	return do_munmap(mm, r->addr + r->new_len, r->old_len - r->new_len);
}

/* Linux's check_prep_vma: the VMA holding addr, and whether the part of
 * it that stays mapped, [addr, addr + min(old_len, new_len)), may grow or
 * move as asked. 0 or -errno; nothing is changed. */
static long
mremap_prep(struct mm_struct *mm, const struct mremap_req *r, struct vm_area_struct **out)
{
	struct vm_area_struct *vma = vma_lookup(mm, r->addr);
	uint32_t kept = r->old_len < r->new_len ? r->old_len : r->new_len;
	uint32_t pgoff;

	if (!vma)
		return -EFAULT;
	*out = vma;
	if (!mremap_maps_new(r))
		return 0;                        /* the same size, or a shrink, in place */
	if (!r->old_len && !(vma->vm_flags & VM_SHARED))
		return -EINVAL;                  /* a copy of a private mapping: no */
	if (kept > vma->vm_end - r->addr)
		return -EFAULT;                  /* it runs past the VMA */
	pgoff = linear_page_index(vma, r->addr);
	if (pgoff + (r->new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;                  /* the offsets would wrap */
	if ((vma->vm_flags & VM_LOCKED) &&
	    !mlock_limit_allows(mm->locked_vm + (r->new_len > r->old_len ?
						 (r->new_len - r->old_len) >> PAGE_SHIFT : 0)))
		return -EAGAIN;                  /* RLIMIT_MEMLOCK */
	return 0;
}

/* True if vma (ending at addr + old_len) can grow to addr + new_len. */
static bool
can_grow_in_place(struct mm_struct *mm, struct vm_area_struct *vma, const struct mremap_req *r)
{
	return r->old_len == vma->vm_end - r->addr && r->new_len <= USER_TOP - r->addr &&
	       !find_vma_intersection(mm, vma->vm_end, r->addr + r->new_len);
}

static long
grow_in_place(struct mm_struct *mm, struct vm_area_struct *vma, const struct mremap_req *r)
{
	uint32_t old_end = vma->vm_end, new_end = r->addr + r->new_len;

	vma_unlink(mm, vma);
	vma_set_range(vma, vma->vm_start, new_end, vma->vm_pgoff);
	vma_link(mm, vma);
	vma = vma_merge_neighbours(mm, vma);
	if ((vma->vm_flags & VM_LOCKED) && !(vma->vm_flags & VM_LOCKONFAULT))
		populate_range(mm, old_end, new_end, FAULT_READ);
	return r->addr;
}

/* mremap without FIXED or DONTUNMAP: the same size, shrink, grow in
 * place, or move. */
static long
mremap_at(struct mm_struct *mm, const struct mremap_req *r, struct vm_area_struct *vma)
{
	uint32_t new_addr;
	long err;

	if (r->old_len == r->new_len)
		return r->addr;
	if (r->old_len > r->new_len) {
		err = unmap_cut_tail(mm, r);
		return err ? err : (long)r->addr;
	}
	if (can_grow_in_place(mm, vma, r))
		return grow_in_place(mm, vma, r);
	if (!(r->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = get_unmapped_area(mm, 0, r->new_len);
	if (!new_addr)
		return -ENOMEM;
	return move_vma(vma, r, new_addr);
}

/* mremap with FIXED or DONTUNMAP: always to a new place. mremap_check
 * made sure the new range does not overlap the old one, so the unmaps
 * below leave the VMA at addr in place (perhaps split). */
static long
mremap_to(struct mm_struct *mm, struct mremap_req *r)
{
	struct vm_area_struct *vma;
	uint32_t new_addr;
	long err;

	if (r->old_len > r->new_len && !cut_tail_in_range(r))
		return -EINVAL;                  /* before anything is unmapped */
	if ((r->flags & MREMAP_FIXED) && r->new_addr < MMAP_MIN_ADDR)
		return -EPERM;                   /* as mmap's MAP_FIXED (vm.mmap_min_addr) */
	if (r->flags & MREMAP_FIXED) {
		err = do_munmap(mm, r->new_addr, r->new_len);
		if (err)
			return err;
	}
	if (r->old_len > r->new_len) {
		err = unmap_cut_tail(mm, r);
		if (err)
			return err;
		r->old_len = r->new_len;
	}
	vma = vma_lookup(mm, r->addr);
	BUG_ON(!vma);
	if (r->flags & MREMAP_FIXED)
		new_addr = r->new_addr;
	else if (!(new_addr = get_unmapped_area(mm, r->new_addr, r->new_len)))
		return -ENOMEM;
	return move_vma(vma, r, new_addr);
}

/* True if [a, a + alen) and [b, b + blen) overlap; the sums are taken in
 * 64 bits, since an old length may come close to 4 GiB. */
static bool
ranges_overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return (uint64_t)a + alen > b && (uint64_t)b + blen > a;
}

/* The checks Linux makes before looking at the address space
 * (check_mremap_params), in its order, on the lengths rounded up to whole
 * pages. The old length may round to 0 (as on i386 Linux: the "duplicate
 * a shared mapping" case); the new one may not, nor exceed user space. */
static long
mremap_check(struct mremap_req *r)
{
	if (r->flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (!PAGE_ALIGNED(r->addr))
		return -EINVAL;
	r->old_len = PAGE_ALIGN(r->old_len);
	r->new_len = PAGE_ALIGN(r->new_len);
	if (!r->new_len || r->new_len > USER_TOP)
		return -EINVAL;
	if (!(r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return 0;
	if (r->new_addr > USER_TOP - r->new_len || !PAGE_ALIGNED(r->new_addr))
		return -EINVAL;
	if (!(r->flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) && r->old_len != r->new_len)
		return -EINVAL;
	if (ranges_overlap(r->addr, r->old_len, r->new_addr, r->new_len))
		return -EINVAL;
	return 0;
}

long
do_mremap(struct mm_struct *mm, uint32_t addr, uint32_t old_len, uint32_t new_len,
	  uint32_t flags, uint32_t new_addr)
{
	struct mremap_req r = { addr, old_len, new_len, flags, new_addr };
	struct vm_area_struct *vma;
	long ret = mremap_check(&r);

	if (ret)
		return ret;
	mutex_lock(&mm->mmap_lock);
	ret = mremap_prep(mm, &r, &vma);
	if (!ret && (r.flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)))
		ret = mremap_to(mm, &r);
	else if (!ret)
		ret = mremap_at(mm, &r, vma);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

static long
sys_mremap(uint32_t addr, uint32_t old_len, uint32_t new_len, uint32_t flags, uint32_t new_addr)
{
	return do_mremap(current->mm, addr, old_len, new_len, flags, new_addr);
}
SYSCALL_DEFINE(mremap, sys_mremap);
