/*
 * mm/memblock.c — boot-time physical memory (see memblock.h).
 *
 * Two small sorted tables: "memory" (RAM as the firmware reported it,
 * clipped to the direct map and to mem=) and "reserved" (the first MiB of
 * firmware areas, the kernel image, GRUB's structures and modules, and
 * whatever memblock_alloc handed out). A frame is free at the end of boot
 * iff it lies wholly inside memory and outside reserved.
 *
 * Runs single-threaded, before interrupts are on: no locks.
 */
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <boot/multiboot.h>
#include <kernel/printk.h>
#include <kernel/cmdline.h>
#include <libk/string.h>

#define MAX_REGIONS      64
#define LOW_FIRMWARE_END 0x100000u    /* real-mode IVT, BIOS data, VGA, ROMs */

struct region_table {
	struct memblock_region r[MAX_REGIONS];
	unsigned n;
};

static struct region_table memory, reserved;
static phys_addr_t total_ram;
static phys_addr_t mem_limit = LOWMEM_LIMIT;

extern char _kernel_start[], _kernel_end[];

static int
parse_mem(const char *val)
{
	phys_addr_t v = memparse(val, NULL);

	if (v < PAGE_SIZE)
		return -1;
	if (v < mem_limit)
		mem_limit = v;
	return 0;
}
KERNEL_PARAM("mem", parse_mem, "use at most this much RAM (e.g. mem=64M)");

static bool
regions_touch(const struct memblock_region *a, const struct memblock_region *b)
{
	return a->base + a->size == b->base && a->what == b->what;
}

/* Merges region i with region i+1 if they are adjacent and alike. */
static void
region_merge_next(struct region_table *t, unsigned i)
{
	if (i + 1 >= t->n || !regions_touch(&t->r[i], &t->r[i + 1]))
		return;
	t->r[i].size += t->r[i + 1].size;
	memmove(&t->r[i + 1], &t->r[i + 2], (t->n - i - 2) * sizeof(t->r[0]));
	t->n--;
}

/* Inserts [base, base+size) keeping the table sorted by base; adjacent
 * regions of the same kind (successive boot allocations) become one. */
static void
region_insert(struct region_table *t, phys_addr_t base, phys_addr_t size, const char *what)
{
	unsigned i = t->n;

	if (t->n == MAX_REGIONS)
		panic("memblock: more than %d regions", MAX_REGIONS);
	while (i > 0 && t->r[i - 1].base > base) {
		t->r[i] = t->r[i - 1];
		i--;
	}
	t->r[i] = (struct memblock_region){ base, size, what };
	t->n++;
	region_merge_next(t, i);
	if (i > 0)
		region_merge_next(t, i - 1);
}

void
memblock_add(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;

	base = PAGE_ALIGN(base);
	end &= ~(phys_addr_t)(PAGE_SIZE - 1);
	if (end > mem_limit)
		end = mem_limit;
	if (end > base)
		region_insert(&memory, base, end - base, "RAM");
}

void
memblock_reserve(phys_addr_t base, phys_addr_t size, const char *what)
{
	if (size)
		region_insert(&reserved, base, size, what);
}

static bool
overlaps_reserved(phys_addr_t base, phys_addr_t end)
{
	for (unsigned i = 0; i < reserved.n; i++)
		if (base < reserved.r[i].base + reserved.r[i].size && reserved.r[i].base < end)
			return true;
	return false;
}

bool
memblock_is_reserved(phys_addr_t addr)
{
	return overlaps_reserved(addr, addr + 1);
}

/* Lowest address >= from with [addr, addr+size) free, or 0 for none. */
static phys_addr_t
find_free(phys_addr_t from, uint32_t size, uint32_t align, phys_addr_t limit)
{
	for (unsigned i = 0; i < memory.n; i++) {
		phys_addr_t base = memory.r[i].base, end = base + memory.r[i].size;
		phys_addr_t a = from > base ? from : base;

		a = (a + align - 1) & ~(phys_addr_t)(align - 1);
		while (a + size <= end && a + size <= limit) {
			if (!overlaps_reserved(a, a + size))
				return a;
			a += align;
		}
	}
	return 0;
}

void *
memblock_alloc(uint32_t size, uint32_t align, phys_addr_t limit)
{
	phys_addr_t a = find_free(LOW_FIRMWARE_END, size, align, limit);

	if (!a)
		panic("memblock: cannot allocate %u bytes below %#llx", size, (unsigned long long)limit);
	memblock_reserve(a, size, "memblock_alloc");
	memset(__va(a), 0, size);
	return __va(a);
}

