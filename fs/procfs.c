/*
 * fs/procfs.c — /proc and /sys: files whose contents the kernel writes
 * when they are opened, in Linux's formats so that ps, free and a
 * student's `cat /proc/meminfo` read them as they would on Linux.
 *
 *   /proc/meminfo, buddyinfo, vmstat     system-wide figures
 *   /proc/slabinfo                       the slab caches (root only, as on Linux)
 *   /proc/partitions                     the block devices and their sizes
 *   /proc/swaps                          the active swap areas (mm/swapfile.c)
 *   /proc/self                           a symlink to the reader's pid
 *   /proc/filesystems, mounts            registered types; a link to self/mounts
 *                                        (fs/filesystems.c, fs/namespace.c)
 *   /proc/PID/{stat,status,cmdline}      one directory per live process
 *   /proc/PID/{maps,smaps,pagemap}       its address space (fs/proc_task_mmu.c)
 *   /proc/PID/mounts                     the mount table (fs/namespace.c)
 *   /proc/sys/vm/rmap_check              read: count rmap mismatches; write: report them
 *   /proc/sys/vm/drop_caches             write: give empty slabs back
 *   /proc/sys/vm/swappiness              reclaim's anon/file balance, 0..200
 *   /sys/devices/system/memory/soft_offline_page   write a physical address
 *
 * The tree is described by tables. A directory is a struct proc_dir: a
 * table of struct proc_entry lines (name, mode, inode number, and what
 * makes its contents: show and/or store functions for a file, a link
 * function for a symlink, a proc_dir for a subdirectory). Adding a file
 * is one enum constant and one table line. The /proc root's table also
 * says "and one directory per live process", which is the only place
 * processes are listed. /sys is a second file system made by the same
 * code from another root table (table_fs_mount).
 *
 * Every inode carries a struct proc_node in i_private: the table line it
 * was made from and the pid it is about (0 for system-wide entries).
 * Entries inside /proc/PID inherit the pid of their directory.
 *
 * A readable file's text is generated whole on open into a growing kernel
 * buffer (struct proc_buf, fs/proc_internal.h) and read from there, so one
 * open sees one consistent snapshot however small the reads; release
 * frees it. A write hands the written text (at most PROC_STORE_MAX bytes,
 * NUL-terminated) to the line's store function. A line may instead name
 * its own file_operations (pagemap, which is computed per read), or
 * proc_reg_fops beside its show function: the system-wide files, which
 * Linux makes with proc_create, so that mmap on them fails with EIO as
 * there (other procfs files cannot be mapped at all: ENODEV). A file's
 * mode is enforced for everyone, root included, as sysfs does: opening
 * for reading needs a show function and an r bit, for writing a store
 * function and a w bit, else EACCES.
 *
 * Inode numbers (stable across lookups, unique in each super_block):
 *   system-wide entry e        e->ino                 (enum proc_ino, < 256)
 *   entry e about process pid  PID_INO(pid, e->ino)   = pid << 8 | e->ino
 * /proc/PID itself is PROC_PID_DIR_INO (0) in the pid's block. Since pids
 * start at 1, the two ranges never meet.
 *
 * Invariants: procfs dentries are D_VOLATILE (never cached), so each path
 * walk asks lookup again and a /proc/PID name stops resolving as soon as
 * its process is reaped. An already-open /proc/PID directory, or a
 * dentry found just before the process died, still exists; opening a
 * file in it then fails with ESRCH, as on Linux.
 *
 * Locking: lookup runs with namespace_mutex held (the path walk); iterate,
 * open, read, write and readlink run with no lock. Everything about
 * processes comes from proc_list_pids/proc_get_info/proc_get_mm
 * (kernel/proc.h), which take tasklist_lock themselves and return copies
 * or references; procfs holds no lock of its own and never walks the task
 * list. Show and store functions are called with no lock held and may
 * sleep (rmap_check takes every mmap_lock).
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/proc_internal.h>
#include <arch/x86/mmu.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <mm/migrate.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/lru.h>
#include <mm/slab.h>
#include <mm/swapfile.h>
#include <mm/swap_state.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <drivers/block/blkdev.h>
#include <fs/buffer.h>
#include <libk/stdio.h>
#include <libk/string.h>
#include <stdarg.h>

#define PROC_DEV        MKDEV(0, 4)
#define SYSFS_DEV       MKDEV(0, 13)     /* after pipefs's 00:12 */
#define PROC_BUF_START  256              /* first text buffer; doubles as needed */
#define MAX_LISTED_PIDS 1024             /* processes a listing of /proc shows */
#define PID_NAME_MAX    12               /* "2147483647" and a NUL */
#define PROC_STORE_MAX  PAGE_SIZE        /* bytes of one write a store sees, as sysfs */
#define PROC_SUPER_MAGIC 0x9fa0u         /* statfs f_type */
#define SYSFS_MAGIC     0x62656572u

/*
 * Inode numbers of the table lines. One constant per line of every table;
 * a line inside /proc/PID gets PID_INO(pid, constant). Keep below 256.
 */
