/*
 * tests/kernel/test_ext2.c — ext2 read and write on real images, through
 * the VFS.
 *
 * The ktest boots get three images made by tools/mktestfs with mke2fs -d
 * (1 KiB blocks and 128-byte inodes, 4 KiB blocks, revision 0) as RAM
 * disks; each test finds its image by volume label, mounts it on a
 * directory of the ramfs root and works through paths. The files mke2fs
 * wrote hold pattern bytes (ext2_pattern, the same function as in
 * tools/mktestfs), so reading checks contents; writing checks them after
 * a fresh mount, and every test that changes the disk ends with the free
 * block and inode counts back where they started (nothing leaked by
 * truncate, unlink or rename) and the valid bit back on the disk.
 */
#include <kernel/ktest.h>
#include <kernel/errno.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/internal.h>
#include <fs/buffer.h>
#include <fs/ext2/ext2.h>
#include <drivers/block/blkdev.h>
#include <mm/slab.h>
#include <libk/string.h>
#include <libk/stdio.h>

#define PATH_LEN 160
#define CHUNK    1000          /* odd-sized I/O crosses block edges */

static uint8_t
ext2_pattern(unsigned seed, uint64_t off)
{
	return (uint8_t)((((uint32_t)off * 2654435761u) >> 16) ^ (seed * 37));
}

/* ---- finding and mounting the images ------------------------------------- */

struct find_label {
	const char *label;
	struct block_device *found;
};

static void
match_label(struct block_device *bdev, void *arg)
{
	struct find_label *fl = arg;
	struct ext2_super_block *es = kmalloc(EXT2_SUPERBLOCK_SIZE, GFP_KERNEL);

	if (es && blkdev_rw(bdev, REQ_OP_READ, EXT2_SUPERBLOCK_OFFSET / SECTOR_SIZE, es,
			    EXT2_SUPERBLOCK_SIZE) == 0 &&
	    es->s_magic == EXT2_SUPER_MAGIC &&
	    strncmp(es->s_volume_name, fl->label, sizeof(es->s_volume_name)) == 0)
		fl->found = bdev;
	kfree(es);
}

static struct block_device *
find_disk(const char *label)
{
	struct find_label fl = { label, NULL };

	blkdev_for_each(match_label, &fl);
	return fl.found;
}

/* The on-disk superblock of bdev, read into es. */
static bool
read_disk_super(struct block_device *bdev, struct ext2_super_block *es)
{
	return blkdev_rw(bdev, REQ_OP_READ, EXT2_SUPERBLOCK_OFFSET / SECTOR_SIZE, es,
			 EXT2_SUPERBLOCK_SIZE) == 0;
}

static bool
write_disk_super(struct block_device *bdev, struct ext2_super_block *es)
{
	return blkdev_rw(bdev, REQ_OP_WRITE, EXT2_SUPERBLOCK_OFFSET / SECTOR_SIZE, es,
			 EXT2_SUPERBLOCK_SIZE) == 0;
}

struct mnt {
	struct block_device *bdev;
	struct super_block *sb;
	char dir[32];
	char buf[PATH_LEN];         /* the last path made by P() */
};

/* "<mount point>/rel" in m's buffer. */
static const char *
P(struct mnt *m, const char *rel)
{
	snprintf(m->buf, sizeof(m->buf), "%s/%s", m->dir, rel);
	return m->buf;
}

/* Mounts the image labelled label with flags (mount(2)'s, MS_RDONLY = SB_RDONLY)
 * on a new directory of the ramfs root; 0 or -errno. */
static int
mount_disk(struct mnt *m, const char *label, unsigned flags)
{
	char dev[32];
	struct dentry *root;
	int err;

	memset(m, 0, sizeof(*m));
	m->bdev = find_disk(label);
	if (!m->bdev)
		return -ENODEV;
	snprintf(m->dir, sizeof(m->dir), "/mnt-%s", label);
	snprintf(dev, sizeof(dev), "/dev/%s", m->bdev->bd_name);
	err = vfs_mkdir_path(m->dir, 0755);
	if (err && err != -EEXIST)
		return err;
	err = do_mount(dev, m->dir, "ext2", flags, NULL);
	if (err) {
		vfs_rmdir_path(m->dir);
		return err;
	}
	root = kern_path(AT_FDCWD, m->dir, LOOKUP_DIRECTORY);
	if (IS_ERR(root))
		return PTR_ERR(root);
	m->sb = root->d_sb;
	dput(root);
	return 0;
}

/* Unmounts and removes the mount point; 0 or -errno (-EBUSY: something
 * still uses the file system). */
static int
umount_disk(struct mnt *m)
{
	int err = do_umount2(m->dir, 0);

	if (!err)
		vfs_rmdir_path(m->dir);   /* the test leaves the ramfs root as it found it */
	return err;
}

/* ---- file helpers ---------------------------------------------------------- */

/* Whether the file at path holds size bytes of pattern seed (holes: zeros
 * in [hole_from, hole_to)). */
