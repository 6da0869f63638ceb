/*
 * segv_read_only — writes to read-only memory raise SIGSEGV with SEGV_ACCERR
 * and si_addr the exact byte, and leave the memory unchanged: an anonymous
 * PROT_READ mapping, the program's own code and its read-only data. Reads of
 * the same bytes work. With the default action the child dies of SIGSEGV.
 */
#define TEST_NAME "segv_read_only"
#include "guest.h"

#define RO_PAGES       2
#define PROBE_OFFSET   (PAGE_SIZE + 17)        /* second page, odd offset */

static const char read_only_data[64] = "anvil read-only data";

/* a_function - its first byte is code, mapped read+execute. */
static int
a_function(int x)
{
	return x * 3 + 1;
}

/* check_read_only - addr can be read but a write faults with ACCERR. */
static void
check_read_only(const char *what, char *addr)
{
	char before = *(volatile char *)addr;

	CHECK(try_read(addr) == ACCESS_OK, "%s: read faulted", what);
	check_fault(what, try_write(addr, before ^ 0x5a), SEGV_ACCERR, addr);
	CHECK_EQ("byte after the refused write", before, *(volatile char *)addr);
	check_access_kills(what, addr, ACCESS_WRITE);
}

int
main(void)
{
	char *area = map_anon(RO_PAGES * PAGE_SIZE, PROT_READ);
	int (*volatile fn)(int) = a_function;

	catch_faults();
	say("anonymous PROT_READ mapping");
	check_read_only("write PROT_READ mapping", area + PROBE_OFFSET);
	say("program text and read-only data");
	check_read_only("write program text", (char *)fn);
	check_read_only("write read-only data", (char *)read_only_data);
	CHECK_EQ("code still runs", 31, fn(10));
	say("read-only memory stayed read-only");
	return 0;
}
