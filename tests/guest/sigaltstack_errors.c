/*
 * sigaltstack_errors — what sigaltstack(2) accepts, refuses and reports, with
 * Linux i386's errno values (through the raw system call: musl's wrapper
 * refuses some arguments itself):
 *   - a new process has none: {NULL, SS_DISABLE, 0};
 *   - EINVAL for a mode other than 0, SS_ONSTACK or SS_DISABLE (checked
 *     before the size), ENOMEM for an enabled stack below MINSIGSTKSZ (2048);
 *     neither changes anything; exactly MINSIGSTKSZ is accepted;
 *   - SS_ONSTACK is accepted as "enable" and reported as 0 off the stack;
 *     SS_AUTODISARM is kept and reported; disabling forgets ss_sp and ss_size
 *     but keeps SS_AUTODISARM;
 *   - EFAULT for an unreadable new stack (nothing changes) and for an
 *     unwritable old one (the new stack is installed all the same);
 *   - both pointers NULL is a successful no-op.
 */
#define TEST_NAME "sigaltstack_errors"
#include "guest.h"

#define ALT_SIZE (16 * KiB)
#define BAD_MODE 4                       /* not a mode, not a flag bit */

static char alt[ALT_SIZE];

static stack_t
make_stack(void *sp, unsigned flags, size_t size)
{
	stack_t ss = { .ss_sp = sp, .ss_flags = (int)flags, .ss_size = size };

	return ss;
}

/* refusals - bad modes and small sizes leave the current setting alone. */
static void
refusals(void)
{
	stack_t ss;

	ss = make_stack(alt, BAD_MODE, ALT_SIZE);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), EINVAL);
	ss = make_stack(alt, SS_ONSTACK | SS_DISABLE, ALT_SIZE);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), EINVAL);
	ss = make_stack(alt, 1u << 30, ALT_SIZE);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), EINVAL);
	ss = make_stack(alt, BAD_MODE, 0);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), EINVAL);    /* the mode is checked first */
	ss = make_stack(alt, 0, MINSIGSTKSZ - 1);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), ENOMEM);
	ss = make_stack(alt, SS_ONSTACK, 0);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), ENOMEM);
	ss = make_stack(alt, SS_AUTODISARM, 100);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), ENOMEM);
	check_altstack("after the refusals", NULL, SS_DISABLE, 0);
}

/* settings - what is accepted and how it reads back. */
static void
settings(void)
{
	stack_t ss, old;

	ss = make_stack(alt, 0, MINSIGSTKSZ);
	CHECK_OK(sys_sigaltstack(&ss, NULL));
	check_altstack("a MINSIGSTKSZ stack", alt, 0, MINSIGSTKSZ);

	ss = make_stack(alt, SS_ONSTACK, ALT_SIZE);
	memset(&old, 0, sizeof(old));
	CHECK_OK(sys_sigaltstack(&ss, &old));
	CHECK_EQ("old ss_size reported with the change", MINSIGSTKSZ, old.ss_size);
	check_altstack("SS_ONSTACK as the mode", alt, 0, ALT_SIZE);

	ss = make_stack(alt, 0, MINSIGSTKSZ - 1);
	CHECK_ERRNO(sys_sigaltstack(&ss, NULL), ENOMEM);
	check_altstack("after a refused change", alt, 0, ALT_SIZE);

	ss = make_stack(alt, SS_AUTODISARM, ALT_SIZE);
	CHECK_OK(sys_sigaltstack(&ss, NULL));
	check_altstack("SS_AUTODISARM", alt, SS_AUTODISARM, ALT_SIZE);

	ss = make_stack(alt, SS_DISABLE | SS_AUTODISARM, 1);   /* size ignored */
	CHECK_OK(sys_sigaltstack(&ss, NULL));
	check_altstack("disabled, SS_AUTODISARM kept", NULL, SS_DISABLE | SS_AUTODISARM, 0);

	ss = make_stack(alt, SS_DISABLE, 3);
	CHECK_OK(sys_sigaltstack(&ss, NULL));
	check_altstack("disabled", NULL, SS_DISABLE, 0);

	CHECK_OK(sys_sigaltstack(NULL, NULL));
}

/* bad_pointers - EFAULT on either side, and what each leaves behind. */
static void
bad_pointers(void)
{
	void *bad = (void *)(uintptr_t)KERNEL_BASE_ADDR;
	stack_t ss = make_stack(alt, 0, ALT_SIZE);

	CHECK_ERRNO(sys_sigaltstack(bad, NULL), EFAULT);
	check_altstack("after an unreadable new stack", NULL, SS_DISABLE, 0);
	CHECK_ERRNO(sys_sigaltstack(NULL, bad), EFAULT);
	CHECK_ERRNO(sys_sigaltstack(&ss, bad), EFAULT);
	check_altstack("after an unwritable old stack", alt, 0, ALT_SIZE);
	CHECK_ERRNO(sys_sigaltstack(unmapped_page(), NULL), EFAULT);
	check_altstack("after an unmapped new stack", alt, 0, ALT_SIZE);
}

int
main(void)
{
	say("a new process has no alternate stack");
	check_altstack("initial", NULL, SS_DISABLE, 0);
	say("EINVAL and ENOMEM change nothing");
	refusals();
	say("accepted settings read back as set");
	settings();
	say("EFAULT for either pointer");
	bad_pointers();
	say("sigaltstack's arguments and errors as on Linux");
	return 0;
}
