/*
 * proc_maps_smaps_pagemap — /proc/self/{maps,smaps,pagemap,status} and
 * /proc/vmstat describe our memory as Linux does:
 *   - a fresh 3-page anonymous read-write mapping is one maps line
 *     "rw-p 00000000 00:00 0" with no name; the program's own file and
 *     [stack] are named;
 *   - after writing 2 of its pages, its smaps record says Size 12 kB,
 *     Rss, Pss, Private_Dirty and Anonymous 8 kB;
 *   - pagemap: the written pages are present, mapped once, anonymous, with
 *     a non-zero PFN (when we may see PFNs); the untouched one is not
 *     present; a read at a position or of a length that is not a multiple
 *     of 8 fails with EINVAL, one far past the end reads 0 bytes;
 *   - while a forked child shares the two pages, each counts half in Pss,
 *     both are Shared, and pagemap no longer says "mapped once";
 *   - mprotect of the middle page makes the mapping three maps lines;
 *   - shared anonymous memory is "rw-s ... 00:01 ... /dev/zero (deleted)";
 *   - /proc/self/status has VmLck and VmSwap lines;
 *   - /proc/vmstat's pgfault grows when we fault in new pages.
 * Lines are parsed with sscanf, not by columns: a 64-bit Linux pads the
 * names of a 32-bit process's maps to other columns than i386 does.
 */
#define TEST_NAME "proc_maps_smaps_pagemap"
#include "guest.h"
#include "vm_probe.h"

#define AREA_PAGES      3
#define GUARD_PAGES     1               /* PROT_NONE on each side: no VMA merging */
#define CAP_SYS_ADMIN   21

/* count_maps_in - how many maps lines overlap [lo, hi); the first such in *first. */
static int
count_maps_in(const char *maps, unsigned long lo, unsigned long hi, struct map_line *first)
{
	struct map_line m;
	int n = 0;

	for (const char *p = maps; p; p = next_line(p))
		if (parse_map_line(p, &m) && m.start < hi && m.end > lo) {
			if (n++ == 0)
				*first = m;
		}
	return n;
}

static void
check_anon_rw_line(const struct map_line *m, unsigned long start, unsigned long end)
{
	CHECK_EQ_HEX("start", start, m->start);
	CHECK_EQ_HEX("end", end, m->end);
	CHECK(strcmp(m->perms, "rw-p") == 0, "perms %s, expected rw-p", m->perms);
	CHECK_EQ("offset", 0, m->offset);
	CHECK(m->major == 0 && m->minor == 0, "device %02x:%02x, expected 00:00", m->major, m->minor);
	CHECK_EQ("inode", 0, m->inode);
	CHECK(m->name[0] == '\0', "anonymous line named \"%s\"", m->name);
}

/* may_see_pfns - whether pagemap shows us PFNs: on Linux only with
 * CAP_SYS_ADMIN; a kernel whose status has no CapEff line (anvil, where
 * everyone is root) always shows them. */
static int
may_see_pfns(void)
{
	char *status = read_file("/proc/self/status");
	const char *cap = strstr(status, "CapEff:");
	unsigned long long eff = ~0ull;

	if (cap)
		sscanf(cap, "CapEff: %llx", &eff);
	free(status);
	return (eff >> CAP_SYS_ADMIN) & 1;
}

static uint64_t
pagemap_entry_in(int fd, unsigned long addr)
{
	uint64_t entry;

	CHECK_EQ("pagemap pread", 8, pread(fd, &entry, 8, (off_t)(addr / PAGE_SIZE) * 8));
	return entry;
}

