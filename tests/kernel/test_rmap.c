/*
 * tests/kernel/test_rmap.c — reverse mapping on address spaces built in
 * the kernel: after constructed fork / COW / mremap / split sequences,
 * rmap_walk must find exactly the (mm, address) pairs that map a page —
 * no fewer (a page could not be moved) and no more — and the consistency
 * checker must agree. Migration must move a shared page under all of them.
 */
#include <kernel/ktest.h>
#include "mm_fixture.h"
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/migrate.h>
#include <mm/pgtable.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <libk/string.h>

#define BASE       0x40000000u
#define MOVED_BASE 0x50000000u
#define PAGES      8
/* An mm with PAGES pages at BASE (private, or shared), all written. */
static struct mm_struct *
mm_with_pages(uint32_t type)
{
	return mm_with_written_pages(BASE, PAGES, type);
}

static int
checker(struct mm_struct *a, struct mm_struct *b, struct mm_struct *c)
{
	struct mm_struct *mms[3] = { a, b, c };

	return rmap_check_mms(mms, c ? 3 : 2, true);
}

/* find_vma for a test that must not hold mmap_lock afterwards (the
 * checker takes it): the VMA stays, nothing else runs in the test's mm. */
static struct vm_area_struct *
find_vma_unlocked(struct mm_struct *mm, uint32_t addr)
{
	struct vm_area_struct *vma;

	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	mutex_unlock(&mm->mmap_lock);
	return vma;
}

KTEST(rmap_fork_tree_and_cow)
{
	struct mm_struct *parent = mm_with_pages(MAP_PRIVATE), *child, *grandchild;
	struct page *shared, *copy;
	struct found f;

	KT_CHECK(parent, "setting up the parent failed");
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	grandchild = dup_mm(child);
	KT_CHECK(grandchild, "second fork failed");
	shared = page_at(parent, BASE);
	f = rmap_walk_found(shared);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { parent, BASE }, { child, BASE },
					  { grandchild, BASE } }, 3),
		 "page shared by three generations: rmap_walk found %d mappings", f.n);
	KT_CHECK(page_mapcount(shared) == 3, "mapcount %d, 3 PTEs", page_mapcount(shared));

	KT_CHECK(touch(child, BASE + PAGE_SIZE, FAULT_WRITE), "child COW fault failed");
	copy = page_at(child, BASE + PAGE_SIZE);
	f = rmap_walk_found(copy);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { child, BASE + PAGE_SIZE } }, 1),
		 "child's COW copy: found %d mappings, expected only the child's", f.n);
	f = rmap_walk_found(page_at(parent, BASE + PAGE_SIZE));
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { parent, BASE + PAGE_SIZE },
					  { grandchild, BASE + PAGE_SIZE } }, 2),
		 "original after the child's copy: found %d mappings", f.n);
	KT_CHECK(checker(parent, child, grandchild) == 0, "checker found mismatches");
	mmput(grandchild);
	f = rmap_walk_found(shared);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { parent, BASE }, { child, BASE } }, 2),
		 "after the grandchild exited: found %d mappings", f.n);
	mmput(child);
	mmput(parent);
}

KTEST(rmap_mremap_after_fork)
{
	struct mm_struct *parent = mm_with_pages(MAP_PRIVATE), *child;
	struct page *page;
	struct found f;

	KT_CHECK(parent, "setting up the parent failed");
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	page = page_at(parent, BASE + 3 * PAGE_SIZE);
	KT_CHECK(do_mremap(child, BASE, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE, 1 | 2, MOVED_BASE)
		 == (long)MOVED_BASE, "child's mremap failed");
	KT_CHECK(page_at(child, MOVED_BASE + 3 * PAGE_SIZE) == page, "the page did not move with its PTE");
	f = rmap_walk_found(page);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { parent, BASE + 3 * PAGE_SIZE },
					  { child, MOVED_BASE + 3 * PAGE_SIZE } }, 2),
		 "after mremap: found %d mappings", f.n);
	KT_CHECK(checker(parent, child, NULL) == 0, "checker found mismatches");
	mmput(child);
	mmput(parent);
}

