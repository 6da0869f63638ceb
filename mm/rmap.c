/*
 * mm/rmap.c — reverse mapping: anon_vma chains and interval trees, the
 * files' i_mmap trees, their upkeep when a range changes, and the walk
 * from a page to every PTE that maps it (see rmap.h for the picture).
 *
 * Invariants:
 *   - every anonymous page of a VMA belongs (page->mapping) to an anon_vma
 *     that has an anon_vma_chain to that VMA;
 *   - every avc is in its anon_vma's tree, and every file VMA in its
 *     file's i_mmap, under [vm_pgoff, vma_last_pgoff] of the VMA as they
 *     are now (vma_set_range refiles it);
 *   - page_mapcount(page) == the number of PTEs mapping the page;
 *   - an anon_vma's refcount counts the avcs in its tree, the pages that
 *     point at it and the child anon_vmas whose parent it is; at zero it is
 *     freed (its tree is then necessarily empty) and its parent released;
 *   - num_active_vmas counts the VMAs whose own anon_vma it is,
 *     num_children the child anon_vmas whose tree is not empty (plus one
 *     for a root): anon_vma_fork takes over one with none and fewer than two.
 *
 * Locks, outermost first:
 *   mm->mmap_lock                 (changers of chains and of VMA ranges)
 *     page lock                   (migration, writeback; rmap_walk may be under it)
 *       mapping->i_mmap_lock      mutex: a file's VMA tree
 *         anon_vma->root->lock    mutex (a private file VMA is in both)
 *           mm->page_table_lock   spin, around each PTE a walk visits
 * Refcounts and mapcounts change with interrupts off (uniprocessor atomics).
 */
#include <mm/rmap.h>
#include <mm/pgtable.h>
#include <mm/pagewalk.h>
#include <mm/lru.h>
#include <mm/migrate.h>
#include <mm/page_lock.h>
#include <mm/filemap.h>
#include <fs/file.h>
#include <mm/slab.h>
#include <mm/swapops.h>
#include <mm/swap_state.h>
#include <mm/vmstat.h>
#include <kernel/printk.h>
#include <kernel/errno.h>
#include <arch/x86/irqflags.h>

static struct kmem_cache *anon_vma_cache, *avc_cache;

/* ---- anon_vma objects -------------------------------------------------- */

static bool
rmap_caches_ready(void)
{
	if (!anon_vma_cache)
		anon_vma_cache = kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0);
	if (!avc_cache)
		avc_cache = kmem_cache_create("anon_vma_chain", sizeof(struct anon_vma_chain), 0);
	return anon_vma_cache && avc_cache;
}

/* A new anon_vma, its own root and parent, with no references, VMAs or
 * children yet. */
static struct anon_vma *
anon_vma_alloc(void)
{
	struct anon_vma *av = kmem_cache_zalloc(anon_vma_cache);

	if (!av)
		return NULL;
	av->root = av;
	av->parent = av;
	mutex_init(&av->lock, "anon_vma");
	av->rb_root = RB_ROOT;
	return av;
}

/* A new root of a family: it counts as its own child (as Linux's
 * self-parent link), so it is never taken over by a fork. */
static struct anon_vma *
anon_vma_alloc_root(void)
{
	struct anon_vma *av = anon_vma_alloc();

	if (av)
		av->num_children = 1;
	return av;
}

void
get_anon_vma(struct anon_vma *av)
{
	uint32_t flags = local_irq_save();

	av->refcount++;
	local_irq_restore(flags);
}

void
put_anon_vma(struct anon_vma *av)
{
	while (av) {
		uint32_t flags = local_irq_save();
		int left = --av->refcount;
		struct anon_vma *parent = av->parent != av ? av->parent : NULL;

		local_irq_restore(flags);
		BUG_ON(left < 0);
		if (left)
			return;
		BUG_ON(!RB_EMPTY_ROOT(&av->rb_root));
		kmem_cache_free(anon_vma_cache, av);
		av = parent;                     /* drop the child's reference on it */
	}
}

