/*
 * mm/slab.h — caches of equal-sized kernel objects, and kmalloc on top.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <mm/gfp.h>
#include <libk/list.h>
#include <kernel/spinlock.h>
#include <stddef.h>

struct kmem_cache {
	spinlock_t lock;              /* protects the lists and slab fields */
	const char *name;
	unsigned object_size;         /* what the creator asked for */
	unsigned size;                /* object stride: aligned, >= a pointer */
	unsigned align;
	unsigned order;               /* each slab is 2^order pages */
	unsigned objects_per_slab;
	struct list_head partial;     /* slabs with free and used objects */
	struct list_head full;        /* slabs with no free object */
	struct list_head empty;       /* at most SLAB_KEEP_EMPTY unused slabs */
	unsigned long nr_slabs;
	unsigned long nr_empty;
	unsigned long active_objects; /* allocated and not yet freed */
	struct list_head cache_list;  /* on the list of all caches */
};

/* align 0 means pointer alignment. NULL if out of memory. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
/* Frees the cache; every object must have been freed (BUG otherwise). */
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c);
void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);
/* Releases the cached empty slabs to the page allocator. */
void kmem_cache_shrink(struct kmem_cache *c);
/* Shrinks every cache: after it, free page counts are comparable. */
void kmem_cache_shrink_all(void);

#define KMALLOC_MIN_SIZE 8
#define KMALLOC_MAX_CACHE_SIZE 2048   /* larger requests take whole pages */

void kmalloc_init(void);
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
/* The usable size of a kmalloc'd block. */
size_t ksize(const void *p);

/* One cache's figures at one moment, as /proc/slabinfo shows them. */
#define SLAB_NAME_MAX 24
struct slab_stats {
	char name[SLAB_NAME_MAX];
	unsigned long active_objects; /* allocated and not yet freed */
	unsigned long objects;        /* room in all its slabs */
	unsigned size;                /* object stride in bytes */
	unsigned objects_per_slab;
	unsigned pages_per_slab;
	unsigned long active_slabs;   /* slabs with an object in use */
	unsigned long slabs;
};
/* Copies the figures of the first max caches (in creation order) into
 * out; returns the number of caches, which may be more than max. */
int slab_stats_snapshot(struct slab_stats *out, int max);
#endif
