/*
 * fmap_mincore_madvise — residency and advice on file mappings:
 *   - mincore of a mapping of a never-read sparse file (no page in the
 *     page cache) says not resident; after a touch (read through the
 *     mapping), resident (a read() of a hole is not checked: tmpfs
 *     answers it without a page); pages of a file just
 *     written with write() are resident through a new mapping before any
 *     touch (they are in the page cache);
 *   - madvise(MADV_DONTNEED) on a private file mapping throws the private
 *     copies away: the pages read the file again, including what write()
 *     put there since; on a shared mapping it keeps the data (it is the
 *     file's);
 *   - MADV_WILLNEED returns 0 and changes no byte; MADV_SEQUENTIAL,
 *     MADV_RANDOM and MADV_NORMAL too.
 */
#define TEST_NAME "fmap_mincore_madvise"
#include "guest.h"
#include "file_test.h"

#define SEED   0xAD71
#define PAGES  8
#define LEN    (PAGES * PAGE_SIZE)
#define SPARSE (64 * PAGE_SIZE)

static unsigned char vec[SPARSE / PAGE_SIZE];

static int
resident(char *base, int page)
{
	CHECK_SYS(mincore(base, (size_t)(page + 1) * PAGE_SIZE, vec));
	return vec[page] & 1;
}

int
main(void)
{
	char path[160], sparse_path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	int sparse = CHECK_SYS(open(file_path(sparse_path, sizeof(sparse_path), "sparse"),
				    O_CREAT | O_TRUNC | O_RDWR, 0644));
	char *p, *s;

	say("mincore: a never-read hole is not resident, a touched page is");
	CHECK_SYS(ftruncate(sparse, SPARSE));
	s = map_file(SPARSE, PROT_READ, MAP_SHARED, sparse, 0);
	CHECK_EQ("page 40 before any touch", 0, resident(s, 40));
	CHECK_EQ("page 10 before any touch", 0, resident(s, 10));
	CHECK_EQ("touch page 10", 0, s[10 * PAGE_SIZE]);
	CHECK_EQ("page 10 after a touch", 1, resident(s, 10));
	CHECK_SYS(munmap(s, SPARSE));

	say("mincore: pages of a file just written are in the page cache");
	p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	for (int i = 0; i < PAGES; i++)
		CHECK_EQ("a written file's page before any touch", 1, resident(p, i));

	say("MADV_DONTNEED on a private mapping reads the file again");
	fill_at(p, 3 * PAGE_SIZE, SEED + 1, 0);                 /* private copies of 0-2 */
	write_at(fd, PAGE_SIZE, PAGE_SIZE, SEED + 2);             /* the file's page 1 changes */
	CHECK_FILE_BYTES("page 1 is still the private copy", p + PAGE_SIZE, PAGE_SIZE, SEED + 1,
			 PAGE_SIZE);
	CHECK_SYS(madvise(p, 2 * PAGE_SIZE, MADV_DONTNEED));
	CHECK_FILE_BYTES("page 0 after DONTNEED: the file", p, PAGE_SIZE, SEED, 0);
	CHECK_FILE_BYTES("page 1 after DONTNEED: the file's new bytes", p + PAGE_SIZE, PAGE_SIZE,
			 SEED + 2, PAGE_SIZE);
	CHECK_FILE_BYTES("page 2 kept its private copy", p + 2 * PAGE_SIZE, PAGE_SIZE, SEED + 1,
			 2 * PAGE_SIZE);
	CHECK_FILE_CONTENT("the file never saw the private stores", fd, 0, PAGE_SIZE, SEED);
	CHECK_SYS(munmap(p, LEN));

	say("MADV_DONTNEED on a shared mapping keeps the data");
	p = map_file(LEN, RW, MAP_SHARED, fd, 0);
	fill_at(p + 4 * PAGE_SIZE, PAGE_SIZE, SEED + 3, 4 * PAGE_SIZE);
	CHECK_SYS(madvise(p, LEN, MADV_DONTNEED));
	CHECK_FILE_BYTES("the shared store after DONTNEED", p + 4 * PAGE_SIZE, PAGE_SIZE, SEED + 3,
			 4 * PAGE_SIZE);
	CHECK_FILE_CONTENT("the shared store in the file", fd, 4 * PAGE_SIZE, PAGE_SIZE, SEED + 3);

	say("WILLNEED, SEQUENTIAL, RANDOM, NORMAL: 0, no byte changes");
	CHECK_EQ("MADV_WILLNEED", 0, madvise(p, LEN, MADV_WILLNEED));
	CHECK_EQ("MADV_SEQUENTIAL", 0, madvise(p, LEN, MADV_SEQUENTIAL));
	CHECK_EQ("MADV_RANDOM", 0, madvise(p, LEN, MADV_RANDOM));
	CHECK_EQ("MADV_NORMAL", 0, madvise(p, LEN, MADV_NORMAL));
	CHECK_FILE_BYTES("pages 0-3", p, PAGE_SIZE, SEED, 0);
	CHECK_FILE_BYTES("page 1", p + PAGE_SIZE, PAGE_SIZE, SEED + 2, PAGE_SIZE);
	CHECK_FILE_BYTES("page 4", p + 4 * PAGE_SIZE, PAGE_SIZE, SEED + 3, 4 * PAGE_SIZE);
	CHECK_FILE_BYTES("pages 5-7", p + 5 * PAGE_SIZE, 3 * PAGE_SIZE, SEED, 5 * PAGE_SIZE);
	CHECK_SYS(munmap(p, LEN));
	close(fd);
	close(sparse);
	CHECK_SYS(unlink(path));
	CHECK_SYS(unlink(sparse_path));
	say("mincore and madvise behaved as on Linux");
	return 0;
}
