/*
 * cow_read_into_shared_page — the kernel itself writes into a copy-on-write
 * page: after fork, the child read()s from a pipe and from a file into pages
 * it still shares with its parent. The child must get the data, and the
 * parent's copy must stay exactly as it was. Then the same with the roles
 * swapped: the parent reads into the shared pages while the child checks its
 * copy stays intact.
 */
#define TEST_NAME "cow_read_into_shared_page"
#include "guest.h"
#include <fcntl.h>

#define BUFFER_PAGES   8
#define BUFFER_SIZE    (BUFFER_PAGES * PAGE_SIZE)
#define ORIGINAL_SEED  0xAAAA
#define PIPE_SEED      0xBBBB
#define FILE_SEED      0xCCCC
#define PIPE_CHUNK     PAGE_SIZE               /* fits a pipe without blocking */
#define FILE_OFFSET    (PAGE_SIZE / 2)         /* start mid-page: a partial page */

static char path[128];

/* make_source_file - a file holding the FILE_SEED pattern, BUFFER_SIZE long. */
static void
make_source_file(void)
{
	char *data = malloc(BUFFER_SIZE);

	CHECK(data != NULL, "malloc failed");
	pattern_fill(data, BUFFER_SIZE, FILE_SEED);
	int fd = CHECK_OK(open(tmp_path(path, sizeof(path), "source"),
			       O_CREAT | O_TRUNC | O_WRONLY, 0644));
	CHECK_EQ("write source file", BUFFER_SIZE, write(fd, data, BUFFER_SIZE));
	close(fd);
	free(data);
}

/* read_into - fill the first pipe chunk of buf from a pipe and the rest (from
 * FILE_OFFSET on) from the source file, then check both arrived. */
static void
read_into(char *buf, const char *who)
{
	char what[96];
	int p[2];
	char *staging = malloc(PIPE_CHUNK);

	CHECK(staging != NULL, "malloc failed");
	pattern_fill(staging, PIPE_CHUNK, PIPE_SEED);
	CHECK_OK(pipe(p));
	CHECK_EQ("write pipe", PIPE_CHUNK, write(p[1], staging, PIPE_CHUNK));
	CHECK_EQ("read pipe into shared page", PIPE_CHUNK, read(p[0], buf, PIPE_CHUNK));
	close(p[0]);
	close(p[1]);
	free(staging);

	int fd = CHECK_OK(open(path, O_RDONLY));
	size_t len = BUFFER_SIZE - PIPE_CHUNK - FILE_OFFSET;
	char *dest = buf + PIPE_CHUNK + FILE_OFFSET;
	CHECK_EQ("read file into shared pages", (long)len, read(fd, dest, len));
	close(fd);

	snprintf(what, sizeof(what), "%s: pipe data", who);
	CHECK_PATTERN(what, buf, PIPE_CHUNK, PIPE_SEED);
	snprintf(what, sizeof(what), "%s: file data", who);
	CHECK_PATTERN(what, dest, len, FILE_SEED);
	snprintf(what, sizeof(what), "%s: untouched half page", who);
	CHECK_PATTERN_IN(what, buf, PIPE_CHUNK, FILE_OFFSET, ORIGINAL_SEED);
}

/* check_original - buf still holds the pre-fork pattern everywhere. */
static void
check_original(const char *what, const char *buf)
{
	CHECK_PATTERN(what, buf, BUFFER_SIZE, ORIGINAL_SEED);
}

/* child_reads - the child reads into the shared pages; the parent checks. */
static void
child_reads(char *buf)
{
	pid_t pid = fork_or_fail();

	if (pid == 0) {
		read_into(buf, "child");
		_exit(0);
	}
	check_exited("reading child", wait_for(pid), 0);
	check_original("parent's copy after the child's read()", buf);
}

/* parent_reads - the parent reads into the shared pages while the child
 * waits; the child then checks its copy. */
static void
parent_reads(char *buf)
{
	int go[2];

	CHECK_OK(pipe(go));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		wait_token(go[0]);
		check_original("child's copy after the parent's read()", buf);
		_exit(0);
	}
	read_into(buf, "parent");
	send_token(go[1]);
	check_exited("checking child", wait_for(pid), 0);
	close(go[0]);
	close(go[1]);
}

int
main(void)
{
	char *buf = map_anon(BUFFER_SIZE, PROT_READ | PROT_WRITE);

	make_source_file();
	pattern_fill(buf, BUFFER_SIZE, ORIGINAL_SEED);
	say("child read()s into copy-on-write pages");
	child_reads(buf);
	say("parent read()s into copy-on-write pages");
	parent_reads(buf);
	unlink(path);
	say("kernel writes broke copy-on-write correctly");
	return 0;
}
