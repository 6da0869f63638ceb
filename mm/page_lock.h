/*
 * mm/page_lock.h — the page lock (PG_locked): held by whoever is changing
 * what a page is (migration moving it, later I/O filling it). A task that
 * must wait for such a change — a fault on a migration entry — sleeps
 * until the bit clears. All pages share one wait queue: waking a few
 * tasks too many costs less than a queue per page (Linux hashes them).
 */
#ifndef MM_PAGE_LOCK_H
#define MM_PAGE_LOCK_H

#include <mm/page.h>
#include <kernel/lockrank.h>

static inline bool PageLocked(const struct page *p) { return PageFlag(p, PG_locked); }
/* BUG unless page is locked (by someone: the lock records no owner). */
#define assert_page_locked(page)                                               \
	do {                                                                   \
		if (__builtin_expect(!PageLocked(page), 0))                    \
			lock_assert_failed("not held", "page lock", __FILE__, __LINE__, __func__); \
	} while (0)
/* Takes the lock if it is free; true on success. Never sleeps. */
bool trylock_page(struct page *page);
/* Takes the lock, sleeping while another task holds it. */
void lock_page(struct page *page);
void unlock_page(struct page *page);
/* Sleeps until page is not locked (without taking the lock). */
void wait_on_page_locked(struct page *page);

#endif
