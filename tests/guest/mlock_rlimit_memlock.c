/*
 * mlock_rlimit_memlock — RLIMIT_MEMLOCK as Linux enforces it on a process
 * without CAP_IPC_LOCK, and ignores it with the capability. Each case runs
 * in a child that first drops CAP_IPC_LOCK from its effective and
 * permitted sets with capset(2) (the same call on anvil and on the host,
 * where the test runs as root), then lowers RLIMIT_MEMLOCK:
 *   - limit 16 pages: mlock of 16 pages works, of 17 fails with ENOMEM;
 *     locking the 16 again works (pages already locked are not counted
 *     twice) but 16 more elsewhere do not (ENOMEM); mlock2 likewise; munlock
 *     gives the room back; VmLck says what is locked;
 *   - mlockall(MCL_CURRENT) fails with ENOMEM (the whole address space is
 *     more than 16 pages); mlockall(MCL_FUTURE) works, and then a mapping
 *     of 17 pages fails with EAGAIN, one of 8 works and is locked; the heap
 *     grows locked (brk), but not past the limit;
 *   - mmap(MAP_LOCKED) of 17 pages: EAGAIN; of 16: locked; mremap growing
 *     that mapping by a page: EAGAIN, and it keeps its size;
 *   - after mlockall(MCL_CURRENT | MCL_FUTURE) under a 2 MiB limit, the stack
 *     grows by 512 KiB, but growing it past the limit is a SIGSEGV;
 *   - limit 0: mlock, mlock2, mlockall and mmap(MAP_LOCKED) fail with EPERM
 *     (mmap2 called raw: musl's mmap reports EPERM for anonymous memory as
 *     ENOMEM); munlock and munlockall still work;
 *   - capset refuses to raise what was dropped (EPERM), and capget reads
 *     the sets back;
 * and in a child that keeps every capability: with limit 16 pages it locks
 * 64 pages by mlock and by MAP_LOCKED and mlockall(MCL_CURRENT) works;
 * with limit 0 mlock works.
 */
#define TEST_NAME "mlock_rlimit_memlock"
#include "guest.h"
#include "vm_probe.h"
#include <sys/resource.h>
#include <fcntl.h>

#define LIMIT_PAGES 16
#define STACK_LIMIT_BYTES (2 * MiB)   /* more than the test's whole address space */
#define PAGE_KB     (PAGE_SIZE / KiB)
#define CAP_IPC_LOCK 14
#define CAPABILITY_VERSION_3 0x20080522u
#define MLOCK_ONFAULT_FLAG 1

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

static void
get_caps(struct cap_data data[2])
{
	struct cap_header h = { CAPABILITY_VERSION_3, 0 };

	CHECK_OK(syscall(SYS_capget, &h, data));
}

/* Drops CAP_IPC_LOCK from the effective and permitted sets. */
static void
drop_ipc_lock(void)
{
	struct cap_header h = { CAPABILITY_VERSION_3, 0 };
	struct cap_data data[2];

	get_caps(data);
	CHECK(data[0].effective & (1u << CAP_IPC_LOCK), "the test does not start with CAP_IPC_LOCK "
	      "(run it as root)");
	data[0].effective &= ~(1u << CAP_IPC_LOCK);
	data[0].permitted &= ~(1u << CAP_IPC_LOCK);
	CHECK_OK(syscall(SYS_capset, &h, data));
	get_caps(data);
	CHECK(!(data[0].effective & (1u << CAP_IPC_LOCK)) && !(data[0].permitted & (1u << CAP_IPC_LOCK)),
	      "capget still shows CAP_IPC_LOCK");
	data[0].effective |= 1u << CAP_IPC_LOCK;
	data[0].permitted |= 1u << CAP_IPC_LOCK;
	CHECK_ERRNO(syscall(SYS_capset, &h, data), EPERM);
}

/* VmLck of /proc/self/status in kB, read without malloc: after
 * mlockall(MCL_FUTURE) any memory malloc mapped would be locked too. */
static long
vmlck_kb(void)
{
	static char text[4096];
	int fd = CHECK_OK(open(STATUS_PATH, O_RDONLY));
	long n = read_full(fd, text, sizeof(text) - 1), kb = -1;
	char *line;

	close(fd);
	CHECK(n > 0, "%s unreadable", STATUS_PATH);
	text[n] = 0;
	line = strstr(text, "\nVmLck:");
	CHECK(line && sscanf(line, "\nVmLck: %ld kB", &kb) == 1, "%s has no VmLck line", STATUS_PATH);
	return kb;
}

