/*
 * pipe_large_transfer — 256 KiB through a pipe, far more than its buffer: the
 * writer blocks when the pipe is full and resumes as a reader child drains
 * it. The child reads in odd-sized pieces and reports a checksum of all it
 * got, which must match the data sent; the pipe was made with
 * pipe2(O_CLOEXEC), which sets FD_CLOEXEC on both ends (plain pipe() on
 * neither), and pipe2 with unknown flags is EINVAL.
 */
#define TEST_NAME "pipe_large_transfer"
#include "guest.h"
#include <fcntl.h>

#define TRANSFER_SIZE  (256 * KiB)
#define SEED           0x9199E
#define READ_PIECE     1000                    /* odd size: splits pipe pages */
#define BAD_PIPE2_FLAGS 0x1234

/* What the reader child sends back. */
struct reader_report {
	uint32_t total;            /* bytes read before EOF */
	uint32_t sum;              /* checksum of those bytes */
};

/* reader_child - read everything up to EOF in odd pieces, report back. */
static void
reader_child(int in, int report_fd)
{
	static char data[TRANSFER_SIZE + READ_PIECE];     /* room to see extra bytes */
	struct reader_report report = { 0, 0 };
	long n;

	while (report.total <= TRANSFER_SIZE &&
	       (n = read(in, data + report.total, READ_PIECE)) > 0)
		report.total += (uint32_t)n;
	report.sum = checksum(data, report.total);
	CHECK_EQ("write report", (long)sizeof(report), write_full(report_fd, &report, sizeof(report)));
	_exit(0);
}

/* check_flags - pipe() sets no FD_CLOEXEC; pipe2 with unknown flags is EINVAL. */
static void
check_flags(void)
{
	int p[2];

	CHECK_OK(pipe(p));
	CHECK_EQ("FD_CLOEXEC on pipe() read end", 0, fcntl(p[0], F_GETFD));
	CHECK_EQ("FD_CLOEXEC on pipe() write end", 0, fcntl(p[1], F_GETFD));
	close(p[0]);
	close(p[1]);
	CHECK_ERRNO(pipe2(p, BAD_PIPE2_FLAGS), EINVAL);
}

int
main(void)
{
	static char data[TRANSFER_SIZE];
	int p[2], report[2];
	struct reader_report result;

	check_flags();
	CHECK_OK(pipe2(p, O_CLOEXEC));
	CHECK_EQ("FD_CLOEXEC on pipe2 read end", FD_CLOEXEC, fcntl(p[0], F_GETFD));
	CHECK_EQ("FD_CLOEXEC on pipe2 write end", FD_CLOEXEC, fcntl(p[1], F_GETFD));
	CHECK_OK(pipe(report));

	pid_t pid = fork_or_fail();
	if (pid == 0) {
		close(p[1]);
		reader_child(p[0], report[1]);
	}
	close(p[0]);
	pattern_fill(data, TRANSFER_SIZE, SEED);
	say("sending %d KiB", TRANSFER_SIZE / KiB);
	CHECK_EQ("bytes written", TRANSFER_SIZE, write_full(p[1], data, TRANSFER_SIZE));
	close(p[1]);

	CHECK_EQ("read report", (long)sizeof(result), read_full(report[0], &result, sizeof(result)));
	check_exited("reader child", wait_for(pid), 0);
	CHECK_EQ("bytes received before EOF", TRANSFER_SIZE, result.total);
	CHECK_EQ_HEX("checksum received", checksum(data, TRANSFER_SIZE), result.sum);
	say("256 KiB arrived intact");
	return 0;
}
