/*
 * mm/shmem.c — shared anonymous memory objects (see shmem.h).
 *
 * Invariant: pages[i], when not NULL, has page->mapping == obj (with the
 * PAGE_MAPPING_SHMEM tag clear: it is not anonymous) and page->index == i,
 * so reverse mapping can go from the page back to the object.
 *
 * i_mmap holds every VMA mapping the object in an interval tree keyed by
 * the object pages it maps, [vm_pgoff, vma_last_pgoff], so that rmap_walk
 * goes from a page to the PTEs of exactly the VMAs that cover it, and an
 * operation on a range of the object (MADV_REMOVE) to the VMAs that map
 * some of it. A VMA is filed under its range of the moment: vma_set_range
 * (mm/vma.c) refiles it, under i_mmap_lock, when the range changes.
 *
 * Punching a hole (MADV_REMOVE) first unmaps the range from every VMA on
 * i_mmap, in every process, then takes each page out under its page lock;
 * a shared fault maps a page only under that lock and only if the page is
 * still the object's, so no process keeps a page the object let go.
 *
 * Locks: mmap_lock → page lock → i_mmap_lock → page_table_lock, and
 * mmap_lock → page lock → lock (mutexes; the page lock only where a page
 * is evicted or replaced); i_mmap_lock and lock are never held together.
 */
#include <mm/shmem.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/memory.h>
#include <mm/page_lock.h>
#include <kernel/printk.h>
#include <arch/x86/irqflags.h>

struct shmem_object *
shmem_create(uint32_t nr_pages)
{
	struct shmem_object *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	obj->pages = kzalloc(nr_pages * sizeof(obj->pages[0]), GFP_KERNEL);
	if (!obj->pages) {
		kfree(obj);
		return NULL;
	}
	mutex_init(&obj->lock, "shmem");
	mutex_init(&obj->i_mmap_lock, "shmem_i_mmap");
	obj->i_mmap = RB_ROOT;
	obj->refcount = 1;
	obj->nr_pages = nr_pages;
	return obj;
}

struct shmem_object *
shmem_get(struct shmem_object *obj)
{
	uint32_t flags = local_irq_save();

	obj->refcount++;
	local_irq_restore(flags);
	return obj;
}

void
shmem_put(struct shmem_object *obj)
{
	uint32_t flags = local_irq_save();
	int left = --obj->refcount;

	local_irq_restore(flags);
	if (left)
		return;
	BUG_ON(!RB_EMPTY_ROOT(&obj->i_mmap));
	for (uint32_t i = 0; i < obj->nr_pages; i++) {
		if (obj->pages[i]) {
			obj->pages[i]->mapping = NULL;
			put_page(obj->pages[i]);
		}
	}
	kfree(obj->pages);
	kfree(obj);
}

struct page *
shmem_find_or_create_page(struct shmem_object *obj, uint32_t pgoff)
{
	struct page *page;

	if (pgoff >= obj->nr_pages)
		return NULL;
	mutex_lock(&obj->lock);
	page = obj->pages[pgoff];
	if (!page) {
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (page) {
			page->mapping = obj;
			page->index = pgoff;
			obj->pages[pgoff] = page;        /* the object's reference */
		}
	}
	if (page)
		get_page(page);                  /* the caller's reference */
	mutex_unlock(&obj->lock);
	return page;
}

struct page *
shmem_peek_page(struct shmem_object *obj, uint32_t pgoff)
{
	return pgoff < obj->nr_pages ? obj->pages[pgoff] : NULL;
}

void
shmem_replace_page(struct shmem_object *obj, struct page *oldpage, struct page *newpage)
{
	assert_page_locked(oldpage);
	assert_page_locked(newpage);
	mutex_lock(&obj->lock);
	BUG_ON(obj->pages[oldpage->index] != oldpage);
	newpage->mapping = obj;
	newpage->index = oldpage->index;
	obj->pages[oldpage->index] = newpage;
	oldpage->mapping = NULL;
	mutex_unlock(&obj->lock);
	put_page(oldpage);                       /* the object's reference */
}

/* The page at pgoff with a reference for the caller, or NULL. */
static struct page *
shmem_get_page(struct shmem_object *obj, uint32_t pgoff)
{
	struct page *page;

	mutex_lock(&obj->lock);
	page = obj->pages[pgoff];
	if (page)
		get_page(page);
	mutex_unlock(&obj->lock);
	return page;
}

