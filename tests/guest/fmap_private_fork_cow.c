/*
 * fmap_private_fork_cow — fork of a MAP_PRIVATE file mapping is copy on
 * write: the child starts with the parent's view (its private copies and
 * the file's bytes elsewhere); a child's store is not seen by the parent
 * nor the parent's by the child; neither reaches the file; pages neither
 * has written still show the file, including a write() made after the
 * fork; a copy the parent made before the fork stays the parent's after
 * the child writes over its own view of it.
 */
#define TEST_NAME "fmap_private_fork_cow"
#include "guest.h"
#include "file_test.h"

#define SEED       0xC0F0
#define PAGES      5
#define LEN        (PAGES * PAGE_SIZE)
#define PARENT     (SEED + 1)
#define CHILD      (SEED + 2)
#define LATER      (SEED + 3)

static char *p;
static int fd, to_child[2], to_parent[2];

static void
child(void *unused)
{
	/* Inherited: page 0 the parent's copy, the rest the file. */
	CHECK_FILE_BYTES("child: the parent's pre-fork copy", p, PAGE_SIZE, PARENT, 0);
	CHECK_FILE_BYTES("child: the file elsewhere", p + PAGE_SIZE, LEN - PAGE_SIZE, SEED, PAGE_SIZE);
	fill_at(p, PAGE_SIZE, CHILD, 0);                        /* over the inherited copy */
	fill_at(p + PAGE_SIZE, PAGE_SIZE, CHILD, PAGE_SIZE);    /* over a file page */
	send_token(to_parent[1]);
	wait_token(to_child[0]);
	/* The parent has written page 2 and the file's page 4 changed. */
	CHECK_FILE_BYTES("child: its own page 0", p, PAGE_SIZE, CHILD, 0);
	CHECK_FILE_BYTES("child: its own page 1", p + PAGE_SIZE, PAGE_SIZE, CHILD, PAGE_SIZE);
	CHECK_FILE_BYTES("child: page 2, not the parent's store", p + 2 * PAGE_SIZE, PAGE_SIZE,
			 SEED, 2 * PAGE_SIZE);
	CHECK_FILE_BYTES("child: page 4 shows the later write()", p + 4 * PAGE_SIZE, PAGE_SIZE,
			 LATER, 4 * PAGE_SIZE);
}

int
main(void)
{
	char path[160];

	fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	fill_at(p, PAGE_SIZE, PARENT, 0);                       /* a private copy before fork */
	CHECK_FILE_BYTES("page 3 read before the fork", p + 3 * PAGE_SIZE, PAGE_SIZE, SEED,
			 3 * PAGE_SIZE);
	CHECK_SYS(pipe(to_child));
	CHECK_SYS(pipe(to_parent));

	say("fork; the child writes its view");
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		child(NULL);
		_exit(0);
	}
	wait_token(to_parent[0]);
	CHECK_FILE_BYTES("parent: its copy of page 0", p, PAGE_SIZE, PARENT, 0);
	CHECK_FILE_BYTES("parent: page 1, not the child's store", p + PAGE_SIZE, PAGE_SIZE, SEED,
			 PAGE_SIZE);

	say("the parent writes; the file changes under both");
	fill_at(p + 2 * PAGE_SIZE, PAGE_SIZE, PARENT, 2 * PAGE_SIZE);
	write_at(fd, 4 * PAGE_SIZE, PAGE_SIZE, LATER);
	send_token(to_child[1]);
	check_exited("child", wait_for(pid), 0);
	CHECK_FILE_BYTES("parent: page 4 shows the later write()", p + 4 * PAGE_SIZE, PAGE_SIZE,
			 LATER, 4 * PAGE_SIZE);
	CHECK_FILE_BYTES("parent: page 2 its own", p + 2 * PAGE_SIZE, PAGE_SIZE, PARENT,
			 2 * PAGE_SIZE);

	say("no private store reached the file");
	CHECK_FILE_CONTENT("the file", fd, 0, 4 * PAGE_SIZE, SEED);
	CHECK_FILE_CONTENT("the file's page 4", fd, 4 * PAGE_SIZE, PAGE_SIZE, LATER);
	CHECK_SYS(munmap(p, LEN));
	close(fd);
	CHECK_SYS(unlink(path));
	say("fork of a private file mapping was copy on write");
	return 0;
}
