/*
 * mm/vmstat.c — the VM event counters (see vmstat.h).
 * Locks: none; each update is done with interrupts off.
 */
#include <mm/vmstat.h>
#include <arch/x86/irqflags.h>
#include <libk/string.h>

static unsigned long vm_events[NR_VM_EVENT_ITEMS];
long vm_node_stat[NR_VM_NODE_STAT_ITEMS];

const char *const vm_node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_FILE_MAPPED] = "nr_mapped",
	[NR_SHMEM] = "nr_shmem",
	[NR_INACTIVE_ANON] = "nr_inactive_anon",
	[NR_ACTIVE_ANON] = "nr_active_anon",
	[NR_INACTIVE_FILE] = "nr_inactive_file",
	[NR_ACTIVE_FILE] = "nr_active_file",
	[NR_UNEVICTABLE] = "nr_unevictable",
};

void
mod_node_page_state(enum node_stat_item item, long delta)
{
	uint32_t flags = local_irq_save();

	vm_node_stat[item] += delta;
	local_irq_restore(flags);
}

unsigned long
global_node_page_state(enum node_stat_item item)
{
	long v = vm_node_stat[item];

	return v < 0 ? 0 : (unsigned long)v;
}

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGFAULT] = "pgfault",
	[PGMAJFAULT] = "pgmajfault",
	[COW_FAULT] = "cow_fault",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[PGMIGRATE_FAIL] = "pgmigrate_fail",
	[SOFT_OFFLINE] = "soft_offline",
	[RMAP_WALK] = "rmap_walk",
	[RMAP_WALK_VMAS] = "rmap_walk_vmas",
	[MIGRATION_ENTRY_WAIT] = "migration_entry_wait",
	[RMAP_CHECK_RUNS] = "rmap_check_runs",
	[RMAP_CHECK_ERRORS] = "rmap_check_errors",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGSCAN_KSWAPD] = "pgscan_kswapd",
	[PGSCAN_DIRECT] = "pgscan_direct",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate",
	[PGROTATED] = "pgrotated",
};

void
count_vm_events(enum vm_event_item item, unsigned long delta)
{
	uint32_t flags = local_irq_save();

	vm_events[item] += delta;
	local_irq_restore(flags);
}

void
all_vm_events(unsigned long counts[NR_VM_EVENT_ITEMS])
{
	uint32_t flags = local_irq_save();

	memcpy(counts, vm_events, sizeof(vm_events));
	local_irq_restore(flags);
}
