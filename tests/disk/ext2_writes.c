/*
 * tests/disk/ext2_writes.c — a known tree written onto the ext2 root file
 * system on an IDE disk, for the host to check: the runner's
 * disk/ext2_root_writes (tools/runner.py) boots with a copy of root.img as
 * /dev/sda and root=/dev/sda, runs this under init, and after QEMU exits runs
 * e2fsck -fn on the image and dumps each file with debugfs.
 *
 * Under DIR (default /ext2-writes) it makes, with Linux's system calls:
 *   small.txt     "hello, ext2\n"
 *   big.bin       BIG_BYTES of pattern 31 in odd-sized writes: past the direct,
 *                 indirect and (with 1 KiB or 4 KiB blocks) into the double
 *                 indirect blocks
 *   sparse.bin    16 bytes of pattern 32 at 0 and at SPARSE_FAR, a hole between
 *   cut.bin       CUT_WRITTEN bytes of pattern 33, truncated to CUT_SIZE, then
 *                 grown to CUT_GROWN (zeros after CUT_SIZE)
 *   mapped.bin    MAPPED_BYTES of pattern 34 stored through a MAP_SHARED mapping
 *   d2/y          "moved\n" (created as d1/x, renamed across directories)
 *   d2/d1moved/   d1 itself, moved into d2 (its ".." follows)
 *   link          a hard link to small.txt; fast and slow symlinks
 *   gone.bin      written then unlinked: its blocks must be free again
 *   short.bin     one page of pattern 36: a two-page write whose buffer's second
 *                 page is unmapped (a short write), then a write past EOF from an
 *                 unmapped buffer (EFAULT); no block may stay allocated past EOF
 * then syncs. If there is a /dev/sdb (the runner attaches an ext2 with 1 KiB
 * blocks there), it mounts it on /mnt-sdb, makes the same tree in it and
 * unmounts it. Keep the sizes and seeds in step with ext2_writes_expected in
 * tools/runner.py. On a Linux host: `ext2_writes DIR` on any ext2 mount.
 */
#define TEST_NAME "ext2_writes"
#include "guest.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define BIG_BYTES    (5 * MiB + 4321)
#define BIG_SEED     31
#define SPARSE_FAR   (3 * MiB + 5)
#define SPARSE_LEN   16
#define SPARSE_SEED  32
#define CUT_WRITTEN  100000
#define CUT_SIZE     5000
#define CUT_GROWN    8000
#define CUT_SEED     33
#define MAPPED_BYTES 20000
#define MAPPED_SEED  34
#define GONE_BYTES   (300 * 1024)
#define SHORT_SEED   36
#define PIECE        3001                     /* not a divisor of any block size */

static char path_buf[512];

static const char *
at(const char *dir, const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", dir, name);
	return path_buf;
}

/* Writes len bytes of pattern seed at offset start of fd, PIECE at a time. */
static void
write_pattern_at(int fd, uint32_t seed, size_t start, size_t len)
{
	static uint8_t all[BIG_BYTES];

	pattern_fill(all, start + len, seed);
	for (size_t off = start; off < start + len; off += PIECE) {
		size_t n = start + len - off < PIECE ? start + len - off : PIECE;

		CHECK_EQ("pwrite", (long)n, (long)pwrite(fd, all + off, n, (off_t)off));
	}
}

static void
write_file(const char *path, uint32_t seed, size_t len)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644));

	write_pattern_at(fd, seed, 0, len);
	CHECK_OK(close(fd));
}

static void
put_string(const char *path, const char *s)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644));

	CHECK_EQ("write", (long)strlen(s), (long)write(fd, s, strlen(s)));
	CHECK_OK(close(fd));
}

static void
make_sparse(const char *path)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644));

	write_pattern_at(fd, SPARSE_SEED, 0, SPARSE_LEN);
	write_pattern_at(fd, SPARSE_SEED, SPARSE_FAR, SPARSE_LEN);
	CHECK_OK(close(fd));
}

