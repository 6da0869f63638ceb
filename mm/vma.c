/*
 * mm/vma.c — the set of VMAs of an address space.
 *
 * VMAs never overlap. They are linked in a red-black tree keyed by
 * vm_start and, in the same order, on mm->mmap_list. Splitting keeps both
 * halves' pages where rmap expects them: the upper half's vm_pgoff
 * advances by the pages left in the lower half, for file (shared memory
 * is a file too) and anonymous VMAs alike, and it joins every anon_vma
 * the lower half is on and its file's i_mmap.
 * Two neighbours merge only when nothing about them differs but their
 * ranges: flags, file (with contiguous offsets), and
 * anon_vma (or one has none yet and the other's is not shared by fork).
 *
 * Locks: the caller holds mm->mmap_lock for everything here; a VMA's
 * range changes through vma_set_range (its file's i_mmap_lock and its
 * anon_vma lock), so
 * rmap walkers that hold only those see consistent ranges.
 */
#include <mm/vma.h>
#include <mm/mman.h>
#include <mm/rmap.h>
#include <mm/mlock.h>
#include <mm/slab.h>
#include <kernel/printk.h>
#include <kernel/uaccess.h>
#include <kernel/errno.h>
#include <kernel/cmdline.h>
#include <fs/file.h>
#include <libk/string.h>

static struct kmem_cache *vma_cache;

struct vm_area_struct *
vma_alloc(struct mm_struct *mm, uint32_t start, uint32_t end, uint32_t flags, uint32_t pgoff)
{
	struct vm_area_struct *vma;

	if (!vma_cache) {
		vma_cache = kmem_cache_create("vm_area_struct", sizeof(*vma), 0);
		if (!vma_cache)
			return NULL;
	}
	vma = kmem_cache_zalloc(vma_cache);
	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_pgoff = pgoff;
	vma->vm_mm = mm;
	RB_CLEAR_NODE(&vma->vm_rb);
	INIT_LIST_HEAD(&vma->vm_list);
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	interval_node_init(&vma->shared);
	INIT_LIST_HEAD(&vma->nonlinear);
	return vma;
}

void
vma_set_file(struct vm_area_struct *vma, struct file *file)
{
	vma->vm_file = get_file(file);
	vma_link_file(vma);
}

int
vma_copy_backing(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (src->vm_file)
		vma_set_file(dst, src->vm_file);
	return anon_vma_clone(dst, src);
}

void
vma_free(struct vm_area_struct *vma)
{
	BUG_ON(!RB_EMPTY_NODE(&vma->vm_rb));      /* unlinked first */
	unlink_anon_vmas(vma);
	if (vma->vm_file) {
		if (vma_file_linked(vma))
			vma_unlink_file(vma);
		fput(vma->vm_file);
	}
	kmem_cache_free(vma_cache, vma);
}

struct vm_area_struct *
find_vma(struct mm_struct *mm, uint32_t addr)
{
	struct rb_node *n = mm->mm_rb.rb_node;
	struct vm_area_struct *best = NULL;

	lockdep_assert_held(&mm->mmap_lock);
	while (n) {
		struct vm_area_struct *v = rb_entry(n, struct vm_area_struct, vm_rb);

		if (v->vm_end > addr) {
			best = v;
			if (v->vm_start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

struct vm_area_struct *
vma_lookup(struct mm_struct *mm, uint32_t addr)
{
	struct vm_area_struct *v = find_vma(mm, addr);

	return v && v->vm_start <= addr ? v : NULL;
}

struct vm_area_struct *
find_vma_intersection(struct mm_struct *mm, uint32_t start, uint32_t end)
{
	struct vm_area_struct *v = find_vma(mm, start);

	return v && v->vm_start < end ? v : NULL;
}

struct vm_area_struct *
vma_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_list.next == &mm->mmap_list ? NULL
		: list_entry(vma->vm_list.next, struct vm_area_struct, vm_list);
}

struct vm_area_struct *
vma_prev(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_list.prev == &mm->mmap_list ? NULL
		: list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

void
vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *next = NULL;

	lockdep_assert_held(&mm->mmap_lock);
	while (*link) {
		struct vm_area_struct *v = rb_entry(*link, struct vm_area_struct, vm_rb);

		parent = *link;
		if (vma->vm_start < v->vm_start) {
			next = v;
			link = &parent->rb_left;
		} else {
			BUG_ON(vma->vm_start < v->vm_end);   /* overlap */
			link = &parent->rb_right;
		}
	}
	BUG_ON(next && vma->vm_end > next->vm_start);
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->mm_rb);
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &mm->mmap_list);
	mm->map_count++;
	mm->total_vm += vma_pages(vma);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += vma_pages(vma);
}

void
vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	lockdep_assert_held(&mm->mmap_lock);
	rb_erase(&vma->vm_rb, &mm->mm_rb);
	RB_CLEAR_NODE(&vma->vm_rb);
	list_del_init(&vma->vm_list);
	mm->map_count--;
	mm->total_vm -= vma_pages(vma);
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= vma_pages(vma);
}

