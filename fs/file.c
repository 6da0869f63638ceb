/*
 * fs/file.c — open file objects and descriptor tables.
 *
 * A file holds a reference on its dentry (if it has a name) and on its
 * inode; the last fput calls the driver's release and drops both. A named
 * file open for writing counts in its super_block's s_writers while it
 * lives (FMODE_WRITER), so a remount read-only can see it. A
 * descriptor table slot holds one reference on its file.
 *
 * Descriptor numbers: a new descriptor is the lowest free one at or above
 * the minimum asked for (0 for open, arg for F_DUPFD), below NR_OPEN_MAX
 * (EMFILE). The table starts with 32 slots and doubles when needed.
 */
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <mm/slab.h>
#include <libk/string.h>

#define INITIAL_FDS 32

static struct kmem_cache *file_cache;

struct file *
alloc_file(struct dentry *d, struct inode *inode, unsigned flags,
	   const struct file_operations *fop)
{
	struct file *f;

	if (!file_cache)
		file_cache = kmem_cache_create("file", sizeof(struct file), 4);
	f = kmem_cache_zalloc(file_cache);
	if (!f)
		return NULL;
	f->f_count = 1;
	f->f_flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	switch (flags & O_ACCMODE) {
	case O_RDONLY: f->f_mode = FMODE_READ; break;
	case O_WRONLY: f->f_mode = FMODE_WRITE; break;
	case O_RDWR:   f->f_mode = FMODE_READ | FMODE_WRITE; break;
	default:       f->f_mode = 0; break;
	}
	if (flags & O_PATH)
		f->f_mode = 0;
	f->f_dentry = d ? dget(d) : NULL;
	if (d && (f->f_mode & FMODE_WRITE)) {
		uint32_t irq = local_irq_save();

		f->f_mode |= FMODE_WRITER;
		d->d_sb->s_writers++;
		local_irq_restore(irq);
	}
	f->f_inode = igrab(inode);
	f->f_op = fop;
	return f;
}

struct file *
get_file(struct file *f)
{
	uint32_t flags = local_irq_save();

	f->f_count++;
	local_irq_restore(flags);
	return f;
}

void
fput(struct file *f)
{
	uint32_t flags = local_irq_save();
	int left = --f->f_count;

	local_irq_restore(flags);
	if (left)
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
	if (f->f_mode & FMODE_WRITER) {
		flags = local_irq_save();
		f->f_dentry->d_sb->s_writers--;
		local_irq_restore(flags);
	}
	iput(f->f_inode);
	if (f->f_dentry)
		dput(f->f_dentry);
	kmem_cache_free(file_cache, f);
}

/* ---- descriptor tables --------------------------------------------- */

static bool
fd_is_cloexec(struct files_struct *fs, unsigned fd)
{
	return fs->close_on_exec[fd / 32] & (1u << (fd % 32));
}

void
set_close_on_exec(unsigned fd, bool on)
{
	struct files_struct *fs = current->files;

	if (on)
		fs->close_on_exec[fd / 32] |= 1u << (fd % 32);
	else
		fs->close_on_exec[fd / 32] &= ~(1u << (fd % 32));
}

bool
get_close_on_exec(unsigned fd)
{
	return fd_is_cloexec(current->files, fd);
}

/* Grows the table to hold at least want slots; 0 or -ENOMEM. */
static int
expand_files(struct files_struct *fs, unsigned want)
{
	unsigned n = fs->max_fds ? fs->max_fds : INITIAL_FDS;
	struct file **fd;
	uint32_t *cloexec;

	while (n < want)
		n *= 2;
	if (n <= fs->max_fds)
		return 0;
	fd = kzalloc(n * sizeof(*fd), GFP_KERNEL);
	cloexec = kzalloc(n / 8, GFP_KERNEL);
	if (!fd || !cloexec) {
		kfree(fd);
		kfree(cloexec);
		return -ENOMEM;
	}
	if (fs->max_fds) {
		memcpy(fd, fs->fd, fs->max_fds * sizeof(*fd));
		memcpy(cloexec, fs->close_on_exec, fs->max_fds / 8);
	}
	kfree(fs->fd);
	kfree(fs->close_on_exec);
	fs->fd = fd;
	fs->close_on_exec = cloexec;
	fs->max_fds = n;
	return 0;
}