void
rmap_get_usage(struct rmap_usage *u)
{
	u->anon_vmas = anon_vma_cache ? anon_vma_cache->active_objects : 0;
	u->avcs = avc_cache ? avc_cache->active_objects : 0;
	u->bytes = (anon_vma_cache ? u->anon_vmas * anon_vma_cache->size : 0) +
		   (avc_cache ? u->avcs * avc_cache->size : 0);
}

/* avc enters its anon_vma's tree under its VMA's current page range. */
static void
avc_tree_insert(struct anon_vma_chain *avc)
{
	struct vm_area_struct *vma = avc->vma;

	interval_tree_insert(&avc->rb, vma->vm_pgoff, vma_last_pgoff(vma), &avc->anon_vma->rb_root);
}

static void
avc_tree_remove(struct anon_vma_chain *avc)
{
	interval_tree_remove(&avc->rb, &avc->anon_vma->rb_root);
}

/* Links vma and av through avc. Root lock held. */
static void
anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc, struct anon_vma *av)
{
	lockdep_assert_held(&av->root->lock);
	avc->vma = vma;
	avc->anon_vma = av;
	list_add_tail(&avc->same_vma, &vma->anon_vma_chain);
	avc_tree_insert(avc);
	get_anon_vma(av);
}

/* av becomes vma's own anon_vma (the one its new pages join). Root lock
 * held. */
static void
set_vma_anon_vma(struct vm_area_struct *vma, struct anon_vma *av)
{
	BUG_ON(vma->anon_vma);
	vma->anon_vma = av;
	av->num_active_vmas++;
}

/* ---- VMA ranges -------------------------------------------------------- */

bool
vma_address(const struct page *page, const struct vm_area_struct *vma, uint32_t *addr)
{
	uint32_t pgoff = page->index;

	if (pgoff < vma->vm_pgoff || pgoff - vma->vm_pgoff >= vma_pages(vma))
		return false;
	*addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
	return true;
}

/* The locks of the trees that file vma: its file's i_mmap_lock and its
 * anon_vma family's. */
static void
assert_rmap_trees_locked(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		lockdep_assert_held(&vma->anon_vma->root->lock);
	if (vma->vm_file)
		lockdep_assert_held(&vma_mapping(vma)->i_mmap_lock);
}

/* ---- file VMAs: i_mmap --------------------------------------------------- */

struct address_space *
vma_mapping(const struct vm_area_struct *vma)
{
	return vma->vm_file ? vma->vm_file->f_inode->i_mapping : NULL;
}

bool
vma_file_linked(const struct vm_area_struct *vma)
{
	return interval_node_linked(&vma->shared) || !list_empty(&vma->nonlinear);
}

/* vma joins its file's i_mmap (a linear VMA, under its page range) or
 * i_mmap_nonlinear. */
static void
i_mmap_insert(struct address_space *mapping, struct vm_area_struct *vma)
{
	lockdep_assert_held(&mapping->i_mmap_lock);
	BUG_ON(vma_file_linked(vma));
	if (vma->vm_flags & VM_NONLINEAR)
		list_add_tail(&vma->nonlinear, &mapping->i_mmap_nonlinear);
	else
		interval_tree_insert(&vma->shared, vma->vm_pgoff, vma_last_pgoff(vma), &mapping->i_mmap);
	mapping->nr_mapped_vmas++;
}

static void
i_mmap_remove(struct address_space *mapping, struct vm_area_struct *vma)
{
	lockdep_assert_held(&mapping->i_mmap_lock);
	BUG_ON(!vma_file_linked(vma));
	if (vma->vm_flags & VM_NONLINEAR)
		list_del_init(&vma->nonlinear);
	else
		interval_tree_remove(&vma->shared, &mapping->i_mmap);
	mapping->nr_mapped_vmas--;
}

void
vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	mutex_lock(&mapping->i_mmap_lock);
	i_mmap_insert(mapping, vma);
	mutex_unlock(&mapping->i_mmap_lock);
}

