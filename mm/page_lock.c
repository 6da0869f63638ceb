/*
 * mm/page_lock.c — the page lock (see page_lock.h).
 *
 * Invariant: PG_locked is set and cleared only here, with interrupts off,
 * and every clear wakes page_lock_wait.
 * Locks: page_lock_wait.lock (spin, irqs off, inside wake_up); a task
 * holding a spinlock must not call lock_page or wait_on_page_locked
 * (might_sleep).
 */
#include <mm/page_lock.h>
#include <kernel/wait.h>
#include <kernel/sched.h>
#include <arch/x86/irqflags.h>

static DEFINE_WAIT_QUEUE_HEAD(page_lock_wait);

bool
trylock_page(struct page *page)
{
	uint32_t flags = local_irq_save();
	bool got = !PageLocked(page);

	if (got)
		SetPageFlag(page, PG_locked);
	local_irq_restore(flags);
	return got;
}

void
lock_page(struct page *page)
{
	might_sleep();
	wait_event(page_lock_wait, trylock_page(page));
}

void
unlock_page(struct page *page)
{
	uint32_t flags = local_irq_save();

	assert_page_locked(page);
	ClearPageFlag(page, PG_locked);
	local_irq_restore(flags);
	wake_up(&page_lock_wait);
}

void
wait_on_page_locked(struct page *page)
{
	might_sleep();
	wait_event(page_lock_wait, !PageLocked(page));
}
