/*
 * file_lseek_holes — lseek with SEEK_SET, SEEK_CUR and SEEK_END over a
 * sparse file: each returns the new offset; a write far past the end
 * leaves a hole that reads as zeros (in a read that spans data and hole
 * too) and sets the size; the hole costs no blocks (st_blocks * 512 is far
 * below st_size, where a filled file of that size needs at least its size);
 * offsets past the end read 0 bytes; bad whence or a negative result is
 * EINVAL and the offset stays; SEEK_DATA/SEEK_HOLE are not checked (file
 * systems may answer coarsely).
 */
#define TEST_NAME "file_lseek_holes"
#include "guest.h"
#include "file_test.h"

#define SEED       0x5EEC
#define HEAD_LEN   (PAGE_SIZE + 17)
#define HOLE_AT    (8 * MiB)                   /* the data after the hole */
#define TAIL_LEN   (PAGE_SIZE / 2)
#define BAD_WHENCE 77

static uint8_t buf[3 * PAGE_SIZE];

int
main(void)
{
	char path[160];
	struct stat st;
	int fd = make_file(file_path(path, sizeof(path), "sparse"), HEAD_LEN, SEED);

	say("SEEK_SET, SEEK_CUR and SEEK_END");
	CHECK_EQ("SEEK_END", HEAD_LEN, lseek(fd, 0, SEEK_END));
	CHECK_EQ("SEEK_SET", 100, lseek(fd, 100, SEEK_SET));
	CHECK_EQ("SEEK_CUR +50", 150, lseek(fd, 50, SEEK_CUR));
	CHECK_EQ("SEEK_CUR -150", 0, lseek(fd, -150, SEEK_CUR));
	CHECK_EQ("SEEK_END -17", HEAD_LEN - 17, lseek(fd, -17, SEEK_END));
	CHECK_EQ("read the last 17 bytes", 17, read(fd, buf, sizeof(buf)));
	CHECK_FILE_BYTES("the last 17 bytes", buf, 17, SEED, HEAD_LEN - 17);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, -(HEAD_LEN + 1), SEEK_END), EINVAL);
	CHECK_ERR(lseek(fd, 0, BAD_WHENCE), EINVAL);
	CHECK_EQ("offset kept after the failures", HEAD_LEN, lseek(fd, 0, SEEK_CUR));

	say("past the end: reads give 0, the size does not change");
	CHECK_EQ("SEEK_END +1 MiB", HEAD_LEN + MiB, lseek(fd, MiB, SEEK_END));
	CHECK_EQ("read past the end", 0, read(fd, buf, sizeof(buf)));
	CHECK_EQ("size after seeking past the end", HEAD_LEN, file_size(fd));

	say("a write at %d MiB leaves a hole", HOLE_AT / MiB);
	CHECK_EQ("SEEK_SET to the far offset", HOLE_AT, lseek(fd, HOLE_AT, SEEK_SET));
	fill_at(buf, TAIL_LEN, SEED, HOLE_AT);
	CHECK_EQ("write after the hole", TAIL_LEN, write(fd, buf, TAIL_LEN));
	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("size with the hole", HOLE_AT + TAIL_LEN, st.st_size);
	CHECK(st.st_blocks * 512LL < st.st_size / 4,
	      "st_blocks of a sparse file (expected far below %lld sectors, got %lld)",
	      (long long)st.st_size / 512, (long long)st.st_blocks);
	CHECK(st.st_blocks * 512LL >= HEAD_LEN,
	      "st_blocks (expected at least the %d bytes written, got %lld sectors)",
	      HEAD_LEN, (long long)st.st_blocks);

	say("the hole reads as zeros");
	CHECK_FILE_CONTENT("data before the hole", fd, 0, HEAD_LEN, SEED);
	CHECK_FILE_ZERO("the hole", fd, HEAD_LEN, HOLE_AT - HEAD_LEN);
	CHECK_FILE_CONTENT("data after the hole", fd, HOLE_AT, TAIL_LEN, SEED);
	/* One read spanning the end of the data and the start of the hole. */
	CHECK_EQ("SEEK_SET into the data", HEAD_LEN - 10, lseek(fd, HEAD_LEN - 10, SEEK_SET));
	CHECK_EQ("read across data and hole", (long)sizeof(buf), read(fd, buf, sizeof(buf)));
	CHECK_FILE_BYTES("the data part", buf, 10, SEED, HEAD_LEN - 10);
	CHECK_ZERO("the hole part", buf + 10, sizeof(buf) - 10);
	CHECK_EQ("offset advanced", HEAD_LEN - 10 + (long)sizeof(buf), lseek(fd, 0, SEEK_CUR));
	/* One read spanning the end of the hole and the data after it. */
	CHECK_EQ("SEEK_END to the hole's end", HOLE_AT - 100, lseek(fd, -(TAIL_LEN + 100), SEEK_END));
	CHECK_EQ("read across hole and data", 100 + TAIL_LEN, read(fd, buf, sizeof(buf)));
	CHECK_ZERO("hole before the tail", buf, 100);
	CHECK_FILE_BYTES("the tail", buf + 100, TAIL_LEN, SEED, HOLE_AT);
	close(fd);

	say("the same size written out in full costs at least its size");
	fd = make_file(path, 2 * MiB, SEED);
	CHECK_SYS(fstat(fd, &st));
	CHECK(st.st_blocks * 512LL >= 2 * MiB, "st_blocks of a full 2 MiB file (got %lld sectors)",
	      (long long)st.st_blocks);
	close(fd);
	CHECK_SYS(unlink(path));
	say("lseek and holes behaved as on Linux");
	return 0;
}
