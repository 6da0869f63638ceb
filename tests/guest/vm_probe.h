/*
 * tests/guest/vm_probe.h — looking at the VM from inside a test: a page's
 * frame through /proc/self/pagemap, soft-offline through sysfs, the "kB"
 * figures of /proc/self/status (VmRSS, VmLck) and /proc/meminfo
 * (HardwareCorrupted, the retired frames; text_kb reads several from one
 * snapshot), and anvil's reverse-map checker
 * (/proc/sys/vm/rmap_check, which Linux does not have: running_on_anvil()
 * tells a test whether to use it), and the lines of /proc/self/maps and
 * the records of /proc/self/smaps (read_file, find_map, smaps_value,
 * smaps_text).
 * Include after guest.h.
 *
 * pagemap: one little-endian uint64_t per virtual page,
 *
 *   63      62    61                 56         54 ........... 0
 *   present swap  file/shared-anon   exclusive  page frame number
 */
#ifndef VM_PROBE_H
#define VM_PROBE_H

#include <fcntl.h>

#define PAGEMAP_PATH      "/proc/self/pagemap"
#define RMAP_CHECK_PATH   "/proc/sys/vm/rmap_check"
#define SOFT_OFFLINE_PATH "/sys/devices/system/memory/soft_offline_page"
#define MEMINFO_PATH      "/proc/meminfo"
#define STATUS_PATH       "/proc/self/status"

#define PM_PRESENT     (1ULL << 63)
#define PM_SWAP        (1ULL << 62)
#define PM_FILE        (1ULL << 61)
#define PM_EXCLUSIVE   (1ULL << 56)
#define PM_PFN_MASK    ((1ULL << 55) - 1)

/* running_on_anvil - true where the reverse-map checker exists. */
static inline int
running_on_anvil(void)
{
	return access(RMAP_CHECK_PATH, R_OK) == 0;
}

/* read_pagemap_entry - this process's pagemap entry for addr into *entry;
 * 0, or -errno. */
static inline int
read_pagemap_entry(const void *addr, uint64_t *entry)
{
	int fd = open(PAGEMAP_PATH, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	*entry = 0;
	n = pread(fd, entry, sizeof(*entry), (off_t)((uintptr_t)addr / PAGE_SIZE) * sizeof(*entry));
	close(fd);
	return n == (ssize_t)sizeof(*entry) ? 0 : n < 0 ? -errno : -EIO;
}

/* pagemap_entry - the same, failing the test if it cannot be read. */
static inline uint64_t
pagemap_entry(const void *addr)
{
	uint64_t entry;
	int err = read_pagemap_entry(addr, &entry);

	CHECK(err == 0, "read %s: %s", PAGEMAP_PATH, errno_name(-err));
	return entry;
}

/* pm_pfn - the frame number in a pagemap entry; 0 if not present. */
static inline uint64_t
pm_pfn(uint64_t entry)
{
	return (entry & PM_PRESENT) ? entry & PM_PFN_MASK : 0;
}

/* sysfs_soft_offline - writes the physical address of frame pfn, as "0x"
 * text, to the soft-offline file; 0, or -errno. */
static inline int
sysfs_soft_offline(uint64_t pfn)
{
	char text[32];
	int len = snprintf(text, sizeof(text), "0x%llx", (unsigned long long)pfn * PAGE_SIZE);
	int fd = open(SOFT_OFFLINE_PATH, O_WRONLY);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, (size_t)len) != len)
		err = -errno;
	close(fd);
	return err;
}

/* proc_kb - N of the line "key: N kB" of the /proc file at path, or -1 if
 * the file cannot be read or has no such line. */
static inline long
proc_kb(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	size_t key_len = strlen(key);
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (kb < 0 && fgets(line, sizeof(line), f))
		if (strncmp(line, key, key_len) == 0 && line[key_len] == ':' &&
		    sscanf(line + key_len + 1, "%ld kB", &kb) != 1)
			kb = -1;
	fclose(f);
	return kb;
}

/* text_kb - N of the line "key: N kB" in text (a /proc file read whole
 * with read_file, so that several values come from one snapshot), or -1
 * if there is no such line. */
static inline long
text_kb(const char *text, const char *key)
{
	size_t key_len = strlen(key);
	long kb;

	for (const char *line = text; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "")
		if (strncmp(line, key, key_len) == 0 && line[key_len] == ':' &&
		    sscanf(line + key_len + 1, "%ld kB", &kb) == 1)
			return kb;
	return -1;
}

/* hardware_corrupted_kb - /proc/meminfo's HardwareCorrupted, or -1 without it. */
static inline long
hardware_corrupted_kb(void)
{
	return proc_kb(MEMINFO_PATH, "HardwareCorrupted");
}

/* status_kb - the key line (VmRSS, VmLck, ...) of /proc/self/status, in kB;
 * the test fails if there is none. */
