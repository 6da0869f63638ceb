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

/* Both move whole words first (rep movsl: one instruction per 4 bytes, which is
 * what -icount counts), then the 0-3 bytes left. A fault in the word loop
 * leaves ecx words and edx bytes undone: the fixup turns them into bytes. */
__copy_user:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	movl %ecx, %edx
	shrl $2, %ecx
	andl $3, %edx
1:	rep movsl
	movl %edx, %ecx
2:	rep movsb
3:	movl %ecx, %eax
	popl %edi
	popl %esi
	ret
11:	leal (%edx,%ecx,4), %ecx
	jmp 3b
	EXTABLE(1b, 11b)
	EXTABLE(2b, 3b)

__clear_user:
	pushl %edi
	movl 8(%esp), %edi
	movl 12(%esp), %ecx
	movl %ecx, %edx
	shrl $2, %ecx
	andl $3, %edx
	xorl %eax, %eax
13:	rep stosl
	movl %edx, %ecx
14:	rep stosb
4:	movl %ecx, %eax
	popl %edi
	ret
12:	leal (%edx,%ecx,4), %ecx
	jmp 4b
	EXTABLE(13b, 12b)
	EXTABLE(14b, 4b)

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
