/*
 * swap_proc_files — /proc/swaps and /proc/meminfo show the active swap
 * areas as Linux does: the header line, then per area its path padded to
 * 40 columns, "file" (tab-aligned), size and used in KiB (header page and
 * bad pages left out) and the priority, tab-separated; SwapTotal and
 * SwapFree grow by the area's size and come back after swapoff; the
 * meminfo lines come in Linux's order (Cached, SwapCached ... SwapTotal,
 * SwapFree, Dirty). An area without SWAP_FLAG_PREFER gets the next of
 * -2, -3, ..., and swapoff of one moves those after it up.
 */
#define TEST_NAME "swap_proc_files"
#include "guest.h"
#include "swap_test.h"

#define AREA_PAGES 64
#define KIB_PER_PAGE (SWAP_PAGE / 1024)
#define SWAPS_HEADER "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

/* The line Linux's swap_show writes for a file area. */
static void
expected_line(char *buf, size_t size, const char *path, long kb, int prio)
{
	int len = (int)strlen(path);

	snprintf(buf, size, "%s%*s%s\t%ld\t\t%d\t\t%d", path, len < 40 ? 40 - len : 1, " ", "file\t",
		 kb, 0, prio);
}

static void
check_meminfo_order(void)
{
	static char text[PROC_TEXT_MAX];
	const char *keys[] = { "\nCached:", "\nSwapCached:", "\nSwapTotal:", "\nSwapFree:", "\nDirty:" };
	const char *prev = NULL;

	read_text("/proc/meminfo", text, sizeof(text));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *at = strstr(text, keys[i]);

		CHECK(at, "meminfo has no %s line", keys[i] + 1);
		CHECK(!prev || at > prev, "meminfo's %s comes before the line it follows on Linux",
		      keys[i] + 1);
		prev = at;
	}
}

int
main(void)
{
	static char text[PROC_TEXT_MAX];
	char a[128], b[128], c[128], probe[128], line[256], want[256];
	long total0, free0, size_kb = (AREA_PAGES - 1) * KIB_PER_PAGE;
	int areas0;

	say("/proc/swaps header and meminfo lines");
	read_text("/proc/swaps", text, sizeof(text));
	CHECK(strncmp(text, SWAPS_HEADER, strlen(SWAPS_HEADER)) == 0, "/proc/swaps header: %.60s", text);
	check_meminfo_order();
	total0 = meminfo_kb_of("\nSwapTotal:");
	free0 = meminfo_kb_of("\nSwapFree:");
	CHECK(total0 >= 0 && free0 >= 0 && free0 <= total0, "SwapTotal %ld SwapFree %ld", total0, free0);
	tmp_path(probe, sizeof(probe), "probe");
	if (!swap_activation_works(probe))
		return 0;
	areas0 = active_swap_areas();

	say("one area with a priority");
	tmp_path(a, sizeof(a), "a");
	tmp_path(b, sizeof(b), "b");
	tmp_path(c, sizeof(c), "c");
	make_swap_file(a, AREA_PAGES);
	CHECK_OK(swapon(a, SWAP_FLAG_PREFER | 5));
	expected_line(want, sizeof(want), a, size_kb, 5);
	CHECK(swaps_line(a, line, sizeof(line)), "%s not in /proc/swaps", a);
	CHECK(strcmp(line, want) == 0, "/proc/swaps line\n  got  '%s'\n  want '%s'", line, want);
	CHECK_EQ("SwapTotal grew by the area", total0 + size_kb, meminfo_kb_of("\nSwapTotal:"));
	CHECK_EQ("SwapFree grew by the area", free0 + size_kb, meminfo_kb_of("\nSwapFree:"));
	CHECK_EQ("areas listed", areas0 + 1, active_swap_areas());

	say("default priorities");
	make_swap_file(b, AREA_PAGES);
	make_swap_file(c, AREA_PAGES);
	CHECK_OK(swapon(b, 0));
	CHECK_OK(swapon(c, 0));
	CHECK(prio_of_line(b) < 0 && prio_of_line(c) == prio_of_line(b) - 1,
	      "default priorities %d then %d", prio_of_line(b), prio_of_line(c));
	if (areas0 == 0)
		CHECK_EQ("the first default priority", -2, prio_of_line(b));
	CHECK_EQ("SwapTotal with three areas", total0 + 3 * size_kb, meminfo_kb_of("\nSwapTotal:"));
	CHECK_OK(swapoff(b));
	CHECK(!swaps_line(b, line, sizeof(line)), "a turned-off area is still listed");
	if (areas0 == 0)
		CHECK_EQ("priority after the one above it went", -2, prio_of_line(c));

	say("swapoff gives everything back");
	CHECK_OK(swapoff(c));
	CHECK_OK(swapoff(a));
	CHECK_EQ("areas listed", areas0, active_swap_areas());
	CHECK_EQ("SwapTotal back", total0, meminfo_kb_of("\nSwapTotal:"));
	CHECK_EQ("SwapFree back", free0, meminfo_kb_of("\nSwapFree:"));
	unlink(a);
	unlink(b);
	unlink(c);
	say("ok");
	return 0;
}
