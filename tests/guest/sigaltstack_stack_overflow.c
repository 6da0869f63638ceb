/*
 * sigaltstack_stack_overflow — a program catches the SIGSEGV of a real stack
 * overflow (recursion until the stack's 8 MiB limit) with a handler that runs
 * on an alternate signal stack (SA_ONSTACK):
 *   - without an alternate stack the handler has nowhere to run: the process
 *     dies of SIGSEGV although a handler is installed;
 *   - with one, the handler runs on it: its locals lie inside the area, its
 *     frame sits at the top (ESP + 4 a multiple of 16 at entry), si_addr is
 *     just below the deepest recursion frame, uc_stack records the settings,
 *     sigaltstack reports SS_ONSTACK and refuses a change (EPERM);
 *   - signals raised inside that handler nest on the alternate stack, below
 *     the outer frame, with or without SA_ONSTACK; after siglongjmp out of
 *     the handler the stack reports 0 (set up, not in use);
 *   - a handler without SA_ONSTACK runs on the ordinary stack;
 *   - a nested frame that would run off the bottom of the alternate stack is
 *     not written below it: the process dies of SIGSEGV.
 * The raw system call is used for sigaltstack: musl's wrapper checks some
 * arguments itself.
 */
#define TEST_NAME "sigaltstack_stack_overflow"
#include "guest.h"
#include <sys/resource.h>
#include <sys/syscall.h>
#include <ucontext.h>

#define ALT_SIZE        (64 * KiB)
#define FRAME_TOP_SLACK (8 * KiB)     /* the frame lies in the alternate stack's top 8 KiB */
#define RECURSE_FRAME   1024          /* bytes of locals per recursion level */
#define STACK_LIMIT     (8 * MiB)     /* anvil's RLIMIT_STACK; the host is held to it too */
#define HANDLER_SP_SLACK 192          /* bytes the exhausting handler leaves: less than any frame */
#define SIGINFO_OFFSET  16            /* pretcode, sig, pinfo, puc come before the siginfo */
#define ABI_ALIGN       16            /* i386: ESP + 4 is 16-aligned at function entry */

static sigjmp_buf overflow_jump;
static char *alt;                      /* the alternate stack, ALT_SIZE bytes */
static volatile uintptr_t deepest;     /* lowest recursion local touched so far */
static volatile int never = -1;        /* a depth recursion never reaches */

/* What the handlers saw. */
static volatile struct {
	uintptr_t segv_local, segv_info, segv_addr;
	stack_t uc_stack, reported;
	long change_result;
	int change_errno;
	uintptr_t onstack_nested_local, plain_nested_local;
} seen;
static volatile uintptr_t plain_local;

/* in_alt - addr lies inside the alternate stack's area. */
static int
in_alt(uintptr_t addr)
{
	return addr >= (uintptr_t)alt && addr < (uintptr_t)alt + ALT_SIZE;
}

/* recurse - uses RECURSE_FRAME bytes of stack per level, top to bottom,
 * until the stack cannot grow any more (not inlined into itself, so each
 * level is one frame and the writes go strictly downwards). */
static __attribute__((noinline, noclone)) int
recurse(int depth)
{
	volatile char frame[RECURSE_FRAME];

	if (depth == never)
		return 0;
	for (int i = RECURSE_FRAME - 1; i >= 0; i -= 64) {
		frame[i] = (char)depth;
		deepest = (uintptr_t)&frame[i];
	}
	return recurse(depth + 1) + frame[depth % RECURSE_FRAME];
}

static void
on_usr1_onstack(int sig, siginfo_t *info, void *context)
{
	volatile char here;

	seen.onstack_nested_local = (uintptr_t)&here;
}

static void
on_usr2_plain(int sig, siginfo_t *info, void *context)
{
	volatile char here;

	plain_local = (uintptr_t)&here;
}

/* on_segv - runs on the alternate stack: records where and what it sees,
 * raises two nested signals, and jumps back out. */
static void
on_segv(int sig, siginfo_t *info, void *context)
{
	volatile char here;
	ucontext_t *uc = context;
	stack_t other = { .ss_sp = alt, .ss_flags = 0, .ss_size = ALT_SIZE / 2 };

	seen.segv_local = (uintptr_t)&here;
	seen.segv_info = (uintptr_t)info;
	seen.segv_addr = (uintptr_t)info->si_addr;
	seen.uc_stack = uc->uc_stack;
	sys_sigaltstack(NULL, (stack_t *)&seen.reported);
	errno = 0;
	seen.change_result = sys_sigaltstack(&other, NULL);
	seen.change_errno = errno;
	raise(SIGUSR1);
	seen.plain_nested_local = 0;
	raise(SIGUSR2);
	seen.plain_nested_local = plain_local;
	siglongjmp(overflow_jump, 1);
}

/* hold_stack_limit - the host's limit may be larger or unlimited: keep the
 * recursion as deep as anvil's. */
static void
hold_stack_limit(void)
{
	struct rlimit rl;

	CHECK_OK(getrlimit(RLIMIT_STACK, &rl));
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > STACK_LIMIT) {
		rl.rlim_cur = STACK_LIMIT;
		CHECK_OK(setrlimit(RLIMIT_STACK, &rl));
	}
}

