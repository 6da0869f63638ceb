/*
 * fmap_mprotect_shared — protections of shared file mappings follow the
 * descriptor they were made from:
 *   - a MAP_SHARED mapping of an O_RDONLY descriptor can never become
 *     writable: mprotect(PROT_WRITE) is EACCES (whole or part), the
 *     mapping stays readable and read-only (a store is SIGSEGV
 *     SEGV_ACCERR) — even after the descriptor is closed, or the file is
 *     opened read-write elsewhere;
 *   - a MAP_PRIVATE mapping of the same O_RDONLY descriptor can (a private
 *     copy; the file is unchanged);
 *   - a MAP_SHARED read-only mapping of an O_RDWR descriptor can be made
 *     writable, and its stores then reach the file; made read-only again,
 *     stores fault and the data stays; PROT_NONE faults on read.
 */
#define TEST_NAME "fmap_mprotect_shared"
#include "guest.h"
#include "file_test.h"

#define SEED  0x9207
#define PAGES 4
#define LEN   (PAGES * PAGE_SIZE)

int
main(void)
{
	char path[160];
	int rw = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	int rdonly = open_file(path, O_RDONLY);
	char *p, *q;

	catch_faults();
	say("MAP_SHARED of an O_RDONLY descriptor stays read-only");
	p = map_file(LEN, PROT_READ, MAP_SHARED, rdonly, 0);
	CHECK_ERR(mprotect(p, LEN, RW), EACCES);
	CHECK_ERR(mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_WRITE), EACCES);
	CHECK_ERR(mprotect(p, LEN, PROT_READ | PROT_WRITE | PROT_EXEC), EACCES);
	close(rdonly);
	CHECK_ERR(mprotect(p, LEN, RW), EACCES);       /* closing changes nothing */
	check_fault("a store", try_write(p + PAGE_SIZE, 1), SEGV_ACCERR, p + PAGE_SIZE);
	CHECK_FILE_BYTES("still readable", p, LEN, SEED, 0);
	CHECK_SYS(mprotect(p, LEN, PROT_NONE));
	check_fault("PROT_NONE read", try_read(p), SEGV_ACCERR, p);
	CHECK_SYS(mprotect(p, LEN, PROT_READ));
	CHECK_FILE_BYTES("readable again", p, LEN, SEED, 0);

	say("MAP_PRIVATE of an O_RDONLY descriptor may become writable");
	rdonly = open_file(path, O_RDONLY);
	q = map_file(LEN, PROT_READ, MAP_PRIVATE, rdonly, 0);
	close(rdonly);
	CHECK_SYS(mprotect(q, LEN, RW));
	fill_at(q, PAGE_SIZE, SEED + 1, 0);
	CHECK_FILE_BYTES("the private store", q, PAGE_SIZE, SEED + 1, 0);
	CHECK_FILE_CONTENT("the file is unchanged", rw, 0, LEN, SEED);
	CHECK_FILE_BYTES("the shared read-only view", p, LEN, SEED, 0);
	CHECK_SYS(munmap(q, LEN));

	say("MAP_SHARED of an O_RDWR descriptor, read-only, then writable");
	q = map_file(LEN, PROT_READ, MAP_SHARED, rw, 0);
	check_fault("a store before mprotect", try_write(q, 1), SEGV_ACCERR, q);
	CHECK_SYS(mprotect(q + PAGE_SIZE, 2 * PAGE_SIZE, RW));
	fill_at(q + PAGE_SIZE, 2 * PAGE_SIZE, SEED + 2, PAGE_SIZE);
	CHECK_FILE_CONTENT("the stores reached the file", rw, PAGE_SIZE, 2 * PAGE_SIZE, SEED + 2);
	CHECK_FILE_BYTES("and the read-only shared view", p + PAGE_SIZE, 2 * PAGE_SIZE, SEED + 2,
			 PAGE_SIZE);
	check_fault("a store to the page left read-only", try_write(q + 3 * PAGE_SIZE, 1),
		    SEGV_ACCERR, q + 3 * PAGE_SIZE);
	CHECK_SYS(mprotect(q, LEN, PROT_READ));
	check_fault("a store after mprotect(PROT_READ)", try_write(q + PAGE_SIZE, 1), SEGV_ACCERR,
		    q + PAGE_SIZE);
	CHECK_FILE_BYTES("the data stays", q + PAGE_SIZE, 2 * PAGE_SIZE, SEED + 2, PAGE_SIZE);
	CHECK_FILE_CONTENT("the file", rw, 0, PAGE_SIZE, SEED);
	CHECK_FILE_CONTENT("the file", rw, 3 * PAGE_SIZE, PAGE_SIZE, SEED);
	CHECK_SYS(munmap(q, LEN));
	CHECK_SYS(munmap(p, LEN));
	close(rw);
	CHECK_SYS(unlink(path));
	say("mprotect honoured the descriptors' modes");
	return 0;
}