void
vma_unlink_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	mutex_lock(&mapping->i_mmap_lock);
	i_mmap_remove(mapping, vma);
	mutex_unlock(&mapping->i_mmap_lock);
}

void
vma_set_nonlinear(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	BUG_ON(!mapping || !(vma->vm_flags & VM_SHARED));
	if (vma->vm_flags & VM_NONLINEAR)
		return;
	mutex_lock(&mapping->i_mmap_lock);
	i_mmap_remove(mapping, vma);
	vma->vm_flags |= VM_NONLINEAR;
	i_mmap_insert(mapping, vma);
	mutex_unlock(&mapping->i_mmap_lock);
}

static struct vm_area_struct *
vma_of_shared(struct interval_node *n)
{
	return n ? container_of(n, struct vm_area_struct, shared) : NULL;
}

struct vm_area_struct *
mapping_vma_first(struct address_space *mapping, uint32_t first, uint32_t last)
{
	return vma_of_shared(interval_tree_iter_first(&mapping->i_mmap, first, last));
}

struct vm_area_struct *
mapping_vma_next(struct vm_area_struct *vma, uint32_t first, uint32_t last)
{
	return vma_of_shared(interval_tree_iter_next(&vma->shared, first, last));
}

/* Takes vma out of the interval trees that index it by page range: those
 * of the anon_vmas on its chain and its file's i_mmap (as Linux's
 * anon_vma_interval_tree_pre_update_vma). Their locks held. */
void
vma_rmap_trees_remove(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	assert_rmap_trees_locked(vma);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		avc_tree_remove(avc);
	if (vma->vm_file && !(vma->vm_flags & VM_NONLINEAR))   /* a list keeps no range */
		i_mmap_remove(vma_mapping(vma), vma);
}

/* Puts vma back into them under its new range (..._post_update_vma). */
void
vma_rmap_trees_insert(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	assert_rmap_trees_locked(vma);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		avc_tree_insert(avc);
	if (vma->vm_file && !(vma->vm_flags & VM_NONLINEAR))
		i_mmap_insert(vma_mapping(vma), vma);
}

/* ---- chains: prepare, clone, fork, unlink ------------------------------- */

/* A neighbour's anon_vma that vma may share: adjacent, alike, with pages
 * whose indexes continue into vma's, and not itself shared by fork (a
 * single chain), so the pages of both stay findable through one anon_vma. */
static struct anon_vma *
mergeable_anon_vma(struct vm_area_struct *vma, struct vm_area_struct *near)
{
	if (!near || !near->anon_vma || !list_is_singular(&near->anon_vma_chain))
		return NULL;
	if ((near->vm_flags ^ vma->vm_flags) & ~VM_ACCESS_FLAGS)
		return NULL;
	if (near->vm_end == vma->vm_start &&
	    near->vm_pgoff + vma_pages(near) == vma->vm_pgoff)
		return near->anon_vma;
	if (vma->vm_end == near->vm_start &&
	    vma->vm_pgoff + vma_pages(vma) == near->vm_pgoff)
		return near->anon_vma;
	return NULL;
}

/* Defined in mm/vma.c; declared here to keep vma.h free of rmap. */
struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma);

int
anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *av;
	struct anon_vma_chain *avc;

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	if (vma->anon_vma)
		return 0;
	if (!rmap_caches_ready())
		return -ENOMEM;
	avc = kmem_cache_zalloc(avc_cache);
	if (!avc)
		return -ENOMEM;
	av = mergeable_anon_vma(vma, vma_prev(vma->vm_mm, vma));
	if (!av)
		av = mergeable_anon_vma(vma, vma_next(vma->vm_mm, vma));
	if (!av)
		av = anon_vma_alloc_root();
	if (!av) {
		kmem_cache_free(avc_cache, avc);
		return -ENOMEM;
	}
	anon_vma_lock(av);
	set_vma_anon_vma(vma, av);
	anon_vma_chain_link(vma, avc, av);
	anon_vma_unlock(av);
	return 0;
}

