/*
 * mmap_bad_arguments — mmap, munmap and mprotect reject bad arguments with the
 * exact errno and change nothing:
 *   mmap  EINVAL  length 0; both MAP_PRIVATE and MAP_SHARED; neither;
 *                 MAP_FIXED at an unaligned address; an unaligned offset
 *   mmap  ENOMEM  a length that wraps the address space (0xFFFFF000,
 *                 0xFFFFFFFF); MAP_FIXED running past the end of it
 *   munmap EINVAL unaligned address; length 0
 *   mprotect EINVAL unaligned address;  ENOMEM  a range that is not mapped
 * musl checks some of these itself, so mmap2/munmap/mprotect are called raw;
 * the unaligned offset can only be passed through musl's mmap (mmap2 takes
 * the offset in pages), which must refuse it.
 */
#define TEST_NAME "mmap_bad_arguments"
#include "guest.h"
#include <sys/syscall.h>

#define RW             (PROT_READ | PROT_WRITE)
#define ANON           MAP_ANONYMOUS
#define UNALIGNED_BY   1
#define WRAP_LENGTH    0xFFFFF000u
#define MAX_LENGTH     0xFFFFFFFFu
#define NEAR_TOP_ADDR  0xFFFFE000u             /* two pages from the end */
#define PAST_TOP_LEN   (4 * PAGE_SIZE)

/* raw_mmap - the kernel's mmap2 with no libc checks. */
static long
raw_mmap(uintptr_t addr, size_t len, int prot, int flags)
{
	return syscall(SYS_mmap2, addr, len, prot, flags, -1, 0);
}

/* check_mmap_einval - the EINVAL cases of mmap. */
static void
check_mmap_einval(char *scratch)
{
	uintptr_t unaligned = (uintptr_t)scratch + UNALIGNED_BY;

	CHECK_ERRNO(raw_mmap(0, 0, RW, MAP_PRIVATE | ANON), EINVAL);
	CHECK_ERRNO(raw_mmap(0, PAGE_SIZE, RW, MAP_PRIVATE | MAP_SHARED | ANON), EINVAL);
	CHECK_ERRNO(raw_mmap(0, PAGE_SIZE, RW, ANON), EINVAL);
	CHECK_ERRNO(raw_mmap(unaligned, PAGE_SIZE, RW, MAP_PRIVATE | MAP_FIXED | ANON), EINVAL);
	CHECK_ERRNO(mmap(NULL, PAGE_SIZE, RW, MAP_PRIVATE | ANON, -1, UNALIGNED_BY), EINVAL);
}

/* check_mmap_enomem - lengths and fixed ranges that do not fit are ENOMEM. */
static void
check_mmap_enomem(void)
{
	CHECK_ERRNO(raw_mmap(0, WRAP_LENGTH, RW, MAP_PRIVATE | ANON), ENOMEM);
	CHECK_ERRNO(raw_mmap(0, MAX_LENGTH, RW, MAP_PRIVATE | ANON), ENOMEM);
	CHECK_ERRNO(raw_mmap(NEAR_TOP_ADDR, PAST_TOP_LEN, RW, MAP_PRIVATE | MAP_FIXED | ANON), ENOMEM);
}

/* check_munmap_mprotect - argument errors of munmap and mprotect. */
static void
check_munmap_mprotect(char *scratch)
{
	char *hole = unmapped_page();

	CHECK_ERRNO(syscall(SYS_munmap, scratch + UNALIGNED_BY, PAGE_SIZE), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, scratch, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_mprotect, scratch + UNALIGNED_BY, PAGE_SIZE, PROT_READ), EINVAL);
	CHECK_ERRNO(syscall(SYS_mprotect, hole, PAGE_SIZE, PROT_READ), ENOMEM);
	CHECK_EQ("munmap of an unmapped page succeeds", 0, syscall(SYS_munmap, hole, PAGE_SIZE));
}

int
main(void)
{
	char *scratch = map_anon(2 * PAGE_SIZE, RW);

	pattern_fill(scratch, 2 * PAGE_SIZE, 1);
	say("mmap EINVAL cases");
	check_mmap_einval(scratch);
	say("mmap ENOMEM cases");
	check_mmap_enomem();
	say("munmap and mprotect argument errors");
	check_munmap_mprotect(scratch);
	CHECK_PATTERN("mapping untouched by the refused calls", scratch, 2 * PAGE_SIZE, 1);
	scratch[0] = 1;                            /* still writable */
	say("bad arguments refused with the right errno");
	return 0;
}
