/*
 * segv_null_access — reading or writing through a NULL pointer (and a little
 * above it, still in the unmapped first page) raises SIGSEGV with
 * si_code SEGV_MAPERR and si_addr the faulting address. Caught by a
 * SA_SIGINFO handler that siglongjmps out, and, with the default action,
 * the child dies with WTERMSIG == SIGSEGV.
 */
#define TEST_NAME "segv_null_access"
#include "guest.h"

#define NEAR_NULL_OFFSET 0x123                 /* still inside page 0 */

int
main(void)
{
	char *null = NULL;
	char *near_null = null + NEAR_NULL_OFFSET;

	catch_faults();
	say("caught: NULL read and write");
	check_fault("read NULL", try_read(null), SEGV_MAPERR, null);
	check_fault("write NULL", try_write(null, 1), SEGV_MAPERR, null);
	check_fault("write NULL+0x123", try_write(near_null, 1), SEGV_MAPERR, near_null);
	check_fault("read again after siglongjmp", try_read(null), SEGV_MAPERR, null);

	say("default action: the child dies of SIGSEGV");
	check_access_kills("child reading NULL", null, ACCESS_READ);
	check_access_kills("child writing NULL", null, ACCESS_WRITE);
	say("NULL accesses fault exactly");
	return 0;
}