static inline long
status_kb(const char *key)
{
	long kb = proc_kb(STATUS_PATH, key);

	CHECK(kb >= 0, "%s has no \"%s: N kB\" line", STATUS_PATH, key);
	return kb;
}

/* rmap_check_text - runs anvil's reverse-map checker: its answer (the
 * mismatch count, newline stripped) in text; true if it is "0". On any
 * other answer the checker runs again through a write, which makes the
 * kernel log each mismatch. */
static inline int
rmap_check_text(char *text, size_t size)
{
	int fd = open(RMAP_CHECK_PATH, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, text, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n < 0)
		snprintf(text, size, "unreadable: %s", errno_name(errno));
	else
		text[n] = 0;
	if (strcmp(text, "0\n") == 0)
		return 1;
	if ((fd = open(RMAP_CHECK_PATH, O_WRONLY)) >= 0) {
		ssize_t ignored UNUSED = write(fd, "1\n", 2);     /* fails when it finds some */
		close(fd);
	}
	text[strcspn(text, "\n")] = 0;
	return 0;
}

/* check_rmap_consistent - the checker must report no mismatch. */
static inline void
check_rmap_consistent(const char *when)
{
	char text[48];

	if (!rmap_check_text(text, sizeof(text)))
		fail("%s %s (expected \"0\", got \"%s\"; mismatches in the kernel log)",
		     RMAP_CHECK_PATH, when, text);
}

/* ---- /proc/self/maps and smaps ------------------------------------------ */

/* One parsed maps line. */
struct map_line {
	unsigned long start, end, offset, inode;
	char perms[8];
	unsigned major, minor;
	char name[256];                 /* "" when the line has none */
};

/* read_file - the whole of a /proc file, NUL-terminated, malloc'd. */
static inline char *
read_file(const char *path)
{
	int fd = CHECK_OK(open(path, O_RDONLY));
	size_t cap = 16384, len = 0;
	char *buf = malloc(cap);
	long n;

	CHECK(buf != NULL, "malloc");
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			CHECK(buf != NULL, "realloc");
		}
	}
	CHECK(n == 0, "read %s: %s", path, strerror(errno));
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* parse_map_line - fills *m from the maps line at text (up to its newline);
 * false if it is not one. */
static inline int
parse_map_line(const char *text, struct map_line *m)
{
	size_t len = strcspn(text, "\n");
	char line[512];
	int used = 0;

	memset(m, 0, sizeof(*m));
	if (len >= sizeof(line))
		return 0;
	memcpy(line, text, len);
	line[len] = '\0';
	if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %n", &m->start, &m->end, m->perms,
		   &m->offset, &m->major, &m->minor, &m->inode, &used) != 7)
		return 0;
	snprintf(m->name, sizeof(m->name), "%s", line + used);
	return 1;
}

/* next_line - the line after the one at p, or NULL at the end. */
static inline const char *
next_line(const char *p)
{
	p = strchr(p, '\n');
	return p && p[1] ? p + 1 : NULL;
}

/* find_map - the maps line that starts at start, or fail. */
static inline struct map_line
find_map(const char *maps, unsigned long start)
{
	struct map_line m;

	for (const char *p = maps; p; p = next_line(p))
		if (parse_map_line(p, &m) && m.start == start)
			return m;
	fail("no maps line starts at 0x%lx", start);
}

/* smaps_value - the kB value of key in the smaps record of the VMA at start. */
static inline unsigned long
smaps_value(const char *smaps, unsigned long start, const char *key)
{
	struct map_line m;
	const char *p = smaps;
	size_t klen = strlen(key);
	unsigned long kb;

	for (; p; p = next_line(p))
		if (parse_map_line(p, &m) && m.start == start)
			break;
	CHECK(p != NULL, "smaps has no record for 0x%lx", start);
	for (p = next_line(p); p && !parse_map_line(p, &m); p = next_line(p))
		if (strncmp(p, key, klen) == 0 && p[klen] == ':' &&
		    sscanf(p + klen + 1, "%lu kB", &kb) == 1)
			return kb;
	fail("smaps record of 0x%lx has no %s line", start, key);
}

/* smaps_text - the text after "key:" (leading blanks skipped, up to the
 * newline) of the smaps record of the VMA at start, into buf. */
static inline const char *
smaps_text(const char *smaps, unsigned long start, const char *key, char *buf, size_t size)
{
	struct map_line m;
	const char *p = smaps;
	size_t klen = strlen(key);

	for (; p; p = next_line(p))
		if (parse_map_line(p, &m) && m.start == start)
			break;
	CHECK(p != NULL, "smaps has no record for 0x%lx", start);
	for (p = next_line(p); p && !parse_map_line(p, &m); p = next_line(p))
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			p += klen + 1;
			p += strspn(p, " \t");
			snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
			return buf;
		}
	fail("smaps record of 0x%lx has no %s line", start, key);
}

#endif
