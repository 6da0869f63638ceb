/*
 * boot/entry.S — the first instructions of anvil.
 *
 * GRUB enters _start in 32-bit protected mode with paging off, EAX holding
 * the multiboot magic and EBX the physical address of the multiboot info.
 * The kernel is linked at 0xC0100000 but loaded at 0x00100000, so until
 * paging is on only absolute immediates and short relative jumps are safe.
 *
 * The boot page directory maps the first EARLY_MAP_LIMIT (64 MiB) of
 * physical memory twice with 4 MiB pages: at 0 (so the instruction after
 * "enable paging" still exists) and at KERNEL_VIRT_BASE (where we jump).
 * mm/paging_init.c replaces it with the real kernel page tables.
 */
#include <arch/x86/memlayout.h>
#include <arch/x86/mmu.h>
#include <boot/multiboot.h>

#define MB_FLAGS (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)
#define BOOT_STACK_SIZE 16384
#define EARLY_PDES (EARLY_MAP_LIMIT >> PGDIR_SHIFT)
#define PDE_4M_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE)

	.section .multiboot, "a"
	.align 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

	.section .boot.text, "ax"
	.globl _start
_start:
	cli
	movl $(boot_pgdir - KERNEL_VIRT_BASE), %ecx
	movl %ecx, %cr3
	movl %cr4, %ecx
	orl $CR4_PSE, %ecx
	movl %ecx, %cr4
	movl %cr0, %ecx
	orl $(CR0_PG | CR0_WP), %ecx
	movl %ecx, %cr0
	movl $higher_half, %ecx
	jmp *%ecx

	.text
higher_half:
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp              /* ends every backtrace */
	pushl %ebx                   /* multiboot info (physical) */
	pushl %eax                   /* multiboot magic */
	call kmain
1:	cli
	hlt
	jmp 1b

	.section .data.boot_pgdir, "aw"
	.align 4096
	.globl boot_pgdir
boot_pgdir:
	.set pde, 0
	.rept EARLY_PDES
	.long (pde << PGDIR_SHIFT) | PDE_4M_KERNEL
	.set pde, pde + 1
	.endr
	.fill (KERNEL_VIRT_BASE >> PGDIR_SHIFT) - EARLY_PDES, 4, 0
	.set pde, 0
	.rept EARLY_PDES
	.long (pde << PGDIR_SHIFT) | PDE_4M_KERNEL
	.set pde, pde + 1
	.endr
	.fill 1024 - (KERNEL_VIRT_BASE >> PGDIR_SHIFT) - EARLY_PDES, 4, 0

	.section .bss.boot_stack, "aw", @nobits
	.align 16
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