/* An anon_vma on the chain of a VMA being forked that the child may take
 * over instead of a new one: no VMA uses it as its own (its owner has
 * exited or unmapped) and at most one child anon_vma still has VMAs.
 * Its pages stay findable: the child is in its tree, as is every VMA
 * that may map them. A root (its own parent, plus a child) never
 * qualifies. Root lock held. */
static bool
anon_vma_reusable(const struct anon_vma *av)
{
	return av->num_active_vmas == 0 && av->num_children < 2;
}

/* How __anon_vma_clone picks dst's own anon_vma. */
enum clone_own {
	OWN_AS_SRC,            /* split, move, merge: dst's is src's */
	OWN_REUSED_OR_NONE,    /* fork: a reusable one from the chain, or none yet */
};

/* dst joins every anon_vma src is on, and gets its own as own says.
 * Root lock held. */
static int
__anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src, enum clone_own own)
{
	struct anon_vma_chain *pavc;
	struct anon_vma *mine = own == OWN_AS_SRC ? src->anon_vma : NULL;

	lockdep_assert_held(&src->anon_vma->root->lock);
	list_for_each_entry(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = kmem_cache_zalloc(avc_cache);

		if (!avc)
			return -ENOMEM;
		anon_vma_chain_link(dst, avc, pavc->anon_vma);
		if (!mine && anon_vma_reusable(pavc->anon_vma))
			mine = pavc->anon_vma;   /* the oldest that qualifies */
	}
	if (mine)
		set_vma_anon_vma(dst, mine);
	return 0;
}

/* __anon_vma_clone with the family's lock; on failure dst is left with
 * no chains. */
static int
anon_vma_clone_locked(struct vm_area_struct *dst, struct vm_area_struct *src, enum clone_own own)
{
	int err;

	anon_vma_lock(src->anon_vma);
	err = __anon_vma_clone(dst, src, own);
	anon_vma_unlock(src->anon_vma);
	if (err)
		unlink_anon_vmas(dst);
	return err;
}

int
anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	lockdep_assert_held(&dst->vm_mm->mmap_lock);
	BUG_ON(dst->anon_vma || !list_empty(&dst->anon_vma_chain));
	if (!src->anon_vma)
		return 0;
	return anon_vma_clone_locked(dst, src, OWN_AS_SRC);
}

int
anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma *pav = pvma->anon_vma, *av;
	struct anon_vma_chain *avc;
	int err;

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	lockdep_assert_held(&pvma->vm_mm->mmap_lock);
	BUG_ON(vma->anon_vma || !list_empty(&vma->anon_vma_chain));
	if (!pav)
		return 0;
	err = anon_vma_clone_locked(vma, pvma, OWN_REUSED_OR_NONE);
	if (err || vma->anon_vma)
		return err;                      /* failed, or took one over */
	av = anon_vma_alloc();
	avc = av ? kmem_cache_zalloc(avc_cache) : NULL;
	if (!avc) {
		if (av)
			kmem_cache_free(anon_vma_cache, av);
		unlink_anon_vmas(vma);
		return -ENOMEM;
	}
	av->root = pav->root;
	av->parent = pav;
	get_anon_vma(pav);                       /* the child's hold on its parent */
	anon_vma_lock(pav);
	pav->num_children++;
	set_vma_anon_vma(vma, av);               /* the child's COW pages go here */
	anon_vma_chain_link(vma, avc, av);
	anon_vma_unlock(pav);
	return 0;
}

void
unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *tmp;
	struct anon_vma *root;
	LIST_HEAD(gone);

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	if (list_empty(&vma->anon_vma_chain)) {
		vma->anon_vma = NULL;
		return;
	}
	root = list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma)->anon_vma->root;
	mutex_lock(&root->lock);
	list_for_each_entry_safe(avc, tmp, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *av = avc->anon_vma;

		avc_tree_remove(avc);
		if (RB_EMPTY_ROOT(&av->rb_root))
			av->parent->num_children--;   /* no VMA left: not a live child */
		list_move_tail(&avc->same_vma, &gone);
	}
	if (vma->anon_vma)
		vma->anon_vma->num_active_vmas--;
	vma->anon_vma = NULL;
	mutex_unlock(&root->lock);
	/* outside the lock: dropping the last reference may free the root */
	list_for_each_entry_safe(avc, tmp, &gone, same_vma) {
		put_anon_vma(avc->anon_vma);
		kmem_cache_free(avc_cache, avc);
	}
}

