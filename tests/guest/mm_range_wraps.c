/*
 * mm_range_wraps — ranges that run past 4 GiB and wrap around to address 0
 * are refused by every mm system call that takes an address and a length,
 * and touch nothing: each call starts at the last page of the address space
 * and its length is chosen so that, wrapped, the range would end just past
 * a mapping p near the bottom. A kernel that computed end = start + len and
 * did not notice the wrap would zap, protect, lock or unmap p.
 *
 * The errno depends on the kernel's word size: a 32-bit kernel (anvil, i386
 * Linux) sees the sum wrap; a 64-bit kernel running this 32-bit program sees
 * a range above 4 GiB where nothing is mapped.
 *
 *   call        32-bit kernel   64-bit kernel
 *   munmap      EINVAL          EINVAL   (past the end of user space)
 *   mprotect    ENOMEM          ENOMEM
 *   madvise     EINVAL          ENOMEM
 *   mlock       EINVAL          ENOMEM
 *   munlock     EINVAL          ENOMEM
 *   mincore     ENOMEM          ENOMEM
 *   msync       ENOMEM          ENOMEM
 *   mremap      EFAULT          EFAULT   (nothing mapped at the start)
 *   brk         the break stays where it was
 *
 * After each call p still holds its pattern and is still writable.
 */
#define TEST_NAME "mm_range_wraps"
#include "guest.h"
#include <sys/syscall.h>
#include <sys/utsname.h>

#define P_PAGES    2
#define TOP_PAGE   0xFFFFF000u
#define P_SEED     0x3A4B

static char *p;
static uint32_t wrap_len;      /* TOP_PAGE + wrap_len == p + 2 pages, mod 2^32 */
static int kernel_64bit;

/* on_64bit_kernel - true when a 64-bit kernel runs this program (uname says
 * x86_64 to a 32-bit program that did not ask for another personality). */
static int
on_64bit_kernel(void)
{
	struct utsname u;

	CHECK_OK(uname(&u));
	return strcmp(u.machine, "x86_64") == 0;
}

/* by_width - the errno a 32-bit kernel gives, or the 64-bit kernel's. */
static int
by_width(int errno_32, int errno_64)
{
	return kernel_64bit ? errno_64 : errno_32;
}

/* p_untouched - p still has its data and can still be written. */
static void
p_untouched(const char *after)
{
	CHECK_PATTERN(after, p, P_PAGES * PAGE_SIZE, P_SEED);
	p[0] ^= 0x5a;
	p[0] ^= 0x5a;
}

static void
check_unmap_protect(void)
{
	CHECK_ERRNO(syscall(SYS_munmap, TOP_PAGE, wrap_len), EINVAL);
	p_untouched("munmap of a wrapping range");
	CHECK_ERRNO(syscall(SYS_mprotect, TOP_PAGE, wrap_len, PROT_READ), ENOMEM);
	p_untouched("mprotect of a wrapping range");
}

static void
check_advice_and_locks(void)
{
	CHECK_ERRNO(syscall(SYS_madvise, TOP_PAGE, wrap_len, MADV_DONTNEED), by_width(EINVAL, ENOMEM));
	p_untouched("madvise(MADV_DONTNEED) of a wrapping range");
	CHECK_ERRNO(syscall(SYS_mlock, TOP_PAGE, wrap_len), by_width(EINVAL, ENOMEM));
	p_untouched("mlock of a wrapping range");
	CHECK_ERRNO(syscall(SYS_munlock, TOP_PAGE, wrap_len), by_width(EINVAL, ENOMEM));
	p_untouched("munlock of a wrapping range");
}

static void
check_queries(void)
{
	unsigned char vec[P_PAGES];

	CHECK_ERRNO(syscall(SYS_mincore, TOP_PAGE, wrap_len, vec), ENOMEM);
	CHECK_ERRNO(syscall(SYS_msync, TOP_PAGE, wrap_len, MS_ASYNC), ENOMEM);
	CHECK_ERRNO(syscall(SYS_msync, TOP_PAGE, wrap_len, MS_SYNC), ENOMEM);
	p_untouched("mincore and msync of a wrapping range");
}

static void
check_mremap_and_brk(void)
{
	long brk_now = syscall(SYS_brk, 0);

	CHECK_ERRNO(syscall(SYS_mremap, TOP_PAGE, wrap_len, PAGE_SIZE, MREMAP_MAYMOVE, 0), EFAULT);
	p_untouched("mremap from the last page");
	CHECK_EQ_HEX("brk(0xFFFFF000) leaves the break", brk_now, syscall(SYS_brk, TOP_PAGE));
	CHECK_EQ_HEX("brk(0xFFFFFFFF) leaves the break", brk_now, syscall(SYS_brk, 0xFFFFFFFFu));
	p_untouched("brk past the end");
}

int
main(void)
{
	kernel_64bit = on_64bit_kernel();
	say("%d-bit kernel", kernel_64bit ? 64 : 32);
	p = map_anon(P_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	pattern_fill(p, P_PAGES * PAGE_SIZE, P_SEED);
	wrap_len = (uint32_t)(uintptr_t)p + P_PAGES * PAGE_SIZE - TOP_PAGE;
	say("munmap and mprotect");
	check_unmap_protect();
	say("madvise, mlock and munlock");
	check_advice_and_locks();
	say("mincore and msync");
	check_queries();
	say("mremap and brk");
	check_mremap_and_brk();
	CHECK_OK(munmap(p, P_PAGES * PAGE_SIZE));
	say("every wrapping range refused, nothing touched");
	return 0;
}
