/*
 * file_stat_sizes_times — stat, fstat and lstat agree and tell the truth:
 * st_size follows writes, truncates and appends; st_blocks covers the data
 * written (st_blocks * 512 >= size for a file with no holes) and goes
 * back down after a truncate to 0; st_blksize is a power of two >= 512;
 * st_mode types and permission bits; st_mtime and st_ctime move forward on
 * write and truncate (after a pause of more than a second, so 1-second
 * timestamps see it too) and are close to the wall clock; a read does not
 * change st_mtime; chmod changes st_ctime only; a directory's st_mtime
 * moves when a name is added.
 */
#define TEST_NAME "file_stat_sizes_times"
#include "guest.h"
#include "file_test.h"
#include <time.h>

#define SEED     0x57A7
#define LEN      (7 * PAGE_SIZE + 11)
#define PAUSE_NS 1100000000LL                   /* more than one second */
#define CLOCK_SLACK_S 5

static void
pause_a_second(void)
{
	struct timespec ts = { PAUSE_NS / 1000000000LL, PAUSE_NS % 1000000000LL };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static long long
ns_of(struct timespec t)
{
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void
check_near_now(const char *what, struct timespec t)
{
	struct timespec now;

	CHECK_SYS(clock_gettime(CLOCK_REALTIME, &now));
	CHECK(t.tv_sec <= now.tv_sec && t.tv_sec >= now.tv_sec - CLOCK_SLACK_S,
	      "%s is %lld, the clock says %lld", what, (long long)t.tv_sec, (long long)now.tv_sec);
}

static void
check_same(const struct stat *a, const struct stat *b)
{
	CHECK_EQ("st_ino", (long long)a->st_ino, (long long)b->st_ino);
	CHECK_EQ("st_size", (long long)a->st_size, (long long)b->st_size);
	CHECK_EQ("st_blocks", (long long)a->st_blocks, (long long)b->st_blocks);
	CHECK_EQ("st_mode", a->st_mode, b->st_mode);
	CHECK_EQ("st_nlink", a->st_nlink, b->st_nlink);
}

int
main(void)
{
	char path[160], dir[160], inner[200];
	struct stat st, fst, lst, before;
	int fd;

	umask(022);
	say("sizes and blocks");
	fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	CHECK_SYS(stat(path, &st));
	CHECK_SYS(fstat(fd, &fst));
	CHECK_SYS(lstat(path, &lst));
	check_same(&st, &fst);
	check_same(&st, &lst);
	CHECK_EQ("st_size", LEN, st.st_size);
	CHECK(S_ISREG(st.st_mode), "mode %o is not S_ISREG", st.st_mode);
	CHECK_EQ("permissions after umask 022", 0644, st.st_mode & 07777);
	CHECK(st.st_blocks * 512LL >= LEN, "st_blocks %lld for %d bytes", (long long)st.st_blocks, LEN);
	CHECK(st.st_blocks * 512LL <= LEN + 64 * KiB, "st_blocks %lld for %d bytes (too many)",
	      (long long)st.st_blocks, LEN);
	CHECK(st.st_blksize >= 512 && (st.st_blksize & (st.st_blksize - 1)) == 0,
	      "st_blksize %ld", (long)st.st_blksize);
	check_near_now("st_mtime of a new file", st.st_mtim);
	check_near_now("st_ctime of a new file", st.st_ctim);
	CHECK_SYS(ftruncate(fd, 0));
	CHECK_SYS(fstat(fd, &fst));
	CHECK_EQ("st_size after truncate to 0", 0, fst.st_size);
	CHECK_EQ("st_blocks after truncate to 0", 0, fst.st_blocks);
	write_at(fd, 0, LEN, SEED);

	say("a write moves st_mtime and st_ctime forward");
	CHECK_SYS(fstat(fd, &before));
	pause_a_second();
	write_at(fd, 100, 10, SEED);
	CHECK_SYS(fstat(fd, &st));
	CHECK(ns_of(st.st_mtim) > ns_of(before.st_mtim), "st_mtime did not advance on write "
	      "(%lld.%09ld then %lld.%09ld)", (long long)before.st_mtim.tv_sec, before.st_mtim.tv_nsec,
	      (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	CHECK(ns_of(st.st_ctim) > ns_of(before.st_ctim), "st_ctime did not advance on write");
	check_near_now("st_mtime after the write", st.st_mtim);

	say("a read does not; truncate does; chmod moves st_ctime only");
	before = st;
	pause_a_second();
	char buf[64];
	CHECK_EQ("read", 64, pread(fd, buf, sizeof(buf), 0));
	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("st_mtime after a read", ns_of(before.st_mtim), ns_of(st.st_mtim));
	CHECK_SYS(ftruncate(fd, LEN / 2));
	CHECK_SYS(fstat(fd, &st));
	CHECK(ns_of(st.st_mtim) > ns_of(before.st_mtim), "st_mtime did not advance on truncate");
	before = st;
	pause_a_second();
	CHECK_SYS(fchmod(fd, 0600));
	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("permissions after chmod", 0600, st.st_mode & 07777);
	CHECK_EQ("st_mtime after chmod", ns_of(before.st_mtim), ns_of(st.st_mtim));
	CHECK(ns_of(st.st_ctim) > ns_of(before.st_ctim), "st_ctime did not advance on chmod");
	close(fd);

	say("a directory's times move when a name is added");
	CHECK_SYS(mkdir(file_path(dir, sizeof(dir), "d"), 0755));
	CHECK_SYS(stat(dir, &before));
	CHECK(S_ISDIR(before.st_mode), "mode %o is not S_ISDIR", before.st_mode);
	CHECK(before.st_size > 0, "a directory's st_size is %lld", (long long)before.st_size);
	pause_a_second();
	snprintf(inner, sizeof(inner), "%s/x", dir);
	close(make_file(inner, 1, SEED));
	CHECK_SYS(stat(dir, &st));
	CHECK(ns_of(st.st_mtim) > ns_of(before.st_mtim), "directory st_mtime did not advance");
	CHECK_SYS(unlink(inner));
	CHECK_SYS(rmdir(dir));
	CHECK_SYS(unlink(path));
	say("stat told the truth about sizes, blocks and times");
	return 0;
}
