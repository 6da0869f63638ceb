/* arch/x86/pit.h — the 8253/8254 programmable interval timer, channel 0. */
#ifndef ARCH_X86_PIT_H
#define ARCH_X86_PIT_H

#define PIT_INPUT_HZ 1193182u

/* Programs channel 0 to interrupt hz times a second on IRQ 0. */
void pit_init(unsigned hz);
#endif
