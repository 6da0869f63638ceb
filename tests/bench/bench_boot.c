/*
 * tests/bench/bench_boot.c — `make bench` figures for the base kernel.
 * Run under QEMU -icount shift=0, where the TSC advances by one per guest
 * instruction, so every figure here is a count of guest instructions.
 */
#include <kernel/ktest.h>
#include <kernel/main.h>
#include <mm/page_alloc.h>
#include <arch/x86/cpu.h>

#define BENCH_REPEAT 15
#define ALLOC_LOOPS 10000

KBENCH(boot)
{
	bench_report("boot.reset_to_kmain", boot_tsc_kmain, "instructions (firmware + GRUB)");
	bench_report("boot.kernel_init", boot_tsc_init_done - boot_tsc_kmain,
		     "instructions (kmain to init thread)");
}

KBENCH(page_alloc)
{
	uint64_t runs[BENCH_REPEAT];

	for (unsigned r = 0; r < BENCH_REPEAT; r++) {
		uint64_t start = rdtsc();

		for (unsigned i = 0; i < ALLOC_LOOPS; i++) {
			struct page *p = alloc_page(GFP_KERNEL);

			KT_CHECK(p, "allocation failed");
			__free_pages(p, 0);
		}
		runs[r] = (rdtsc() - start) / ALLOC_LOOPS;
	}
	bench_report("page_alloc.order0_alloc_free", bench_median(runs, BENCH_REPEAT),
		     "instructions per alloc_page+__free_pages (median of 15)");
}
