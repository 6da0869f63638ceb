/*
 * tests/kernel/mm_fixture.h — user address spaces built inside the kernel
 * for the in-kernel tests: an mm with written anonymous pages, a fault
 * taken as the page-fault handler takes it (mmap_lock held), the page a PTE
 * maps, what rmap_walk finds for a page, and one VM event counter. No user space, no CR3 switch: the tests
 * look at the page tables and struct pages directly.
 *
 * Locks: touch and mm_with_written_pages take mm->mmap_lock; the caller
 * must not hold it. page_at reads a PTE without a lock: nothing else runs
 * in a test's mm.
 */
#ifndef TESTS_KERNEL_MM_FIXTURE_H
#define TESTS_KERNEL_MM_FIXTURE_H

#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/vma.h>
#include <mm/memory.h>
#include <mm/pgtable.h>
#include <mm/page_alloc.h>
#include <mm/vmstat.h>
#include <mm/rmap.h>

/* page_at - the page mapped at addr in mm, or NULL if no PTE maps one. */
static inline struct page *
page_at(struct mm_struct *mm, uint32_t addr)
{
	pte_t *ptep = pte_lookup(mm->pgd, addr);

	return ptep && pte_mapped(*ptep) ? pfn_to_page(pte_pfn(*ptep)) : NULL;
}

/* touch - a fault at addr in mm, with mmap_lock held as the page-fault
 * handler holds it; true if it was handled. */
static inline bool
touch(struct mm_struct *mm, uint32_t addr, enum fault_access access)
{
	enum fault_result r;

	mutex_lock(&mm->mmap_lock);
	r = handle_mm_fault(mm, addr, access);
	mutex_unlock(&mm->mmap_lock);
	return r == FAULT_HANDLED;
}

/* mm_with_written_pages - a new mm with pages read-write anonymous pages at
 * base, type MAP_PRIVATE or MAP_SHARED, every one written (faulted in for
 * write); NULL if any step fails (nothing is left allocated then). */
static inline struct mm_struct *
mm_with_written_pages(uint32_t base, uint32_t pages, uint32_t type)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (do_mmap(mm, base, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    type | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)base) {
		mmput(mm);
		return NULL;
	}
	for (uint32_t i = 0; i < pages; i++)
		if (!touch(mm, base + i * PAGE_SIZE, FAULT_WRITE)) {
			mmput(mm);
			return NULL;
		}
	return mm;
}

/* struct found - what rmap_walk found for a page (rmap_walk_found): up to
 * MAX_FOUND (mm, address) pairs whose PTE maps it, compared with an
 * expected set in any order by found_exactly. */
#define MAX_FOUND  8

struct mapping {
	struct mm_struct *mm;
	uint32_t addr;
};

struct found {
	int n;
	struct mapping at[MAX_FOUND];
};

static inline bool
record_mapping(struct page *page, struct vm_area_struct *vma, uint32_t addr, pte_t *ptep, void *arg)
{
	struct found *f = arg;

	if (pte_maps_page(*ptep, page) && f->n < MAX_FOUND)
		f->at[f->n++] = (struct mapping){ vma->vm_mm, addr };
	return true;
}

/* The mappings rmap_walk finds for page. */
static inline struct found
rmap_walk_found(struct page *page)
{
	struct found f = { 0 };
	struct rmap_walk_control rwc = { .arg = &f, .visit = record_mapping };

	rmap_walk(page, &rwc);
	return f;
}

/* True if f holds exactly the n expected mappings, in any order. */
static inline bool
found_exactly(const struct found *f, const struct mapping *expected, int n)
{
	if (f->n != n)
		return false;
	for (int i = 0; i < n; i++) {
		bool seen = false;

		for (int j = 0; j < f->n; j++)
			seen |= f->at[j].mm == expected[i].mm && f->at[j].addr == expected[i].addr;
		if (!seen)
			return false;
	}
	return true;
}

/* vm_event - the count of one /proc/vmstat event so far. */
static inline unsigned long
vm_event(enum vm_event_item item)
{
	unsigned long counts[NR_VM_EVENT_ITEMS];

	all_vm_events(counts);
	return counts[item];
}

#endif
