/*
 * arch/x86/irqflags.h — the interrupt flag: save/disable/restore.
 * The lock layer (kernel/spinlock.h) is built on these; host tests replace
 * this header with no-ops (tests/host/shim/arch/x86/irqflags.h).
 */
#ifndef ARCH_X86_IRQFLAGS_H
#define ARCH_X86_IRQFLAGS_H

#include <stdint.h>
#include <stdbool.h>

static inline uint32_t arch_local_save_flags(void)
{
	uint32_t f;
	__asm__ volatile("pushf; pop %0" : "=rm"(f) : : "memory");
	return f;
}
static inline void local_irq_disable(void) { __asm__ volatile("cli" : : : "memory"); }
static inline void local_irq_enable(void)  { __asm__ volatile("sti" : : : "memory"); }

/* Disable interrupts and return the previous flags for local_irq_restore. */
static inline uint32_t local_irq_save(void)
{
	uint32_t f = arch_local_save_flags();
	local_irq_disable();
	return f;
}
static inline void local_irq_restore(uint32_t flags)
{
	if (flags & 0x200u)
		local_irq_enable();
}
static inline bool irqs_disabled(void) { return !(arch_local_save_flags() & 0x200u); }

#endif
