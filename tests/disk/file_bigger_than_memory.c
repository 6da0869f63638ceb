/*
 * file_bigger_than_memory — a file larger than physical memory, written
 * with write() and read back with read(), then once through a MAP_SHARED
 * mapping window by window (each window checked, a marker stored in every
 * page, unmapped; what is dirty afterwards must stay under
 * DIRTY_CEILING_PERCENT of memory: shared stores are throttled like
 * write()'s); a last read() pass checks the markers. The data is the
 * pattern at file offset; every pass compares a checksum of what it read
 * with the checksum of what was written, and on a mismatch names the
 * first wrong byte. The page cache must give pages back (clean ones
 * dropped, dirty ones written first) for this to finish.
 *
 * The size: $FILE_BIG_MB MiB if set (in the guest, where init passes only
 * stress_KEY=V words on, the boot word stress_file_big_mb=N gives
 * STRESS_FILE_BIG_MB, read too); otherwise 1.5 x MemTotal of
 * /proc/meminfo on anvil, and on another kernel (a host with much memory)
 * the smaller of that and HOST_DEFAULT_MB, so that it runs in seconds.
 * The file goes in $TMPDIR or /tmp, which needs that much free space
 * (ENOSPC fails the test with a message saying so).
 */
#define TEST_NAME "file_bigger_than_memory"
#include "guest.h"
#include "vm_probe.h"
#include "file_test.h"

#define SEED            0xB16F
#define HOST_DEFAULT_MB 256
#define CHUNK           (64 * KiB)
#define WINDOW          (4 * MiB)
#define MARK_SEED       0x3A3A
/* Writers are throttled at 20% of memory dirty (Linux's dirty_ratio): the
 * stores of the mapping pass must not leave more than this dirty or under
 * writeback, or the allocations writeback itself needs can fail. */
#define DIRTY_CEILING_PERCENT 30

static uint8_t chunk[CHUNK];

/* marker - the word stored at the start of page `page` by the mapping pass. */
static uint32_t
marker(uint64_t page)
{
	return mix32(MARK_SEED ^ (uint32_t)page);
}

/* expected_chunk - the bytes at [off, off+len) after the mapping pass
 * (marked) or before it. */
static void
expected_chunk(uint8_t *buf, size_t len, uint64_t off, int marked)
{
	fill_at(buf, len, SEED, off);
	if (marked)
		for (size_t i = 0; i < len; i += PAGE_SIZE) {
			uint32_t m = marker((off + i) / PAGE_SIZE);
			memcpy(buf + i, &m, 4);
		}
}

/* locate_mismatch - after a checksum mismatch: fail naming the first byte
 * of the file that differs from what it should be. */
static void
locate_mismatch(int fd, uint64_t size, int marked, const char *pass)
{
	static uint8_t want[CHUNK];

	for (uint64_t off = 0; off < size; off += CHUNK) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		CHECK_EQ("pread while locating", (long)n, pread(fd, chunk, n, (off_t)off));
		expected_chunk(want, n, off, marked);
		for (size_t i = 0; i < n; i++)
			if (chunk[i] != want[i])
				fail("%s: file offset %llu (expected 0x%02x, got 0x%02x)", pass,
				     (unsigned long long)(off + i), want[i], chunk[i]);
	}
	fail("%s: the checksum differed, but no byte does now", pass);
}

/* sum_words - the checksum of len bytes (a multiple of 4) continuing h. */
static uint32_t
sum_words(uint32_t h, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += 4) {
		uint32_t w;
		memcpy(&w, p + i, 4);
		h = checksum_step(h, w);
	}
	return h;
}

static uint32_t
write_pass(int fd, uint64_t size)
{
	uint32_t h = CHECKSUM_INIT;

	for (uint64_t off = 0; off < size; off += CHUNK) {
		fill_at(chunk, CHUNK, SEED, off);
		h = sum_words(h, chunk, CHUNK);
		long n = write_full(fd, chunk, CHUNK);
		if (n != CHUNK)
			fail("write at %llu MiB (got %ld, %s)%s", (unsigned long long)(off / MiB), n,
			     err_name(errno), errno == ENOSPC ? ": not enough room in $TMPDIR or /tmp"
			     " (set FILE_BIG_MB smaller)" : "");
	}
	return h;
}

