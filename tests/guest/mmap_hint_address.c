/*
 * mmap_hint_address — the address argument without MAP_FIXED is a hint:
 *   - a free, page-aligned hint is used exactly (as Linux does);
 *   - a hint inside an existing mapping gives some other address, the new
 *     mapping overlaps nothing, and the existing mapping keeps its data;
 *   - NULL lets the kernel choose, page-aligned.
 */
#define TEST_NAME "mmap_hint_address"
#include "guest.h"

#define REGION_PAGES   16
#define SEED           0x4141

/* map_hinted - anonymous read-write mapping with a hint (no MAP_FIXED). */
static char *
map_hinted(void *hint, size_t len)
{
	char *p = mmap(hint, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap with hint %p failed: %s", hint, errno_name(errno));
	return p;
}

/* overlaps - do [a, a+alen) and [b, b+blen) share a byte? */
static int
overlaps(const char *a, size_t alen, const char *b, size_t blen)
{
	return a < b + blen && b < a + alen;
}

int
main(void)
{
	size_t len = REGION_PAGES * PAGE_SIZE;

	say("a free hint is honoured");
	char *free_spot = map_anon(len, PROT_READ | PROT_WRITE);
	CHECK_OK(munmap(free_spot, len));
	char *got = map_hinted(free_spot, len);
	CHECK_EQ_HEX("address for a free hint", (uintptr_t)free_spot, (uintptr_t)got);
	pattern_fill(got, len, SEED);

	say("a hint inside a mapping is moved elsewhere");
	char *second = map_hinted(got + PAGE_SIZE, len);
	CHECK(second != got + PAGE_SIZE, "hint inside a mapping was used anyway");
	CHECK(!overlaps(got, len, second, len), "new mapping %p overlaps the old one %p",
	      (void *)second, (void *)got);
	CHECK_ZERO("new mapping", second, len);
	CHECK_PATTERN("old mapping after the hinted mmap", got, len, SEED);

	say("NULL lets the kernel choose");
	char *any = map_hinted(NULL, len);
	CHECK_EQ("page alignment of a kernel-chosen address", 0, (uintptr_t)any % PAGE_SIZE);
	CHECK(!overlaps(any, len, got, len) && !overlaps(any, len, second, len),
	      "kernel-chosen address overlaps an existing mapping");
	say("hints were honoured when free and moved when not");
	return 0;
}
