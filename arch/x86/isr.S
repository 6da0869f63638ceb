/*
 * arch/x86/isr.S — the entry stubs for every vector anvil handles.
 *
 * Each stub makes the stack look the same (a dummy error code where the
 * CPU pushes none, then the vector number) and jumps to trap_common, which
 * completes the struct trapframe (arch/x86/trap.h), calls trap(tf) and
 * returns with iret. isr_stub_table lists the stub of each vector for
 * idt.c; vectors without a stub are left not-present.
 */
#include <arch/x86/segments.h>
#include <arch/x86/trap.h>

	.altmacro


.macro STUB vec
	.text
	.align 8
isr_\vec:
	.if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21)
	pushl $0
	.endif
	pushl $\vec
	jmp trap_common
	.section .rodata.isr_table, "a"
	.long isr_\vec
	.text
.endm

	.section .rodata.isr_table, "a"
	.align 4
	.globl isr_stub_table
isr_stub_table:

	.set v, 0
	.rept IRQ_BASE + IRQ_COUNT
	STUB %v
	.set v, v + 1
	.endr

	.section .rodata.isr_table, "a"
	.long isr_syscall
	.text
isr_syscall:
	pushl $0
	pushl $T_SYSCALL
	jmp trap_common

	.text
	.globl trap_common, trap_return
trap_common:
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	cld                          /* C code assumes DF clear; user space may have set it */
	pushl %esp                   /* struct trapframe * */
	call trap
	addl $4, %esp
trap_return:
	popal
	/* A selector whose descriptor went away (a cleared TLS slot) faults
	 * here; the fixup replaces it with the null selector and retries. */
9:	popl %gs
10:	popl %fs
11:	popl %es
12:	popl %ds
	addl $8, %esp                /* vector and error code */
	iret

	.section .text.fixup, "ax"
13:	movl $0, (%esp)
	jmp 9b
14:	movl $0, (%esp)
	jmp 10b
15:	movl $USER_DS, (%esp)
	jmp 11b
16:	movl $USER_DS, (%esp)
	jmp 12b
	.previous
	.pushsection __ex_table, "a"
	.long 9b, 13b, 10b, 14b, 11b, 15b, 12b, 16b
	.popsection
