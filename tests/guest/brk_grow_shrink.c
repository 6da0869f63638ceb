/*
 * brk_grow_shrink — the program break:
 *   - brk(0) and sbrk(0) report the same current break;
 *   - growing it by 64 KiB gives writable memory that keeps its data;
 *   - shrinking it unmaps the pages above the new break (SEGV_MAPERR there)
 *     and keeps the data below;
 *   - growing again gives pages that read zero;
 *   - a break below the start, or up into the stack, is refused: brk returns
 *     the old break unchanged.
 * musl's brk()/sbrk(n) are stubs, so the raw system call is used.
 */
#define TEST_NAME "brk_grow_shrink"
#include "guest.h"
#include <sys/syscall.h>

#define GROW_SIZE      (64 * KiB)
#define KEEP_SIZE      (4 * KiB)
#define PATTERN_SEED   0xB4B4
#define PROBE_OFFSET   (32 * KiB)              /* a byte freed by the shrink */

/* set_break - the brk system call: returns the break after the call. */
static uintptr_t
set_break(uintptr_t wanted)
{
	return (uintptr_t)syscall(SYS_brk, wanted);
}

/* page_round_up - the first page boundary at or above addr. */
static uintptr_t
page_round_up(uintptr_t addr)
{
	return (addr + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
}

int
main(void)
{
	uintptr_t start = set_break(0);
	char *heap = (char *)start;

	say("initial break %#lx", (unsigned long)start);
	CHECK_EQ_HEX("sbrk(0) agrees with brk(0)", start, (uintptr_t)sbrk(0));

	CHECK_EQ_HEX("grow by 64 KiB", start + GROW_SIZE, set_break(start + GROW_SIZE));
	pattern_fill(heap, GROW_SIZE, PATTERN_SEED);
	CHECK_PATTERN("grown heap", heap, GROW_SIZE, PATTERN_SEED);

	say("shrink to 4 KiB");
	CHECK_EQ_HEX("shrink", start + KEEP_SIZE, set_break(start + KEEP_SIZE));
	CHECK_PATTERN("data below the new break", heap, KEEP_SIZE, PATTERN_SEED);
	catch_faults();
	check_fault("read above the shrunk break", try_read(heap + PROBE_OFFSET), SEGV_MAPERR,
		    heap + PROBE_OFFSET);

	say("grow again");
	CHECK_EQ_HEX("grow again", start + GROW_SIZE, set_break(start + GROW_SIZE));
	uintptr_t fresh = page_round_up(start + KEEP_SIZE);
	CHECK_ZERO("pages regained after the shrink", (char *)fresh, start + GROW_SIZE - fresh);
	CHECK_PATTERN("data kept through shrink and grow", heap, KEEP_SIZE, PATTERN_SEED);

	say("refused moves leave the break alone");
	CHECK_EQ_HEX("brk below the start", start + GROW_SIZE, set_break(start - PAGE_SIZE));
	CHECK_EQ_HEX("brk into the stack", start + GROW_SIZE, set_break(TOP_PAGE_ADDR));
	CHECK_EQ_HEX("sbrk(0) after refusals", start + GROW_SIZE, (uintptr_t)sbrk(0));
	CHECK_EQ_HEX("back to the start", start, set_break(start));
	say("brk grew, shrank and refused as it should");
	return 0;
}
