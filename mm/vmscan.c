/*
 * mm/vmscan.c — freeing memory when the page allocator runs out (see
 * vmscan.h): runs the registered shrinkers.
 *
 * Invariants: reclaim never runs in atomic context (a spinlock held,
 * interrupts off), since shrinkers may be preempted; and never inside
 * itself (a shrinker that allocates does not reclaim again).
 *
 * Locks: none of its own; what each shrinker takes. Reclaim runs under
 * whatever its caller holds, so it never waits for a sleeping lock: it
 * spins or trylocks (page locks), and the lock check treats it as a fresh
 * context that may do only that (lockrank_reclaim_enter, kernel/lockrank.h).
 * A shrinker that calls into a file system (needs_fs) runs only for
 * allocations with __GFP_FS; a file system allocating under its own locks
 * asks with GFP_NOFS (the buffer cache does), and the slab grows its
 * caches with GFP_NOFS, since any caller may be under such a lock. The
 * page-cache shrinker does not: it never evicts an inode (iput_no_evict).
 */
#include <mm/vmscan.h>
#include <mm/gfp.h>
#include <kernel/lockrank.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <arch/x86/irqflags.h>

#define MAX_SHRINKERS 4

static struct {
	unsigned long (*shrink)(void);
	bool needs_fs;
} shrinkers[MAX_SHRINKERS];
static unsigned nr_shrinkers;
static bool reclaiming;             /* one CPU: set while shrinkers run */

void
register_shrinker(unsigned long (*shrink)(void), bool needs_fs)
{
	BUG_ON(nr_shrinkers == MAX_SHRINKERS);
	shrinkers[nr_shrinkers].shrink = shrink;
	shrinkers[nr_shrinkers++].needs_fs = needs_fs;
}

unsigned long
try_to_free_pages(unsigned gfp)
{
	struct held_locks callers_locks;
	unsigned long freed = 0;

	if (!(gfp & __GFP_WAIT) || reclaiming || preempt_count || irqs_disabled())
		return 0;
	reclaiming = true;
	lockrank_reclaim_enter(&callers_locks);
	for (unsigned i = 0; i < nr_shrinkers; i++)
		if (!shrinkers[i].needs_fs || (gfp & __GFP_FS))
			freed += shrinkers[i].shrink();
	lockrank_reclaim_exit(&callers_locks);
	reclaiming = false;
	return freed;
}
