/*
 * stack_growth_deep — the stack grows on demand far below where it started:
 *   - recursion 256 frames deep, each frame holding a 4 KiB array filled with
 *     its own pattern and checked again on the way back up (1 MiB in all);
 *   - alloca of 1 MiB written from its lowest byte upwards (the first touch
 *     is a whole MiB below the previous stack pointer), then checked.
 * Both must reach at least 1 MiB below main's frame.
 */
#define TEST_NAME "stack_growth_deep"
#include "guest.h"
#include <alloca.h>

#define FRAME_BYTES    (4 * KiB)
#define DEPTH          256                     /* 256 x 4 KiB = 1 MiB */
#define ALLOCA_BYTES   (1 * MiB)
#define ALLOCA_SEED    0xA110CA

static uintptr_t lowest_frame;

/* recurse - one 4 KiB frame per level; returns the number of levels whose data
 * survived the deeper calls. */
static __attribute__((noinline)) int
recurse(int level)
{
	volatile char frame[FRAME_BYTES];

	pattern_fill((char *)frame, FRAME_BYTES, (uint32_t)level);
	if ((uintptr_t)frame < lowest_frame)
		lowest_frame = (uintptr_t)frame;
	int intact = level + 1 < DEPTH ? recurse(level + 1) : 0;
	if (pattern_mismatch((char *)frame, FRAME_BYTES, (uint32_t)level) < 0)
		intact++;
	return intact;
}

/* use_alloca - a 1 MiB alloca written bottom-up; returns its address. */
static __attribute__((noinline)) uintptr_t
use_alloca(void)
{
	char *block = alloca(ALLOCA_BYTES);

	for (size_t off = 0; off < ALLOCA_BYTES; off += PAGE_SIZE)
		pattern_fill(block + off, PAGE_SIZE, ALLOCA_SEED + (uint32_t)off);
	for (size_t off = 0; off < ALLOCA_BYTES; off += PAGE_SIZE)
		CHECK_PATTERN("alloca page", block + off, PAGE_SIZE, ALLOCA_SEED + (uint32_t)off);
	return (uintptr_t)block;
}

int
main(void)
{
	char marker;
	uintptr_t top = (uintptr_t)&marker;

	say("recursion %d frames of %u bytes", DEPTH, FRAME_BYTES);
	lowest_frame = top;
	CHECK_EQ("frames whose data survived", DEPTH, recurse(0));
	CHECK(top - lowest_frame >= ALLOCA_BYTES, "recursion reached only %lu bytes down",
	      (unsigned long)(top - lowest_frame));

	say("alloca of 1 MiB, first touched at its bottom");
	uintptr_t block = use_alloca();
	CHECK(top - block >= ALLOCA_BYTES, "alloca block only %lu bytes down",
	      (unsigned long)(top - block));
	say("the stack grew over 1 MiB and kept its data");
	return 0;
}
