/*
 * mm/migrate.h — moving one physical page to another frame under every
 * mapping of it (mm/migrate.c), and soft-offline built on it
 * (mm/memory-failure.c).
 */
#ifndef MM_MIGRATE_H
#define MM_MIGRATE_H

#include <mm/page.h>
#include <kernel/mutex.h>
#include <stdbool.h>

/* Serialises migrations, and keeps them out of the rmap checker's way. */
extern struct mutex migrate_mutex;

/* TEST-ONLY hook, NULL except while tests/kernel/test_migrate.c runs:
 * migrate_page_to calls it with page locked and every PTE that mapped page
 * turned into a migration entry, before the contents are copied. A test
 * uses it to make a fault meet a page under migration at a known moment
 * (in normal running the window is a few instructions wide). */
extern void (*migrate_unmapped_test_hook)(struct page *page);

/* Moves the contents and every mapping of page (anonymous or page cache, mapped
 * by user space; the caller holds one reference) to newpage, a fresh page
 * with one reference. Sleeps for the page lock. On success the old page
 * is left with the caller's reference only (no mapping, no mapcount); the
 * caller decides its fate. 0, or -EBUSY: not a user page, or someone else
 * holds references rmap cannot account for (nothing has changed then). */
int migrate_page_to(struct page *page, struct page *newpage);

/* Linux's soft_offline_page: moves the page at pfn away (if it is in use
 * by user space) and keeps the frame out of use for good (PG_hwpoison).
 * 0 (also for a free frame, which is simply taken out of the allocator,
 * and for a frame already offline, as on Linux); -ENXIO no such frame;
 * -EIO a page the kernel itself uses (slab, page table, reserved);
 * -EBUSY a user page that could not be moved. */
int soft_offline_page(unsigned long pfn);

/* madvise(MADV_SOFT_OFFLINE) on [start, end) of the caller's mm: each
 * mapped page is soft-offlined. 0 or -errno (EFAULT for a hole). */
int madvise_soft_offline(uint32_t start, uint32_t end);

/* A fault found a migration entry in *ptep: sleep until the migration
 * that installed it is over (the caller then retries the fault).
 * Called with mmap_lock held. */
void migration_entry_wait(pte_t *ptep);

#endif
