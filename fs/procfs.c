/*
 * fs/procfs.c — /proc: files whose contents the kernel writes when they
 * are opened, in Linux's formats so that ps, free and a student's
 * `cat /proc/meminfo` read them as they would on Linux.
 *
 *   /proc/meminfo, /proc/buddyinfo       system-wide figures
 *   /proc/self                           a symlink to the reader's pid
 *   /proc/PID/{stat,status,cmdline}      one directory per live process
 *
 * The tree is described by tables. A directory is a struct proc_dir: a
 * table of struct proc_entry lines (name, mode, inode number, and what
 * makes its contents: a show function for a file, a link function for a
 * symlink, a proc_dir for a subdirectory). Adding /proc/vmstat, or
 * /proc/PID/maps, is one enum constant and one table line; /proc/sys/vm
 * is two small tables. The root's table also says "and one directory per
 * live process", which is the only place processes are listed.
 *
 * Every procfs inode carries a struct proc_node in i_private: the table
 * line it was made from and the pid it is about (0 for system-wide
 * entries). Entries inside /proc/PID inherit the pid of their directory.
 *
 * A file's text is generated whole on open into a growing kernel buffer
 * (struct proc_buf) and read from there, so one open sees one consistent
 * snapshot however small the reads; release frees it.
 *
 * Inode numbers (stable across lookups, unique in this super_block):
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
 * open, read and readlink run with no lock. Everything about processes
 * comes from proc_list_pids/proc_get_info (kernel/proc.h), which take
 * tasklist_lock themselves and return copies; procfs holds no lock of
 * its own and never walks the task list.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <arch/x86/mmu.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <libk/stdio.h>
#include <libk/string.h>
#include <stdarg.h>

#define PROC_DEV        MKDEV(0, 4)
#define PROC_BUF_START  256              /* first text buffer; doubles as needed */
#define MAX_LISTED_PIDS 1024             /* processes a listing of /proc shows */
#define PID_NAME_MAX    12               /* "2147483647" and a NUL */

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
	NR_PROC_INOS
};
_Static_assert(NR_PROC_INOS <= 256, "proc inode numbers must fit in PID_INO's low byte");

#define PID_INO(pid, n) (((uint64_t)(pid) << 8) | (n))

/* ---- text buffers ------------------------------------------------------ */

/* The text of one open file, grown as it is written. */
struct proc_buf {
	char *data;
	size_t len;             /* bytes of text */
	size_t cap;             /* bytes allocated (room for len + a NUL) */
	bool failed;            /* out of memory: the open fails with ENOMEM */
};

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

/* Appends formatted text; on failure sets pb->failed and appends nothing. */
static void __attribute__((format(printf, 2, 3)))
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

