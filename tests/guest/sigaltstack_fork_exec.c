/*
 * sigaltstack_fork_exec — the alternate signal stack across fork and execve:
 *   - a forked child inherits the setting and its SA_ONSTACK handler runs on
 *     the same addresses (its copy of the area); a change in the child does
 *     not reach the parent;
 *   - a child forked by a handler running on the alternate stack is on it
 *     too: it reports SS_ONSTACK and may not change it (EPERM);
 *   - execve clears it, even when called from a handler running on it: the
 *     new image reports {NULL, SS_DISABLE, 0} and can set one up afresh.
 * The exec'd image is this program again, with the argument "after-exec".
 */
#define TEST_NAME "sigaltstack_fork_exec"
#include "guest.h"

#define PHASE_TWO_ARG "after-exec"
#define ALT_SIZE      (32 * KiB)

static char *alt;
static const char *self;
static volatile uintptr_t handler_local;

static int
in_alt(uintptr_t addr)
{
	return addr >= (uintptr_t)alt && addr < (uintptr_t)alt + ALT_SIZE;
}

static void
record_local(int sig)
{
	volatile char here;

	handler_local = (uintptr_t)&here;
}

/* child_inherits - forked child: same setting, handler runs on it. */
static void
child_inherits(void *unused)
{
	check_altstack("the child's inherited setting", alt, 0, ALT_SIZE);
	handler_local = 0;
	raise(SIGUSR1);
	CHECK(in_alt(handler_local), "the child's SA_ONSTACK handler ran at %#lx, off the "
	      "inherited alternate stack", (unsigned long)handler_local);
	set_altstack(alt, 0, ALT_SIZE / 2);
}

/* fork_from_handler - SIGUSR2 handler on the alternate stack: its forked
 * child is on the stack too. */
static void
fork_from_handler(int sig)
{
	pid_t pid = fork();

	if (pid == 0) {
		stack_t ss = { .ss_sp = alt, .ss_flags = SS_DISABLE, .ss_size = 0 };

		check_altstack("a child forked on the alternate stack", alt, SS_ONSTACK, ALT_SIZE);
		CHECK_ERRNO(sys_sigaltstack(&ss, NULL), EPERM);
		_exit(0);
	}
	check_exited("child forked on the alternate stack", wait_for(pid), 0);
}

/* exec_from_handler - SIGUSR2 handler on the alternate stack: execs phase two. */
static void
exec_from_handler(int sig)
{
	char *argv[] = { (char *)self, PHASE_TWO_ARG, NULL };
	char *envp[] = { NULL };

	check_altstack("the handler before exec", alt, SS_ONSTACK, ALT_SIZE);
	execve(self, argv, envp);
	fail("execve(%s) (expected no return, got %s)", self, errno_name(errno));
}

/* exec_child - child: exec from a handler running on the alternate stack. */
static void
exec_child(void *unused)
{
	set_handler(SIGUSR2, exec_from_handler, SA_ONSTACK);
	raise(SIGUSR2);
	fail("raise returned");
}

/* phase_two - the exec'd image: no alternate stack, and a new one works. */
static int
phase_two(void)
{
	say("phase two: execve cleared the alternate stack");
	check_altstack("after execve", NULL, SS_DISABLE, 0);
	alt = map_anon(ALT_SIZE, PROT_READ | PROT_WRITE);
	set_altstack(alt, 0, ALT_SIZE);
	set_handler(SIGUSR1, record_local, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(in_alt(handler_local), "a new alternate stack after exec was not used (%#lx)",
	      (unsigned long)handler_local);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], PHASE_TWO_ARG) == 0)
		return phase_two();
	self = argv[0];
	alt = map_anon(ALT_SIZE, PROT_READ | PROT_WRITE);
	set_altstack(alt, 0, ALT_SIZE);
	set_handler(SIGUSR1, record_local, SA_ONSTACK);

	say("fork inherits the alternate stack");
	check_exited("child using the inherited stack", run_in_child(child_inherits, NULL), 0);
	check_altstack("the parent after the child's change", alt, 0, ALT_SIZE);

	say("a child forked by a handler on the alternate stack is on it");
	set_handler(SIGUSR2, fork_from_handler, SA_ONSTACK);
	raise(SIGUSR2);

	say("execve from a handler on the alternate stack clears it");
	check_exited("exec'd phase two", run_in_child(exec_child, NULL), 0);
	say("fork keeps the alternate stack, execve drops it");
	return 0;
}
