/*
 * fs/procfs.c — /proc: files whose contents the kernel writes when they
 * are opened, in Linux's formats so that ps, free and a student's
 * `cat /proc/meminfo` read them as on Linux.
 *
 *   /proc/meminfo, /proc/buddyinfo       system-wide figures
 *   /proc/self                           a symlink to the reader's pid
 *   /proc/PID/{stat,status,cmdline}      one directory per process
 *
 * Each directory is a table of entries (name, mode, generator); adding a
 * file is adding a line. A file's text is generated whole on open into a
 * growing kernel buffer, and read from there, so one open sees one
 * consistent snapshot.
 *
 * Invariants: procfs dentries are D_VOLATILE (never cached), so a
 * /proc/PID directory cannot outlive a lookup after its process is gone.
 * A /proc/PID inode keeps its pid in i_private.
 *
 * Locking: lookup runs under namespace_mutex (the path walk); everything
 * about processes comes from proc_list_pids/proc_get_info, which take
 * tasklist_lock themselves. No lock is held while generating text.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <libk/stdio.h>
#include <libk/string.h>
#include <stdarg.h>

#define MAX_PIDS 512
#define PROC_ROOT_INO 1
#define PID_INO(pid, n) (((uint64_t)(pid) << 8) | (n))

/* ---- text buffers ---------------------------------------------------- */

struct proc_buf {
	char *data;
	size_t len, cap;
	bool failed;            /* out of memory: the open fails with ENOMEM */
};

static void
pb_printf(struct proc_buf *pb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (pb->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(pb->data + pb->len, pb->cap - pb->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			pb->failed = true;
			return;
		}
		if ((size_t)n < pb->cap - pb->len) {
			pb->len += n;
			return;
		}
		size_t cap = pb->cap * 2;

		while (cap <= pb->len + (size_t)n)
			cap *= 2;
		char *bigger = kmalloc(cap, GFP_KERNEL);

		if (!bigger) {
			pb->failed = true;
			return;
		}
		memcpy(bigger, pb->data, pb->len);
		kfree(pb->data);
		pb->data = bigger;
		pb->cap = cap;
	}
}

static void
pb_write(struct proc_buf *pb, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n && !pb->failed; i++)
		pb_printf(pb, "%c", bytes[i]);
}

/* ---- the files ------------------------------------------------------- */

/* Fills pb for process pid (ignored by system-wide files); 0 or -errno. */
typedef int (*proc_show_t)(struct proc_buf *pb, int pid);

static unsigned long
pages_to_kb(unsigned long pages)
{
	return pages * (PAGE_SIZE / 1024);
}

static int
proc_show_meminfo(struct proc_buf *pb, int pid)
{
	unsigned long total = nr_managed_pages(), free = nr_free_pages();

	(void)pid;
	pb_printf(pb, "MemTotal:       %8lu kB\n", pages_to_kb(total));
	pb_printf(pb, "MemFree:        %8lu kB\n", pages_to_kb(free));
	pb_printf(pb, "MemAvailable:   %8lu kB\n", pages_to_kb(free));
	pb_printf(pb, "Buffers:        %8lu kB\n", 0ul);
	pb_printf(pb, "Cached:         %8lu kB\n", 0ul);
	pb_printf(pb, "SwapCached:     %8lu kB\n", 0ul);
	pb_printf(pb, "SwapTotal:      %8lu kB\n", 0ul);
	pb_printf(pb, "SwapFree:       %8lu kB\n", 0ul);
	return 0;
}

static int
proc_show_buddyinfo(struct proc_buf *pb, int pid)
{
	unsigned long counts[NR_ORDERS];

	(void)pid;
	buddy_counts(counts);
	pb_printf(pb, "Node 0, zone   Normal ");
	for (int order = 0; order < NR_ORDERS; order++)
		pb_printf(pb, "%7lu", counts[order]);
	pb_printf(pb, "\n");
	return 0;
}

/* The 52 fields of Linux's /proc/PID/stat (proc(5)); what anvil does not
 * track is 0. */
static int
show_pid_stat(struct proc_buf *pb, int pid)
{
	struct proc_info pi;

	if (proc_get_info(pid, &pi))
		return -ESRCH;
	pb_printf(pb, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 %lu %lu "
		  "4294967295 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		  pi.pid, pi.comm, pi.state, pi.ppid, pi.pgid, pi.pgid,
		  pi.vm_bytes, pi.rss_pages);
	return 0;
}

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