static void
set_memlock(unsigned long bytes)
{
	struct rlimit r = { bytes, bytes };

	CHECK_OK(setrlimit(RLIMIT_MEMLOCK, &r));
}

static char *
pages(int n)
{
	return map_anon((size_t)n * PAGE_SIZE, PROT_READ | PROT_WRITE);
}

static void
limit_mlock(void *unused UNUSED)
{
	char *p = pages(2 * LIMIT_PAGES + 1);
	char *q = p + LIMIT_PAGES * PAGE_SIZE;

	drop_ipc_lock();
	set_memlock(LIMIT_PAGES * PAGE_SIZE);
	CHECK_ERRNO(mlock(p, (LIMIT_PAGES + 1) * PAGE_SIZE), ENOMEM);
	CHECK_EQ("VmLck after the refused mlock", 0, vmlck_kb());
	CHECK_OK(mlock(p, LIMIT_PAGES * PAGE_SIZE));
	CHECK_EQ("VmLck at the limit", LIMIT_PAGES * PAGE_KB, vmlck_kb());
	CHECK_OK(mlock(p, LIMIT_PAGES * PAGE_SIZE));             /* counted once */
	CHECK_ERRNO(mlock(q, PAGE_SIZE), ENOMEM);
	CHECK_ERRNO(sys_mlock2(q, PAGE_SIZE, 0), ENOMEM);
	CHECK_ERRNO(sys_mlock2(q, PAGE_SIZE, MLOCK_ONFAULT_FLAG), ENOMEM);
	CHECK_OK(munlock(p, PAGE_SIZE));
	CHECK_OK(sys_mlock2(q, PAGE_SIZE, MLOCK_ONFAULT_FLAG));
	CHECK_EQ("VmLck after munlock of one and mlock2 of another", LIMIT_PAGES * PAGE_KB,
		 vmlck_kb());
	CHECK_OK(munlock(p, (2 * LIMIT_PAGES + 1) * PAGE_SIZE));
	CHECK_EQ("VmLck after munlock", 0, vmlck_kb());
}

/* After mlockall(MCL_FUTURE), with LIMIT_PAGES / 2 pages locked: the heap
 * grows locked, and not past the limit (brk then keeps the old break). */
static void
brk_grows_locked(void)
{
	unsigned long start = syscall(SYS_brk, 0), top;

	top = syscall(SYS_brk, start + 4 * PAGE_SIZE);
	CHECK_EQ_HEX("brk grown by 4 pages", start + 4 * PAGE_SIZE, top);
	CHECK((vmlck_kb() - LIMIT_PAGES / 2 * PAGE_KB) >= 4 * PAGE_KB,
	      "the heap grown under MCL_FUTURE is not locked (VmLck %ld kB)", vmlck_kb());
	CHECK_EQ_HEX("brk grown past RLIMIT_MEMLOCK keeps the old break", top,
		     syscall(SYS_brk, top + LIMIT_PAGES * PAGE_SIZE));
	CHECK_EQ_HEX("brk back", start, syscall(SYS_brk, start));
	CHECK_EQ("VmLck with the heap shrunk", LIMIT_PAGES / 2 * PAGE_KB, vmlck_kb());
}

