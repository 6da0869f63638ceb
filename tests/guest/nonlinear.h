/*
 * tests/guest/nonlinear.h — what the nonlinear_* tests share, on top of
 * guest.h, file_test.h and vm_probe.h (include those first).
 *
 * remap_file_pages(start, size, prot, pgoff, flags) is i386 system call 257:
 * inside a MAP_SHARED mapping of a file (or of shared anonymous memory), the
 * pages [start, start + size) show the file pages [pgoff, pgoff + size/4096)
 * from then on. anvil keeps one VMA whose pages sit at arbitrary offsets
 * (Linux 2.6-3.x's nonlinear VMA); Linux 4.0 and later emulate it with one
 * VMA per window. The tests assert only what both show a user.
 *
 * A window's layout is an array `shows`: shows[i] is the file page that
 * page i of the mapping shows.
 *
 *   sys_remap_file_pages   the raw call (musl's wrapper is the same call)
 *   remap_or_fail          remap pages of a mapping, or the test fails
 *   random_cycle           a permutation with no fixed point, from a seed
 *   permute_window         remap a mapping chunk by chunk after a permutation
 *   check_window           every page through the mapping and through pread
 *   page_present           pagemap's present bit for an address
 */
#ifndef NONLINEAR_H
#define NONLINEAR_H

/* sys_remap_file_pages - the call as the kernel receives it: every value
 * passes unchanged (huge, unaligned, wrapping), for the errno tests. */
static inline long
sys_remap_file_pages(unsigned long start, unsigned long size, unsigned long prot,
		     unsigned long pgoff, unsigned long flags)
{
	return syscall(SYS_remap_file_pages, start, size, prot, pgoff, flags);
}

/* remap_or_fail - pages [first, first + n) of the mapping at base show the
 * file pages from pgoff on; flags 0 or MAP_NONBLOCK. */
static inline void
remap_or_fail(char *base, size_t first, size_t n, size_t pgoff, int flags)
{
	errno = 0;
	long r = sys_remap_file_pages((unsigned long)(uintptr_t)(base + first * PAGE_SIZE),
				      n * PAGE_SIZE, 0, pgoff, (unsigned long)flags);
	if (r != 0)
		fail("remap_file_pages(page %zu of %p, %zu pages, pgoff %zu, flags %#x) "
		     "(expected 0, got %ld with %s)", first, (void *)base, n, pgoff,
		     (unsigned)flags, r, err_name(errno));
}

/* random_cycle - perm[0..n) becomes one cycle through all n values (Sattolo's
 * shuffle, seeded): no perm[i] == i when n > 1, so every page moves. */
static inline void
random_cycle(size_t *perm, size_t n, uint32_t seed)
{
	uint32_t state = mix32(seed) | 1;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng_next(&state) % i;
		size_t t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
}

/* permute_window - chunk c of `chunk` pages of the mapping at base (pages
 * pages long) shows file chunk perm[c]: one remap_file_pages call per chunk,
 * with flags. Fills shows[0..pages). */
static inline void
permute_window(char *base, size_t pages, size_t chunk, const size_t *perm, int flags,
	       size_t *shows)
{
	for (size_t c = 0; c < pages / chunk; c++) {
		remap_or_fail(base, c * chunk, chunk, perm[c] * chunk, flags);
		for (size_t k = 0; k < chunk; k++)
			shows[c * chunk + k] = perm[c] * chunk + k;
	}
}

/* check_window - page i of the mapping at base holds the pattern bytes
 * (seed) of file page shows[i], and pread of fd at that offset reads the
 * same bytes. */
static inline void
check_window(const char *what, const char *base, size_t pages, const size_t *shows,
	     int fd, uint32_t seed)
{
	static uint8_t buf[PAGE_SIZE];
	char label[160];

	for (size_t i = 0; i < pages; i++) {
		const char *page = base + i * PAGE_SIZE;
		off_t off = (off_t)shows[i] * PAGE_SIZE;

		snprintf(label, sizeof(label), "%s: page %zu (file page %zu)", what, i, shows[i]);
		CHECK_FILE_BYTES(label, page, PAGE_SIZE, seed, off);
		CHECK(pread(fd, buf, PAGE_SIZE, off) == PAGE_SIZE, "%s: pread (%s)", label,
		      err_name(errno));
		CHECK(memcmp(buf, page, PAGE_SIZE) == 0,
		      "%s: pread of file page %zu differs from the mapping", label, shows[i]);
	}
}

/* page_present - pagemap's present bit for the page at addr. */
static inline int
page_present(const void *addr)
{
	return (pagemap_entry(addr) & PM_PRESENT) != 0;
}

#endif
