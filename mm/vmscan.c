/*
 * mm/vmscan.c — freeing memory when the page allocator runs out (see
 * vmscan.h): runs the registered shrinkers.
 *
 * Invariants: reclaim never runs in atomic context (a spinlock held,
 * interrupts off), since shrinkers lock pages and may sleep; and never
 * inside itself (a shrinker that allocates does not reclaim again).
 *
 * Locks: none of its own; what each shrinker takes (page locks by
 * trylock, so a caller holding a page lock cannot deadlock on it).
 */
#include <mm/vmscan.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <arch/x86/irqflags.h>

#define MAX_SHRINKERS 4

static unsigned long (*shrinkers[MAX_SHRINKERS])(void);
static unsigned nr_shrinkers;
static bool reclaiming;             /* one CPU: set while shrinkers run */

void
register_shrinker(unsigned long (*shrink)(void))
{
	BUG_ON(nr_shrinkers == MAX_SHRINKERS);
	shrinkers[nr_shrinkers++] = shrink;
}

unsigned long
try_to_free_pages(void)
{
	unsigned long freed = 0;

	if (reclaiming || preempt_count || irqs_disabled())
		return 0;
	reclaiming = true;
	for (unsigned i = 0; i < nr_shrinkers; i++)
		freed += shrinkers[i]();
	reclaiming = false;
	return freed;
}
