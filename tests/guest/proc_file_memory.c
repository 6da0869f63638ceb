/*
 * proc_file_memory — /proc tells the truth about file memory:
 *   - a MAP_SHARED mapping of a file at a page offset is a maps line
 *     "rw-s <offset> <major>:<minor> <inode> <path>" with the file's own
 *     device and inode numbers (those stat gives);
 *   - its smaps record counts the touched file pages in Rss, none of them
 *     Anonymous, the written ones dirty; a child sharing them makes them
 *     Shared_*;
 *   - /proc/meminfo's Cached holds the file's pages and Mapped at least the
 *     ones mapped here;
 *   - pagemap marks a mapped file page with bit 61.
 */
#define TEST_NAME "proc_file_memory"
#include "guest.h"
#include "file_test.h"
#include "vm_probe.h"
#include <sys/sysmacros.h>

#define FILE_PAGES  64
#define MAP_PAGES   32
#define MAP_OFFSET  (16 * PAGE_SIZE)
#define TOUCHED     8
#define WRITTEN     4

int
main(void)
{
	char path[256], real[PATH_MAX], *maps, *smaps, *map;
	int fd = make_file(file_path(path, sizeof(path), "f"), FILE_PAGES * PAGE_SIZE, 7);
	unsigned long rss, kb;
	struct map_line m;
	struct stat st;
	pid_t child;
	int status;

	CHECK_OK(fstat(fd, &st));
	CHECK(realpath(path, real) != NULL, "realpath %s", path);
	map = map_file(MAP_PAGES * PAGE_SIZE, RW, MAP_SHARED, fd, MAP_OFFSET);
	for (int i = 0; i < TOUCHED; i++)
		CHECK_FILE_BYTES("a touched page", map + i * PAGE_SIZE, PAGE_SIZE, 7,
				 MAP_OFFSET + i * PAGE_SIZE);
	for (int i = 0; i < WRITTEN; i++)
		map[i * PAGE_SIZE] ^= 1;

	say("maps: the file's line");
	maps = read_file("/proc/self/maps");
	m = find_map(maps, (unsigned long)map);
	CHECK(strcmp(m.perms, "rw-s") == 0, "perms %s, expected rw-s", m.perms);
	CHECK_EQ_HEX("offset", MAP_OFFSET, m.offset);
	CHECK(m.major == major(st.st_dev) && m.minor == minor(st.st_dev),
	      "device %x:%x, stat says %x:%x", m.major, m.minor, major(st.st_dev), minor(st.st_dev));
	CHECK_EQ("inode", (long)st.st_ino, (long)m.inode);
	CHECK(strcmp(m.name, real) == 0, "named \"%s\", expected \"%s\"", m.name, real);
	free(maps);

	say("smaps: resident, not anonymous, dirty where written");
	smaps = read_file("/proc/self/smaps");
	rss = smaps_value(smaps, (unsigned long)map, "Rss");
	CHECK(rss >= TOUCHED * 4 && rss <= MAP_PAGES * 4, "Rss %lu kB for %d touched pages", rss, TOUCHED);
	CHECK_EQ("Anonymous", 0L, (long)smaps_value(smaps, (unsigned long)map, "Anonymous"));
	CHECK_EQ("Rss = the four Shared/Private sums", (long)rss,
		 (long)(smaps_value(smaps, (unsigned long)map, "Shared_Clean") +
			smaps_value(smaps, (unsigned long)map, "Shared_Dirty") +
			smaps_value(smaps, (unsigned long)map, "Private_Clean") +
			smaps_value(smaps, (unsigned long)map, "Private_Dirty")));
	kb = smaps_value(smaps, (unsigned long)map, "Private_Dirty");
	CHECK(kb >= WRITTEN * 4, "Private_Dirty %lu kB after writing %d pages mapped once", kb, WRITTEN);
	free(smaps);

	say("meminfo: Cached and Mapped");
	CHECK(proc_kb(MEMINFO_PATH, "Cached") >= FILE_PAGES * 4, "Cached %ld kB, the file alone is %d",
	      proc_kb(MEMINFO_PATH, "Cached"), FILE_PAGES * 4);
	CHECK(proc_kb(MEMINFO_PATH, "Mapped") >= TOUCHED * 4, "Mapped %ld kB, %d pages are mapped here",
	      proc_kb(MEMINFO_PATH, "Mapped"), TOUCHED);
	CHECK(pagemap_entry(map) & PM_FILE, "pagemap: no file bit on a mapped file page");

	say("a child sharing the pages makes them Shared_*");
	child = CHECK_OK(fork());
	if (child == 0) {
		volatile char sum = 0;

		for (int i = 0; i < TOUCHED; i++)
			sum += map[i * PAGE_SIZE];
		smaps = read_file("/proc/self/smaps");
		kb = smaps_value(smaps, (unsigned long)map, "Shared_Clean") +
		     smaps_value(smaps, (unsigned long)map, "Shared_Dirty");
		CHECK(kb >= TOUCHED * 4, "the child's Shared_Clean + Shared_Dirty is %lu kB", kb);
		_exit(0);
	}
	CHECK_OK(waitpid(child, &status, 0));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child failed (status %#x)", status);

	CHECK_OK(munmap(map, MAP_PAGES * PAGE_SIZE));
	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
	printf("PASS %s\n", TEST_NAME);
	return 0;
}
