/*
 * mmap_shared_anon_fork — MAP_SHARED|MAP_ANONYMOUS memory is the same memory
 * in parent and child after fork (not copy-on-write): the child writes a
 * pattern, the parent sees it; the parent answers with another, the child
 * sees that. A MAP_PRIVATE mapping next to it stays private.
 */
#define TEST_NAME "mmap_shared_anon_fork"
#include "guest.h"

#define SHARED_PAGES   8
#define SHARED_SIZE    (SHARED_PAGES * PAGE_SIZE)
#define SEED_CHILD     0xC41D
#define SEED_PARENT    0x9A7E
#define SEED_PRIVATE   0x7777

/* child_side - write the shared pages, then check the parent's answer. */
static void
child_side(char *shared, char *private, int to_parent, int from_parent)
{
	CHECK_ZERO("child: fresh shared mapping", shared, SHARED_SIZE);
	pattern_fill(shared, SHARED_SIZE, SEED_CHILD);
	memset(private, 0, SHARED_SIZE);
	send_token(to_parent);
	wait_token(from_parent);
	CHECK_PATTERN("child sees the parent's write", shared, SHARED_SIZE, SEED_PARENT);
	_exit(0);
}

int
main(void)
{
	char *shared = map_shared_anon(SHARED_SIZE, PROT_READ | PROT_WRITE);
	char *private = map_anon(SHARED_SIZE, PROT_READ | PROT_WRITE);
	int up[2], down[2];

	pattern_fill(private, SHARED_SIZE, SEED_PRIVATE);
	CHECK_OK(pipe(up));
	CHECK_OK(pipe(down));

	pid_t pid = fork_or_fail();
	if (pid == 0)
		child_side(shared, private, up[1], down[0]);
	wait_token(up[0]);
	say("child wrote the shared pages");
	CHECK_PATTERN("parent sees the child's write", shared, SHARED_SIZE, SEED_CHILD);
	CHECK_PATTERN("private mapping stayed private", private, SHARED_SIZE, SEED_PRIVATE);
	pattern_fill(shared, SHARED_SIZE, SEED_PARENT);
	send_token(down[1]);
	check_exited("child", wait_for(pid), 0);
	CHECK_PATTERN("parent's write after the child exited", shared, SHARED_SIZE, SEED_PARENT);
	say("shared anonymous memory is shared both ways");
	return 0;
}
