/*
 * readv_writev_scatter — gather and scatter I/O: writev of many iovecs of
 * uneven sizes (including empty ones) writes them back to back at the file
 * offset; readv into a different split reads the same bytes back; both return
 * the total. iovcnt 0 transfers nothing and returns 0; a negative iovcnt or
 * one above IOV_MAX (1024) is EINVAL. writev into a pipe and readv out of it
 * work the same way.
 */
#define TEST_NAME "readv_writev_scatter"
#include "guest.h"
#include <fcntl.h>
#include <sys/uio.h>

#define PIECES         17
#define TOTAL          (PIECES * (PIECES + 1) / 2 * PIECE_UNIT)   /* all pieces */
#define PIECE_UNIT     37
#define READ_PIECES    5
#define SEED           0x10BEC
#define TOO_MANY_IOVS  1025

static char source[TOTAL], dest[TOTAL];

/* split_writes - iovecs of sizes 37, 74, ..., with an empty one between. */
static int
split_writes(struct iovec *iov)
{
	size_t off = 0;
	int n = 0;

	for (int i = 1; i <= PIECES; i++) {
		iov[n++] = (struct iovec){ source + off, (size_t)i * PIECE_UNIT };
		off += (size_t)i * PIECE_UNIT;
		iov[n++] = (struct iovec){ source + off, 0 };
	}
	return n;
}

/* split_reads - READ_PIECES nearly equal iovecs over dest. */
static int
split_reads(struct iovec *iov)
{
	size_t piece = TOTAL / READ_PIECES;

	for (int i = 0; i < READ_PIECES; i++)
		iov[i] = (struct iovec){ dest + i * piece,
					 i == READ_PIECES - 1 ? TOTAL - i * piece : piece };
	return READ_PIECES;
}

/* round_trip - writev to out, readv from in, compare. */
static void
round_trip(const char *what, int out, int in, int rewind)
{
	struct iovec wv[2 * PIECES], rv[READ_PIECES];
	int wn = split_writes(wv), rn = split_reads(rv);

	memset(dest, 0, TOTAL);
	CHECK_EQ("writev total", TOTAL, writev(out, wv, wn));
	if (rewind)
		CHECK_EQ("rewind", 0, lseek(in, 0, SEEK_SET));
	CHECK_EQ("readv total", TOTAL, readv(in, rv, rn));
	CHECK_PATTERN(what, dest, TOTAL, SEED);
}

/* check_counts - iovcnt 0 is a no-op; negative and too large are EINVAL. */
static void
check_counts(int fd)
{
	struct iovec one = { dest, 1 };
	static struct iovec many[TOO_MANY_IOVS];

	CHECK_EQ("writev with iovcnt 0", 0, writev(fd, &one, 0));
	CHECK_EQ("readv with iovcnt 0", 0, readv(fd, &one, 0));
	CHECK_ERRNO(writev(fd, &one, -1), EINVAL);
	CHECK_ERRNO(readv(fd, &one, -1), EINVAL);
	CHECK_ERRNO(writev(fd, many, TOO_MANY_IOVS), EINVAL);
	CHECK_ERRNO(readv(fd, many, TOO_MANY_IOVS), EINVAL);
}

int
main(void)
{
	char path[128];
	int p[2];

	pattern_fill(source, TOTAL, SEED);
	int fd = CHECK_OK(open(tmp_path(path, sizeof(path), "file"), O_CREAT | O_TRUNC | O_RDWR, 0644));
	say("writev %d pieces, readv %d pieces: a file", 2 * PIECES, READ_PIECES);
	round_trip("file data after writev/readv", fd, fd, 1);
	say("iovcnt limits");
	check_counts(fd);
	close(fd);
	CHECK_OK(unlink(path));

	say("the same through a pipe");
	CHECK_OK(pipe(p));
	round_trip("pipe data after writev/readv", p[1], p[0], 0);
	close(p[0]);
	close(p[1]);
	say("scatter/gather kept every byte in place");
	return 0;
}
