/*
 * mlock_meminfo_unevictable — mlocked memory leaves reclaim's lists and is
 * counted, as on Linux: /proc/meminfo's Mlocked and Unevictable
 *   - grow by the size of 1 MiB of written private memory when it is locked,
 *     and come back after munlock (the data kept), and after munmap;
 *   - grow while a child that locked 1 MiB lives, and come back once it has
 *     exited;
 *   - for shared anonymous memory locked by a parent and its child (each
 *     with its own mlock; fork does not pass locks on): stay grown after the
 *     parent's munlock, since the child still locks the pages, and come back
 *     after the child's munlock;
 *   - for a shared file mapping locked in two processes: stay grown after
 *     the parent's munmap, and come back when the child exits;
 *   - /proc/vmstat's nr_mlock moves with Mlocked.
 * On anvil the figures move by exactly the locked size, and the reverse-map
 * checker (which checks every page's PG_mlocked against the VM_LOCKED PTEs
 * mapping it) reports nothing. On the host's Linux other processes may lock
 * memory meanwhile and munlock may be batched per CPU, so a figure may
 * take a moment to settle and must land within SLACK_KB of the expectation.
 */
#define TEST_NAME "mlock_meminfo_unevictable"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include <fcntl.h>
#include <stdbool.h>
#include <time.h>

#define LOCK_KB   1024
#define LEN       (LOCK_KB * KiB)
#define SLACK_KB  256
#define SEED      0x3C0C
#define SETTLE_TRIES 40
#define SETTLE_NS    (25 * 1000 * 1000)

static long base_mlocked, base_unevictable;

static long
meminfo_kb(const char *key)
{
	long v = proc_kb(MEMINFO_PATH, key);

	CHECK(v >= 0, "/proc/meminfo has no %s line", key);
	return v;
}

/* nr_mlock of /proc/vmstat, in kB. */
static long
vmstat_mlock_kb(void)
{
	char *text = read_file("/proc/vmstat"), *line = strstr(text, "\nnr_mlock ");
	long pages = -1;

	CHECK(line && sscanf(line, "\nnr_mlock %ld", &pages) == 1, "/proc/vmstat has no nr_mlock line");
	free(text);
	return pages * (PAGE_SIZE / KiB);
}

static bool
near(long got, long want)
{
	return running_on_anvil() ? got == want : got >= want - SLACK_KB && got <= want + SLACK_KB;
}

/* Mlocked and Unevictable must read base + locked_kb (waiting a little for
 * them to settle on the host); on anvil the checker must agree too. */
static void
expect_locked(const char *when, long locked_kb)
{
	struct timespec pause = { 0, SETTLE_NS };
	long mlocked = 0, unevictable = 0;

	for (int i = 0; i < SETTLE_TRIES; i++) {
		mlocked = meminfo_kb("Mlocked");
		unevictable = meminfo_kb("Unevictable");
		if (near(mlocked, base_mlocked + locked_kb) &&
		    near(unevictable, base_unevictable + locked_kb))
			break;
		nanosleep(&pause, NULL);
	}
	say("%s: Mlocked %+ld kB, Unevictable %+ld kB", when, mlocked - base_mlocked,
	    unevictable - base_unevictable);
	CHECK(near(mlocked, base_mlocked + locked_kb), "%s: Mlocked moved by %ld kB, not %ld", when,
	      mlocked - base_mlocked, locked_kb);
	CHECK(near(unevictable, base_unevictable + locked_kb),
	      "%s: Unevictable moved by %ld kB, not %ld", when, unevictable - base_unevictable,
	      locked_kb);
	if (running_on_anvil()) {
		CHECK_EQ("nr_mlock of /proc/vmstat, in kB", mlocked, vmstat_mlock_kb());
		check_rmap_consistent(when);
	}
}

static char *
written(size_t len, int flags, uint32_t seed)
{
	char *p = map_anon_type(len, PROT_READ | PROT_WRITE, flags);

	pattern_fill(p, len, seed);
	return p;
}