static int
show_pid_status(struct proc_buf *pb, int pid)
{
	struct proc_info pi;

	if (proc_get_info(pid, &pi))
		return -ESRCH;
	pb_printf(pb, "Name:\t%s\n", pi.comm);
	pb_printf(pb, "State:\t%s\n", state_name(pi.state));
	pb_printf(pb, "Tgid:\t%d\nPid:\t%d\nPPid:\t%d\n", pi.pid, pi.pid, pi.ppid);
	pb_printf(pb, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	if (pi.state != 'Z') {
		pb_printf(pb, "VmSize:\t%8lu kB\n", pi.vm_bytes / 1024);
		pb_printf(pb, "VmRSS:\t%8lu kB\n", pages_to_kb(pi.rss_pages));
	}
	pb_printf(pb, "Threads:\t1\n");
	return 0;
}

static int
show_pid_cmdline(struct proc_buf *pb, int pid)
{
	struct proc_info pi;

	if (proc_get_info(pid, &pi))
		return -ESRCH;
	pb_write(pb, pi.cmdline, pi.cmdline_len);
	return 0;
}

struct proc_entry {
	const char *name;
	uint32_t mode;
	proc_show_t show;
};

static const struct proc_entry root_entries[] = {
	{ "meminfo",   S_IFREG | 0444, proc_show_meminfo },
	{ "buddyinfo", S_IFREG | 0444, proc_show_buddyinfo },
	{ "self",      S_IFLNK | 0777, NULL },
};
#define NR_ROOT_ENTRIES (sizeof(root_entries) / sizeof(root_entries[0]))

static const struct proc_entry pid_entries[] = {
	{ "stat",    S_IFREG | 0444, show_pid_stat },
	{ "status",  S_IFREG | 0444, show_pid_status },
	{ "cmdline", S_IFREG | 0444, show_pid_cmdline },
};
#define NR_PID_ENTRIES (sizeof(pid_entries) / sizeof(pid_entries[0]))

/* ---- file operations ---------------------------------------------------- */

/* What a generated file's inode knows: which generator, for which pid. */
struct proc_file_info {
	proc_show_t show;
	int pid;
};

static int
proc_file_open(struct inode *inode, struct file *f)
{
	struct proc_file_info *pfi = inode->i_private;
	struct proc_buf *pb = kzalloc(sizeof(*pb), GFP_KERNEL);
	int err;

	if (!pb)
		return -ENOMEM;
	pb->cap = 256;
	pb->data = kmalloc(pb->cap, GFP_KERNEL);
	err = pb->data ? pfi->show(pb, pfi->pid) : -ENOMEM;
	if (!err && pb->failed)
		err = -ENOMEM;
	if (err) {
		kfree(pb->data);
		kfree(pb);
		return err;
	}
	f->private_data = pb;
	return 0;
}

static ssize_t
proc_file_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct proc_buf *pb = f->private_data;

	return simple_read_from_buffer(b, pos, pb->data, pb->len);
}

static void
proc_file_release(struct inode *inode, struct file *f)
{
	struct proc_buf *pb = f->private_data;

	(void)inode;
	if (pb) {
		kfree(pb->data);
		kfree(pb);
	}
}

static const struct file_operations proc_file_fops = {
	.open = proc_file_open,
	.read = proc_file_read,
	.release = proc_file_release,
};

static void
free_private(struct inode *inode)
{
	kfree(inode->i_private);
}

static int
self_readlink(struct dentry *d, char *buf, size_t size)
{
	char text[16];
	int n = snprintf(text, sizeof(text), "%d", current->pid);

	(void)d;
	if ((size_t)n > size)
		n = (int)size;
	memcpy(buf, text, n);
	return n;
}

static const struct inode_operations proc_self_iops = { .readlink = self_readlink };
static const struct inode_operations proc_root_iops, proc_pid_iops;
static const struct file_operations proc_root_fops, proc_pid_fops;

/* ---- directories ---------------------------------------------------------- */

static struct inode *
proc_entry_inode(struct super_block *sb, const struct proc_entry *e, int pid, uint64_t ino)
{
	struct inode *inode = new_inode(sb, e->mode);
	struct proc_file_info *pfi;

	if (!inode)
		return NULL;
	inode->i_ino = ino;
	inode->i_size = 0;
	if (S_ISLNK(e->mode)) {
		inode->i_op = &proc_self_iops;
		return inode;
	}
	pfi = kmalloc(sizeof(*pfi), GFP_KERNEL);
	if (!pfi) {
		iput(inode);
		return NULL;
	}
	pfi->show = e->show;
	pfi->pid = pid;
	inode->i_private = pfi;
	inode->i_destroy = free_private;
	inode->i_fop = &proc_file_fops;
	return inode;
}

