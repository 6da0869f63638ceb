/*
 * swap_max_areas_eperm — swapon of one area more than the kernel has swap
 * types for fails with EPERM, as on Linux (alloc_swap_info), and leaves
 * every active area as it was; after swapoff of one, swapon works again.
 * On anvil the limit is MAX_SWAPFILES (29) areas in all; on the host it is
 * its own (MAX_SWAPFILES less the types its configuration reserves). The
 * test is skipped (SKIP line) where the machine refuses swapon.
 */
#define TEST_NAME "swap_max_areas_eperm"
#include "guest.h"
#include "vm_probe.h"
#include "swap_test.h"

#define AREA_PAGES       10       /* the smallest area mkswap makes */
#define MAX_TRIED        40       /* more than any kernel's limit */
#define ANVIL_MAX_AREAS  29

int
main(void)
{
	static char paths[MAX_TRIED][128];
	char probe[128], name[16];
	int on = 0, before, err = 0;

	tmp_path(probe, sizeof(probe), "probe");
	if (!swap_activation_works(probe))
		return 0;
	before = active_swap_areas();
	say("activating areas until the kernel refuses");
	for (int i = 0; i < MAX_TRIED; i++) {
		snprintf(name, sizeof(name), "a%d", i);
		tmp_path(paths[i], sizeof(paths[i]), name);
		make_swap_file(paths[i], AREA_PAGES);
		errno = 0;
		if (swapon(paths[i], 0) < 0) {
			err = errno;
			unlink(paths[i]);
			break;
		}
		on++;
	}
	say("%d areas activated (%d were on before)", on, before);
	CHECK(on > 0 && on < MAX_TRIED, "%d areas accepted", on);
	CHECK(err == EPERM, "the refusal was %s, not EPERM", errno_name(err));
	if (running_on_anvil())
		CHECK_EQ("areas in all on anvil", ANVIL_MAX_AREAS, before + on);
	CHECK_EQ("areas listed", before + on, active_swap_areas());

	say("one off, one on again");
	CHECK_OK(swapoff(paths[0]));
	CHECK_OK(swapon(paths[0], 0));
	for (int i = 0; i < on; i++) {
		CHECK(swapoff(paths[i]) == 0, "swapoff %s: %s", paths[i], errno_name(errno));
		unlink(paths[i]);
	}
	CHECK_EQ("areas listed at the end", before, active_swap_areas());
	say("ok");
	return 0;
}