enum proc_ino {
	PROC_PID_DIR_INO = 0,            /* /proc/PID: PID_INO(pid, 0) */
	PROC_ROOT_INO,                   /* /proc */
	PROC_MEMINFO_INO,
	PROC_BUDDYINFO_INO,
	PROC_SELF_INO,
	PROC_PID_STAT_INO,
	PROC_PID_STATUS_INO,
	PROC_PID_CMDLINE_INO,
	PROC_VMSTAT_INO,
	PROC_PID_MAPS_INO,
	PROC_PID_SMAPS_INO,
	PROC_PID_PAGEMAP_INO,
	PROC_SYS_INO,                    /* /proc/sys */
	PROC_SYS_VM_INO,                 /* /proc/sys/vm */
	PROC_SYS_VM_RMAP_CHECK_INO,
	PROC_SYS_VM_DROP_CACHES_INO,
	PROC_SYS_VM_SWAPPINESS_INO,
	SYSFS_ROOT_INO,                  /* /sys, in its own super_block */
	SYSFS_DEVICES_INO,
	SYSFS_SYSTEM_INO,
	SYSFS_MEMORY_INO,
	SYSFS_SOFT_OFFLINE_PAGE_INO,
	PROC_SLABINFO_INO,
	PROC_FILESYSTEMS_INO,
	PROC_MOUNTS_INO,                 /* /proc/mounts -> self/mounts */
	PROC_PID_MOUNTS_INO,
	PROC_PARTITIONS_INO,
	PROC_SWAPS_INO,
	NR_PROC_INOS
};
_Static_assert(NR_PROC_INOS <= 256, "proc inode numbers must fit in PID_INO's low byte");

#define PID_INO(pid, n) (((uint64_t)(pid) << 8) | (n))

/* ---- text buffers ------------------------------------------------------ */

/* Makes room for extra more bytes and a NUL; false (and failed) if it cannot. */
static bool
pb_reserve(struct proc_buf *pb, size_t extra)
{
	size_t cap = pb->cap ? pb->cap : PROC_BUF_START;
	char *bigger;

	if (pb->failed)
		return false;
	if (pb->len + extra < pb->cap)
		return true;
	while (cap <= pb->len + extra)
		cap *= 2;
	bigger = kmalloc(cap, GFP_KERNEL);
	if (!bigger) {
		pb->failed = true;
		return false;
	}
	if (pb->data)
		memcpy(bigger, pb->data, pb->len);
	kfree(pb->data);
	pb->data = bigger;
	pb->cap = cap;
	return true;
}

