/*
 * mm/page_lock.c — the page lock (see page_lock.h).
 *
 * Invariant: PG_locked is set and cleared only here, with interrupts off,
 * and every clear wakes page_lock_wait.
 * Locks: page_lock_wait.lock (spin, irqs off, inside wake_up); a task
 * holding a spinlock must not call lock_page or wait_on_page_locked
 * (might_sleep). With lockcheck=1 the page lock is a class of the lock
 * order like any mutex: lock_page checks it, wait_on_page_locked checks
 * it as if it took it, trylock_page only records it.
 */
#include <mm/page_lock.h>
#include <kernel/wait.h>
#include <kernel/sched.h>
#include <arch/x86/irqflags.h>

static DEFINE_WAIT_QUEUE_HEAD(page_lock_wait);
/* Every page lock is of one class in the lock order (kernel/lockrank.h). */
static uint8_t page_lock_class = LC_PAGE;
#define PAGE_LOCK_NAME "page lock"

/* Sets PG_locked if it is clear; true on success. */
static bool
test_and_set_page_locked(struct page *page)
{
	uint32_t flags = local_irq_save();
	bool got = !PageLocked(page);

	if (got)
		SetPageFlag(page, PG_locked);
	local_irq_restore(flags);
	return got;
}

bool
trylock_page(struct page *page)
{
	bool got = test_and_set_page_locked(page);

	if (got && lockcheck_enabled)
		lockrank_trylock_acquired(&page_lock_class, PAGE_LOCK_NAME, true, page);
	return got;
}

void
lock_page(struct page *page)
{
	might_sleep();
	if (lockcheck_enabled)
		lockrank_acquire(&page_lock_class, PAGE_LOCK_NAME, true, page);
	wait_event(page_lock_wait, test_and_set_page_locked(page));
}

void
unlock_page(struct page *page)
{
	uint32_t flags = local_irq_save();

	assert_page_locked(page);
	ClearPageFlag(page, PG_locked);
	local_irq_restore(flags);
	if (lockcheck_enabled)
		lockrank_release(&page_lock_class, PAGE_LOCK_NAME, true);
	wake_up(&page_lock_wait);
}

void
wait_on_page_locked(struct page *page)
{
	might_sleep();
	if (lockcheck_enabled)                   /* waiting for it orders like taking it */
		lockrank_check(&page_lock_class, PAGE_LOCK_NAME, true, page);
	wait_event(page_lock_wait, !PageLocked(page));
}
