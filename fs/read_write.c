/*
 * fs/read_write.c — moving bytes: read, write, their vectored and
 * positioned forms, and lseek.
 *
 * Every path ends in the file's read or write operation with an iobuf
 * (user or kernel memory) and a position: &f->f_pos for read/write,
 * a local one for pread/pwrite and for the kernel's own reads (the ELF
 * loader, file-backed page faults), which never move f_pos.
 *
 * A transfer that faults after moving some bytes returns the count moved
 * (as Linux does); one that faults before moving any returns EFAULT.
 */
#include <fs/file.h>
#include <fs/block_dev.h>
#include <arch/x86/mmu.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <mm/slab.h>

#define MAX_RW_COUNT 0x7ffff000u      /* INT_MAX rounded down to a page, as Linux */
#define UIO_MAXIOV   1024

#define SEEK_SET  0
#define SEEK_CUR  1
#define SEEK_END  2
#define SEEK_DATA 3
#define SEEK_HOLE 4

static ssize_t
vfs_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (!f->f_op || !f->f_op->read)
		return -EINVAL;
	if (b->left > MAX_RW_COUNT)
		b->left = MAX_RW_COUNT;
	if (b->left == 0)
		return 0;
	return f->f_op->read(f, b, pos);
}

static ssize_t
vfs_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!f->f_op || !f->f_op->write)
		return -EINVAL;
	if (IS_SWAPFILE(f->f_inode))
		return -ETXTBSY;
	if (b->left > MAX_RW_COUNT)
		b->left = MAX_RW_COUNT;
	if (b->left == 0 && S_ISREG(f->f_inode->i_mode))
		return 0;
	if ((f->f_flags & O_APPEND) && S_ISREG(f->f_inode->i_mode))
		*pos = f->f_inode->i_size;
	return f->f_op->write(f, b, pos);
}

ssize_t
kernel_read(struct file *f, void *buf, size_t n, uint64_t off)
{
	struct iobuf b = iobuf_kernel(buf, n);
	loff_t pos = (loff_t)off;

	return f->f_op && f->f_op->read ? f->f_op->read(f, &b, &pos) : -EINVAL;
}

ssize_t
kernel_write(struct file *f, const void *buf, size_t n, uint64_t off)
{
	struct iobuf b = iobuf_kernel((void *)buf, n);
	loff_t pos = (loff_t)off;

	return f->f_op && f->f_op->write ? f->f_op->write(f, &b, &pos) : -EINVAL;
}

static long
sys_read(int fd, void *ubuf, size_t n)
{
	struct file *f = fget(fd);
	struct iobuf b = iobuf_user(ubuf, n);
	ssize_t ret;

	if (!f)
		return -EBADF;
	ret = vfs_read(f, &b, &f->f_pos);
	fput(f);
	return ret;
}
SYSCALL_DEFINE(read, sys_read);

static long
sys_write(int fd, const void *ubuf, size_t n)
{
	struct file *f = fget(fd);
	struct iobuf b = iobuf_user((void *)ubuf, n);
	ssize_t ret;

	if (!f)
		return -EBADF;
	ret = vfs_write(f, &b, &f->f_pos);
	fput(f);
	return ret;
}
SYSCALL_DEFINE(write, sys_write);

/* ---- positioned ---------------------------------------------------- */

static bool
seekable(struct file *f)
{
	return !(f->f_op && f->f_op->llseek_ok == no_seek);
}

static long
do_pread(int fd, void *ubuf, size_t n, loff_t pos, bool write)
{
	struct file *f = fget(fd);
	struct iobuf b = iobuf_user(ubuf, n);
	ssize_t ret;

	if (!f)
		return -EBADF;
	if (pos < 0)
		ret = -EINVAL;
	else if (!seekable(f))
		ret = -ESPIPE;
	else if (write)
		ret = (f->f_flags & O_APPEND) ? vfs_write(f, &b, &f->f_pos) : vfs_write(f, &b, &pos);
	else
		ret = vfs_read(f, &b, &pos);
	fput(f);
	return ret;
}

static loff_t join64(uint32_t lo, uint32_t hi) { return (loff_t)(((uint64_t)hi << 32) | lo); }
static long sys_pread64(int fd, void *b, size_t n, uint32_t lo, uint32_t hi) { return do_pread(fd, b, n, join64(lo, hi), false); }
static long sys_pwrite64(int fd, const void *b, size_t n, uint32_t lo, uint32_t hi) { return do_pread(fd, (void *)b, n, join64(lo, hi), true); }
SYSCALL_DEFINE(pread64, sys_pread64);
SYSCALL_DEFINE(pwrite64, sys_pwrite64);

/* ---- vectored ------------------------------------------------------ */

struct iovec32 {
	uint32_t base;
	uint32_t len;
};

/* Copies in and checks an iovec array; a kmalloc'd copy or ERR_PTR. */
static struct iovec32 *
import_iovec(const struct iovec32 *uiov, int count)
{
	struct iovec32 *iov;
	uint32_t total = 0;

	if (count < 0 || count > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	iov = kmalloc((count ? count : 1) * sizeof(*iov), GFP_KERNEL);
	if (!iov)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(iov, uiov, count * sizeof(*iov))) {
		kfree(iov);
		return ERR_PTR(-EFAULT);
	}
	for (int i = 0; i < count; i++) {
		if (iov[i].len > 0x7fffffffu - total) {
			kfree(iov);
			return ERR_PTR(-EINVAL);
		}
		total += iov[i].len;
	}
	return iov;
}

