/*
 * execve_errors — a failing execve returns -1 with the exact errno and leaves
 * the caller running:
 *   ENOENT        missing file, missing directory on the way
 *   ENOTDIR       a regular file used as a directory in the path
 *   EFAULT        path NULL / kernel address / unmapped page, bad argv or envp
 *                 array pointer, bad pointer inside argv
 *   EACCES        a file without execute permission, a directory
 *   ENOEXEC       an executable text file that is not ELF (no "#!"), and an
 *                 ELF header cut short
 *   ENAMETOOLONG  a path longer than PATH_MAX
 */
#define TEST_NAME "execve_errors"
#include "guest.h"
#include <fcntl.h>
#include <limits.h>

#define NOT_ELF_TEXT   "this is plain text, not an ELF executable\n"
#define ELF_PREFIX_LEN 20                      /* ident + type + machine, no more */
#define LONG_PATH_LEN  (PATH_MAX + 100)

static char *const empty_argv[] = { "x", NULL };
static char *const empty_envp[] = { NULL };

/* write_file - create path with mode (0644 or 0755: any usual umask keeps
 * them as they are) and the given bytes. */
static void
write_file(const char *path, mode_t mode, const void *data, size_t len)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_WRONLY, mode));

	CHECK_EQ("write test file", (long)len, write(fd, data, len));
	close(fd);
}

/* write_truncated_elf - the first bytes of our own ELF header, executable. */
static void
write_truncated_elf(const char *self, const char *path)
{
	char header[ELF_PREFIX_LEN];
	int fd = CHECK_OK(open(self, O_RDONLY));

	CHECK_EQ("read own ELF header", ELF_PREFIX_LEN, read(fd, header, ELF_PREFIX_LEN));
	close(fd);
	CHECK(memcmp(header, "\177ELF", 4) == 0, "own binary does not start with an ELF magic");
	write_file(path, 0755, header, ELF_PREFIX_LEN);
}

/* check_bad_paths - ENOENT, ENOTDIR and ENAMETOOLONG. */
static void
check_bad_paths(void)
{
	char path[128], through_file[160];
	char *long_path = malloc(LONG_PATH_LEN + 1);

	CHECK_ERRNO(execve(tmp_path(path, sizeof(path), "missing"), empty_argv, empty_envp), ENOENT);
	CHECK_ERRNO(execve("/anvil-no-such-dir/prog", empty_argv, empty_envp), ENOENT);

	write_file(tmp_path(path, sizeof(path), "plain"), 0644, "x", 1);
	snprintf(through_file, sizeof(through_file), "%s/prog", path);
	CHECK_ERRNO(execve(through_file, empty_argv, empty_envp), ENOTDIR);
	unlink(path);

	CHECK(long_path != NULL, "malloc failed");
	memset(long_path, 'a', LONG_PATH_LEN);
	long_path[0] = '/';
	long_path[LONG_PATH_LEN] = '\0';
	CHECK_ERRNO(execve(long_path, empty_argv, empty_envp), ENAMETOOLONG);
	free(long_path);
}

/* check_bad_pointers - EFAULT for the path, argv, envp and an argv string. */
static void
check_bad_pointers(const char *self)
{
	char *bad_element_argv[] = { "x", (char *)KERNEL_BASE_ADDR, NULL };

	CHECK_ERRNO(execve(NULL, empty_argv, empty_envp), EFAULT);
	CHECK_ERRNO(execve((char *)KERNEL_BASE_ADDR, empty_argv, empty_envp), EFAULT);
	CHECK_ERRNO(execve(unmapped_page(), empty_argv, empty_envp), EFAULT);
	CHECK_ERRNO(execve(self, (char **)KERNEL_BASE_ADDR, empty_envp), EFAULT);
	CHECK_ERRNO(execve(self, empty_argv, (char **)KERNEL_BASE_ADDR), EFAULT);
	CHECK_ERRNO(execve(self, bad_element_argv, empty_envp), EFAULT);
}

/* check_not_executable - EACCES without execute permission, ENOEXEC for non-ELF. */
static void
check_not_executable(const char *self)
{
	char path[128];

	write_file(tmp_path(path, sizeof(path), "noexec"), 0644, NOT_ELF_TEXT, strlen(NOT_ELF_TEXT));
	CHECK_ERRNO(execve(path, empty_argv, empty_envp), EACCES);
	CHECK_ERRNO(execve("/tmp", empty_argv, empty_envp), EACCES);
	unlink(path);

	write_file(tmp_path(path, sizeof(path), "text"), 0755, NOT_ELF_TEXT, strlen(NOT_ELF_TEXT));
	CHECK_ERRNO(execve(path, empty_argv, empty_envp), ENOEXEC);
	unlink(path);

	write_truncated_elf(self, tmp_path(path, sizeof(path), "short-elf"));
	CHECK_ERRNO(execve(path, empty_argv, empty_envp), ENOEXEC);
	unlink(path);
}

int
main(int argc, char **argv)
{
	say("ENOENT, ENOTDIR, ENAMETOOLONG");
	check_bad_paths();
	say("EFAULT for bad path, argv and envp pointers");
	check_bad_pointers(argv[0]);
	say("EACCES and ENOEXEC");
	check_not_executable(argv[0]);
	say("every failed execve returned to the caller");
	return 0;
}
