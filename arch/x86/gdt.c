/*
 * arch/x86/gdt.c — the global descriptor table and the task state segment.
 *
 * anvil uses flat segments (base 0, limit 4 GiB) and paging for all
 * protection. The TSS is used only for its ESP0/SS0: the stack the CPU
 * loads when an interrupt or int 0x80 arrives from ring 3.
 */
#include <arch/x86/segments.h>
#include <libk/string.h>

/* Access byte bits of a segment descriptor. */
#define SEG_PRESENT   0x80
#define SEG_DPL(n)    ((n) << 5)
#define SEG_CODE_DATA 0x10       /* S=1: code or data, not system */
#define SEG_EXEC      0x08
#define SEG_RW        0x02       /* readable code / writable data */
#define SEG_TSS32     0x09       /* system type: available 32-bit TSS */
/* Flags nibble: G (4 KiB granularity) and D/B (32-bit). */
#define SEG_FLAGS_4K_32 0xC

struct gdt_desc {
	uint16_t limit_lo;
	uint16_t base_lo;
	uint8_t base_mid;
	uint8_t access;
	uint8_t limit_hi_flags;
	uint8_t base_hi;
} __attribute__((packed));

struct tss {
	uint32_t prev;
	uint32_t esp0, ss0;
	uint32_t esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

static struct gdt_desc gdt[GDT_ENTRIES] __attribute__((aligned(8)));
static struct tss tss;

static struct gdt_desc
make_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (struct gdt_desc){
		.limit_lo = limit & 0xFFFF,
		.base_lo = base & 0xFFFF,
		.base_mid = (base >> 16) & 0xFF,
		.access = access,
		.limit_hi_flags = ((limit >> 16) & 0x0F) | (flags << 4),
		.base_hi = base >> 24,
	};
}

static void
load_gdt(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr = {
		sizeof(gdt) - 1, (uint32_t)gdt
	};

	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "mov %3, %%fs\n\t"
			 "mov %3, %%gs\n\t"
			 : : "m"(gdtr), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(0)
			 : "memory");
	__asm__ volatile("ltr %w0" : : "r"(TSS_SEL));
}

void
gdt_init(void)
{
	const uint32_t flat = 0xFFFFF;

	gdt[GDT_ENTRY_KERNEL_CS] = make_desc(0, flat, SEG_PRESENT | SEG_DPL(0) | SEG_CODE_DATA | SEG_EXEC | SEG_RW, SEG_FLAGS_4K_32);
	gdt[GDT_ENTRY_KERNEL_DS] = make_desc(0, flat, SEG_PRESENT | SEG_DPL(0) | SEG_CODE_DATA | SEG_RW, SEG_FLAGS_4K_32);
	gdt[GDT_ENTRY_USER_CS]   = make_desc(0, flat, SEG_PRESENT | SEG_DPL(3) | SEG_CODE_DATA | SEG_EXEC | SEG_RW, SEG_FLAGS_4K_32);
	gdt[GDT_ENTRY_USER_DS]   = make_desc(0, flat, SEG_PRESENT | SEG_DPL(3) | SEG_CODE_DATA | SEG_RW, SEG_FLAGS_4K_32);

	memset(&tss, 0, sizeof(tss));
	tss.ss0 = KERNEL_DS;
	tss.iomap_base = sizeof(tss);     /* no I/O bitmap: ring 3 gets no ports */
	gdt[GDT_ENTRY_TSS] = make_desc((uint32_t)&tss, sizeof(tss) - 1, SEG_PRESENT | SEG_TSS32, 0);
	load_gdt();
}

void
gdt_set_tls(const uint64_t tls[GDT_ENTRY_TLS_COUNT])
{
	memcpy(&gdt[GDT_ENTRY_TLS_MIN], tls, GDT_ENTRY_TLS_COUNT * sizeof(gdt[0]));
}

void
tss_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}
