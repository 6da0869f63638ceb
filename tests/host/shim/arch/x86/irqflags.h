/*
 * tests/host/shim/arch/x86/irqflags.h — the interrupt flag, simulated.
 *
 * Host tests cannot run cli/sti, so the flag lives in a variable
 * (shim_eflags, defined in tests/host/shim/shim.c). The API is the one of
 * arch/x86/irqflags.h, so the lock layer compiles unchanged, and a test can
 * assert with irqs_disabled() that every irqsave was paired with its
 * restore. Interrupts start enabled, as they are once the kernel is up.
 */
#ifndef ARCH_X86_IRQFLAGS_H
#define ARCH_X86_IRQFLAGS_H

#include <stdint.h>
#include <stdbool.h>

#define EFLAGS_IF 0x00000200u   /* same value and spelling as arch/x86/cpu.h */

extern uint32_t shim_eflags;

/* Returns the simulated EFLAGS. */
static inline uint32_t arch_local_save_flags(void) { return shim_eflags; }
static inline void local_irq_disable(void) { shim_eflags &= ~EFLAGS_IF; }
static inline void local_irq_enable(void)  { shim_eflags |= EFLAGS_IF; }

/* Disables interrupts and returns the previous flags for local_irq_restore. */
static inline uint32_t local_irq_save(void)
{
	uint32_t f = arch_local_save_flags();

	local_irq_disable();
	return f;
}

/* Re-enables interrupts if they were enabled when flags were saved. */
static inline void local_irq_restore(uint32_t flags)
{
	if (flags & EFLAGS_IF)
		local_irq_enable();
}

static inline bool irqs_disabled(void) { return !(arch_local_save_flags() & EFLAGS_IF); }

#endif