static bool
file_matches(const char *path, unsigned seed, uint64_t size, uint64_t hole_from, uint64_t hole_to)
{
	struct file *f = kernel_open(path, O_RDONLY, 0);
	uint8_t *buf = kmalloc(CHUNK, GFP_KERNEL);
	bool ok = !IS_ERR(f) && buf;
	uint64_t off = 0;

	if (!KT_EXPECT(ok, "cannot open %s", path))
		goto out;
	while (ok && off < size) {
		ssize_t n = kernel_read(f, buf, CHUNK, off);
		uint64_t want = size - off < CHUNK ? size - off : CHUNK;

		ok = KT_EXPECT(n == (ssize_t)want, "%s: read at %llu gave %ld", path, off, (long)n);
		for (ssize_t i = 0; ok && i < n; i++) {
			uint64_t at = off + (uint64_t)i;
			uint8_t expect = at >= hole_from && at < hole_to ? 0 : ext2_pattern(seed, at);

			ok = KT_EXPECT(buf[i] == expect, "%s: byte %llu is %u, not %u", path, at,
				       buf[i], expect);
		}
		off += want;
	}
	if (ok)
		ok = KT_EXPECT(kernel_read(f, buf, CHUNK, size) == 0, "%s: data past EOF", path);
out:
	if (!IS_ERR(f))
		fput(f);
	kfree(buf);
	return ok;
}

/* Writes size bytes of pattern seed from offset start into path (created). */
static ssize_t
write_pattern(const char *path, unsigned seed, uint64_t start, uint64_t size)
{
	struct file *f = kernel_open(path, O_CREAT | O_RDWR, 0644);
	uint8_t *buf = kmalloc(CHUNK, GFP_KERNEL);
	uint64_t done = 0;
	ssize_t err = 0;

	if (IS_ERR(f) || !buf) {
		kfree(buf);
		return IS_ERR(f) ? PTR_ERR(f) : -ENOMEM;
	}
	while (done < size) {
		size_t n = size - done < CHUNK ? (size_t)(size - done) : CHUNK;
		ssize_t w;

		for (size_t i = 0; i < n; i++)
			buf[i] = ext2_pattern(seed, start + done + i);
		w = kernel_write(f, buf, n, start + done);
		if (w <= 0) {
			err = w ? w : -EIO;
			break;
		}
		done += (uint64_t)w;
	}
	fput(f);
	kfree(buf);
	return done ? (ssize_t)done : err;
}

static int
write_string(const char *path, const char *s)
{
	ssize_t n = write_pattern(path, 0, 0, 0);
	struct file *f;

	if (n < 0)
		return (int)n;
	f = kernel_open(path, O_RDWR, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, s, strlen(s), 0);
	fput(f);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

static bool
file_is_string(const char *path, const char *s)
{
	char buf[64] = { 0 };
	struct file *f = kernel_open(path, O_RDONLY, 0);
	ssize_t n;

	if (!KT_EXPECT(!IS_ERR(f), "cannot open %s (%ld)", path, PTR_ERR(f)))
		return false;
	n = kernel_read(f, buf, sizeof(buf) - 1, 0);
	fput(f);
	return KT_EXPECT(n == (ssize_t)strlen(s) && strcmp(buf, s) == 0,
			 "%s holds \"%s\" (%ld bytes), not \"%s\"", path, buf, (long)n, s);
}

struct stat_result {
	int err;
	uint64_t ino, size, blocks;
	uint32_t nlink, mode;
};

static struct stat_result
stat_path(const char *path, unsigned flags)
{
	struct stat_result r = { 0 };
	struct dentry *d = kern_path(AT_FDCWD, path, flags);

	if (IS_ERR(d)) {
		r.err = PTR_ERR(d);
		return r;
	}
	r.ino = d->d_inode->i_ino;
	r.size = (uint64_t)d->d_inode->i_size;
	r.blocks = d->d_inode->i_blocks;
	r.nlink = d->d_inode->i_nlink;
	r.mode = d->d_inode->i_mode;
	dput(d);
	return r;
}

static int
readlink_path(const char *path, char *buf, size_t size)
{
	struct dentry *d = kern_path(AT_FDCWD, path, 0);
	int n;

	if (IS_ERR(d))
		return PTR_ERR(d);
	n = d->d_inode->i_op->readlink(d, buf, size);
	dput(d);
	if (n >= 0 && (size_t)n < size)
		buf[n] = '\0';
	return n;
}

static int
truncate_path(const char *path, loff_t size)
{
	struct dentry *d = kern_path(AT_FDCWD, path, LOOKUP_FOLLOW);
	int err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = do_truncate(d, size);
	dput(d);
	return err;
}

static struct kstatfs
statfs_of(struct mnt *m)
{
	struct kstatfs st;

	m->sb->s_op->statfs(m->sb, &st);
	return st;
}

/* 512-byte units of n blocks of m. */
static uint64_t
sectors(struct mnt *m, uint64_t n)
{
	return n * (m->sb->s_blocksize / 512);
}

/* ---- reading what mke2fs wrote --------------------------------------------- */

struct listing {
	struct dir_context ctx;
	unsigned entries, dots;
	unsigned bad_type;
	uint8_t seen[150];
	unsigned expect_type;
};

static bool
collect_entry(struct dir_context *ctx, const char *name, size_t len, uint64_t ino, unsigned type)
{
	struct listing *l = (struct listing *)ctx;
	unsigned i;

	(void)ino;
	l->entries++;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
		l->dots++;
		return true;
	}
	if (len == 4 && name[0] == 'f' && (i = (unsigned)((name[1] - '0') * 100 + (name[2] - '0') * 10 +
							 (name[3] - '0'))) < 150)
		l->seen[i]++;
	if (type != l->expect_type)
		l->bad_type++;
	return true;
}

