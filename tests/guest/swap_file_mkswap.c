/*
 * swap_file_mkswap — a swap file on the root file system (ext2 on anvil),
 * made by anvil's mkswap program (userland/mkswap.c), and one whose
 * header is the bytes the host's mkswap wrote (captured once: swap_test.h).
 * mkswap -U with that UUID writes exactly those bytes; both files are
 * accepted by swapon, listed with the size the header gives, and turned
 * off again; the file's data pages are not touched by swapon/swapoff.
 * The activations are skipped (SKIP line) where the machine refuses swapon.
 */
#define TEST_NAME "swap_file_mkswap"
#include "guest.h"
#include "swap_test.h"

#define FILE_PAGES 256
#define UUID_TEXT  "73205b92-83f4-408d-a302-9aa8d62c5a36"

/* Where anvil's mkswap is: /bin on anvil; beside the test's build
 * directory (build/userland) on the host. */
static const char *
mkswap_program(void)
{
	static char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	char *slash;

	if (access("/bin/mkswap", X_OK) == 0 && n < 0)
		return "/bin/mkswap";
	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash, "/../userland/mkswap");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return "/bin/mkswap";
}

/* Runs mkswap with args on path; its exit status must be 0. */
static void
run_mkswap(const char *path, const char *opt, const char *val)
{
	const char *prog = mkswap_program();
	pid_t pid = fork();
	int status;

	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		if (opt)
			execl(prog, "mkswap", opt, val, path, (char *)NULL);
		else
			execl(prog, "mkswap", path, (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	check_exited("mkswap", status, 0);
}

static void
read_page(const char *path, unsigned char *page, off_t at)
{
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0, "open %s", path);
	CHECK(pread(fd, page, SWAP_PAGE, at) == SWAP_PAGE, "read %s", path);
	close(fd);
}

/* swapon path, /proc/swaps lists size_kb, swapoff. */
static void
activate_and_check(const char *path, long size_kb)
{
	char line[256], want[64];

	CHECK_OK(swapon(path, 0));
	CHECK(swaps_line(path, line, sizeof(line)), "%s not listed", path);
	snprintf(want, sizeof(want), "file\t\t%ld\t\t0\t\t", size_kb);
	CHECK(strstr(line, want), "line '%s' lacks '%s'", line, want);
	CHECK_OK(swapoff(path));
}

int
main(void)
{
	static unsigned char page[SWAP_PAGE], want[SWAP_PAGE];
	char ours[128], host[128], probe[128];
	int active;

	tmp_path(ours, sizeof(ours), "mkswap");
	tmp_path(host, sizeof(host), "host");
	tmp_path(probe, sizeof(probe), "probe");

	say("mkswap writes Linux's header");
	write_swap_file(ours, NULL, FILE_PAGES);
	run_mkswap(ours, "-U", UUID_TEXT);
	read_page(ours, page, 0);
	swap_header_fill(want, FILE_PAGES);
	CHECK(memcmp(page, want, SWAP_PAGE) == 0, "mkswap -U's header differs from the host mkswap's");
	read_page(ours, page, 5 * SWAP_PAGE);
	CHECK_PATTERN("data page 5", page, SWAP_PAGE, 5);
	run_mkswap(ours, "-L", "anvilswap");
	read_page(ours, page, 0);
	CHECK_EQ("version", 1, swap_info_of(page)->version);
	CHECK_EQ("last_page", FILE_PAGES - 1, swap_info_of(page)->last_page);
	CHECK(strcmp(swap_info_of(page)->label, "anvilswap") == 0, "label '%.16s'", swap_info_of(page)->label);
	CHECK(memcmp(page + SWAP_PAGE - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN) == 0, "no signature");
	CHECK((swap_info_of(page)->uuid[6] & 0xf0) == 0x40, "the UUID is not a random (v4) one");

	say("the host mkswap's bytes");
	swap_header_fill(want, FILE_PAGES / 4);
	write_swap_file(host, want, FILE_PAGES / 4);

	active = swap_activation_works(probe);
	if (active) {
		say("swapon of both");
		activate_and_check(ours, (FILE_PAGES - 1) * (SWAP_PAGE / 1024));
		activate_and_check(host, (FILE_PAGES / 4 - 1) * (SWAP_PAGE / 1024));
		read_page(ours, page, 5 * SWAP_PAGE);
		CHECK_PATTERN("data page 5", page, SWAP_PAGE, 5);
	}
	unlink(ours);
	unlink(host);
	say("ok");
	return 0;
}