void
pb_printf(struct proc_buf *pb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);          /* measure first */
	va_end(ap);
	if (n < 0 || !pb_reserve(pb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(pb->data + pb->len, pb->cap - pb->len, fmt, ap);
	va_end(ap);
	pb->len += (size_t)n;
}

void
pb_write(struct proc_buf *pb, const void *bytes, size_t n)
{
	if (!pb_reserve(pb, n))
		return;
	memcpy(pb->data + pb->len, bytes, n);
	pb->len += n;
}

void
pb_pad_to(struct proc_buf *pb, size_t line_start, size_t width)
{
	size_t used = pb->len - line_start;

	if (used >= width || !pb_reserve(pb, width - used))
		return;
	memset(pb->data + pb->len, ' ', width - used);
	pb->len += width - used;
}

static void
pb_free(struct proc_buf *pb)
{
	if (!pb)
		return;
	kfree(pb->data);
	kfree(pb);
}

/* ---- the tables' types ------------------------------------------------- */

/* Writes the text of a file about process pid (0: system-wide); 0 or -errno. */
typedef int (*proc_show_t)(struct proc_buf *pb, int pid);
/* Acts on len bytes written to a file (text[len] is a NUL); 0 or -errno. */
typedef int (*proc_store_t)(int pid, const char *text, size_t len);
/* Writes a symlink's target into buf (at most size bytes, no NUL); its length. */
typedef int (*proc_link_t)(int pid, char *buf, size_t size);

struct proc_dir;

/* One line of a directory table, matching the file type in mode: a
 * regular file has show and/or store, or fops alone, or show with
 * proc_reg_fops; a symlink has link; a directory has dir. */
struct proc_entry {
	const char *name;
	uint32_t mode;                   /* S_IFREG|0444, S_IFLNK|0777, S_IFDIR|0555 */
	enum proc_ino ino;
	proc_show_t show;                /* regular file: its text, made on open */
	proc_store_t store;              /* regular file: what a write does */
	const struct file_operations *fops; /* regular file with operations of its own */
	proc_link_t link;                /* symlink */
	const struct proc_dir *dir;      /* directory */
};

/* A directory: its table, and whether it also lists the live processes. */
struct proc_dir {
	const struct proc_entry *entries;
	unsigned count;
	bool lists_pids;                 /* only the root: one directory per process */
};

#define PROC_DIR(table, pids) { table, sizeof(table) / sizeof((table)[0]), pids }

/* What every procfs inode knows (its i_private). */
struct proc_node {
	const struct proc_entry *entry;  /* the table line it was made from */
	int pid;                         /* the process it is about; 0: none */
};

/* ---- system-wide files ------------------------------------------------- */

static unsigned long
pages_to_kb(unsigned long pages)
{
	return pages * (PAGE_SIZE / 1024);
}

/* One meminfo line as Linux writes it: the key padded to 16 columns, the
 * figure right-aligned in 8. */
static void
meminfo_line(struct proc_buf *pb, const char *key, unsigned long pages)
{
	pb_printf(pb, "%-16s%8lu kB\n", key, pages_to_kb(pages));
}

static unsigned long soft_offline_pages(void);

/* /proc/meminfo, the lines anvil can fill, in Linux's order. Cached is
 * every page-cache page (files and shared memory, as Linux counts it);
 * MemAvailable adds to the free pages the page cache that could be
 * dropped (all but shared memory and ramfs, which cannot be cleaned).
 * SwapTotal and SwapFree are the active swap areas' (si_swapinfo);
 * SwapCached the pages in the swap cache (mm/swap_state.h). */
static int
proc_show_meminfo(struct proc_buf *pb, int pid)
{
	unsigned long total = nr_managed_pages(), free = nr_free_pages();
	unsigned long cached = global_node_page_state(NR_FILE_PAGES);
	unsigned long shmem = global_node_page_state(NR_SHMEM);
	unsigned long swap_total, swap_free;

	si_swapinfo(&swap_total, &swap_free);

	meminfo_line(pb, "MemTotal:", total);
	meminfo_line(pb, "MemFree:", free);
	meminfo_line(pb, "MemAvailable:", free + (cached > shmem ? cached - shmem : 0));
	meminfo_line(pb, "Buffers:", buffer_cache_bytes() / PAGE_SIZE);   /* fs/buffer.c */
	meminfo_line(pb, "Cached:", cached);
	meminfo_line(pb, "SwapCached:", total_swapcache_pages());
	meminfo_line(pb, "Active:", lru_list_pages(LRU_ACTIVE_ANON) + lru_list_pages(LRU_ACTIVE_FILE));
	meminfo_line(pb, "Inactive:", lru_list_pages(LRU_INACTIVE_ANON) +
		     lru_list_pages(LRU_INACTIVE_FILE));
	meminfo_line(pb, "Active(anon):", lru_list_pages(LRU_ACTIVE_ANON));
	meminfo_line(pb, "Inactive(anon):", lru_list_pages(LRU_INACTIVE_ANON));
	meminfo_line(pb, "Active(file):", lru_list_pages(LRU_ACTIVE_FILE));
	meminfo_line(pb, "Inactive(file):", lru_list_pages(LRU_INACTIVE_FILE));
	meminfo_line(pb, "Unevictable:", lru_list_pages(LRU_UNEVICTABLE));
	meminfo_line(pb, "SwapTotal:", swap_total);
	meminfo_line(pb, "SwapFree:", swap_free);
	meminfo_line(pb, "Dirty:", global_node_page_state(NR_FILE_DIRTY));
	meminfo_line(pb, "Writeback:", global_node_page_state(NR_WRITEBACK));
	meminfo_line(pb, "Mapped:", global_node_page_state(NR_FILE_MAPPED));
	meminfo_line(pb, "Shmem:", shmem);
	meminfo_line(pb, "HardwareCorrupted:", soft_offline_pages());
	return 0;
}

/* Frames soft-offline has retired for good (each offline event is one). */
static unsigned long
soft_offline_pages(void)
{
	unsigned long events[NR_VM_EVENT_ITEMS];

	all_vm_events(events);
	return events[SOFT_OFFLINE];
}

/* /proc/buddyinfo: free blocks of each order, in Linux's layout
 * ("Node %d, zone %8s " then "%6lu " per order). anvil has one zone. */
static int
proc_show_buddyinfo(struct proc_buf *pb, int pid)
{
	unsigned long counts[NR_ORDERS];

	buddy_counts(counts);
	pb_printf(pb, "Node %d, zone %8s ", 0, "Normal");
	for (int order = 0; order < NR_ORDERS; order++)
		pb_printf(pb, "%6lu ", counts[order]);
	pb_printf(pb, "\n");
	return 0;
}

/* /proc/vmstat: "name value" lines, the free pages first, then the page
 * state counters and every VM event counter of mm/vmstat.h. */
static int
proc_show_vmstat(struct proc_buf *pb, int pid)
{
	unsigned long events[NR_VM_EVENT_ITEMS];

	all_vm_events(events);
	pb_printf(pb, "nr_free_pages %lu\n", nr_free_pages());
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		pb_printf(pb, "%s %lu\n", vm_node_stat_names[i], global_node_page_state(i));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		pb_printf(pb, "%s %lu\n", vm_event_names[i], events[i]);
	return 0;
}

/* /proc/slabinfo: one line per slab cache in Linux's "version 2.1" layout.
 * anvil's slabs have no per-CPU tunables: those columns are 0. */
static int
proc_show_slabinfo(struct proc_buf *pb, int pid)
{
	int n = slab_stats_snapshot(NULL, 0), room = n + 8;   /* a few may appear meanwhile */
	struct slab_stats *st = kmalloc(room * sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	n = slab_stats_snapshot(st, room);
	pb_printf(pb, "slabinfo - version: 2.1\n");
	pb_printf(pb, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		  " : tunables <limit> <batchcount> <sharedfactor>"
		  " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (int i = 0; i < n && i < room; i++) {
		pb_printf(pb, "%-17s %6lu %6lu %6u %4u %4u", st[i].name, st[i].active_objects,
			  st[i].objects, st[i].size, st[i].objects_per_slab, st[i].pages_per_slab);
		pb_printf(pb, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		pb_printf(pb, " : slabdata %6lu %6lu %6lu\n", st[i].active_slabs, st[i].slabs, 0ul);
	}
	kfree(st);
	return 0;
}

/* /proc/sys/vm/rmap_check, read: the number of reverse-mapping mismatches
 * the checker (mm/rmap.h) finds now; 0 means consistent. */
static int
proc_show_rmap_check(struct proc_buf *pb, int pid)
{
	int mismatches = rmap_check_all(false);

	if (mismatches < 0)
		return mismatches;
	pb_printf(pb, "%d\n", mismatches);
	return 0;
}

/* /proc/sys/vm/rmap_check, written (any text): the checker runs again and
 * prints each mismatch on the console; the write fails with EIO if it
 * found any. */
static int
proc_store_rmap_check(int pid, const char *text, size_t len)
{
	int mismatches = rmap_check_all(true);

	if (mismatches < 0)
		return mismatches;
	return mismatches ? -EIO : 0;
}

/* /proc/sys/vm/drop_caches, written "1" to "4" as on Linux: what the file
 * systems cache goes (drop_caches, fs/drop_caches.c: 1 and 3 the clean page
 * cache, any value the unused dentries, inodes and clean buffers); then
 * the slab caches give their empty slabs back to the buddy allocator. init writes it before counting free pages, so a cache that
 * grew during a test is not a "lost" page. */
static int
proc_store_drop_caches(int pid, const char *text, size_t len)
{
	if (len < 1 || text[0] < '1' || text[0] > '4' || (len > 1 && text[1] != '\n'))
		return -EINVAL;
	drop_caches(text[0] - '0');
	kmem_cache_shrink_all();
	return 0;
}

/* /proc/sys/vm/swappiness: how readily reclaim swaps anonymous pages
 * rather than drop file pages (mm/vmscan.c), 0..200 as on Linux 6.1. */
static int
proc_show_swappiness(struct proc_buf *pb, int pid)
{
	pb_printf(pb, "%d\n", vm_swappiness);
	return 0;
}

static int parse_u64_any_base(const char *text, uint64_t *out);

/* Written: a number (any base, as Linux's proc_dointvec_minmax reads it)
 * in 0..MAX_SWAPPINESS, else EINVAL. */
static int
proc_store_swappiness(int pid, const char *text, size_t len)
{
	uint64_t value;

	if (parse_u64_any_base(text, &value) || value > MAX_SWAPPINESS)
		return -EINVAL;
	vm_swappiness = (int)value;
	return 0;
}

/* The value of c as a digit (letters for bases above 10), or 16 if none. */
static unsigned
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned)(c - 'A' + 10);
	return 16;
}

/* The base of the number at *s, as C and Linux's kstrtoull(s, 0) see it:
 * "0x" or "0X" followed by a hex digit is hex (*s moves past the prefix),
 * another leading "0" is octal, anything else decimal. */
static unsigned
number_base(const char **s)
{
	const char *p = *s;

	if (p[0] != '0')
		return 10;
	if ((p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		*s = p + 2;
		return 16;
	}
	return 8;
}

/* Parses text as Linux's kstrtoull(text, 0): an optional '+', a number in
 * the base its prefix says, then at most one newline. 0, or -EINVAL for
 * anything else (no digits, trailing junk, more than 64 bits). */
static int
parse_u64_any_base(const char *text, uint64_t *out)
{
	const char *s = text, *digits;
	uint64_t value = 0;
	unsigned base;

	if (*s == '+')
		s++;
	base = number_base(&s);
	for (digits = s; digit_value(*s) < base; s++) {
		unsigned d = digit_value(*s);

		if (value > (UINT64_MAX - d) / base)
			return -EINVAL;
		value = value * base + d;
	}
	if (s == digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s != '\0')
		return -EINVAL;
	*out = value;
	return 0;
}

/* /sys/devices/system/memory/soft_offline_page: the physical address
 * written names a frame to move the user page out of and retire for good
 * (soft_offline_page, mm/migrate.h). Its error, -EINVAL for text that is
 * not a number, -ENXIO for an address beyond 32-bit frame numbers. */
static int
sysfs_store_soft_offline_page(int pid, const char *text, size_t len)
{
	uint64_t phys, pfn;

	if (parse_u64_any_base(text, &phys))
		return -EINVAL;
	pfn = phys >> PAGE_SHIFT;
	if ((unsigned long)pfn != pfn)
		return -ENXIO;
	return soft_offline_page((unsigned long)pfn);
}

/* /proc/self -> the pid of whoever follows the link. */
static int
proc_self_link(int pid, char *buf, size_t size)
{
	char text[PID_NAME_MAX];
	int n = snprintf(text, sizeof(text), "%d", current->pid);

	if ((size_t)n > size)
		n = (int)size;
	memcpy(buf, text, (size_t)n);
	return n;
}

/* /proc/mounts -> self/mounts, as on Linux. */
static int
proc_mounts_link(int pid, char *buf, size_t size)
{
	static const char target[] = "self/mounts";
	size_t n = sizeof(target) - 1 < size ? sizeof(target) - 1 : size;

	memcpy(buf, target, n);
	return (int)n;
}

/* ---- per-process files ------------------------------------------------- */

#define LINUX_DEFAULT_PRIORITY 20        /* what Linux shows for nice 0 */
#define RSS_LIMIT_UNLIMITED    4294967295ul   /* RLIM_INFINITY on i386 */

/* Appends count fields of " 0" (the /proc/PID/stat fields anvil does not track). */
static void
stat_zero_fields(struct proc_buf *pb, int count)
{
	while (count-- > 0)
		pb_printf(pb, " 0");
}

/* /proc/PID/stat: the 52 fields of proc(5), one line. Fields anvil does not
 * track are 0; session is shown as the process group. */
static int
proc_show_pid_stat(struct proc_buf *pb, int pid)
{
	struct proc_info pi;

	if (proc_get_info(pid, &pi))
		return -ESRCH;
	/* 1-9: pid (comm) state ppid pgrp session tty_nr tpgid flags */
	pb_printf(pb, "%d (%s) %c %d %d %d %d %d %u", pi.pid, pi.comm, pi.state,
		  pi.ppid, pi.pgid, pi.pgid, 0, -1, 0u);
	/* 10-17: minflt cminflt majflt cmajflt utime stime cutime cstime */
	stat_zero_fields(pb, 8);
	/* 18-25: priority nice num_threads itrealvalue starttime vsize rss rsslim */
	pb_printf(pb, " %d %d %d %d %d %lu %lu %lu", LINUX_DEFAULT_PRIORITY, 0, 1, 0, 0,
		  pi.vm_bytes, pi.rss_pages, RSS_LIMIT_UNLIMITED);
	/* 26-37: startcode endcode startstack kstkesp kstkeip signal blocked
	 *        sigignore sigcatch wchan nswap cnswap */
	stat_zero_fields(pb, 12);
	/* 38: exit_signal */
	pb_printf(pb, " %d", SIGCHLD);
	/* 39-52: processor rt_priority policy delayacct_blkio_ticks guest_time
	 *        cguest_time start_data end_data start_brk arg_start arg_end
	 *        env_start env_end exit_code */
	stat_zero_fields(pb, 14);
	pb_printf(pb, "\n");
	return 0;
}

/* The State: line of /proc/PID/status for a stat state letter. */
static const char *
state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'Z': return "Z (zombie)";
	default:  return "X (dead)";
	}
}

