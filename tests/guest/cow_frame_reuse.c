/*
 * cow_frame_reuse — which physical frame a copy-on-write write fault leaves
 * mapped, read from /proc/self/pagemap (frame numbers there need
 * CAP_SYS_ADMIN on Linux: run as root on the host; anvil always shows them).
 * The other cow_* tests check contents only, so a kernel that copied on every
 * write fault would pass them; this one would not:
 *   - after fork, parent and child map the same frame for each page;
 *   - with the child alive, the parent's write gives the parent a new frame
 *     (a copy), while the child keeps the original frame and its contents;
 *     the child, now the original's only user, writes it in place (same frame);
 *   - once the child has exited, the parent's write fault on a page they
 *     shared reuses the frame it already maps (no copy);
 *   - the same once a still-running child has unmapped the buffer.
 * On a multi-CPU host the test pins itself to one CPU first: Linux reuses a
 * page only when no per-CPU batch holds an extra reference, and it drains
 * only the local CPU's batch.
 */
#define TEST_NAME "cow_frame_reuse"
#include "guest.h"
#include "vm_probe.h"
#include <sched.h>

#define PAGES          4
#define LEN            (PAGES * PAGE_SIZE)
#define SEED_ORIGINAL  0x0A11
#define SEED_PARENT    0x0B22
#define SEED_CHILD     0x0C33

static char *buf;

static char *
page_of(int i)
{
	return buf + (size_t)i * PAGE_SIZE;
}

/* frame_of - the frame mapping page i of buf, which must be present and
 * show a frame number. */
static uint64_t
frame_of(int i)
{
	uint64_t entry = pagemap_entry(page_of(i));

	CHECK(entry & PM_PRESENT, "page %d is not present in pagemap (entry 0x%llx)", i,
	      (unsigned long long)entry);
	CHECK(pm_pfn(entry) != 0, "pagemap shows no frame numbers: this test needs "
	      "CAP_SYS_ADMIN on Linux (run it as root)");
	return pm_pfn(entry);
}

/* record_frames - frames[i] = the frame of page i. */
static void
record_frames(uint64_t *frames)
{
	for (int i = 0; i < PAGES; i++)
		frames[i] = frame_of(i);
}

/* pin_to_one_cpu - best effort: on anvil (one CPU) there is nothing to do,
 * and its answer does not matter. */
static void
pin_to_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu < 0 ? 0 : cpu, &set);
	(void)sched_setaffinity(0, sizeof(set), &set);
}

/* fresh_buffer - writes the original pattern over buf and records frames. */
static void
fresh_buffer(uint64_t *frames)
{
	pattern_fill(buf, LEN, SEED_ORIGINAL);
	record_frames(frames);
	for (int i = 1; i < PAGES; i++)
		CHECK(frames[i] != frames[0], "pages 0 and %d share frame 0x%llx", i,
		      (unsigned long long)frames[0]);
}

/* child_alive - the child checks it shares the parent's frames, waits while
 * the parent writes page 0, checks it kept the original frame and data, then
 * writes page 0 itself (now its only user: same frame). */
static void
child_alive(const uint64_t *parent_frames, int forked_fd, int parent_wrote_fd)
{
	uint64_t frames[PAGES];

	record_frames(frames);
	for (int i = 0; i < PAGES; i++)
		CHECK_EQ_HEX("child's frame right after fork (the parent's)", parent_frames[i],
			     frames[i]);
	send_token(forked_fd);
	wait_token(parent_wrote_fd);
	CHECK_EQ_HEX("child's frame of page 0 after the parent's copy", parent_frames[0],
		     frame_of(0));
	CHECK_PATTERN("child's page 0 after the parent wrote its copy", page_of(0), PAGE_SIZE,
		      SEED_ORIGINAL);
	pattern_fill(page_of(0), PAGE_SIZE, SEED_CHILD);
	CHECK_EQ_HEX("child's frame of page 0 after writing it as its only user",
		     parent_frames[0], frame_of(0));
	CHECK_PATTERN("child's page 0 after its write", page_of(0), PAGE_SIZE, SEED_CHILD);
	_exit(0);
}

/* copy_while_shared_then_reuse - the first three promises of the header. */
static void
copy_while_shared_then_reuse(void)
{
	uint64_t frames[PAGES];
	int forked[2], wrote[2];
	pid_t pid;

	fresh_buffer(frames);
	CHECK_OK(pipe(forked));
	CHECK_OK(pipe(wrote));
	say("fork; the parent writes page 0 while the child lives");
	pid = fork_or_fail();
	if (pid == 0)
		child_alive(frames, forked[1], wrote[0]);
	wait_token(forked[0]);
	pattern_fill(page_of(0), PAGE_SIZE, SEED_PARENT);
	CHECK(frame_of(0) != frames[0], "the parent's write to a page its child still maps "
	      "kept frame 0x%llx (no copy)", (unsigned long long)frames[0]);
	CHECK_PATTERN("parent's page 0 after its copy", page_of(0), PAGE_SIZE, SEED_PARENT);
	send_token(wrote[1]);
	check_exited("child", wait_for(pid), 0);
	CHECK_PATTERN("parent's page 0 after the child wrote its own", page_of(0), PAGE_SIZE,
		      SEED_PARENT);

	say("the child has exited; the parent writes the pages they shared");
	for (int i = 1; i < PAGES; i++) {
		pattern_fill(page_of(i), PAGE_SIZE, SEED_PARENT + (uint32_t)i);
		CHECK_EQ_HEX("parent's frame after writing a page whose sharer exited",
			     frames[i], frame_of(i));
		CHECK_PATTERN("parent's data in the reused frame", page_of(i), PAGE_SIZE,
			      SEED_PARENT + (uint32_t)i);
	}
	close(forked[0]);
	close(forked[1]);
	close(wrote[0]);
	close(wrote[1]);
}

/* reuse_after_child_unmaps - a child that lives on but unmapped the buffer
 * no longer shares it: the parent's writes reuse every frame. */
static void
reuse_after_child_unmaps(void)
{
	uint64_t frames[PAGES];
	int unmapped[2], done[2];
	pid_t pid;

	fresh_buffer(frames);
	CHECK_OK(pipe(unmapped));
	CHECK_OK(pipe(done));
	say("fork; the child unmaps the buffer and waits");
	pid = fork_or_fail();
	if (pid == 0) {
		CHECK_PATTERN("child's view before munmap", buf, LEN, SEED_ORIGINAL);
		CHECK_OK(munmap(buf, LEN));
		send_token(unmapped[1]);
		wait_token(done[0]);
		_exit(0);
	}
	wait_token(unmapped[0]);
	for (int i = 0; i < PAGES; i++) {
		pattern_fill(page_of(i), PAGE_SIZE, SEED_PARENT + (uint32_t)i);
		CHECK_EQ_HEX("parent's frame after writing a page its live child unmapped",
			     frames[i], frame_of(i));
		CHECK_PATTERN("parent's data in the reused frame", page_of(i), PAGE_SIZE,
			      SEED_PARENT + (uint32_t)i);
	}
	send_token(done[1]);
	check_exited("child that unmapped the buffer", wait_for(pid), 0);
	close(unmapped[0]);
	close(unmapped[1]);
	close(done[0]);
	close(done[1]);
}

int
main(void)
{
	pin_to_one_cpu();
	buf = map_anon(LEN, PROT_READ | PROT_WRITE);
	copy_while_shared_then_reuse();
	reuse_after_child_unmaps();
	CHECK_OK(munmap(buf, LEN));
	say("a write copies while the page is shared and reuses the frame once it is not");
	return 0;
}
