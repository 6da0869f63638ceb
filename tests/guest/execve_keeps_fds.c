/*
 * execve_keeps_fds — execve replaces the address space but keeps the file
 * table. The test forks a child that execs this same program (argv[0]) with
 * the argument "after-exec"; that second phase checks:
 *   - argv and envp arrived intact;
 *   - an inherited fd is open at the offset it had, and shares that offset
 *     with the parent (the parent sees it advance);
 *   - fds opened with O_CLOEXEC or marked FD_CLOEXEC are closed (EBADF);
 *   - the old memory is gone: a bss array filled before exec reads zero, and a
 *     page mmap'd before exec is unmapped (SEGV_MAPERR);
 *   - caught signals are reset to SIG_DFL, ignored ones stay SIG_IGN, and the
 *     blocked mask is kept.
 */
#define TEST_NAME "execve_keeps_fds"
#include "guest.h"
#include <fcntl.h>

#define PHASE_TWO_ARG  "after-exec"
#define ENV_MARKER     "ANVIL_EXEC_MARKER=kept"
#define FILE_SIZE      (2 * PAGE_SIZE)
#define FILE_SEED      0xE1E1
#define START_OFFSET   100                     /* where the parent leaves the fd */
#define READ_LEN       64                      /* what phase two reads */
#define MARKER_SIZE    (4 * PAGE_SIZE)
#define MARKER_SEED    0xBEEF
#define BLOCKED_SIGNAL SIGHUP
/* Where to ask for the pre-exec page: far from the program, heap, stack and the
 * top-down mmap area, so nothing of the new image can land on it by chance. */
#define OLD_PAGE_HINT  0x50000000u

static char marker[MARKER_SIZE];               /* bss: zero again after exec */

/* Arguments phase one passes to phase two, as decimal/hex strings. */
enum { ARG_PROG, ARG_PHASE, ARG_KEPT_FD, ARG_CLOEXEC_FD, ARG_SETFD_FD, ARG_OLD_PAGE, ARG_COUNT };

/* do_nothing_handler - a caught disposition, which exec must reset. */
static void
do_nothing_handler(int sig)
{
}

/* check_disposition - sigaction(sig) reports handler. */
static void
check_disposition(const char *what, int sig, void (*handler)(int))
{
	struct sigaction old;

	CHECK_OK(sigaction(sig, NULL, &old));
	CHECK_EQ_HEX(what, (unsigned long)handler, (unsigned long)old.sa_handler);
}

/* phase_two - runs in the freshly exec'd image; exits 0 if all holds. */
static int
phase_two(int argc, char **argv)
{
	char data[READ_LEN];
	sigset_t blocked;

	say("phase two: checking what survived execve");
	CHECK_EQ("argc after exec", ARG_COUNT, argc);
	CHECK(getenv("ANVIL_EXEC_MARKER") && strcmp(getenv("ANVIL_EXEC_MARKER"), "kept") == 0,
	      "environment variable lost across exec");

	int kept = atoi(argv[ARG_KEPT_FD]);
	CHECK_EQ("offset of the inherited fd", START_OFFSET, lseek(kept, 0, SEEK_CUR));
	CHECK_EQ("read from the inherited fd", READ_LEN, read(kept, data, READ_LEN));
	for (int i = 0; i < READ_LEN; i++)
		CHECK_EQ("inherited fd data", pattern_byte(FILE_SEED, START_OFFSET + i),
			 (uint8_t)data[i]);

	CHECK_ERRNO(fcntl(atoi(argv[ARG_CLOEXEC_FD]), F_GETFD), EBADF);
	CHECK_ERRNO(fcntl(atoi(argv[ARG_SETFD_FD]), F_GETFD), EBADF);

	CHECK_ZERO("bss array after exec", marker, MARKER_SIZE);
	void *old_page = (void *)strtoul(argv[ARG_OLD_PAGE], NULL, 16);
	catch_faults();
	check_fault("page mapped before exec", try_read(old_page), SEGV_MAPERR, old_page);

	check_disposition("caught SIGUSR1 reset to SIG_DFL", SIGUSR1, SIG_DFL);
	check_disposition("ignored SIGUSR2 stays SIG_IGN", SIGUSR2, SIG_IGN);
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &blocked));
	CHECK(sigismember(&blocked, BLOCKED_SIGNAL) == 1, "blocked mask lost across exec");
	return 0;
}