/* Lists dir with its getdents operation in calls of at most per_call entries. */
static bool
list_dir(const char *path, struct listing *l)
{
	struct file *f = kernel_open(path, O_RDONLY | O_DIRECTORY, 0);
	int err;

	if (!KT_EXPECT(!IS_ERR(f), "cannot open %s", path))
		return false;
	l->ctx.actor = collect_entry;
	l->ctx.pos = 0;
	err = f->f_op->iterate(f, &l->ctx);
	fput(f);
	return KT_EXPECT(err == 0, "readdir %s: %d", path, err);
}

static void
check_image_contents(const char *label, bool has_filetype)
{
	struct mnt m;
	unsigned long writes;
	uint32_t bs, p;
	struct stat_result st, st2;
	struct listing *l;
	char link[128];
	int err = mount_disk(&m, label, SB_RDONLY);

	KT_CHECK(err == 0, "mount %s: %d", label, err);
	writes = m.bdev->bd_writes;
	bs = m.sb->s_blocksize;
	p = bs / 4;

	KT_CHECK(file_matches(P(&m, "small.txt"), 1, 1000, 0, 0), "small.txt");
	st = stat_path(P(&m, "small.txt"), 0);
	KT_CHECK(st.size == 1000 && st.blocks == sectors(&m, 1) && st.nlink == 2,
		 "small.txt: size %llu blocks %llu nlink %u", st.size, st.blocks, st.nlink);
	KT_CHECK(file_matches(P(&m, "direct.bin"), 2, 12 * bs, 0, 0), "direct.bin");
	st = stat_path(P(&m, "direct.bin"), 0);
	KT_CHECK(st.blocks == sectors(&m, 12), "direct.bin: %llu sectors", st.blocks);
	KT_CHECK(file_matches(P(&m, "indirect.bin"), 3, (12ull + p + 3) * bs + 123, 0, 0),
		 "indirect.bin");
	st = stat_path(P(&m, "indirect.bin"), 0);
	/* 12 + P + 4 data blocks, the indirect, the double and one under it */
	KT_CHECK(st.blocks == sectors(&m, 12 + p + 4 + 3), "indirect.bin: %llu sectors", st.blocks);
	KT_CHECK(file_matches(P(&m, "sparse.bin"), 4, 40ull * bs + 100, 100, 40ull * bs),
		 "sparse.bin");
	st = stat_path(P(&m, "sparse.bin"), 0);
	KT_CHECK(st.blocks == sectors(&m, 3), "sparse.bin: %llu sectors, not 2 data + 1 indirect",
		 st.blocks);

	st = stat_path(P(&m, "hard"), 0);
	st2 = stat_path(P(&m, "small.txt"), 0);
	KT_CHECK(st.err == 0 && st.ino == st2.ino, "hard is not small.txt's inode");
	KT_CHECK(readlink_path(P(&m, "sym"), link, sizeof(link)) == 9 && strcmp(link, "small.txt") == 0,
		 "sym reads \"%s\"", link);
	st = stat_path(P(&m, "sym"), LOOKUP_FOLLOW);
	KT_CHECK(st.ino == st2.ino, "sym does not lead to small.txt");
	KT_CHECK(readlink_path(P(&m, "longsym"), link, sizeof(link)) == 100 &&
		 strncmp(link, "dir/xxxx", 8) == 0 && link[99] == 'x', "longsym reads \"%s\"", link);
	st = stat_path(P(&m, "nonexistent"), 0);
	KT_CHECK(st.err == -ENOENT, "a missing name gave %d", st.err);
	st = stat_path(P(&m, "small.txt/x"), 0);
	KT_CHECK(st.err == -ENOTDIR, "a file as directory gave %d", st.err);

	st = stat_path(m.dir, 0);
	KT_CHECK(st.nlink == 5, "the root has nlink %u, not 2 + 3 subdirectories", st.nlink);
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	KT_CHECK(l, "no memory");
	l->expect_type = has_filetype ? DT_REG : DT_UNKNOWN;
	if (list_dir(P(&m, "dir"), l)) {
		bool once = true;

		for (unsigned i = 0; i < 150; i++)
			once &= l->seen[i] == 1;
		KT_EXPECT(l->entries == 152 && l->dots == 2 && once && !l->bad_type,
			  "dir lists %u entries (%u dots, %u wrong types)", l->entries, l->dots,
			  l->bad_type);
	}
	kfree(l);
	KT_CHECK(!ktest_has_failed(), "listing");
	KT_CHECK(file_is_string(P(&m, "dir/f077"), "f077"), "dir/f077");
	err = umount_disk(&m);
	KT_CHECK(err == 0, "umount: %d", err);
	KT_CHECK(m.bdev->bd_writes == writes, "a read-only mount wrote %lu sectors",
		 m.bdev->bd_writes - writes);
}