KTEST(rmap_split_by_munmap)
{
	struct mm_struct *parent = mm_with_pages(MAP_PRIVATE), *child;
	struct page *hole, *after;
	struct found f;

	KT_CHECK(parent, "setting up the parent failed");
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	hole = page_at(parent, BASE + 4 * PAGE_SIZE);
	after = page_at(parent, BASE + 5 * PAGE_SIZE);
	mutex_lock(&child->mmap_lock);
	KT_CHECK(do_munmap(child, BASE + 4 * PAGE_SIZE, PAGE_SIZE) == 0, "munmap failed");
	mutex_unlock(&child->mmap_lock);
	KT_CHECK(child->map_count == 2, "%d VMAs after a hole", child->map_count);
	f = rmap_walk_found(hole);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { parent, BASE + 4 * PAGE_SIZE } }, 1),
		 "unmapped in the child: found %d mappings", f.n);
	f = rmap_walk_found(after);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { parent, BASE + 5 * PAGE_SIZE },
					  { child, BASE + 5 * PAGE_SIZE } }, 2),
		 "page in the child's upper half: found %d mappings", f.n);
	KT_CHECK(checker(parent, child, NULL) == 0, "checker found mismatches");
	mmput(child);
	mmput(parent);
}

KTEST(rmap_shared_anon_and_migration)
{
	struct mm_struct *parent = mm_with_pages(MAP_SHARED), *child;
	struct page *old, *newpage;
	uint32_t addr = BASE + 2 * PAGE_SIZE;
	struct found f;

	KT_CHECK(parent, "setting up the parent failed");
	memset(page_address(page_at(parent, addr)), 0x5a, PAGE_SIZE);
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	KT_CHECK(touch(child, addr, FAULT_READ), "child fault failed");
	old = page_at(parent, addr);
	KT_CHECK(page_at(child, addr) == old, "shared page differs between parent and child");
	f = rmap_walk_found(old);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { parent, addr }, { child, addr } }, 2),
		 "shared anonymous page: found %d mappings", f.n);

	newpage = alloc_page(GFP_KERNEL);
	KT_CHECK(newpage, "no page to migrate to");
	get_page(old);
	KT_CHECK(migrate_page_to(old, newpage) == 0, "migration failed");
	KT_CHECK(page_at(parent, addr) == newpage && page_at(child, addr) == newpage,
		 "a PTE still maps the old frame");
	KT_CHECK(page_mapcount(old) == 0 && page_count(old) == 1,
		 "old frame: mapcount %d count %d", page_mapcount(old), page_count(old));
	KT_CHECK(((unsigned char *)page_address(newpage))[PAGE_SIZE - 1] == 0x5a,
		 "contents did not move");
	f = rmap_walk_found(newpage);
	KT_CHECK(f.n == 2, "new frame: found %d mappings", f.n);
	KT_CHECK(checker(parent, child, NULL) == 0, "checker found mismatches");
	put_page(old);
	mmput(child);
	mmput(parent);
}

KTEST(rmap_referenced_and_unmap)
{
	struct mm_struct *parent = mm_with_pages(MAP_PRIVATE), *child;
	struct page *page;
	int refs_before;

	KT_CHECK(parent, "setting up the parent failed");
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	KT_CHECK(touch(child, BASE, FAULT_READ), "child read failed");
	page = page_at(parent, BASE);
	KT_CHECK(page_referenced(page) == 2, "both PTEs were accessed, page_referenced says otherwise");
	KT_CHECK(page_referenced(page) == 0, "page_referenced did not clear the accessed bits");
	KT_CHECK(touch(child, BASE, FAULT_READ), "child read failed");
	KT_CHECK(page_referenced(page) == 1, "one PTE accessed again: page_referenced %d",
		 page_referenced(page));
	refs_before = page_count(page);
	get_page(page);
	KT_CHECK(try_to_unmap(page) == 2, "try_to_unmap did not clear both PTEs");
	KT_CHECK(page_at(parent, BASE) == NULL && page_at(child, BASE) == NULL, "a PTE still maps it");
	KT_CHECK(page_mapcount(page) == 0 && page_count(page) == refs_before - 1,
		 "after unmap: mapcount %d count %d", page_mapcount(page), page_count(page));
	put_page(page);
	KT_CHECK(checker(parent, child, NULL) == 0, "checker found mismatches");
	mmput(child);
	mmput(parent);
}

/* The checker is only worth running if it can say no: a page whose
 * mapcount claims one PTE too many, or too few, must be reported. */
KTEST(rmap_checker_finds_corruption)
{
	struct mm_struct *parent = mm_with_pages(MAP_PRIVATE), *child;
	struct page *page;

	KT_CHECK(parent, "setting up the parent failed");
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	page = page_at(parent, BASE);
	KT_CHECK(checker(parent, child, NULL) == 0, "checker found mismatches before the damage");
	page->_mapcount++;
	KT_CHECK(checker(parent, child, NULL) >= 1, "a mapcount one too high went unnoticed");
	page->_mapcount -= 2;
	KT_CHECK(checker(parent, child, NULL) >= 1, "a mapcount one too low went unnoticed");
	page->_mapcount++;
	KT_CHECK(checker(parent, child, NULL) == 0, "checker still finds mismatches after the repair");
	mmput(child);
	mmput(parent);
}

