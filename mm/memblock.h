/*
 * mm/memblock.h — physical memory at boot, before the buddy allocator:
 * which ranges are RAM, which are taken, and a bump allocator for the
 * structures the buddy allocator itself needs (mem_map, page tables).
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include <stdint.h>
#include <stdbool.h>

struct multiboot_info;

typedef uint64_t phys_addr_t;

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	const char *what;             /* reserved regions: who holds it */
};

/* Reads the multiboot memory map and reserves what boot left in memory. */
void memblock_init(const struct multiboot_info *mbi);
void memblock_add(phys_addr_t base, phys_addr_t size);
void memblock_reserve(phys_addr_t base, phys_addr_t size, const char *what);
/* Takes size bytes (aligned, zeroed) below limit; panics when none is left. */
void *memblock_alloc(uint32_t size, uint32_t align, phys_addr_t limit);
/* The same, reserved under the name what, but NULL when there is no room. */
void *memblock_alloc_try(uint32_t size, uint32_t align, phys_addr_t limit, const char *what);
bool memblock_is_reserved(phys_addr_t addr);
/* End of usable RAM within the direct map (frames at or above: not used). */
phys_addr_t memblock_end_of_lowmem(void);
/* Bytes of RAM the firmware reported (all of it, not only lowmem). */
phys_addr_t memblock_total_ram(void);
/* Gives every usable, unreserved frame to the buddy allocator. */
unsigned long memblock_free_all(void);

#endif
