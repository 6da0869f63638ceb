/*
 * wait_orphan_reparented — when a process exits, its children are handed to
 * init: a grandchild polls getppid() (with a time limit) until its parent has
 * exited, and must then see ppid 1. It reports what it saw through a pipe.
 *
 * On a host where an ancestor registered itself as a "child subreaper"
 * (systemd, some test harnesses) Linux hands the orphan to that ancestor
 * instead; the test accepts that only on the host, when the new parent is
 * the test's own parent.
 */
#define TEST_NAME "wait_orphan_reparented"
#include "guest.h"

#define POLL_US        1000
#define MAX_POLLS      10000                   /* 10 s */
#define INIT_PID       1

struct orphan_report {
	pid_t old_parent;
	pid_t new_parent;
};

/* grandchild - wait for the middle process to die, report the new ppid. */
static void
grandchild(pid_t middle, int report_fd)
{
	struct orphan_report report = { middle, middle };

	for (int i = 0; i < MAX_POLLS && getppid() == middle; i++)
		usleep(POLL_US);
	report.new_parent = getppid();
	CHECK_EQ("write report", (long)sizeof(report), write(report_fd, &report, sizeof(report)));
	_exit(0);
}

int
main(void)
{
	int report_pipe[2];
	struct orphan_report report;

	CHECK_OK(pipe(report_pipe));
	pid_t middle = fork_or_fail();
	if (middle == 0) {
		pid_t self = getpid();
		if (fork_or_fail() == 0)
			grandchild(self, report_pipe[1]);
		_exit(0);
	}
	close(report_pipe[1]);
	check_exited("middle process", wait_for(middle), 0);
	say("middle process %d exited; waiting for the orphan's report", (int)middle);

	CHECK_EQ("read report", (long)sizeof(report), read(report_pipe[0], &report, sizeof(report)));
	CHECK_EQ("orphan's parent before", middle, report.old_parent);
	CHECK(report.new_parent != middle, "orphan still reports its exited parent %d", (int)middle);
	if (report.new_parent != INIT_PID && report.new_parent == getppid() && getpid() != INIT_PID)
		say("host subreaper %d adopted the orphan (Linux child-subreaper)", (int)report.new_parent);
	else
		CHECK_EQ("orphan's new parent", INIT_PID, report.new_parent);
	say("orphan re-parented to pid %d", (int)report.new_parent);
	return 0;
}
