/*
 * stack_far_below_segv — the stack does not grow without limit: a write 64 MiB
 * below the stack pointer (beyond the stack's size limit, where nothing is
 * mapped) raises SIGSEGV with SEGV_MAPERR and si_addr the exact address, in a
 * handler and by default in a child. The stack itself still works afterwards.
 *
 * On a host whose stack limit is unlimited Linux would let the stack grow that
 * far, so the test lowers the limit to 8 MiB when it can read it.
 */
#define TEST_NAME "stack_far_below_segv"
#include "guest.h"
#include <sys/resource.h>

#define FAR_BELOW      (64 * MiB)
#define STACK_LIMIT    (8 * MiB)
#define SMALL_ARRAY    256

/* limit_stack - make sure the stack limit is well below FAR_BELOW. */
static void
limit_stack(void)
{
	struct rlimit limit;

	if (getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur <= STACK_LIMIT)
		return;
	limit.rlim_cur = STACK_LIMIT;
	CHECK_OK(setrlimit(RLIMIT_STACK, &limit));
}

/* far_below_stack - an address 64 MiB below the current stack pointer. */
static __attribute__((noinline)) char *
far_below_stack(void)
{
	char here;

	return (char *)(((uintptr_t)&here - FAR_BELOW) & ~(uintptr_t)(PAGE_SIZE - 1));
}

int
main(void)
{
	volatile char array[SMALL_ARRAY];

	limit_stack();
	char *target = far_below_stack();
	say("writing %p, 64 MiB below the stack", (void *)target);
	catch_faults();
	check_fault("write far below the stack", try_write(target, 1), SEGV_MAPERR, target);
	check_fault("read far below the stack", try_read(target), SEGV_MAPERR, target);
	check_access_kills("child writing far below the stack", target, ACCESS_WRITE);

	memset((char *)array, 0x5c, SMALL_ARRAY);
	CHECK_EQ("stack still usable", 0x5c, array[SMALL_ARRAY - 1]);
	say("the stack refused to grow 64 MiB down");
	return 0;
}
