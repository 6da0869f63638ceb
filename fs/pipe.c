/*
 * fs/pipe.c — pipes: a 64 KiB ring buffer between a read end and a write
 * end, as Linux's default pipe capacity.
 *
 * Both ends are files on one anonymous inode (S_IFIFO); the pipe lives in
 * its i_private and goes away with the last end. The ring is PIPE_SLOTS
 * pages allocated on first use. rd and wr count every byte ever read and
 * written, so wr - rd is what is buffered and (counter % PIPE_SIZE) the
 * place in the ring; 2^32 is a multiple of PIPE_SIZE, so wrapping is free.
 *
 * Semantics (pipe(7)): a read of an empty pipe sleeps while a writer
 * exists and returns 0 (end of file) once none does; a write with no
 * reader left raises SIGPIPE and fails with EPIPE; writes of at most
 * PIPE_BUF bytes are atomic; O_NONBLOCK turns each sleep into EAGAIN
 * (or a short count). A signal during a sleep gives EINTR, or the count
 * already moved.
 *
 * Locking: pipe->mutex protects the ring, rd/wr and the end counts. It is
 * held while copying to or from user memory (a fault there never touches
 * a pipe) but never while sleeping for data or room.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>

#define PIPE_SLOTS 16
#define PIPE_SIZE  (PIPE_SLOTS * PAGE_SIZE)
#define PIPE_BUF   4096
#define FIONREAD   0x541B

struct pipe {
	struct mutex mutex;
	struct page *slots[PIPE_SLOTS];  /* the ring, page by page; NULL until used */
	uint32_t rd, wr;                 /* bytes ever read / written */
	int readers, writers;            /* open read / write ends */
	struct wait_queue_head rd_wait;  /* readers waiting for data */
	struct wait_queue_head wr_wait;  /* writers waiting for room */
};

static struct super_block pipefs_sb = {
	.s_type = "pipefs", .s_dev = MKDEV(0, 12), .s_magic = 0x50495045, /* PIPEFS_MAGIC */
	.s_inodes = LIST_HEAD_INIT(pipefs_sb.s_inodes),
	.s_list = LIST_HEAD_INIT(pipefs_sb.s_list),
};
static const struct file_operations pipe_read_fops, pipe_write_fops;

static uint32_t pipe_used(struct pipe *p) { return p->wr - p->rd; }
static uint32_t pipe_room(struct pipe *p) { return PIPE_SIZE - pipe_used(p); }

/* The bytes of the ring that hold counter position at, up to the page end. */
static char *
ring_at(struct pipe *p, uint32_t at, bool allocate)
{
	unsigned slot = (at % PIPE_SIZE) / PAGE_SIZE;

	if (!p->slots[slot] && allocate)
		p->slots[slot] = alloc_page(GFP_KERNEL);
	if (!p->slots[slot])
		return NULL;
	return (char *)page_address(p->slots[slot]) + at % PAGE_SIZE;
}

static size_t
to_page_end(uint32_t at)
{
	return PAGE_SIZE - at % PAGE_SIZE;
}

/* Moves up to b->left buffered bytes out; bytes moved or -EFAULT. mutex held. */
static ssize_t
copy_out(struct pipe *p, struct iobuf *b)
{
	size_t done = 0;

	while (b->left && pipe_used(p)) {
		size_t n = to_page_end(p->rd);

		if (n > pipe_used(p))
			n = pipe_used(p);
		if (n > b->left)
			n = b->left;
		if (iobuf_put(b, ring_at(p, p->rd, false), n))
			return done ? (ssize_t)done : -EFAULT;
		p->rd += n;
		done += n;
	}
	return (ssize_t)done;
}

/* Moves up to b->left bytes in, as room allows; bytes moved or -errno. mutex held. */
static ssize_t
copy_in(struct pipe *p, struct iobuf *b)
{
	size_t done = 0;

	while (b->left && pipe_room(p)) {
		size_t n = to_page_end(p->wr);
		char *dst = ring_at(p, p->wr, true);

		if (!dst)
			return done ? (ssize_t)done : -ENOMEM;
		if (n > pipe_room(p))
			n = pipe_room(p);
		if (n > b->left)
			n = b->left;
		if (iobuf_get(b, dst, n))
			return done ? (ssize_t)done : -EFAULT;
		p->wr += n;
		done += n;
	}
	return (ssize_t)done;
}

