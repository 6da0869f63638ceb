/*
 * mm/vmstat.h — event counters of the VM, shown by /proc/vmstat as
 * "name value" lines (Linux's names where Linux has the event).
 * Counters only grow; they are updated with interrupts off.
 *
 * Beside them, state counters: how many pages are in some state now
 * (page cache, dirty, under writeback, mapped, on each LRU list), which go up and down and
 * are shown first in /proc/vmstat and in /proc/meminfo.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include <stdint.h>

enum vm_event_item {
	PGFAULT,                  /* page faults handled (all kinds) */
	PGMAJFAULT,               /* faults that had to read a file */
	COW_FAULT,                /* copy-on-write copies made */
	PGMIGRATE_SUCCESS,        /* pages moved to a new frame */
	PGMIGRATE_FAIL,           /* migrations that gave up */
	SOFT_OFFLINE,             /* frames taken out of use by soft-offline */
	RMAP_WALK,                /* rmap_walk calls */
	RMAP_WALK_VMAS,           /* VMAs visited by those walks */
	MIGRATION_ENTRY_WAIT,     /* faults that waited for a migration */
	RMAP_CHECK_RUNS,          /* runs of the consistency checker */
	RMAP_CHECK_ERRORS,        /* mismatches it found, in all runs */
	PSWPIN,                   /* pages read from swap */
	PSWPOUT,                  /* pages written to swap */
	PGSCAN_KSWAPD,            /* inactive pages reclaim looked at: kswapd's, */
	PGSCAN_DIRECT,            /* an allocating task's */
	PGSTEAL_KSWAPD,           /* of them, the pages it freed */
	PGSTEAL_DIRECT,
	PGACTIVATE,               /* pages moved to an active list */
	PGDEACTIVATE,             /* pages moved to an inactive list */
	PGROTATED,                /* pages reclaim kept for another round */
	NR_VM_EVENT_ITEMS
};

/* Pages in a state, now (Linux's node_stat_item). */
enum node_stat_item {
	NR_FILE_PAGES,            /* in some page cache (files and shmem): Cached */
	NR_FILE_DIRTY,            /* dirty pages of files with backing store: Dirty */
	NR_WRITEBACK,             /* being written back: Writeback */
	NR_FILE_MAPPED,           /* page-cache pages mapped by some PTE: Mapped */
	NR_SHMEM,                 /* of them, those of files with no backing store
				   * (shared memory, tmpfs, ramfs): Shmem */
	NR_INACTIVE_ANON,         /* on each LRU list, in enum lru_list's order */
	NR_ACTIVE_ANON,           /* (mm/lru.h): Inactive(anon), Active(anon), */
	NR_INACTIVE_FILE,         /* Inactive(file), Active(file), Unevictable */
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_VM_NODE_STAT_ITEMS
};
extern const char *const vm_node_stat_names[NR_VM_NODE_STAT_ITEMS];
extern long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
void mod_node_page_state(enum node_stat_item item, long delta);
/* mod_node_page_state for a caller that has interrupts off already (under
 * a spinlock taken with spin_lock_irqsave): the hot paths' form. */
static inline void __mod_node_page_state(enum node_stat_item item, long delta)
{
	vm_node_stat[item] += delta;
}
unsigned long global_node_page_state(enum node_stat_item item);

/* The /proc/vmstat name of each item, indexed by enum vm_event_item. */
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

void count_vm_events(enum vm_event_item item, unsigned long delta);
static inline void count_vm_event(enum vm_event_item item) { count_vm_events(item, 1); }
/* A snapshot of every counter. */
void all_vm_events(unsigned long counts[NR_VM_EVENT_ITEMS]);

#endif
