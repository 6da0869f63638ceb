/*
 * proc_meminfo_lru — /proc/meminfo's LRU lines add up and follow user
 * memory:
 *   - Active == Active(anon) + Active(file) and Inactive == Inactive(anon)
 *     + Inactive(file), and Unevictable is there;
 *   - writing 8 MiB of private anonymous memory puts nearly all of it on
 *     the anon lists (Active(anon) + Inactive(anon)), and unmapping it takes
 *     it off again;
 *   - writing a file through the page cache puts its pages on the file lists.
 */
#define TEST_NAME "proc_meminfo_lru"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"

#define ANON_KB    (8 * 1024)
#define FILE_PAGES 256
#define SLACK_KB   (ANON_KB / 10)

static long
kb(const char *key)
{
	long v = proc_kb(MEMINFO_PATH, key);

	CHECK(v >= 0, "/proc/meminfo has no %s line", key);
	return v;
}

static long
anon_kb(void)
{
	return kb("Active(anon)") + kb("Inactive(anon)");
}

static long
file_kb(void)
{
	return kb("Active(file)") + kb("Inactive(file)");
}

/* The LRU lines of one snapshot of /proc/meminfo add up. */
static void
check_totals(void)
{
	char *text = read_file(MEMINFO_PATH);
	long v[7];
	static const char *const keys[7] = {
		"Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
		"Inactive(file)", "Unevictable",
	};

	for (int i = 0; i < 7; i++) {
		v[i] = text_kb(text, keys[i]);
		CHECK(v[i] >= 0, "/proc/meminfo has no %s line", keys[i]);
	}
	CHECK_EQ("Active == Active(anon) + Active(file)", v[0], v[2] + v[4]);
	CHECK_EQ("Inactive == Inactive(anon) + Inactive(file)", v[1], v[3] + v[5]);
	free(text);
}

int
main(void)
{
	char path[160];

	check_totals();
	long before = anon_kb();
	char *p = map_anon(ANON_KB * 1024, PROT_READ | PROT_WRITE);
	for (long i = 0; i < ANON_KB * 1024; i += PAGE_SIZE)
		p[i] = 1;
	long grown = anon_kb() - before;
	say("anon lists grew by %ld kB for %d kB written", grown, ANON_KB);
	CHECK(grown >= ANON_KB - SLACK_KB, "8 MiB written, the anon lists grew by %ld kB", grown);
	CHECK_SYS(munmap(p, ANON_KB * 1024));
	long shrunk = anon_kb() - before;
	CHECK(shrunk <= SLACK_KB, "after munmap the anon lists still hold %ld kB more", shrunk);

	long fbefore = file_kb();
	int fd = make_file(file_path(path, sizeof(path), "f"), FILE_PAGES * PAGE_SIZE, 3);
	long fgrown = file_kb() - fbefore;
	say("file lists grew by %ld kB for %d kB written", fgrown, FILE_PAGES * 4);
	CHECK(fgrown >= FILE_PAGES * 4 * 9 / 10,
	      "a file written through the page cache, the file lists grew by %ld kB", fgrown);
	close(fd);
	CHECK_SYS(unlink(path));
	return 0;
}