void *
memblock_alloc_try(uint32_t size, uint32_t align, phys_addr_t limit, const char *what)
{
	phys_addr_t a = find_free(LOW_FIRMWARE_END, size, align, limit);

	if (!a)
		return NULL;
	memblock_reserve(a, size, what);
	memset(__va(a), 0, size);
	return __va(a);
}

phys_addr_t
memblock_end_of_lowmem(void)
{
	return memory.n ? memory.r[memory.n - 1].base + memory.r[memory.n - 1].size : 0;
}

phys_addr_t
memblock_total_ram(void)
{
	return total_ram;
}

static const char *
e820_type_name(uint32_t type)
{
	switch (type) {
	case 1: return "usable";
	case 2: return "reserved";
	case 3: return "ACPI data";
	case 4: return "ACPI NVS";
	case 5: return "unusable";
	default: return "unknown";
	}
}

/* Adds the usable RAM of the firmware's map, printing every entry. */
static void
read_memory_map(const struct multiboot_info *mbi)
{
	const char *p = __va(mbi->mmap_addr), *end = p + mbi->mmap_length;

	printk(KERN_INFO "BIOS-provided physical RAM map:\n");
	while (p < end) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		printk(KERN_INFO "  [mem %#010llx-%#010llx] %s\n", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->len - 1), e820_type_name(e->type));
		if (e->type == MULTIBOOT_MEMORY_AVAILABLE) {
			total_ram += e->len;
			if (e->addr < LOWMEM_LIMIT)
				memblock_add(e->addr, e->len);
		}
		p += e->size + sizeof(e->size);
	}
}

static void
reserve_string(uint32_t phys, const char *what)
{
	if (phys)
		memblock_reserve(phys, strlen(__va(phys)) + 1, what);
}

/* Reserves the kernel image and everything GRUB left for us to read. */
static void
reserve_boot_data(const struct multiboot_info *mbi)
{
	memblock_reserve(0, LOW_FIRMWARE_END, "firmware");
	memblock_reserve(__pa(_kernel_start), _kernel_end - _kernel_start, "kernel image");
	memblock_reserve(__pa(mbi), sizeof(*mbi), "multiboot info");
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		reserve_string(mbi->cmdline, "command line");
	if (mbi->flags & MULTIBOOT_INFO_MMAP)
		memblock_reserve(mbi->mmap_addr, mbi->mmap_length, "memory map");
	if (mbi->flags & MULTIBOOT_INFO_MODS) {
		const struct multiboot_module *m = __va(mbi->mods_addr);

		memblock_reserve(mbi->mods_addr, mbi->mods_count * sizeof(*m), "module list");
		for (uint32_t i = 0; i < mbi->mods_count; i++) {
			memblock_reserve(m[i].mod_start, m[i].mod_end - m[i].mod_start, "boot module");
			reserve_string(m[i].string, "module name");
		}
	}
}

void
memblock_init(const struct multiboot_info *mbi)
{
	if (mbi->flags & MULTIBOOT_INFO_MMAP) {
		read_memory_map(mbi);
	} else if (mbi->flags & MULTIBOOT_INFO_MEMORY) {
		printk(KERN_INFO "no memory map: %u KiB above 1 MiB\n", mbi->mem_upper);
		total_ram = LOW_FIRMWARE_END + (phys_addr_t)mbi->mem_upper * 1024;
		memblock_add(LOW_FIRMWARE_END, (phys_addr_t)mbi->mem_upper * 1024);
	}
	reserve_boot_data(mbi);
	if (total_ram > LOWMEM_LIMIT && mem_limit == LOWMEM_LIMIT)
		printk(KERN_WARNING "%llu MiB of RAM above the %u MiB direct map is not used (no highmem)\n",
		       (unsigned long long)(total_ram - LOWMEM_LIMIT) >> 20, LOWMEM_LIMIT >> 20);
}

unsigned long
memblock_free_all(void)
{
	unsigned long freed = 0;

	for (unsigned i = 0; i < memory.n; i++) {
		unsigned long pfn = memory.r[i].base >> PAGE_SHIFT;
		unsigned long end = (memory.r[i].base + memory.r[i].size) >> PAGE_SHIFT;

		while (pfn < end) {
			unsigned long run = pfn;

			while (run < end && !overlaps_reserved((phys_addr_t)run << PAGE_SHIFT,
							       (phys_addr_t)(run + 1) << PAGE_SHIFT))
				run++;
			if (run > pfn) {
				free_boot_range(pfn, run);
				freed += run - pfn;
			}
			pfn = run + 1;
		}
	}
	return freed;
}
