/*
 * fmap_errno — mmap of files refuses with Linux's errno, and maps nothing:
 *   EACCES  MAP_SHARED with PROT_WRITE of an O_RDONLY descriptor; any
 *           mapping (private, shared, PROT_NONE) of an O_WRONLY descriptor
 *   ENODEV  a pipe's read end, a directory
 *   EBADF   a closed descriptor, a negative one, one never opened
 *   EINVAL  an offset that is not a multiple of the page size (the old
 *           i386 mmap call, which takes a byte offset: musl's wrapper
 *           refuses it before the kernel would); length 0
 *   EOVERFLOW  on a 32-bit kernel (anvil, i386 Linux): mmap2 of a file
 *           whose page offset plus length wraps past 2^32 pages; a
 *           character device (/dev/zero) mapped at or across 4 GiB (its
 *           offsets must fit an unsigned long: Linux's file_mmap_ok).
 *           A 64-bit kernel has neither limit (the /dev/zero mapping at
 *           4 GiB is checked to succeed there).
 * What works between them: MAP_PRIVATE read-write of an O_RDONLY
 * descriptor, MAP_SHARED read-only of it, and a mapping at the file's
 * last page offset of a huge sparse file. After each refusal the free
 * range asked for with MAP_FIXED_NOREPLACE is still free.
 */
#define TEST_NAME "fmap_errno"
#include "guest.h"
#include "file_test.h"

#define SEED        0xE440
#define LEN         (2 * PAGE_SIZE)
#define NEVER_FD    777
#define WRAP_PGOFF  0xFFFFFFFFu
#define DEV_ZERO_4G (1u << 20)                  /* mmap2 page offset of 4 GiB */

/* The i386 "old" mmap takes its six arguments in a struct. */
struct old_mmap_args {
	uint32_t addr, len, prot, flags, fd, offset;
};

static char *spot;                              /* a free range, LEN long */

/* mmap2_errno - raw mmap2 at the free spot with MAP_FIXED_NOREPLACE: the
 * errno of its refusal (0 if it mapped, and then unmapped again); the spot
 * must still be free after a refusal. */
static int
mmap2_errno(size_t len, int prot, int flags, int fd, uint32_t pgoff)
{
	long r = syscall(SYS_mmap2, spot, len, prot, flags | MAP_FIXED_NOREPLACE, fd, pgoff);
	int e = errno;

	if (r != -1) {
		CHECK_SYS(munmap((void *)r, len));
		return 0;
	}
	/* Nothing was mapped: a new mapping fits there exactly. */
	char *probe = mmap(spot, LEN, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			   -1, 0);
	CHECK(probe == spot, "the spot after a refused mmap (got %p with %s)", (void *)probe,
	      err_name(errno));
	CHECK_SYS(munmap(spot, LEN));
	return e;
}

#define CHECK_MAP(what, expected, len, prot, flags, fd, pgoff) do {              \
		int got_ = mmap2_errno((len), (prot), (flags), (fd), (pgoff));           \
		if (got_ != (expected))                                                  \
			fail("mmap2 %s (expected %s, got %s)", (what), err_name(expected),  \
			     err_name(got_));                                            \
	} while (0)

