/*
 * fs_names_rename_link — the calls that change names keep contents and
 * give Linux's errors: rename moves a file (its data follows) and replaces
 * an existing target; renaming a directory into itself is EINVAL; rmdir of
 * a non-empty directory is ENOTEMPTY; a hard link shares the inode (st_nlink
 * 2, data seen through both names, still readable after the first name
 * goes); a symlink reads back with readlink, is followed by open and
 * not by lstat; getcwd with a too-small buffer is ERANGE.
 */
#define TEST_NAME "fs_names_rename_link"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>

static void
write_file(const char *path, const char *text)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644));

	CHECK_EQ("write", (long)strlen(text), (long)write(fd, text, strlen(text)));
	close(fd);
}

static void
check_contents(const char *path, const char *text)
{
	char buf[64] = { 0 };
	int fd = CHECK_OK(open(path, O_RDONLY));

	CHECK_EQ("read length", (long)strlen(text), (long)read(fd, buf, sizeof(buf) - 1));
	CHECK(strcmp(buf, text) == 0, "%s holds \"%s\", expected \"%s\"", path, buf, text);
	close(fd);
}

int
main(void)
{
	char dir[128], a[160], b[160], sub[160], link_name[160], sym[160], target[160];
	struct stat st;

	CHECK_OK(mkdir(tmp_path(dir, sizeof(dir), "d"), 0755));
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(link_name, sizeof(link_name), "%s/hard", dir);
	snprintf(sym, sizeof(sym), "%s/sym", dir);

	say("rename moves contents and replaces a target");
	write_file(a, "alpha");
	write_file(b, "beta");
	CHECK_OK(rename(a, b));
	CHECK_ERRNO(stat(a, &st), ENOENT);
	check_contents(b, "alpha");

	say("directory errors");
	CHECK_OK(mkdir(sub, 0755));
	CHECK_ERRNO(rename(dir, sub), EINVAL);
	CHECK_ERRNO(rmdir(dir), ENOTEMPTY);
	CHECK_ERRNO(rename(b, sub), EISDIR);
	CHECK_ERRNO(mkdir(sub, 0755), EEXIST);

	say("hard links share the inode");
	CHECK_OK(link(b, link_name));
	CHECK_OK(stat(b, &st));
	CHECK_EQ("st_nlink after link", 2, (long)st.st_nlink);
	CHECK_OK(unlink(b));
	check_contents(link_name, "alpha");
	CHECK_OK(stat(link_name, &st));
	CHECK_EQ("st_nlink after unlink", 1, (long)st.st_nlink);

	say("symlinks");
	CHECK_OK(symlink("hard", sym));
	memset(target, 0, sizeof(target));
	CHECK_EQ("readlink length", 4, (long)readlink(sym, target, sizeof(target)));
	CHECK(strcmp(target, "hard") == 0, "readlink gave \"%s\"", target);
	check_contents(sym, "alpha");
	CHECK_OK(lstat(sym, &st));
	CHECK(S_ISLNK(st.st_mode), "lstat of a symlink is not S_ISLNK (mode %o)", st.st_mode);
	CHECK_OK(stat(sym, &st));
	CHECK(S_ISREG(st.st_mode), "stat through a symlink is not S_ISREG (mode %o)", st.st_mode);
	CHECK_ERRNO(readlink(link_name, target, sizeof(target)), EINVAL);

	say("getcwd");
	CHECK_OK(chdir(sub));
	errno = 0;
	CHECK(getcwd(target, 2) == NULL && errno == ERANGE,
	      "getcwd into 2 bytes: expected NULL with ERANGE, got errno %d", errno);
	CHECK(getcwd(target, sizeof(target)) != NULL, "getcwd failed: %s", strerror(errno));
	CHECK(strcmp(target, sub) == 0, "getcwd gave \"%s\", expected \"%s\"", target, sub);
	CHECK_OK(chdir("/"));

	CHECK_OK(unlink(sym));
	CHECK_OK(unlink(link_name));
	CHECK_OK(rmdir(sub));
	CHECK_OK(rmdir(dir));
	say("names behaved as on Linux");
	return 0;
}
