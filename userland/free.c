/*
 * userland/free.c — memory in use and free, like Linux free:
 *
 *                total        used        free
 *     Mem:      126976       10240      116736
 *     Swap:          0           0           0
 *
 * in KiB (or MiB with -m). Figures come from /proc/meminfo (MemTotal,
 * MemFree, SwapTotal, SwapFree); without it, from sysinfo().
 */
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>

#define MEMINFO_PATH   "/proc/meminfo"
#define LINE_LEN       128
#define KIB_PER_MIB    1024ULL
#define BYTES_PER_KIB  1024ULL

/* The four figures, in KiB. */
struct memory {
	unsigned long long total, free, swap_total, swap_free;
};

/* meminfo_value - if line is "key: N kB", store N into *value. */
static void
meminfo_value(const char *line, const char *key, unsigned long long *value)
{
	size_t len = strlen(key);

	if (strncmp(line, key, len) == 0 && line[len] == ':')
		sscanf(line + len + 1, "%llu", value);
}

/* from_meminfo - 0 if /proc/meminfo was read (and had MemTotal). */
static int
from_meminfo(struct memory *m)
{
	char line[LINE_LEN];
	FILE *f = fopen(MEMINFO_PATH, "r");

	if (!f)
		return -1;
	memset(m, 0, sizeof(*m));
	while (fgets(line, sizeof(line), f)) {
		meminfo_value(line, "MemTotal", &m->total);
		meminfo_value(line, "MemFree", &m->free);
		meminfo_value(line, "SwapTotal", &m->swap_total);
		meminfo_value(line, "SwapFree", &m->swap_free);
	}
	fclose(f);
	return m->total ? 0 : -1;
}

/* from_sysinfo - the same figures from the sysinfo system call. */
static int
from_sysinfo(struct memory *m)
{
	struct sysinfo info;

	if (sysinfo(&info) != 0)
		return -1;
	unsigned long long unit = info.mem_unit ? info.mem_unit : 1;
	m->total = info.totalram * unit / BYTES_PER_KIB;
	m->free = info.freeram * unit / BYTES_PER_KIB;
	m->swap_total = info.totalswap * unit / BYTES_PER_KIB;
	m->swap_free = info.freeswap * unit / BYTES_PER_KIB;
	return 0;
}

/* print_row - one line: total, used and free, divided by divisor. */
static void
print_row(const char *label, unsigned long long total, unsigned long long free,
	  unsigned long long divisor)
{
	printf("%-6s %11llu %11llu %11llu\n", label, total / divisor, (total - free) / divisor,
	       free / divisor);
}

int
main(int argc, char **argv)
{
	struct memory m;
	unsigned long long divisor = 1;

	if (argc > 1 && strcmp(argv[1], "-m") == 0)
		divisor = KIB_PER_MIB;
	if (from_meminfo(&m) != 0 && from_sysinfo(&m) != 0) {
		perror("free: sysinfo");
		return 1;
	}
	printf("%-6s %11s %11s %11s\n", "", "total", "used", "free");
	print_row("Mem:", m.total, m.free, divisor);
	print_row("Swap:", m.swap_total, m.swap_free, divisor);
	return 0;
}
