/*
 * mmap_fixed_replace — MAP_FIXED over part of an existing mapping replaces
 * those pages: the new pages read zero (old contents gone), the address
 * returned is exactly the one asked for, and the pages around keep their
 * data. Replacing with PROT_READ makes the middle read-only (SEGV_ACCERR on
 * write) while the neighbours stay writable.
 */
#define TEST_NAME "mmap_fixed_replace"
#include "guest.h"

#define TOTAL_PAGES    8
#define FIRST_REPLACED 3
#define REPLACED_PAGES 2
#define SEED           0xF1F1

/* map_fixed - MAP_FIXED anonymous mapping at addr, which must be returned. */
static void
map_fixed(char *addr, size_t len, int prot)
{
	void *got = mmap(addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	CHECK_EQ_HEX("MAP_FIXED address", (uintptr_t)addr, (uintptr_t)got);
}

/* check_neighbours - pages outside the replaced range hold the pattern. */
static void
check_neighbours(const char *area)
{
	size_t before = FIRST_REPLACED * PAGE_SIZE;
	size_t after = (FIRST_REPLACED + REPLACED_PAGES) * PAGE_SIZE;

	CHECK_PATTERN_IN("pages before the replaced range", area, 0, before, SEED);
	CHECK_PATTERN_IN("pages after the replaced range", area, after,
			 TOTAL_PAGES * PAGE_SIZE - after, SEED);
}

int
main(void)
{
	char *area = map_anon(TOTAL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *middle = area + FIRST_REPLACED * PAGE_SIZE;
	size_t middle_len = REPLACED_PAGES * PAGE_SIZE;

	pattern_fill(area, TOTAL_PAGES * PAGE_SIZE, SEED);
	say("MAP_FIXED over pages %d..%d", FIRST_REPLACED, FIRST_REPLACED + REPLACED_PAGES - 1);
	map_fixed(middle, middle_len, PROT_READ | PROT_WRITE);
	CHECK_ZERO("replaced pages", middle, middle_len);
	check_neighbours(area);
	memset(middle, 0x42, middle_len);
	check_neighbours(area);

	say("MAP_FIXED read-only over the same pages");
	map_fixed(middle, middle_len, PROT_READ);
	CHECK_ZERO("read-only replacement", middle, middle_len);
	catch_faults();
	check_fault("write to the read-only replacement", try_write(middle, 1), SEGV_ACCERR, middle);
	CHECK(try_write(area, 1) == ACCESS_OK, "page before became unwritable");
	CHECK(try_write(middle + middle_len, 1) == ACCESS_OK, "page after became unwritable");
	say("MAP_FIXED replaced exactly the pages asked for");
	return 0;
}
