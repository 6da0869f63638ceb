/*
 * mm/rmap.h — keeping page->_mapcount (and, for anonymous pages,
 * page->mapping/index) in step with the page tables. Every PTE that maps
 * a page is counted exactly once in its mapcount.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <mm/page.h>
#include <mm/mm_types.h>

/* A new anonymous page mapped for the first time at addr in vma. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, uint32_t addr);
/* One more PTE maps an existing page (fork, shared memory). */
void page_dup_rmap(struct page *page);
/* One PTE that mapped page is gone. */
void page_remove_rmap(struct page *page);
/* The linear page index of addr in an anonymous vma (stored in page->index). */
static inline uint32_t linear_page_index(const struct vm_area_struct *vma, uint32_t addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}
#endif