KTEST(ext2_read_image_1k)
{
	check_image_contents("anvil-test-1k", true);
}

KTEST(ext2_read_image_4k)
{
	check_image_contents("anvil-test-4k", true);
}

KTEST(ext2_read_image_rev0)
{
	check_image_contents("anvil-test-rev0", false);
}

/* ---- writing --------------------------------------------------------------- */

/* The free counts a test must leave as it found them. */
struct counts {
	uint64_t bfree, ffree;
};

static struct counts
counts_of(struct mnt *m)
{
	struct kstatfs st = statfs_of(m);

	return (struct counts){ st.f_bfree, st.f_ffree };
}

static bool
counts_equal(struct mnt *m, struct counts was, const char *when)
{
	struct counts now = counts_of(m);

	return KT_EXPECT(now.bfree == was.bfree && now.ffree == was.ffree,
			 "%s: %llu free blocks and %llu free inodes, was %llu and %llu", when,
			 now.bfree, now.ffree, was.bfree, was.ffree);
}

/* A big file across the direct, indirect and double indirect blocks;
 * truncate down through each level and grow again (zeros, no old data). */
static void
check_big_file_and_truncate(struct mnt *m)
{
	uint32_t bs = m->sb->s_blocksize, p = bs / 4;
	uint64_t size = (12ull + p + 5) * bs + 777;
	uint64_t cut = 13ull * bs + 100;
	struct stat_result st;
	ssize_t n = write_pattern(P(m, "big.bin"), 9, 0, size);

	KT_CHECK(n == (ssize_t)size, "writing big.bin: %ld", (long)n);
	KT_CHECK(file_matches(P(m, "big.bin"), 9, size, 0, 0), "big.bin read back");
	st = stat_path(P(m, "big.bin"), 0);
	KT_CHECK(st.size == size && st.blocks == sectors(m, 12 + p + 6 + 3),
		 "big.bin: size %llu, %llu sectors", st.size, st.blocks);

	KT_CHECK(truncate_path(P(m, "big.bin"), (loff_t)cut) == 0, "truncate to %llu", cut);
	st = stat_path(P(m, "big.bin"), 0);
	KT_CHECK(st.size == cut && st.blocks == sectors(m, 14 + 1),
		 "after truncate into the indirect block: %llu sectors", st.blocks);
	KT_CHECK(file_matches(P(m, "big.bin"), 9, cut, 0, 0), "big.bin after truncate");
	KT_CHECK(truncate_path(P(m, "big.bin"), 20ll * bs) == 0, "grow");
	st = stat_path(P(m, "big.bin"), 0);
	KT_CHECK(st.blocks == sectors(m, 15), "growing allocated blocks: %llu sectors", st.blocks);
	KT_CHECK(file_matches(P(m, "big.bin"), 9, 20ull * bs, cut, 20ull * bs),
		 "grown big.bin: zeros after the old end");
	KT_CHECK(truncate_path(P(m, "big.bin"), 5ll * bs + 3) == 0, "truncate to direct");
	st = stat_path(P(m, "big.bin"), 0);
	KT_CHECK(st.blocks == sectors(m, 6), "after truncate to 5 blocks + 3: %llu sectors", st.blocks);
	KT_CHECK(file_matches(P(m, "big.bin"), 9, 5ull * bs + 3, 0, 0), "big.bin, 5 blocks + 3");
	KT_CHECK(vfs_unlink_path(P(m, "big.bin")) == 0, "unlink big.bin");
}

/* One block far out: the triple indirect path, a hole before it. */
static void
check_triple_indirect_hole(struct mnt *m)
{
	uint64_t bs = m->sb->s_blocksize, p = bs / 4;
	uint64_t off = (12 + p + p * p + 10) * bs + 5;
	struct stat_result st;
	ssize_t n = write_pattern(P(m, "far.bin"), 5, off, 10);
	struct file *f;
	uint8_t buf[16];

	KT_CHECK(n == 10, "writing at %llu: %ld", off, (long)n);
	st = stat_path(P(m, "far.bin"), 0);
	KT_CHECK(st.size == off + 10 && st.blocks == sectors(m, 4),
		 "far.bin: size %llu, %llu sectors (1 data + 3 indirect)", st.size, st.blocks);
	f = kernel_open(P(m, "far.bin"), O_RDONLY, 0);
	KT_CHECK(!IS_ERR(f), "open far.bin");
	n = kernel_read(f, buf, 10, off);
	for (int i = 0; i < 10 && n == 10; i++)
		if (buf[i] != ext2_pattern(5, off + i))
			n = -1;
	KT_EXPECT(n == 10, "far.bin's bytes read back wrong");
	memset(buf, 0xaa, sizeof(buf));
	n = kernel_read(f, buf, sizeof(buf), off / 2);
	for (unsigned i = 0; i < sizeof(buf); i++)
		if (buf[i])
			n = -1;
	KT_EXPECT(n == sizeof(buf), "the hole of far.bin does not read as zeros");
	fput(f);
	KT_CHECK(!ktest_has_failed(), "far.bin");
	KT_CHECK(vfs_unlink_path(P(m, "far.bin")) == 0, "unlink far.bin");
}

