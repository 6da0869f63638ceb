/*
 * msync_file_flags — msync on file mappings and its errors:
 *   - MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_SYNC|MS_INVALIDATE and 0 on a
 *     dirty MAP_SHARED file mapping return 0, change no byte, and read()
 *     shows the stored data after each;
 *   - on a MAP_PRIVATE file mapping they return 0 and write nothing (the
 *     private copies stay private, the file unchanged), MS_INVALIDATE does
 *     not throw the private copies away;
 *   - EINVAL: an unaligned address, MS_ASYNC|MS_SYNC, an unknown flag;
 *   - ENOMEM: a range with an unmapped page (start, middle, end), even
 *     when the mapped part is a dirty file mapping (whose data still
 *     reaches the file);
 *   - EBUSY: MS_INVALIDATE on an mlocked file mapping (MS_SYNC there is 0);
 *   - anonymous memory: 0 on a mapped range, ENOMEM on a hole (the
 *     "is this mapped?" probe programs use).
 */
#define TEST_NAME "msync_file_flags"
#include "guest.h"
#include "file_test.h"

#define SEED         0x5F1A
#define PAGES        6
#define LEN          (PAGES * PAGE_SIZE)
#define UNKNOWN_FLAG 8

static long
raw_msync(void *start, size_t len, int flags)
{
	return syscall(SYS_msync, start, len, flags);
}

static void
check_shared(int fd)
{
	static const int flag_sets[] = { MS_ASYNC, MS_SYNC, MS_INVALIDATE,
					 MS_SYNC | MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE, 0 };
	char *s = map_file(LEN, RW, MAP_SHARED, fd, 0);

	say("shared: every flag writes the data and keeps it");
	for (size_t i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
		uint32_t seed = SEED + 1 + (uint32_t)i;
		fill_at(s, LEN, seed, 0);
		CHECK_EQ("msync of a dirty shared mapping", 0, raw_msync(s, LEN, flag_sets[i]));
		CHECK_FILE_BYTES("the mapping after msync", s, LEN, seed, 0);
		CHECK_FILE_CONTENT("read() after msync", fd, 0, LEN, seed);
	}
	CHECK_EQ("msync of part, unaligned length", 0, raw_msync(s + PAGE_SIZE, 100, MS_SYNC));

	say("EINVAL");
	CHECK_ERR(raw_msync(s + 1, PAGE_SIZE, MS_SYNC), EINVAL);
	CHECK_ERR(raw_msync(s, PAGE_SIZE, MS_ASYNC | MS_SYNC), EINVAL);
	CHECK_ERR(raw_msync(s, PAGE_SIZE, UNKNOWN_FLAG), EINVAL);

	say("ENOMEM at holes; the mapped part is still written");
	CHECK_SYS(munmap(s + 2 * PAGE_SIZE, PAGE_SIZE));
	CHECK_SYS(munmap(s + (PAGES - 1) * PAGE_SIZE, PAGE_SIZE));
	fill_at(s, 2 * PAGE_SIZE, SEED + 20, 0);
	CHECK_ERR(raw_msync(s, LEN, MS_SYNC), ENOMEM);
	CHECK_ERR(raw_msync(s + 2 * PAGE_SIZE, PAGE_SIZE, MS_ASYNC), ENOMEM);
	CHECK_ERR(raw_msync(s + PAGE_SIZE, 2 * PAGE_SIZE, MS_INVALIDATE), ENOMEM);
	CHECK_ERR(raw_msync(s + (PAGES - 2) * PAGE_SIZE, 2 * PAGE_SIZE, MS_SYNC), ENOMEM);
	CHECK_FILE_CONTENT("the pages before the hole", fd, 0, 2 * PAGE_SIZE, SEED + 20);
	CHECK_SYS(munmap(s, LEN));

	say("EBUSY for MS_INVALIDATE of locked pages");
	s = map_file(LEN, RW, MAP_SHARED, fd, 0);
	CHECK_SYS(mlock(s, PAGE_SIZE));
	CHECK_ERR(raw_msync(s, PAGE_SIZE, MS_INVALIDATE), EBUSY);
	CHECK_ERR(raw_msync(s, LEN, MS_SYNC | MS_INVALIDATE), EBUSY);
	CHECK_EQ("MS_SYNC of locked pages", 0, raw_msync(s, LEN, MS_SYNC));
	CHECK_SYS(munlock(s, PAGE_SIZE));
	CHECK_EQ("MS_INVALIDATE after munlock", 0, raw_msync(s, PAGE_SIZE, MS_INVALIDATE));
	CHECK_SYS(munmap(s, LEN));
}

static void
check_private(int fd)
{
	char *p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);

	say("private: msync writes nothing, MS_INVALIDATE keeps the copies");
	write_at(fd, 0, LEN, SEED);
	fill_at(p, 2 * PAGE_SIZE, SEED + 30, 0);
	CHECK_EQ("MS_SYNC", 0, raw_msync(p, LEN, MS_SYNC));
	CHECK_EQ("MS_ASYNC", 0, raw_msync(p, LEN, MS_ASYNC));
	CHECK_EQ("MS_INVALIDATE", 0, raw_msync(p, LEN, MS_INVALIDATE));
	CHECK_FILE_BYTES("the private copies", p, 2 * PAGE_SIZE, SEED + 30, 0);
	CHECK_FILE_BYTES("the file's pages", p + 2 * PAGE_SIZE, LEN - 2 * PAGE_SIZE, SEED,
			 2 * PAGE_SIZE);
	CHECK_FILE_CONTENT("the file", fd, 0, LEN, SEED);
	CHECK_SYS(munmap(p, LEN));
}

static void
check_anonymous(void)
{
	char *a = map_anon(4 * PAGE_SIZE, RW);

	say("anonymous memory: 0 when mapped, ENOMEM on a hole");
	pattern_fill(a, 4 * PAGE_SIZE, SEED);
	CHECK_EQ("msync of anonymous memory", 0, raw_msync(a, 4 * PAGE_SIZE, MS_SYNC));
	CHECK_EQ("msync of anonymous memory, MS_ASYNC", 0, raw_msync(a, PAGE_SIZE, MS_ASYNC));
	CHECK_SYS(munmap(a + PAGE_SIZE, PAGE_SIZE));
	CHECK_ERR(raw_msync(a, 4 * PAGE_SIZE, MS_ASYNC), ENOMEM);
	CHECK_ERR(raw_msync(a + PAGE_SIZE, PAGE_SIZE, 0), ENOMEM);
	CHECK_PATTERN_IN("anonymous data", a, 2 * PAGE_SIZE, 2 * PAGE_SIZE, SEED);
	CHECK_SYS(munmap(a, 4 * PAGE_SIZE));
}

int
main(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);

	check_shared(fd);
	check_private(fd);
	check_anonymous();
	close(fd);
	CHECK_SYS(unlink(path));
	say("msync answered as Linux does");
	return 0;
}
