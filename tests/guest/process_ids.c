/*
 * process_ids — getpid, getppid and gettid: the main thread's tid equals its
 * pid; a child has a new pid (different from every live relative) and its
 * getppid is the parent's pid; a grandchild's getppid is the child; pids are
 * positive; the parent's ids are unchanged by forking. Each child reports
 * what it saw through a pipe.
 */
#define TEST_NAME "process_ids"
#include "guest.h"
#include <sys/syscall.h>

#define CHILDREN       10

struct ids {
	pid_t pid;
	pid_t ppid;
	pid_t tid;
};

/* my_ids - getpid, getppid and gettid of the caller. */
static struct ids
my_ids(void)
{
	return (struct ids){ getpid(), getppid(), (pid_t)syscall(SYS_gettid) };
}

/* report_ids - write my ids to fd (and a grandchild's after them). */
static void
report_ids(int fd)
{
	struct ids me = my_ids();

	CHECK_EQ("write ids", (long)sizeof(me), write_full(fd, &me, sizeof(me)));
}

/* check_children - each child sees a fresh pid and the parent as its ppid. */
static void
check_children(const struct ids *parent)
{
	int p[2];

	CHECK_OK(pipe(p));
	for (int i = 0; i < CHILDREN; i++) {
		struct ids child;
		pid_t pid = fork_or_fail();
		if (pid == 0) {
			report_ids(p[1]);
			_exit(0);
		}
		CHECK_EQ("read child ids", (long)sizeof(child), read_full(p[0], &child, sizeof(child)));
		check_exited("child", wait_for(pid), 0);
		CHECK_EQ("child's getpid equals fork's return", pid, child.pid);
		CHECK_EQ("child's getppid", parent->pid, child.ppid);
		CHECK_EQ("child's gettid", child.pid, child.tid);
		CHECK(child.pid > 0 && child.pid != parent->pid && child.pid != parent->ppid,
		      "child pid %d collides with a relative", (int)child.pid);
	}
	close(p[0]);
	close(p[1]);
}

/* check_grandchild - a grandchild's ppid is the child. */
static void
check_grandchild(void)
{
	int p[2];
	struct ids grandchild;

	CHECK_OK(pipe(p));
	pid_t child = fork_or_fail();
	if (child == 0) {
		pid_t pid = fork_or_fail();
		if (pid == 0) {
			report_ids(p[1]);
			_exit(0);
		}
		check_exited("grandchild", wait_for(pid), 0);
		_exit(0);
	}
	CHECK_EQ("read grandchild ids", (long)sizeof(grandchild),
		 read_full(p[0], &grandchild, sizeof(grandchild)));
	check_exited("child", wait_for(child), 0);
	CHECK_EQ("grandchild's getppid", child, grandchild.ppid);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	struct ids me = my_ids();

	say("pid %d, ppid %d, tid %d", (int)me.pid, (int)me.ppid, (int)me.tid);
	CHECK(me.pid > 0, "getpid not positive (%d)", (int)me.pid);
	CHECK_EQ("main thread's tid", me.pid, me.tid);
	say("%d children", CHILDREN);
	check_children(&me);
	say("a grandchild");
	check_grandchild();
	struct ids after = my_ids();
	CHECK_EQ("getpid after forking", me.pid, after.pid);
	CHECK_EQ("getppid after forking", me.ppid, after.ppid);
	say("process ids were consistent");
	return 0;
}
