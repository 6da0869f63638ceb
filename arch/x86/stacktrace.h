/* arch/x86/stacktrace.h — frame-pointer backtraces with symbol names. */
#ifndef ARCH_X86_STACKTRACE_H
#define ARCH_X86_STACKTRACE_H

#include <stdint.h>

/* Prints "[<addr>] symbol+off/size" for eip, then for each caller found by
 * following the saved-EBP chain that starts at ebp. */
void show_backtrace(uint32_t eip, uint32_t ebp);
#endif
