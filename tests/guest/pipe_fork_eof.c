/*
 * pipe_fork_eof — a pipe carries data between processes and ends cleanly:
 *   - a child writes several messages; the parent reads them all, in order;
 *   - read returns 0 (EOF) only once every write end is closed: a child that
 *     still holds one keeps the reader blocked until it writes and exits;
 *   - a read of an empty pipe with live writers blocks until data comes.
 */
#define TEST_NAME "pipe_fork_eof"
#include "guest.h"

#define MESSAGES       50
#define MESSAGE_LEN    32

/* make_message - message number i. */
static void
make_message(char *buf, int i)
{
	memset(buf, 0, MESSAGE_LEN);
	snprintf(buf, MESSAGE_LEN, "message %d of %d", i, MESSAGES);
}

/* writer_child - child body: write MESSAGES messages, then exit. */
static void
writer_child(int write_fd)
{
	char msg[MESSAGE_LEN];

	for (int i = 0; i < MESSAGES; i++) {
		make_message(msg, i);
		if (write(write_fd, msg, MESSAGE_LEN) != MESSAGE_LEN)
			_exit(2);
	}
	_exit(0);
}

/* check_messages_then_eof - every message in order, then EOF. */
static void
check_messages_then_eof(void)
{
	int p[2];
	char got[MESSAGE_LEN], want[MESSAGE_LEN];

	CHECK_OK(pipe(p));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		close(p[0]);
		writer_child(p[1]);
	}
	close(p[1]);                               /* the child holds the only writer */
	for (int i = 0; i < MESSAGES; i++) {
		make_message(want, i);
		CHECK_EQ("message length", MESSAGE_LEN, read_full(p[0], got, MESSAGE_LEN));
		CHECK(memcmp(got, want, MESSAGE_LEN) == 0, "message %d: got \"%s\"", i, got);
	}
	CHECK_EQ("read after the writer exited (EOF)", 0, read(p[0], got, MESSAGE_LEN));
	check_exited("writer child", wait_for(pid), 0);
	close(p[0]);
}

/* check_eof_waits_for_last_writer - a child holding a write end keeps the
 * pipe open; EOF comes only after it exits. */
static void
check_eof_waits_for_last_writer(void)
{
	int p[2], go[2];
	char byte;

	CHECK_OK(pipe(p));
	CHECK_OK(pipe(go));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		close(p[0]);
		wait_token(go[0]);                 /* holds p[1] until then */
		CHECK_EQ("late write", 1, write(p[1], "z", 1));
		_exit(0);
	}
	close(p[1]);
	send_token(go[1]);
	CHECK_EQ("blocking read gets the late byte", 1, read(p[0], &byte, 1));
	CHECK_EQ("late byte", 'z', byte);
	CHECK_EQ("EOF once the last writer is gone", 0, read(p[0], &byte, 1));
	check_exited("holding child", wait_for(pid), 0);
	close(p[0]);
	close(go[0]);
	close(go[1]);
}

int
main(void)
{
	say("%d messages from a child, then EOF", MESSAGES);
	check_messages_then_eof();
	say("EOF waits for the last write end");
	check_eof_waits_for_last_writer();
	say("pipe data and EOF arrived as expected");
	return 0;
}