/*
 * A writev of at most a page is gathered and handed to ->write once, as
 * Linux does for files that take the whole iovec: a /proc or /sys store
 * sees "0x1234\n" as one write (musl's stdio writes the text and the
 * newline as two segments), and a pipe gets it atomically. -EFAULT if a
 * segment cannot be read; -E2BIG if the total is too large to gather.
 */
static ssize_t
gathered_write(struct file *f, const struct iovec32 *iov, int count, loff_t *pos)
{
	size_t total = 0, at = 0;
	char *buf;
	ssize_t n;

	for (int i = 0; i < count; i++)
		total += iov[i].len;
	if (total > PAGE_SIZE)
		return -E2BIG;
	buf = kmalloc(total ? total : 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (int i = 0; i < count; i++) {
		if (copy_from_user(buf + at, (const void *)iov[i].base, iov[i].len)) {
			kfree(buf);
			return -EFAULT;
		}
		at += iov[i].len;
	}
	{
		struct iobuf b = iobuf_kernel(buf, total);

		n = total ? vfs_write(f, &b, pos) : 0;
	}
	kfree(buf);
	return n;
}

static long
do_readv_writev(int fd, const struct iovec32 *uiov, int count, loff_t *ppos, bool write)
{
	struct file *f = fget(fd);
	struct iovec32 *iov;
	ssize_t done = 0;

	if (!f)
		return -EBADF;
	iov = import_iovec(uiov, count);
	if (IS_ERR(iov)) {
		fput(f);
		return PTR_ERR(iov);
	}
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		done = -EBADF;
	if (!done && write && count > 1) {
		ssize_t n = gathered_write(f, iov, count, ppos ? ppos : &f->f_pos);

		if (n != -E2BIG && n != -EFAULT) {
			kfree(iov);
			fput(f);
			return n;
		}
		/* too big, or a bad segment: segment by segment below, which
		 * writes what comes before the bad one as Linux does */
	}
	for (int i = 0; i < count && done >= 0; i++) {
		struct iobuf b = iobuf_user((void *)iov[i].base, iov[i].len);
		loff_t *pos = ppos ? ppos : &f->f_pos;
		ssize_t n;

		if (!iov[i].len)
			continue;
		n = write ? vfs_write(f, &b, pos) : vfs_read(f, &b, pos);
		if (n < 0) {
			if (!done)
				done = n;
			break;
		}
		done += n;
		if ((size_t)n < iov[i].len)
			break;
	}
	kfree(iov);
	fput(f);
	return done;
}

static long sys_readv(int fd, const struct iovec32 *v, int n) { return do_readv_writev(fd, v, n, NULL, false); }
static long sys_writev(int fd, const struct iovec32 *v, int n) { return do_readv_writev(fd, v, n, NULL, true); }
SYSCALL_DEFINE(readv, sys_readv);
SYSCALL_DEFINE(writev, sys_writev);

static long
do_preadv(int fd, const struct iovec32 *v, int n, loff_t pos, bool write)
{
	struct file *f = fget(fd);
	bool ok = f && seekable(f);

	if (f)
		fput(f);
	if (!f)
		return -EBADF;
	if (pos < 0)
		return -EINVAL;
	if (!ok)
		return -ESPIPE;
	return do_readv_writev(fd, v, n, &pos, write);
}
static long sys_preadv(int fd, const struct iovec32 *v, int n, uint32_t lo, uint32_t hi) { return do_preadv(fd, v, n, join64(lo, hi), false); }
static long sys_pwritev(int fd, const struct iovec32 *v, int n, uint32_t lo, uint32_t hi) { return do_preadv(fd, v, n, join64(lo, hi), true); }
SYSCALL_DEFINE(preadv, sys_preadv);
SYSCALL_DEFINE(pwritev, sys_pwritev);

/* ---- lseek --------------------------------------------------------- */

static loff_t
vfs_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t base, pos;
	int err;

	if (f->f_op && f->f_op->llseek_ok == no_seek)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->f_pos; break;
	case SEEK_END: base = S_ISBLK(f->f_inode->i_mode) ? blkdev_file_size(f) : f->f_inode->i_size; break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (!S_ISREG(f->f_inode->i_mode))
			return -EINVAL;
		if (offset < 0 || offset >= f->f_inode->i_size)
			return -ENXIO;
		pos = whence == SEEK_DATA ? offset : f->f_inode->i_size;
		f->f_pos = pos;
		return pos;
	default:
		return -EINVAL;
	}
	pos = base + offset;
	if ((offset > 0 && pos < base) || pos < 0)
		return -EINVAL;
	if (f->f_op && f->f_op->llseek_ok && (err = f->f_op->llseek_ok(f, pos)))
		return err;
	f->f_pos = pos;
	return pos;
}

static long
sys_lseek(int fd, long offset, int whence)
{
	struct file *f = fget(fd);
	loff_t pos;

	if (!f)
		return -EBADF;
	pos = vfs_llseek(f, offset, whence);
	fput(f);
	if (pos > 0x7fffffff)
		return -EOVERFLOW;
	return (long)pos;
}
SYSCALL_DEFINE(lseek, sys_lseek);

static long
sys_llseek(int fd, uint32_t hi, uint32_t lo, loff_t *uresult, int whence)
{
	struct file *f = fget(fd);
	loff_t pos;

	if (!f)
		return -EBADF;
	pos = vfs_llseek(f, join64(lo, hi), whence);
	fput(f);
	if (pos < 0)
		return (long)pos;
	if (copy_to_user(uresult, &pos, sizeof(pos)))
		return -EFAULT;
	return 0;
}
SYSCALL_DEFINE(_llseek, sys_llseek);
