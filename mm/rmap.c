/*
 * mm/rmap.c — reverse mapping: anon_vma chains, shmem VMA lists, and the
 * walk from a page to every PTE that maps it (see rmap.h for the picture).
 *
 * Invariants:
 *   - every anonymous page of a VMA belongs (page->mapping) to an anon_vma
 *     that has an anon_vma_chain to that VMA;
 *   - page_mapcount(page) == the number of PTEs mapping the page;
 *   - an anon_vma's refcount counts the avcs on its list, the pages that
 *     point at it and the child anon_vmas whose parent it is; at zero it is
 *     freed (its list is then necessarily empty) and its parent released.
 *
 * Locks, outermost first:
 *   mm->mmap_lock                 (changers of chains and of VMA ranges)
 *     page lock                   (migration; rmap_walk may be under it)
 *       anon_vma->root->lock      mutex, or shmem_object->i_mmap_lock
 *         mm->page_table_lock     spin, around each PTE a walk visits
 * Refcounts and mapcounts change with interrupts off (uniprocessor atomics).
 */
#include <mm/rmap.h>
#include <mm/pgtable.h>
#include <mm/migrate.h>
#include <mm/page_lock.h>
#include <mm/shmem.h>
#include <mm/slab.h>
#include <mm/swapops.h>
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

/* A new anon_vma, its own root and parent, with no references yet. */
static struct anon_vma *
anon_vma_alloc(void)
{
	struct anon_vma *av = kmem_cache_zalloc(anon_vma_cache);

	if (!av)
		return NULL;
	av->root = av;
	av->parent = av;
	mutex_init(&av->lock, "anon_vma");
	INIT_LIST_HEAD(&av->head);
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
		BUG_ON(!list_empty(&av->head));
		kmem_cache_free(anon_vma_cache, av);
		av = parent;                     /* drop the child's reference on it */
	}
}

static void anon_vma_lock(struct anon_vma *av)   { mutex_lock(&av->root->lock); }
static void anon_vma_unlock(struct anon_vma *av) { mutex_unlock(&av->root->lock); }

/* Links vma and av through avc. Root lock held (or av not yet visible). */
static void
anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc, struct anon_vma *av)
{
	lockdep_assert_held(&av->root->lock);
	avc->vma = vma;
	avc->anon_vma = av;
	list_add_tail(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &av->head);
	get_anon_vma(av);
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

void
vma_set_range(struct vm_area_struct *vma, uint32_t start, uint32_t end, uint32_t pgoff)
{
	struct anon_vma *av = vma->anon_vma;

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	if (av)
		anon_vma_lock(av);
	if (vma->vm_shmem)
		mutex_lock(&vma->vm_shmem->i_mmap_lock);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	if (vma->vm_shmem)
		mutex_unlock(&vma->vm_shmem->i_mmap_lock);
	if (av)
		anon_vma_unlock(av);
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
		av = anon_vma_alloc();
	if (!av) {
		kmem_cache_free(avc_cache, avc);
		return -ENOMEM;
	}
	anon_vma_lock(av);
	vma->anon_vma = av;
	anon_vma_chain_link(vma, avc, av);
	anon_vma_unlock(av);
	return 0;
}

/* dst joins every anon_vma src is on. Root lock held. */
static int
__anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma_chain *pavc;

	lockdep_assert_held(&src->anon_vma->root->lock);
	list_for_each_entry(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = kmem_cache_zalloc(avc_cache);

		if (!avc)
			return -ENOMEM;
		anon_vma_chain_link(dst, avc, pavc->anon_vma);
	}
	dst->anon_vma = src->anon_vma;
	return 0;
}

int
anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	int err;

	lockdep_assert_held(&dst->vm_mm->mmap_lock);
	if (!src->anon_vma)
		return 0;
	anon_vma_lock(src->anon_vma);
	err = __anon_vma_clone(dst, src);
	anon_vma_unlock(src->anon_vma);
	if (err)
		unlink_anon_vmas(dst);
	return err;
}

