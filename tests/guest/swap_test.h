/*
 * tests/guest/swap_test.h — what the swap tests (swap_*.c) share: swap
 * files with Linux's header (union swap_header, written field by field as
 * the host's mkswap writes them), /proc/swaps lines and meminfo figures,
 * and whether this machine lets us activate swap at all.
 *
 * Include after guest.h. Swap files are written in full (no holes: Linux
 * refuses a swap file with holes) and made mode 0600 as mkswap advises.
 */
#ifndef SWAP_TEST_H
#define SWAP_TEST_H

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/swap.h>

#define SWAP_PAGE          4096
#define SWAP_BOOTBITS      1024
#define SWAP_MAGIC         "SWAPSPACE2"
#define SWAP_MAGIC_LEN     10
#define SWAP_FLAGS_UNKNOWN 0x80000          /* a bit outside SWAP_FLAGS_VALID */
#ifndef SWAP_FLAG_DISCARD_PAGES
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#endif
#define PROC_TEXT_MAX      8192

/* The header fields after the boot bits (Linux's swap_header.info). */
struct swap_header_info {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	unsigned char uuid[16];
	char label[16];
	uint32_t padding[117];
	uint32_t badpages[1];
};

/* The UUID of the header the host's mkswap wrote (util-linux 2.38, a
 * 256 KiB file, "mkswap /tmp/hs.img"), captured once: with it, a header
 * written here is byte for byte that one (checked against mkswap -U on
 * the host when this was written). */
static const unsigned char host_mkswap_uuid[16] = {
	0x73, 0x20, 0x5b, 0x92, 0x83, 0xf4, 0x40, 0x8d,
	0xa3, 0x02, 0x9a, 0xa8, 0xd6, 0x2c, 0x5a, 0x36,
};

/* Fills page with a version-1 header for an area of pages pages. */
static inline void
swap_header_fill(unsigned char *page, uint32_t pages)
{
	struct swap_header_info info = { .version = 1, .last_page = pages - 1 };

	memset(page, 0, SWAP_PAGE);
	memcpy(info.uuid, host_mkswap_uuid, sizeof(info.uuid));
	memcpy(page + SWAP_BOOTBITS, &info, sizeof(info));
	memcpy(page + SWAP_PAGE - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN);
}

static inline struct swap_header_info *
swap_info_of(unsigned char *page)
{
	return (struct swap_header_info *)(page + SWAP_BOOTBITS);
}

/* Writes a file of file_pages pages: header (may be NULL: zeros) then a
 * pattern, every byte written (no holes). */
static inline void
write_swap_file(const char *path, const unsigned char *header, uint32_t file_pages)
{
	static unsigned char page[SWAP_PAGE];
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);

	CHECK(fd >= 0, "create %s: %s", path, errno_name(errno));
	for (uint32_t i = 0; i < file_pages; i++) {
		if (i == 0 && header)
			memcpy(page, header, SWAP_PAGE);
		else
			pattern_fill(page, SWAP_PAGE, i);
		CHECK(write_full(fd, page, SWAP_PAGE) == SWAP_PAGE, "write %s", path);
	}
	CHECK(fsync(fd) == 0, "fsync %s", path);
	close(fd);
}

/* A valid swap file of pages pages at path. */
static inline void
make_swap_file(const char *path, uint32_t pages)
{
	static unsigned char header[SWAP_PAGE];

	swap_header_fill(header, pages);
	write_swap_file(path, header, pages);
}

/* Reads a whole (small) file into buf, NUL-terminated: its length. */
static inline size_t
read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	CHECK(fd >= 0, "open %s: %s", path, errno_name(errno));
	while ((n = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return (size_t)len;
}

/* The kB figure of a /proc/meminfo line ("SwapTotal:"), or -1. */
static inline long
meminfo_kb_of(const char *key)
{
	static char text[PROC_TEXT_MAX];
	const char *p;

	read_text("/proc/meminfo", text, sizeof(text));
	p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* The /proc/swaps line of path (copied into line), or NULL. */
static inline char *
swaps_line(const char *path, char *line, size_t size)
{
	static char text[PROC_TEXT_MAX];
	size_t plen = strlen(path);

	read_text("/proc/swaps", text, sizeof(text));
	for (char *p = text; *p; ) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (strncmp(p, path, plen) == 0 && p[plen] == ' ') {
			snprintf(line, size, "%.*s", (int)len, p);
			return line;
		}
		p += len + (nl ? 1 : 0);
	}
	return NULL;
}

/* The priority in the last column of path's /proc/swaps line (the
 * test fails if it is not listed). */
static inline int
prio_of_line(const char *path)
{
	char line[256];

	CHECK(swaps_line(path, line, sizeof(line)), "%s not in /proc/swaps", path);
	return atoi(strrchr(line, '\t') + 1);
}

/* How many areas /proc/swaps lists. */
static inline int
active_swap_areas(void)
{
	static char text[PROC_TEXT_MAX];
	int lines = 0;

	read_text("/proc/swaps", text, sizeof(text));
	for (char *p = text; *p; p++)
		lines += *p == '\n';
	return lines - 1;
}

/*
 * Whether swapon of a valid swap file works here: on anvil always; on the
 * host it may be refused (no CAP_SYS_ADMIN, a file system that cannot
 * hold swap files). A refusal prints a SKIP line naming it, and the
 * caller skips what needs a real activation.
 */
static inline int
swap_activation_works(const char *path)
{
	make_swap_file(path, 16);
	if (swapon(path, 0) == 0) {
		CHECK(swapoff(path) == 0, "swapoff of a fresh area: %s", errno_name(errno));
		unlink(path);
		return 1;
	}
	say("SKIP: this machine refuses swapon (%s): the checks that need an active area "
	    "are not run", errno_name(errno));
	unlink(path);
	return 0;
}

#endif
