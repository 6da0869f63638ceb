/*
 * mm/rmap.h — reverse mapping: from a physical page back to every PTE
 * that maps it, with nothing stored per mapping per page.
 *
 * Anonymous pages (anon_vma chains, as Linux since 2.6.34; interval trees
 * as Linux since 3.7):
 *
 *   page->mapping = anon_vma | PAGE_MAPPING_ANON      page->index = linear index
 *        |
 *        v
 *   anon_vma ---interval tree of anon_vma_chain---> every VMA that may map
 *                (by [vm_pgoff, vma_last_pgoff])     a page of this anon_vma
 *   VMA ---anon_vma_chain list---> its own anon_vma and its ancestors'
 *
 * An anon_vma_chain (avc) links one VMA with one anon_vma: it is on the
 * VMA's list (vma->anon_vma_chain) and in the anon_vma's interval tree
 * (av->rb_root), filed under the page offsets the VMA covers. A VMA's
 * pages can belong to its own anon_vma (pages it created) or to the
 * anon_vma of any ancestor it was forked from (pages still shared
 * copy-on-write), so a VMA is in the trees of all of them; a page's walk
 * looks only in its own anon_vma's tree, and there only at the VMAs whose
 * range covers page->index: one page of a process with 1,000 VMAs on an
 * anon_vma costs one VMA, not 1,000. The address of a page in a VMA is
 * vm_start + (page->index - vm_pgoff) pages; a VMA whose PTE there holds
 * another page does not map it.
 *
 * A fork does not always add an anon_vma: if the parent VMA's chain holds
 * one that no VMA uses as its own any more (its owner exited) and that
 * has at most one child with VMAs, the child VMA takes it over (as Linux
 * since 2015). A line of fork-then-parent-exits generations thus keeps
 * three anon_vmas per VMA (the root, and two that take turns) instead of
 * one more per generation.
 *
 * File pages — the page cache of a file, and shared anonymous memory,
 * which is a file of an internal tmpfs (mm/shmem.c) — belong to the
 * file's address_space (page->mapping = it, tag clear; page->index = the
 * page's offset in the file); the address_space's i_mmap is an interval
 * tree of every VMA mapping the file, private or shared, filed under the
 * file offsets it maps (seed 002: objrmap). A private file VMA is also on
 * anon_vmas, for the copies its writes made.
 *
 * Nonlinear VMAs (remap_file_pages, mm/fremap.c) break "offset gives
 * address": any page of the file may sit at any address of such a VMA,
 * at several at once. They are not in i_mmap but on the address_space's
 * i_mmap_nonlinear list, and a walk of a file page searches the page
 * tables of every VMA on it for the frame (cost: the size of the
 * file's nonlinear VMAs; Linux's try_to_unmap_nonlinear, but exact).
 * Unmapping a page there leaves a file PTE with its offset
 * (pte_after_unmap), so the next fault brings the same file page back.
 *
 * Invariants: page_mapcount(page) is exactly the number of PTEs, present
 * or PROT_NONE, that map the page, and each of them holds one reference
 * (a migration entry standing in for the page holds neither). Every
 * anonymous page of a VMA belongs to an anon_vma on that VMA's chain
 * list. Every avc (and every file VMA) is filed under its VMA's current
 * [vm_pgoff, vma_last_pgoff] (rmap_check verifies it). An anon_vma lives
 * while an avc, a page or a child anon_vma points at it (its refcount),
 * so a root outlives its whole family.
 *
 * Locks: mmap_lock → page lock → i_mmap_lock → anon_vma->root->lock
 * (mutexes) → mm->page_table_lock (spin). Writers of the chains and trees
 * hold mmap_lock of the VMA's mm and the root lock (or i_mmap_lock);
 * rmap_walk holds the root lock (or the file's i_mmap_lock) and takes each mm's page_table_lock
 * around its PTE. vm_start, vm_end and vm_pgoff of a VMA change only in
 * vma_set_range, which holds those locks and takes the VMA out of every
 * tree before the change and files it again after (Linux's
 * anon_vma_interval_tree_pre/post_update_vma), so a walker finds it under
 * its right range and computes the right address.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <mm/page.h>
#include <mm/mm_types.h>
#include <kernel/mutex.h>
#include <libk/interval_tree.h>
#include <libk/list.h>

#define PAGE_MAPPING_ANON 1u         /* tag in page->mapping: an anon_vma */

