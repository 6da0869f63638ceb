/*
 * cow_sole_owner_writes — a copy-on-write page whose other sharers have gone
 * away is written by its last user, who must then see its own data (the
 * kernel may reuse the page instead of copying it, but never lose it):
 *   1. the child exits without touching the buffer; the parent writes it;
 *   2. the parent writes first (taking a copy), then the child - now the only
 *      user of the original pages - writes them;
 *   3. a grandchild whose parent exited writes pages shared with the test.
 */
#define TEST_NAME "cow_sole_owner_writes"
#include "guest.h"

#define BUFFER_PAGES   16
#define BUFFER_SIZE    (BUFFER_PAGES * PAGE_SIZE)
#define SEED_ORIGINAL  0x100
#define SEED_PARENT    0x200
#define SEED_CHILD     0x300
#define SEED_GRANDCHILD 0x400
#define REPARENT_POLL_US 1000
#define REPARENT_POLLS   10000  /* 10 s at most */

static char *buf;

/* child_exits_first - case 1. */
static void
child_exits_first(void)
{
	pid_t pid = fork_or_fail();

	if (pid == 0) {
		CHECK_PATTERN("idle child sees the original", buf, BUFFER_SIZE, SEED_ORIGINAL);
		_exit(0);
	}
	check_exited("idle child", wait_for(pid), 0);
	pattern_fill(buf, BUFFER_SIZE, SEED_PARENT);
	CHECK_PATTERN("parent after the child exited", buf, BUFFER_SIZE, SEED_PARENT);
}

/* parent_copies_first - case 2. */
static void
parent_copies_first(void)
{
	int go[2];

	CHECK_OK(pipe(go));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		wait_token(go[0]);
		CHECK_PATTERN("child before writing", buf, BUFFER_SIZE, SEED_PARENT);
		pattern_fill(buf, BUFFER_SIZE, SEED_CHILD);
		CHECK_PATTERN("child as the last user", buf, BUFFER_SIZE, SEED_CHILD);
		_exit(0);
	}
	pattern_fill(buf, BUFFER_SIZE, SEED_ORIGINAL);
	send_token(go[1]);
	check_exited("writing child", wait_for(pid), 0);
	CHECK_PATTERN("parent's copy after the child wrote", buf, BUFFER_SIZE, SEED_ORIGINAL);
	close(go[0]);
	close(go[1]);
}

/* grandchild_outlives_parent - case 3: the middle process exits before the
 * grandchild writes; the grandchild reports through a pipe. */
static void
grandchild_outlives_parent(void)
{
	int result[2];
	char verdict = 0;

	CHECK_OK(pipe(result));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		pid_t middle = getpid();
		if (fork_or_fail() == 0) {
			for (int i = 0; i < REPARENT_POLLS && getppid() == middle; i++)
				usleep(REPARENT_POLL_US);      /* until the middle process is gone */
			CHECK(getppid() != middle, "grandchild still has its exited parent");
			pattern_fill(buf, BUFFER_SIZE, SEED_GRANDCHILD);
			char ok = pattern_mismatch(buf, BUFFER_SIZE, SEED_GRANDCHILD) < 0 ? 'y' : 'n';
			CHECK_EQ("grandchild report", 1, write(result[1], &ok, 1));
			_exit(0);
		}
		_exit(0);
	}
	close(result[1]);
	check_exited("middle child", wait_for(pid), 0);
	CHECK_EQ("read grandchild report", 1, read(result[0], &verdict, 1));
	CHECK_EQ("grandchild saw its own writes ('y')", 'y', verdict);
	close(result[0]);
	CHECK_PATTERN("test's copy after the grandchild wrote", buf, BUFFER_SIZE, SEED_ORIGINAL);
}

int
main(void)
{
	buf = map_anon(BUFFER_SIZE, PROT_READ | PROT_WRITE);
	pattern_fill(buf, BUFFER_SIZE, SEED_ORIGINAL);

	say("child exits, parent writes");
	child_exits_first();
	say("parent copies, child writes the originals");
	parent_copies_first();
	say("grandchild writes after its parent exited");
	grandchild_outlives_parent();
	say("the last user of each page kept its data");
	return 0;
}
