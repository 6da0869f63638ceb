/*
 * file_link_symlink — hard and symbolic links:
 *   link: both names share the inode (st_ino, st_nlink 2, writes through
 *   one name read through the other); EEXIST onto an existing name, ENOENT
 *   from a missing one, EPERM for a directory;
 *   symlink/readlink: readlink returns the target's bytes without a NUL and
 *   truncates silently to the buffer; lstat's st_size is the target length
 *   and S_ISLNK; open and stat follow it (relative to the link's
 *   directory); a dangling link is ENOENT to open, O_CREAT through it creates
 *   the target; O_NOFOLLOW on a link is ELOOP; a loop of links is ELOOP;
 *   readlink of a non-link is EINVAL; symlink onto an existing name EEXIST;
 *   a long target (200 bytes, past the inline 60 bytes of ext2) reads back.
 */
#define TEST_NAME "file_link_symlink"
#include "guest.h"
#include "file_test.h"

#define SEED     0x514C
#define LEN      (PAGE_SIZE + 50)
#define LONG_LEN 200

static char base[160];

static const char *
at(const char *name)
{
	return path_in(base, name);
}

static void
check_hard_links(void)
{
	struct stat a, b;

	say("hard links");
	close(make_file(at("a"), LEN, SEED));
	CHECK_SYS(link(at("a"), at("b")));
	CHECK_SYS(stat(at("a"), &a));
	CHECK_SYS(stat(at("b"), &b));
	CHECK_EQ("same inode", (long long)a.st_ino, (long long)b.st_ino);
	CHECK_EQ("st_nlink", 2, a.st_nlink);
	int fd = open_file(at("b"), O_RDWR);
	write_at(fd, 10, 20, SEED + 1);
	close(fd);
	fd = open_file(at("a"), O_RDONLY);
	CHECK_FILE_CONTENT("a write through the other name", fd, 10, 20, SEED + 1);
	CHECK_FILE_CONTENT("the rest", fd, 30, LEN - 30, SEED);
	close(fd);
	CHECK_ERR(link(at("a"), at("b")), EEXIST);
	CHECK_ERR(link(at("missing"), at("c")), ENOENT);
	CHECK_SYS(mkdir(at("dir"), 0755));
	CHECK_ERR(link(at("dir"), at("dirlink")), EPERM);
	CHECK_SYS(unlink(at("b")));
	CHECK_SYS(stat(at("a"), &a));
	CHECK_EQ("st_nlink after unlink", 1, a.st_nlink);
}

static void
check_readlink(const char *path, const char *target)
{
	char buf[512];
	size_t len = strlen(target);

	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ("readlink length", (long)len, readlink(path, buf, sizeof(buf)));
	CHECK(memcmp(buf, target, len) == 0, "readlink of %s gave \"%.*s\"", path, (int)len, buf);
	CHECK_EQ("readlink writes no NUL", 'Z', buf[len]);
}

static void
check_symlinks(void)
{
	struct stat st;
	char buf[16], long_target[LONG_LEN + 1];

	say("symlinks: readlink, lstat, following");
	CHECK_SYS(symlink("a", at("sym")));
	check_readlink(at("sym"), "a");
	CHECK_SYS(lstat(at("sym"), &st));
	CHECK(S_ISLNK(st.st_mode), "lstat: not S_ISLNK (mode %o)", st.st_mode);
	CHECK_EQ("lstat st_size of a link", 1, st.st_size);
	CHECK_SYS(stat(at("sym"), &st));
	CHECK(S_ISREG(st.st_mode), "stat through the link: not S_ISREG (mode %o)", st.st_mode);
	CHECK_EQ("stat through the link: size", LEN, st.st_size);
	int fd = open_file(at("sym"), O_RDONLY);
	CHECK_FILE_CONTENT("through the link", fd, 30, LEN - 30, SEED);
	close(fd);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("readlink into 1 byte", 1, readlink(at("sym"), buf, 1));
	CHECK_SYS(symlink("../a", at("dir/up")));
	fd = open_file(at("dir/up"), O_RDONLY);
	CHECK_FILE_CONTENT("through a relative link", fd, 30, LEN - 30, SEED);
	close(fd);

	say("dangling links, O_NOFOLLOW, loops");
	CHECK_SYS(symlink("nowhere", at("dangling")));
	CHECK_ERR(open(at("dangling"), O_RDONLY), ENOENT);
	CHECK_ERR(stat(at("dangling"), &st), ENOENT);
	CHECK_SYS(lstat(at("dangling"), &st));
	fd = CHECK_SYS(open(at("dangling"), O_CREAT | O_WRONLY, 0644));
	close(fd);
	CHECK_SYS(stat(at("nowhere"), &st));
	CHECK(S_ISREG(st.st_mode), "O_CREAT through a dangling link made mode %o", st.st_mode);
	CHECK_ERR(open(at("sym"), O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_SYS(symlink("loop2", at("loop1")));
	CHECK_SYS(symlink("loop1", at("loop2")));
	CHECK_ERR(open(at("loop1"), O_RDONLY), ELOOP);
	CHECK_ERR(readlink(at("a"), buf, sizeof(buf)), EINVAL);
	CHECK_ERR(symlink("x", at("a")), EEXIST);

	say("a %d-byte target", LONG_LEN);
	for (int i = 0; i < LONG_LEN; i++)
		long_target[i] = (char)('a' + i % 26);
	long_target[LONG_LEN] = 0;
	CHECK_SYS(symlink(long_target, at("long")));
	check_readlink(at("long"), long_target);
	CHECK_SYS(lstat(at("long"), &st));
	CHECK_EQ("lstat st_size of the long link", LONG_LEN, st.st_size);
}

int
main(void)
{
	static const char *const names[] = { "a", "sym", "dir/up", "dangling", "nowhere",
					     "loop1", "loop2", "long" };

	CHECK_SYS(mkdir(file_path(base, sizeof(base), "dir"), 0755));
	check_hard_links();
	check_symlinks();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK_SYS(unlink(at(names[i])));
	CHECK_SYS(rmdir(at("dir")));
	CHECK_SYS(rmdir(base));
	say("links behaved as on Linux");
	return 0;
}
