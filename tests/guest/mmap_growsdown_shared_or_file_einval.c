/*
 * mmap_growsdown_shared_or_file_einval — only private anonymous memory may
 * grow down: MAP_GROWSDOWN with MAP_SHARED, or with a file (shared or
 * private), fails with EINVAL and maps nothing, as on Linux. (anvil used to
 * accept them; growing such a mapping down gave its VMA an object or file
 * offset below 0, and the reverse map lost every page at a "negative"
 * offset: found by syscall_fuzz.) MAP_PRIVATE | MAP_ANONYMOUS |
 * MAP_GROWSDOWN still grows down on a touch below it, keeping what was
 * written above, and anvil's rmap checker stays at 0.
 */
#define TEST_NAME "mmap_growsdown_shared_or_file_einval"
#include "guest.h"
#include "vm_probe.h"
#include <fcntl.h>
#include <sys/syscall.h>

#define RW           (PROT_READ | PROT_WRITE)
#define PAGES        4
#define ROOM_PAGES   512                       /* free below: over Linux's 256-page gap */
#define SEED         0x6d5a

/* check_refused - mmap2 of at with flags and fd fails with EINVAL, and
 * nothing is mapped there afterwards. */
static void
check_refused(const char *what, char *at, int flags, int fd)
{
	long r;

	errno = 0;
	r = syscall(SYS_mmap2, at, PAGES * PAGE_SIZE, RW, flags | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE,
		    fd, 0);
	CHECK(r == -1 && errno == EINVAL, "%s (expected -1 with EINVAL, got 0x%lx with %s)", what,
	      r, errno_name(errno));
	unsigned char vec;

	CHECK_ERRNO(mincore(at, PAGE_SIZE, &vec), ENOMEM);        /* nothing there */
}

int
main(void)
{
	char *at = free_range(ROOM_PAGES + PAGES) + ROOM_PAGES * PAGE_SIZE, path[128];
	int fd = CHECK_OK(open(tmp_path(path, sizeof(path), "file"), O_CREAT | O_RDWR | O_TRUNC, 0600));

	CHECK_OK(ftruncate(fd, PAGES * PAGE_SIZE));
	say("MAP_GROWSDOWN refused: shared anonymous, shared file, private file");
	check_refused("MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN", at, MAP_SHARED | MAP_ANONYMOUS, -1);
	check_refused("MAP_SHARED file | MAP_GROWSDOWN", at, MAP_SHARED, fd);
	check_refused("MAP_PRIVATE file | MAP_GROWSDOWN", at, MAP_PRIVATE, fd);
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));

	say("MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN still grows down");
	char *p = mmap(at, PAGES * PAGE_SIZE, RW,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(p == at, "private MAP_GROWSDOWN (expected %p, got %p with %s)", (void *)at,
	      (void *)p, errno_name(errno));
	pattern_fill(p, PAGES * PAGE_SIZE, SEED);
	p[-1] = 0x5a;                                  /* the page below: the mapping grows */
	CHECK_EQ("byte written below the mapping", 0x5a, p[-1]);
	CHECK_ZERO("the rest of the new page", p - PAGE_SIZE, PAGE_SIZE - 1);
	CHECK_PATTERN("the pages above", p, PAGES * PAGE_SIZE, SEED);
	if (running_on_anvil())
		check_rmap_consistent("after the growth");
	CHECK_OK(munmap(p - PAGE_SIZE, (PAGES + 1) * PAGE_SIZE));
	say("only private anonymous memory grew down");
	return 0;
}
