/*
 * mm/mm_types.h — an address space (mm_struct) and its regions (VMAs).
 *
 * A process's user address space, [0, USER_TOP), is described by a set of
 * non-overlapping virtual memory areas, each a page-aligned range with one
 * set of permissions and one kind of backing:
 *
 *   anonymous private   zero-filled on first touch, copied on write after
 *                       fork (heap, stack, bss, MAP_PRIVATE|MAP_ANONYMOUS)
 *   file shared         the file's page-cache pages themselves; stores reach
 *                       the file (MAP_SHARED). Shared anonymous memory
 *                       (MAP_SHARED|MAP_ANONYMOUS) is one too: a file of
 *                       an internal tmpfs (mm/shmem.c), shared across fork
 *   file private        the file's pages until the process writes one,
 *                       which then becomes its own copy (program text and
 *                       data loaded by execve, MAP_PRIVATE of a file)
 *
 * A shared file VMA is linear (page i of it shows file page vm_pgoff + i)
 * until remap_file_pages rearranges it: then it is nonlinear
 * (VM_NONLINEAR), and each page table entry says which file page it
 * shows (mm/fremap.c, docs/nonlinear.md).
 *
 * The VMAs are kept twice: in a red-black tree by address (find_vma in
 * O(log n)) and on a list in address order (neighbours for merging and
 * for walking a range).
 *
 * Locking: mm->mmap_lock (a mutex) protects the VMA tree and list, every
 * VMA field, and the page tables of the mm. Page faults take it too.
 * Reverse-mapping walkers (mm/rmap.c) reach PTEs without it: they hold
 * the anon_vma lock or the file's i_mmap_lock and mm->page_table_lock, so
 * every PTE change is also made under page_table_lock, and
 * vm_start/vm_end/vm_pgoff of a VMA change under those locks too.
 * See mm/LOCKING.md for its place in the lock order.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include <arch/x86/mmu.h>
#include <kernel/mutex.h>
#include <kernel/spinlock.h>
#include <libk/interval_tree.h>
#include <libk/list.h>
#include <libk/rbtree.h>
#include <stdint.h>

struct file;
struct anon_vma;

/* vm_flags: what the region allows, and how it behaves. */
#define VM_READ        0x00000001u
#define VM_WRITE       0x00000002u
#define VM_EXEC        0x00000004u
#define VM_SHARED      0x00000008u   /* writes go to the shared object, not copies */
#define VM_MAYREAD     0x00000010u   /* mprotect may add the matching VM_ bit */
#define VM_MAYWRITE    0x00000020u
#define VM_MAYEXEC     0x00000040u
#define VM_GROWSDOWN   0x00000100u   /* a stack: faults just below extend it */
#define VM_LOCKED      0x00002000u   /* mlock: pages must stay resident */
#define VM_DONTCOPY    0x00020000u   /* madvise(MADV_DONTFORK) */
#define VM_NORESERVE   0x00200000u
#define VM_WIPEONFORK  0x02000000u   /* madvise(MADV_WIPEONFORK): child gets zeros */
#define VM_LOCKONFAULT 0x00080000u   /* mlock2(MLOCK_ONFAULT): lock pages as they fault */
#define VM_NONLINEAR   0x00800000u   /* remap_file_pages rearranged it: a page's
				      * address no longer gives its file offset
				      * (mm/fremap.c); never cleared */
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

struct vm_area_struct {
	uint32_t vm_start;            /* first address, page aligned */
	uint32_t vm_end;              /* first address after the region */
	uint32_t vm_flags;            /* VM_* above */
	pteval_t vm_page_prot;        /* PTE bits for pages of this region when writable
				       * is allowed; COW pages drop _PAGE_RW */
	/*
	 * vm_pgoff: the page offset that vm_start corresponds to.
	 * File VMA (shared anonymous memory too): offset into vm_file, in
	 * pages. Private anonymous VMA: the "linear index"
	 * vm_start >> PAGE_SHIFT at creation, kept when the region moves or
	 * is split, so page->index of its pages stays valid (reverse
	 * mapping computes an address as vm_start + (index - vm_pgoff) pages).
	 */
	uint32_t vm_pgoff;
	struct file *vm_file;         /* file mapping: the file (a reference), else NULL */
	struct anon_vma *anon_vma;    /* the anon_vma its new anonymous pages join
				       * (NULL until the first one; mm/rmap.h) */
	struct list_head anon_vma_chain; /* anon_vma_chain.same_vma: its own anon_vma
				       * and those of the VMAs it was forked from */
	struct interval_node shared;  /* linear file VMA: in its file's i_mmap, by
				       * page range (mm/filemap.h, mm/rmap.h) */
	struct list_head nonlinear;   /* VM_NONLINEAR VMA: on its file's
				       * i_mmap_nonlinear instead (mm/fremap.c) */
	uint32_t vm_advice;           /* madvise NORMAL/RANDOM/SEQUENTIAL (a hint) */
	struct mm_struct *vm_mm;      /* the address space it belongs to */
	struct rb_node vm_rb;         /* in mm->mm_rb, keyed by vm_start */
	struct list_head vm_list;     /* in mm->mmap_list, in address order */
};

struct mm_struct {
	pgd_t *pgd;                   /* page directory; kernel half shared with swapper_pg_dir */
	struct mutex mmap_lock;       /* see the top of this file */
	spinlock_t page_table_lock;   /* held by anyone changing a PTE of this mm
				       * (faults and munmap under mmap_lock too;
				       * rmap walks without it) */
	struct rb_root mm_rb;         /* VMAs by address */
	struct list_head mmap_list;   /* VMAs in address order */
	int map_count;                /* number of VMAs */
	int mm_users;                 /* tasks using it; at 0 its memory is unmapped */
	int mm_count;                 /* pins on the struct: 1 for all users together,
				       * +1 per mmgrab; freed at 0 */
	struct list_head mmlist;      /* on the list of all mms (mm/mm.c, mmlist_lock) */

	uint32_t mmap_base;           /* top of the area searched for free ranges */
	uint32_t start_code, end_code;/* program text (for /proc maps names) */
	uint32_t start_data, end_data;
	uint32_t start_brk, brk;      /* the heap: [start_brk, brk) */
	uint32_t start_stack;         /* the initial stack pointer */
	uint32_t stack_limit;         /* bytes the stack may grow to (RLIMIT_STACK) */
	uint32_t arg_start, arg_end;  /* argv strings, for /proc/PID/cmdline */
	uint32_t env_start, env_end;

	unsigned long total_vm;       /* pages of all VMAs */
	unsigned long rss;            /* pages mapped by present PTEs */
	unsigned long locked_vm;      /* pages of VM_LOCKED VMAs */
	unsigned long swap_ents;      /* PTEs holding a swap entry (VmSwap) */
	uint32_t def_flags;           /* VM_LOCKED after mlockall(MCL_FUTURE) */
};

static inline uint32_t vma_pages(const struct vm_area_struct *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/* The page offset of the VMA's last page: its pages are at offsets
 * [vm_pgoff, vma_last_pgoff] (how reverse mapping files it). */
static inline uint32_t vma_last_pgoff(const struct vm_area_struct *v)
{
	return v->vm_pgoff + vma_pages(v) - 1;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *v)
{
	return !v->vm_file;
}

#endif
