/*
 * arch/x86/idt.c — the interrupt descriptor table.
 *
 * Every exception and IRQ vector gets an interrupt gate (interrupts off on
 * entry) reachable only from ring 0; int 0x80 is reachable from ring 3.
 * The stubs are in isr.S, in vector order, followed by the syscall stub.
 */
#include <arch/x86/trap.h>
#include <arch/x86/segments.h>

#define GATE_INT32   0x8E          /* present, DPL 0, 32-bit interrupt gate */
#define GATE_DPL3    0x60
#define IDT_VECTORS  256

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t zero;
	uint8_t type;
	uint16_t off_hi;
} __attribute__((packed));

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(8)));
extern const uint32_t isr_stub_table[];

static void
set_gate(unsigned vector, uint32_t handler, uint8_t type)
{
	idt[vector] = (struct idt_gate){
		.off_lo = handler & 0xFFFF,
		.sel = KERNEL_CS,
		.type = type,
		.off_hi = handler >> 16,
	};
}

void
idt_init(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr = {
		sizeof(idt) - 1, (uint32_t)idt
	};
	unsigned v;

	for (v = 0; v < IRQ_BASE + IRQ_COUNT; v++)
		set_gate(v, isr_stub_table[v], GATE_INT32);
	set_gate(T_SYSCALL, isr_stub_table[v], GATE_INT32 | GATE_DPL3);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
