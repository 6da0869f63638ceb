/*
 * mm/memory.h — operations on the page tables of a range of a VMA:
 * unmapping (zap), copying at fork, changing protection, and the page
 * fault handler. Callers hold mm->mmap_lock.
 */
#ifndef MM_MEMORY_H
#define MM_MEMORY_H

#include <mm/mm_types.h>

/* Protection bits for the PTEs of a VMA with these flags (0: never present). */
pteval_t vm_get_page_prot(uint32_t vm_flags);
/* Does a shared mapping of vma's file need to see each first store to a
 * page (to dirty it) — that is, can its file write pages back? */
bool vma_wants_writenotify(const struct vm_area_struct *vma);
/* Sets vma->vm_page_prot for its flags: without _PAGE_RW when it wants
 * write notification (a writable PTE then comes only from a write fault). */
void vma_set_page_prot(struct vm_area_struct *vma);

/* Unmaps every page of [start, end) in vma and drops the references. */
void zap_page_range(struct vm_area_struct *vma, uint32_t start, uint32_t end);
/* The same for a caller that holds not vma's mmap_lock but its file's
 * i_mmap_lock (unmapping a range of the file from every process that
 * maps it: mm/truncate.c). Without even_cows, a private mapping's own
 * copies (anonymous pages) stay. */
void zap_page_range_rmap(struct vm_area_struct *vma, uint32_t start, uint32_t end, bool even_cows);
/* Unmaps, in [start, end) of the nonlinear vma, the pages with file
 * offsets in [first, last], leaving in each PTE the offset it showed (a
 * file PTE), so the layout survives: a later fault brings back the same
 * file page (SIGBUS if it is past EOF now). The file's i_mmap_lock held. */
void zap_nonlinear_range(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t first,
			 uint32_t last);
/* Gives each page of [start, end) of the nonlinear vma a file PTE for
 * file pages pgoff, pgoff + 1, ... (remap_file_pages), unmapping what
 * was there. 0, or -ENOMEM (a page table could not be had) before any
 * PTE changed. */
int install_file_ptes(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t pgoff);
/* fork: makes dst map what src maps in vma — private pages read-only in both
 * (copy-on-write), shared pages as they are. 0 or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
/* Rewrites the PTEs of [start, end) for vma's current protection. */
void change_protection(struct vm_area_struct *vma, uint32_t start, uint32_t end);

enum fault_result {
	FAULT_HANDLED,
	FAULT_BAD_ADDRESS,        /* no VMA: SIGSEGV/SEGV_MAPERR */
	FAULT_BAD_ACCESS,         /* VMA forbids the access: SIGSEGV/SEGV_ACCERR */
	FAULT_SIGBUS,             /* beyond the backing object */
	FAULT_OOM,
};

enum fault_access {
	FAULT_READ,
	FAULT_WRITE,
};

/* Resolves a fault at addr in mm (mmap_lock held). */
enum fault_result handle_mm_fault(struct mm_struct *mm, uint32_t addr, enum fault_access access);
/* Faults in every page of [start, end) (MAP_POPULATE, mlock); 0 or -ENOMEM. */
int populate_range(struct mm_struct *mm, uint32_t start, uint32_t end, enum fault_access access);
/* swapoff: brings back the page the swap PTE *ptep (at addr in vma)
 * names and maps it there, whatever vma's protection (a PROT_NONE VMA
 * gets a PROT_NONE PTE); vma's mmap_lock held. 0, -ENOMEM or -EIO. */
int unuse_swap_pte(struct vm_area_struct *vma, pte_t *ptep, uint32_t addr);

#endif