/* Appends n raw bytes (they may include NULs). */
static void
pb_write(struct proc_buf *pb, const void *bytes, size_t n)
{
	if (!pb_reserve(pb, n))
		return;
	memcpy(pb->data + pb->len, bytes, n);
	pb->len += n;
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
/* Writes a symlink's target into buf (at most size bytes, no NUL); its length. */
typedef int (*proc_link_t)(int pid, char *buf, size_t size);

struct proc_dir;

/* One line of a directory table: exactly one of show, link, dir is set,
 * matching the file type in mode. */
struct proc_entry {
	const char *name;
	uint32_t mode;                   /* S_IFREG|0444, S_IFLNK|0777, S_IFDIR|0555 */
	enum proc_ino ino;
	proc_show_t show;                /* regular file */
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

/* /proc/meminfo. anvil has no page cache and no swap yet: those are 0, and
 * all free memory is available. */
static int
proc_show_meminfo(struct proc_buf *pb, int pid)
{
	unsigned long total = nr_managed_pages(), free = nr_free_pages();

	meminfo_line(pb, "MemTotal:", total);
	meminfo_line(pb, "MemFree:", free);
	meminfo_line(pb, "MemAvailable:", free);
	meminfo_line(pb, "Buffers:", 0);
	meminfo_line(pb, "Cached:", 0);
	meminfo_line(pb, "SwapCached:", 0);
	meminfo_line(pb, "SwapTotal:", 0);
	meminfo_line(pb, "SwapFree:", 0);
	return 0;
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

/* A process with an address space (not a zombie, whose mm is gone). */
static bool
has_address_space(const struct proc_info *pi)
{
	return pi->vm_bytes != 0;
}

/* /proc/PID/status: "Key:\tvalue" lines, the Vm lines only for a process
 * that has memory, as on Linux. */
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
	if (has_address_space(&pi)) {
		pb_printf(pb, "VmSize:\t%8lu kB\n", pi.vm_bytes / 1024);
		pb_printf(pb, "VmRSS:\t%8lu kB\n", pages_to_kb(pi.rss_pages));
	}
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

#define PROC_FILE(n, i, fn) { .name = n, .mode = S_IFREG | 0444, .ino = i, .show = fn }
#define PROC_LINK(n, i, fn) { .name = n, .mode = S_IFLNK | 0777, .ino = i, .link = fn }
#define PROC_SUBDIR(n, i, d) { .name = n, .mode = S_IFDIR | 0555, .ino = i, .dir = d }

/* /proc/PID */
static const struct proc_entry pid_entries[] = {
	PROC_FILE("stat",    PROC_PID_STAT_INO,    proc_show_pid_stat),
	PROC_FILE("status",  PROC_PID_STATUS_INO,  proc_show_pid_status),
	PROC_FILE("cmdline", PROC_PID_CMDLINE_INO, proc_show_pid_cmdline),
};
static const struct proc_dir pid_dir = PROC_DIR(pid_entries, false);

/* /proc */
static const struct proc_entry root_entries[] = {
	PROC_FILE("meminfo",   PROC_MEMINFO_INO,   proc_show_meminfo),
	PROC_FILE("buddyinfo", PROC_BUDDYINFO_INO, proc_show_buddyinfo),
	PROC_LINK("self",      PROC_SELF_INO,      proc_self_link),
};
static const struct proc_dir root_dir = PROC_DIR(root_entries, true);

/* The lines that are not in any table: /proc itself and each /proc/PID. */
static const struct proc_entry proc_root_entry = PROC_SUBDIR("proc", PROC_ROOT_INO, &root_dir);
static const struct proc_entry pid_dir_entry = PROC_SUBDIR("PID", PROC_PID_DIR_INO, &pid_dir);

/* The inode number of entry e about process pid (0: system-wide). */
static uint64_t
proc_ino(const struct proc_entry *e, int pid)
{
	return pid ? PID_INO(pid, e->ino) : (uint64_t)e->ino;
}

/* ---- regular files ----------------------------------------------------- */

/* Generates the whole text; 0, -ENOMEM, or the show function's error
 * (-ESRCH when the process has gone). */
static int
proc_file_open(struct inode *inode, struct file *f)
{
	const struct proc_node *node = inode->i_private;
	struct proc_buf *pb = kzalloc(sizeof(*pb), GFP_KERNEL);
	int err;

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

	return simple_read_from_buffer(b, pos, pb->data, pb->len);
}

static void
proc_file_release(struct inode *inode, struct file *f)
{
	pb_free(f->private_data);
	f->private_data = NULL;
}

static const struct file_operations proc_file_fops = {
	.open = proc_file_open,
	.read = proc_file_read,
	.release = proc_file_release,
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
		inode->i_fop = &proc_file_fops;
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

/* A new /proc super_block with its root dentry; NULL if out of memory. */
struct super_block *
procfs_mount(void)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	struct inode *root;

	if (!sb)
		return NULL;
	sb->s_type = "proc";
	sb->s_dev = PROC_DEV;
	sb->s_next_ino = NR_PROC_INOS;           /* new_inode's own numbers: unused */
	root = proc_make_inode(sb, &proc_root_entry, 0);
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
