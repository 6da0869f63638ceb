/*
 * swap_swappiness_sysctl — /proc/sys/vm/swappiness as Linux (6.1 and
 * 6.18 alike) has it.
 *
 * Checks:
 *   - the file exists, a regular file of mode 0644, and reads "60\n" (the
 *     default; the test leaves it at its first value when it ends);
 *   - every value 0..200 is accepted and reads back as "N\n"; leading
 *     blanks and a trailing newline are accepted (" 7\n" is 7);
 *   - 201, -1, a word, a number with junk after it ("5x"), a newline
 *     alone and a value past 32 bits are EINVAL and change nothing.
 * Needs root to write (init and tools/host-swap-check are).
 */
#define TEST_NAME "swap_swappiness_sysctl"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"
#include <sys/stat.h>

#define DEFAULT_SWAPPINESS 60
#define MAX_SWAPPINESS     200
#define SYSCTL_MODE        0644

static int
swappiness(void)
{
	char text[32], *end;
	long value;

	read_text(SWAPPINESS_PATH, text, sizeof(text));
	value = strtol(text, &end, 10);
	CHECK(end != text && strcmp(end, "\n") == 0, "%s reads \"%s\", expected a number and a newline",
	      SWAPPINESS_PATH, text);
	return (int)value;
}

static void
check_write(const char *text, int err, int expected)
{
	CHECK_EQ("write to swappiness: -errno", -err, write_proc(SWAPPINESS_PATH, text));
	CHECK_EQ("swappiness after the write", expected, swappiness());
}

int
main(void)
{
	static const char *const refused[] = { "201", "-1", "abc", "5x", "\n", "4294967356", "1000" };
	struct stat st;
	char text[16];
	int first;

	CHECK_OK(stat(SWAPPINESS_PATH, &st));
	CHECK(S_ISREG(st.st_mode), "%s is not a regular file", SWAPPINESS_PATH);
	CHECK_EQ("mode of swappiness (octal shown in decimal)", SYSCTL_MODE, st.st_mode & 07777);
	first = swappiness();
	CHECK_EQ("swappiness at boot", DEFAULT_SWAPPINESS, first);
	say("swappiness reads 60");

	for (int v = 0; v <= MAX_SWAPPINESS; v++) {
		snprintf(text, sizeof(text), v % 2 ? "%d\n" : "%d", v);
		check_write(text, 0, v);
	}
	check_write(" 7\n", 0, 7);
	say("0..200 accepted, with or without a newline");

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		CHECK_EQ("write of a refused value: -errno", -EINVAL, write_proc(SWAPPINESS_PATH, refused[i]));
		CHECK_EQ("swappiness after a refused write", 7, swappiness());
	}
	say("201, -1, words, junk, a bare newline and huge numbers: EINVAL, unchanged");

	snprintf(text, sizeof(text), "%d\n", first);
	check_write(text, 0, first);
	return 0;
}
