/*
 * efault_path_args — system calls taking a path string fail with EFAULT when
 * the pointer is bad: NULL, a kernel address, an unmapped page, a PROT_NONE
 * page, the last bytes of the address space, or a string with no NUL before
 * its page ends and the next page is unmapped. open, stat, mkdir, chdir, unlink, rmdir and access are tried.
 * A string whose NUL is the very last byte of a valid page is fine (the call
 * then fails with ENOENT for the missing name, not EFAULT).
 */
#define TEST_NAME "efault_path_args"
#include "guest.h"
#include <fcntl.h>
#include <sys/stat.h>

#define MISSING_NAME   "/anvil-missing-dir/name"     /* its directory is missing */

struct bad_path {
	const char *name;
	const char *addr;
};

/* check_path_calls - every path call on path fails with err. */
static void
check_path_calls(const char *path, int err)
{
	struct stat st;

	CHECK_ERRNO(open(path, O_RDONLY), err);
	CHECK_ERRNO(open(path, O_CREAT | O_WRONLY, 0644), err);
	CHECK_ERRNO(stat(path, &st), err);
	CHECK_ERRNO(mkdir(path, 0755), err);
	CHECK_ERRNO(chdir(path), err);
	CHECK_ERRNO(unlink(path), err);
	CHECK_ERRNO(rmdir(path), err);
	CHECK_ERRNO(access(path, F_OK), err);
}

/* string_running_off_page - half a page of 'a's up to the end of the page, no
 * NUL, then a hole. (Shorter than PATH_MAX, so the hole is met before the
 * length limit would give ENAMETOOLONG.) */
static const char *
string_running_off_page(void)
{
	char *page = page_before_hole();

	memset(page, 'a', PAGE_SIZE);
	return page + PAGE_SIZE / 2;
}

/* string_ending_at_page_end - MISSING_NAME whose NUL is the page's last byte. */
static const char *
string_ending_at_page_end(void)
{
	char *page = page_before_hole();
	size_t len = strlen(MISSING_NAME) + 1;
	char *start = page + PAGE_SIZE - len;

	memcpy(start, MISSING_NAME, len);
	return start;
}

int
main(void)
{
	struct bad_path bad[] = {
		{ "NULL", NULL },
		{ "kernel address", (const char *)KERNEL_BASE_ADDR },
		{ "unmapped page", unmapped_page() },
		{ "PROT_NONE page", map_anon(PAGE_SIZE, PROT_NONE) },
		{ "wrapping range", (const char *)WRAPPING_ADDR },
		{ "string running into a hole", string_running_off_page() },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		say("path: %s", bad[i].name);
		check_path_calls(bad[i].addr, EFAULT);
	}
	say("path whose NUL is the last byte of its page");
	check_path_calls(string_ending_at_page_end(), ENOENT);
	say("bad path pointers gave EFAULT");
	return 0;
}