/* /proc/PID/status: "Key:\tvalue" lines, the Vm lines (fs/proc_task_mmu.c)
 * only for a process that has memory, as on Linux. */
static int
proc_show_pid_status(struct proc_buf *pb, int pid)
{
	struct proc_info pi;

	if (proc_get_info(pid, &pi))
		return -ESRCH;
	pb_printf(pb, "Name:\t%s\n", pi.comm);
	pb_printf(pb, "State:\t%s\n", state_name(pi.state));
	pb_printf(pb, "Tgid:\t%d\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
		  pi.pid, pi.pid, pi.ppid);
	pb_printf(pb, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	proc_show_task_mem(pb, pid);
	pb_printf(pb, "Threads:\t1\n");
	return 0;
}

/* /proc/PID/cmdline: the arguments exactly as exec saw them, NUL-separated. */
static int
proc_show_pid_cmdline(struct proc_buf *pb, int pid)
{
	struct proc_info pi;

	if (proc_get_info(pid, &pi))
		return -ESRCH;
	pb_write(pb, pi.cmdline, pi.cmdline_len);
	return 0;
}

/* ---- the tables -------------------------------------------------------- */

static const struct file_operations proc_reg_fops;

#define PROC_FILE(n, i, fn) { .name = n, .mode = S_IFREG | 0444, .ino = i, .show = fn }
/* A system-wide /proc file, one Linux makes with proc_create: the same
 * file, but mmap on it fails with EIO rather than ENODEV. */
#define PROC_REG_FILE(n, i, fn) { .name = n, .mode = S_IFREG | 0444, .ino = i, .show = fn, \
				  .fops = &proc_reg_fops }
