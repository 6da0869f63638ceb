/*
 * fs/initramfs.c — unpacking the initrd into the root file system.
 *
 * The initrd is a cpio archive in the "newc" format (what `cpio -H newc`
 * writes and Linux's initramfs reads): each member is a 110-byte ASCII
 * header of thirteen 8-digit hex fields after the magic "070701", then
 * the NUL-terminated name, padded to 4 bytes, then the data, padded to 4
 * bytes. The member "TRAILER!!!" ends the archive.
 *
 * Directories, regular files, symlinks and device nodes are created with
 * their modes. A damaged archive stops the unpacking with a message; what
 * was unpacked so far stays.
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <mm/slab.h>
#include <libk/stdio.h>
#include <libk/string.h>

#define CPIO_HEADER_LEN 110

struct cpio_member {
	uint32_t mode, filesize, rdevmajor, rdevminor, namesize;
	const char *name;
	const char *data;
};

static bool
parse_hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (uint32_t)(c - '0');
		else if ((c | 32) >= 'a' && (c | 32) <= 'f')
			v = v * 16 + (uint32_t)((c | 32) - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

static size_t align4(size_t x) { return (x + 3) & ~(size_t)3; }

/* Parses the member at offset off; returns the next offset, or 0 on damage. */
static size_t
parse_member(const char *base, size_t len, size_t off, struct cpio_member *m)
{
	const char *h = base + off;
	uint32_t field[13];

	if (len - off < CPIO_HEADER_LEN || memcmp(h, "070701", 6) != 0)
		return 0;
	for (int i = 0; i < 13; i++)
		if (!parse_hex8(h + 6 + 8 * i, &field[i]))
			return 0;
	m->mode = field[1];
	m->filesize = field[6];
	m->rdevmajor = field[9];
	m->rdevminor = field[10];
	m->namesize = field[11];
	if (m->namesize == 0 || m->namesize > PATH_MAX ||
	    m->namesize > len - off - CPIO_HEADER_LEN)
		return 0;
	m->name = h + CPIO_HEADER_LEN;
	if (m->name[m->namesize - 1] != '\0')
		return 0;
	size_t data = align4(off + CPIO_HEADER_LEN + m->namesize);

	if (data > len || m->filesize > len - data)
		return 0;
	m->data = base + data;
	return align4(data + m->filesize);
}

static int
unpack_file(const char *path, const struct cpio_member *m)
{
	struct file *f = kernel_open(path, O_WRONLY | O_CREAT | O_TRUNC, m->mode & 07777);
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, m->data, m->filesize, 0);
	f->f_inode->i_mode = S_IFREG | (m->mode & 07777);
	fput(f);
	return n == (ssize_t)m->filesize ? 0 : (n < 0 ? (int)n : -ENOSPC);
}

static int
unpack_symlink(const char *path, const struct cpio_member *m)
{
	char *target = kmalloc(m->filesize + 1, GFP_KERNEL);
	int err;

	if (!target)
		return -ENOMEM;
	memcpy(target, m->data, m->filesize);
	target[m->filesize] = '\0';
	err = vfs_symlink_path(target, path);
	kfree(target);
	return err;
}

static int
create_member(const char *path, const struct cpio_member *m)
{
	switch (m->mode & S_IFMT) {
	case S_IFDIR: {
		int err = vfs_mkdir_path(path, m->mode & 07777);

		return err == -EEXIST ? 0 : err;
	}
	case S_IFREG:
		return unpack_file(path, m);
	case S_IFLNK:
		return unpack_symlink(path, m);
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
		return vfs_mknod_path(path, m->mode, MKDEV(m->rdevmajor, m->rdevminor));
	default:
		printk(KERN_WARNING "initramfs: %s: file type %o skipped\n", path, m->mode & S_IFMT);
		return 0;
	}
}

static int
unpack_member(const struct cpio_member *m)
{
	const char *name = m->name;
	char *path;
	int err;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	if (!*name || strcmp(name, ".") == 0)
		return 0;
	path = kmalloc(strlen(name) + 2, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	path[0] = '/';
	strcpy(path + 1, name);
	err = create_member(path, m);
	kfree(path);
	return err;
}

void
unpack_initramfs(const void *start, size_t len)
{
	const char *base = start;
	size_t off = 0, files = 0;
	struct cpio_member m;

	while (off < len) {
		size_t next = parse_member(base, len, off, &m);
		int err;

		if (!next) {
			printk(KERN_ERR "initramfs: damaged archive at offset %u: stopped\n",
			       (unsigned)off);
			break;
		}
		if (strcmp(m.name, "TRAILER!!!") == 0)
			break;
		err = unpack_member(&m);
		if (err)
			printk(KERN_WARNING "initramfs: %s: error %d\n", m.name, err);
		else
			files++;
		off = next;
	}
	printk(KERN_INFO "initramfs: unpacked %u entries from %u bytes\n",
	       (unsigned)files, (unsigned)len);
}