/* Names: mkdir, rename across directories (".." and link counts), over a
 * file and over an empty directory, link, unlink, symlinks, rmdir. */
static void
check_names(struct mnt *m)
{
	struct stat_result st, a, b;
	char buf[300], target[260];

	KT_CHECK(vfs_mkdir_path(P(m, "a"), 0755) == 0 && vfs_mkdir_path(P(m, "b"), 0755) == 0, "mkdir");
	KT_CHECK(write_string(P(m, "a/f"), "hello") == 0, "create a/f");
	KT_CHECK(vfs_rename_path(P(m, "a/f"), "") != 0, "rename to an empty path");
	snprintf(buf, sizeof(buf), "%s/b/g", m->dir);
	KT_CHECK(vfs_rename_path(P(m, "a/f"), buf) == 0, "rename a/f b/g");
	KT_CHECK(stat_path(P(m, "a/f"), 0).err == -ENOENT, "a/f still there");
	KT_CHECK(file_is_string(P(m, "b/g"), "hello"), "b/g");

	KT_CHECK(vfs_mkdir_path(P(m, "a/sub"), 0755) == 0, "mkdir a/sub");
	KT_CHECK(write_string(P(m, "a/sub/inner"), "in") == 0, "a/sub/inner");
	KT_CHECK(stat_path(P(m, "a"), 0).nlink == 3, "a with a subdirectory: nlink 3");
	snprintf(buf, sizeof(buf), "%s/b/sub", m->dir);
	KT_CHECK(vfs_rename_path(P(m, "a/sub"), buf) == 0, "rename a/sub b/sub");
	a = stat_path(P(m, "a"), 0);
	b = stat_path(P(m, "b"), 0);
	KT_CHECK(a.nlink == 2 && b.nlink == 3, "after moving a directory: a %u, b %u", a.nlink, b.nlink);
	KT_CHECK(file_is_string(P(m, "b/sub/inner"), "in"), "b/sub/inner");

	KT_CHECK(write_string(P(m, "b/x"), "old x") == 0, "b/x");
	snprintf(buf, sizeof(buf), "%s/b/x", m->dir);
	KT_CHECK(vfs_rename_path(P(m, "b/g"), buf) == 0, "rename b/g over b/x");
	KT_CHECK(file_is_string(P(m, "b/x"), "hello") && stat_path(P(m, "b/g"), 0).err == -ENOENT,
		 "b/x after rename over it");

	KT_CHECK(vfs_mkdir_path(P(m, "b/e"), 0755) == 0, "mkdir b/e");
	KT_CHECK(stat_path(P(m, "b"), 0).nlink == 4, "b with two subdirectories");
	snprintf(buf, sizeof(buf), "%s/b/sub", m->dir);
	KT_CHECK(vfs_rename_path(P(m, "b/e"), buf) == -ENOTEMPTY, "rename over a non-empty directory");
	KT_CHECK(vfs_rmdir_path(P(m, "b/sub")) == -ENOTEMPTY, "rmdir of a non-empty directory");
	snprintf(buf, sizeof(buf), "%s/b/e", m->dir);
	KT_CHECK(vfs_rename_path(P(m, "b/sub"), buf) == 0, "rename b/sub over empty b/e");
	KT_CHECK(stat_path(P(m, "b"), 0).nlink == 3, "b after a directory replaced another: %u",
		 stat_path(P(m, "b"), 0).nlink);
	KT_CHECK(file_is_string(P(m, "b/e/inner"), "in"), "b/e/inner");

	snprintf(buf, sizeof(buf), "%s/a/x2", m->dir);
	KT_CHECK(vfs_link_path(P(m, "b/x"), buf) == 0, "link b/x a/x2");
	st = stat_path(P(m, "b/x"), 0);
	KT_CHECK(st.nlink == 2 && st.ino == stat_path(P(m, "a/x2"), 0).ino, "link: nlink %u", st.nlink);
	KT_CHECK(vfs_unlink_path(P(m, "b/x")) == 0, "unlink b/x");
	KT_CHECK(stat_path(P(m, "a/x2"), 0).nlink == 1 && file_is_string(P(m, "a/x2"), "hello"),
		 "a/x2 after unlinking b/x");

	KT_CHECK(vfs_symlink_path("x2", P(m, "a/fast")) == 0, "fast symlink");
	memset(target, 'y', sizeof(target));
	memcpy(target, "../b/", 5);
	target[200] = '\0';
	KT_CHECK(vfs_symlink_path(target, P(m, "a/slow")) == 0, "slow symlink");
	KT_CHECK(stat_path(P(m, "a/fast"), LOOKUP_FOLLOW).ino == stat_path(P(m, "a/x2"), 0).ino,
		 "a/fast leads to a/x2");
	KT_CHECK(stat_path(P(m, "a/fast"), 0).blocks == 0 && stat_path(P(m, "a/slow"), 0).blocks == sectors(m, 1),
		 "symlink blocks: fast %llu, slow %llu", stat_path(P(m, "a/fast"), 0).blocks,
		 stat_path(P(m, "a/slow"), 0).blocks);
	KT_CHECK(readlink_path(P(m, "a/slow"), buf, sizeof(buf)) == 200 && strcmp(buf, target) == 0,
		 "a/slow reads back wrong");
}