#define PROC_RW_FILE(n, i, m, fn, st) { .name = n, .mode = S_IFREG | (m), .ino = i, .show = fn, .store = st }
#define PROC_STORE_FILE(n, i, m, st) { .name = n, .mode = S_IFREG | (m), .ino = i, .store = st }
#define PROC_FOPS_FILE(n, i, m, f) { .name = n, .mode = S_IFREG | (m), .ino = i, .fops = f }
#define PROC_LINK(n, i, fn) { .name = n, .mode = S_IFLNK | 0777, .ino = i, .link = fn }
#define PROC_SUBDIR(n, i, d) { .name = n, .mode = S_IFDIR | 0555, .ino = i, .dir = d }
#define SYSFS_SUBDIR(n, i, d) { .name = n, .mode = S_IFDIR | 0755, .ino = i, .dir = d }

/* /proc/PID */
static const struct proc_entry pid_entries[] = {
	PROC_FILE("stat",    PROC_PID_STAT_INO,    proc_show_pid_stat),
	PROC_FILE("status",  PROC_PID_STATUS_INO,  proc_show_pid_status),
	PROC_FILE("cmdline", PROC_PID_CMDLINE_INO, proc_show_pid_cmdline),
	PROC_FILE("maps",    PROC_PID_MAPS_INO,    proc_show_pid_maps),
	PROC_FILE("smaps",   PROC_PID_SMAPS_INO,   proc_show_pid_smaps),
	PROC_FOPS_FILE("pagemap", PROC_PID_PAGEMAP_INO, 0400, &proc_pagemap_fops),
	PROC_FILE("mounts",  PROC_PID_MOUNTS_INO,  proc_show_mounts),
};
static const struct proc_dir pid_dir = PROC_DIR(pid_entries, false);

/* /proc/sys/vm */
static const struct proc_entry sys_vm_entries[] = {
	PROC_RW_FILE("rmap_check", PROC_SYS_VM_RMAP_CHECK_INO, 0644,
		     proc_show_rmap_check, proc_store_rmap_check),
	PROC_STORE_FILE("drop_caches", PROC_SYS_VM_DROP_CACHES_INO, 0200, proc_store_drop_caches),
	PROC_RW_FILE("swappiness", PROC_SYS_VM_SWAPPINESS_INO, 0644, proc_show_swappiness,
		     proc_store_swappiness),
};
static const struct proc_dir sys_vm_dir = PROC_DIR(sys_vm_entries, false);

/* /proc/sys */
static const struct proc_entry sys_entries[] = {
	PROC_SUBDIR("vm", PROC_SYS_VM_INO, &sys_vm_dir),
};
static const struct proc_dir sys_dir = PROC_DIR(sys_entries, false);

/* /proc/partitions: one line per block device, in Linux's layout (its
 * size in 1 KiB blocks). There are no partition tables: whole disks only. */
static void
partitions_line(struct block_device *bdev, void *pb)
{
	pb_printf(pb, "%4u  %7u %10llu %s\n", MAJOR(bdev->bd_dev), MINOR(bdev->bd_dev),
		  bdev->bd_nr_sectors >> 1, bdev->bd_name);
}

static int
proc_show_partitions(struct proc_buf *pb, int pid)
{
	pb_printf(pb, "major minor  #blocks  name\n\n");
	blkdev_for_each(partitions_line, pb);
	return 0;
}

