/*
 * mm/rmap.h — reverse mapping: from a physical page back to every PTE
 * that maps it, with nothing stored per mapping per page.
 *
 * Anonymous pages (anon_vma chains, as Linux since 2.6.34):
 *
 *   page->mapping = anon_vma | PAGE_MAPPING_ANON      page->index = linear index
 *        |
 *        v
 *   anon_vma ---rb_root/list of anon_vma_chain---> every VMA that may map
 *                                                  a page of this anon_vma
 *   VMA ---anon_vma_chain list---> its own anon_vma and its ancestors'
 *
 * An anon_vma_chain (avc) links one VMA with one anon_vma and sits on two
 * lists: the VMA's (vma->anon_vma_chain) and the anon_vma's (av->head).
 * A VMA's pages can belong to its own anon_vma (pages it created) or to
 * the anon_vma of any ancestor it was forked from (pages still shared
 * copy-on-write), so a VMA is on the lists of all of them; a page's walk
 * visits only the VMAs of its own anon_vma, that is the processes that
 * descend from the one that created it. The address of a page in a VMA is
 * vm_start + (page->index - vm_pgoff) pages; a VMA whose range does not
 * contain it, or whose PTE there holds another page, does not map it.
 *
 * Shared anonymous pages (MAP_SHARED|MAP_ANONYMOUS) belong to a shmem
 * object (page->mapping = the object, tag clear); the object lists every
 * VMA mapping it (its i_mmap list) and page->index is the page's offset.
 *
 * Invariants: page_mapcount(page) is exactly the number of PTEs, present
 * or PROT_NONE, that map the page, and each of them holds one reference
 * (a migration entry standing in for the page holds neither). Every
 * anonymous page of a VMA belongs to an anon_vma on that VMA's chain
 * list. An anon_vma lives while an avc, a page or a child anon_vma points
 * at it (its refcount), so a root outlives its whole family.
 *
 * Locks: mmap_lock → anon_vma->root->lock (mutex) → mm->page_table_lock
 * (spin). Writers of the chains hold mmap_lock of the VMA's mm and the
 * root lock; rmap_walk holds the root lock (or the shmem object's
 * i_mmap_lock) and takes each mm's page_table_lock around its PTE.
 * vm_start, vm_end and vm_pgoff of a VMA with an anon_vma change only with
 * its root lock held too (vma_set_range), so a walker's address is right.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <mm/page.h>
#include <mm/mm_types.h>
#include <kernel/mutex.h>
#include <libk/list.h>

#define PAGE_MAPPING_ANON 1u         /* tag in page->mapping: an anon_vma */

struct anon_vma {
	struct anon_vma *root;        /* the anon_vma of the oldest ancestor; its
				       * lock guards the whole family tree */
	struct anon_vma *parent;      /* the anon_vma this one was forked from (or itself) */
	struct mutex lock;            /* used in the root only */
	int refcount;                 /* avcs + pages + child anon_vmas pointing here
				       * (so a root outlives its descendants) */
	struct list_head head;        /* anon_vma_chain.same_anon_vma of every VMA */
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;    /* on vma->anon_vma_chain */
	struct list_head same_anon_vma; /* on anon_vma->head */
};

static inline bool PageAnon(const struct page *page)
{
	return (uintptr_t)page->mapping & PAGE_MAPPING_ANON;
}
static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	return PageAnon(page) ? (struct anon_vma *)((uintptr_t)page->mapping - PAGE_MAPPING_ANON)
			      : NULL;
}

/* The linear page index of addr in vma (stored in page->index). */
static inline uint32_t linear_page_index(const struct vm_area_struct *vma, uint32_t addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}
/* Where page would be mapped in vma; false if outside vma's range. */
bool vma_address(const struct page *page, const struct vm_area_struct *vma, uint32_t *addr);

/* ---- anon_vma life cycle (all with mmap_lock of the VMA's mm held) ---- */

/* Gives vma an anon_vma (a neighbour's if it may share, else a new one)
 * before its first anonymous page. 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* dst (a split-off or moved copy of src in the same mm) joins every
 * anon_vma src is on. 0 or -ENOMEM. */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