/* ---- anon_vma reuse ------------------------------------------------------ */

#define GENERATIONS     400
#define GEN_BASELINE    10
#define MAX_CHAIN       3     /* root, an exited ancestor's, the survivor's */

static int
chain_length(const struct vm_area_struct *vma)
{
	const struct list_head *p;
	int n = 0;

	list_for_each(p, &vma->anon_vma_chain)
		n++;
	return n;
}

/* Regression: each fork-then-parent-exits generation gave every VMA a new
 * anon_vma and one more chain entry, kept for good, so the survivor's
 * metadata (and each fork's cost) grew with the generations. Now a fork
 * takes over an exited ancestor's anon_vma: the chain and the number of
 * anon_vmas and avcs stay put after the first few generations, and every
 * page stays findable. */
KTEST(rmap_fork_generations_chain_bounded)
{
	struct mm_struct *mm = mm_with_pages(MAP_PRIVATE);
	struct rmap_usage base = { 0 }, end;
	struct vm_area_struct *vma;
	struct found f;

	KT_CHECK(mm, "setting up generation 0 failed");
	for (int gen = 1; gen <= GENERATIONS; gen++) {
		struct mm_struct *child = dup_mm(mm);

		KT_CHECK(child, "fork of generation %d failed", gen);
		mmput(mm);                       /* the parent exits */
		mm = child;
		/* a COW-shared page written now is the survivor's alone */
		KT_CHECK(touch(mm, BASE + (gen % PAGES) * PAGE_SIZE, FAULT_WRITE),
			 "generation %d: write fault failed", gen);
		if (gen == GEN_BASELINE)
			rmap_get_usage(&base);
	}
	rmap_get_usage(&end);
	vma = find_vma_unlocked(mm, BASE);
	KT_CHECK(chain_length(vma) <= MAX_CHAIN, "chain of %d entries after %d generations",
		 chain_length(vma), GENERATIONS);
	KT_CHECK(end.anon_vmas <= base.anon_vmas && end.avcs <= base.avcs,
		 "anon_vmas %lu -> %lu, avcs %lu -> %lu between generations %d and %d",
		 base.anon_vmas, end.anon_vmas, base.avcs, end.avcs, GEN_BASELINE, GENERATIONS);
	for (uint32_t i = 0; i < PAGES; i++) {
		f = rmap_walk_found(page_at(mm, BASE + i * PAGE_SIZE));
		KT_CHECK(found_exactly(&f, (struct mapping[]){ { mm, BASE + i * PAGE_SIZE } }, 1),
			 "page %u of the survivor: rmap_walk found %d mappings", i, f.n);
	}
	KT_CHECK(rmap_check_mms(&mm, 1, true) == 0, "checker found mismatches");
	mmput(mm);
}

/* A taken-over anon_vma's old pages and the new owner's COW copies must
 * both be found from it, by every process that maps them. */
KTEST(rmap_anon_vma_reuse_keeps_pages_findable)
{
	struct mm_struct *a = mm_with_pages(MAP_PRIVATE), *b, *c, *d;
	struct page *written_by_b, *copied_by_d;
	struct found f;

	KT_CHECK(a, "setting up the first process failed");
	b = dup_mm(a);
	KT_CHECK(b, "fork failed");
	mmput(a);                                /* b's parent exits */
	KT_CHECK(touch(b, BASE + PAGE_SIZE, FAULT_WRITE), "b's write failed");
	written_by_b = page_at(b, BASE + PAGE_SIZE);
	c = dup_mm(b);
	KT_CHECK(c, "fork failed");
	mmput(b);                                /* c's parent exits: b's anon_vma is free */
	d = dup_mm(c);
	KT_CHECK(d, "fork failed");
	KT_CHECK(find_vma_unlocked(d, BASE)->anon_vma == page_anon_vma(written_by_b),
		 "d did not take over the anon_vma its exited grandparent b owned");
	f = rmap_walk_found(written_by_b);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { c, BASE + PAGE_SIZE },
					  { d, BASE + PAGE_SIZE } }, 2),
		 "b's page, shared by c and d: found %d mappings", f.n);
	KT_CHECK(touch(d, BASE + 2 * PAGE_SIZE, FAULT_WRITE), "d's COW fault failed");
	copied_by_d = page_at(d, BASE + 2 * PAGE_SIZE);
	KT_CHECK(page_anon_vma(copied_by_d) == find_vma_unlocked(d, BASE)->anon_vma,
		 "d's copy is not on d's anon_vma");
	f = rmap_walk_found(copied_by_d);
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { d, BASE + 2 * PAGE_SIZE } }, 1),
		 "d's copy: found %d mappings", f.n);
	f = rmap_walk_found(page_at(c, BASE + 2 * PAGE_SIZE));
	KT_CHECK(found_exactly(&f, (struct mapping[]){ { c, BASE + 2 * PAGE_SIZE } }, 1),
		 "c's page after d copied it: found %d mappings", f.n);
	KT_CHECK(checker(c, d, NULL) == 0, "checker found mismatches");
	mmput(d);
	mmput(c);
}

