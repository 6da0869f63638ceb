/*
 * sched_yield_tid_address — two small calls with exact results:
 *   sched_yield returns 0 (many times, and while a child competes);
 *   set_tid_address returns the caller's tid, in the parent and in a child
 *   (whose tid is its new pid). (Linux clears the word only when other
 *   threads share the address space, so that part is not checked here.)
 */
#define TEST_NAME "sched_yield_tid_address"
#include "guest.h"
#include <sched.h>
#include <sys/syscall.h>

#define YIELDS         1000

static int tid_word;        /* where the kernel would clear our tid */

/* check_yield - sched_yield returns 0, alone and with a competing child. */
static void
check_yield(void)
{
	for (int i = 0; i < YIELDS; i++)
		CHECK_EQ("sched_yield", 0, sched_yield());
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		for (int i = 0; i < YIELDS; i++)
			if (sched_yield() != 0)
				_exit(1);
		_exit(0);
	}
	for (int i = 0; i < YIELDS; i++)
		CHECK_EQ("sched_yield while a child runs", 0, sched_yield());
	check_exited("yielding child", wait_for(pid), 0);
}

/* check_tid_address - set_tid_address returns the tid, also in a child. */
static void
check_tid_address(void)
{
	CHECK_EQ("set_tid_address returns the tid", syscall(SYS_gettid),
		 syscall(SYS_set_tid_address, &tid_word));
	CHECK_EQ("set_tid_address again", getpid(), syscall(SYS_set_tid_address, &tid_word));

	pid_t pid = fork_or_fail();
	if (pid == 0) {
		long tid = syscall(SYS_set_tid_address, &tid_word);
		_exit(tid == getpid() ? 0 : 1);
	}
	check_exited("child whose set_tid_address returned its pid", wait_for(pid), 0);
}

int
main(void)
{
	say("sched_yield x%d", YIELDS);
	check_yield();
	say("set_tid_address");
	check_tid_address();
	say("yield and tid address behaved");
	return 0;
}