static void
check_pagemap(char *area)
{
	int fd = CHECK_OK(open("/proc/self/pagemap", O_RDONLY));
	int pfns = may_see_pfns();
	uint64_t entry, pair[2];

	for (int i = 0; i < AREA_PAGES; i += 2) {
		entry = pagemap_entry_in(fd, (unsigned long)(area + i * PAGE_SIZE));
		CHECK(entry & PM_PRESENT, "written page %d not present (entry 0x%llx)", i,
		      (unsigned long long)entry);
		CHECK(!(entry & (PM_SWAP | PM_FILE)), "written page %d: swap or file bit (0x%llx)",
		      i, (unsigned long long)entry);
		CHECK(entry & PM_EXCLUSIVE, "written page %d not mapped exclusively (0x%llx)", i,
		      (unsigned long long)entry);
		CHECK(!pfns || (entry & PM_PFN_MASK) != 0, "written page %d has PFN 0", i);
	}
	entry = pagemap_entry_in(fd, (unsigned long)(area + PAGE_SIZE));
	CHECK(!(entry & (PM_PRESENT | PM_SWAP)), "untouched page present or swapped (0x%llx)",
	      (unsigned long long)entry);

	say("pagemap: lseek and read of two entries, misaligned reads, reads past the end");
	CHECK_OK(lseek(fd, (off_t)((unsigned long)area / PAGE_SIZE) * 8, SEEK_SET));
	CHECK_EQ("read of two entries", 16, read(fd, pair, sizeof(pair)));
	CHECK(pair[0] & PM_PRESENT, "first page not present through lseek+read");
	CHECK(!(pair[1] & PM_PRESENT), "second page present through lseek+read");
	CHECK_ERRNO(pread(fd, &entry, 8, 4), EINVAL);
	CHECK_ERRNO(pread(fd, &entry, 7, 0), EINVAL);
	CHECK_EQ("read far past the end", 0, pread(fd, &entry, 8, (off_t)1 << 40));
	close(fd);
}

/* While a child shares the written pages (copy-on-write), they are shared:
 * half of each in our Pss, none private, and not mapped exclusively. */
static void
check_shared_with_child(char *area, unsigned long lo)
{
	int to_child[2];
	pid_t child;
	char *text;
	int fd;

	CHECK_OK(pipe(to_child));
	child = fork_or_fail();
	if (child == 0) {
		wait_token(to_child[0]);        /* touches no page of area */
		_exit(0);
	}
	text = read_file("/proc/self/smaps");
	CHECK_EQ("Rss while shared", 8, smaps_value(text, lo, "Rss"));
	CHECK_EQ("Pss while shared", 4, smaps_value(text, lo, "Pss"));
	CHECK_EQ("Shared_Clean + Shared_Dirty while shared", 8,
		 smaps_value(text, lo, "Shared_Clean") + smaps_value(text, lo, "Shared_Dirty"));
	CHECK_EQ("Private_Clean + Private_Dirty while shared", 0,
		 smaps_value(text, lo, "Private_Clean") + smaps_value(text, lo, "Private_Dirty"));
	free(text);
	fd = CHECK_OK(open("/proc/self/pagemap", O_RDONLY));
	CHECK(!(pagemap_entry_in(fd, (unsigned long)area) & PM_EXCLUSIVE),
	      "a page shared with the child is marked exclusive");
	close(fd);
	send_token(to_child[1]);
	check_exited("child", wait_for(child), 0);
	close(to_child[0]);
	close(to_child[1]);
}

/* Shared anonymous memory is named as Linux names it: a deleted
 * /dev/zero on device 00:01, offset 0, "s" in the permissions. */
