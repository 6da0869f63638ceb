/*
 * tests/kernel/test_vm.c — address spaces without user space: VMAs built
 * with do_mmap, pages faulted in with handle_mm_fault, fork's copy with
 * dup_mm, and the page counts that copy-on-write depends on.
 */
#include <kernel/ktest.h>
#include "mm_fixture.h"
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/page_alloc.h>

#define TEST_BASE  0x40000000u
#define TEST_PAGES 16

static bool
writable_at(struct mm_struct *mm, uint32_t addr)
{
	pte_t *ptep = pte_lookup(mm->pgd, addr);

	return ptep && pte_present(*ptep) && pte_write(*ptep);
}

static enum fault_result
fault(struct mm_struct *mm, uint32_t addr, enum fault_access access)
{
	enum fault_result r;

	mutex_lock(&mm->mmap_lock);
	r = handle_mm_fault(mm, addr, access);
	mutex_unlock(&mm->mmap_lock);
	return r;
}

static long
map_anon(struct mm_struct *mm, uint32_t addr, uint32_t pages, uint32_t prot)
{
	return do_mmap(mm, addr, pages * PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       NULL, 0);
}

KTEST(vm_fault_and_cow_counts)
{
	struct mm_struct *parent = mm_alloc(), *child;
	struct page *p;

	KT_CHECK(parent, "mm_alloc failed");
	KT_CHECK(map_anon(parent, TEST_BASE, TEST_PAGES, PROT_READ | PROT_WRITE) == (long)TEST_BASE,
		 "mmap failed");
	KT_CHECK(fault(parent, TEST_BASE, FAULT_WRITE) == FAULT_HANDLED, "write fault failed");
	p = page_at(parent, TEST_BASE);
	KT_CHECK(p && page_count(p) == 1 && page_mapcount(p) == 1,
		 "new page: count %d mapcount %d", p ? page_count(p) : -1, p ? page_mapcount(p) : -1);
	KT_CHECK(writable_at(parent, TEST_BASE), "new anonymous page not writable");

	child = dup_mm(parent);
	KT_CHECK(child, "dup_mm failed");
	KT_CHECK(page_at(child, TEST_BASE) == p, "child does not share the page");
	KT_CHECK(page_count(p) == 2 && page_mapcount(p) == 2, "shared page: count %d mapcount %d",
		 page_count(p), page_mapcount(p));
	KT_CHECK(!writable_at(parent, TEST_BASE) && !writable_at(child, TEST_BASE),
		 "a COW-shared page is writable");

	KT_CHECK(fault(child, TEST_BASE, FAULT_WRITE) == FAULT_HANDLED, "child COW fault failed");
	KT_CHECK(page_at(child, TEST_BASE) != p, "child write did not copy");
	KT_CHECK(page_count(p) == 1 && page_mapcount(p) == 1, "after copy: count %d mapcount %d",
		 page_count(p), page_mapcount(p));
	KT_CHECK(fault(parent, TEST_BASE, FAULT_WRITE) == FAULT_HANDLED, "parent fault failed");
	KT_CHECK(page_at(parent, TEST_BASE) == p, "sole owner's write copied instead of reusing");
	KT_CHECK(writable_at(parent, TEST_BASE), "reused page not writable");
	mmput(child);
	mmput(parent);
}

KTEST(vm_split_and_merge)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *v;
	uint32_t mid = TEST_BASE + 4 * PAGE_SIZE;
	bool merged;

	KT_CHECK(mm, "mm_alloc failed");
	KT_CHECK(map_anon(mm, TEST_BASE, TEST_PAGES, PROT_READ | PROT_WRITE) == (long)TEST_BASE,
		 "mmap failed");
	KT_CHECK(mm->map_count == 1, "%d VMAs after one mmap", mm->map_count);
	mutex_lock(&mm->mmap_lock);
	KT_CHECK(do_munmap(mm, mid, PAGE_SIZE) == 0, "munmap failed");
	mutex_unlock(&mm->mmap_lock);
	KT_CHECK(mm->map_count == 2, "%d VMAs after a hole", mm->map_count);
	KT_CHECK(fault(mm, mid, FAULT_READ) == FAULT_BAD_ADDRESS, "the hole is mapped");
	KT_CHECK(map_anon(mm, mid, 1, PROT_READ | PROT_WRITE) == (long)mid, "refill failed");
	KT_CHECK(mm->map_count == 1, "%d VMAs after refilling the hole (no merge)", mm->map_count);
	mutex_lock(&mm->mmap_lock);                   /* find_vma's contract */
	v = find_vma(mm, TEST_BASE);
	merged = v && v->vm_start == TEST_BASE && v->vm_end == TEST_BASE + TEST_PAGES * PAGE_SIZE;
	mutex_unlock(&mm->mmap_lock);
	KT_CHECK(merged, "merged VMA has the wrong range");
	KT_CHECK(map_anon(mm, mid, 1, PROT_READ) == (long)mid, "read-only remap failed");
	KT_CHECK(mm->map_count == 3, "%d VMAs after a read-only page in the middle", mm->map_count);
	KT_CHECK(fault(mm, mid, FAULT_WRITE) == FAULT_BAD_ACCESS, "write to read-only allowed");
	mmput(mm);
}