/* ---- interval trees: a walk examines only the VMAs covering the page ---- */

#define SPLIT_PAGES 200

/* Gives the page at addr of mm the flags of its VMA minus VM_WRITE, or
 * back with it: one mprotect-like step that splits or merges. */
static bool
set_page_writable(struct mm_struct *mm, uint32_t addr, bool writable)
{
	struct vm_area_struct *vma;
	uint32_t flags;

	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	flags = writable ? vma->vm_flags | VM_WRITE : vma->vm_flags & ~VM_WRITE;
	vma = vma_modify_flags(mm, vma, addr, addr + PAGE_SIZE, flags);
	mutex_unlock(&mm->mmap_lock);
	return vma != NULL;
}

/* An mm with SPLIT_PAGES touched pages at BASE (private or shared), every
 * other page read-only: SPLIT_PAGES VMAs. */
static struct mm_struct *
mm_with_split_pages(uint32_t type)
{
	struct mm_struct *mm = mm_with_written_pages(BASE, SPLIT_PAGES, type);

	for (uint32_t i = 1; mm && i < SPLIT_PAGES; i += 2)
		if (!set_page_writable(mm, BASE + i * PAGE_SIZE, false)) {
			mmput(mm);
			return NULL;
		}
	return mm;
}

/* rmap_walk of the page at addr of mm examines exactly `examined` VMAs
 * and finds the mappings expected[0..n). */
static bool
walk_is_exact(struct mm_struct *mm, uint32_t addr, int examined, const struct mapping *expected,
	      int n)
{
	struct page *page = page_at(mm, addr);
	struct found f = { 0 };
	struct rmap_walk_control rwc = { .arg = &f, .visit = record_mapping };
	int got;

	if (!KT_EXPECT(page, "no page at %#x", addr))
		return false;
	got = rmap_walk(page, &rwc);
	return KT_EXPECT(got == examined, "page at %#x: walk examined %d VMAs, not %d", addr, got,
			 examined) &&
	       KT_EXPECT(found_exactly(&f, expected, n), "page at %#x: found %d mappings, not %d",
			 addr, f.n, n);
}

/* 200 VMAs of one anon_vma: a page's walk examines the one covering it,
 * not all 200; after fork, the two (parent's and child's); after the
 * parent's pages merge back into one VMA (each merge step refiles it),
 * still one per process. */
KTEST(rmap_walk_examines_only_covering_vmas)
{
	struct mm_struct *parent = mm_with_split_pages(MAP_PRIVATE), *child;
	uint32_t mid = BASE + (SPLIT_PAGES / 2 + 1) * PAGE_SIZE;

	KT_CHECK(parent && parent->map_count == SPLIT_PAGES, "setup: %d VMAs, not %d",
		 parent ? parent->map_count : 0, SPLIT_PAGES);
	for (uint32_t i = 0; i < SPLIT_PAGES; i += 37) {
		uint32_t addr = BASE + i * PAGE_SIZE;

		if (!walk_is_exact(parent, addr, 1, (struct mapping[]){ { parent, addr } }, 1))
			return;
	}
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	if (!walk_is_exact(parent, mid, 2, (struct mapping[]){ { parent, mid }, { child, mid } }, 2))
		return;
	for (uint32_t i = 1; i < SPLIT_PAGES; i += 2)    /* the parent's share one anon_vma */
		KT_CHECK(set_page_writable(parent, BASE + i * PAGE_SIZE, true), "merge step failed");
	KT_CHECK(parent->map_count == 1, "parent: %d VMAs after merging back", parent->map_count);
	if (!walk_is_exact(parent, mid, 2, (struct mapping[]){ { parent, mid }, { child, mid } }, 2))
		return;
	KT_CHECK(checker(parent, child, NULL) == 0, "checker found mismatches");
	mmput(child);
	mmput(parent);
}