struct anon_vma {
	struct anon_vma *root;        /* the anon_vma of the oldest ancestor; its
				       * lock guards the whole family tree */
	struct anon_vma *parent;      /* the anon_vma this one was forked from (or itself) */
	struct mutex lock;            /* used in the root only */
	int refcount;                 /* avcs + pages + child anon_vmas pointing here
				       * (so a root outlives its descendants) */
	/* under the root lock; a fork may take over an anon_vma with no
	 * active VMA and fewer than two children (anon_vma_fork): */
	int num_children;             /* child anon_vmas whose tree still holds a
				       * VMA; a root counts itself too */
	int num_active_vmas;          /* VMAs whose vma->anon_vma is this one */
	struct rb_root rb_root;       /* interval tree of anon_vma_chain.rb: the
				       * VMAs that may map its pages, by page range */
};

struct anon_vma_chain {
	struct interval_node rb;      /* in anon_vma->rb_root, filed under
				       * [vma->vm_pgoff, vma_last_pgoff(vma)]
				       * (first: a walk's step to the avc is free) */
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;    /* on vma->anon_vma_chain */
};

static inline struct anon_vma_chain *avc_of(struct interval_node *n)
{
	return n ? container_of(n, struct anon_vma_chain, rb) : NULL;
}

/* For each avc of av whose VMA's page range overlaps [first, last]
 * (page offsets, as page->index), in order of vm_pgoff; root lock held. */
#define anon_vma_for_each_vma(avc, av, first, last)                            \
	for ((avc) = avc_of(interval_tree_iter_first(&(av)->rb_root, first, last)); (avc); \
	     (avc) = avc_of(interval_tree_iter_next(&(avc)->rb, first, last)))

static inline bool PageAnon(const struct page *page)
{
	return (uintptr_t)page->mapping & PAGE_MAPPING_ANON;
}
static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	return PageAnon(page) ? (struct anon_vma *)((uintptr_t)page->mapping - PAGE_MAPPING_ANON)
			      : NULL;
}
/* The address_space of a page-cache page (files, shmem), else NULL. */
static inline struct address_space *page_mapping(const struct page *page)
{
	return PageAnon(page) ? NULL : (struct address_space *)page->mapping;
}

/* An anon_vma's family shares one lock, its root's. */
static inline void anon_vma_lock(struct anon_vma *av)   { mutex_lock(&av->root->lock); }
static inline void anon_vma_unlock(struct anon_vma *av) { mutex_unlock(&av->root->lock); }

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
 * anon_vma for the pages it will COW: one on the chain that no VMA owns
 * any more and that has at most one live child (an exited ancestor's),
 * else a new one, child of the parent's. So a line of fork-then-exit
 * generations keeps a bounded chain. 0 or -ENOMEM. */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
/* The VMA is going away (munmap, exit, merge): drop its chains. */
void unlink_anon_vmas(struct vm_area_struct *vma);
void get_anon_vma(struct anon_vma *av);
/* Releases one reference of an anon_vma (a page's, or a walker's). */
void put_anon_vma(struct anon_vma *av);
/* vma_set_range's two halves (mm/vma.c): take vma out of the interval
 * trees that file it by page range (its file's i_mmap and those of the
 * anon_vmas on its chain), and put it back under its new range. Their
 * locks are held: the file's i_mmap_lock and the anon_vma root lock. */
void vma_rmap_trees_remove(struct vm_area_struct *vma);
void vma_rmap_trees_insert(struct vm_area_struct *vma);

/* ---- file VMAs: the address_space's i_mmap ------------------------------ */

/* The page cache vma maps (its file's), or NULL for anonymous memory. */
struct address_space *vma_mapping(const struct vm_area_struct *vma);
/* vma maps its file from now on / no longer: into or out of i_mmap (or
 * i_mmap_nonlinear, for a VM_NONLINEAR VMA). They take i_mmap_lock. */
void vma_link_file(struct vm_area_struct *vma);
void vma_unlink_file(struct vm_area_struct *vma);
/* True if vma is on its file's i_mmap or i_mmap_nonlinear. */
bool vma_file_linked(const struct vm_area_struct *vma);
/* Makes the shared file VMA nonlinear (if it is not yet): VM_NONLINEAR
 * set, moved from i_mmap to i_mmap_nonlinear under i_mmap_lock, so a
 * walk finds it in one of the two. mmap_lock held. */
void vma_set_nonlinear(struct vm_area_struct *vma);
/* The first VMA of mapping, in order of vm_pgoff, that maps some file
 * page in [first, last], and the next one after vma; NULL when there is
 * none. i_mmap_lock held. */
struct vm_area_struct *mapping_vma_first(struct address_space *mapping, uint32_t first, uint32_t last);
struct vm_area_struct *mapping_vma_next(struct vm_area_struct *vma, uint32_t first, uint32_t last);
/* For each linear VMA mapping some page of mapping in [first, last]
 * (page offsets); i_mmap_lock held. A VMA maps file page p at vm_start +
 * (p - vm_pgoff) pages. (The nonlinear ones are on i_mmap_nonlinear.) */
#define mapping_for_each_vma(vma, mapping, first, last)                        \
	for ((vma) = mapping_vma_first(mapping, first, last); (vma);           \
	     (vma) = mapping_vma_next(vma, first, last))

/* ---- mapcount bookkeeping (PTE changes) -------------------------------- */

/* A new anonymous page mapped for the first time at addr in vma, whose
 * anon_vma must be prepared: the page joins vma->anon_vma, and the active
 * anon LRU list (mm/lru.c). */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, uint32_t addr);
