/*
 * mm/shmem.c — shared anonymous memory objects (see shmem.h).
 *
 * Invariant: pages[i], when not NULL, has page->mapping == obj (with the
 * PAGE_MAPPING_SHMEM tag clear: it is not anonymous) and page->index == i,
 * so reverse mapping can go from the page back to the object.
 *
 * Locks: obj->lock (mutex) is taken under mm->mmap_lock in the fault path.
 */
#include <mm/shmem.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
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