void
vma_set_range(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t pgoff)
{
	struct anon_vma *av = vma->anon_vma;
	struct address_space *mapping = vma_mapping(vma);

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	BUG_ON(start >= end || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(end));
	BUG_ON(!av && !list_empty(&vma->anon_vma_chain));
	if (mapping)
		mutex_lock(&mapping->i_mmap_lock);
	if (av)
		anon_vma_lock(av);
	vma_rmap_trees_remove(vma);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	vma_rmap_trees_insert(vma);
	if (av)
		anon_vma_unlock(av);
	if (mapping)
		mutex_unlock(&mapping->i_mmap_lock);
}

/* True if the stack may grow down to start past prev, the VMA below it:
 * as on Linux, it keeps stack_guard_gap to an accessible VMA that is not
 * itself a stack (an inaccessible one is a reservation, not a neighbour). */
static bool
clear_of_guard_gap(const struct vm_area_struct *prev, uint32_t start)
{
	if (!prev || (prev->vm_flags & VM_GROWSDOWN) || !(prev->vm_flags & VM_ACCESS_FLAGS))
		return true;
	return start - prev->vm_end >= stack_guard_gap;
}

/* Extends a VM_GROWSDOWN stack VMA down to addr, within the stack limit
 * and clear of the guard gap. */
bool
expand_stack(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t addr)
{
	uint32_t start = addr & PAGE_MASK;
	uint32_t grow = (vma->vm_start - start) >> PAGE_SHIFT;
	struct vm_area_struct *prev = vma_prev(mm, vma);

	if (!(vma->vm_flags & VM_GROWSDOWN) || vma->vm_end - start > mm->stack_limit)
		return false;
	if ((vma->vm_flags & VM_LOCKED) && !mlock_limit_allows(mm->locked_vm + grow))
		return false;                   /* RLIMIT_MEMLOCK (Linux's acct_stack_growth) */
	if (grow > vma->vm_pgoff)
		return false;                   /* never below page offset 0 (Linux: the same) */
	if (start < MMAP_MIN_ADDR || !clear_of_guard_gap(prev, start))
		return false;
	vma_unlink(mm, vma);
	vma_set_range(vma, start, vma->vm_end, vma->vm_pgoff - grow);
	vma_link(mm, vma);
	return true;
}

struct vm_area_struct *
vma_clone_range(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t pgoff)
{
	struct vm_area_struct *new = vma_alloc(vma->vm_mm, start, end, vma->vm_flags, pgoff);

	if (!new)
		return NULL;
	new->vm_page_prot = vma->vm_page_prot;
	new->vm_advice = vma->vm_advice;
	if (vma_copy_backing(new, vma)) {
		vma_free(new);
		return NULL;
	}
	return new;
}

struct vm_area_struct *
vma_split(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t addr)
{
	struct vm_area_struct *upper;

	lockdep_assert_held(&mm->mmap_lock);
	BUG_ON(addr <= vma->vm_start || addr >= vma->vm_end || !PAGE_ALIGNED(addr));
	upper = vma_clone_range(vma, addr, vma->vm_end, linear_page_index(vma, addr));
	if (!upper)
		return NULL;
	vma_unlink(mm, vma);
	vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
	vma_link(mm, vma);
	vma_link(mm, upper);
	return upper;
}

/* Same anon_vma, or one has none (no pages yet) and the other's is its
 * own alone (not on several anon_vmas through fork). */
static bool
anon_vmas_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->anon_vma == b->anon_vma)
		return true;
	if (!a->anon_vma)
		return list_is_singular(&b->anon_vma_chain);
	if (!b->anon_vma)
		return list_is_singular(&a->anon_vma_chain);
	return false;
}

/* True if b can be appended to a (a ends where b starts). */
static bool
vmas_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags &&
	       a->vm_page_prot == b->vm_page_prot && a->vm_file == b->vm_file &&
	       anon_vmas_mergeable(a, b) &&
	       a->vm_pgoff + vma_pages(a) == b->vm_pgoff;
}

/* Absorbs b into a and frees b. The pages of b stay findable throughout:
 * a joins b's anon_vma first if it has none, and covers b's range before
 * b leaves the anon_vma lists. */
static void
vma_absorb(struct mm_struct *mm, struct vm_area_struct *a, struct vm_area_struct *b)
{
	if (!a->anon_vma && b->anon_vma && anon_vma_clone(a, b))
		return;                          /* out of memory: stay apart */
	vma_unlink(mm, b);
	vma_unlink(mm, a);
	vma_set_range(a, a->vm_start, b->vm_end, a->vm_pgoff);
	vma_free(b);
	vma_link(mm, a);
}