static void
private_lock_unlock_unmap(void)
{
	char *p = written(LEN, MAP_PRIVATE, SEED);

	say("private memory: mlock, munlock, mlock, munmap");
	CHECK_OK(mlock(p, LEN));
	expect_locked("after mlock", LOCK_KB);
	CHECK_OK(munlock(p, LEN));
	expect_locked("after munlock", 0);
	CHECK_PATTERN("data after munlock", p, LEN, SEED);
	CHECK_OK(mlock(p, LEN));
	expect_locked("after the second mlock", LOCK_KB);
	CHECK_OK(munmap(p, LEN));
	expect_locked("after munmap", 0);
}

static void
child_locks_and_exits(void)
{
	int to_child[2], to_parent[2];
	pid_t pid;

	say("a child locks 1 MiB, then exits");
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	pid = fork_or_fail();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		char *p = written(LEN, MAP_PRIVATE, SEED + 1);

		CHECK_OK(mlock(p, LEN));
		send_token(to_parent[1]);
		wait_token(to_child[0]);
		CHECK_PATTERN("the child's locked data", p, LEN, SEED + 1);
		_exit(0);
	}
	close(to_child[0]);              /* a child that fails ends the waits with EOF */
	close(to_parent[1]);
	wait_token(to_parent[0]);
	expect_locked("while the child lives", LOCK_KB);
	send_token(to_child[1]);
	check_exited("the locking child", wait_for(pid), 0);
	expect_locked("after the child exited", 0);
	close(to_child[1]);
	close(to_parent[0]);
}

/* Parent and child lock the same shared pages at p; the parent drops its
 * lock with how (0: munlock, 1: munmap), then the child its own with
 * child_how (0: munlock, then exit; 1: exit alone). */
static void
locked_by_two(char *p, int how, int child_how, uint32_t seed)
{
	int to_child[2], to_parent[2];
	pid_t pid;

	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	CHECK_OK(mlock(p, LEN));
	expect_locked("locked by the parent", LOCK_KB);
	pid = fork_or_fail();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		CHECK_OK(mlock(p, LEN));
		send_token(to_parent[1]);
		wait_token(to_child[0]);
		CHECK_PATTERN("the shared data in the child", p, LEN, seed);
		if (child_how == 0) {
			CHECK_OK(munlock(p, LEN));
			send_token(to_parent[1]);
			wait_token(to_child[0]);
		}
		_exit(0);
	}
	close(to_child[0]);              /* a child that fails ends the waits with EOF */
	close(to_parent[1]);
	wait_token(to_parent[0]);
	expect_locked("locked by parent and child", LOCK_KB);
	if (how == 0)
		CHECK_OK(munlock(p, LEN));
	else
		CHECK_OK(munmap(p, LEN));
	expect_locked("the parent let go, the child still locks", LOCK_KB);
	send_token(to_child[1]);
	if (child_how == 0) {
		wait_token(to_parent[0]);
		expect_locked("after the child's munlock", 0);
		send_token(to_child[1]);
	}
	check_exited("the child", wait_for(pid), 0);
	expect_locked("after the child exited", 0);
	close(to_child[1]);
	close(to_parent[0]);
}

int
main(void)
{
	char path[160];
	char *shared, *filemap;
	int fd;

	base_mlocked = meminfo_kb("Mlocked");
	base_unevictable = meminfo_kb("Unevictable");
	expect_locked("at the start", 0);

	private_lock_unlock_unmap();
	child_locks_and_exits();

	say("shared anonymous memory locked by parent and child");
	shared = written(LEN, MAP_SHARED, SEED + 2);
	locked_by_two(shared, 0, 0, SEED + 2);
	CHECK_PATTERN("the shared data after both unlocked", shared, LEN, SEED + 2);
	CHECK_OK(munmap(shared, LEN));

	say("a shared file mapping locked in two processes");
	fd = CHECK_OK(open(file_path(path, sizeof(path), "mlocked"), O_RDWR | O_CREAT | O_TRUNC, 0600));
	CHECK_OK(ftruncate(fd, LEN));
	filemap = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(filemap != MAP_FAILED, "mmap of the file failed with %s", errno_name(errno));
	pattern_fill(filemap, LEN, SEED + 3);
	locked_by_two(filemap, 1, 1, SEED + 3);
	close(fd);
	CHECK_OK(unlink(path));
	return 0;
}