/* Writes a path as Linux's seq_file_path does for /proc/swaps: space,
 * tab, newline and backslash as octal escapes (\040...). Its length. */
static size_t
swaps_path(struct proc_buf *pb, const char *path)
{
	size_t len = 0;

	for (const char *p = path; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\\') {
			pb_printf(pb, "\\%03o", (unsigned char)*p);
			len += 4;
		} else {
			pb_write(pb, p, 1);
			len++;
		}
	}
	return len;
}

/* /proc/swaps in Linux's layout: the path padded to 40 columns, the type,
 * then size and used in KiB and the priority, tab-separated (a second tab
 * after a figure below 10000000, as Linux keeps its columns). */
static int
proc_show_swaps(struct proc_buf *pb, int pid)
{
	struct swap_area_info *areas = kmalloc(MAX_SWAPFILES * sizeof(*areas), GFP_KERNEL);
	int n;

	if (!areas)
		return -ENOMEM;
	n = swap_areas_snapshot(areas, MAX_SWAPFILES);
	pb_printf(pb, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (int i = 0; i < n; i++) {
		const struct swap_area_info *a = &areas[i];
		size_t len = swaps_path(pb, a->name);

		pb_printf(pb, "%*s%s\t%lu\t%s%lu\t%s%d\n", len < 40 ? (int)(40 - len) : 1, " ",
			  a->partition ? "partition" : "file\t", a->size_kb,
			  a->size_kb < 10000000 ? "\t" : "", a->used_kb,
			  a->used_kb < 10000000 ? "\t" : "", a->prio);
	}
	kfree(areas);
	return 0;
}

/* /proc */
static const struct proc_entry root_entries[] = {
	PROC_REG_FILE("meminfo",   PROC_MEMINFO_INO,   proc_show_meminfo),
	PROC_REG_FILE("buddyinfo", PROC_BUDDYINFO_INO, proc_show_buddyinfo),
	PROC_REG_FILE("vmstat",    PROC_VMSTAT_INO,    proc_show_vmstat),
	PROC_REG_FILE("partitions", PROC_PARTITIONS_INO, proc_show_partitions),
	PROC_REG_FILE("swaps",     PROC_SWAPS_INO,     proc_show_swaps),
	{ .name = "slabinfo", .mode = S_IFREG | 0400, .ino = PROC_SLABINFO_INO,
	  .show = proc_show_slabinfo, .fops = &proc_reg_fops },
	PROC_LINK("self",      PROC_SELF_INO,      proc_self_link),
	PROC_REG_FILE("filesystems", PROC_FILESYSTEMS_INO, proc_show_filesystems),
	PROC_LINK("mounts",    PROC_MOUNTS_INO,    proc_mounts_link),
	PROC_SUBDIR("sys",     PROC_SYS_INO,       &sys_dir),
};
static const struct proc_dir root_dir = PROC_DIR(root_entries, true);

/* /sys/devices/system/memory */
static const struct proc_entry sysfs_memory_entries[] = {
	PROC_STORE_FILE("soft_offline_page", SYSFS_SOFT_OFFLINE_PAGE_INO, 0200,
			sysfs_store_soft_offline_page),
};
static const struct proc_dir sysfs_memory_dir = PROC_DIR(sysfs_memory_entries, false);

/* /sys/devices/system */
static const struct proc_entry sysfs_system_entries[] = {
	SYSFS_SUBDIR("memory", SYSFS_MEMORY_INO, &sysfs_memory_dir),
};
static const struct proc_dir sysfs_system_dir = PROC_DIR(sysfs_system_entries, false);

/* /sys/devices */
static const struct proc_entry sysfs_devices_entries[] = {
	SYSFS_SUBDIR("system", SYSFS_SYSTEM_INO, &sysfs_system_dir),
};
static const struct proc_dir sysfs_devices_dir = PROC_DIR(sysfs_devices_entries, false);

/* /sys */
static const struct proc_entry sysfs_root_entries[] = {
	SYSFS_SUBDIR("devices", SYSFS_DEVICES_INO, &sysfs_devices_dir),
};
static const struct proc_dir sysfs_root_dir = PROC_DIR(sysfs_root_entries, false);

/* The lines that are not in any table: the roots of /proc and /sys, and
 * each /proc/PID. */
static const struct proc_entry proc_root_entry = PROC_SUBDIR("proc", PROC_ROOT_INO, &root_dir);
static const struct proc_entry sysfs_root_entry = SYSFS_SUBDIR("sys", SYSFS_ROOT_INO, &sysfs_root_dir);
static const struct proc_entry pid_dir_entry = PROC_SUBDIR("PID", PROC_PID_DIR_INO, &pid_dir);

/* The inode number of entry e about process pid (0: system-wide). */
static uint64_t
proc_ino(const struct proc_entry *e, int pid)
{
	return pid ? PID_INO(pid, e->ino) : (uint64_t)e->ino;
}

/* ---- regular files ----------------------------------------------------- */

int
proc_inode_pid(const struct inode *inode)
{
	const struct proc_node *node = inode->i_private;

	return node->pid;
}

/* Whether line e may be opened with f_mode: reading needs a show function
 * and an r bit, writing a store function and a w bit, root included.
 * 0 or -EACCES. */
static int
proc_may_open(const struct proc_entry *e, unsigned f_mode)
{
	if ((f_mode & FMODE_READ) && !(e->show && (e->mode & 0444)))
		return -EACCES;
	if ((f_mode & FMODE_WRITE) && !(e->store && (e->mode & 0222)))
		return -EACCES;
	return 0;
}

/* Checks the access mode, then, when opened for reading, generates the
 * whole text; 0, -EACCES, -ENOMEM, or the show function's error (-ESRCH
 * when the process has gone). */
static int
proc_file_open(struct inode *inode, struct file *f)
{
	const struct proc_node *node = inode->i_private;
	struct proc_buf *pb;
	int err = proc_may_open(node->entry, f->f_mode);

	if (err || !(f->f_mode & FMODE_READ))
		return err;
	pb = kzalloc(sizeof(*pb), GFP_KERNEL);
	if (!pb)
		return -ENOMEM;
	err = node->entry->show(pb, node->pid);
	if (!err && pb->failed)
		err = -ENOMEM;
	if (err) {
		pb_free(pb);
		return err;
	}
	f->private_data = pb;
	return 0;
}

static ssize_t
proc_file_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	const struct proc_buf *pb = f->private_data;

	if (!pb)
		return -EBADF;                   /* opened for writing only */
	return simple_read_from_buffer(b, pos, pb->data, pb->len);
}