/* A write fault reuses page for vma alone (no one else maps it): it
 * moves to vma's own anon_vma, so later walks need not look at the
 * VMAs of relatives that can no longer map it. */
void page_move_anon_rmap(struct page *page, struct vm_area_struct *vma);
/* A swap-in maps page (locked, in the swap cache) at addr in vma: one
 * more mapping. If no PTE mapped it since it came back, it joins an
 * anon_vma: vma's own if exclusive (no other PTE or process can reach
 * it), else the root of vma's family; and the active anon LRU list. */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, uint32_t addr,
			bool exclusive);
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
	bool try_lock;                /* reclaim: give up (-EAGAIN) rather than
				       * wait for the anon_vma or i_mmap lock */
};
/* Visits every (VMA, address) that may map page (anonymous or file).
 * Takes the anon_vma root lock or the file's i_mmap_lock; the caller holds
 * no mmap_lock of another mm (but the rmap checker, which holds them all
 * under migrate_mutex), and holds the page lock when it changes PTEs
 * (migration). All asserted (the first with lockcheck=1 only). Returns
 * the number of VMAs it examined (vmstat rmap_walk_vmas adds them up):
 * the cost of the walk; -EAGAIN if rwc->try_lock and the lock was taken. */
int rmap_walk(struct page *page, const struct rmap_walk_control *rwc);

/* True if *ptep is a present or PROT_NONE PTE mapping page. */
bool pte_maps_page(pte_t pte, const struct page *page);

/* How many PTEs map page with the accessed bit set; clears those bits
 * (and flushes the TLB entries), as reclaim's aging does. */
int page_referenced(struct page *page);
/* Reclaim's page_referenced: -EAGAIN instead of waiting for a lock. */
int page_referenced_reclaim(struct page *page);
/* Replaces every PTE mapping page by a migration entry; returns how many. */
int try_to_migrate(struct page *page);
/* Points every migration entry for old at new (keeping write permission),
 * or back at old if new is NULL (migration failed). */
void remove_migration_ptes(struct page *old, struct page *new);
/* What a PTE of vma at addr becomes when page leaves it: empty, or in a
 * nonlinear VMA a file PTE naming the page's offset (unless that is the
 * linear one, which an empty PTE already means). */
pte_t pte_after_unmap(const struct vm_area_struct *vma, uint32_t addr, const struct page *page);
/* Unmaps page from every PTE (dropping the references); returns how many
 * PTEs were cleared. Truncate uses it for a page a fault mapped again
 * (reclaim uses try_to_unmap_reclaim, below). */
int try_to_unmap(struct page *page);
/* Reclaim unmaps the locked page from every PTE: an anonymous page (in
 * the swap cache) leaves swap PTEs naming its slot, a file page what
 * pte_after_unmap says; dirty PTEs dirty the page. It never waits for a
 * lock and stops at a VM_LOCKED VMA. */
enum unmap_result {
	UNMAP_DONE,                   /* no PTE maps it any more */
	UNMAP_AGAIN,                  /* some still do (a lock was busy, a swap
				       * count full): try later */
	UNMAP_MLOCKED,                /* a VM_LOCKED VMA maps it: unevictable */
};
enum unmap_result try_to_unmap_reclaim(struct page *page);
/* Writeback: write-protects and cleans every PTE of a shared mapping that
 * maps page (locked) writable, so the next store faults; how many. */
int page_mkclean(struct page *page);

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

/* The anon_vmas and anon_vma_chains alive now, and the slab bytes they
 * take (tests and benchmarks: does a fork family's metadata stay bounded). */
struct rmap_usage {
	unsigned long anon_vmas;
	unsigned long avcs;
	unsigned long bytes;
};
void rmap_get_usage(struct rmap_usage *u);

/* Bytes of reverse-mapping metadata a VMA costs, and a mapped page (0). */
#define RMAP_BYTES_PER_VMA  (sizeof(struct anon_vma_chain))
#define RMAP_BYTES_PER_PAGE 0

#endif
