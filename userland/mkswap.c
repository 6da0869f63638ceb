/*
 * userland/mkswap.c — writes a swap header, like Linux's mkswap:
 *
 *     mkswap [-L label] [-U uuid-hex] path [size-in-KiB]
 *
 * path is a block device or a regular file (which must already be as
 * large as the area: mkswap does not grow it). The header is Linux's
 * union swap_header (version 1, last_page, no bad pages, a random
 * UUID unless -U gives its 32 hex digits, the label, "SWAPSPACE2" at the
 * end of the first page); the host's swapon accepts what this writes.
 * Prints what Linux's mkswap prints, then fsyncs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SWAP_PAGE       4096
#define MIN_SWAP_PAGES  10                 /* Linux's mkswap: at least 40 KiB */
#define BOOTBITS        1024
#define UUID_LEN        16
#define LABEL_LEN       16
#define MAGIC           "SWAPSPACE2"
#define MAGIC_LEN       10
#define BLKGETSIZE64    0x80081272u

/* The fields of the header's page that mkswap sets (Linux's layout). */
struct swap_info_fields {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	unsigned char uuid[UUID_LEN];
	char label[LABEL_LEN];
};

static int
usage(void)
{
	fprintf(stderr, "usage: mkswap [-L label] [-U uuid-hex] path [size-in-KiB]\n");
	return 1;
}

/* A random version-4 UUID, as libuuid makes one. */
static void
random_uuid(unsigned char *uuid)
{
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, uuid, UUID_LEN) != UUID_LEN)
		memset(uuid, 0x5a, UUID_LEN);
	if (fd >= 0)
		close(fd);
	uuid[6] = (uuid[6] & 0x0f) | 0x40;
	uuid[8] = (uuid[8] & 0x3f) | 0x80;
}

/* Parses 32 hex digits (dashes allowed) into uuid: 0, or -1. */
static int
parse_uuid(const char *s, unsigned char *uuid)
{
	int n = 0;

	for (; *s && n < 2 * UUID_LEN; s++) {
		int v;

		if (*s == '-')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		uuid[n / 2] = (unsigned char)(n % 2 ? uuid[n / 2] | v : v << 4);
		n++;
	}
	return n == 2 * UUID_LEN && !*s ? 0 : -1;
}

/* The size of what fd is, in bytes: a block device's or a file's. */
static long long
target_bytes(int fd)
{
	struct stat st;
	uint64_t size;

	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, &size) < 0 ? -1 : (long long)size;
	return st.st_size;
}

static void
print_uuid(const unsigned char *u)
{
	for (int i = 0; i < UUID_LEN; i++)
		printf("%02x%s", u[i], i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
}

int
main(int argc, char **argv)
{
	static unsigned char page[SWAP_PAGE];
	struct swap_info_fields f = { .version = 1 };
	const char *label = NULL, *uuid = NULL;
	long long bytes, pages;
	int opt, fd;

	while ((opt = getopt(argc, argv, "L:U:")) != -1) {
		if (opt == 'L')
			label = optarg;
		else if (opt == 'U')
			uuid = optarg;
		else
			return usage();
	}
	if (optind >= argc || argc - optind > 2)
		return usage();
	fd = open(argv[optind], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "mkswap: cannot open %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	bytes = target_bytes(fd);
	if (bytes < 0) {
		fprintf(stderr, "mkswap: %s: cannot get size: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	if (argc - optind == 2) {
		long long want = strtoll(argv[optind + 1], NULL, 10) * 1024;

		if (want <= 0 || want > bytes) {
			fprintf(stderr, "mkswap: %s: size %s KiB is bigger than the target\n",
				argv[optind], argv[optind + 1]);
			return 1;
		}
		bytes = want;
	}
	pages = bytes / SWAP_PAGE;
	if (pages < MIN_SWAP_PAGES) {
		fprintf(stderr, "mkswap: error: swap area needs to be at least %d KiB\n",
			MIN_SWAP_PAGES * SWAP_PAGE / 1024);
		return 1;
	}
	f.last_page = (uint32_t)(pages - 1);
	if (uuid && parse_uuid(uuid, f.uuid)) {
		fprintf(stderr, "mkswap: error: parsing UUID failed\n");
		return 1;
	}
	if (!uuid)
		random_uuid(f.uuid);
	if (label)
		memcpy(f.label, label, strnlen(label, LABEL_LEN));
	memcpy(page + BOOTBITS, &f, sizeof(f));
	memcpy(page + SWAP_PAGE - MAGIC_LEN, MAGIC, MAGIC_LEN);
	if (pwrite(fd, page, SWAP_PAGE, 0) != SWAP_PAGE || fsync(fd) < 0) {
		fprintf(stderr, "mkswap: %s: cannot write the header: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	close(fd);
	printf("Setting up swapspace version 1, size = %lld KiB (%lld bytes)\n",
	       (pages - 1) * SWAP_PAGE / 1024, (pages - 1) * SWAP_PAGE);
	if (label)
		printf("LABEL=%.*s, UUID=", LABEL_LEN, f.label);
	else
		printf("no label, UUID=");
	print_uuid(f.uuid);
	printf("\n");
	return 0;
}
