/*
 * tests/guest-files/file_test.h — what the file and file-mmap tests share,
 * on top of guest.h (include guest.h first; vm_probe.h for pagemap).
 *
 * File contents are "the pattern at file offset": byte o of a file filled
 * with seed s is pattern_byte(s, o), whatever buffer or mapping it is seen
 * through, so a page that shows up at the wrong file offset is always seen.
 *
 *   file_path                  a per-test, per-process name in $TMPDIR or /tmp
 *   path_in                    "<dir>/<name>"
 *   make_file                  create a file of len pattern bytes; its fd
 *   fill_at / CHECK_FILE_BYTES pattern bytes for / expected at file offsets
 *   CHECK_FILE_CONTENT         pread a range of a file and check it
 *   CHECK_FILE_ZERO            pread a range and check it reads zeros
 *   file_size                  fstat's st_size
 *   map_file                   mmap of a file, or the test fails
 *   check_bus                  the last try_* faulted with SIGBUS, code, addr
 *   ERRNO_TEXT                 errno names guest.h does not know
 */
#ifndef FILE_TEST_H
#define FILE_TEST_H

#include <fcntl.h>
#include <sys/stat.h>

#define RW (PROT_READ | PROT_WRITE)

/* tmp_dir - where test files go: $TMPDIR if set, else /tmp (the anvil
 * root file system's /tmp). */
static inline const char *
tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

/* file_path - "<tmp_dir>/anvil-<test>-<pid>-<name>" into buf. */
static inline const char *
file_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/anvil-" TEST_NAME "-%d-%s", tmp_dir(), (int)getpid(), name);
	return buf;
}

/* path_in - "<dir>/<name>" in one of PATH_BUFS rotating buffers (a call
 * may use a few at once); the test fails if it does not fit. */
#define PATH_BUFS    8
#define PATH_BUF_LEN 512

static inline const char *
path_in(const char *dir, const char *name)
{
	static char bufs[PATH_BUFS][PATH_BUF_LEN];
	static int next;
	char *b = bufs[next++ % PATH_BUFS];

	if (snprintf(b, PATH_BUF_LEN, "%s/%s", dir, name) >= PATH_BUF_LEN)
		fail("path %s/%s is too long", dir, name);
	return b;
}

/* err_name - errno_name, extended with the values file tests meet. */
static inline const char *
err_name(int e)
{
	switch (e) {
	case ENODEV: return "ENODEV";
	case EOVERFLOW: return "EOVERFLOW";
	case EBUSY: return "EBUSY";
	case ENOSPC: return "ENOSPC";
	case EXDEV: return "EXDEV";
	case EMLINK: return "EMLINK";
	case ENXIO: return "ENXIO";
	case EFBIG: return "EFBIG";
	case ETXTBSY: return "ETXTBSY";
	case ELOOP: return "ELOOP";
	case EROFS: return "EROFS";
	default: return errno_name(e);
	}
}

/* CHECK_ERR - CHECK_ERRNO with the extended names. */
#define CHECK_ERR(call, err) do {                                       \
		errno = 0;                                                      \
		long r_ = (long)(call);                                         \
		int e_ = errno;                                                 \
		if (r_ != -1 || e_ != (err))                                    \
			fail("%s (expected -1 with %s, got %ld with %s)", #call,    \
			     err_name(err), r_, err_name(e_));                      \
	} while (0)

/* CHECK_SYS - CHECK_OK with the extended names. */
#define CHECK_SYS(call) ({                                              \
		errno = 0;                                                      \
		long r_ = (long)(call);                                         \
		if (r_ == -1)                                                   \
			fail("%s (expected success, got -1 with %s)", #call,        \
			     err_name(errno));                                      \
		r_;                                                             \
	})

/* fill_at - buf[0..len) gets the pattern bytes of file offsets
 * [file_off, file_off + len). */
static inline void
fill_at(void *buf, size_t len, uint32_t seed, uint64_t file_off)
{
	uint8_t *p = buf;
	size_t i = 0;

	for (; i < len && (file_off + i) % 4; i++)
		p[i] = pattern_byte(seed, (size_t)(file_off + i));
	for (; i + 4 <= len; i += 4) {
		uint32_t w = pattern_word(seed, (size_t)((file_off + i) / 4));
		memcpy(p + i, &w, 4);
	}
	for (; i < len; i++)
		p[i] = pattern_byte(seed, (size_t)(file_off + i));
}

/* file_bytes_mismatch - the index in buf of the first byte that is not the
 * pattern of file offset file_off + index, or -1. */
static inline long
file_bytes_mismatch(const void *buf, size_t len, uint32_t seed, uint64_t file_off)
{
	const uint8_t *p = buf;
	size_t i = 0;

	for (; i < len && (file_off + i) % 4; i++)
		if (p[i] != pattern_byte(seed, (size_t)(file_off + i)))
			return (long)i;
	for (; i + 4 <= len; i += 4) {
		uint32_t w;
		memcpy(&w, p + i, 4);
		if (w != pattern_word(seed, (size_t)((file_off + i) / 4)))
			break;
	}
	for (; i < len; i++)
		if (p[i] != pattern_byte(seed, (size_t)(file_off + i)))
			return (long)i;
	return -1;
}

