/*
 * file_getdents_dtype — getdents64 of a directory holding a known set of
 * names (regular files, subdirectories, a symlink, a name of 255 bytes)
 * lists exactly those names plus "." and "..", each once, with the right
 * d_type (DT_REG, DT_DIR, DT_LNK) and a d_ino equal to lstat's st_ino;
 * records are 8-byte aligned and d_reclen covers the name; the listing is
 * the same with a small buffer (many calls); after unlinking half the
 * names and creating new ones, the listing shows exactly the new set; a
 * buffer too small for one record is EINVAL; a file descriptor that is not
 * a directory is ENOTDIR.
 */
#define TEST_NAME "file_getdents_dtype"
#include "guest.h"
#include "file_test.h"
#include <dirent.h>
#include <stddef.h>

#define NFILES     40
#define NDIRS      5
#define MAX_NAMES  (NFILES + NDIRS + 8)
#define NAME_MAX_LEN 255
#define SMALL_BUF  64

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char base[160];
static char names[MAX_NAMES][NAME_MAX_LEN + 1];
static unsigned char types[MAX_NAMES];
static int nnames;

static const char *
at(const char *name)
{
	return path_in(base, name);
}

static void
expect(const char *name, unsigned char type)
{
	snprintf(names[nnames], sizeof(names[0]), "%s", name);
	types[nnames++] = type;
}

static void
forget(const char *name)
{
	for (int i = 0; i < nnames; i++)
		if (strcmp(names[i], name) == 0) {
			names[i][0] = 0;
			return;
		}
	fail("forget: %s was not expected", name);
}

/* check_listing - getdents64 with a bufsize buffer lists exactly the
 * expected names (and . and ..), once each. */
static void
check_listing(size_t bufsize)
{
	static char buf[8192];
	int seen[MAX_NAMES] = { 0 }, dots = 0, dotdots = 0;
	int fd = open_file(base, O_RDONLY | O_DIRECTORY);
	long n;

	while ((n = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			struct stat st;
			CHECK(d->d_reclen % 8 == 0, "d_reclen %u not 8-byte aligned", d->d_reclen);
			CHECK(d->d_reclen >= offsetof(struct linux_dirent64, d_name) + strlen(d->d_name) + 1,
			      "d_reclen %u too small for \"%s\"", d->d_reclen, d->d_name);
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0) {
				dots++;
				CHECK_EQ("DT_DIR for .", DT_DIR, d->d_type);
				continue;
			}
			if (strcmp(d->d_name, "..") == 0) {
				dotdots++;
				CHECK_EQ("DT_DIR for ..", DT_DIR, d->d_type);
				continue;
			}
			int i = 0;
			while (i < nnames && strcmp(names[i], d->d_name) != 0)
				i++;
			CHECK(i < nnames, "getdents64 listed \"%.40s\", which is not there", d->d_name);
			CHECK(!seen[i], "getdents64 listed \"%.40s\" twice", d->d_name);
			seen[i] = 1;
			CHECK(d->d_type == types[i], "d_type of %.40s (expected %d, got %d)", d->d_name,
			      types[i], d->d_type);
			CHECK_SYS(lstat(at(d->d_name), &st));
			CHECK(d->d_ino == st.st_ino, "d_ino of %.40s (expected %llu, got %llu)", d->d_name,
			      (unsigned long long)st.st_ino, (unsigned long long)d->d_ino);
		}
	}
	CHECK(n == 0, "getdents64 (expected 0 at the end, got %ld with %s)", n, err_name(errno));
	CHECK_EQ("entries for .", 1, dots);
	CHECK_EQ("entries for ..", 1, dotdots);
	for (int i = 0; i < nnames; i++)
		CHECK(!names[i][0] || seen[i], "getdents64 (%zu-byte buffer) missed \"%.40s\"",
		      bufsize, names[i]);
	close(fd);
}

int
main(void)
{
	char name[NAME_MAX_LEN + 1], buf[16];
	int fd;

	CHECK_SYS(mkdir(file_path(base, sizeof(base), "dir"), 0755));
	say("%d files, %d directories, a symlink and a 255-byte name", NFILES, NDIRS);
	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "file-%03d", i);
		close(make_file(at(name), (size_t)i, 1));
		expect(name, DT_REG);
	}
	for (int i = 0; i < NDIRS; i++) {
		snprintf(name, sizeof(name), "dir-%d", i);
		CHECK_SYS(mkdir(at(name), 0755));
		expect(name, DT_DIR);
	}
	CHECK_SYS(symlink("file-000", at("link")));
	expect("link", DT_LNK);
	memset(name, 'n', NAME_MAX_LEN);
	name[NAME_MAX_LEN] = 0;
	close(make_file(at(name), 1, 1));
	expect(name, DT_REG);
	check_listing(8192);
	check_listing(SMALL_BUF + NAME_MAX_LEN + 32);

	say("after unlinking half and creating new names");
	for (int i = 0; i < NFILES; i += 2) {
		snprintf(name, sizeof(name), "file-%03d", i);
		CHECK_SYS(unlink(at(name)));
		forget(name);
	}
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "new-%d", i);
		close(make_file(at(name), 1, 1));
		expect(name, DT_REG);
	}
	check_listing(8192);

	say("errors");
	fd = open_file(base, O_RDONLY | O_DIRECTORY);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, 8), EINVAL);
	close(fd);
	fd = open_file(at("file-001"), O_RDONLY);
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);

	for (int i = 0; i < nnames; i++)
		if (names[i][0])
			CHECK_SYS(types[i] == DT_DIR ? rmdir(at(names[i])) : unlink(at(names[i])));
	CHECK_SYS(rmdir(base));
	say("getdents64 listed exactly what was there");
	return 0;
}
