/*
 * tty_console_ioctl — terminal checks that hold everywhere: isatty on a pipe,
 * a regular file and /dev/null is 0 with errno ENOTTY, and ioctl(TIOCGWINSZ)
 * on them is ENOTTY. If stdout is a terminal (the guest's console; on the
 * host only when run by hand) isatty(1) is 1, TIOCGWINSZ succeeds and
 * tcgetattr works; under a harness whose stdout is a pipe that part is
 * skipped, saying so.
 */
#define TEST_NAME "tty_console_ioctl"
#include "guest.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

/* check_not_a_tty - isatty 0 / ENOTTY and TIOCGWINSZ ENOTTY on fd. */
static void
check_not_a_tty(const char *what, int fd)
{
	struct winsize ws;

	errno = 0;
	CHECK_EQ(what, 0, isatty(fd));
	CHECK_EQ("errno after isatty", ENOTTY, errno);
	CHECK_ERRNO(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY);
}

/* check_console - if stdout is a terminal, it answers terminal ioctls. */
static void
check_console(void)
{
	struct winsize ws;
	struct termios t;

	if (!isatty(1)) {
		say("stdout is not a terminal here: console part skipped");
		return;
	}
	say("stdout is a terminal");
	memset(&ws, 0xff, sizeof(ws));
	CHECK_OK(ioctl(1, TIOCGWINSZ, &ws));
	CHECK(ws.ws_row != 0xffff && ws.ws_col != 0xffff, "TIOCGWINSZ left the struct unfilled");
	CHECK_OK(tcgetattr(1, &t));
}

int
main(void)
{
	char path[128];
	int p[2];

	say("non-terminals");
	CHECK_OK(pipe(p));
	check_not_a_tty("isatty(pipe)", p[0]);
	int file = CHECK_OK(open(tmp_path(path, sizeof(path), "file"), O_CREAT | O_RDWR, 0644));
	check_not_a_tty("isatty(regular file)", file);
	int null = CHECK_OK(open("/dev/null", O_RDWR));
	check_not_a_tty("isatty(/dev/null)", null);
	close(p[0]);
	close(p[1]);
	close(file);
	close(null);
	CHECK_OK(unlink(path));
	check_console();
	say("terminal checks held");
	return 0;
}