static ssize_t
pipe_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct pipe *p = f->f_inode->i_private;
	ssize_t n;
	int err;

	(void)pos;
	for (;;) {
		mutex_lock(&p->mutex);
		if (pipe_used(p) || !p->writers)
			break;
		mutex_unlock(&p->mutex);
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(p->rd_wait, pipe_used(p) || !p->writers);
		if (err)
			return err;
	}
	n = copy_out(p, b);
	mutex_unlock(&p->mutex);
	if (n > 0)
		wake_up(&p->wr_wait);
	return n;
}

static ssize_t
pipe_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct pipe *p = f->f_inode->i_private;
	size_t want = b->left;
	bool atomic = want <= PIPE_BUF;
	size_t done = 0;

	(void)pos;
	while (b->left) {
		ssize_t n;
		int err;

		mutex_lock(&p->mutex);
		if (!p->readers) {
			mutex_unlock(&p->mutex);
			send_signal(current, SIGPIPE);
			return done ? (ssize_t)done : -EPIPE;
		}
		if (pipe_room(p) >= (atomic ? want : 1)) {
			n = copy_in(p, b);
			mutex_unlock(&p->mutex);
			if (n < 0)
				return done ? (ssize_t)done : n;
			done += n;
			wake_up(&p->rd_wait);
			continue;
		}
		mutex_unlock(&p->mutex);
		if (f->f_flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		err = wait_event_interruptible(p->wr_wait,
			!p->readers || pipe_room(p) >= (atomic ? want : 1));
		if (err)
			return done ? (ssize_t)done : err;
	}
	return (ssize_t)done;
}

static long
pipe_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct pipe *p = f->f_inode->i_private;

	if (cmd != FIONREAD)
		return -ENOTTY;
	return put_user_u32(pipe_used(p), (void *)arg) ? -EFAULT : 0;
}

static void
pipe_release(struct inode *inode, struct file *f)
{
	struct pipe *p = inode->i_private;

	mutex_lock(&p->mutex);
	if (f->f_op == &pipe_read_fops)
		p->readers--;
	else
		p->writers--;
	mutex_unlock(&p->mutex);
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
}

static const struct file_operations pipe_read_fops = {
	.read = pipe_read, .ioctl = pipe_ioctl, .release = pipe_release, .llseek_ok = no_seek,
};
static const struct file_operations pipe_write_fops = {
	.write = pipe_write, .ioctl = pipe_ioctl, .release = pipe_release, .llseek_ok = no_seek,
};

static void
pipe_destroy(struct inode *inode)
{
	struct pipe *p = inode->i_private;

	for (int i = 0; i < PIPE_SLOTS; i++)
		if (p->slots[i])
			__free_pages(p->slots[i], 0);
	kfree(p);
}

static struct inode *
new_pipe_inode(void)
{
	struct inode *inode = new_inode(&pipefs_sb, S_IFIFO | 0600);
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!inode || !p) {
		kfree(p);
		iput(inode);
		return NULL;
	}
	mutex_init(&p->mutex, "pipe");
	init_waitqueue_head(&p->rd_wait);
	init_waitqueue_head(&p->wr_wait);
	p->readers = p->writers = 1;
	inode->i_private = p;
	inode->i_destroy = pipe_destroy;
	return inode;
}

/* Makes the two ends; 0 or -ENOMEM. */
static int
create_pipe_files(struct file **ends, int flags)
{
	struct inode *inode = new_pipe_inode();

	if (!inode)
		return -ENOMEM;
	ends[0] = alloc_file(NULL, inode, O_RDONLY | (flags & O_NONBLOCK), &pipe_read_fops);
	ends[1] = alloc_file(NULL, inode, O_WRONLY | (flags & O_NONBLOCK), &pipe_write_fops);
	iput(inode);                       /* the files hold it now */
	if (!ends[0] || !ends[1]) {
		/* release() of the surviving end drops only its own count */
		if (ends[0])
			fput(ends[0]);
		if (ends[1])
			fput(ends[1]);
		return -ENOMEM;
	}
	return 0;
}

static long
sys_pipe2(int *ufds, int flags)
{
	struct file *ends[2];
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (!access_ok(ufds, sizeof(fds)))
		return -EFAULT;
	err = create_pipe_files(ends, flags);
	if (err)
		return err;
	fds[0] = fd_install_new(ends[0], 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		fput(ends[1]);
		return fds[0];
	}
	fds[1] = fd_install_new(ends[1], 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		close_fd(fds[0]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		close_fd(fds[0]);
		close_fd(fds[1]);
		return -EFAULT;
	}
	return 0;
}
static long sys_pipe(int *ufds) { return sys_pipe2(ufds, 0); }
SYSCALL_DEFINE(pipe2, sys_pipe2);
SYSCALL_DEFINE(pipe, sys_pipe);
