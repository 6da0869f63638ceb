/*
 * dir_getdents_listing — directories in /tmp: mkdir, then files and a
 * subdirectory created in it are listed exactly once each, with "." and "..",
 * by raw getdents64 (with a buffer so small it takes many calls, checking
 * d_type and d_reclen alignment) and by opendir/readdir. mkdir of an existing
 * name is EEXIST; rmdir of a non-empty directory is ENOTEMPTY; after unlink a
 * file is gone (open gives ENOENT, the listing shrinks); rmdir of the emptied
 * directory works and it is gone too.
 */
#define TEST_NAME "dir_getdents_listing"
#include "guest.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define FILE_COUNT     20
#define FILE_PREFIX    "file-"                 /* files are file-0 .. file-19 */
#define SUBDIR_NAME    "subdir"
#define SMALL_BUFFER   64                      /* a couple of entries per call */
#define REMOVED        7                       /* file unlinked before relisting */

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char dir[128];

/* expected_entry - index of name among file-0..file-19, SUBDIR_NAME, ".",
 * "..": FILE_COUNT for the subdirectory and so on; -1 if unknown. */
static int
expected_entry(const char *name)
{
	if (strcmp(name, SUBDIR_NAME) == 0)
		return FILE_COUNT;
	if (strcmp(name, ".") == 0)
		return FILE_COUNT + 1;
	if (strcmp(name, "..") == 0)
		return FILE_COUNT + 2;
	if (strncmp(name, FILE_PREFIX, strlen(FILE_PREFIX)) == 0) {
		const char *digits = name + strlen(FILE_PREFIX);
		char *end;
		long n = strtol(digits, &end, 10);
		if (*end == '\0' && end != digits && n >= 0 && n < FILE_COUNT)
			return (int)n;
	}
	return -1;
}

#define ENTRY_COUNT (FILE_COUNT + 3)

/* count_entry - note one more sighting of name in seen[]. */
static void
count_entry(int seen[ENTRY_COUNT], const char *name)
{
	int index = expected_entry(name);

	CHECK(index >= 0 && index < ENTRY_COUNT, "unexpected entry \"%s\"", name);
	seen[index]++;
}

/* check_seen - every entry once, except the removed file if gone. */
static void
check_seen(const int seen[ENTRY_COUNT], int removed)
{
	char what[64];

	for (int i = 0; i < ENTRY_COUNT; i++) {
		snprintf(what, sizeof(what), "sightings of entry %d", i);
		CHECK_EQ(what, i == removed ? 0 : 1, seen[i]);
	}
}

/* list_with_getdents64 - raw listing through a tiny buffer. */
static void
list_with_getdents64(int removed)
{
	int seen[ENTRY_COUNT] = { 0 };
	char buf[SMALL_BUFFER] __attribute__((aligned(8)));
	int fd = CHECK_OK(open(dir, O_RDONLY | O_DIRECTORY));
	long n;

	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			CHECK_EQ("d_reclen alignment", 0, d->d_reclen % 8);
			count_entry(seen, d->d_name);
			int is_dir = expected_entry(d->d_name) >= FILE_COUNT;
			CHECK_EQ("d_type", is_dir ? DT_DIR : DT_REG, d->d_type);
			off += d->d_reclen;
		}
	}
	CHECK_EQ("getdents64 end", 0, n);
	close(fd);
	check_seen(seen, removed);
}

/* list_with_readdir - the libc way. */
static void
list_with_readdir(int removed)
{
	int seen[ENTRY_COUNT] = { 0 };
	DIR *d = opendir(dir);
	struct dirent *e;

	CHECK(d != NULL, "opendir(%s) failed: %s", dir, errno_name(errno));
	while ((e = readdir(d)) != NULL)
		count_entry(seen, e->d_name);
	closedir(d);
	check_seen(seen, removed);
}

/* entry_path - dir/name. */
static const char *
entry_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

/* populate - create the directory, FILE_COUNT empty files and SUBDIR_NAME in it. */
static void
populate(void)
{
	char name[32], path[192];

	CHECK_OK(mkdir(tmp_path(dir, sizeof(dir), "dir"), 0755));
	CHECK_ERRNO(mkdir(dir, 0755), EEXIST);
	for (int i = 0; i < FILE_COUNT; i++) {
		snprintf(name, sizeof(name), FILE_PREFIX "%d", i);
		int fd = CHECK_OK(open(entry_path(path, sizeof(path), name), O_CREAT | O_WRONLY, 0644));
		close(fd);
	}
	CHECK_OK(mkdir(entry_path(path, sizeof(path), SUBDIR_NAME), 0755));
}

/* remove_all - unlink everything (checking ENOTEMPTY on the way) and rmdir. */
static void
remove_all(void)
{
	char name[32], path[192];

	CHECK_ERRNO(rmdir(dir), ENOTEMPTY);
	for (int i = 0; i < FILE_COUNT; i++) {
		if (i == REMOVED)
			continue;
		snprintf(name, sizeof(name), FILE_PREFIX "%d", i);
		CHECK_OK(unlink(entry_path(path, sizeof(path), name)));
	}
	CHECK_ERRNO(rmdir(dir), ENOTEMPTY);
	CHECK_OK(rmdir(entry_path(path, sizeof(path), SUBDIR_NAME)));
	CHECK_OK(rmdir(dir));
	CHECK_ERRNO(open(dir, O_RDONLY), ENOENT);
}

int
main(void)
{
	char path[192], name[32];

	say("a directory with %d files and a subdirectory", FILE_COUNT);
	populate();
	list_with_getdents64(-1);
	list_with_readdir(-1);

	say("unlink one file");
	snprintf(name, sizeof(name), FILE_PREFIX "%d", REMOVED);
	CHECK_OK(unlink(entry_path(path, sizeof(path), name)));
	CHECK_ERRNO(open(path, O_RDONLY), ENOENT);
	CHECK_ERRNO(unlink(path), ENOENT);
	list_with_getdents64(REMOVED);
	list_with_readdir(REMOVED);

	say("rmdir: ENOTEMPTY until empty");
	remove_all();
	say("directory listings were exact");
	return 0;
}