/* ---- mapcount bookkeeping ---------------------------------------------- */

static void
set_page_anon_vma(struct page *page, struct anon_vma *av)
{
	get_anon_vma(av);
	page->mapping = (void *)((uintptr_t)av | PAGE_MAPPING_ANON);
}

void
page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, uint32_t addr)
{
	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	BUG_ON(page->_mapcount != -1 || page->mapping || !vma->anon_vma);
	page->_mapcount = 0;
	page->index = linear_page_index(vma, addr);
	set_page_anon_vma(page, vma->anon_vma);
	lru_cache_add(page);
}

void
page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, uint32_t addr, bool exclusive)
{
	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	assert_page_locked(page);
	if (!page->mapping) {
		/* mapped for the first time since it came back from swap: the
		 * anon_vma must reach every VMA that may map it, vma's own if no
		 * one else can, else the root of vma's family (whose tree holds
		 * every VMA of the family: Linux's __page_set_anon_rmap) */
		BUG_ON(!vma->anon_vma || page_mapcount(page));
		page->index = linear_page_index(vma, addr);
		set_page_anon_vma(page, exclusive ? vma->anon_vma : vma->anon_vma->root);
		lru_cache_add(page);
	}
	BUG_ON(!PageAnon(page) || page->index != linear_page_index(vma, addr));
	page_dup_rmap(page);
}

void
page_move_anon_rmap(struct page *page, struct vm_area_struct *vma)
{
	struct anon_vma *old = page_anon_vma(page);

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (old == vma->anon_vma)
		return;
	set_page_anon_vma(page, vma->anon_vma);
	put_anon_vma(old);
}

void
page_dup_rmap(struct page *page)
{
	uint32_t flags;

	assert_preemption_disabled();            /* a PTE change: page_table_lock held */
	flags = local_irq_save();

	if (++page->_mapcount == 0 && page_mapping(page))
		mod_node_page_state(NR_FILE_MAPPED, 1);
	local_irq_restore(flags);
}

void
page_remove_rmap(struct page *page)
{
	uint32_t flags;

	assert_preemption_disabled();            /* a PTE change: page_table_lock held */
	flags = local_irq_save();

	if (page->_mapcount < 0) {
		local_irq_restore(flags);
		dump_page(page, "page_remove_rmap: not mapped");
		BUG();
	}
	if (--page->_mapcount < 0 && page_mapping(page))
		mod_node_page_state(NR_FILE_MAPPED, -1);
	local_irq_restore(flags);
	if (PageSwapCache(page) && page->_mapcount < 0)
		free_swap_cache(page);           /* its slot is needed no more, perhaps */
}

void
page_clear_rmap_on_free(struct page *page)
{
	struct anon_vma *av = page_anon_vma(page);

	page->mapping = NULL;
	if (av)
		put_anon_vma(av);
}

/* ---- walking ----------------------------------------------------------- */

bool
pte_maps_page(pte_t pte, const struct page *page)
{
	return pte_mapped(pte) && pte_pfn(pte) == page_to_pfn(page);
}

static void __attribute__((noinline, noreturn))
misfiled_vma(const struct page *page, const struct vm_area_struct *vma)
{
	panic("rmap_walk: VMA [%#x, %#x) pgoff %#x was found for page index %#x",
	      vma->vm_start, vma->vm_end, vma->vm_pgoff, page->index);
}

/* Visits (vma, addr) for page if a page table exists there; false to
 * stop. The trees hand out only VMAs whose range covers the page (the
 * range they were filed under is the VMA's, under the lock we hold).
 * Inline: it is the body of the walk's loop, run once per VMA. */
