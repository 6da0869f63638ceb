/*
 * cow_fork_both_write — after fork, parent and child both write every page of a
 * shared private buffer; each must see only its own data (copy-on-write
 * isolation), before and after the other side wrote, and after it exited.
 */
#define TEST_NAME "cow_fork_both_write"
#include "guest.h"

#define BUFFER_PAGES   64
#define BUFFER_SIZE    (BUFFER_PAGES * PAGE_SIZE)
#define SEED_BEFORE    0x1000
#define SEED_CHILD     0x2000
#define SEED_PARENT    0x3000

/* child_side - waits until the parent has written its copy, then checks it
 * still sees the pre-fork data and writes its own. */
static void
child_side(char *buf, int parent_wrote_fd)
{
	CHECK_PATTERN("child sees pre-fork data", buf, BUFFER_SIZE, SEED_BEFORE);
	wait_token(parent_wrote_fd);
	CHECK_PATTERN("child unaffected by parent's writes", buf, BUFFER_SIZE, SEED_BEFORE);
	pattern_fill(buf, BUFFER_SIZE, SEED_CHILD);
	CHECK_PATTERN("child sees its own writes", buf, BUFFER_SIZE, SEED_CHILD);
	_exit(0);
}

int
main(void)
{
	char *buf = map_anon(BUFFER_SIZE, PROT_READ | PROT_WRITE);
	int order[2];

	pattern_fill(buf, BUFFER_SIZE, SEED_BEFORE);
	CHECK_OK(pipe(order));
	say("forking with %u pages written", BUFFER_PAGES);

	pid_t pid = fork_or_fail();
	if (pid == 0) {
		close(order[1]);
		child_side(buf, order[0]);
	}
	close(order[0]);
	pattern_fill(buf, BUFFER_SIZE, SEED_PARENT);
	CHECK_PATTERN("parent sees its own writes", buf, BUFFER_SIZE, SEED_PARENT);
	send_token(order[1]);

	check_exited("child", wait_for(pid), 0);
	CHECK_PATTERN("parent unaffected by child's writes", buf, BUFFER_SIZE, SEED_PARENT);
	say("both sides kept their own copy of %u pages", BUFFER_PAGES);
	return 0;
}