static void
make_cut(const char *path)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644));
	uint8_t tail[CUT_GROWN - CUT_SIZE];

	write_pattern_at(fd, CUT_SEED, 0, CUT_WRITTEN);
	CHECK_OK(ftruncate(fd, CUT_SIZE));
	CHECK_OK(ftruncate(fd, CUT_GROWN));
	CHECK_EQ("read after growing", (long)sizeof(tail),
		 (long)pread(fd, tail, sizeof(tail), CUT_SIZE));
	CHECK_ZERO("the grown part of cut.bin", tail, sizeof(tail));
	CHECK_OK(close(fd));
}

static void
make_mapped(const char *path)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644));
	uint8_t *p;

	CHECK_OK(ftruncate(fd, MAPPED_BYTES));
	p = mmap(NULL, MAPPED_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	pattern_fill(p, MAPPED_BYTES, MAPPED_SEED);
	CHECK_OK(munmap(p, MAPPED_BYTES));
	CHECK_OK(close(fd));
}

static void
make_short(const char *path)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644));
	char *buf = page_before_hole();

	pattern_fill(buf, PAGE_SIZE, SHORT_SEED);
	CHECK_EQ("a write running into an unmapped page", (long)PAGE_SIZE,
		 (long)write(fd, buf, 2 * PAGE_SIZE));
	CHECK_ERRNO(pwrite(fd, buf + PAGE_SIZE, PAGE_SIZE, 1 * MiB), EFAULT);
	CHECK_OK(close(fd));
}

static void
make_names(const char *dir)
{
	char target[300], from[512];
	struct stat st;

	CHECK_OK(mkdir(at(dir, "d1"), 0755));
	CHECK_OK(mkdir(at(dir, "d2"), 0755));
	put_string(at(dir, "d1/x"), "moved\n");
	snprintf(from, sizeof(from), "%s/d1/x", dir);
	CHECK_OK(rename(from, at(dir, "d2/y")));
	snprintf(from, sizeof(from), "%s/d1", dir);
	CHECK_OK(rename(from, at(dir, "d2/d1moved")));
	CHECK_OK(stat(at(dir, "d2"), &st));
	CHECK_EQ("d2's links", 3L, (long)st.st_nlink);
	snprintf(from, sizeof(from), "%s/small.txt", dir);
	CHECK_OK(link(from, at(dir, "link")));
	CHECK_OK(symlink("small.txt", at(dir, "fastsym")));
	memset(target, 'z', sizeof(target));
	target[200] = '\0';
	CHECK_OK(symlink(target, at(dir, "slowsym")));
	write_file(at(dir, "gone.bin"), 35, GONE_BYTES);
	CHECK_OK(unlink(at(dir, "gone.bin")));
}

static void
make_tree(const char *dir)
{
	CHECK_OK(mkdir(dir, 0755));
	put_string(at(dir, "small.txt"), "hello, ext2\n");
	write_file(at(dir, "big.bin"), BIG_SEED, BIG_BYTES);
	make_sparse(at(dir, "sparse.bin"));
	make_cut(at(dir, "cut.bin"));
	make_mapped(at(dir, "mapped.bin"));
	make_names(dir);
	make_short(at(dir, "short.bin"));
	sync();
	say("wrote the tree under %s", dir);
}

int
main(int argc, char **argv)
{
	struct stat st;

	make_tree(argc > 1 ? argv[1] : "/ext2-writes");
	if (argc > 1 || stat("/dev/sdb", &st) != 0)
		return 0;
	CHECK_OK(mkdir("/mnt-sdb", 0755));
	CHECK_OK(mount("/dev/sdb", "/mnt-sdb", "ext2", 0, NULL));
	make_tree("/mnt-sdb/ext2-writes");
	CHECK_OK(umount("/mnt-sdb"));
	CHECK_OK(rmdir("/mnt-sdb"));
	return 0;
}
