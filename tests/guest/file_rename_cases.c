/*
 * file_rename_cases — rename as Linux does it:
 *   - a file over an existing file: the target's old inode is gone from
 *     the name, the data follows the source, the source name is gone;
 *   - a file across directories;
 *   - a directory across directories: its ".." then names the new parent
 *     (same st_ino), and the parents' st_nlink move by one;
 *   - a directory over an empty directory (replaced), over a non-empty
 *     one (ENOTEMPTY);
 *   - a directory into itself or its own subdirectory (EINVAL);
 *   - a file over a directory (EISDIR), a directory over a file (ENOTDIR);
 *   - a name onto itself, or onto another hard link of the same inode:
 *     success, nothing changes;
 *   - a missing source (ENOENT), a missing target directory (ENOENT),
 *     renameat2 RENAME_NOREPLACE over an existing name (EEXIST).
 */
#define TEST_NAME "file_rename_cases"
#include "guest.h"
#include "file_test.h"

#define SEED 0x2E4A

static char base[160];

/* at - "<base>/<name>" in one of a few rotating buffers. */
static const char *
at(const char *name)
{
	return path_in(base, name);
}

static void
make_named(const char *name, size_t len, uint32_t seed)
{
	close(make_file(at(name), len, seed));
}

static void
check_named(const char *name, size_t len, uint32_t seed)
{
	int fd = open_file(at(name), O_RDONLY);

	CHECK_EQ(name, (long long)len, file_size(fd));
	CHECK_FILE_CONTENT(name, fd, 0, len, seed);
	close(fd);
}

static long long
ino_of(const char *path)
{
	struct stat st;

	CHECK_SYS(stat(path, &st));
	return (long long)st.st_ino;
}

static long
nlink_of(const char *path)
{
	struct stat st;

	CHECK_SYS(stat(path, &st));
	return (long)st.st_nlink;
}

static void
check_files(void)
{
	struct stat st;
	int old_target;

	say("a file over an existing file");
	make_named("a", 3000, SEED);
	make_named("b", 5000, SEED + 1);
	old_target = open_file(at("b"), O_RDONLY);
	long long a_ino = ino_of(at("a"));
	CHECK_SYS(rename(at("a"), at("b")));
	CHECK_ERR(stat(at("a"), &st), ENOENT);
	CHECK_EQ("the target name's inode is the source's", a_ino, ino_of(at("b")));
	check_named("b", 3000, SEED);
	CHECK_SYS(fstat(old_target, &st));
	CHECK_EQ("the replaced inode's st_nlink", 0, st.st_nlink);
	CHECK_FILE_CONTENT("the replaced file, still open", old_target, 0, 5000, SEED + 1);
	close(old_target);

	say("a file across directories");
	CHECK_SYS(mkdir(at("d1"), 0755));
	CHECK_SYS(rename(at("b"), at("d1/moved")));
	check_named("d1/moved", 3000, SEED);
	CHECK_ERR(stat(at("b"), &st), ENOENT);

	say("a name onto itself and onto another link of the same inode");
	CHECK_SYS(rename(at("d1/moved"), at("d1/moved")));
	check_named("d1/moved", 3000, SEED);
	CHECK_SYS(link(at("d1/moved"), at("d1/other")));
	CHECK_SYS(rename(at("d1/moved"), at("d1/other")));
	check_named("d1/moved", 3000, SEED);       /* Linux: nothing happens */
	check_named("d1/other", 3000, SEED);
	CHECK_EQ("st_nlink after renaming onto a link", 2, nlink_of(at("d1/other")));
	CHECK_SYS(unlink(at("d1/other")));
}

static void
check_directories(void)
{
	struct stat st;

	say("a directory across directories: '..' and link counts follow");
	CHECK_SYS(mkdir(at("d2"), 0755));
	CHECK_SYS(mkdir(at("d1/sub"), 0755));
	make_named("d1/sub/inner", 100, SEED);
	CHECK_EQ("d1 st_nlink with a subdir", 3, nlink_of(at("d1")));
	CHECK_EQ("d2 st_nlink empty", 2, nlink_of(at("d2")));
	CHECK_SYS(rename(at("d1/sub"), at("d2/sub")));
	CHECK_EQ("d1 st_nlink after the move", 2, nlink_of(at("d1")));
	CHECK_EQ("d2 st_nlink after the move", 3, nlink_of(at("d2")));
	CHECK_EQ("'..' of the moved directory is d2", ino_of(at("d2")), ino_of(at("d2/sub/..")));
	check_named("d2/sub/inner", 100, SEED);
	CHECK_ERR(stat(at("d1/sub"), &st), ENOENT);

	say("a directory over an empty directory, and over a non-empty one");
	CHECK_SYS(mkdir(at("empty"), 0755));
	long long sub_ino = ino_of(at("d2/sub"));
	CHECK_SYS(rename(at("d2/sub"), at("empty")));
	CHECK_EQ("replaced the empty directory", sub_ino, ino_of(at("empty")));
	CHECK_EQ("d2 st_nlink after the move out", 2, nlink_of(at("d2")));
	check_named("empty/inner", 100, SEED);
	CHECK_SYS(mkdir(at("d2/full"), 0755));
	make_named("d2/full/x", 10, SEED);
	CHECK_ERR(rename(at("empty"), at("d2/full")), ENOTEMPTY);
	check_named("d2/full/x", 10, SEED);
	check_named("empty/inner", 100, SEED);

	say("a directory into itself: EINVAL");
	CHECK_SYS(mkdir(at("empty/deeper"), 0755));
	CHECK_ERR(rename(at("empty"), at("empty/new")), EINVAL);
	CHECK_ERR(rename(at("empty"), at("empty/deeper/new")), EINVAL);

	say("EISDIR, ENOTDIR, ENOENT, EEXIST");
	make_named("file", 10, SEED);
	CHECK_ERR(rename(at("file"), at("d1")), EISDIR);
	CHECK_ERR(rename(at("d1"), at("file")), ENOTDIR);
	CHECK_ERR(rename(at("nothing"), at("file2")), ENOENT);
	CHECK_ERR(rename(at("file"), at("nodir/file")), ENOENT);
	CHECK_ERR(syscall(SYS_renameat2, AT_FDCWD, at("file"), AT_FDCWD, at("d2/full/x"),
			  1 /* RENAME_NOREPLACE */), EEXIST);
	check_named("file", 10, SEED);
	check_named("d2/full/x", 10, SEED);
}

static void
cleanup(void)
{
	static const char *const files[] = { "file", "d2/full/x", "empty/inner", "d1/moved" };
	static const char *const dirs[] = { "empty/deeper", "empty", "d2/full", "d2", "d1" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		CHECK_SYS(unlink(at(files[i])));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		CHECK_SYS(rmdir(at(dirs[i])));
	CHECK_SYS(rmdir(base));
}

int
main(void)
{
	CHECK_SYS(mkdir(file_path(base, sizeof(base), "dir"), 0755));
	check_files();
	check_directories();
	cleanup();
	say("rename behaved as on Linux");
	return 0;
}