static inline __attribute__((always_inline)) bool
visit_vma(struct page *page, struct vm_area_struct *vma, const struct rmap_walk_control *rwc,
	  int *visited)
{
	struct mm_struct *mm = vma->vm_mm;
	uint32_t addr;
	pte_t *ptep;
	bool go_on;

	(*visited)++;
	if (!vma_address(page, vma, &addr))
		misfiled_vma(page, vma);
	ptep = pte_lookup(mm->pgd, addr);
	if (!ptep)
		return true;
	spin_lock(&mm->page_table_lock);
	go_on = rwc->visit(page, vma, addr, ptep, rwc->arg);
	spin_unlock(&mm->page_table_lock);
	return go_on;
}

static int
rmap_walk_anon(struct page *page, struct anon_vma *av, const struct rmap_walk_control *rwc)
{
	struct anon_vma_chain *avc;
	int visited = 0;

	get_anon_vma(av);                        /* keep it while we sleep on the lock */
	if (!rwc->try_lock)
		anon_vma_lock(av);
	else if (!mutex_trylock(&av->root->lock)) {
		put_anon_vma(av);
		return -EAGAIN;
	}
	anon_vma_for_each_vma(avc, av, page->index, page->index)
		if (!visit_vma(page, avc->vma, rwc, &visited))
			break;
	anon_vma_unlock(av);
	put_anon_vma(av);
	return visited;
}

/* What the search of a nonlinear VMA's page tables for one page needs. */
struct nonlinear_search {
	struct page *page;
	struct vm_area_struct *vma;
	const struct rmap_walk_control *rwc;
};

/* True if pte may stand for the frame pfn: it maps it, or it is a
 * migration entry (which may name another frame: remove_migration_ptes
 * walks the new page for entries naming the old one; visitors check). */
static inline bool
pte_may_refer_to(pte_t pte, uint32_t pfn)
{
	return (pte_mapped(pte) && pte_pfn(pte) == pfn) || is_migration_entry(pte);
}

/* pte_table of the search: visits each slot of [addr, end) that may
 * stand for the page; 1 stops the walk. => page_table_lock held. */
static int
nonlinear_search_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	struct nonlinear_search *ns = walk->private;
	uint32_t pfn = page_to_pfn(ns->page);

	for (; addr != end; addr += PAGE_SIZE, ptep++)
		if (pte_may_refer_to(*ptep, pfn) &&
		    !ns->rwc->visit(ns->page, ns->vma, addr, ptep, ns->rwc->arg))
			return 1;
	return 0;
}

static const struct mm_walk_ops nonlinear_search_ops = { .pte_table = nonlinear_search_table,
							 .flags = WALK_LOCK_PTL };

/* Visits every PTE of the nonlinear vma that may map page: in such a VMA
 * the page can be anywhere, even at several addresses, so its page tables
 * are searched (Linux's try_to_unmap_nonlinear, made exact). False to stop. */
static bool
search_nonlinear_vma(struct page *page, struct vm_area_struct *vma,
		     const struct rmap_walk_control *rwc, int *visited)
{
	struct nonlinear_search ns = { page, vma, rwc };

	(*visited)++;
	return !walk_vma_range_rmap(vma, vma->vm_start, vma->vm_end, &nonlinear_search_ops, &ns);
}

static int
rmap_walk_file(struct page *page, struct address_space *mapping, const struct rmap_walk_control *rwc)
{
	struct vm_area_struct *vma;
	int visited = 0;

	if (!rwc->try_lock)
		mutex_lock(&mapping->i_mmap_lock);
	else if (!mutex_trylock(&mapping->i_mmap_lock))
		return -EAGAIN;
	mapping_for_each_vma(vma, mapping, page->index, page->index)
		if (!visit_vma(page, vma, rwc, &visited))
			goto out;
	list_for_each_entry(vma, &mapping->i_mmap_nonlinear, nonlinear)
		if (!search_nonlinear_vma(page, vma, rwc, &visited))
			break;
out:
	mutex_unlock(&mapping->i_mmap_lock);
	return visited;
}

