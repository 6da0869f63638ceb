/*
 * shmem_grown_past_object_sigbus — shared anonymous memory is one object
 * of the size it was mapped with. mremap may grow the mapping, but the
 * object does not grow: touching the new part gives SIGBUS (BUS_ADRERR,
 * si_addr the byte), as on Linux, while the old part keeps its data and
 * stays shared with a child.
 */
#define TEST_NAME "shmem_grown_past_object_sigbus"
#include "guest.h"

#define OBJECT_PAGES 2
#define GROWN_PAGES  4
#define SEED         0x5b05

/* child_sees_data - a child reads the object's pages through the grown
 * mapping and writes one byte the parent must see. */
static void
child_sees_data(void *area)
{
	CHECK_PATTERN("child: the object's pages", area, OBJECT_PAGES * PAGE_SIZE, SEED);
	((char *)area)[0] ^= 0x7f;
}

int
main(void)
{
	char *area = map_shared_anon(OBJECT_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE);
	char *grown, *past;
	char first;

	pattern_fill(area, OBJECT_PAGES * PAGE_SIZE, SEED);
	first = area[0];
	grown = mremap(area, OBJECT_PAGES * PAGE_SIZE, GROWN_PAGES * PAGE_SIZE, MREMAP_MAYMOVE);
	CHECK(grown != MAP_FAILED, "mremap grow failed: %s", errno_name(errno));
	CHECK_PATTERN("the object's pages after the grow", grown, OBJECT_PAGES * PAGE_SIZE, SEED);

	say("touching past the object");
	catch_faults();
	past = grown + OBJECT_PAGES * PAGE_SIZE + 5;
	CHECK(try_read(past) == ACCESS_FAULTED, "read past the object did not fault");
	CHECK_EQ("signal", SIGBUS, last_fault.signo);
	CHECK_EQ("si_code", BUS_ADRERR, last_fault.code);
	CHECK(last_fault.addr == past, "si_addr %p, expected %p", last_fault.addr, (void *)past);
	CHECK(try_write(past, 1) == ACCESS_FAULTED && last_fault.signo == SIGBUS,
	      "write past the object did not give SIGBUS");

	say("the object's part stays shared");
	check_exited("child reading the object", run_in_child(child_sees_data, grown), 0);
	CHECK_EQ("the child's write, seen by the parent", (char)(first ^ 0x7f), grown[0]);
	CHECK_OK(munmap(grown, GROWN_PAGES * PAGE_SIZE));
	return 0;
}