/* Checks, after a fresh mount, what check_names left, then removes it all. */
static void
check_names_persist_and_clean(struct mnt *m)
{
	struct stat_result b = stat_path(P(m, "b"), 0), e = stat_path(P(m, "b/e"), 0);
	struct dentry *d;
	struct buffer_head *bh = NULL;
	struct ext2_dir_entry *dotdot;
	char buf[300];

	KT_CHECK(file_is_string(P(m, "a/x2"), "hello") && file_is_string(P(m, "b/e/inner"), "in"),
		 "files after a remount");
	KT_CHECK(b.nlink == 3 && e.nlink == 2, "after a remount: b nlink %u, b/e nlink %u", b.nlink,
		 e.nlink);
	d = kern_path(AT_FDCWD, P(m, "b/e"), 0);
	KT_CHECK(!IS_ERR(d), "b/e");
	dotdot = ext2_dotdot(d->d_inode, &bh);
	KT_EXPECT(dotdot && dotdot->inode == b.ino, "b/e's \"..\" on disk is %u, not b (%llu)",
		  dotdot ? dotdot->inode : 0, b.ino);
	brelse(bh);
	dput(d);
	KT_CHECK(readlink_path(P(m, "a/fast"), buf, sizeof(buf)) == 2 && strcmp(buf, "x2") == 0,
		 "a/fast after a remount");
	KT_CHECK(readlink_path(P(m, "a/slow"), buf, sizeof(buf)) == 200, "a/slow after a remount");

	KT_CHECK(vfs_unlink_path(P(m, "a/fast")) == 0 && vfs_unlink_path(P(m, "a/slow")) == 0 &&
		 vfs_unlink_path(P(m, "a/x2")) == 0 && vfs_unlink_path(P(m, "b/e/inner")) == 0,
		 "unlinking");
	KT_CHECK(vfs_rmdir_path(P(m, "b/e")) == 0 && vfs_rmdir_path(P(m, "b")) == 0 &&
		 vfs_rmdir_path(P(m, "a")) == 0, "rmdir");
	KT_CHECK(stat_path(m->dir, 0).nlink == 5, "root nlink back to 5");
}

/* Many names: a directory over several blocks, emptied again. */
static void
check_many_names(struct mnt *m)
{
	char name[48];
	unsigned n = 300;

	KT_CHECK(vfs_mkdir_path(P(m, "many"), 0755) == 0, "mkdir many");
	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "many/a-rather-long-file-name-%u", i);
		KT_CHECK(write_string(P(m, name), name) == 0, "create %s", name);
	}
	KT_CHECK(stat_path(P(m, "many"), 0).size > 4096, "many/ is %llu bytes",
		 stat_path(P(m, "many"), 0).size);
	KT_CHECK(vfs_rmdir_path(P(m, "many")) == -ENOTEMPTY, "rmdir many/ while full");
	for (unsigned i = 0; i < n; i += 2) {
		snprintf(name, sizeof(name), "many/a-rather-long-file-name-%u", i);
		KT_CHECK(vfs_unlink_path(P(m, name)) == 0, "unlink %s", name);
	}
	for (unsigned i = 1; i < n; i += 2) {
		snprintf(name, sizeof(name), "many/a-rather-long-file-name-%u", i);
		KT_CHECK(file_is_string(P(m, name), name), "%s", name);
		KT_CHECK(vfs_unlink_path(P(m, name)) == 0, "unlink %s", name);
	}
	KT_CHECK(vfs_rmdir_path(P(m, "many")) == 0, "rmdir many/ once empty");
}

/* An unlinked file that is still open keeps its blocks until the last close. */
static void
check_unlinked_open_file(struct mnt *m)
{
	struct counts before = counts_of(m);
	struct file *f;
	char buf[8] = { 0 };

	KT_CHECK(write_pattern(P(m, "open.bin"), 7, 0, 3000) == 3000, "open.bin");
	f = kernel_open(P(m, "open.bin"), O_RDONLY, 0);
	KT_CHECK(!IS_ERR(f), "open");
	KT_CHECK(vfs_unlink_path(P(m, "open.bin")) == 0, "unlink");
	KT_EXPECT(counts_of(m).bfree < before.bfree, "the blocks went while the file was open");
	KT_EXPECT(kernel_read(f, buf, 4, 2000) == 4 && (uint8_t)buf[0] == ext2_pattern(7, 2000),
		  "reading the unlinked file");
	fput(f);
	KT_CHECK(!ktest_has_failed(), "unlinked open file");
	KT_CHECK(counts_equal(m, before, "after the last close"), "blocks of the unlinked file");
}