int
rmap_walk(struct page *page, const struct rmap_walk_control *rwc)
{
	struct anon_vma *av = page_anon_vma(page);
	struct address_space *mapping = page_mapping(page);
	int visited = 0;

	/* the walk contract (rmap.h): no mmap_lock of another mm, unless the
	 * rmap checker's (it holds them all, under migrate_mutex) */
	BUG_ON(lockrank_held(LC_MMAP) > (current->mm && mutex_owned(&current->mm->mmap_lock)) &&
	       !mutex_owned(&migrate_mutex));
	if (av)
		visited = rmap_walk_anon(page, av, rwc);
	else if (mapping)
		visited = rmap_walk_file(page, mapping, rwc);
	count_vm_event(RMAP_WALK);
	if (visited > 0)
		count_vm_events(RMAP_WALK_VMAS, (unsigned long)visited);
	return visited;
}

/* ---- walkers built on rmap_walk ---------------------------------------- */

struct count_arg {
	int count;
	struct page *old;                /* remove_migration_ptes: the frame moved from */
};

static bool
referenced_one(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct count_arg *c = arg;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (pte_maps_page(*ptep, page) && pte_young(*ptep)) {
		set_pte(ptep, pte_mkold(*ptep));
		flush_tlb_range(vma->vm_mm->pgd, addr, addr + PAGE_SIZE);
		c->count++;
	}
	return true;
}

/* Walks page's mappings with visit; how many it acted on. */
static int
count_walk(struct page *walked, struct page *old,
	   bool (*visit)(struct page *, struct vm_area_struct *, uint32_t, pte_t *, void *))
{
	struct count_arg c = { 0, old };
	struct rmap_walk_control rwc = { .arg = &c, .visit = visit };

	rmap_walk(walked, &rwc);
	return c.count;
}

int
page_referenced(struct page *page)
{
	return count_walk(page, NULL, referenced_one);
}

int
page_referenced_reclaim(struct page *page)
{
	struct count_arg c = { 0, NULL };
	struct rmap_walk_control rwc = { .arg = &c, .visit = referenced_one, .try_lock = true };

	if (!page_mapcount(page))
		return 0;
	return rmap_walk(page, &rwc) < 0 ? -EAGAIN : c.count;
}

static bool
migrate_one(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct count_arg *c = arg;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!pte_maps_page(*ptep, page))
		return true;
	if (pte_dirty(*ptep))
		SetPageFlag(page, PG_dirty);
	set_pte(ptep, make_migration_entry(page, pte_write(*ptep)));
	flush_tlb_range(vma->vm_mm->pgd, addr, addr + PAGE_SIZE);
	page_remove_rmap(page);
	put_page(page);
	c->count++;
	return true;
}

int
try_to_migrate(struct page *page)
{
	assert_page_locked(page);
	return count_walk(page, NULL, migrate_one);
}

/* The PTE that puts page back where a migration entry was: the VMA's
 * protection, writable only if it was before (a COW-shared page stays
 * read-only). */
static pte_t
pte_after_migration(struct vm_area_struct *vma, pte_t entry, struct page *page)
{
	pteval_t prot = vma->vm_page_prot | _PAGE_ACCESSED;

	if (!vma->vm_page_prot)                  /* PROT_NONE: mapped, never accessible */
		return pfn_pte(page_to_pfn(page), _PAGE_PROTNONE);
	if (!is_write_migration_entry(entry))
		prot &= ~_PAGE_RW;
	else
		prot |= _PAGE_RW;                /* vm_page_prot may lack it: writenotify */
	if (PageFlag(page, PG_dirty))
		prot |= _PAGE_DIRTY;
	return pfn_pte(page_to_pfn(page), prot);
}

