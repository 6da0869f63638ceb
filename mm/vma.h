/*
 * mm/vma.h — finding, inserting, splitting and merging VMAs of an mm.
 * Every function here requires mm->mmap_lock held by the caller.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <mm/mm_types.h>

struct vm_area_struct *vma_alloc(struct mm_struct *mm, uint32_t start, uint32_t end,
				 uint32_t flags, uint32_t pgoff);
/* dst (a new VMA of the same mm) shares src's backing: file (and its
 * i_mmap), anon_vmas. 0 or -ENOMEM. */
int vma_copy_backing(struct vm_area_struct *dst, struct vm_area_struct *src);
struct file;
/* vma maps file (takes a reference, joins the file's i_mmap). */
void vma_set_file(struct vm_area_struct *vma, struct file *file);
/* Drops the VMA's references (file, i_mmap, anon_vmas) and frees it; it
 * must already be unlinked and its pages unmapped. */
void vma_free(struct vm_area_struct *vma);

/* The first VMA with vm_end > addr (it may start above addr), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, uint32_t addr);
/* The VMA containing addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, uint32_t addr);
/* The first VMA overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, uint32_t start, uint32_t end);
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma);

/* Inserts vma (which must not overlap any other) into the tree and list. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
/* Changes a VMA's range and offset with the lock of the interval trees
 * that file it held (its file's i_mmap_lock and its anon_vma root lock),
 * refiling it in them, so a concurrent rmap walk finds it under either the
 * old or the new triple. mmap_lock held; start < end, both page-aligned. */
void vma_set_range(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t pgoff);
/* Extends vma, a VM_GROWSDOWN stack VMA just above addr, down to addr's
 * page, within mm->stack_limit (and RLIMIT_MEMLOCK if it is locked) and
 * keeping stack_guard_gap to the VMA below.
 * False (nothing changed) if vma is not a stack or the growth is not
 * allowed. Called by the page-fault handler. */
bool expand_stack(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t addr);

/* A new, unlinked VMA for [start, end) of the same mm with vma's flags,
 * protection and backing (file and its i_mmap, anon_vmas) at offset pgoff;
 * NULL if out of memory. */
struct vm_area_struct *vma_clone_range(struct vm_area_struct *vma, uint32_t start, uint32_t end,
				       uint32_t pgoff);

/* Splits vma at addr (page aligned, strictly inside it): vma keeps
 * [vm_start, addr) and the returned new VMA gets [addr, vm_end).
 * NULL when out of memory (vma is then unchanged). */
struct vm_area_struct *vma_split(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t addr);

/* Splits the VMA containing addr (if any) so that none straddles addr.
 * 0 or -ENOMEM. */
int vma_split_at(struct mm_struct *mm, uint32_t addr);

/* Gives [start, end) of vma (which it must lie in) the flags newflags,
 * splitting and merging as needed; the VMA now covering start, or NULL if
 * out of memory. Only for flags that leave the PTEs alone (mlock, madvise). */
struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma,
					uint32_t start, uint32_t end, uint32_t newflags);

/* Calls fn on each VMA piece of [start, end) in order, as mprotect and
 * mlock walk a range: the pieces before a hole are done, then -ENOMEM;
 * fn's error stops the walk. fn may split and merge (the walk finds its
 * place again by address). 0 or -errno. */
typedef int (*vma_range_fn)(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start,
			    uint32_t end, void *arg);
int vma_apply_range(struct mm_struct *mm, uint32_t start, uint32_t end, vma_range_fn fn, void *arg);

/* Merges vma with its neighbours where they are adjacent and compatible
 * (same flags and backing, contiguous offsets); returns the VMA that now
 * covers vma's range. */
struct vm_area_struct *vma_merge_neighbours(struct mm_struct *mm, struct vm_area_struct *vma);

/*
 * The stack guard gap (Linux's stack_guard_gap, set with the command-line
 * option stack_guard_gap=pages): bytes below a VM_GROWSDOWN VMA that
 * get_unmapped_area never hands out (a hint there is not taken; MAP_FIXED
 * may still map there), and that the stack does not grow into when an
 * accessible VMA below it would be nearer than the gap (mm/fault.c).
 */
#define STACK_GUARD_GAP_PAGES 256u
extern uint32_t stack_guard_gap;

/* Where vma starts, counting the guard gap below a stack (0 at the least). */
static inline uint32_t vm_start_gap(const struct vm_area_struct *vma)
{
	uint32_t start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN)
		start = start > stack_guard_gap ? start - stack_guard_gap : 0;
	return start;
}

/* A free range of len bytes, clear of every stack's guard gap and at or
 * above MMAP_MIN_ADDR: at hint if it fits there, else the highest one
 * below mm->mmap_base (then the lowest above it). 0 if none, or if len is
 * 0 or larger than user space. */
uint32_t get_unmapped_area(struct mm_struct *mm, uint32_t hint, uint32_t len);

#define for_each_vma(mm, vma) list_for_each_entry(vma, &(mm)->mmap_list, vm_list)

#endif
