/*
 * arch/x86/stacktrace.c — walks the chain of saved frame pointers.
 *
 * Every kernel function is compiled with -fno-omit-frame-pointer, so each
 * frame starts with
 *
 *   [ebp + 4]  return address into the caller
 *   [ebp + 0]  the caller's saved ebp
 *
 * The walk stops at ebp == 0 (boot entry and new threads start with it),
 * at a frame outside kernel memory, or when frames stop going up the stack.
 */
#include <arch/x86/stacktrace.h>
#include <arch/x86/memlayout.h>
#include <kernel/printk.h>
#include <kernel/ksyms.h>

#define BACKTRACE_MAX_FRAMES 32

static void
print_frame(uint32_t addr, uint32_t lookup)
{
	struct ksym sym;

	if (ksym_lookup(lookup, &sym))
		printk(KERN_EMERG " [<%08x>] %s+0x%x/0x%x\n", addr, sym.name,
		       lookup - sym.addr + (addr - lookup), sym.size);
	else
		printk(KERN_EMERG " [<%08x>] ?\n", addr);
}

static int
frame_ok(uint32_t ebp, uint32_t prev)
{
	return ebp && !(ebp & 3) && ebp >= PAGE_OFFSET &&
	       ebp < PAGE_OFFSET + LOWMEM_LIMIT - 8 && ebp > prev;
}

void
show_backtrace(uint32_t eip, uint32_t ebp)
{
	printk(KERN_EMERG "Call Trace:\n");
	print_frame(eip, eip);
	for (int i = 0; i < BACKTRACE_MAX_FRAMES && frame_ok(ebp, 0); i++) {
		uint32_t *frame = (uint32_t *)ebp;
		uint32_t ret = frame[1];

		if (!ret)
			break;
		/* ret - 1 lies inside the call instruction, so a call that ends
		 * a function (to a noreturn) is still named after its caller. */
		print_frame(ret, ret - 1);
		if (!frame_ok(frame[0], ebp))
			break;
		ebp = frame[0];
	}
}
