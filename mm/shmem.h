/*
 * mm/shmem.h — the object behind shared anonymous memory
 * (MAP_SHARED|MAP_ANONYMOUS): an array of pages indexed by page offset,
 * so every VMA mapping it, in any process, finds the same page.
 */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include <mm/page.h>
#include <kernel/mutex.h>

struct shmem_object {
	struct mutex lock;            /* protects pages[] */
	int refcount;                 /* VMAs referring to it (changes with irqs off) */
	uint32_t nr_pages;            /* size of the object */
	struct page **pages;          /* page at each offset, NULL until first touch;
				       * the object holds one reference on each */
};

/* A new object of nr_pages zero pages (allocated lazily); NULL if out of memory. */
struct shmem_object *shmem_create(uint32_t nr_pages);
struct shmem_object *shmem_get(struct shmem_object *obj);
void shmem_put(struct shmem_object *obj);
/* The page at pgoff with a reference for the caller, allocated (zeroed) on
 * first use; NULL if pgoff is beyond the object or memory is exhausted. */
struct page *shmem_find_or_create_page(struct shmem_object *obj, uint32_t pgoff);
#endif
