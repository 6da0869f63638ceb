/* mm/mm.h — what the rest of the kernel calls to set up memory management. */
#ifndef MM_MM_H
#define MM_MM_H

struct multiboot_info;

/* Reads the memory map and brings up mem_map, page tables, buddy and slab. */
void mem_init(const struct multiboot_info *mbi);
#endif
