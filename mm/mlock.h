/*
 * mm/mlock.h — mlocked pages: a page that a VM_LOCKED VMA maps is
 * PG_mlocked and on the unevictable list, out of reclaim's sight, until
 * no VM_LOCKED VMA maps it any more (mm/mlock.c explains the rules); and
 * RLIMIT_MEMLOCK for the calls that lock memory.
 */
#ifndef MM_MLOCK_H
#define MM_MLOCK_H

#include <mm/mm_types.h>
#include <mm/page.h>
#include <stdbool.h>

/* ---- pages ---------------------------------------------------------------- */

/* page is mapped by a VM_LOCKED VMA: PG_mlocked set (counted in NR_MLOCK
 * and unevictable_pgs_mlocked if it was clear) and, if it is on an
 * evictable LRU list, moved to the unevictable one. Any context; takes
 * lru_lock (irqs off), so also under a page_table_lock. */
void mlock_page(struct page *page);

/* A PTE of vma now maps page (a fault, fault-around, migration putting a
 * page back): if vma is locked, so is the page. => vma's page_table_lock
 * held, so an rmap walk sees the PTE and the flag together. */
static inline void
mlock_new_mapping(struct vm_area_struct *vma, struct page *page)
{
	if (vma->vm_flags & VM_LOCKED)
		mlock_page(page);
}

/* The last PTE mapping page is gone (page_remove_rmap): if it was mlocked,
 * it no longer is (unevictable_pgs_cleared) and goes back to the inactive
 * list of its kind. Any context (lru_lock only). */
void clear_page_mlock(struct page *page);

/*
 * mlock_page_found_locked - reclaim's cull (Linux's "culled" pages).
 *
 * For reclaim when its walk (try_to_unmap_reclaim, page_referenced) meets
 * a PTE of a VM_LOCKED VMA that maps page (UNMAP_MLOCKED): the page is
 * mlocked as mlock_page does and counted in unevictable_pgs_culled. If it
 * is on an evictable list it moves to the unevictable one now; if reclaim
 * has isolated it (off every list, PG_lru clear, its reference held), it
 * gets PG_mlocked and PG_unevictable (PG_active and PG_swapbacked
 * cleared), so that lru_putback puts it on the unevictable list. Reclaim
 * must then leave the page alone: unmap it no further, not free it, and
 * not set PG_active or PG_swapbacked before the putback (page_lru looks
 * at PG_unevictable first, so they would do no harm but mean nothing).
 * => May be called under the VMA's page_table_lock (takes only lru_lock,
 * irqs off), with or without the page lock; never sleeps. The page is
 * mapped by that locked PTE (so the rmap checker's "PG_mlocked <=> a
 * VM_LOCKED PTE maps it" holds).
 *
 * Reclaim scans only the four evictable lists, so it meets a mlocked page
 * only in Linux's race: the page was on (or isolated from) an evictable
 * list when its VMA became locked, before mlock's pass reached it.
 */
void mlock_page_found_locked(struct page *page);

/* A COW fault in vma has just replaced page (still referenced by the
 * caller) by a private copy: if vma is locked, page loses a locked
 * mapping and is munlocked unless another VM_LOCKED VMA maps it (an
 * rmap walk). => mmap_lock of vma's mm held, it being current->mm; no
 * spinlock; may sleep (page lock). */
void munlock_page_after_cow(struct vm_area_struct *vma, struct page *page);

/* ---- ranges of a VMA ------------------------------------------------------ */

/* vma has just become VM_LOCKED over [start, end): every page mapped there
 * is mlocked. => mmap_lock held. */
void mlock_vma_range(struct vm_area_struct *vma, uint32_t start, uint32_t end);
/* The PTEs of vma in [start, end) no longer count as locked: vma has just
 * lost VM_LOCKED there, or they are about to be zapped. Each mlocked page
 * they map is munlocked unless a VM_LOCKED VMA maps it elsewhere (found
 * through rmap_walk, as Linux's try_to_munlock). => mmap_lock held, vma's
 * mm being current->mm (rmap_walk's rule); may sleep. */
void munlock_vma_range(struct vm_area_struct *vma, uint32_t start, uint32_t end);
/* Gives [start, end) of vma the flags newflags (which may add or drop
 * VM_LOCKED/VM_LOCKONFAULT) and moves its pages to or from the
 * unevictable list to match. The VMA now covering start, or NULL when
 * out of memory (see vma_modify_flags). => mmap_lock held, of current->mm. */
struct vm_area_struct *mlock_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
				   uint32_t start, uint32_t end, uint32_t newflags);
/* mm's program is leaving it (exit, exec): as munlockall, every VMA loses
 * VM_LOCKED and its pages their locks, while mm is still current->mm (the
 * rmap walks need that). Takes mmap_lock. */
void munlock_mm(struct mm_struct *mm);

/* ---- RLIMIT_MEMLOCK (Linux 6.1's rules) ------------------------------------ */

/* Linux's can_do_mlock: a non-zero RLIMIT_MEMLOCK or CAP_IPC_LOCK. */
bool can_do_mlock(void);
/* True if mm may have locked_pages pages locked: within RLIMIT_MEMLOCK,
 * or the caller has CAP_IPC_LOCK. */
bool mlock_limit_allows(unsigned long locked_pages);
/* Linux's mlock_future_check for a new mapping of len bytes with
 * vm_flags (mm->def_flags included): 0, or -EAGAIN if it would be locked
 * past the limit. */
int mlock_future_check(struct mm_struct *mm, uint32_t vm_flags, uint32_t len);

#endif
