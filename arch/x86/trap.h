/*
 * arch/x86/trap.h — the trap frame: what an interrupt, exception or system
 * call leaves on the kernel stack, lowest address first.
 *
 *   pushed by      fields
 *   isr.S pusha    edi esi ebp esp_pusha ebx edx ecx eax
 *   isr.S          gs fs es ds
 *   isr.S stub     vector, err (0 when the CPU pushes none)
 *   CPU            eip cs eflags [user_esp user_ss: only from ring 3]
 */
#ifndef ARCH_X86_TRAP_H
#define ARCH_X86_TRAP_H

#define T_DIVIDE   0
#define T_DEBUG    1
#define T_NMI      2
#define T_BRKPT    3
#define T_OFLOW    4
#define T_BOUND    5
#define T_ILLOP    6
#define T_DEVICE   7
#define T_DBLFLT   8
#define T_TSS      10
#define T_SEGNP    11
#define T_STACK    12
#define T_GPFLT    13
#define T_PGFLT    14
#define T_FPERR    16
#define T_ALIGN    17
#define T_MCHK     18
#define T_SIMDERR  19
#define T_EXCEPTIONS 32
#define IRQ_BASE   32          /* PIC lines 0..15 arrive as vectors 32..47 */
#define IRQ_COUNT  16
#define T_SYSCALL  0x80

/*
 * The page-fault error code:
 *    bit 0  P  0 = page not present, 1 = protection violation
 *    bit 1  W  the access was a write
 *    bit 2  U  the access came from ring 3
 *    bit 3  R  a reserved bit was set in a paging entry
 *    bit 4  I  the access was an instruction fetch
 */
#define PF_PROT  0x01
#define PF_WRITE 0x02
#define PF_USER  0x04
#define PF_RSVD  0x08
#define PF_INSTR 0x10

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stdbool.h>

struct trapframe {
	uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
	uint32_t gs, fs, es, ds;
	uint32_t vector, err;
	uint32_t eip, cs, eflags;
	uint32_t user_esp, user_ss;     /* valid only when trap_from_user() */
};

static inline bool trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

typedef void (*irq_handler_t)(struct trapframe *tf);

void idt_init(void);
void trap(struct trapframe *tf);
void irq_register(unsigned irq, irq_handler_t handler);
const char *trap_name(unsigned vector);
/* Oopses on an exception the kernel cannot handle; never returns. */
void die(struct trapframe *tf) __attribute__((noreturn));
void do_page_fault(struct trapframe *tf, uint32_t cr2);
/* If tf->eip is a user-access instruction, moves it to its fixup (uaccess.c). */
bool fixup_exception(struct trapframe *tf);
#endif

#endif
