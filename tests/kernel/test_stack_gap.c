/*
 * tests/kernel/test_stack_gap.c — the stack guard gap's command-line
 * option: stack_guard_gap=N sets the gap to N pages (found as the boot
 * code finds it, with find_kernel_param), refuses values that
 * are not a page count, and get_unmapped_area then keeps exactly that
 * much room below a VM_GROWSDOWN VMA. The default is restored at the end.
 */
#include <kernel/ktest.h>
#include <kernel/cmdline.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/vma.h>

#define STACK_ADDR   0x40000000u
#define SMALL_GAP    16u              /* pages */

/* Where the kernel places len bytes asked for with a hint at addr. */
static uint32_t
map_hinted(struct mm_struct *mm, uint32_t addr, uint32_t len)
{
	return (uint32_t)do_mmap(mm, addr, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
}

/* The three placements around a stack VMA at STACK_ADDR, with the gap
 * set to SMALL_GAP pages. */
struct placements {
	long stack;
	uint32_t in_gap, reaching_in, below_gap;
};

static bool
place_around_stack(struct placements *pl)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return false;
	pl->stack = do_mmap(mm, STACK_ADDR, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, NULL, 0);
	pl->in_gap = map_hinted(mm, STACK_ADDR - PAGE_SIZE, PAGE_SIZE);
	pl->reaching_in = map_hinted(mm, STACK_ADDR - (SMALL_GAP + 1) * PAGE_SIZE, 2 * PAGE_SIZE);
	pl->below_gap = map_hinted(mm, STACK_ADDR - (SMALL_GAP + 1) * PAGE_SIZE, PAGE_SIZE);
	mmput(mm);
	return true;
}

/* True if [addr, addr + len) meets the gap below STACK_ADDR. */
static bool
meets_gap(uint32_t addr, uint32_t len)
{
	return addr < STACK_ADDR && addr + len > STACK_ADDR - SMALL_GAP * PAGE_SIZE;
}

KTEST(vm_stack_guard_gap_option)
{
	const struct kernel_param *p = find_kernel_param("stack_guard_gap");
	struct placements pl = { 0, 0, 0, 0 };
	bool placed;

	KT_CHECK(p, "no stack_guard_gap option");
	KT_CHECK(stack_guard_gap == STACK_GUARD_GAP_PAGES * PAGE_SIZE, "default gap %u bytes",
		 stack_guard_gap);
	KT_CHECK(p->set("") < 0 && p->set("12x") < 0 && p->set("-1") < 0,
		 "a bad value was accepted");
	KT_CHECK(stack_guard_gap == STACK_GUARD_GAP_PAGES * PAGE_SIZE, "a bad value changed the gap");
	KT_CHECK(p->set("16") == 0, "stack_guard_gap=16 refused");
	KT_EXPECT(stack_guard_gap == SMALL_GAP * PAGE_SIZE, "stack_guard_gap=16 gave %u bytes",
		  stack_guard_gap);
	placed = place_around_stack(&pl);
	KT_CHECK(p->set("256") == 0 && stack_guard_gap == STACK_GUARD_GAP_PAGES * PAGE_SIZE,
		 "could not restore the default");

	KT_CHECK(placed && pl.stack == (long)STACK_ADDR, "no stack mapping");
	KT_CHECK(!meets_gap(pl.in_gap, PAGE_SIZE), "a hint in the gap gave %#x", pl.in_gap);
	KT_CHECK(!meets_gap(pl.reaching_in, 2 * PAGE_SIZE), "a hint reaching into the gap gave %#x",
		 pl.reaching_in);
	KT_CHECK(pl.below_gap == STACK_ADDR - (SMALL_GAP + 1) * PAGE_SIZE,
		 "a hint just below the gap gave %#x", pl.below_gap);
}
