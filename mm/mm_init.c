/*
 * mm/mm_init.c — bringing up physical memory management, in order:
 *
 *   1. memblock: read the firmware memory map, reserve what is in use;
 *   2. refuse to run with less than MIN_LOWMEM of RAM;
 *   3. allocate mem_map (one struct page per frame) from memblock;
 *   4. paging_init: the real kernel page tables;
 *   5. swap=: reserve the memory of the swap RAM disk (mm/swapfile.c), so
 *      it is not RAM any more (MemTotal leaves it out);
 *   6. buddy: hand every free frame to the page allocator;
 *   7. slab: the kmalloc caches.
 */
#include <mm/mm.h>
#include <mm/memblock.h>
#include <mm/paging.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/swapfile.h>
#include <boot/multiboot.h>
#include <kernel/printk.h>
#include <kernel/panic.h>

#define MIN_LOWMEM (8u << 20)

static void
too_little_memory(uint32_t have)
{
	printk(KERN_EMERG "anvil: not enough memory: %u KiB usable, at least %u MiB needed.\n"
	       "anvil: boot QEMU with more memory (e.g. -m 32) and try again. Halted.\n",
	       have >> 10, MIN_LOWMEM >> 20);
	oops_end();
}

void
mem_init(const struct multiboot_info *mbi)
{
	uint32_t lowmem_end, map_bytes;
	unsigned long freed;

	memblock_init(mbi);
	lowmem_end = memblock_end_of_lowmem();
	if (lowmem_end < MIN_LOWMEM)
		too_little_memory(lowmem_end);

	max_pfn = lowmem_end >> PAGE_SHIFT;
	map_bytes = max_pfn * sizeof(struct page);
	buddy_init(memblock_alloc(map_bytes, PAGE_SIZE, EARLY_MAP_LIMIT), max_pfn);
	paging_init(lowmem_end);
	swap_ramdisk_reserve();
	freed = memblock_free_all();
	printk(KERN_INFO "mem_map: %lu frames, struct page %u bytes, %u KiB at %p\n",
	       max_pfn, (unsigned)sizeof(struct page), map_bytes >> 10, (void *)mem_map);
	printk(KERN_INFO "Memory: %luK/%uK available (%uK reserved)\n", freed << 2,
	       lowmem_end >> 10, (lowmem_end >> 10) - (unsigned)(freed << 2));
	kmalloc_init();
	printk(KERN_INFO "buddyinfo (free blocks of order 0..%d):\n", MAX_ORDER);
	show_buddyinfo();
}
