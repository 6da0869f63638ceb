/*
 * segv_prot_none — a PROT_NONE mapping exists but may not be touched: reads
 * and writes raise SIGSEGV with SEGV_ACCERR (not MAPERR: the page is mapped)
 * and si_addr the exact byte; with the default action the child dies of
 * SIGSEGV. After mprotect(PROT_READ|PROT_WRITE) the same pages work and read
 * zero.
 */
#define TEST_NAME "segv_prot_none"
#include "guest.h"

#define PAGES          4
#define PROBE_OFFSET   0x9a                    /* any byte inside a page */

int
main(void)
{
	char *area = map_anon(PAGES * PAGE_SIZE, PROT_NONE);
	char what[64];

	catch_faults();
	say("touching %d PROT_NONE pages", PAGES);
	for (int i = 0; i < PAGES; i++) {
		char *addr = area + i * PAGE_SIZE + PROBE_OFFSET;
		snprintf(what, sizeof(what), "read PROT_NONE page %d", i);
		check_fault(what, try_read(addr), SEGV_ACCERR, addr);
		snprintf(what, sizeof(what), "write PROT_NONE page %d", i);
		check_fault(what, try_write(addr, 1), SEGV_ACCERR, addr);
	}
	check_access_kills("child reading PROT_NONE", area, ACCESS_READ);
	check_access_kills("child writing PROT_NONE", area, ACCESS_WRITE);

	say("mprotect to read-write makes them usable");
	CHECK_OK(mprotect(area, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE));
	CHECK_ZERO("PROT_NONE pages made readable", area, PAGES * PAGE_SIZE);
	CHECK(try_write(area + PROBE_OFFSET, 7) == ACCESS_OK, "write after mprotect faulted");
	CHECK_EQ("byte written after mprotect", 7, area[PROBE_OFFSET]);
	say("PROT_NONE faults with SEGV_ACCERR");
	return 0;
}