/* Hands the written bytes (at most PROC_STORE_MAX of them, NUL-terminated)
 * to the line's store function; the count taken, or its error. Each write
 * is a whole new value wherever *pos is, as in sysfs and /proc/sys. */
static ssize_t
proc_file_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	const struct proc_node *node = f->f_inode->i_private;
	size_t len = b->left < PROC_STORE_MAX ? b->left : PROC_STORE_MAX;
	char *text = kmalloc(len + 1, GFP_KERNEL);
	int err;

	if (!text)
		return -ENOMEM;
	err = iobuf_get(b, text, len);
	if (!err) {
		text[len] = '\0';
		err = node->entry->store(node->pid, text, len);
	}
	kfree(text);
	if (err)
		return err;
	*pos += (loff_t)len;
	return (ssize_t)len;
}

static void
proc_file_release(struct inode *inode, struct file *f)
{
	pb_free(f->private_data);
	f->private_data = NULL;
}

/* i_op->truncate of regular files, called for open's O_TRUNC: on a
 * writable file (`echo 1 > /proc/sys/vm/rmap_check`) it is accepted and
 * changes nothing, as on Linux; elsewhere -EACCES, as opening would give. */
static int
proc_truncate(struct inode *inode, loff_t size)
{
	const struct proc_node *node = inode->i_private;

	return node->entry->store && (node->entry->mode & 0222) ? 0 : -EACCES;
}

static const struct inode_operations proc_file_iops = { .truncate = proc_truncate };

static const struct file_operations proc_file_fops = {
	.open = proc_file_open,
	.read = proc_file_read,
	.write = proc_file_write,
	.release = proc_file_release,
};

/* Linux's proc_create files have a mapping hook that finds nothing to map. */
static int
proc_reg_mmap(struct file *f, struct vm_area_struct *vma)
{
	(void)f; (void)vma;
	return -EIO;
}

static const struct file_operations proc_reg_fops = {
	.open = proc_file_open,
	.read = proc_file_read,
	.write = proc_file_write,
	.release = proc_file_release,
	.mmap = proc_reg_mmap,
};

/* ---- symlinks ---------------------------------------------------------- */

static int
proc_readlink(struct dentry *d, char *buf, size_t size)
{
	const struct proc_node *node = d->d_inode->i_private;

	return node->entry->link(node->pid, buf, size);
}

static const struct inode_operations proc_link_iops = { .readlink = proc_readlink };

/* ---- inodes ------------------------------------------------------------ */

static const struct inode_operations proc_dir_iops;
static const struct file_operations proc_dir_fops;

static void
proc_destroy_node(struct inode *inode)
{
	kfree(inode->i_private);
}

/* Directories count "." and each subdirectory's "..". */
static uint32_t
proc_dir_nlink(const struct proc_dir *dir)
{
	uint32_t nlink = 2;

	for (unsigned i = 0; i < dir->count; i++)
		if (S_ISDIR(dir->entries[i].mode))
			nlink++;
	return nlink;
}

/* A new inode (one reference) for table line e about process pid; NULL if
 * out of memory. */
static struct inode *
proc_make_inode(struct super_block *sb, const struct proc_entry *e, int pid)
{
	struct proc_node *node = kmalloc(sizeof(*node), GFP_KERNEL);
	struct inode *inode = node ? new_inode(sb, e->mode) : NULL;

	if (!inode) {
		kfree(node);
		return NULL;
	}
	node->entry = e;
	node->pid = pid;
	inode->i_ino = proc_ino(e, pid);
	inode->i_size = 0;                       /* as on Linux: size unknown until read */
	inode->i_private = node;
	inode->i_destroy = proc_destroy_node;
	if (S_ISDIR(e->mode)) {
		inode->i_nlink = proc_dir_nlink(e->dir);
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &proc_dir_fops;
	} else if (S_ISLNK(e->mode)) {
		inode->i_op = &proc_link_iops;
	} else {
		inode->i_op = &proc_file_iops;
		inode->i_fop = e->fops ? e->fops : &proc_file_fops;
	}
	return inode;
}

/* Gives the negative dentry d the inode of line e; 0 or -ENOMEM. */
static int
proc_instantiate(struct inode *dir, struct dentry *d, const struct proc_entry *e, int pid)
{
	struct inode *inode = proc_make_inode(dir->i_sb, e, pid);

	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

/* ---- directories: lookup ----------------------------------------------- */

static const struct proc_entry *
proc_find_entry(const struct proc_dir *dir, const char *name)
{
	for (unsigned i = 0; i < dir->count; i++)
		if (strcmp(dir->entries[i].name, name) == 0)
			return &dir->entries[i];
	return NULL;
}

/* The pid a name like "42" stands for, or 0 if it is not a canonical
 * decimal pid ("042", "4x", "" and numbers past INT_MAX are not). */
static int
parse_pid(const char *name)
{
	int pid = 0;

	if (*name == '\0' || *name == '0')
		return 0;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || pid > (0x7fffffff - 9) / 10)
			return 0;
		pid = pid * 10 + (*name - '0');
	}
	return pid;
}