/* overflow_without_altstack - child: a SIGSEGV handler but no alternate stack. */
static void
overflow_without_altstack(void *unused)
{
	set_siginfo_handler(SIGSEGV, on_segv, SA_ONSTACK);
	recurse(0);
	fail("recursion returned");
}

/* overflow_on_altstack - child: the handler runs on the alternate stack. */
static void
overflow_on_altstack(void *unused)
{
	set_altstack(alt, 0, ALT_SIZE);
	set_siginfo_handler(SIGSEGV, on_segv, SA_ONSTACK);
	set_siginfo_handler(SIGUSR1, on_usr1_onstack, SA_ONSTACK);
	set_siginfo_handler(SIGUSR2, on_usr2_plain, 0);

	raise(SIGUSR2);
	CHECK(plain_local != 0, "SIGUSR2 handler did not run");
	CHECK(!in_alt(plain_local), "handler without SA_ONSTACK ran on the alternate stack (%#lx)",
	      (unsigned long)plain_local);

	if (sigsetjmp(overflow_jump, 1) == 0) {
		recurse(0);
		fail("recursion returned");
	}
	say("caught the overflow: handler local at %#lx, fault at %#lx, deepest frame at %#lx",
	    (unsigned long)seen.segv_local, (unsigned long)seen.segv_addr,
	    (unsigned long)deepest);
	CHECK(in_alt(seen.segv_local), "SIGSEGV handler's local %#lx is not on the alternate "
	      "stack [%p, +%d)", (unsigned long)seen.segv_local, alt, ALT_SIZE);
	uintptr_t frame = seen.segv_info - SIGINFO_OFFSET;
	CHECK_EQ("ESP + 4 at handler entry, modulo 16", 0, (frame + 4) % ABI_ALIGN);
	CHECK(in_alt(frame) && (uintptr_t)alt + ALT_SIZE - frame <= FRAME_TOP_SLACK,
	      "frame at %#lx is not at the top of the alternate stack", (unsigned long)frame);
	CHECK(seen.segv_addr < deepest && deepest - seen.segv_addr <= 2 * RECURSE_FRAME,
	      "si_addr %#lx is not just below the deepest frame %#lx",
	      (unsigned long)seen.segv_addr, (unsigned long)deepest);

	check_stack_t("uc_stack (the stack as set)", &seen.uc_stack, alt, 0, ALT_SIZE);
	check_stack_t("sigaltstack in the handler", &seen.reported, alt, SS_ONSTACK, ALT_SIZE);
	CHECK(seen.change_result == -1 && seen.change_errno == EPERM,
	      "changing the stack while on it (expected -1 with EPERM, got %ld with %s)",
	      seen.change_result, errno_name(seen.change_errno));

	CHECK(in_alt(seen.onstack_nested_local) && seen.onstack_nested_local < frame,
	      "nested SA_ONSTACK handler's local %#lx is not on the alternate stack below the "
	      "outer frame %#lx", (unsigned long)seen.onstack_nested_local, (unsigned long)frame);
	CHECK(in_alt(seen.plain_nested_local) && seen.plain_nested_local < frame,
	      "nested handler without SA_ONSTACK: local %#lx is not on the alternate stack below "
	      "the outer frame %#lx", (unsigned long)seen.plain_nested_local, (unsigned long)frame);

	check_altstack("sigaltstack after leaving the handler", alt, 0, ALT_SIZE);
}

/* exhaust_then_nest - on the alternate stack: use all of it but a few
 * bytes, then raise a signal whose frame cannot fit. */
static void
exhaust_then_nest(int sig, siginfo_t *info, void *context)
{
	volatile char here;
	size_t left = (uintptr_t)&here - (uintptr_t)alt;
	volatile char *fill = __builtin_alloca(left - HANDLER_SP_SLACK);

	fill[0] = 1;
	syscall(SYS_kill, getpid(), SIGUSR1);   /* raise() itself needs more stack */
	_exit(0);                          /* the nested handler ran: wrong */
}

/* nested_frame_runs_off - child: the memory below the alternate stack is
 * mapped, so a frame written past its bottom would not fault by itself. */
static void
nested_frame_runs_off(void *unused)
{
	set_altstack(alt, 0, ALT_SIZE);
	set_siginfo_handler(SIGUSR2, exhaust_then_nest, SA_ONSTACK);
	set_siginfo_handler(SIGUSR1, on_usr1_onstack, SA_ONSTACK);
	raise(SIGUSR2);
	fail("handler returned");
}

int
main(void)
{
	char *area = map_anon(ALT_SIZE + PAGE_SIZE, PROT_READ | PROT_WRITE);

	alt = area + PAGE_SIZE;               /* a writable page below it */
	hold_stack_limit();

	say("stack overflow with a handler but no alternate stack");
	check_killed_by("overflow without an alternate stack",
			run_in_child(overflow_without_altstack, NULL), SIGSEGV);

	say("stack overflow caught on a %d KiB alternate stack", ALT_SIZE / KiB);
	check_exited("overflow on the alternate stack", run_in_child(overflow_on_altstack, NULL), 0);

	say("a nested frame that does not fit on the alternate stack");
	check_killed_by("nested frame past the alternate stack's bottom",
			run_in_child(nested_frame_runs_off, NULL), SIGSEGV);

	say("alternate stacks hold overflow handlers");
	return 0;
}