int
anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma *pav = pvma->anon_vma, *av;
	struct anon_vma_chain *avc;
	int err;

	lockdep_assert_held(&vma->vm_mm->mmap_lock);
	lockdep_assert_held(&pvma->vm_mm->mmap_lock);
	if (!pav)
		return 0;
	av = anon_vma_alloc();
	avc = av ? kmem_cache_zalloc(avc_cache) : NULL;
	if (!avc) {
		if (av)
			kmem_cache_free(anon_vma_cache, av);
		return -ENOMEM;
	}
	av->root = pav->root;
	av->parent = pav;
	get_anon_vma(pav);                       /* the child's hold on its parent */
	anon_vma_lock(pav);
	err = __anon_vma_clone(vma, pvma);
	if (!err) {
		vma->anon_vma = av;              /* the child's COW pages go here */
		anon_vma_chain_link(vma, avc, av);
	}
	anon_vma_unlock(pav);
	if (err) {
		kmem_cache_free(avc_cache, avc);
		vma->anon_vma = NULL;
		unlink_anon_vmas(vma);
		put_anon_vma(av->refcount ? av : pav);
		if (!av->refcount)
			kmem_cache_free(anon_vma_cache, av);
	}
	return err;
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
		list_del(&avc->same_anon_vma);
		list_move_tail(&avc->same_vma, &gone);
	}
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

	page->_mapcount++;
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
	page->_mapcount--;
	local_irq_restore(flags);
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

/* Visits (vma, addr) for page if vma's range covers it and a page table
 * exists there; false to stop. */
static bool
visit_vma(struct page *page, struct vm_area_struct *vma, const struct rmap_walk_control *rwc,
	  int *visited)
{
	struct mm_struct *mm = vma->vm_mm;
	uint32_t addr;
	pte_t *ptep;
	bool go_on;

	if (!vma_address(page, vma, &addr))
		return true;
	(*visited)++;
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
	anon_vma_lock(av);
	list_for_each_entry(avc, &av->head, same_anon_vma)
		if (!visit_vma(page, avc->vma, rwc, &visited))
			break;
	anon_vma_unlock(av);
	put_anon_vma(av);
	return visited;
}

static int
rmap_walk_shmem(struct page *page, struct shmem_object *obj, const struct rmap_walk_control *rwc)
{
	struct vm_area_struct *vma;
	int visited = 0;

	mutex_lock(&obj->i_mmap_lock);
	list_for_each_entry(vma, &obj->i_mmap, shared)
		if (!visit_vma(page, vma, rwc, &visited))
			break;
	mutex_unlock(&obj->i_mmap_lock);
	return visited;
}

int
rmap_walk(struct page *page, const struct rmap_walk_control *rwc)
{
	struct anon_vma *av = page_anon_vma(page);
	struct shmem_object *obj = page_shmem_object(page);
	int visited = 0;

	/* the walk contract (rmap.h): no mmap_lock of another mm, unless the
	 * rmap checker's (it holds them all, under migrate_mutex) */
	BUG_ON(lockrank_held(LC_MMAP) > (current->mm && mutex_owned(&current->mm->mmap_lock)) &&
	       !mutex_owned(&migrate_mutex));
	if (av)
		visited = rmap_walk_anon(page, av, rwc);
	else if (obj)
		visited = rmap_walk_shmem(page, obj, rwc);
	count_vm_event(RMAP_WALK);
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
	struct rmap_walk_control rwc = { &c, visit };

	rmap_walk(walked, &rwc);
	return c.count;
}

int
page_referenced(struct page *page)
{
	return count_walk(page, NULL, referenced_one);
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

static bool
unmap_one(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct count_arg *c = arg;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!pte_maps_page(*ptep, page))
		return true;
	set_pte(ptep, (pte_t){ 0 });
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
