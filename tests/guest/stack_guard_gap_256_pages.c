/*
 * stack_guard_gap_256_pages — the room kept below a stack (a MAP_GROWSDOWN
 * mapping) is Linux's stack_guard_gap, 256 pages by default; anvil kept one
 * page. With G a stack mapping and GAP = 256 pages:
 *   - G grows down on a touch below it, but not to within GAP of an
 *     accessible mapping below: such a touch is SIGSEGV (SEGV_MAPERR, the
 *     exact address); exactly GAP away it grows. An inaccessible (PROT_NONE)
 *     mapping below, or another stack, does not stop it;
 *   - mmap without MAP_FIXED never places a mapping in the GAP below a
 *     stack: a hint there is not taken (a hint just below the gap is), and
 *     a mapping placed by the kernel right after a stack stays clear of it;
 *   - MAP_FIXED may still map inside the gap;
 *   - brk does not grow the heap into the gap below a stack.
 * Assumes the default gap (no stack_guard_gap= on the kernel command line).
 */
#define TEST_NAME "stack_guard_gap_256_pages"
#include "guest.h"
#include <sys/syscall.h>

#define GAP_PAGES     256
#define GAP           (GAP_PAGES * PAGE_SIZE)
#define AREA_PAGES    600
#define STACK_PAGE    300            /* G starts here in its area, 2 pages */
#define STACK_PAGES   2
#define RW            (PROT_READ | PROT_WRITE)

/* map_at - a mapping of pages at addr exactly (MAP_FIXED_NOREPLACE). */
static char *
map_at(char *addr, int pages, int prot, int extra_flags)
{
	char *p = mmap(addr, pages * PAGE_SIZE, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | extra_flags, -1, 0);

	CHECK_EQ_HEX("mapping at a free address", (uintptr_t)addr, (uintptr_t)p);
	return p;
}

/* in_gap_below - true if [p, p+len) meets the GAP below the stack at g. */
static int
in_gap_below(const char *p, size_t len, const char *g)
{
	return p < g && p + len > g - GAP;
}

static void
check_growth(void)
{
	char *r = free_range(AREA_PAGES);

	say("an accessible mapping below: the stack stops %d pages above it", GAP_PAGES);
	map_at(r, 1, RW, 0);
	map_at(r + STACK_PAGE * PAGE_SIZE, STACK_PAGES, RW, MAP_GROWSDOWN);
	check_fault("a touch 99 pages above the neighbour", try_write(r + 100 * PAGE_SIZE, 1),
		    SEGV_MAPERR, r + 100 * PAGE_SIZE);
	CHECK_EQ("a touch exactly the gap above the neighbour grows the stack", ACCESS_OK,
		 try_write(r + (GAP_PAGES + 1) * PAGE_SIZE + 5, 1));
	check_fault("a touch one page nearer", try_write(r + GAP_PAGES * PAGE_SIZE, 1),
		    SEGV_MAPERR, r + GAP_PAGES * PAGE_SIZE);
	check_fault("the last byte of that page", try_write(r + (GAP_PAGES + 1) * PAGE_SIZE - 1, 1),
		    SEGV_MAPERR, r + (GAP_PAGES + 1) * PAGE_SIZE - 1);
	CHECK_OK(munmap(r, AREA_PAGES * PAGE_SIZE));
}

static void
check_growth_past_reservations(void)
{
	char *r = free_range(AREA_PAGES);

	say("a PROT_NONE mapping or another stack below does not stop it");
	map_at(r, 1, PROT_NONE, 0);
	map_at(r + STACK_PAGE * PAGE_SIZE, STACK_PAGES, RW, MAP_GROWSDOWN);
	CHECK_EQ("growing right down to a PROT_NONE mapping", ACCESS_OK,
		 try_write(r + PAGE_SIZE, 1));
	CHECK_OK(munmap(r, AREA_PAGES * PAGE_SIZE));
	r = free_range(AREA_PAGES);
	map_at(r, 1, RW, MAP_GROWSDOWN);
	map_at(r + STACK_PAGE * PAGE_SIZE, STACK_PAGES, RW, MAP_GROWSDOWN);
	CHECK_EQ("growing right down to another stack", ACCESS_OK, try_write(r + PAGE_SIZE, 1));
	CHECK_OK(munmap(r, AREA_PAGES * PAGE_SIZE));
}

static void
check_placement(void)
{
	char *r = free_range(AREA_PAGES), *g = r + STACK_PAGE * PAGE_SIZE, *p;

	say("hints and placement keep out of the gap");
	map_at(g, STACK_PAGES, RW, MAP_GROWSDOWN);
	p = mmap(g - PAGE_SIZE, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap with a hint in the gap (got %s)", errno_name(errno));
	CHECK(!in_gap_below(p, PAGE_SIZE, g), "a hint in the gap was taken: %p, stack at %p", p, g);
	CHECK_OK(munmap(p, PAGE_SIZE));
	p = mmap(g - GAP - PAGE_SIZE, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_EQ_HEX("a hint just below the gap is taken", (uintptr_t)(g - GAP - PAGE_SIZE),
		     (uintptr_t)p);
	CHECK_OK(munmap(p, PAGE_SIZE));
	p = mmap(g - 10 * PAGE_SIZE, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ_HEX("MAP_FIXED maps inside the gap", (uintptr_t)(g - 10 * PAGE_SIZE), (uintptr_t)p);
	CHECK_OK(munmap(r, AREA_PAGES * PAGE_SIZE));

	char *stack = mmap(NULL, STACK_PAGES * PAGE_SIZE, RW,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	CHECK(stack != MAP_FAILED, "a MAP_GROWSDOWN mapping (got %s)", errno_name(errno));
	p = mmap(NULL, PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "the next mapping (got %s)", errno_name(errno));
	CHECK(!in_gap_below(p, PAGE_SIZE, stack), "mapping placed in the gap: %p, stack at %p",
	      p, stack);
	CHECK_OK(munmap(p, PAGE_SIZE));
	CHECK_OK(munmap(stack, STACK_PAGES * PAGE_SIZE));
}

static void
check_brk(void)
{
	uintptr_t now = (uintptr_t)syscall(SYS_brk, 0);
	char *base = (char *)((now + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1));
	char *stack = base + STACK_PAGE * PAGE_SIZE;

	say("brk stops at the gap below a stack");
	map_at(stack, STACK_PAGES, RW, MAP_GROWSDOWN);
	CHECK_EQ_HEX("brk into the gap is refused", now,
		     syscall(SYS_brk, base + (STACK_PAGE - GAP_PAGES + 4) * PAGE_SIZE));
	CHECK_EQ_HEX("brk up to a page below the gap", (uintptr_t)(base + 40 * PAGE_SIZE),
		     syscall(SYS_brk, base + 40 * PAGE_SIZE));
	base[40 * PAGE_SIZE - 1] = 1;
	CHECK_EQ_HEX("brk back", now, syscall(SYS_brk, now));
	CHECK_OK(munmap(stack, STACK_PAGES * PAGE_SIZE));
}

int
main(void)
{
	catch_faults();
	check_growth();
	check_growth_past_reservations();
	check_placement();
	check_brk();
	say("the stack keeps its %d-page guard gap", GAP_PAGES);
	return 0;
}
