/*
 * tests/bench/guest/bench_rmap.c — what reverse mapping costs user space,
 * in guest instructions (run by `make bench` under QEMU -icount shift=0,
 * where rdtsc counts guest instructions; see bench_vm.c). Each figure is
 * the median of REPEAT runs, printed as "BENCH name value unit":
 *
 *   user.soft_offline_1/8/64       madvise(MADV_SOFT_OFFLINE) of one page
 *                                  that 1, 8 or 64 processes map (COW,
 *                                  unwritten): every PTE found through rmap
 *                                  and rewritten. The same virtual page is
 *                                  offlined again in each run; it moves to
 *                                  a new frame each time.
 *   user.soft_offline_1000_vmas    the same for one page of a mapping split
 *                                  into 1,000 VMAs (alternate pages made
 *                                  read-only), all on one anon_vma: the walk
 *                                  must not pay for the VMAs that cannot
 *                                  map the page
 *   user.mremap_move_4MiB          mremap(MAYMOVE|FIXED) of 4 MiB of touched
 *                                  private memory to another address
 * Fork with anon_vma_fork is bench_vm's user.fork_exit_wait_4MiB.
 *
 * The kernel-side figures (rmap_walk, migrate_page_to) are rmap.* in
 * tests/bench/bench_rmap.c.
 *
 * It also runs on Linux (the figures are then cycles, not instructions);
 * there the soft-offline figures are skipped (no /proc/sys/vm/rmap_check:
 * not anvil, and a host's frames are not ours to retire).
 */
#define _GNU_SOURCE
#include "bench.h"
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define REPEAT 7
#define MOVE_BYTES (4u << 20)
#define SPLIT_VMAS 1000
#define RMAP_CHECK_PATH "/proc/sys/vm/rmap_check"

/* start_sharers - fork n children that keep the parent's address space
 * (and so the page) until the pipe's write end closes; returns that end. */
static int
start_sharers(int n, pid_t *pids)
{
	int fd[2];

	if (pipe(fd))
		die("pipe");
	for (int i = 0; i < n; i++) {
		char byte;

		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			close(fd[1]);
			while (read(fd[0], &byte, 1) > 0)
				;
			_exit(0);
		}
	}
	close(fd[0]);
	return fd[1];
}

static void
stop_sharers(int fd, int n, const pid_t *pids)
{
	close(fd);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

/* bench_soft_offline - one page mapped by `mappers` processes (this one and
 * mappers - 1 children), offlined REPEAT times. */
static void
bench_soft_offline(int mappers)
{
	static pid_t pids[64];
	uint64_t runs[REPEAT];
	char name[48];
	char *page = touched_anon(PAGE);
	int fd = start_sharers(mappers - 1, pids);

	for (int r = 0; r < REPEAT; r++) {
		uint64_t t0 = rdtsc();

		if (madvise(page, PAGE, MADV_SOFT_OFFLINE))
			die("madvise(MADV_SOFT_OFFLINE)");
		runs[r] = rdtsc() - t0;
	}
	stop_sharers(fd, mappers - 1, pids);
	munmap(page, PAGE);
	snprintf(name, sizeof(name), "user.soft_offline_%d", mappers);
	report(name, median(runs, REPEAT), mappers == 1 ? "instructions per page, 1 mapper"
						  : "instructions per page shared COW by all mappers");
}

/* bench_soft_offline_split - one page of a mapping split into SPLIT_VMAS
 * VMAs by mprotect on every other page, offlined REPEAT times. */
static void
bench_soft_offline_split(void)
{
	uint64_t runs[REPEAT];
	char *map = touched_anon(SPLIT_VMAS * PAGE), *page = map + SPLIT_VMAS / 2 * PAGE;

	for (unsigned i = 1; i < SPLIT_VMAS; i += 2)
		if (mprotect(map + i * PAGE, PAGE, PROT_READ))
			die("mprotect");
	for (int r = 0; r < REPEAT; r++) {
		uint64_t t0 = rdtsc();

		if (madvise(page, PAGE, MADV_SOFT_OFFLINE))
			die("madvise(MADV_SOFT_OFFLINE)");
		runs[r] = rdtsc() - t0;
	}
	munmap(map, SPLIT_VMAS * PAGE);
	report("user.soft_offline_1000_vmas", median(runs, REPEAT),
	       "instructions per page, its mapping split into 1,000 VMAs");
}

static void
bench_mremap_move(void)
{
	uint64_t runs[REPEAT];

	for (int r = 0; r < REPEAT; r++) {
		char *src = touched_anon(MOVE_BYTES);
		char *dst = mmap(NULL, MOVE_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t t0;
		void *got;

		if (dst == MAP_FAILED)
			die("mmap");
		t0 = rdtsc();
		got = mremap(src, MOVE_BYTES, MOVE_BYTES, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		runs[r] = rdtsc() - t0;
		if (got != dst)
			die("mremap");
		munmap(dst, MOVE_BYTES);
	}
	report("user.mremap_move_4MiB", median(runs, REPEAT), "instructions per mremap (4 MiB touched)");
}

int
main(void)
{
	static const int mappers[] = { 1, 8, 64 };

	if (access(RMAP_CHECK_PATH, R_OK) == 0) {
		for (size_t i = 0; i < sizeof(mappers) / sizeof(mappers[0]); i++)
			bench_soft_offline(mappers[i]);
		bench_soft_offline_split();
	} else {
		printf("# user.soft_offline_1/8/64/1000_vmas skipped: not anvil (no %s), "
		       "a host's frames are not ours to offline\n", RMAP_CHECK_PATH);
	}
	bench_mremap_move();
	return 0;
}