struct vm_area_struct *
vma_merge_neighbours(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(mm, vma), *next = vma_next(mm, vma);

	if (next && vmas_mergeable(vma, next))
		vma_absorb(mm, vma, next);
	if (prev && vmas_mergeable(prev, vma)) {
		vma_absorb(mm, prev, vma);
		vma = prev;
	}
	return vma;
}

/* ---- free ranges and the stack guard gap -------------------------------- */

uint32_t stack_guard_gap = STACK_GUARD_GAP_PAGES << PAGE_SHIFT;

/* stack_guard_gap=N: the gap in pages, as Linux's option. */
static int
parse_stack_guard_gap(const char *val)
{
	char *end;
	unsigned long pages = strtoul(val, &end, 10);

	if (!*val || *end || pages > (USER_TOP >> PAGE_SHIFT))
		return -1;
	stack_guard_gap = (uint32_t)pages << PAGE_SHIFT;
	return 0;
}
KERNEL_PARAM("stack_guard_gap", parse_stack_guard_gap,
	     "pages kept free below a stack for its growth (default 256)");

/* True if [start, start+len) may hold a new mapping: at or above
 * MMAP_MIN_ADDR, below USER_TOP, free, and clear of the guard gap below
 * a stack (Linux's test of a hint address). */
static bool
range_free(struct mm_struct *mm, uint32_t start, uint32_t len)
{
	struct vm_area_struct *next;

	if (start < MMAP_MIN_ADDR || start > USER_TOP || len > USER_TOP - start)
		return false;
	next = find_vma(mm, start);
	return !next || start + len <= vm_start_gap(next);
}

/* The highest range of len bytes that fits between the VMAs, their guard
 * gaps and MMAP_MIN_ADDR and ends at or below limit; 0 if none. Every
 * difference is taken between an address and one known to lie below it. */
static uint32_t
unmapped_area_topdown(struct mm_struct *mm, uint32_t len, uint32_t limit)
{
	struct vm_area_struct *v;
	uint32_t end = limit;                    /* the top of the gap looked at */

	list_for_each_entry_reverse(v, &mm->mmap_list, vm_list) {
		if (v->vm_end < end && end - v->vm_end >= len)
			return end - len;
		if (vm_start_gap(v) < end)
			end = vm_start_gap(v);
	}
	return end >= MMAP_MIN_ADDR && end - MMAP_MIN_ADDR >= len ? end - len : 0;
}

/* The lowest range of len bytes at or above from that range_free
 * accepts; 0 if none. */
static uint32_t
unmapped_area_bottomup(struct mm_struct *mm, uint32_t len, uint32_t from)
{
	for (uint32_t a = from; a <= USER_TOP && len <= USER_TOP - a;) {
		struct vm_area_struct *next = find_vma(mm, a);

		if (!next || a + len <= vm_start_gap(next))
			return a;
		a = next->vm_end;
	}
	return 0;
}

uint32_t
get_unmapped_area(struct mm_struct *mm, uint32_t hint, uint32_t len)
{
	uint32_t addr;

	lockdep_assert_held(&mm->mmap_lock);
	if (!len || len > USER_TOP - MMAP_MIN_ADDR)
		return 0;
	if (hint && PAGE_ALIGNED(hint) && range_free(mm, hint, len))
		return hint;
	addr = unmapped_area_topdown(mm, len, mm->mmap_base);
	return addr ? addr : unmapped_area_bottomup(mm, len, mm->mmap_base);
}

int
vma_split_at(struct mm_struct *mm, uint32_t addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && vma->vm_start < addr && !vma_split(mm, vma, addr))
		return -ENOMEM;
	return 0;
}

struct vm_area_struct *
vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma, uint32_t start,
		 uint32_t end, uint32_t newflags)
{
	lockdep_assert_held(&mm->mmap_lock);
	if (vma->vm_flags == newflags)
		return vma;
	if (vma_split_at(mm, start) || vma_split_at(mm, end))
		return NULL;
	vma = find_vma(mm, start);
	vma_unlink(mm, vma);                     /* keeps locked_vm in step */
	vma->vm_flags = newflags;
	vma_link(mm, vma);
	return vma_merge_neighbours(mm, vma);
}

int
vma_apply_range(struct mm_struct *mm, uint32_t start, uint32_t end, vma_range_fn fn, void *arg)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	for (;;) {
		uint32_t stop = vma->vm_end < end ? vma->vm_end : end;
		int err = fn(mm, vma, start, stop, arg);

		if (err)
			return err;
		start = stop;
		if (start >= end)
			return 0;
		vma = find_vma(mm, start);       /* a merge may have reached past start */
		if (!vma || vma->vm_start > start)
			return -ENOMEM;
	}
}
