/*
 * tests/bench/guest/bench_vm.c — the user-visible costs of the VM, in
 * guest instructions: run by `make bench` under QEMU -icount shift=0,
 * where the TSC advances once per guest instruction, so rdtsc deltas are
 * instruction counts and repeat bit for bit. Each figure is the median of
 * REPEAT runs; it prints "BENCH name value unit" lines.
 *
 * It also runs on Linux (the figures are then cycles, not instructions).
 */
#include "bench.h"
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/syscall.h>

#define REPEAT 15
#define SYSCALL_LOOPS 1000
#define MMAP_LOOPS 200
#define FORK_PARENT_BYTES (4u << 20)
#define FAULT_BYTES (16u << 20)
#define COW_BYTES (4u << 20)

static void
bench_null_syscall(void)
{
	uint64_t runs[REPEAT];

	for (int r = 0; r < REPEAT; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < SYSCALL_LOOPS; i++)
			syscall(SYS_getppid);
		runs[r] = (rdtsc() - t0) / SYSCALL_LOOPS;
	}
	report("user.getppid", median(runs, REPEAT), "instructions per call");
}

static void
bench_fork_exit_wait(void)
{
	uint64_t runs[REPEAT];
	char *mem = touched_anon(FORK_PARENT_BYTES);

	for (int r = 0; r < REPEAT; r++) {
		uint64_t t0 = rdtsc();
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		runs[r] = rdtsc() - t0;
	}
	munmap(mem, FORK_PARENT_BYTES);
	report("user.fork_exit_wait_4MiB", median(runs, REPEAT), "instructions per fork+_exit+waitpid");
}

static void
bench_anon_fault(void)
{
	uint64_t runs[REPEAT];

	for (int r = 0; r < REPEAT; r++) {
		char *p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t t0 = rdtsc();

		for (size_t off = 0; off < FAULT_BYTES; off += PAGE)
			p[off] = 1;
		runs[r] = (rdtsc() - t0) / (FAULT_BYTES / PAGE);
		munmap(p, FAULT_BYTES);
	}
	report("user.anon_fault", median(runs, REPEAT), "instructions per page (16 MiB, write)");
}

static void
bench_cow_fault(void)
{
	uint64_t runs[REPEAT];
	char *mem = touched_anon(COW_BYTES);

	for (int r = 0; r < REPEAT; r++) {
		int fd[2];
		pid_t pid;

		if (pipe(fd))
			exit(1);
		pid = fork();
		if (pid == 0) {
			uint64_t t0 = rdtsc(), per_page;

			for (size_t off = 0; off < COW_BYTES; off += PAGE)
				mem[off] = 2;
			per_page = (rdtsc() - t0) / (COW_BYTES / PAGE);
			write(fd[1], &per_page, sizeof(per_page));
			_exit(0);
		}
		read(fd[0], &runs[r], sizeof(runs[r]));
		waitpid(pid, NULL, 0);
		close(fd[0]);
		close(fd[1]);
	}
	munmap(mem, COW_BYTES);
	report("user.cow_fault", median(runs, REPEAT), "instructions per page (child writes 4 MiB)");
}

static void
bench_mmap_munmap(void)
{
	uint64_t runs[REPEAT];

	for (int r = 0; r < REPEAT; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < MMAP_LOOPS; i++) {
			void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			munmap(p, PAGE);
		}
		runs[r] = (rdtsc() - t0) / MMAP_LOOPS;
	}
	report("user.mmap_munmap_1page", median(runs, REPEAT), "instructions per mmap+munmap");
}

int
main(void)
{
	bench_null_syscall();
	bench_fork_exit_wait();
	bench_anon_fault();
	bench_cow_fault();
	bench_mmap_munmap();
	return 0;
}
