/*
 * fmap_shared_one_frame — one page cache, one frame (read through
 * /proc/self/pagemap; frame numbers need root on Linux):
 *   - two processes that each map the same file MAP_SHARED and touch a
 *     page map the same frame, marked as a file page (pagemap bit 61);
 *     a store by one is read by the other;
 *   - a MAP_PRIVATE mapping of that page, only read, maps the same frame
 *     too; after a store it maps a frame of its own (bit 61 clear);
 *   - two processes running the same program share the frames of its
 *     text: this program execs itself (argv[0]) in a child, which reports
 *     the frame of the page holding main() through a pipe; the parent's
 *     frame for that page is the same.
 */
#define TEST_NAME "fmap_shared_one_frame"
#include "guest.h"
#include "vm_probe.h"
#include "file_test.h"

#define SEED        0x0F4A
#define PAGES       4
#define LEN         (PAGES * PAGE_SIZE)
#define REPORT_ARG  "--report-text-frame"

/* frame_of - the frame mapped at addr (touched first), or the test fails. */
static uint64_t
frame_of(const volatile char *addr, const char *what)
{
	(void)*addr;
	uint64_t entry = pagemap_entry((const void *)addr);
	uint64_t pfn = pm_pfn(entry);

	CHECK(pfn != 0, "%s: no frame number in pagemap (entry %#llx; on Linux this needs root)",
	      what, (unsigned long long)entry);
	return pfn;
}

static int
is_file_page(const volatile char *addr)
{
	return (pagemap_entry((const void *)addr) & PM_FILE) != 0;
}

static void *
text_page(void)
{
	extern int main(int, char **);

	return (void *)((uintptr_t)main & ~(uintptr_t)(PAGE_SIZE - 1));
}

/* report_text_frame - the exec'd child's part: the frame of main's page,
 * written as a 64-bit number to descriptor fd. */
static int
report_text_frame(int fd)
{
	uint64_t pfn = frame_of(text_page(), "the child's text page");

	CHECK_EQ("write the frame number", (long)sizeof(pfn), write(fd, &pfn, sizeof(pfn)));
	return 0;
}

static void
check_file_frames(void)
{
	char path[160];
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED), to_parent[2], to_child[2];
	char *s = map_file(LEN, RW, MAP_SHARED, fd, 0);
	uint64_t mine, theirs;

	say("two processes, one frame for a shared file page");
	mine = frame_of(s + 2 * PAGE_SIZE, "the parent's shared page");
	CHECK(is_file_page(s + 2 * PAGE_SIZE), "pagemap bit 61 (file page) clear for a shared "
	      "file page");
	CHECK_SYS(pipe(to_parent));
	CHECK_SYS(pipe(to_child));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		int own = open_file(path, O_RDWR);
		char *c = map_file(LEN, RW, MAP_SHARED, own, 0);
		uint64_t pfn = frame_of(c + 2 * PAGE_SIZE, "the child's shared page");
		fill_at(c + 2 * PAGE_SIZE, PAGE_SIZE, SEED + 1, 2 * PAGE_SIZE);
		CHECK_EQ("send the frame", (long)sizeof(pfn), write(to_parent[1], &pfn, sizeof(pfn)));
		wait_token(to_child[0]);
		_exit(0);
	}
	CHECK_EQ("receive the frame", (long)sizeof(theirs), read_full(to_parent[0], &theirs,
								     sizeof(theirs)));
	CHECK_EQ_HEX("the child's frame for the page", mine, theirs);
	CHECK_FILE_BYTES("the child's store, in the parent", s + 2 * PAGE_SIZE, PAGE_SIZE, SEED + 1,
			 2 * PAGE_SIZE);
	send_token(to_child[1]);
	check_exited("child", wait_for(pid), 0);

	say("a private mapping reads the same frame, until it writes");
	char *p = map_file(LEN, RW, MAP_PRIVATE, fd, 0);
	CHECK_EQ_HEX("the private mapping's frame, read only", mine,
		     frame_of(p + 2 * PAGE_SIZE, "the private page"));
	p[2 * PAGE_SIZE] = 1;
	uint64_t copy = frame_of(p + 2 * PAGE_SIZE, "the private copy");
	CHECK(copy != mine, "the private copy still maps the page cache frame %#llx",
	      (unsigned long long)mine);
	CHECK(!is_file_page(p + 2 * PAGE_SIZE), "pagemap bit 61 set for a private copy");
	CHECK_EQ_HEX("the shared mapping's frame after the private copy", mine,
		     frame_of(s + 2 * PAGE_SIZE, "the shared page again"));
	CHECK_SYS(munmap(p, LEN));
	CHECK_SYS(munmap(s, LEN));
	close(fd);
	close(to_parent[0]);
	close(to_parent[1]);
	close(to_child[0]);
	close(to_child[1]);
	CHECK_SYS(unlink(path));
}

static void
check_text_frames(const char *self)
{
	int p[2];
	char fd_text[16];
	uint64_t mine, theirs;

	say("the same program in two processes shares its text frames");
	mine = frame_of(text_page(), "the parent's text page");
	CHECK(is_file_page(text_page()), "pagemap bit 61 (file page) clear for program text");
	CHECK_SYS(pipe(p));
	snprintf(fd_text, sizeof(fd_text), "%d", p[1]);
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		char *argv[] = { (char *)self, REPORT_ARG, fd_text, NULL };
		char *envp[] = { NULL };
		close(p[0]);
		execve(self, argv, envp);
		fail("execve %s (got %s)", self, err_name(errno));
	}
	close(p[1]);
	CHECK_EQ("receive the child's text frame", (long)sizeof(theirs),
		 read_full(p[0], &theirs, sizeof(theirs)));
	check_exited("the exec'd child", wait_for(pid), 0);
	close(p[0]);
	CHECK_EQ_HEX("the exec'd child's frame for main's page", mine, theirs);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], REPORT_ARG) == 0)
		return report_text_frame(atoi(argv[2]));
	check_file_frames();
	check_text_frames(argv[0]);
	say("file pages and program text were one frame for every process");
	return 0;
}