/* CHECK_FILE_BYTES(what, buf, len, seed, file_off) - buf holds the file
 * bytes [file_off, +len) of the pattern named by seed. */
#define CHECK_FILE_BYTES(what, buf, len, seed, file_off) do {           \
		const uint8_t *b_ = (const uint8_t *)(buf);                     \
		uint64_t o_ = (uint64_t)(file_off);                             \
		long i_ = file_bytes_mismatch(b_, (len), (seed), o_);           \
		if (i_ >= 0)                                                    \
			fail("%s: file offset %llu (expected 0x%02x, got 0x%02x)",  \
			     (what), (unsigned long long)(o_ + (uint64_t)i_),       \
			     pattern_byte((seed), (size_t)(o_ + (uint64_t)i_)),     \
			     b_[i_]);                                               \
	} while (0)

#define FILE_CHUNK (16 * PAGE_SIZE)

/* check_file_content - pread [off, off+len) of fd, chunk by chunk: the
 * pattern named by seed (seed 0: zeros). Fails the test otherwise. */
static inline void
check_file_content(const char *what, int fd, uint64_t off, uint64_t len, uint32_t seed)
{
	static uint8_t chunk[FILE_CHUNK];

	while (len) {
		size_t n = len < FILE_CHUNK ? (size_t)len : FILE_CHUNK;
		ssize_t got = pread(fd, chunk, n, (off_t)off);

		if (got != (ssize_t)n)
			fail("%s: pread %zu bytes at %llu (got %zd, %s)", what, n,
			     (unsigned long long)off, got, err_name(errno));
		if (seed == 0) {
			for (size_t i = 0; i < n; i++)
				if (chunk[i])
					fail("%s: file offset %llu (expected 0x00, got 0x%02x)",
					     what, (unsigned long long)(off + i), chunk[i]);
		} else {
			CHECK_FILE_BYTES(what, chunk, n, seed, off);
		}
		off += n;
		len -= n;
	}
}

#define CHECK_FILE_CONTENT(what, fd, off, len, seed) \
	check_file_content((what), (fd), (off), (len), (seed))
#define CHECK_FILE_ZERO(what, fd, off, len) check_file_content((what), (fd), (off), (len), 0)

/* write_at - pwrite the pattern bytes of [off, off+len) to fd, all of them. */
static inline void
write_at(int fd, uint64_t off, size_t len, uint32_t seed)
{
	static uint8_t chunk[FILE_CHUNK];

	while (len) {
		size_t n = len < FILE_CHUNK ? len : FILE_CHUNK;

		fill_at(chunk, n, seed, off);
		ssize_t got = pwrite(fd, chunk, n, (off_t)off);
		if (got != (ssize_t)n)
			fail("pwrite %zu bytes at %llu (got %zd, %s)", n, (unsigned long long)off,
			     got, err_name(errno));
		off += n;
		len -= n;
	}
}

/* make_file - create (or truncate) path as a file of len bytes holding the
 * pattern named by seed; returns an O_RDWR fd. */
static inline int
make_file(const char *path, size_t len, uint32_t seed)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd < 0)
		fail("create %s (got %s)", path, err_name(errno));
	write_at(fd, 0, len, seed);
	return fd;
}

/* open_file - open path with flags, or the test fails. */
static inline int
open_file(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		fail("open %s (got %s)", path, err_name(errno));
	return fd;
}

/* file_size - st_size of fd. */
static inline long long
file_size(int fd)
{
	struct stat st;

	CHECK_SYS(fstat(fd, &st));
	return (long long)st.st_size;
}

/* map_file - mmap len bytes of fd at offset off, or the test fails. */
static inline char *
map_file(size_t len, int prot, int flags, int fd, off_t off)
{
	char *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		fail("mmap(%zu bytes, prot %d, flags %#x, offset %lld) of a file (expected a "
		     "mapping, got MAP_FAILED with %s)", len, prot, (unsigned)flags,
		     (long long)off, err_name(errno));
	return p;
}

/* check_bus - the last try_read/try_write faulted with SIGBUS, code, addr. */
static inline void
check_bus(const char *what, enum access_result result, int code, const void *addr)
{
	if (result != ACCESS_FAULTED)
		fail("%s (expected SIGBUS, got no fault)", what);
	if (last_fault.signo != SIGBUS)
		fail("%s: si_signo (expected %d (SIGBUS), got %d)", what, SIGBUS, last_fault.signo);
	if (last_fault.code != code)
		fail("%s: si_code (expected %d, got %d)", what, code, last_fault.code);
	if (last_fault.addr != addr)
		fail("%s: si_addr (expected %p, got %p)", what, addr, last_fault.addr);
}

/* check_no_fault - the last try_* did not fault. */
static inline void
check_no_fault(const char *what, enum access_result result)
{
	if (result != ACCESS_OK)
		fail("%s (expected no fault, got signal %d code %d at %p)", what,
		     last_fault.signo, last_fault.code, last_fault.addr);
}

#endif
