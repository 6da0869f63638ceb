/*
 * fs/libfs.c — small pieces shared by the simple file systems: moving data
 * through an iobuf, listing a directory from the dentry cache, reading a
 * kernel string as a file.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <kernel/errno.h>
#include <mm/mm_types.h>
#include <kernel/uaccess.h>
#include <kernel/spinlock.h>
#include <libk/string.h>

int
iobuf_put(struct iobuf *b, const void *src, size_t n)
{
	if (b->user) {
		if (copy_to_user(b->ptr, src, n))
			return -EFAULT;
	} else {
		memcpy(b->ptr, src, n);
	}
	b->ptr += n;
	b->left -= n;
	return 0;
}

int
iobuf_get(struct iobuf *b, void *dst, size_t n)
{
	if (b->user) {
		if (copy_from_user(dst, b->ptr, n))
			return -EFAULT;
	} else {
		memcpy(dst, b->ptr, n);
	}
	b->ptr += n;
	b->left -= n;
	return 0;
}

int
iobuf_zero(struct iobuf *b, size_t n)
{
	if (b->user) {
		if (clear_user(b->ptr, n))
			return -EFAULT;
	} else {
		memset(b->ptr, 0, n);
	}
	b->ptr += n;
	b->left -= n;
	return 0;
}

ssize_t
simple_read_from_buffer(struct iobuf *b, loff_t *pos, const char *from, size_t available)
{
	size_t n;

	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= available)
		return 0;
	n = available - (size_t)*pos;
	if (n > b->left)
		n = b->left;
	if (iobuf_put(b, from + *pos, n))
		return -EFAULT;
	*pos += n;
	return (ssize_t)n;
}

int
no_seek(struct file *f, loff_t pos)
{
	(void)f;
	(void)pos;
	return -ESPIPE;
}

bool
dir_emit_dots(struct file *f, struct dir_context *ctx)
{
	struct dentry *d = f->f_dentry;
	struct dentry *parent = d->d_parent;

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, d->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (parent == d && d->d_mountpoint)
			parent = d->d_mountpoint->d_parent;
		if (!ctx->actor(ctx, "..", 2, parent->d_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

/*
 * Lists the cached children in creation order. Position 2 + d_pos names
 * a child, so entries removed during a listing shift nothing and each
 * remaining name is returned exactly once.
 */
int
dcache_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->f_dentry, *d;

	if (!dir_emit_dots(f, ctx))
		return 0;
	mutex_lock(&namespace_mutex);
	list_for_each_entry(d, &dir->d_subdirs, d_child) {
		if (!d->d_inode || (loff_t)d->d_pos + 2 < ctx->pos)
			continue;
		ctx->pos = (loff_t)d->d_pos + 2;
		if (!ctx->actor(ctx, d->d_name, strlen(d->d_name), d->d_inode->i_ino,
				dt_type(d->d_inode->i_mode)))
			break;
		ctx->pos = (loff_t)d->d_pos + 3;
	}
	mutex_unlock(&namespace_mutex);
	return 0;
}

const struct file_operations simple_dir_operations = {
	.iterate = dcache_readdir,
};
