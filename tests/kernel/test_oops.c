/*
 * tests/kernel/test_oops.c — deliberate kernel bugs. Each is a
 * KTEST_CRASH: it runs only when named (ktest=oops_page_fault), and the
 * host runner checks that the serial log holds a readable report (see
 * OOPS_TESTS in tools/runner.py).
 */
#include <kernel/ktest.h>
#include <kernel/printk.h>

#define UNMAPPED_ADDRESS 0x10        /* page 0 is never mapped */

KTEST_CRASH(oops_page_fault)
{
	uint32_t *volatile unmapped = (uint32_t *)UNMAPPED_ADDRESS;

	*unmapped = 0xBAD;
}

KTEST_CRASH(oops_bug_on)
{
	volatile int broken_invariant = 1;

	BUG_ON(broken_invariant);
}

KTEST_CRASH(oops_divide_error)
{
	uint32_t quotient, remainder;

	/* in assembly: the compiler may not fold a division it can see */
	__asm__ volatile("divl %2" : "=a"(quotient), "=d"(remainder) : "r"(0), "a"(1), "d"(0));
}
