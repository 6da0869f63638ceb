/*
 * fmap_mremap_offsets — mremap of file mappings keeps each page at its
 * file offset:
 *   - a shared mapping grown in place (free room after it) shows the
 *     file's next pages in the new part, and stores there reach the file;
 *   - a shared mapping moved (MREMAP_MAYMOVE|MREMAP_FIXED) shows the same
 *     file bytes at the new address and still writes through to the file;
 *     the old address is unmapped (SIGSEGV, SEGV_MAPERR);
 *   - the middle part of a mapping at a file offset, moved, keeps its
 *     offset (both pieces are right);
 *   - a private file mapping moved and grown keeps its private copies,
 *     and the grown part shows the file;
 *   - a shrink drops the tail only.
 */
#define TEST_NAME "fmap_mremap_offsets"
#include "guest.h"
#include "file_test.h"

#define SEED   0x3E3A
#define PAGES  16
#define LEN    (PAGES * PAGE_SIZE)

int
main(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	char *area, *p, *got, *target;

	catch_faults();
	say("shared: grow in place");
	area = free_range(2 * PAGES);
	p = mmap(area, 4 * PAGE_SIZE, RW, MAP_SHARED | MAP_FIXED, fd, 2 * PAGE_SIZE);
	CHECK(p == area, "mmap at a free address (got %p)", (void *)p);
	got = (char *)sys_mremap(p, 4 * PAGE_SIZE, 8 * PAGE_SIZE, 0, NULL);
	CHECK(got == p, "grow in place (expected %p, got %p with %s)", (void *)p, (void *)got,
	      err_name(errno));
	CHECK_FILE_BYTES("grown shared mapping", p, 8 * PAGE_SIZE, SEED, 2 * PAGE_SIZE);
	fill_at(p + 6 * PAGE_SIZE, PAGE_SIZE, SEED + 1, 8 * PAGE_SIZE);
	CHECK_FILE_CONTENT("a store in the grown part", fd, 8 * PAGE_SIZE, PAGE_SIZE, SEED + 1);

	say("shared: move (MREMAP_FIXED)");
	target = free_range(8);
	got = (char *)sys_mremap(p, 8 * PAGE_SIZE, 8 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
				 target);
	CHECK(got == target, "move (expected %p, got %p with %s)", (void *)target, (void *)got,
	      err_name(errno));
	CHECK_FILE_BYTES("moved shared mapping", got, 6 * PAGE_SIZE, SEED, 2 * PAGE_SIZE);
	CHECK_FILE_BYTES("moved shared mapping, stored page", got + 6 * PAGE_SIZE, PAGE_SIZE,
			 SEED + 1, 8 * PAGE_SIZE);
	check_fault("the old address", try_read(p), SEGV_MAPERR, p);
	fill_at(got, PAGE_SIZE, SEED + 2, 2 * PAGE_SIZE);
	CHECK_FILE_CONTENT("a store after the move", fd, 2 * PAGE_SIZE, PAGE_SIZE, SEED + 2);
	write_at(fd, 2 * PAGE_SIZE, PAGE_SIZE, SEED);
	write_at(fd, 8 * PAGE_SIZE, PAGE_SIZE, SEED);
	CHECK_SYS(munmap(got, 8 * PAGE_SIZE));

	say("the middle of a mapping at an offset, moved");
	p = map_file(8 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 4 * PAGE_SIZE);
	target = free_range(3);
	got = (char *)sys_mremap(p + 2 * PAGE_SIZE, 3 * PAGE_SIZE, 3 * PAGE_SIZE,
				 MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK(got == target, "move the middle (expected %p, got %p with %s)", (void *)target,
	      (void *)got, err_name(errno));
	CHECK_FILE_BYTES("the moved middle", got, 3 * PAGE_SIZE, SEED, 6 * PAGE_SIZE);
	CHECK_FILE_BYTES("the head left behind", p, 2 * PAGE_SIZE, SEED, 4 * PAGE_SIZE);
	CHECK_FILE_BYTES("the tail left behind", p + 5 * PAGE_SIZE, 3 * PAGE_SIZE, SEED,
			 9 * PAGE_SIZE);
	check_fault("the hole in the middle", try_read(p + 3 * PAGE_SIZE), SEGV_MAPERR,
		    p + 3 * PAGE_SIZE);
	CHECK_SYS(munmap(p, 8 * PAGE_SIZE));
	CHECK_SYS(munmap(got, 3 * PAGE_SIZE));

	say("private: move and grow keep private copies");
	p = map_file(4 * PAGE_SIZE, RW, MAP_PRIVATE, fd, PAGE_SIZE);
	fill_at(p + PAGE_SIZE, PAGE_SIZE, SEED + 3, 2 * PAGE_SIZE);
	target = free_range(10);
	got = (char *)sys_mremap(p, 4 * PAGE_SIZE, 10 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
				 target);
	CHECK(got == target, "move and grow (expected %p, got %p with %s)", (void *)target,
	      (void *)got, err_name(errno));
	CHECK_FILE_BYTES("private page 0", got, PAGE_SIZE, SEED, PAGE_SIZE);
	CHECK_FILE_BYTES("the private copy", got + PAGE_SIZE, PAGE_SIZE, SEED + 3, 2 * PAGE_SIZE);
	CHECK_FILE_BYTES("the grown part shows the file", got + 2 * PAGE_SIZE, 8 * PAGE_SIZE, SEED,
			 3 * PAGE_SIZE);
	CHECK_FILE_CONTENT("the file is unchanged", fd, 0, LEN, SEED);

	say("shrink drops the tail");
	char *shrunk = (char *)sys_mremap(got, 10 * PAGE_SIZE, 3 * PAGE_SIZE, 0, NULL);
	CHECK(shrunk == got, "shrink (expected %p, got %p)", (void *)got, (void *)shrunk);
	CHECK_FILE_BYTES("the private copy after the shrink", got + PAGE_SIZE, PAGE_SIZE, SEED + 3,
			 2 * PAGE_SIZE);
	check_fault("the cut tail", try_read(got + 3 * PAGE_SIZE), SEGV_MAPERR, got + 3 * PAGE_SIZE);
	CHECK_SYS(munmap(got, 3 * PAGE_SIZE));
	close(fd);
	CHECK_SYS(unlink(path));
	say("mremap kept every page at its file offset");
	return 0;
}
