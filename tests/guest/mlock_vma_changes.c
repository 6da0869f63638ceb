/*
 * mlock_vma_changes — locked pages stay counted right while their mappings
 * change (meminfo Mlocked, in kB, against what the process has locked):
 *   - mprotect of the middle of a locked mapping (a split), to read-only and
 *     to PROT_NONE, and back: Mlocked does not move; the data is kept;
 *   - mremap growing a locked mapping (moving it): the pages move locked, and
 *     the new part, once written, is locked too;
 *   - munlock of half: only that half leaves Mlocked;
 *   - fork: the child's VmLck is 0; a write by the parent to a page shared
 *     copy-on-write with the child locks the parent's new copy and unlocks
 *     the old page (now the child's alone): Mlocked does not move; a write
 *     by the child (unlocked) does not move it either;
 *   - a locked shared file mapping rearranged by remap_file_pages keeps its
 *     pages locked; truncating the file under it takes the truncated pages
 *     out of Mlocked;
 *   - munlockall (then exit) brings Mlocked back.
 * On anvil each figure is exact and the reverse-map checker (PG_mlocked
 * against the VM_LOCKED PTEs) reports nothing after each step; on the host,
 * where other processes may lock memory and munlock is batched per CPU,
 * sizes are 1 MiB and a figure may settle within SLACK_KB.
 */
#define TEST_NAME "mlock_vma_changes"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include "nonlinear.h"
#include <fcntl.h>
#include <stdbool.h>
#include <time.h>

#define PAGES     256
#define LEN       (PAGES * PAGE_SIZE)
#define LEN_KB    (LEN / KiB)
#define SLACK_KB  256
#define SEED      0x31C7
#define SETTLE_TRIES 40
#define SETTLE_NS    (25 * 1000 * 1000)

static long base_mlocked;

static bool
near(long got, long want)
{
	return running_on_anvil() ? got == want : got >= want - SLACK_KB && got <= want + SLACK_KB;
}

/* Mlocked must read base + locked_kb (settling a little on the host). */
static void
expect_locked(const char *when, long locked_kb)
{
	struct timespec pause = { 0, SETTLE_NS };
	long mlocked = 0;

	for (int i = 0; i < SETTLE_TRIES; i++) {
		mlocked = proc_kb(MEMINFO_PATH, "Mlocked");
		if (near(mlocked, base_mlocked + locked_kb))
			break;
		nanosleep(&pause, NULL);
	}
	say("%s: Mlocked %+ld kB", when, mlocked - base_mlocked);
	CHECK(near(mlocked, base_mlocked + locked_kb), "%s: Mlocked moved by %ld kB, not %ld", when,
	      mlocked - base_mlocked, locked_kb);
	if (running_on_anvil())
		check_rmap_consistent(when);
}

static char *
written(size_t len, uint32_t seed)
{
	char *p = map_anon(len, PROT_READ | PROT_WRITE);

	pattern_fill(p, len, seed);
	return p;
}

/* Returns the mapping, moved and grown to 2 * LEN, still locked. */
static char *
split_and_move(void)
{
	char *p = written(LEN, SEED), *q;
	char *mid = p + LEN / 4;

	say("mprotect of the middle of a locked mapping");
	CHECK_OK(mlock(p, LEN));
	expect_locked("locked", LEN_KB);
	CHECK_OK(mprotect(mid, LEN / 2, PROT_READ));
	expect_locked("middle read-only", LEN_KB);
	CHECK_OK(mprotect(mid, LEN / 2, PROT_NONE));
	expect_locked("middle PROT_NONE", LEN_KB);
	CHECK_OK(mprotect(mid, LEN / 2, PROT_READ | PROT_WRITE));
	expect_locked("middle read-write again", LEN_KB);
	CHECK_PATTERN("data after the mprotects", p, LEN, SEED);

	say("mremap grows and moves it");
	q = (char *)sys_mremap(p, LEN, 2 * LEN, MREMAP_MAYMOVE, NULL);
	CHECK(q != MAP_FAILED, "mremap failed with %s", errno_name(errno));
	pattern_fill(q + LEN, LEN, SEED + 1);
	expect_locked("moved and grown, the new half written", 2 * LEN_KB);
	CHECK_PATTERN("the moved data", q, LEN, SEED);
	CHECK_EQ("VmLck of the grown mapping", 2 * LEN_KB, status_kb("VmLck"));

	say("munlock of half");
	CHECK_OK(munlock(q + LEN, LEN));
	expect_locked("half unlocked", LEN_KB);
	return q;
}

