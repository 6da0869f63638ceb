/*
 * mm/shmem.h — the object behind shared anonymous memory
 * (MAP_SHARED|MAP_ANONYMOUS): an array of pages indexed by page offset,
 * so every VMA mapping it, in any process, finds the same page.
 */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include <mm/page.h>
#include <kernel/mutex.h>
#include <libk/interval_tree.h>

struct vm_area_struct;

/*
 * Locks (mm/LOCKING.md): mmap_lock → page lock → i_mmap_lock →
 * page_table_lock, and page lock → lock; i_mmap_lock and lock never nest.
 * i_mmap_lock guards the tree of VMAs (and, like an anon_vma lock, the
 * range of each VMA in it); lock guards pages[].
 */
struct shmem_object {
	struct mutex lock;            /* protects pages[] */
	struct mutex i_mmap_lock;     /* protects i_mmap */
	struct rb_root i_mmap;        /* interval tree of vm_area_struct.shared of
				       * every VMA mapping it, filed under the
				       * object offsets it maps: [vm_pgoff,
				       * vma_last_pgoff] (libk/interval_tree.h) */
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
/* The page at pgoff if it exists (no reference taken), else NULL. */
struct page *shmem_peek_page(struct shmem_object *obj, uint32_t pgoff);
/* Migration: newpage takes oldpage's place at its offset, with the
 * object's reference (the one newpage was allocated with); the object's
 * reference on oldpage is dropped. Caller holds both page locks. */
void shmem_replace_page(struct shmem_object *obj, struct page *oldpage, struct page *newpage);
/* Unmaps the object's pages with offsets in [first, last] from every VMA
 * that maps them, in every process, as a truncate would. Takes
 * i_mmap_lock, then each mm's page_table_lock. */
void shmem_unmap_range(struct shmem_object *obj, uint32_t first, uint32_t last);
/* Frees the object's pages in [first, first+count) (madvise MADV_REMOVE),
 * after shmem_unmap_range of the range; the pages read zero again. Takes
 * each page's lock. */
void shmem_punch_hole(struct shmem_object *obj, uint32_t first, uint32_t count);
/* vma maps obj from now on / no longer (reverse mapping, mm/rmap.c).
 * They take i_mmap_lock. */
void shmem_link_vma(struct shmem_object *obj, struct vm_area_struct *vma);
void shmem_unlink_vma(struct shmem_object *obj, struct vm_area_struct *vma);
/* The same with i_mmap_lock held: vma_set_range refiles a VMA whose
 * range changes (out under the old range, in under the new). */
void shmem_i_mmap_insert(struct shmem_object *obj, struct vm_area_struct *vma);
void shmem_i_mmap_remove(struct shmem_object *obj, struct vm_area_struct *vma);

/* The first VMA of obj, in order of vm_pgoff, that maps some object page
 * in [first, last] (page offsets), and the next one after vma; NULL when
 * there is none. i_mmap_lock held. */
struct vm_area_struct *shmem_vma_first(struct shmem_object *obj, uint32_t first, uint32_t last);
struct vm_area_struct *shmem_vma_next(struct vm_area_struct *vma, uint32_t first, uint32_t last);
/* For each VMA of obj that overlaps [first, last] pgoff; i_mmap_lock held.
 * A VMA maps object page p at vm_start + (p - vm_pgoff) pages. */
#define shmem_for_each_vma(vma, obj, first, last)                              \
	for ((vma) = shmem_vma_first(obj, first, last); (vma);                 \
	     (vma) = shmem_vma_next(vma, first, last))

/* True if page belongs to a shmem object (page->mapping without the anon tag). */
static inline struct shmem_object *page_shmem_object(const struct page *page)
{
	return ((uintptr_t)page->mapping & 1u) ? NULL : (struct shmem_object *)page->mapping;
}
#endif
