/*
 * arch/x86/pic.c — the 8259A pair. At reset they deliver IRQs 0-7 on
 * vectors 8-15, on top of CPU exceptions; pic_init() moves IRQ 0-15 to
 * vectors IRQ_BASE..IRQ_BASE+15 and masks every line until a driver
 * unmasks its own.
 */
#include <arch/x86/pic.h>
#include <arch/x86/trap.h>
#include <arch/x86/cpu.h>

#define PIC1_CMD   0x20
#define PIC1_DATA  0x21
#define PIC2_CMD   0xA0
#define PIC2_DATA  0xA1
#define ICW1_INIT_ICW4 0x11   /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086  0x01
#define PIC_EOI    0x20
#define CASCADE_IRQ 2

static uint16_t irq_mask = 0xFFFF & ~(1u << CASCADE_IRQ);

static void
pic_write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xFF);
	outb(PIC2_DATA, irq_mask >> 8);
}

void
pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);   io_wait();
	outb(PIC2_CMD, ICW1_INIT_ICW4);   io_wait();
	outb(PIC1_DATA, IRQ_BASE);        io_wait();   /* ICW2: vector base */
	outb(PIC2_DATA, IRQ_BASE + 8);    io_wait();
	outb(PIC1_DATA, 1u << CASCADE_IRQ); io_wait(); /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, CASCADE_IRQ);     io_wait();
	outb(PIC1_DATA, ICW4_8086);       io_wait();
	outb(PIC2_DATA, ICW4_8086);       io_wait();
	pic_write_mask();
}

void
pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

void
pic_unmask(unsigned irq)
{
	irq_mask &= ~(1u << irq);
	pic_write_mask();
}

void
pic_mask(unsigned irq)
{
	irq_mask |= 1u << irq;
	pic_write_mask();
}