static void
limit_mlockall(void *unused UNUSED)
{
	char *p;

	drop_ipc_lock();
	set_memlock(LIMIT_PAGES * PAGE_SIZE);
	CHECK_ERRNO(mlockall(MCL_CURRENT), ENOMEM);
	CHECK_ERRNO(mlockall(MCL_CURRENT | MCL_FUTURE), ENOMEM);
	CHECK_OK(mlockall(MCL_FUTURE));
	CHECK_ERRNO(mmap(NULL, (LIMIT_PAGES + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EAGAIN);
	p = pages(LIMIT_PAGES / 2);
	CHECK_EQ("VmLck after a mapping made under MCL_FUTURE", LIMIT_PAGES / 2 * PAGE_KB,
		 vmlck_kb());
	p[0] = 1;
	brk_grows_locked();
	CHECK_OK(munlockall());
	CHECK_EQ("VmLck after munlockall", 0, vmlck_kb());
	CHECK_OK(munmap(p, LIMIT_PAGES / 2 * PAGE_SIZE));
}

static void
limit_map_locked(void *unused UNUSED)
{
	char *p;

	drop_ipc_lock();
	set_memlock(LIMIT_PAGES * PAGE_SIZE);
	CHECK_ERRNO(mmap(NULL, (LIMIT_PAGES + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0), EAGAIN);
	p = mmap(NULL, LIMIT_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	CHECK(p != MAP_FAILED, "mmap(MAP_LOCKED) within the limit failed with %s", errno_name(errno));
	CHECK_EQ("VmLck after mmap(MAP_LOCKED)", LIMIT_PAGES * PAGE_KB, vmlck_kb());
	CHECK_ERRNO(syscall(SYS_mremap, p, LIMIT_PAGES * PAGE_SIZE, (LIMIT_PAGES + 1) * PAGE_SIZE,
			    MREMAP_MAYMOVE, 0), EAGAIN);
	CHECK_EQ("VmLck after the refused mremap", LIMIT_PAGES * PAGE_KB, vmlck_kb());
	CHECK_OK(munmap(p, LIMIT_PAGES * PAGE_SIZE));
}

/* Touches bytes of stack below the caller's frame, 64 KiB a frame. */
static void
touch_stack(size_t bytes)
{
	volatile char frame[64 * KiB];

	frame[0] = 1;
	frame[sizeof(frame) - 1] = 1;
	if (bytes > sizeof(frame))
		touch_stack(bytes - sizeof(frame));
	frame[1] = frame[0];                    /* no tail call: the frame stays */
}

/* A locked stack grows within RLIMIT_MEMLOCK (arg NULL) and not past it
 * (arg non-NULL): the fault past it is a SIGSEGV. */
static void
limit_locked_stack(void *past)
{
	drop_ipc_lock();
	set_memlock(STACK_LIMIT_BYTES);
	CHECK_OK(mlockall(MCL_CURRENT | MCL_FUTURE));
	touch_stack(STACK_LIMIT_BYTES / 4);
	if (!past)
		return;
	touch_stack(2 * STACK_LIMIT_BYTES);
	fail("a locked stack grew past RLIMIT_MEMLOCK (VmLck %ld kB)", vmlck_kb());
}

static void
limit_zero(void *unused UNUSED)
{
	char *p = pages(1);

	drop_ipc_lock();
	set_memlock(0);
	CHECK_ERRNO(mlock(p, PAGE_SIZE), EPERM);
	CHECK_ERRNO(sys_mlock2(p, PAGE_SIZE, 0), EPERM);
	CHECK_ERRNO(mlockall(MCL_CURRENT), EPERM);
	CHECK_ERRNO(mlockall(MCL_FUTURE), EPERM);
	/* the raw call: musl's mmap turns EPERM into ENOMEM for anonymous memory */
	CHECK_ERRNO(syscall(SYS_mmap2, NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0), EPERM);
	CHECK_OK(munlock(p, PAGE_SIZE));
	CHECK_OK(munlockall());
	CHECK_EQ("VmLck", 0, vmlck_kb());
}

static void
with_capability(void *unused UNUSED)
{
	const int n = 4 * LIMIT_PAGES;
	char *p = pages(n), *m;

	set_memlock(LIMIT_PAGES * PAGE_SIZE);
	CHECK_OK(mlock(p, n * PAGE_SIZE));
	m = mmap(NULL, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
		 -1, 0);
	CHECK(m != MAP_FAILED, "mmap(MAP_LOCKED) past the limit with CAP_IPC_LOCK failed with %s",
	      errno_name(errno));
	CHECK_EQ("VmLck past the limit", 2 * n * PAGE_KB, vmlck_kb());
	CHECK_OK(mlockall(MCL_CURRENT));
	CHECK_OK(munlockall());
	set_memlock(0);
	CHECK_OK(mlock(p, PAGE_SIZE));
	CHECK_EQ("VmLck with limit 0", PAGE_KB, vmlck_kb());
}

int
main(void)
{
	say("limit %d pages without CAP_IPC_LOCK: mlock, mlock2", LIMIT_PAGES);
	check_exited("mlock under the limit", run_in_child(limit_mlock, NULL), 0);
	say("mlockall and MCL_FUTURE");
	check_exited("mlockall under the limit", run_in_child(limit_mlockall, NULL), 0);
	say("MAP_LOCKED and mremap");
	check_exited("MAP_LOCKED under the limit", run_in_child(limit_map_locked, NULL), 0);
	say("a locked stack grows within the limit, not past it");
	check_exited("stack growth within the limit", run_in_child(limit_locked_stack, NULL), 0);
	check_killed_by("stack growth past the limit", run_in_child(limit_locked_stack, "past"), SIGSEGV);
	say("limit 0: EPERM");
	check_exited("limit 0", run_in_child(limit_zero, NULL), 0);
	say("with CAP_IPC_LOCK the limit is ignored");
	check_exited("with the capability", run_in_child(with_capability, NULL), 0);
	return 0;
}
