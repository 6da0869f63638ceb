/*
 * fmap_munmap_fixed — punching and replacing parts of file mappings:
 *   - munmap of the middle of a shared file mapping: the hole faults
 *     (SEGV_MAPERR at the exact address), both remaining parts show their
 *     own file offsets and still write through;
 *   - MAP_FIXED of another file over part of a mapping: exactly those
 *     pages show the other file, the rest the first;
 *   - MAP_FIXED anonymous memory over part of a private file mapping:
 *     zeros there, the file's bytes (and private copies) around;
 *   - MAP_FIXED of the same file at a different offset over a shared
 *     mapping: the new offsets there; no store of a replaced private copy
 *     ever reaches the file.
 */
#define TEST_NAME "fmap_munmap_fixed"
#include "guest.h"
#include "file_test.h"

#define SEED   0x4F1C
#define OTHER  0x07E4
#define PAGES  8
#define LEN    (PAGES * PAGE_SIZE)

int
main(void)
{
	char path[160], other_path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	int other = make_file(file_path(other_path, sizeof(other_path), "other"), LEN, OTHER);
	char *p, *q;

	catch_faults();
	say("munmap in the middle of a shared mapping");
	p = map_file(LEN, RW, MAP_SHARED, fd, 0);
	CHECK_SYS(munmap(p + 3 * PAGE_SIZE, 2 * PAGE_SIZE));
	check_fault("the hole", try_read(p + 3 * PAGE_SIZE + 8), SEGV_MAPERR, p + 3 * PAGE_SIZE + 8);
	check_fault("the hole", try_write(p + 4 * PAGE_SIZE, 1), SEGV_MAPERR, p + 4 * PAGE_SIZE);
	CHECK_FILE_BYTES("the head", p, 3 * PAGE_SIZE, SEED, 0);
	CHECK_FILE_BYTES("the tail", p + 5 * PAGE_SIZE, 3 * PAGE_SIZE, SEED, 5 * PAGE_SIZE);
	fill_at(p + 6 * PAGE_SIZE, PAGE_SIZE, SEED + 1, 6 * PAGE_SIZE);
	fill_at(p + 2 * PAGE_SIZE, PAGE_SIZE, SEED + 1, 2 * PAGE_SIZE);
	CHECK_FILE_CONTENT("a store in the tail", fd, 6 * PAGE_SIZE, PAGE_SIZE, SEED + 1);
	CHECK_FILE_CONTENT("a store in the head", fd, 2 * PAGE_SIZE, PAGE_SIZE, SEED + 1);
	CHECK_FILE_CONTENT("the unmapped pages are untouched", fd, 3 * PAGE_SIZE, 2 * PAGE_SIZE,
			   SEED);
	write_at(fd, 0, LEN, SEED);

	say("MAP_FIXED of another file over the middle");
	q = mmap(p + 2 * PAGE_SIZE, 4 * PAGE_SIZE, RW, MAP_SHARED | MAP_FIXED, other, PAGE_SIZE);
	CHECK(q == p + 2 * PAGE_SIZE, "MAP_FIXED (expected %p, got %p with %s)",
	      (void *)(p + 2 * PAGE_SIZE), (void *)q, err_name(errno));
	CHECK_FILE_BYTES("first file before", p, 2 * PAGE_SIZE, SEED, 0);
	CHECK_FILE_BYTES("the other file", q, 4 * PAGE_SIZE, OTHER, PAGE_SIZE);
	CHECK_FILE_BYTES("first file after", p + 6 * PAGE_SIZE, 2 * PAGE_SIZE, SEED, 6 * PAGE_SIZE);
	fill_at(q, PAGE_SIZE, OTHER + 1, PAGE_SIZE);
	CHECK_FILE_CONTENT("the store went to the other file", other, PAGE_SIZE, PAGE_SIZE,
			   OTHER + 1);
	CHECK_FILE_CONTENT("not to the first", fd, 0, LEN, SEED);
	write_at(other, 0, LEN, OTHER);

	say("MAP_FIXED of the same file at another offset");
	q = mmap(p + PAGE_SIZE, PAGE_SIZE, RW, MAP_SHARED | MAP_FIXED, fd, 7 * PAGE_SIZE);
	CHECK(q == p + PAGE_SIZE, "MAP_FIXED same file (got %p with %s)", (void *)q, err_name(errno));
	CHECK_FILE_BYTES("page 1 now shows file page 7", q, PAGE_SIZE, SEED, 7 * PAGE_SIZE);
	fill_at(q, PAGE_SIZE, SEED + 2, 7 * PAGE_SIZE);
	CHECK_FILE_BYTES("file page 7 through the old mapping", p + 7 * PAGE_SIZE, PAGE_SIZE,
			 SEED + 2, 7 * PAGE_SIZE);
	CHECK_FILE_CONTENT("file page 7", fd, 7 * PAGE_SIZE, PAGE_SIZE, SEED + 2);
	CHECK_FILE_CONTENT("file page 1", fd, PAGE_SIZE, PAGE_SIZE, SEED);
	CHECK_SYS(munmap(p, LEN));
	write_at(fd, 0, LEN, SEED);

	say("MAP_FIXED anonymous memory over a private file mapping");
	p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	fill_at(p + 2 * PAGE_SIZE, PAGE_SIZE, SEED + 3, 2 * PAGE_SIZE);     /* a private copy */
	fill_at(p + 4 * PAGE_SIZE, PAGE_SIZE, SEED + 3, 4 * PAGE_SIZE);     /* one to be replaced */
	q = mmap(p + 3 * PAGE_SIZE, 3 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 3 * PAGE_SIZE, "MAP_FIXED anonymous (got %p with %s)", (void *)q,
	      err_name(errno));
	CHECK_ZERO("the anonymous pages", q, 3 * PAGE_SIZE);
	CHECK_FILE_BYTES("the file's pages before", p, 2 * PAGE_SIZE, SEED, 0);
	CHECK_FILE_BYTES("the private copy before", p + 2 * PAGE_SIZE, PAGE_SIZE, SEED + 3,
			 2 * PAGE_SIZE);
	CHECK_FILE_BYTES("the file's pages after", p + 6 * PAGE_SIZE, 2 * PAGE_SIZE, SEED,
			 6 * PAGE_SIZE);
	CHECK_SYS(munmap(p, LEN));
	CHECK_FILE_CONTENT("the file never saw a private store", fd, 0, LEN, SEED);
	close(fd);
	close(other);
	CHECK_SYS(unlink(path));
	CHECK_SYS(unlink(other_path));
	say("munmap and MAP_FIXED replaced exactly the pages asked");
	return 0;
}