int
main(void)
{
	char path[160];
	int rw = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	int rdonly = open_file(path, O_RDONLY), wronly = open_file(path, O_WRONLY), p[2];
	int dir = open_file(tmp_dir(), O_RDONLY | O_DIRECTORY), closed, zero;

	spot = free_range(LEN / PAGE_SIZE);

	say("EACCES");
	CHECK_MAP("shared writable, O_RDONLY", EACCES, LEN, RW, MAP_SHARED, rdonly, 0);
	CHECK_MAP("shared write-only, O_RDONLY", EACCES, LEN, PROT_WRITE, MAP_SHARED, rdonly, 0);
	CHECK_MAP("private read, O_WRONLY", EACCES, LEN, PROT_READ, MAP_PRIVATE, wronly, 0);
	CHECK_MAP("private none, O_WRONLY", EACCES, LEN, PROT_NONE, MAP_PRIVATE, wronly, 0);
	CHECK_MAP("shared read, O_WRONLY", EACCES, LEN, PROT_READ, MAP_SHARED, wronly, 0);
	CHECK_MAP("shared writable, O_WRONLY", EACCES, LEN, RW, MAP_SHARED, wronly, 0);
	CHECK_MAP("private writable, O_RDONLY (allowed)", 0, LEN, RW, MAP_PRIVATE, rdonly, 0);
	CHECK_MAP("shared read, O_RDONLY (allowed)", 0, LEN, PROT_READ, MAP_SHARED, rdonly, 0);

	say("ENODEV");
	CHECK_SYS(pipe(p));
	CHECK_MAP("a pipe", ENODEV, LEN, PROT_READ, MAP_PRIVATE, p[0], 0);
	CHECK_MAP("a pipe, shared", ENODEV, LEN, PROT_READ, MAP_SHARED, p[0], 0);
	CHECK_MAP("a directory", ENODEV, LEN, PROT_READ, MAP_PRIVATE, dir, 0);
	CHECK_MAP("a directory, shared", ENODEV, LEN, PROT_READ, MAP_SHARED, dir, 0);

	say("EBADF");
	closed = open_file(path, O_RDONLY);
	close(closed);
	CHECK_MAP("a closed descriptor", EBADF, LEN, PROT_READ, MAP_PRIVATE, closed, 0);
	CHECK_MAP("descriptor -1", EBADF, LEN, PROT_READ, MAP_SHARED, -1, 0);
	CHECK_MAP("a descriptor never opened", EBADF, LEN, PROT_READ, MAP_PRIVATE, NEVER_FD, 0);

	say("EINVAL");
	struct old_mmap_args args = { (uint32_t)(uintptr_t)spot, LEN, PROT_READ,
				      MAP_PRIVATE | MAP_FIXED_NOREPLACE, (uint32_t)rw, 100 };
	CHECK_ERR(syscall(SYS_mmap, &args), EINVAL);
	args.offset = PAGE_SIZE / 2;
	CHECK_ERR(syscall(SYS_mmap, &args), EINVAL);
	args.offset = PAGE_SIZE;
	long r = CHECK_SYS(syscall(SYS_mmap, &args));
	CHECK(r == (long)(uintptr_t)spot, "old mmap at the spot (got %#lx)", r);
	CHECK_FILE_BYTES("old mmap at offset 4096", spot, PAGE_SIZE, SEED, PAGE_SIZE);
	CHECK_SYS(munmap(spot, LEN));
	CHECK_ERR(mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, rw, 100), EINVAL);
	CHECK_MAP("length 0", EINVAL, 0, PROT_READ, MAP_PRIVATE, rw, 0);

	say("EOVERFLOW");
	zero = open_file("/dev/zero", O_RDWR);
	if (is_64bit_kernel()) {
		say("a 64-bit kernel: offsets near 2^32 pages and /dev/zero at 4 GiB do not "
		    "overflow here; the i386 rules are checked on 32-bit kernels");
		CHECK_MAP("/dev/zero at 4 GiB (64-bit: allowed)", 0, PAGE_SIZE, PROT_READ,
			  MAP_PRIVATE, zero, DEV_ZERO_4G);
	} else {
		CHECK_MAP("a file, offset + length past 2^32 pages", EOVERFLOW, LEN, PROT_READ,
			  MAP_PRIVATE, rw, WRAP_PGOFF);
		CHECK_MAP("a file, offset + length past 2^32 pages, shared", EOVERFLOW, LEN,
			  PROT_READ, MAP_SHARED, rw, WRAP_PGOFF - 1);
		CHECK_MAP("/dev/zero at 4 GiB", EOVERFLOW, PAGE_SIZE, PROT_READ, MAP_PRIVATE, zero,
			  DEV_ZERO_4G);
		CHECK_MAP("/dev/zero ending at 4 GiB", EOVERFLOW, PAGE_SIZE, PROT_READ, MAP_PRIVATE,
			  zero, DEV_ZERO_4G - 1);
		CHECK_MAP("/dev/zero ending a page below 4 GiB (allowed)", 0, PAGE_SIZE, PROT_READ,
			  MAP_PRIVATE, zero, DEV_ZERO_4G - 2);
	}
	close(zero);
	CHECK_MAP("a file at page offset 2^20 (allowed)", 0, LEN, PROT_READ, MAP_SHARED, rw,
		  1u << 20);

	close(p[0]);
	close(p[1]);
	close(dir);
	close(rw);
	close(rdonly);
	close(wronly);
	CHECK_SYS(unlink(path));
	say("mmap of files refused as Linux does");
	return 0;
}
