/*
 * unknown_syscall_enosys — a system call number nobody implements returns
 * -1 with ENOSYS and changes nothing: numbers far above the table (999,
 * 4096, 0x7fffffff) and the negative number -1. The process continues
 * normally afterwards (getpid still works and data is intact).
 */
#define TEST_NAME "unknown_syscall_enosys"
#include "guest.h"
#include <sys/syscall.h>

#define SEED           0x5EE5

int
main(void)
{
	static const long numbers[] = { 999, 4096, 0x7fffffff, -1 };
	char data[PAGE_SIZE];
	pid_t pid = getpid();

	pattern_fill(data, sizeof(data), SEED);
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		say("syscall(%ld)", numbers[i]);
		CHECK_ERRNO(syscall(numbers[i], 1, 2, 3, 4, 5, 6), ENOSYS);
	}
	CHECK_EQ("getpid after unknown calls", pid, getpid());
	CHECK_PATTERN("stack data after unknown calls", data, sizeof(data), SEED);
	say("unknown system calls returned ENOSYS");
	return 0;
}