static void
check_shared_anon_line(void)
{
	char *shared = map_shared_anon(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	struct map_line m;
	char *text;

	shared[0] = 1;
	text = read_file("/proc/self/maps");
	m = find_map(text, (unsigned long)shared);
	CHECK_EQ_HEX("shared end", (unsigned long)shared + 2 * PAGE_SIZE, m.end);
	CHECK(strcmp(m.perms, "rw-s") == 0, "shared perms %s, expected rw-s", m.perms);
	CHECK_EQ("shared offset", 0, m.offset);
	CHECK(m.major == 0 && m.minor == 1, "shared device %02x:%02x, expected 00:01",
	      m.major, m.minor);
	CHECK(strcmp(m.name, "/dev/zero (deleted)") == 0, "shared mapping named \"%s\"", m.name);
	free(text);
	CHECK_OK(munmap(shared, 2 * PAGE_SIZE));
}

static unsigned long
vmstat_pgfault(void)
{
	char *vmstat = read_file("/proc/vmstat");
	const char *p = strstr(vmstat, "\npgfault ");
	unsigned long faults = 0;

	CHECK(p != NULL, "/proc/vmstat has no pgfault line");
	CHECK_EQ("pgfault parsed", 1, sscanf(p, "\npgfault %lu", &faults));
	CHECK(strncmp(vmstat, "nr_", 3) == 0, "/proc/vmstat does not start with an nr_ line");
	free(vmstat);
	return faults;
}

static void
check_status_lines(void)
{
	char *status = read_file("/proc/self/status");
	const char *lck = strstr(status, "\nVmLck:"), *swp = strstr(status, "\nVmSwap:");
	unsigned long kb;

	CHECK(lck != NULL, "/proc/self/status has no VmLck line");
	CHECK_EQ("VmLck parsed", 1, sscanf(lck, "\nVmLck: %lu kB", &kb));
	CHECK_EQ("VmLck of a process that locked nothing", 0, kb);
	CHECK(swp != NULL, "/proc/self/status has no VmSwap line");
	free(status);
}

/* The program's own file and the stack are named in maps. */
static void
check_named_lines(const char *maps, const char *argv0)
{
	const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
	int own = 0, stack = 0;
	struct map_line m;

	for (const char *p = maps; p; p = next_line(p)) {
		if (!parse_map_line(p, &m))
			continue;
		const char *slash = strrchr(m.name, '/');
		if (m.name[0] == '/' && slash && strcmp(slash + 1, base) == 0 && m.inode != 0)
			own++;
		if (strcmp(m.name, "[stack]") == 0)
			stack++;
	}
	CHECK(own > 0, "no maps line names our program %s", base);
	CHECK_EQ("[stack] lines", 1, stack);
}

int
main(int argc, char **argv)
{
	size_t guarded = (AREA_PAGES + 2 * GUARD_PAGES) * PAGE_SIZE;
	char *region = map_anon(guarded, PROT_NONE), *area = region + GUARD_PAGES * PAGE_SIZE;
	unsigned long lo = (unsigned long)area, hi = lo + AREA_PAGES * PAGE_SIZE;
	unsigned long faults_before, faults_after;
	struct map_line m;
	char *text, *more;

	say("a fresh %d-page anonymous mapping is one maps line", AREA_PAGES);
	CHECK(mmap(area, AREA_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == area, "mmap MAP_FIXED");
	text = read_file("/proc/self/maps");
	CHECK_EQ("maps lines over the mapping", 1, count_maps_in(text, lo, hi, &m));
	check_anon_rw_line(&m, lo, hi);
	check_named_lines(text, argv[0]);
	free(text);

	say("smaps after writing pages 0 and 2");
	area[0] = 1;
	area[2 * PAGE_SIZE] = 2;
	text = read_file("/proc/self/smaps");
	CHECK_EQ("Size", 12, smaps_value(text, lo, "Size"));
	CHECK_EQ("Rss", 8, smaps_value(text, lo, "Rss"));
	CHECK_EQ("Pss", 8, smaps_value(text, lo, "Pss"));
	CHECK_EQ("Private_Dirty", 8, smaps_value(text, lo, "Private_Dirty"));
	CHECK_EQ("Anonymous", 8, smaps_value(text, lo, "Anonymous"));
	CHECK_EQ("Swap", 0, smaps_value(text, lo, "Swap"));
	free(text);

	say("pagemap of the three pages");
	check_pagemap(area);

	say("smaps and pagemap while a child shares the pages");
	check_shared_with_child(area, lo);

	say("mprotect of the middle page: three maps lines");
	CHECK_OK(mprotect(area + PAGE_SIZE, PAGE_SIZE, PROT_READ));
	text = read_file("/proc/self/maps");
	CHECK_EQ("maps lines over the mapping", 3, count_maps_in(text, lo, hi, &m));
	check_anon_rw_line(&m, lo, lo + PAGE_SIZE);
	m = find_map(text, lo + PAGE_SIZE);
	CHECK(strcmp(m.perms, "r--p") == 0, "middle perms %s, expected r--p", m.perms);
	CHECK_EQ_HEX("middle end", lo + 2 * PAGE_SIZE, m.end);
	m = find_map(text, lo + 2 * PAGE_SIZE);
	check_anon_rw_line(&m, lo + 2 * PAGE_SIZE, hi);
	free(text);

	say("shared anonymous memory in maps");
	check_shared_anon_line();

	say("/proc/self/status and /proc/vmstat");
	check_status_lines();
	faults_before = vmstat_pgfault();
	more = map_anon(4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 4; i++)
		more[i * PAGE_SIZE] = 1;
	faults_after = vmstat_pgfault();
	CHECK(faults_after > faults_before, "pgfault did not grow (%lu, then %lu)",
	      faults_before, faults_after);

	CHECK_OK(munmap(more, 4 * PAGE_SIZE));
	CHECK_OK(munmap(region, guarded));
	say("maps, smaps, pagemap, status and vmstat read as on Linux");
	(void)argc;
	return 0;
}