/* /proc/NAME where NAME may be a pid: fills d if that process lives. */
static int
proc_lookup_pid_dir(struct inode *dir, struct dentry *d)
{
	struct proc_info pi;
	int pid = parse_pid(d->d_name);

	if (!pid || proc_get_info(pid, &pi))
		return 0;                        /* negative: ENOENT */
	return proc_instantiate(dir, d, &pid_dir_entry, pid);
}

/*
 * i_op->lookup of every procfs directory: the table line named d->d_name,
 * else (in the root) a live process's directory, else a negative dentry.
 * => namespace_mutex held (the path walk).
 */
static int
proc_dir_lookup(struct inode *dir, struct dentry *d)
{
	const struct proc_node *node = dir->i_private;
	const struct proc_dir *table = node->entry->dir;
	const struct proc_entry *e;

	d->d_flags |= D_VOLATILE;                /* never cached: see the top comment */
	e = proc_find_entry(table, d->d_name);
	if (e)
		return proc_instantiate(dir, d, e, node->pid);
	if (table->lists_pids)
		return proc_lookup_pid_dir(dir, d);
	return 0;
}

/* ---- directories: listing ---------------------------------------------- */

/*
 * Directory positions (ctx->pos):
 *   0, 1                     ".", ".."
 *   2 .. 2+count-1           the table's lines, in table order
 *   2+count+pid              the directory of process pid (root only)
 * A pid's position depends only on the pid and pids only grow, so a
 * listing resumed by a later getdents neither repeats nor skips a process
 * that lived throughout.
 */

/* Emits the table lines from ctx->pos on; false when the caller's buffer is full. */
static bool
proc_emit_table(struct dir_context *ctx, const struct proc_dir *dir, int pid)
{
	for (unsigned i = 0; i < dir->count; i++) {
		const struct proc_entry *e = &dir->entries[i];
		loff_t pos = 2 + (loff_t)i;

		if (ctx->pos > pos)
			continue;
		if (!ctx->actor(ctx, e->name, strlen(e->name), proc_ino(e, pid), dt_type(e->mode)))
			return false;
		ctx->pos = pos + 1;
	}
	return true;
}

/* Emits one directory per live process whose position is ≥ ctx->pos;
 * first is the position of pid 0. 0 or -ENOMEM. Shows at most
 * MAX_LISTED_PIDS processes (the lowest pids). */
static int
proc_emit_pids(struct dir_context *ctx, loff_t first)
{
	int *pids = kmalloc(MAX_LISTED_PIDS * sizeof(*pids), GFP_KERNEL);
	int n;

	if (!pids)
		return -ENOMEM;
	n = proc_list_pids(pids, MAX_LISTED_PIDS);
	for (int i = 0; i < n; i++) {
		char name[PID_NAME_MAX];
		loff_t pos = first + pids[i];
		int len;

		if (ctx->pos > pos)
			continue;
		len = snprintf(name, sizeof(name), "%d", pids[i]);
		if (!ctx->actor(ctx, name, (size_t)len, proc_ino(&pid_dir_entry, pids[i]), DT_DIR))
			break;
		ctx->pos = pos + 1;
	}
	kfree(pids);
	return 0;
}

/* f_op->iterate of every procfs directory. Called with no lock held. */
static int
proc_dir_iterate(struct file *f, struct dir_context *ctx)
{
	const struct proc_node *node = f->f_inode->i_private;
	const struct proc_dir *table = node->entry->dir;

	if (!dir_emit_dots(f, ctx) || !proc_emit_table(ctx, table, node->pid))
		return 0;
	if (table->lists_pids)
		return proc_emit_pids(ctx, 2 + (loff_t)table->count);
	return 0;
}

static const struct inode_operations proc_dir_iops = { .lookup = proc_dir_lookup };
static const struct file_operations proc_dir_fops = { .iterate = proc_dir_iterate };

/* ---- mounting ---------------------------------------------------------- */

/* A new super_block of type with its root dentry made from the table line
 * root_line; NULL if out of memory. /proc and /sys are two of these. */
static struct super_block *
table_fs_mount(const char *type, uint32_t dev, const struct proc_entry *root_line)
{
	struct super_block *sb = alloc_super(type, dev);
	struct inode *root;

	if (!sb)
		return NULL;
	sb->s_next_ino = NR_PROC_INOS;           /* new_inode's own numbers: unused */
	root = proc_make_inode(sb, root_line, 0);
	if (!root)
		goto out_free_sb;
	if (!d_alloc_root(sb, root))
		goto out_put_root;
	return sb;

out_put_root:
	iput(root);
out_free_sb:
	kfree(sb);
	return NULL;
}

/* A new /proc super_block; NULL if out of memory. */
struct super_block *
procfs_mount(void)
{
	struct super_block *sb = table_fs_mount("proc", PROC_DEV, &proc_root_entry);

	if (sb)
		sb->s_magic = PROC_SUPER_MAGIC;
	return sb;
}

/* A new /sys super_block; NULL if out of memory. */
struct super_block *
sysfs_mount(void)
{
	struct super_block *sb = table_fs_mount("sysfs", SYSFS_DEV, &sysfs_root_entry);

	if (sb)
		sb->s_magic = SYSFS_MAGIC;
	return sb;
}
