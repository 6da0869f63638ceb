/*
 * cwd_chdir_relative — the current directory: getcwd after chdir("/tmp")
 * gives "/tmp"; relative names then resolve there (a file created as "name"
 * is found as "/tmp/name"); chdir into a new subdirectory and back with ".."
 * works; chdir to a missing name is ENOENT and to a file ENOTDIR (the cwd is
 * unchanged by failures); getcwd into a buffer too small is ERANGE. The cwd
 * is inherited by a child, and a child's chdir does not move the parent.
 */
#define TEST_NAME "cwd_chdir_relative"
#include "guest.h"
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define TMP            "/tmp"
#define TINY_BUFFER    3

static char name[64], subdir[64];

/* check_cwd - getcwd equals expected. */
static void
check_cwd(const char *expected)
{
	char buf[PATH_MAX];

	CHECK(getcwd(buf, sizeof(buf)) != NULL, "getcwd failed: %s", errno_name(errno));
	CHECK(strcmp(buf, expected) == 0, "getcwd (expected \"%s\", got \"%s\")", expected, buf);
}

/* check_relative_names - names without a leading '/' resolve in the cwd. */
static void
check_relative_names(void)
{
	char absolute[128];
	struct stat st;

	int fd = CHECK_OK(open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644));
	close(fd);
	snprintf(absolute, sizeof(absolute), TMP "/%s", name);
	CHECK_OK(stat(absolute, &st));
	CHECK(S_ISREG(st.st_mode), "relative file not found by its absolute name");

	CHECK_OK(mkdir(subdir, 0755));
	CHECK_OK(chdir(subdir));
	snprintf(absolute, sizeof(absolute), TMP "/%s", subdir);
	check_cwd(absolute);
	CHECK_OK(chdir(".."));
	check_cwd(TMP);
}

/* check_errors - failed chdir calls leave the cwd alone; tiny getcwd is ERANGE. */
static void
check_errors(void)
{
	char tiny[TINY_BUFFER];

	CHECK_ERRNO(chdir("anvil-no-such-dir"), ENOENT);
	CHECK_ERRNO(chdir(name), ENOTDIR);
	check_cwd(TMP);
	CHECK_ERRNO(syscall(SYS_getcwd, tiny, sizeof(tiny)), ERANGE);
}

/* child_moves - in a child: starts in the parent's cwd, then moves to "/". */
static void
child_moves(void *unused)
{
	check_cwd(TMP);
	CHECK_OK(chdir("/"));
	check_cwd("/");
}

int
main(void)
{
	snprintf(name, sizeof(name), "anvil-cwd-%d-file", (int)getpid());
	snprintf(subdir, sizeof(subdir), "anvil-cwd-%d-dir", (int)getpid());

	say("chdir(\"/\") and chdir(\"/tmp\")");
	CHECK_OK(chdir("/"));
	check_cwd("/");
	CHECK_OK(chdir(TMP));
	check_cwd(TMP);
	say("relative names resolve in the cwd");
	check_relative_names();
	say("ENOENT, ENOTDIR, ERANGE");
	check_errors();
	say("a child inherits the cwd and moves alone");
	check_exited("child", run_in_child(child_moves, NULL), 0);
	check_cwd(TMP);

	CHECK_OK(unlink(name));
	CHECK_OK(rmdir(subdir));
	say("the cwd behaved");
	return 0;
}
