/*
 * drivers/mem.c — the memory character devices (major 1): /dev/null reads
 * as end of file and swallows writes, /dev/zero reads as zeros, /dev/full
 * reads as zeros and refuses writes with ENOSPC, /dev/urandom and
 * /dev/random read from the kernel's pseudo-random generator. Of these only
 * /dev/zero can be mapped: as anonymous memory, shared or private.
 */
#include <drivers/mem.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/random.h>
#include <mm/mman.h>
#include <mm/shmem.h>

static ssize_t
null_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	(void)f; (void)b; (void)pos;
	return 0;
}

static ssize_t
null_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	size_t n = b->left;

	(void)f; (void)pos;
	b->left = 0;
	return (ssize_t)n;
}

static ssize_t
zero_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	size_t n = b->left;

	(void)f; (void)pos;
	return iobuf_zero(b, n) ? -EFAULT : (ssize_t)n;
}

static ssize_t
full_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	(void)f; (void)b; (void)pos;
	return -ENOSPC;
}

static ssize_t
random_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	size_t done = 0;

	(void)f; (void)pos;
	while (b->left) {
		uint8_t chunk[64];
		size_t n = b->left < sizeof(chunk) ? b->left : sizeof(chunk);

		get_random_bytes(chunk, n);
		if (iobuf_put(b, chunk, n))
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return (ssize_t)done;
}

/* Any offset is fine and nothing moves: lseek on these returns 0 in Linux. */
static int
mem_seek_ok(struct file *f, loff_t pos)
{
	(void)pos;
	f->f_pos = 0;
	return 0;
}

/* A private mapping is anonymous memory, a shared one shared anonymous
 * memory (a tmpfs file), as on Linux. */
static int
zero_mmap(struct file *f, struct vm_area_struct *vma)
{
	(void)f;
	if (vma->vm_flags & VM_SHARED)
		return shmem_zero_setup(vma);
	vma_set_anonymous(vma);
	return 0;
}

static const struct file_operations null_fops = { .read = null_read, .write = null_write, .llseek_ok = mem_seek_ok };
static const struct file_operations zero_fops = { .read = zero_read, .write = null_write, .llseek_ok = mem_seek_ok,
						 .mmap = zero_mmap };
static const struct file_operations full_fops = { .read = zero_read, .write = full_write, .llseek_ok = mem_seek_ok };
static const struct file_operations random_fops = { .read = random_read, .write = null_write, .llseek_ok = mem_seek_ok };

void
mem_devices_init(void)
{
	register_chrdev(1, 3, "null", &null_fops);
	register_chrdev(1, 5, "zero", &zero_fops);
	register_chrdev(1, 7, "full", &full_fops);
	register_chrdev(1, 8, "random", &random_fops);
	register_chrdev(1, 9, "urandom", &random_fops);
}