/* Takes page out of obj under its page lock, so that neither a migration
 * nor a fault is halfway through it (do_shared_page maps a shmem page only
 * while it holds the lock and page->mapping is still obj). A mapping that
 * a fault made after the caller's shmem_unmap_range is undone. False if
 * the page had left obj meanwhile (a migration put another in its place). */
static bool
shmem_evict_page(struct shmem_object *obj, struct page *page)
{
	bool ours;

	lock_page(page);
	mutex_lock(&obj->lock);
	ours = page->mapping == obj;
	if (ours)
		obj->pages[page->index] = NULL;
	mutex_unlock(&obj->lock);
	if (ours) {
		if (page_mapcount(page))
			shmem_unmap_range(obj, page->index, page->index);
		page->mapping = NULL;
		put_page(page);                  /* the object's reference */
	}
	unlock_page(page);
	return ours;
}

void
shmem_punch_hole(struct shmem_object *obj, uint32_t first, uint32_t count)
{
	for (uint32_t i = first; i < first + count && i < obj->nr_pages;) {
		struct page *page = shmem_get_page(obj, i);

		if (!page || shmem_evict_page(obj, page))
			i++;                     /* else a migrated page: look again */
		if (page)
			put_page(page);
	}
}

/* ---- every VMA of the object ------------------------------------------- */

/* Unmaps, in vma, the pages of its object whose offsets are in [first, last]. */
static void
zap_vma_pgoffs(struct vm_area_struct *vma, uint32_t first, uint32_t last)
{
	uint32_t lo = first > vma->vm_pgoff ? first : vma->vm_pgoff;
	uint32_t hi = last < vma_last_pgoff(vma) ? last : vma_last_pgoff(vma);

	if (lo <= hi)
		zap_page_range_rmap(vma, vma->vm_start + ((lo - vma->vm_pgoff) << PAGE_SHIFT),
			       vma->vm_start + ((hi - vma->vm_pgoff + 1) << PAGE_SHIFT));
}

void
shmem_unmap_range(struct shmem_object *obj, uint32_t first, uint32_t last)
{
	struct vm_area_struct *vma;

	mutex_lock(&obj->i_mmap_lock);
	shmem_for_each_vma(vma, obj, first, last)   /* every VMA mapping a page of the range */
		zap_vma_pgoffs(vma, first, last);
	mutex_unlock(&obj->i_mmap_lock);
}

void
shmem_i_mmap_insert(struct shmem_object *obj, struct vm_area_struct *vma)
{
	BUG_ON(vma->vm_shmem != obj || interval_node_linked(&vma->shared));
	interval_tree_insert(&vma->shared, vma->vm_pgoff, vma_last_pgoff(vma), &obj->i_mmap);
}

void
shmem_i_mmap_remove(struct shmem_object *obj, struct vm_area_struct *vma)
{
	BUG_ON(vma->vm_shmem != obj || !interval_node_linked(&vma->shared));
	interval_tree_remove(&vma->shared, &obj->i_mmap);
}

void
shmem_link_vma(struct shmem_object *obj, struct vm_area_struct *vma)
{
	mutex_lock(&obj->i_mmap_lock);
	shmem_i_mmap_insert(obj, vma);
	mutex_unlock(&obj->i_mmap_lock);
}

void
shmem_unlink_vma(struct shmem_object *obj, struct vm_area_struct *vma)
{
	mutex_lock(&obj->i_mmap_lock);
	shmem_i_mmap_remove(obj, vma);
	mutex_unlock(&obj->i_mmap_lock);
}

static struct vm_area_struct *
vma_of_shared(struct interval_node *n)
{
	return n ? container_of(n, struct vm_area_struct, shared) : NULL;
}

struct vm_area_struct *
shmem_vma_first(struct shmem_object *obj, uint32_t first, uint32_t last)
{
	return vma_of_shared(interval_tree_iter_first(&obj->i_mmap, first, last));
}

struct vm_area_struct *
shmem_vma_next(struct vm_area_struct *vma, uint32_t first, uint32_t last)
{
	return vma_of_shared(interval_tree_iter_next(&vma->shared, first, last));
}
