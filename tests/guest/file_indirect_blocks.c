/*
 * file_indirect_blocks — a sparse file with small writes at offsets that,
 * with 1 KiB ext2 blocks, land in the direct blocks (< 12 KiB), the single
 * indirect (< 268 KiB), the double indirect (< 64 MiB + 268 KiB) and the
 * triple indirect block, and with 4 KiB blocks in the direct (< 48 KiB),
 * single (< 4 MiB + 48 KiB) and double indirect ones; each write straddles
 * a block-map boundary where there is one. Everything reads back (through
 * the same descriptor and after close and reopen), the holes between read
 * as zeros (sampled at and around each boundary), st_size is the end of
 * the last write, st_blocks stays far below the size; truncating back down
 * past each boundary frees blocks (st_blocks drops) and keeps what is
 * below the cut; the file then grows again with zeros. About 200 KiB are
 * written in all.
 */
#define TEST_NAME "file_indirect_blocks"
#include "guest.h"
#include "file_test.h"

#define SEED   0x1D1B
#define CHUNK  (8 * KiB)

/* Boundaries of the block map, for 1 KiB and 4 KiB blocks. */
static const uint64_t offsets[] = {
	0,                                          /* direct */
	12 * KiB - CHUNK / 2,                       /* 1K: direct -> single */
	48 * KiB - CHUNK / 2,                       /* 4K: direct -> single */
	268 * KiB - CHUNK / 2,                      /* 1K: single -> double */
	1 * MiB + 3 * KiB,                          /* 1K double */
	4 * MiB + 48 * KiB - CHUNK / 2,             /* 4K: single -> double */
	(64 * MiB + 268 * KiB) - CHUNK / 2,         /* 1K: double -> triple */
	100 * MiB + 5,                              /* 1K triple, 4K double */
	1024LL * MiB + 777,                         /* 1 GiB */
	4096LL * MiB + 4096 - CHUNK / 2,            /* across 4 GiB (64-bit offsets) */
	5000LL * MiB + 1,                           /* 1K triple, far */
};
#define NOFFSETS (sizeof(offsets) / sizeof(offsets[0]))

/* check_written - every chunk below limit reads back; the holes between
 * them read zero around each chunk. */
static void
check_written(int fd, uint64_t limit)
{
	for (size_t i = 0; i < NOFFSETS && offsets[i] < limit; i++) {
		CHECK_FILE_CONTENT("a chunk", fd, offsets[i], CHUNK, SEED + (uint32_t)i);
		uint64_t end = offsets[i] + CHUNK;
		uint64_t next = i + 1 < NOFFSETS && offsets[i + 1] < limit ? offsets[i + 1] : limit;
		uint64_t gap = next - end < 3 * PAGE_SIZE ? next - end : 3 * PAGE_SIZE;
		CHECK_FILE_ZERO("the hole after a chunk", fd, end, gap);
		if (next - end > gap)
			CHECK_FILE_ZERO("the hole before the next chunk", fd, next - gap, gap);
	}
}

static long long
blocks_of(int fd)
{
	struct stat st;

	CHECK_SYS(fstat(fd, &st));
	return (long long)st.st_blocks;
}

int
main(void)
{
	char path[160];
	struct stat st;
	int fd = CHECK_SYS(open(file_path(path, sizeof(path), "f"), O_CREAT | O_TRUNC | O_RDWR, 0644));
	uint64_t end = offsets[NOFFSETS - 1] + CHUNK;

	say("%zu chunks of %d KiB up to %llu MiB", NOFFSETS, CHUNK / KiB,
	    (unsigned long long)(end / MiB));
	for (size_t i = 0; i < NOFFSETS; i++)
		write_at(fd, offsets[i], CHUNK, SEED + (uint32_t)i);
	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("st_size", (long long)end, st.st_size);
	CHECK(st.st_blocks * 512LL >= (long long)(NOFFSETS * CHUNK),
	      "st_blocks %lld below the %zu bytes written", (long long)st.st_blocks, NOFFSETS * CHUNK);
	CHECK(st.st_blocks * 512LL < 4 * MiB, "st_blocks %lld: the holes cost blocks",
	      (long long)st.st_blocks);
	check_written(fd, end);

	say("after close and reopen");
	CHECK_SYS(fsync(fd));
	close(fd);
	fd = open_file(path, O_RDWR);
	check_written(fd, end);

	say("truncating down past each boundary frees blocks");
	for (size_t i = NOFFSETS - 1; i > 0; i--) {
		long long before = blocks_of(fd);
		CHECK_SYS(ftruncate(fd, (off_t)offsets[i]));
		long long after = blocks_of(fd);
		CHECK(after < before, "st_blocks after truncating to %llu (expected below %lld, got %lld)",
		      (unsigned long long)offsets[i], before, after);
		CHECK_EQ("st_size", (long long)offsets[i], file_size(fd));
		check_written(fd, offsets[i]);
	}
	CHECK_SYS(ftruncate(fd, CHUNK));
	CHECK_FILE_CONTENT("the first chunk", fd, 0, CHUNK, SEED);
	CHECK(blocks_of(fd) * 512LL <= CHUNK + 16 * KiB, "st_blocks %lld for %d bytes",
	      blocks_of(fd), CHUNK);

	say("grown again: zeros where the chunks were");
	CHECK_SYS(ftruncate(fd, (off_t)end));
	for (size_t i = 1; i < NOFFSETS; i++)
		CHECK_FILE_ZERO("a former chunk", fd, offsets[i], CHUNK);
	close(fd);
	CHECK_SYS(unlink(path));
	say("the block map held up at every level");
	return 0;
}