struct files_struct *
files_alloc(void)
{
	struct files_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->count = 1;
	if (expand_files(fs, INITIAL_FDS)) {
		kfree(fs);
		return NULL;
	}
	return fs;
}

struct files_struct *
files_dup(struct files_struct *old)
{
	struct files_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);
	unsigned last = 0;

	if (!fs)
		return NULL;
	fs->count = 1;
	for (unsigned i = 0; i < old->max_fds; i++)
		if (old->fd[i])
			last = i + 1;
	if (expand_files(fs, last > INITIAL_FDS ? last : INITIAL_FDS)) {
		kfree(fs);
		return NULL;
	}
	for (unsigned i = 0; i < last; i++) {
		if (old->fd[i])
			fs->fd[i] = get_file(old->fd[i]);
	}
	memcpy(fs->close_on_exec, old->close_on_exec, (last + 31) / 32 * 4);
	return fs;
}

void
files_put(struct files_struct *fs)
{
	if (--fs->count > 0)
		return;
	for (unsigned i = 0; i < fs->max_fds; i++)
		if (fs->fd[i])
			fput(fs->fd[i]);
	kfree(fs->fd);
	kfree(fs->close_on_exec);
	kfree(fs);
}

void
files_close_on_exec(struct files_struct *fs)
{
	for (unsigned i = 0; i < fs->max_fds; i++) {
		if (fs->fd[i] && fd_is_cloexec(fs, i)) {
			struct file *f = fs->fd[i];

			fs->fd[i] = NULL;
			fput(f);
		}
	}
	memset(fs->close_on_exec, 0, fs->max_fds / 8);
}

struct file *
fget(int fd)
{
	struct files_struct *fs = current->files;

	if (!fs || fd < 0 || (unsigned)fd >= fs->max_fds || !fs->fd[fd])
		return NULL;
	return get_file(fs->fd[fd]);
}

/* Installs f at fd (which must be free and < max_fds). */
static void
fd_install(struct files_struct *fs, unsigned fd, struct file *f, bool cloexec)
{
	fs->fd[fd] = f;
	if (cloexec)
		fs->close_on_exec[fd / 32] |= 1u << (fd % 32);
	else
		fs->close_on_exec[fd / 32] &= ~(1u << (fd % 32));
}

int
fd_install_new(struct file *f, int min_fd, bool cloexec)
{
	struct files_struct *fs = current->files;
	unsigned fd = min_fd < 0 ? 0 : (unsigned)min_fd;

	for (;; fd++) {
		if (fd >= NR_OPEN_MAX) {
			fput(f);
			return -EMFILE;
		}
		if (fd >= fs->max_fds && expand_files(fs, fd + 1)) {
			fput(f);
			return -ENOMEM;
		}
		if (!fs->fd[fd])
			break;
	}
	fd_install(fs, fd, f, cloexec);
	return (int)fd;
}

/* Puts f at exactly fd, closing what was there (dup2/dup3). */
int
fd_replace(int fd, struct file *f, bool cloexec)
{
	struct files_struct *fs = current->files;
	struct file *old;

	if (fd < 0 || fd >= NR_OPEN_MAX) {
		fput(f);
		return -EBADF;
	}
	if ((unsigned)fd >= fs->max_fds && expand_files(fs, fd + 1)) {
		fput(f);
		return -ENOMEM;
	}
	old = fs->fd[fd];
	fd_install(fs, fd, f, cloexec);
	if (old)
		fput(old);
	return fd;
}

int
close_fd(int fd)
{
	struct files_struct *fs = current->files;
	struct file *f;

	if (fd < 0 || (unsigned)fd >= fs->max_fds || !fs->fd[fd])
		return -EBADF;
	f = fs->fd[fd];
	fs->fd[fd] = NULL;
	fs->close_on_exec[fd / 32] &= ~(1u << (fd % 32));
	fput(f);
	return 0;
}

int
open_console_fds(struct files_struct *files)
{
	struct file *f;

	BUG_ON(files != current->files);
	f = kernel_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	for (int fd = 0; fd < 3; fd++) {
		if (fd_replace(fd, get_file(f), false) < 0) {
			fput(f);
			return -ENOMEM;
		}
	}
	fput(f);
	return 0;
}
