/*
 * arch/x86/usercopy.S — the only instructions that touch user memory.
 *
 * Each routine may fault on a user address. The page-fault handler first
 * tries to resolve the fault like a user access (demand paging, COW); if
 * that fails it looks the faulting EIP up in the exception table
 * (__ex_table: pairs of "instruction, fixup") and resumes at the fixup,
 * which returns an error instead of oopsing.
 *
 *   size_t __copy_user(void *dst, const void *src, size_t n)
 *       returns the number of bytes NOT copied (0 on success)
 *   size_t __clear_user(void *dst, size_t n)
 *       returns the number of bytes NOT cleared
 *   long __strncpy_from_user(char *dst, const char *src, size_t max)
 *       returns the string length, max if no NUL came, or -EFAULT
 */
#define EFAULT 14

#define EXTABLE(insn, fixup)            \
	.pushsection __ex_table, "a";   \
	.long insn, fixup;              \
	.popsection

	.text
	.globl __copy_user, __clear_user, __strncpy_from_user

__copy_user:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
1:	rep movsb
2:	movl %ecx, %eax
	popl %edi
	popl %esi
	ret
	EXTABLE(1b, 2b)

__clear_user:
	pushl %edi
	movl 8(%esp), %edi
	movl 12(%esp), %ecx
	xorl %eax, %eax
3:	rep stosb
4:	movl %ecx, %eax
	popl %edi
	ret
	EXTABLE(3b, 4b)

__strncpy_from_user:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	xorl %edx, %edx               /* length so far */
5:	cmpl %ecx, %edx
	je 7f                          /* max bytes, no NUL: return max */
6:	movb (%esi,%edx), %al
	movb %al, (%edi,%edx)
	testb %al, %al
	je 7f
	incl %edx
	jmp 5b
7:	movl %edx, %eax
	popl %edi
	popl %esi
	ret
8:	movl $-EFAULT, %eax
	popl %edi
	popl %esi
	ret
	EXTABLE(6b, 8b)