static bool
restore_one(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct count_arg *c = arg;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!is_migration_entry(*ptep) || migration_entry_to_page(*ptep) != c->old)
		return true;
	get_page(page);
	page_dup_rmap(page);
	set_pte(ptep, pte_after_migration(vma, *ptep, page));
	c->count++;
	return true;
}

void
remove_migration_ptes(struct page *old, struct page *new)
{
	assert_page_locked(old);
	/* new has old's mapping and index by now, so its walk visits the same
	 * PTEs; each entry naming old is pointed at the walked page. */
	count_walk(new ? new : old, old, restore_one);
}

pte_t
pte_after_unmap(const struct vm_area_struct *vma, uint32_t addr, const struct page *page)
{
	if ((vma->vm_flags & VM_NONLINEAR) && page->index != linear_page_index(vma, addr))
		return pgoff_to_pte(page->index);
	return (pte_t){ 0 };
}

static bool
unmap_one(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct count_arg *c = arg;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!pte_maps_page(*ptep, page))
		return true;
	set_pte(ptep, pte_after_unmap(vma, addr, page));
	flush_tlb_range(vma->vm_mm->pgd, addr, addr + PAGE_SIZE);
	vma->vm_mm->rss--;
	page_remove_rmap(page);
	put_page(page);
	c->count++;
	return true;
}

int
try_to_unmap(struct page *page)
{
	return count_walk(page, NULL, unmap_one);
}

/* What reclaim's unmap met. */
struct reclaim_unmap {
	bool mlocked;                    /* a VM_LOCKED VMA maps the page */
	bool failed;                     /* a swap count was full */
};

/* The PTE mapping page (locked; an anonymous one in the swap cache)
 * becomes the swap PTE of its slot, or what a file page leaves behind;
 * a dirty PTE dirties the page. */
static bool
reclaim_unmap_one(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep,
		  void *arg)
{
	struct reclaim_unmap *r = arg;
	struct mm_struct *mm = vma->vm_mm;
	pte_t pte = *ptep;

	lockdep_assert_held(&mm->page_table_lock);
	if (!pte_maps_page(pte, page))
		return true;
	if (vma->vm_flags & VM_LOCKED) {
		r->mlocked = true;
		return false;
	}
	if (PageAnon(page)) {
		if (swap_duplicate(page_swap_entry(page))) {
			r->failed = true;
			return false;
		}
		set_pte(ptep, swp_entry_to_pte(page_swap_entry(page)));
		mm->swap_ents++;
	} else {
		set_pte(ptep, pte_after_unmap(vma, addr, page));
	}
	flush_tlb_range(mm->pgd, addr, addr + PAGE_SIZE);
	if (pte_dirty(pte))
		SetPageFlag(page, PG_dirty);
	mm->rss--;
	page_remove_rmap(page);
	put_page(page);
	return true;
}

enum unmap_result
try_to_unmap_reclaim(struct page *page)
{
	struct reclaim_unmap r = { false, false };
	struct rmap_walk_control rwc = { .arg = &r, .visit = reclaim_unmap_one, .try_lock = true };

	assert_page_locked(page);
	BUG_ON(PageAnon(page) && !PageSwapCache(page));
	if (rmap_walk(page, &rwc) < 0)
		return UNMAP_AGAIN;
	if (r.mlocked)
		return UNMAP_MLOCKED;
	return page_mapcount(page) ? UNMAP_AGAIN : UNMAP_DONE;
}

static bool
mkclean_one(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct count_arg *c = arg;
	pte_t pte = *ptep;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!(vma->vm_flags & VM_SHARED) || !pte_present(pte) || !pte_maps_page(pte, page) ||
	    !(pte_write(pte) || pte_dirty(pte)))
		return true;
	set_pte(ptep, pte_mkclean(pte_wrprotect(pte)));
	flush_tlb_range(vma->vm_mm->pgd, addr, addr + PAGE_SIZE);
	c->count++;
	return true;
}

int
page_mkclean(struct page *page)
{
	assert_page_locked(page);
	return count_walk(page, NULL, mkclean_one);
}
