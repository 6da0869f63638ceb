/*
 * mm/paging_init.c — the kernel's own page tables.
 *
 * The boot page directory (boot/entry.S) maps 64 MiB with 4 MiB pages,
 * twice. paging_init() replaces it with swapper_pg_dir: every frame of low
 * memory mapped once, at PAGE_OFFSET + phys, with 4 KiB global pages, and
 * nothing below PAGE_OFFSET. Every process page directory will copy the
 * kernel half (entries 768-1023) of swapper_pg_dir, so the page tables of
 * the direct map are shared by all address spaces and never freed.
 */
#include <mm/paging.h>
#include <mm/memblock.h>
#include <arch/x86/mmu.h>
#include <arch/x86/cpu.h>
#include <arch/x86/memlayout.h>
#include <kernel/printk.h>

pgd_t swapper_pg_dir[PTRS_PER_PGD] __attribute__((aligned(PAGE_SIZE)));

/* Maps [PAGE_OFFSET, PAGE_OFFSET + end) to [0, end) in swapper_pg_dir. */
static void
map_lowmem(uint32_t end)
{
	for (uint32_t pa = 0; pa < end; pa += PGDIR_SIZE) {
		pte_t *table = memblock_alloc(PAGE_SIZE, PAGE_SIZE, EARLY_MAP_LIMIT);

		for (unsigned i = 0; i < PTRS_PER_PTE && pa + i * PAGE_SIZE < end; i++)
			set_pte(&table[i], pfn_pte((pa >> PAGE_SHIFT) + i, PAGE_KERNEL));
		set_pgd(&swapper_pg_dir[pgd_index(PAGE_OFFSET + pa)],
			mk_pgd_table(__pa(table), PAGE_TABLE_KERNEL));
	}
}

void
paging_init(uint32_t lowmem_end)
{
	map_lowmem(lowmem_end);
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(__pa(swapper_pg_dir));
	printk(KERN_INFO "paging: direct map %#010x-%#010x (%u MiB, %u page tables)\n",
	       PAGE_OFFSET, PAGE_OFFSET + lowmem_end - 1, lowmem_end >> 20,
	       (lowmem_end + PGDIR_SIZE - 1) >> PGDIR_SHIFT);
}