static void
check_valid_bit(struct mnt *m, bool want_valid, const char *when)
{
	struct ext2_super_block *es = kmalloc(EXT2_SUPERBLOCK_SIZE, GFP_KERNEL);
	bool ok = es && read_disk_super(m->bdev, es);

	KT_EXPECT(ok && !!(es->s_state & EXT2_VALID_FS) == want_valid,
		  "%s: the valid bit on the disk is %s", when,
		  ok && (es->s_state & EXT2_VALID_FS) ? "set" : "clear");
	kfree(es);
}

static void
check_writes(const char *label)
{
	struct mnt m;
	struct counts start;
	int err = mount_disk(&m, label, 0);

	KT_CHECK(err == 0, "mount %s: %d", label, err);
	check_valid_bit(&m, false, "mounted read-write");
	start = counts_of(&m);
	check_big_file_and_truncate(&m);
	if (!ktest_has_failed())
		check_triple_indirect_hole(&m);
	if (!ktest_has_failed())
		check_unlinked_open_file(&m);
	if (!ktest_has_failed())
		check_many_names(&m);
	if (!ktest_has_failed())
		check_names(&m);
	err = umount_disk(&m);
	KT_CHECK(err == 0, "umount: %d", err);
	if (ktest_has_failed())
		return;
	check_valid_bit(&m, true, "after umount");
	err = mount_disk(&m, label, 0);
	KT_CHECK(err == 0, "mount again: %d", err);
	check_names_persist_and_clean(&m);
	counts_equal(&m, start, "at the end");
	KT_CHECK(file_matches(P(&m, "indirect.bin"), 3, (12ull + m.sb->s_blocksize / 4 + 3) *
			      m.sb->s_blocksize + 123, 0, 0), "indirect.bin untouched");
	err = umount_disk(&m);
	KT_CHECK(err == 0, "umount: %d", err);
}

KTEST(ext2_write_1k)
{
	check_writes("anvil-test-1k");
}

KTEST(ext2_write_4k)
{
	check_writes("anvil-test-4k");
}

KTEST(ext2_write_rev0)
{
	check_writes("anvil-test-rev0");
}

/* ---- full disks, read-only mounts, features ---------------------------------- */

/* Writing until the disk is full gives ENOSPC and loses nothing written. */
KTEST(ext2_enospc_keeps_data)
{
	struct mnt m;
	struct counts start;
	ssize_t n;
	struct kstatfs st;
	int err = mount_disk(&m, "anvil-test-1k", 0);

	KT_CHECK(err == 0, "mount: %d", err);
	start = counts_of(&m);
	n = write_pattern(P(&m, "fill.bin"), 11, 0, 64ull << 20);
	KT_CHECK(n > 0 && (uint64_t)n < (64ull << 20), "filling the disk wrote %ld", (long)n);
	st = statfs_of(&m);
	KT_CHECK(st.f_bfree == 0, "%llu blocks still free after ENOSPC", st.f_bfree);
	n = write_pattern(P(&m, "fill.bin"), 11, (uint64_t)n, CHUNK);
	KT_CHECK(n == -ENOSPC, "writing to a full disk gave %ld, not ENOSPC", (long)n);
	KT_CHECK(write_string(P(&m, "empty-new"), "") == 0, "an empty file on a full disk");
	KT_CHECK(vfs_mkdir_path(P(&m, "newdir"), 0755) == -ENOSPC, "mkdir on a full disk");
	KT_CHECK(file_matches(P(&m, "fill.bin"), 11, stat_path(P(&m, "fill.bin"), 0).size, 0, 0),
		 "the data written before ENOSPC");
	KT_CHECK(file_matches(P(&m, "small.txt"), 1, 1000, 0, 0), "small.txt on a full disk");
	KT_CHECK(vfs_unlink_path(P(&m, "fill.bin")) == 0 && vfs_unlink_path(P(&m, "empty-new")) == 0,
		 "unlink");
	counts_equal(&m, start, "after the unlink");
	err = umount_disk(&m);
	KT_CHECK(err == 0, "umount: %d", err);
}

