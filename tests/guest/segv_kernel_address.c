/*
 * segv_kernel_address — user code cannot touch the kernel's part of the
 * address space: reading or writing 0xC0000000 (the first kernel page) or
 * 0xFFFFF000 (the last page) raises SIGSEGV with SEGV_MAPERR (what Linux
 * reports for a kernel address, as for an unmapped one) and si_addr the exact
 * address; with the default action the child dies of SIGSEGV.
 */
#define TEST_NAME "segv_kernel_address"
#include "guest.h"

#define MID_KERNEL_ADDR 0xC0100000u            /* where a kernel image lives */

/* check_address - reads and writes of address fault with SEGV_MAPERR. */
static void
check_address(unsigned long address)
{
	char *addr = (char *)address;
	char what[64];

	snprintf(what, sizeof(what), "write 0x%lx", address);
	check_fault(what, try_write(addr, 1), SEGV_MAPERR, addr);
	snprintf(what, sizeof(what), "read 0x%lx", address);
	check_fault(what, try_read(addr), SEGV_MAPERR, addr);
	snprintf(what, sizeof(what), "child writing 0x%lx", address);
	check_access_kills(what, addr, ACCESS_WRITE);
}

int
main(void)
{
	catch_faults();
	say("first kernel page 0x%x", KERNEL_BASE_ADDR);
	check_address(KERNEL_BASE_ADDR);
	say("kernel text area 0x%x", MID_KERNEL_ADDR);
	check_address(MID_KERNEL_ADDR);
	say("last page 0x%x", TOP_PAGE_ADDR);
	check_address(TOP_PAGE_ADDR);
	say("kernel addresses are out of reach");
	return 0;
}
