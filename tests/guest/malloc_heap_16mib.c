/*
 * malloc_heap_16mib — malloc at scale through musl: one 16 MiB block written
 * completely and checked by checksum, then thousands of small blocks of
 * seeded random sizes, each with its own pattern, checked after all were
 * allocated, half freed and reallocated, and grown with realloc.
 */
#define TEST_NAME "malloc_heap_16mib"
#include "guest.h"

#define BIG_SIZE       (16 * MiB)
#define BIG_SEED       0x16161616
#define SMALL_COUNT    2000
#define SMALL_MAX      4096
#define RNG_SEED       12345u
#define REALLOC_FACTOR 3

static char *blocks[SMALL_COUNT];
static size_t sizes[SMALL_COUNT];

/* pattern_checksum - the checksum of len bytes of pattern seed, computed
 * without a buffer (len must be a multiple of 4). */
static uint32_t
pattern_checksum(size_t len, uint32_t seed)
{
	uint32_t h = CHECKSUM_INIT;

	for (size_t i = 0; i < len / 4; i++)
		h = checksum_step(h, pattern_word(seed, i));
	return h;
}

/* check_big_block - 16 MiB from malloc, filled and checked by checksum. */
static void
check_big_block(void)
{
	char *big = malloc(BIG_SIZE);

	CHECK(big != NULL, "malloc(16 MiB) returned NULL");
	pattern_fill(big, BIG_SIZE, BIG_SEED);
	CHECK_EQ_HEX("checksum of the 16 MiB block", pattern_checksum(BIG_SIZE, BIG_SEED),
		     checksum(big, BIG_SIZE));
	CHECK_PATTERN("16 MiB block", big, BIG_SIZE, BIG_SEED);
	free(big);
}

/* alloc_block - block i gets a random size and its own pattern. */
static void
alloc_block(int i, uint32_t *rng)
{
	sizes[i] = 1 + rng_next(rng) % SMALL_MAX;
	blocks[i] = malloc(sizes[i]);
	CHECK(blocks[i] != NULL, "malloc(%zu) returned NULL", sizes[i]);
	pattern_fill(blocks[i], sizes[i], (uint32_t)i);
}

/* check_all_blocks - every small block still holds its own pattern. */
static void
check_all_blocks(const char *when)
{
	char what[64];

	for (int i = 0; i < SMALL_COUNT; i++) {
		snprintf(what, sizeof(what), "%s: block %d", when, i);
		CHECK_PATTERN(what, blocks[i], sizes[i], (uint32_t)i);
	}
}

/* check_small_blocks - allocate, free half, reallocate, grow; check each time. */
static void
check_small_blocks(void)
{
	uint32_t rng = RNG_SEED;

	for (int i = 0; i < SMALL_COUNT; i++)
		alloc_block(i, &rng);
	check_all_blocks("after allocation");

	for (int i = 0; i < SMALL_COUNT; i += 2)
		free(blocks[i]);
	for (int i = 0; i < SMALL_COUNT; i += 2)
		alloc_block(i, &rng);
	check_all_blocks("after freeing and reallocating half");

	for (int i = 1; i < SMALL_COUNT; i += 2) {
		size_t old = sizes[i];
		sizes[i] = old * REALLOC_FACTOR;
		blocks[i] = realloc(blocks[i], sizes[i]);
		CHECK(blocks[i] != NULL, "realloc returned NULL");
		CHECK_PATTERN("realloc kept the old bytes", blocks[i], old, (uint32_t)i);
		pattern_fill(blocks[i], sizes[i], (uint32_t)i);
	}
	check_all_blocks("after realloc");
	for (int i = 0; i < SMALL_COUNT; i++)
		free(blocks[i]);
}

int
main(void)
{
	say("one 16 MiB block");
	check_big_block();
	say("%d small blocks", SMALL_COUNT);
	check_small_blocks();
	say("the heap kept every byte");
	return 0;
}
