/*
 * mincore_residency — mincore on private anonymous memory, as on Linux (only
 * bit 0 of each vector byte is looked at):
 *   - a fresh mapping has no resident page;
 *   - after writing pages 0 and 2 exactly those are resident; after reading
 *     page 3 it is resident too (a read fault maps a page);
 *   - after MADV_DONTNEED of page 0 it is no longer resident, page 2 still is;
 *   - a PROT_NONE mapping may be queried: nothing resident;
 *   - a length that is not a page multiple covers the partial page; length 0
 *     returns 0 and writes nothing;
 *   - errors: unaligned address EINVAL; unmapped range ENOMEM (also when only
 *     the tail is unmapped: the entries of the mapped head are filled in
 *     first); a vector that cannot be written (unmapped, read-only) EFAULT.
 */
#define TEST_NAME "mincore_residency"
#include "guest.h"

#define PAGES     4
#define LEN       (PAGES * PAGE_SIZE)
#define UNTOUCHED 0xEE          /* vector bytes mincore must not write */

static unsigned char vec[PAGES + 4];

/* residency - mincore of pages into vec, which must succeed; returns a bit
 * mask: bit i set when page i is resident. */
static unsigned
residency(const char *what, char *p, int pages)
{
	unsigned mask = 0;

	memset(vec, UNTOUCHED, sizeof(vec));
	errno = 0;
	CHECK(mincore(p, pages * PAGE_SIZE, vec) == 0, "%s: mincore (expected 0, got %s)",
	      what, errno_name(errno));
	for (int i = 0; i < pages; i++)
		mask |= (vec[i] & 1u) << i;
	CHECK_EQ_HEX("vector byte past the range", UNTOUCHED, vec[pages]);
	return mask;
}

/* touching - writes and reads make pages resident, MADV_DONTNEED undoes it. */
static void
touching(char *p)
{
	say("a fresh mapping has no resident page");
	CHECK_EQ_HEX("resident pages of a fresh mapping", 0x0, residency("fresh", p, PAGES));

	say("writing pages 0 and 2, reading page 3");
	p[0] = 1;
	p[2 * PAGE_SIZE + 9] = 2;
	CHECK_EQ_HEX("resident pages after writing 0 and 2", 0x5,
		     residency("after writes", p, PAGES));
	(void)*(volatile char *)(p + 3 * PAGE_SIZE);
	CHECK_EQ_HEX("resident pages after reading 3", 0xD, residency("after read", p, PAGES));

	say("MADV_DONTNEED of page 0");
	CHECK_OK(madvise(p, PAGE_SIZE, MADV_DONTNEED));
	CHECK_EQ_HEX("resident pages after MADV_DONTNEED", 0xC,
		     residency("after MADV_DONTNEED", p, PAGES));
	CHECK_EQ("page 2 data", 2, p[2 * PAGE_SIZE + 9]);
}

/* lengths - PROT_NONE, partial page and zero lengths. */
static void
lengths(char *p)
{
	char *none = map_anon(PAGE_SIZE, PROT_NONE);

	say("PROT_NONE mapping, partial-page and zero lengths");
	CHECK_EQ_HEX("resident pages of a PROT_NONE mapping", 0x0,
		     residency("PROT_NONE", none, 1));
	CHECK_OK(munmap(none, PAGE_SIZE));

	memset(vec, UNTOUCHED, sizeof(vec));
	CHECK_OK(mincore(p + 2 * PAGE_SIZE, PAGE_SIZE + 1, vec));
	CHECK_EQ("page 2 resident (partial length)", 1, vec[0] & 1);
	CHECK_EQ("page 3 resident (partial length)", 1, vec[1] & 1);
	CHECK_EQ_HEX("vector byte after the partial page", UNTOUCHED, vec[2]);

	memset(vec, UNTOUCHED, sizeof(vec));
	CHECK_OK(mincore(p, 0, vec));
	CHECK_EQ_HEX("vector byte after a zero-length mincore", UNTOUCHED, vec[0]);
}

/* errors - EINVAL, ENOMEM, EFAULT. */
static void
errors(char *p)
{
	char *gone = unmapped_page();
	char *ro = map_anon(PAGE_SIZE, PROT_READ);
	char *head = map_anon(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);

	say("mincore errors");
	CHECK_ERRNO(mincore(p + 1, PAGE_SIZE, vec), EINVAL);
	CHECK_ERRNO(mincore(gone, PAGE_SIZE, vec), ENOMEM);

	head[0] = 1;
	CHECK_OK(munmap(head + PAGE_SIZE, PAGE_SIZE));
	memset(vec, UNTOUCHED, sizeof(vec));
	CHECK_ERRNO(mincore(head, 2 * PAGE_SIZE, vec), ENOMEM);
	CHECK_EQ("entry of the mapped head before ENOMEM", 1, vec[0] & 1);
	CHECK_EQ_HEX("entry of the unmapped tail", UNTOUCHED, vec[1]);

	CHECK_ERRNO(mincore(p, LEN, (unsigned char *)gone), EFAULT);
	CHECK_ERRNO(mincore(p, LEN, (unsigned char *)ro), EFAULT);
	CHECK_OK(munmap(head, PAGE_SIZE));
	CHECK_OK(munmap(ro, PAGE_SIZE));
}

int
main(void)
{
	char *p = map_anon(LEN, PROT_READ | PROT_WRITE);

	touching(p);
	lengths(p);
	errors(p);
	CHECK_OK(munmap(p, LEN));
	say("mincore reported residency and errors as Linux does");
	return 0;
}