static uint32_t
read_pass(int fd, uint64_t size)
{
	uint32_t h = CHECKSUM_INIT;

	CHECK_EQ("rewind", 0, lseek(fd, 0, SEEK_SET));
	for (uint64_t off = 0; off < size; off += CHUNK) {
		CHECK_EQ("read", CHUNK, read_full(fd, chunk, CHUNK));
		h = sum_words(h, chunk, CHUNK);
	}
	CHECK_EQ("read at the end", 0, read(fd, chunk, 1));
	return h;
}

/* dirty_kb - what /proc/meminfo counts dirty or under writeback. */
static long
dirty_kb(void)
{
	return proc_kb(MEMINFO_PATH, "Dirty") + proc_kb(MEMINFO_PATH, "Writeback");
}

/* map_pass - every window: checksum it, then store the page markers; the
 * memory left dirty after each window stays under the ceiling. */
static uint32_t
map_pass(int fd, uint64_t size, long mem_kb)
{
	uint32_t h = CHECKSUM_INIT;
	long ceiling_kb = mem_kb * DIRTY_CEILING_PERCENT / 100;

	for (uint64_t off = 0; off < size; off += WINDOW) {
		size_t n = size - off < WINDOW ? (size_t)(size - off) : WINDOW;
		char *w = map_file(n, RW, MAP_SHARED, fd, (off_t)off);
		h = sum_words(h, (const uint8_t *)w, n);
		for (size_t i = 0; i < n; i += PAGE_SIZE) {
			uint32_t m = marker((off + i) / PAGE_SIZE);
			memcpy(w + i, &m, 4);
		}
		CHECK_SYS(munmap(w, n));
		long dirty = dirty_kb();
		if (dirty > ceiling_kb)
			fail("%ld KiB dirty or under writeback after the window at %llu MiB: stores "
			     "through a shared mapping are not throttled (expected at most %ld KiB, "
			     "%d%% of MemTotal)", dirty, (unsigned long long)(off / MiB), ceiling_kb,
			     DIRTY_CEILING_PERCENT);
	}
	return h;
}

static uint32_t
marked_sum(uint64_t size)
{
	uint32_t h = CHECKSUM_INIT;

	for (uint64_t off = 0; off < size; off += CHUNK) {
		expected_chunk(chunk, CHUNK, off, 1);
		h = sum_words(h, chunk, CHUNK);
	}
	return h;
}

int
main(void)
{
	char path[160];
	long mem_kb = proc_kb(MEMINFO_PATH, "MemTotal");
	long fallback;

	CHECK(mem_kb > 0, "%s has no MemTotal line", MEMINFO_PATH);
	fallback = mem_kb * 3 / 2 / 1024;
	if (!running_on_anvil() && fallback > HOST_DEFAULT_MB)
		fallback = HOST_DEFAULT_MB;
	uint64_t size = (uint64_t)env_number("FILE_BIG_MB",
					     env_number("STRESS_FILE_BIG_MB", fallback)) * MiB;
	size -= size % WINDOW;
	CHECK(size >= WINDOW, "a file of %llu bytes is too small to test", (unsigned long long)size);

	int fd = CHECK_SYS(open(file_path(path, sizeof(path), "big"), O_CREAT | O_TRUNC | O_RDWR,
				0644));
	CHECK_SYS(unlink(path));                /* gone however the test ends */
	say("%llu MiB (MemTotal %ld MiB): write()", (unsigned long long)(size / MiB), mem_kb / 1024);
	uint32_t written = write_pass(fd, size);
	CHECK_EQ("file size", (long long)size, file_size(fd));

	say("read() back");
	if (read_pass(fd, size) != written)
		locate_mismatch(fd, size, 0, "read() after write()");

	say("through a MAP_SHARED mapping, %d MiB at a time", WINDOW / MiB);
	if (map_pass(fd, size, mem_kb) != written)
		locate_mismatch(fd, size, 1, "the mapping pass");

	say("read() back the markers");
	if (read_pass(fd, size) != marked_sum(size))
		locate_mismatch(fd, size, 1, "read() after the mapping pass");
	close(fd);
	say("a file bigger than memory came back intact");
	return 0;
}