static void
child_writes(void *arg)
{
	char *p = arg;

	CHECK_EQ("the child's VmLck", 0, status_kb("VmLck"));
	pattern_fill(p + LEN / 2, LEN / 2, SEED + 3);          /* its own copies: unlocked */
	CHECK_PATTERN("the first half, in the child (its old copy)", p, LEN / 2, SEED);
}

/* p: LEN locked bytes, shared copy-on-write with a child by fork. */
static void
cow_with_child(char *p)
{
	int to_child[2], to_parent[2];
	pid_t pid;

	say("fork, then copy-on-write in the locked mapping");
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	pid = fork_or_fail();
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		send_token(to_parent[1]);
		wait_token(to_child[0]);
		child_writes(p);
		send_token(to_parent[1]);
		wait_token(to_child[0]);
		_exit(0);
	}
	close(to_child[0]);              /* a child that fails ends the waits with EOF */
	close(to_parent[1]);
	wait_token(to_parent[0]);
	expect_locked("after fork", LEN_KB);
	pattern_fill(p, LEN / 2, SEED + 2);     /* the parent copies half: its copies locked */
	expect_locked("after the parent's copy-on-write", LEN_KB);
	send_token(to_child[1]);
	wait_token(to_parent[0]);
	expect_locked("after the child's copy-on-write", LEN_KB);
	send_token(to_child[1]);
	check_exited("the child", wait_for(pid), 0);
	expect_locked("after the child exited", LEN_KB);
	CHECK_PATTERN("the parent's copies", p, LEN / 2, SEED + 2);
	CHECK_PATTERN_IN("the parent's other half", p, LEN / 2, LEN / 2, SEED);
	close(to_child[1]);
	close(to_parent[0]);
}

static void
file_remap_and_truncate(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED + 4);
	char *m = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK(m != MAP_FAILED, "mmap of the file failed with %s", errno_name(errno));
	say("a locked shared file mapping, remapped and truncated");
	CHECK_OK(mlock(m, LEN));
	expect_locked("file mapping locked", LEN_KB);
	remap_or_fail(m, 0, PAGES / 2, PAGES / 2, 0);          /* the halves swap */
	remap_or_fail(m, PAGES / 2, PAGES / 2, 0, 0);
	expect_locked("halves swapped by remap_file_pages", LEN_KB);
	CHECK_PATTERN_IN("the second half of the file, now first", m - LEN / 2, LEN / 2, LEN / 2,
			 SEED + 4);
	CHECK_OK(ftruncate(fd, LEN / 4));
	expect_locked("file truncated to a quarter", LEN_KB / 4);
	CHECK_OK(munmap(m, LEN));
	expect_locked("file mapping unmapped", 0);
	close(fd);
	CHECK_OK(unlink(path));
}

int
main(void)
{
	char *p;

	base_mlocked = proc_kb(MEMINFO_PATH, "Mlocked");
	CHECK(base_mlocked >= 0, "/proc/meminfo has no Mlocked line");
	p = split_and_move();
	cow_with_child(p);
	CHECK_OK(munlockall());
	expect_locked("after munlockall", 0);
	CHECK_OK(munmap(p, 2 * LEN));
	file_remap_and_truncate();
	return 0;
}