/* A read-only mount refuses every change (EROFS) and writes nothing. */
KTEST(ext2_read_only_mount)
{
	struct mnt m;
	unsigned long writes;
	struct file *f;
	char buf[64];
	int err = mount_disk(&m, "anvil-test-4k", SB_RDONLY);

	KT_CHECK(err == 0, "mount: %d", err);
	writes = m.bdev->bd_writes;
	KT_CHECK(write_string(P(&m, "new"), "x") == -EROFS, "create");
	KT_CHECK(vfs_mkdir_path(P(&m, "d"), 0755) == -EROFS, "mkdir");
	KT_CHECK(vfs_symlink_path("x", P(&m, "l")) == -EROFS, "symlink");
	KT_CHECK(vfs_unlink_path(P(&m, "small.txt")) == -EROFS, "unlink");
	KT_CHECK(vfs_rmdir_path(P(&m, "empty")) == -EROFS, "rmdir");
	snprintf(buf, sizeof(buf), "%s/moved", m.dir);
	KT_CHECK(vfs_rename_path(P(&m, "small.txt"), buf) == -EROFS, "rename");
	KT_CHECK(vfs_link_path(P(&m, "small.txt"), buf) == -EROFS, "link");
	KT_CHECK(truncate_path(P(&m, "small.txt"), 10) == -EROFS, "truncate");
	f = kernel_open(P(&m, "small.txt"), O_RDWR, 0);
	if (!IS_ERR(f)) {              /* the VFS may refuse the open itself */
		KT_EXPECT(kernel_write(f, "x", 1, 0) == -EROFS, "write");
		fput(f);
	}
	KT_CHECK(file_matches(P(&m, "small.txt"), 1, 1000, 0, 0), "small.txt unchanged");
	err = umount_disk(&m);
	KT_CHECK(err == 0, "umount: %d", err);
	KT_CHECK(m.bdev->bd_writes == writes, "a read-only mount wrote %lu sectors",
		 m.bdev->bd_writes - writes);
}

/* Sets (or clears) bits in a feature word of the image's superblock. */
static bool
poke_features(struct block_device *bdev, uint32_t incompat, uint32_t ro_compat, bool set)
{
	struct ext2_super_block *es = kmalloc(EXT2_SUPERBLOCK_SIZE, GFP_KERNEL);
	bool ok = es && read_disk_super(bdev, es);

	if (ok) {
		if (set) {
			es->s_feature_incompat |= incompat;
			es->s_feature_ro_compat |= ro_compat;
		} else {
			es->s_feature_incompat &= ~incompat;
			es->s_feature_ro_compat &= ~ro_compat;
		}
		ok = write_disk_super(bdev, es);
	}
	kfree(es);
	return ok;
}

#define UNKNOWN_INCOMPAT  0x00010000u   /* no feature anvil (or Linux's ext2) knows */
#define UNKNOWN_RO_COMPAT 0x00008000u

/* An unknown incompatible feature refuses the mount; an unknown
 * read-only-compatible one makes it read-only. */
KTEST(ext2_unknown_features)
{
	struct block_device *bdev = find_disk("anvil-test-4k");
	struct mnt m;
	int err;

	KT_CHECK(bdev, "no anvil-test-4k disk");
	KT_CHECK(poke_features(bdev, UNKNOWN_INCOMPAT, 0, true), "setting a feature");
	err = mount_disk(&m, "anvil-test-4k", 0);
	poke_features(bdev, UNKNOWN_INCOMPAT, 0, false);
	KT_CHECK(err == -EINVAL, "mounting with an unknown incompatible feature gave %d", err);
	invalidate_bdev(bdev);

	KT_CHECK(poke_features(bdev, 0, UNKNOWN_RO_COMPAT, true), "setting a feature");
	err = mount_disk(&m, "anvil-test-4k", 0);
	KT_CHECK(err == 0, "mounting with an unknown read-only feature gave %d", err);
	KT_EXPECT(sb_rdonly(m.sb), "mounted read-write despite an unknown ro_compat feature");
	KT_EXPECT(write_string(P(&m, "new"), "x") == -EROFS, "creating a file");
	err = umount_disk(&m);
	poke_features(bdev, 0, UNKNOWN_RO_COMPAT, false);
	KT_CHECK(err == 0, "umount: %d", err);
}

#define MS_REMOUNT 32u

/* Remounting read-only writes everything and puts the valid bit back on the
 * disk; read-write again clears it and changes work again. */
KTEST(ext2_remount_ro_rw)
{
	struct mnt m;
	int err = mount_disk(&m, "anvil-test-4k", 0);

	KT_CHECK(err == 0, "mount: %d", err);
	KT_CHECK(write_pattern(P(&m, "r.bin"), 21, 0, 10000) == 10000, "write r.bin");
	err = do_mount(NULL, m.dir, NULL, MS_REMOUNT | SB_RDONLY, NULL);
	KT_CHECK(err == 0, "remount read-only: %d", err);
	check_valid_bit(&m, true, "remounted read-only");
	KT_CHECK(sb_rdonly(m.sb), "the super_block is not read-only");
	KT_CHECK(write_string(P(&m, "new"), "x") == -EROFS, "create on a read-only remount");
	KT_CHECK(file_matches(P(&m, "r.bin"), 21, 10000, 0, 0), "r.bin after remounting read-only");
	err = do_mount(NULL, m.dir, NULL, MS_REMOUNT, NULL);
	KT_CHECK(err == 0, "remount read-write: %d", err);
	check_valid_bit(&m, false, "remounted read-write");
	KT_CHECK(vfs_unlink_path(P(&m, "r.bin")) == 0, "unlink after remounting read-write");
	err = umount_disk(&m);
	KT_CHECK(err == 0, "umount: %d", err);
}
