/* kernel/exec.h — starting a program (see exec.c). */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#define PATH_MAX_EXEC 4096

/* execve from the kernel (the first process): kernel pointers; 0 or -errno.
 * On success the caller returns to user mode with arch_enter_user(). */
int kernel_execve(const char *path, const char *const *argv, const char *const *envp);
#endif
