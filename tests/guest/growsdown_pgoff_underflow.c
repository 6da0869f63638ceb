/*
 * growsdown_pgoff_underflow — a MAP_GROWSDOWN mapping never grows below
 * page offset 0. A private anonymous mapping's page offset is its address
 * in pages when it is made, and mremap keeps it: made at MMAP_MIN_ADDR
 * (offset LOW_PGOFF pages) and moved high, it may grow down by LOW_PGOFF
 * pages and no more; one page further is SIGSEGV (SEGV_MAPERR), as on
 * Linux (expand_downwards: grow <= vm_pgoff). anvil's expand_stack used to
 * subtract without looking, and the offset wrapped around (found while
 * fixing what syscall_fuzz found: shared and file mappings growing down).
 */
#define TEST_NAME "growsdown_pgoff_underflow"
#include "guest.h"
#include "vm_probe.h"
#include <sys/syscall.h>

#define RW           (PROT_READ | PROT_WRITE)
#define LOW_ADDR     0x10000u                  /* vm.mmap_min_addr */
#define LOW_PGOFF    (LOW_ADDR / PAGE_SIZE)
#define ROOM_PAGES   1024                      /* free below the new place */
#define SEED         0x2b07

int
main(void)
{
	char *high = free_range(ROOM_PAGES + 1) + ROOM_PAGES * PAGE_SIZE;

	say("a one-page MAP_GROWSDOWN mapping at 0x%x, moved to %p", LOW_ADDR, (void *)high);
	char *low = mmap((void *)(uintptr_t)LOW_ADDR, PAGE_SIZE, RW,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(low == (char *)(uintptr_t)LOW_ADDR, "mmap at 0x%x (got %p with %s)", LOW_ADDR,
	      (void *)low, errno_name(errno));
	pattern_fill(low, PAGE_SIZE, SEED);
	char *p = (char *)syscall(SYS_mremap, low, PAGE_SIZE, PAGE_SIZE,
				  MREMAP_MAYMOVE | MREMAP_FIXED, high);
	CHECK(p == high, "mremap (expected %p, got %p with %s)", (void *)high, (void *)p,
	      errno_name(errno));
	CHECK_PATTERN("the moved page", p, PAGE_SIZE, SEED);

	say("it grows down by %u pages", LOW_PGOFF);
	char *lowest = p - LOW_PGOFF * PAGE_SIZE;
	*lowest = 0x77;
	CHECK_EQ("byte at page offset 0", 0x77, *lowest);
	CHECK_PATTERN("the moved page after the growth", p, PAGE_SIZE, SEED);

	say("one page more is SIGSEGV");
	char *below = lowest - 1;
	catch_faults();
	check_fault("read below page offset 0", try_read(below), SEGV_MAPERR, below);
	check_access_kills("child writing below page offset 0", below, ACCESS_WRITE);
	if (running_on_anvil())
		check_rmap_consistent("after the growth");
	CHECK_OK(munmap(lowest, (LOW_PGOFF + 1) * PAGE_SIZE));
	say("the mapping stopped at page offset 0");
	return 0;
}
