/*
 * sigaltstack_sigreturn_restore — rt_sigreturn puts back the alternate stack
 * a SA_SIGINFO handler's uc_stack describes, as Linux does:
 *   - SS_AUTODISARM: while the handler runs on the stack it is disarmed
 *     (sigaltstack reports {NULL, SS_DISABLE, 0} and may be changed, no
 *     EPERM); uc_stack holds the armed setting, and returning re-arms it,
 *     overriding the handler's change;
 *   - a handler that edits uc_stack installs the edited stack on return, on
 *     the alternate stack or off it, when the code it interrupted was off it
 *     (the check is made at the restored stack pointer);
 *   - a nested handler that edits uc_stack changes nothing when the code it
 *     interrupted runs on the alternate stack: the change is refused
 *     (silently), as sigaltstack there would be (EPERM);
 *   - a handler without SA_SIGINFO returns through sigreturn, whose frame has
 *     no uc_stack on Linux: an SS_AUTODISARM stack stays disarmed.
 */
#define TEST_NAME "sigaltstack_sigreturn_restore"
#include "guest.h"
#include <ucontext.h>

#define ALT_SIZE (32 * KiB)

static char *alt, *alt2;
static volatile uintptr_t handler_local;
static volatile stack_t in_handler;
static volatile long change_result;

static int
in_area(const char *area, uintptr_t addr)
{
	return addr >= (uintptr_t)area && addr < (uintptr_t)area + ALT_SIZE;
}

/* disarmed_handler - on an SS_AUTODISARM stack: record, then move the
 * stack to alt2 (allowed: it is disarmed). */
static void
disarmed_handler(int sig, siginfo_t *info, void *context)
{
	volatile char here;
	ucontext_t *uc = context;
	stack_t other = { .ss_sp = alt2, .ss_flags = 0, .ss_size = ALT_SIZE };

	handler_local = (uintptr_t)&here;
	sys_sigaltstack(NULL, (stack_t *)&in_handler);
	change_result = sys_sigaltstack(&other, NULL);
	check_stack_t("uc_stack in the SS_AUTODISARM handler", &uc->uc_stack, alt, SS_AUTODISARM,
		      ALT_SIZE);
}

/* edit_uc_stack - points uc_stack at alt2 with SS_AUTODISARM. */
static void
edit_uc_stack(int sig, siginfo_t *info, void *context)
{
	volatile char here;
	ucontext_t *uc = context;

	handler_local = (uintptr_t)&here;
	uc->uc_stack.ss_sp = alt2;
	uc->uc_stack.ss_flags = SS_AUTODISARM;
	uc->uc_stack.ss_size = ALT_SIZE / 2;
}

/* raise_nested_edit - on the alternate stack: a nested SIGUSR1 (handled by
 * edit_uc_stack) whose uc_stack edit must be refused. */
static void
raise_nested_edit(int sig, siginfo_t *info, void *context)
{
	raise(SIGUSR1);
	sys_sigaltstack(NULL, (stack_t *)&in_handler);
}

static void
plain_handler(int sig)
{
	volatile char here;

	handler_local = (uintptr_t)&here;
	sys_sigaltstack(NULL, (stack_t *)&in_handler);
}

int
main(void)
{
	alt = map_anon(ALT_SIZE, PROT_READ | PROT_WRITE);
	alt2 = map_anon(ALT_SIZE, PROT_READ | PROT_WRITE);

	say("SS_AUTODISARM: disarmed in the handler, re-armed by rt_sigreturn");
	set_altstack(alt, SS_AUTODISARM, ALT_SIZE);
	set_siginfo_handler(SIGUSR1, disarmed_handler, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(in_area(alt, handler_local), "handler local %#lx is off the alternate stack",
	      (unsigned long)handler_local);
	check_stack_t("in the SS_AUTODISARM handler", &in_handler, NULL, SS_DISABLE, 0);
	CHECK_EQ("changing the disarmed stack in the handler", 0, change_result);
	check_altstack("after rt_sigreturn", alt, SS_AUTODISARM, ALT_SIZE);

	say("a handler off the alternate stack edits uc_stack");
	set_altstack(alt, 0, ALT_SIZE);
	set_siginfo_handler(SIGUSR1, edit_uc_stack, 0);
	raise(SIGUSR1);
	CHECK(!in_area(alt, handler_local), "handler without SA_ONSTACK ran on the alternate stack");
	check_altstack("after returning with an edited uc_stack", alt2, SS_AUTODISARM, ALT_SIZE / 2);

	say("a handler on the alternate stack edits uc_stack");
	set_altstack(alt, 0, ALT_SIZE);
	set_siginfo_handler(SIGUSR1, edit_uc_stack, SA_ONSTACK);
	raise(SIGUSR1);
	CHECK(in_area(alt, handler_local), "SA_ONSTACK handler ran off the alternate stack");
	check_altstack("after returning from the stack with an edited uc_stack", alt2,
		       SS_AUTODISARM, ALT_SIZE / 2);

	say("a nested handler edits uc_stack while the outer one runs on the stack");
	set_altstack(alt, 0, ALT_SIZE);
	set_siginfo_handler(SIGUSR2, raise_nested_edit, SA_ONSTACK);
	raise(SIGUSR2);
	CHECK(in_area(alt, handler_local), "nested handler ran off the alternate stack");
	check_stack_t("in the outer handler after the nested one returned", &in_handler, alt,
		      SS_ONSTACK, ALT_SIZE);
	check_altstack("after both returned", alt, 0, ALT_SIZE);

	say("SS_AUTODISARM and a handler without SA_SIGINFO (sigreturn)");
	set_altstack(alt, SS_AUTODISARM, ALT_SIZE);
	set_handler(SIGUSR2, plain_handler, SA_ONSTACK);  /* no SA_SIGINFO: musl's __restore, sigreturn */
	raise(SIGUSR2);
	CHECK(in_area(alt, handler_local), "plain SA_ONSTACK handler ran off the alternate stack");
	check_stack_t("in the plain SS_AUTODISARM handler", &in_handler, NULL, SS_DISABLE, 0);
	check_altstack("after sigreturn", NULL, SS_DISABLE, 0);

	say("sigreturn restores the alternate stack as Linux does");
	return 0;
}
