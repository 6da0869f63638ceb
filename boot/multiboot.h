/*
 * boot/multiboot.h — the Multiboot 1 structures GRUB hands the kernel.
 * Only the fields anvil reads are named; the layout follows the
 * Multiboot Specification 0.6.96, section 3.3.
 */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC     0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT_PAGE_ALIGN       0x00000001  /* modules on page boundaries */
#define MULTIBOOT_MEMORY_INFO      0x00000002  /* give us mem_* and mmap_* */

#define MULTIBOOT_INFO_MEMORY  0x001
#define MULTIBOOT_INFO_CMDLINE 0x004
#define MULTIBOOT_INFO_MODS    0x008
#define MULTIBOOT_INFO_MMAP    0x040
#define MULTIBOOT_INFO_LOADER  0x200

#ifndef __ASSEMBLY__
#include <stdint.h>

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;        /* KiB, valid with INFO_MEMORY */
	uint32_t boot_device;
	uint32_t cmdline;                     /* phys of a C string */
	uint32_t mods_count, mods_addr;       /* phys of struct multiboot_module[] */
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;      /* phys of multiboot_mmap_entry list */
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;            /* phys of a C string */
} __attribute__((packed));

#define MULTIBOOT_MEMORY_AVAILABLE 1

/* size does not count itself: the next entry is at (char *)e + e->size + 4 */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start, mod_end;          /* phys, [start, end) */
	uint32_t string;                      /* phys of the module's command line */
	uint32_t reserved;
} __attribute__((packed));
#endif

#endif
