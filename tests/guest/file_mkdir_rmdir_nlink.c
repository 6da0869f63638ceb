/*
 * file_mkdir_rmdir_nlink — directories: mkdir makes an empty directory with
 * st_nlink 2; each subdirectory adds one to its parent's st_nlink (files do
 * not), rmdir takes it away; EEXIST for an existing name (directory or
 * file), ENOENT under a missing parent, ENOTDIR under a file; rmdir of a
 * non-empty directory is ENOTEMPTY, of a file ENOTDIR, of "." EINVAL,
 * of a missing name ENOENT; unlink of a directory is EISDIR; a removed
 * directory that is still the cwd refuses new entries and listing
 * (ENOENT).
 */
#define TEST_NAME "file_mkdir_rmdir_nlink"
#include "guest.h"
#include "file_test.h"
#include <dirent.h>

#define SUBDIRS 5

static char base[160];

static const char *
at(const char *name)
{
	return path_in(base, name);
}

static long
nlink_of(const char *path)
{
	struct stat st;

	CHECK_SYS(stat(path, &st));
	CHECK(S_ISDIR(st.st_mode), "%s is not a directory (mode %o)", path, st.st_mode);
	return (long)st.st_nlink;
}

int
main(void)
{
	char name[32];
	int fd;

	say("a new directory has st_nlink 2");
	CHECK_SYS(mkdir(file_path(base, sizeof(base), "dir"), 0755));
	CHECK_EQ("st_nlink of an empty directory", 2, nlink_of(base));

	say("subdirectories count, files do not");
	for (int i = 0; i < SUBDIRS; i++) {
		snprintf(name, sizeof(name), "sub%d", i);
		CHECK_SYS(mkdir(at(name), 0755));
		CHECK_EQ("parent's st_nlink", 3 + i, nlink_of(base));
	}
	close(make_file(at("file"), 10, 1));
	CHECK_EQ("parent's st_nlink with a file", 2 + SUBDIRS, nlink_of(base));
	CHECK_SYS(mkdir(at("sub0/deep"), 0755));
	CHECK_EQ("grandchild does not count", 2 + SUBDIRS, nlink_of(base));
	CHECK_EQ("sub0's st_nlink", 3, nlink_of(at("sub0")));

	say("mkdir errors");
	CHECK_ERR(mkdir(at("sub1"), 0755), EEXIST);
	CHECK_ERR(mkdir(at("file"), 0755), EEXIST);
	CHECK_ERR(mkdir(at("missing/x"), 0755), ENOENT);
	CHECK_ERR(mkdir(at("file/x"), 0755), ENOTDIR);

	say("rmdir errors");
	CHECK_ERR(rmdir(at("sub0")), ENOTEMPTY);
	CHECK_ERR(rmdir(at("file")), ENOTDIR);
	CHECK_ERR(rmdir(at("sub1/.")), EINVAL);
	CHECK_ERR(rmdir(at("missing")), ENOENT);
	CHECK_ERR(unlink(at("sub1")), EISDIR);
	CHECK_EQ("st_nlink after the errors", 2 + SUBDIRS, nlink_of(base));

	say("rmdir gives the link back");
	CHECK_SYS(rmdir(at("sub0/deep")));
	CHECK_EQ("sub0's st_nlink", 2, nlink_of(at("sub0")));
	for (int i = 0; i < SUBDIRS; i++) {
		snprintf(name, sizeof(name), "sub%d", i);
		CHECK_SYS(rmdir(at(name)));
		CHECK_EQ("parent's st_nlink", 1 + SUBDIRS - i, nlink_of(base));
	}

	say("a removed directory that is still the cwd");
	CHECK_SYS(mkdir(at("gone"), 0755));
	CHECK_SYS(chdir(at("gone")));
	CHECK_SYS(rmdir(at("gone")));
	CHECK_ERR(open("new", O_CREAT | O_WRONLY, 0644), ENOENT);
	CHECK_ERR(mkdir("newdir", 0755), ENOENT);
	fd = CHECK_SYS(open(".", O_RDONLY | O_DIRECTORY));
	char buf[1024];
	CHECK_ERR(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOENT);
	close(fd);
	CHECK_SYS(chdir("/"));

	CHECK_SYS(unlink(at("file")));
	CHECK_SYS(rmdir(base));
	say("directories and their link counts behaved as on Linux");
	return 0;
}