/* A VMA whose range changes is refiled: mremap grows one in place and
 * moves another, munmap shrinks a third; walks stay exact. */
KTEST(rmap_walk_follows_range_changes)
{
	struct mm_struct *mm = mm_with_split_pages(MAP_PRIVATE), *child;
	uint32_t last = BASE + (SPLIT_PAGES - 1) * PAGE_SIZE, moved = MOVED_BASE;
	uint32_t third = BASE + 4 * PAGE_SIZE;

	KT_CHECK(mm, "setup failed");
	/* the top VMA (one page) grows in place to three pages, then moves */
	KT_CHECK(do_mremap(mm, last, PAGE_SIZE, 3 * PAGE_SIZE, 0, 0) == (long)last, "grow failed");
	KT_CHECK(touch(mm, last + 2 * PAGE_SIZE, FAULT_READ), "touch of the grown part failed");
	if (!walk_is_exact(mm, last + 2 * PAGE_SIZE, 1,
			   (struct mapping[]){ { mm, last + 2 * PAGE_SIZE } }, 1))
		return;
	KT_CHECK(do_mremap(mm, last, 3 * PAGE_SIZE, 3 * PAGE_SIZE, 1 | 2, moved) == (long)moved,
		 "move failed");
	if (!walk_is_exact(mm, moved + 2 * PAGE_SIZE, 1,
			   (struct mapping[]){ { mm, moved + 2 * PAGE_SIZE } }, 1))
		return;
	if (!walk_is_exact(mm, moved, 1, (struct mapping[]){ { mm, moved } }, 1))
		return;
	child = dup_mm(mm);
	KT_CHECK(child, "fork failed");
	mutex_lock(&child->mmap_lock);
	KT_CHECK(do_munmap(child, third, PAGE_SIZE) == 0, "munmap failed");
	mutex_unlock(&child->mmap_lock);
	if (!walk_is_exact(mm, third, 1, (struct mapping[]){ { mm, third } }, 1))
		return;
	KT_CHECK(checker(mm, child, NULL) == 0, "checker found mismatches");
	mmput(child);
	mmput(mm);
}

/* Shared anonymous memory: the object's VMAs are filed by object offset,
 * so a page's walk examines the VMAs covering it in each process. */
KTEST(rmap_shmem_walk_examines_only_covering_vmas)
{
	struct mm_struct *parent = mm_with_split_pages(MAP_SHARED), *child;
	uint32_t addr = BASE + 10 * PAGE_SIZE;

	KT_CHECK(parent && parent->map_count == SPLIT_PAGES, "setup: %d VMAs, not %d",
		 parent ? parent->map_count : 0, SPLIT_PAGES);
	if (!walk_is_exact(parent, addr, 1, (struct mapping[]){ { parent, addr } }, 1))
		return;
	child = dup_mm(parent);
	KT_CHECK(child, "fork failed");
	KT_CHECK(touch(child, addr, FAULT_READ), "child fault failed");
	if (!walk_is_exact(parent, addr, 2, (struct mapping[]){ { parent, addr }, { child, addr } }, 2))
		return;
	KT_CHECK(checker(parent, child, NULL) == 0, "checker found mismatches");
	mmput(child);
	mmput(parent);
}

/* The walk trusts the trees to file each VMA under its current range; the
 * checker must say so when one does not (a range change that skipped
 * vma_set_range). */
KTEST(rmap_checker_finds_stale_filing)
{
	struct mm_struct *priv = mm_with_pages(MAP_PRIVATE), *shared = mm_with_pages(MAP_SHARED);
	struct vm_area_struct *vma;
	struct anon_vma_chain *avc;

	KT_CHECK(priv && shared, "setup failed");
	KT_CHECK(checker(priv, shared, NULL) == 0, "checker found mismatches before the damage");
	vma = find_vma_unlocked(priv, BASE);
	avc = list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma);
	/* one page too many: no walk notices (no page has that index) */
	avc->rb.last++;
	KT_CHECK(checker(priv, shared, NULL) >= 1, "an anon_vma tree's stale range went unnoticed");
	avc->rb.last--;
	vma = find_vma_unlocked(shared, BASE);
	vma->shared.last++;
	KT_CHECK(checker(priv, shared, NULL) >= 1, "a shmem tree's stale range went unnoticed");
	vma->shared.last--;
	KT_CHECK(checker(priv, shared, NULL) == 0, "checker still finds mismatches after the repair");
	mmput(shared);
	mmput(priv);
}
