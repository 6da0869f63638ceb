/*
 * fs/sync.c — making what was written durable: sync, syncfs, fsync,
 * fdatasync, and sync_filesystem, which umount, remount read-only and
 * power-off use too; and the flusher, a kernel thread that every 5 s
 * writes back every file system if a page or an inode was dirtied.
 *
 * sync_filesystem(sb) writes one file system: for each of its inodes the
 * dirty pages of its page cache (filemap_write_and_wait, mm/filemap.h),
 * then its metadata if it is dirty (s_op->write_inode, I_DIRTY cleared
 * first so that a change made meanwhile dirties it again), then the file
 * system's own metadata (s_op->sync_fs, waiting). fsync(fd) asks the file's
 * own f_op->fsync; a regular file or directory without one has nothing to
 * write (0); anything else cannot be synced (EINVAL), as on Linux.
 *
 * Invariant: an inode is only written while this code holds a reference
 * to it, so it cannot be freed under the write. The walk of sb's inodes is
 * iterate_inodes (fs/inode.c): it skips an inode whose last reference is
 * being dropped (I_FREEING) or that is still being read in (I_NEW), and
 * holds inode_sb_list_lock only between inodes. sync(2) holds
 * namespace_mutex (fs/namespace.c) so the set of mounted file systems
 * stays put.
 */
#include <fs/file.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <kernel/syscall.h>
#include <kernel/spinlock.h>
#include <kernel/sched.h>
#include <kernel/printk.h>
#include <mm/vmstat.h>

/* The first of two results that is an error. */
static int
first_error(int err, int next)
{
	return err ? err : next;
}

/* Writes inode's dirty pages and waits for them, then its metadata if it
 * is dirty; 0 or the first error (the inode is dirty again after a failed
 * write_inode). The caller holds a reference. */
int
write_inode_now(struct inode *inode)
{
	const struct super_operations *sop = inode->i_sb ? inode->i_sb->s_op : NULL;
	int err = filemap_write_and_wait(inode->i_mapping);

	if ((inode->i_state & I_DIRTY) && sop && sop->write_inode) {
		uint32_t flags = local_irq_save();
		int werr;

		inode->i_state &= ~I_DIRTY;
		local_irq_restore(flags);
		werr = sop->write_inode(inode, true);
		if (werr)
			mark_inode_dirty(inode);
		err = first_error(err, werr);
	}
	return err;
}

/* iterate_inodes' step of sync_filesystem: the first error in *arg. */
static void
sync_one_inode(struct inode *inode, void *arg)
{
	int *err = arg;

	*err = first_error(*err, write_inode_now(inode));
}

int
sync_filesystem(struct super_block *sb)
{
	int err = 0;

	might_sleep();
	iterate_inodes(sb, 0, sync_one_inode, &err);
	if (sb->s_op && sb->s_op->sync_fs)
		err = first_error(err, sb->s_op->sync_fs(sb, true));
	return err;
}

int
generic_file_fsync(struct file *f, bool datasync)
{
	struct inode *inode = f->f_inode;

	return datasync ? filemap_write_and_wait(inode->i_mapping) : write_inode_now(inode);
}

int
vfs_fsync(struct file *f, bool datasync)
{
	uint32_t mode = f->f_inode->i_mode;

	if (f->f_op && f->f_op->fsync)
		return f->f_op->fsync(f, datasync);
	return S_ISREG(mode) || S_ISDIR(mode) ? 0 : -EINVAL;
}

/* fsync(2), fdatasync(2): EBADF for a closed descriptor (an O_PATH one
 * included, as Linux), EINVAL for a file that cannot be synced. */
static long
do_fsync(int fd, bool datasync)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = (f->f_flags & O_PATH) ? -EBADF : vfs_fsync(f, datasync);
	fput(f);
	return err;
}
static long sys_fsync(int fd) { return do_fsync(fd, false); }
static long sys_fdatasync(int fd) { return do_fsync(fd, true); }
SYSCALL_DEFINE(fsync, sys_fsync);
SYSCALL_DEFINE(fdatasync, sys_fdatasync);

/* ---- the flusher ---------------------------------------------------------- */

/* How often the flusher looks for dirty data (Linux's
 * dirty_writeback_centisecs, 5 s). */
#define FLUSH_INTERVAL_MS 5000

unsigned long dirty_events;

/* Whether anything was dirtied since the flusher last looked: a page of a
 * file with backing store (NR_FILE_DIRTY), an inode or a metadata buffer. */
static bool
writeback_wanted(unsigned long *seen_events)
{
	unsigned long events = dirty_events;
	bool wanted = global_node_page_state(NR_FILE_DIRTY) || events != *seen_events;

	*seen_events = events;
	return wanted;
}

/* Every FLUSH_INTERVAL_MS, if something is dirty, writes back every file
 * system, as Linux's flusher threads do: a QEMU killed without sync or
 * power-off loses only the last few seconds of writes to a disk. */
static int
flusher_thread(void *arg)
{
	unsigned long seen = 0;

	(void)arg;
	for (;;) {
		msleep(FLUSH_INTERVAL_MS);
		run_deferred_iputs();            /* inodes reclaim could not evict */
		if (writeback_wanted(&seen))
			sync_all_filesystems();
	}
	return 0;
}

void
flusher_init(void)
{
	if (!kthread_run(flusher_thread, NULL, "flush"))
		printk(KERN_WARNING "fs: no flusher thread: dirty data waits for sync\n");
}

/* sync(2): every mounted file system; it cannot fail. */
static long
sys_sync(void)
{
	sync_all_filesystems();
	return 0;
}
SYSCALL_DEFINE(sync, sys_sync);

/* syncfs(2): the file system fd's file is on; EBADF, or its first error. */
static long
sys_syncfs(int fd)
{
	struct file *f = fget(fd);
	struct super_block *sb;
	long err;

	if (!f)
		return -EBADF;
	if (f->f_flags & O_PATH) {
		fput(f);
		return -EBADF;
	}
	sb = f->f_dentry ? f->f_dentry->d_sb : f->f_inode->i_sb;
	err = sb ? sync_filesystem(sb) : 0;
	fput(f);
	return err;
}
SYSCALL_DEFINE(syncfs, sys_syncfs);
