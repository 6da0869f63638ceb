/*
 * pipe_epipe_sigpipe — writing to a pipe nobody can read:
 *   - with the default disposition the writer is killed by SIGPIPE;
 *   - with SIGPIPE ignored, write fails with EPIPE;
 *   - with a handler, the handler runs once and write fails with EPIPE;
 *   - a reader that is still alive keeps writes working; once its end is
 *     closed (by the reader exiting) the next write fails.
 */
#define TEST_NAME "pipe_epipe_sigpipe"
#include "guest.h"

static volatile int sigpipe_count;

/* count_sigpipe - a SIGPIPE handler that counts its calls. */
static void
count_sigpipe(int sig)
{
	sigpipe_count++;
}

/* readerless_pipe - a pipe whose read end is already closed; returns the
 * write end. */
static int
readerless_pipe(void)
{
	int p[2];

	CHECK_OK(pipe(p));
	close(p[0]);
	return p[1];
}

/* write_without_reader - child body: write to a readerless pipe. */
static void
write_without_reader(void *unused)
{
	int fd = readerless_pipe();

	write(fd, "x", 1);
	_exit(0);                                  /* not reached: SIGPIPE kills */
}

/* check_handler_and_ignore - EPIPE with SIGPIPE ignored, and with a handler. */
static void
check_handler_and_ignore(void)
{
	int fd = readerless_pipe();

	signal(SIGPIPE, SIG_IGN);
	CHECK_ERRNO(write(fd, "x", 1), EPIPE);

	signal(SIGPIPE, count_sigpipe);
	CHECK_ERRNO(write(fd, "x", 1), EPIPE);
	CHECK_EQ("SIGPIPE handler runs", 1, sigpipe_count);
	close(fd);
	signal(SIGPIPE, SIG_DFL);
}

/* check_reader_exit - writes work while a child holds the read end, and fail
 * once it has exited. */
static void
check_reader_exit(void)
{
	int p[2];
	char byte;

	CHECK_OK(pipe(p));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		close(p[1]);
		CHECK_EQ("child reads one byte", 1, read(p[0], &byte, 1));
		_exit(0);
	}
	close(p[0]);
	CHECK_EQ("write with a live reader", 1, write(p[1], "y", 1));
	check_exited("reader child", wait_for(pid), 0);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERRNO(write(p[1], "y", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
}

int
main(void)
{
	say("default: SIGPIPE kills the writer");
	check_killed_by("writer without a reader", run_in_child(write_without_reader, NULL), SIGPIPE);
	say("ignored or handled: EPIPE");
	check_handler_and_ignore();
	say("the reader exits");
	check_reader_exit();
	say("writes without readers failed as they should");
	return 0;
}