/* fork: the child's vma joins the parent's anon_vmas and gets its own
 * anon_vma, child of the parent's, for the pages it will COW. */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
/* The VMA is going away (munmap, exit, merge): drop its chains. */
void unlink_anon_vmas(struct vm_area_struct *vma);
void get_anon_vma(struct anon_vma *av);
/* Releases one reference of an anon_vma (a page's, or a walker's). */
void put_anon_vma(struct anon_vma *av);
/* Changes a VMA's range and offset with its anon_vma root lock held, so a
 * concurrent rmap walk sees either the old or the new triple. */
void vma_set_range(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t pgoff);

/* ---- mapcount bookkeeping (PTE changes) -------------------------------- */

/* A new anonymous page mapped for the first time at addr in vma, whose
 * anon_vma must be prepared: the page joins vma->anon_vma. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, uint32_t addr);
/* A write fault reuses page for vma alone (no one else maps it): it
 * moves to vma's own anon_vma, so later walks need not look at the
 * VMAs of relatives that can no longer map it. */
void page_move_anon_rmap(struct page *page, struct vm_area_struct *vma);
/* One more PTE maps an existing page (fork, shared memory, migration). */
void page_dup_rmap(struct page *page);
/* One PTE that mapped page is gone. */
void page_remove_rmap(struct page *page);
/* page_clear_rmap_on_free (mm/page.h): the page's last reference is
 * gone, it lets go of its anon_vma. */

/* ---- walking ----------------------------------------------------------- */

/* Called for each (vma, addr) that may map the page, with ptep the PTE
 * slot there (never NULL) and vma->vm_mm->page_table_lock held. The
 * callback checks whether *ptep really maps the page. Returns false to
 * stop the walk. */
struct rmap_walk_control {
	void *arg;
	bool (*visit)(struct page *page, struct vm_area_struct *vma, uint32_t addr,
		      pte_t *ptep, void *arg);
};
/* Visits every (VMA, address) that may map page (anonymous or shmem).
 * Takes the anon_vma root lock or the shmem i_mmap_lock; the caller holds
 * no mmap_lock of another mm (but the rmap checker, which holds them all
 * under migrate_mutex), and holds the page lock when it changes PTEs
 * (migration). All asserted (the first with lockcheck=1 only). Returns
 * the number of VMAs visited. */
int rmap_walk(struct page *page, const struct rmap_walk_control *rwc);

/* True if *ptep is a present or PROT_NONE PTE mapping page. */
bool pte_maps_page(pte_t pte, const struct page *page);

/* How many PTEs map page with the accessed bit set; clears those bits
 * (and flushes the TLB entries), as reclaim's aging does. */
int page_referenced(struct page *page);
/* Replaces every PTE mapping page by a migration entry; returns how many. */
int try_to_migrate(struct page *page);
/* Points every migration entry for old at new (keeping write permission),
 * or back at old if new is NULL (migration failed). */
void remove_migration_ptes(struct page *old, struct page *new);
/* Unmaps page from every PTE (dropping the references); returns how many
 * PTEs were cleared. Used by tests; reclaim will add swap entries. */
int try_to_unmap(struct page *page);

/* ---- checking ---------------------------------------------------------- */

/* For every in-use user page: the PTEs rmap_walk finds == the PTEs a scan
 * of every process's page tables finds, page_mapcount == that number, and
 * page_count covers it. Returns the number of mismatches (0: consistent);
 * prints each one when verbose; -ENOMEM. Takes every mm's mmap_lock (in
 * address order); the caller holds none. */
int rmap_check_all(bool verbose);
/* The same over the given mms only (in-kernel tests build their own),
 * for the frames they map; it may reorder mms[]. */
int rmap_check_mms(struct mm_struct **mms, int n, bool verbose);

/* Bytes of reverse-mapping metadata a VMA costs, and a mapped page (0). */
#define RMAP_BYTES_PER_VMA  (sizeof(struct anon_vma_chain))
#define RMAP_BYTES_PER_PAGE 0

#endif
