/*
 * soft_offline_errors — what soft-offline refuses, and what it does twice
 * (anvil only: on a host nothing is offlined and the test checks nothing
 * more than that it runs).
 *   - text that is not a number: EINVAL; an address past physical memory:
 *     ENXIO; frame 0 (firmware's, never the allocator's): EIO — the
 *     kernel's own pages cannot move;
 *   - madvise(MADV_SOFT_OFFLINE) on an unaligned address: EINVAL, on a
 *     hole: EFAULT;
 *   - offlining a frame that is already offline succeeds and retires
 *     nothing more; the data stays on the new frame.
 */
#define TEST_NAME "soft_offline_errors"
#include "guest.h"
#include "vm_probe.h"

#define SEED            0x50f7
#define BEYOND_MEMORY   0xfffff000ull        /* no machine of ours has RAM at 4 GiB - 4 KiB */

/* write_text - writes text to the soft-offline file: 0 or -errno. */
static int
write_text(const char *text)
{
	int fd = CHECK_OK(open(SOFT_OFFLINE_PATH, O_WRONLY));
	int err = write(fd, text, strlen(text)) < 0 ? -errno : 0;

	close(fd);
	return err;
}

static void
check_refusals(void)
{
	char *hole = unmapped_page();

	CHECK_EQ("not a number", -EINVAL, write_text("banana"));
	CHECK_EQ("an address past physical memory", -ENXIO,
		 sysfs_soft_offline(BEYOND_MEMORY / PAGE_SIZE));
	CHECK_EQ("frame 0, the firmware's", -EIO, write_text("0"));
	CHECK_ERRNO(madvise(hole + 1, PAGE_SIZE, MADV_SOFT_OFFLINE), EINVAL);
	CHECK_ERRNO(madvise(hole, PAGE_SIZE, MADV_SOFT_OFFLINE), EFAULT);
}

static void
check_twice(void)
{
	char *page = map_anon(PAGE_SIZE, PROT_READ | PROT_WRITE);
	uint64_t old_pfn, new_pfn;
	long kb;

	pattern_fill(page, PAGE_SIZE, SEED);
	old_pfn = pm_pfn(pagemap_entry(page));
	CHECK(old_pfn != 0, "pagemap shows no frame");
	CHECK_OK(madvise(page, PAGE_SIZE, MADV_SOFT_OFFLINE));
	new_pfn = pm_pfn(pagemap_entry(page));
	CHECK(new_pfn != old_pfn, "the page did not move (pfn %#llx)", (unsigned long long)new_pfn);
	kb = hardware_corrupted_kb();
	CHECK_EQ("offlining the old frame again", 0, sysfs_soft_offline(old_pfn));
	CHECK_EQ("HardwareCorrupted after the second offline (kB)", kb, hardware_corrupted_kb());
	CHECK_EQ("the page stays where it went", (long long)new_pfn,
		 (long long)pm_pfn(pagemap_entry(page)));
	CHECK_PATTERN("data after both", page, PAGE_SIZE, SEED);
	check_rmap_consistent("after offlining twice");
	CHECK_OK(munmap(page, PAGE_SIZE));
}

int
main(void)
{
	if (!running_on_anvil()) {
		say("host: no %s, not offlining anything", RMAP_CHECK_PATH);
		return 0;
	}
	say("refusals");
	check_refusals();
	say("a frame offlined twice");
	check_twice();
	return 0;
}