/* Looks name up in a table; fills d if found. */
static int
lookup_in_table(struct inode *dir, struct dentry *d, const struct proc_entry *table,
		unsigned count, int pid)
{
	for (unsigned i = 0; i < count; i++) {
		if (strcmp(table[i].name, d->d_name) != 0)
			continue;
		uint64_t ino = pid ? PID_INO(pid, i + 1) : PROC_ROOT_INO + 1 + i;
		struct inode *inode = proc_entry_inode(dir->i_sb, &table[i], pid, ino);

		if (!inode)
			return -ENOMEM;
		d_instantiate(d, inode);
		return 0;
	}
	return 0;
}

/* The pid a name like "42" names, or 0. */
static int
parse_pid(const char *name)
{
	int pid = 0;

	if (!*name || *name == '0')
		return 0;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || pid > 10000000)
			return 0;
		pid = pid * 10 + (*name - '0');
	}
	return pid;
}

static int
proc_root_lookup(struct inode *dir, struct dentry *d)
{
	struct proc_info pi;
	struct inode *inode;
	int pid = parse_pid(d->d_name);

	d->d_flags |= D_VOLATILE;
	if (!pid)
		return lookup_in_table(dir, d, root_entries, NR_ROOT_ENTRIES, 0);
	if (proc_get_info(pid, &pi))
		return 0;
	inode = new_inode(dir->i_sb, S_IFDIR | 0555);
	if (!inode)
		return -ENOMEM;
	inode->i_ino = PID_INO(pid, 0);
	inode->i_nlink = 2;
	inode->i_op = &proc_pid_iops;
	inode->i_fop = &proc_pid_fops;
	inode->i_private = (void *)(uintptr_t)pid;
	d_instantiate(d, inode);
	return 0;
}

static int
proc_pid_lookup(struct inode *dir, struct dentry *d)
{
	d->d_flags |= D_VOLATILE;
	return lookup_in_table(dir, d, pid_entries, NR_PID_ENTRIES, (int)(uintptr_t)dir->i_private);
}

/* Emits table entries from ctx->pos on (positions first..first+count-1). */
static bool
emit_table(struct dir_context *ctx, const struct proc_entry *table, unsigned count,
	   loff_t first, int pid)
{
	for (unsigned i = 0; i < count; i++) {
		if (ctx->pos > first + (loff_t)i)
			continue;
		uint64_t ino = pid ? PID_INO(pid, i + 1) : PROC_ROOT_INO + 1 + i;

		if (!ctx->actor(ctx, table[i].name, strlen(table[i].name), ino, dt_type(table[i].mode)))
			return false;
		ctx->pos = first + i + 1;
	}
	return true;
}

/* Lists the fixed entries, then one directory per live process: position
 * 2 + NR_ROOT_ENTRIES + k holds the directory of pid k (pids only grow,
 * so a listing resumed later neither repeats nor skips a live process). */
static int
proc_root_iterate(struct file *f, struct dir_context *ctx)
{
	static int pids[MAX_PIDS];
	loff_t first_pid_pos = 2 + NR_ROOT_ENTRIES;
	int n;

	if (!dir_emit_dots(f, ctx) || !emit_table(ctx, root_entries, NR_ROOT_ENTRIES, 2, 0))
		return 0;
	mutex_lock(&namespace_mutex);            /* also guards the static pids[] */
	n = proc_list_pids(pids, MAX_PIDS);
	for (int i = 0; i < n; i++) {
		char name[12];
		int len;

		if (ctx->pos > first_pid_pos + pids[i])
			continue;
		len = snprintf(name, sizeof(name), "%d", pids[i]);
		if (!ctx->actor(ctx, name, len, PID_INO(pids[i], 0), DT_DIR))
			break;
		ctx->pos = first_pid_pos + pids[i] + 1;
	}
	mutex_unlock(&namespace_mutex);
	return 0;
}

static int
proc_pid_iterate(struct file *f, struct dir_context *ctx)
{
	int pid = (int)(uintptr_t)f->f_inode->i_private;

	if (dir_emit_dots(f, ctx))
		emit_table(ctx, pid_entries, NR_PID_ENTRIES, 2, pid);
	return 0;
}

static const struct inode_operations proc_root_iops = { .lookup = proc_root_lookup };
static const struct inode_operations proc_pid_iops = { .lookup = proc_pid_lookup };
static const struct file_operations proc_root_fops = { .iterate = proc_root_iterate };
static const struct file_operations proc_pid_fops = { .iterate = proc_pid_iterate };

struct super_block *
procfs_mount(void)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	struct inode *root;

	if (!sb)
		return NULL;
	sb->s_type = "proc";
	sb->s_dev = MKDEV(0, 4);
	root = new_inode(sb, S_IFDIR | 0555);
	if (!root)
		return NULL;
	root->i_ino = PROC_ROOT_INO;
	root->i_op = &proc_root_iops;
	root->i_fop = &proc_root_fops;
	if (!d_alloc_root(sb, root))
		return NULL;
	return sb;
}
