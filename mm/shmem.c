/*
 * mm/shmem.c — shared anonymous memory objects (see shmem.h).
 *
 * Invariant: pages[i], when not NULL, has page->mapping == obj (with the
 * PAGE_MAPPING_SHMEM tag clear: it is not anonymous) and page->index == i,
 * so reverse mapping can go from the page back to the object.
 *
 * i_mmap lists every VMA mapping the object, so that rmap_walk can go
 * from a page to the PTEs of every process sharing it.
 *
 * Locks: mmap_lock → i_mmap_lock → lock (mutexes); obj->lock is taken
 * under mm->mmap_lock in the fault path.
 */
#include <mm/shmem.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
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
	INIT_LIST_HEAD(&obj->i_mmap);
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
	BUG_ON(!list_empty(&obj->i_mmap));
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

void
shmem_punch_hole(struct shmem_object *obj, uint32_t first, uint32_t count)
{
	mutex_lock(&obj->lock);
	for (uint32_t i = first; i < first + count && i < obj->nr_pages; i++) {
		struct page *page = obj->pages[i];

		if (!page)
			continue;
		BUG_ON(page_mapcount(page));     /* unmapped everywhere first */
		obj->pages[i] = NULL;
		page->mapping = NULL;
		put_page(page);
	}
	mutex_unlock(&obj->lock);
}

void
shmem_link_vma(struct shmem_object *obj, struct vm_area_struct *vma)
{
	mutex_lock(&obj->i_mmap_lock);
	list_add_tail(&vma->shared, &obj->i_mmap);
	mutex_unlock(&obj->i_mmap_lock);
}

void
shmem_unlink_vma(struct shmem_object *obj, struct vm_area_struct *vma)
{
	mutex_lock(&obj->i_mmap_lock);
	list_del_init(&vma->shared);
	mutex_unlock(&obj->i_mmap_lock);
}
