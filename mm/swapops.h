/*
 * mm/swapops.h — what a non-present, non-empty PTE means: a swap entry
 * (type, offset). Types 1..MAX_SWAPFILES are swap areas (mm/swapfile.h); the two
 * highest types are migration entries, whose offset is the frame number
 * of the page being moved: a task that faults on one waits until the
 * migration is over (mm/migrate.c), then finds the page at its new frame.
 * The bit layout is arch/x86/mmu.h's.
 */
#ifndef MM_SWAPOPS_H
#define MM_SWAPOPS_H

#include <arch/x86/mmu.h>
#include <mm/page.h>

#define SWP_MIGRATION_READ  30    /* the PTE was read-only before migration */
#define SWP_MIGRATION_WRITE 31    /* the PTE was writable */
#define MAX_SWAPFILES       29    /* types 1..29 name swap areas */

static inline bool is_migration_entry(pte_t pte)
{
	return pte_is_swap(pte) && pte_swp_type(pte) >= SWP_MIGRATION_READ;
}
static inline bool is_write_migration_entry(pte_t pte)
{
	return pte_is_swap(pte) && pte_swp_type(pte) == SWP_MIGRATION_WRITE;
}
static inline pte_t make_migration_entry(const struct page *page, bool write)
{
	return swp_pte(write ? SWP_MIGRATION_WRITE : SWP_MIGRATION_READ, page_to_pfn(page));
}
/* The page a migration entry stands for (the old frame, locked). */
static inline struct page *migration_entry_to_page(pte_t pte)
{
	return pfn_to_page(pte_swp_offset(pte));
}
/* The page a PTE stands for in rss: the mapped one (present or PROT_NONE),
 * the one a migration entry is moving, else NULL (empty, swapped out, a
 * file PTE, a frame outside mem_map). */
static inline struct page *pte_to_page(pte_t pte)
{
	if (pte_mapped(pte))
		return pfn_valid(pte_pfn(pte)) ? pfn_to_page(pte_pfn(pte)) : NULL;
	if (is_migration_entry(pte))
		return migration_entry_to_page(pte);
	return NULL;
}

#endif