/* make_file - a temporary file of FILE_SIZE pattern bytes. */
static const char *
make_file(char *path, size_t size)
{
	char *data = map_anon(FILE_SIZE, PROT_READ | PROT_WRITE);

	pattern_fill(data, FILE_SIZE, FILE_SEED);
	int fd = CHECK_OK(open(tmp_path(path, size, "data"), O_CREAT | O_TRUNC | O_WRONLY, 0644));
	CHECK_EQ("write data file", FILE_SIZE, write(fd, data, FILE_SIZE));
	close(fd);
	munmap(data, FILE_SIZE);
	return path;
}

/* exec_phase_two - in the child: set up signals and exec ourselves. */
static void
exec_phase_two(const char *prog, int kept, int cloexec, int setfd, void *old_page)
{
	char kept_s[16], cloexec_s[16], setfd_s[16], page_s[16];
	sigset_t block;

	signal(SIGUSR1, do_nothing_handler);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, BLOCKED_SIGNAL);
	sigprocmask(SIG_BLOCK, &block, NULL);

	snprintf(kept_s, sizeof(kept_s), "%d", kept);
	snprintf(cloexec_s, sizeof(cloexec_s), "%d", cloexec);
	snprintf(setfd_s, sizeof(setfd_s), "%d", setfd);
	snprintf(page_s, sizeof(page_s), "%lx", (unsigned long)old_page);
	char *argv[] = { (char *)prog, PHASE_TWO_ARG, kept_s, cloexec_s, setfd_s, page_s, NULL };
	char *envp[] = { ENV_MARKER, NULL };
	execve(prog, argv, envp);
	fail("execve(%s) (expected no return, got %s)", prog, errno_name(errno));
}

int
main(int argc, char **argv)
{
	char path[128];

	if (argc > ARG_PHASE && strcmp(argv[ARG_PHASE], PHASE_TWO_ARG) == 0)
		return phase_two(argc, argv);

	make_file(path, sizeof(path));
	int kept = CHECK_OK(open(path, O_RDONLY));
	int cloexec = CHECK_OK(open(path, O_RDONLY | O_CLOEXEC));
	int setfd = CHECK_OK(open(path, O_RDONLY));
	CHECK_OK(fcntl(setfd, F_SETFD, FD_CLOEXEC));
	CHECK_EQ("lseek before exec", START_OFFSET, lseek(kept, START_OFFSET, SEEK_SET));

	pattern_fill(marker, MARKER_SIZE, MARKER_SEED);
	char *old_page = mmap((void *)OLD_PAGE_HINT, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(old_page != MAP_FAILED, "mmap of the pre-exec page failed");
	old_page[0] = 1;

	say("phase one: exec %s with fds %d (kept), %d and %d (close-on-exec)",
	    argv[0], kept, cloexec, setfd);
	pid_t pid = fork_or_fail();
	if (pid == 0)
		exec_phase_two(argv[0], kept, cloexec, setfd, old_page);
	check_exited("exec'd phase two", wait_for(pid), 0);

	CHECK_EQ("shared offset advanced by the exec'd child", START_OFFSET + READ_LEN,
		 lseek(kept, 0, SEEK_CUR));
	CHECK_PATTERN("parent's bss after the child's exec", marker, MARKER_SIZE, MARKER_SEED);
	unlink(path);
	say("fds survived exec, close-on-exec fds and old memory did not");
	return 0;
}
