/*
 * mremap_after_fork — mremap of memory shared copy-on-write with another
 * process moves only the caller's view, and copy-on-write keeps working on
 * the moved pages. The parent fills an 8-page region and forks; then:
 *   1. the child moves its copy with MREMAP_MAYMOVE (growing past a guard
 *      page, so it must move): the moved data is right, the grown part reads
 *      zero, the old address is unmapped in the child; the child writes some
 *      pages; the parent (child still alive) sees only its own data, then
 *      writes some pages itself, including one the child wrote; each side
 *      finally sees exactly its own writes over the original data;
 *   2. the same with MREMAP_FIXED|MREMAP_MAYMOVE onto a PROT_NONE reservation
 *      both inherited: in the parent that reservation stays PROT_NONE;
 *   3. the parent moves its copy after the fork while the child checks and
 *      writes the copy at the old address.
 * The two processes take turns through pipes, so every check happens while
 * the other side is alive and holding its own copy.
 */
#define TEST_NAME "mremap_after_fork"
#include "guest.h"

#define PAGES        8
#define REGION_LEN   (PAGES * PAGE_SIZE)
#define GROW_PAGES   2
#define NO_DATA      0u                        /* page expected to read zero */
#define ORIG_SEED(i)   (0x06160000u + (uint32_t)(i))
#define CHILD_SEED(i)  (0xC41D0000u + (uint32_t)(i))
#define PARENT_SEED(i) (0x9A7E0000u + (uint32_t)(i))

enum move_kind { MOVE_MAYMOVE, MOVE_FIXED };

/* Which pages each side writes: they share page 3. */
static const int child_writes[] = { 0, 3, 5 };
static const int parent_writes[] = { 1, 3, 7 };
#define WRITES 3

static char *region;        /* the inherited region, guard page after it */
static char *reservation;   /* PROT_NONE target for MREMAP_FIXED */
static int to_child[2], to_parent[2];

/* layout - the seed each page of one side's view holds (NO_DATA: zero). */
struct layout {
	uint32_t seed[PAGES + GROW_PAGES];
	int pages;
};

static void
layout_init(struct layout *l, int pages)
{
	l->pages = pages;
	for (int i = 0; i < pages; i++)
		l->seed[i] = i < PAGES ? ORIG_SEED(i) : NO_DATA;
}

/* write_pages - fill the listed pages with seed(i) and record it. */
static void
write_pages(char *base, struct layout *l, const int *which, int count,
	    uint32_t (*seed)(int))
{
	for (int k = 0; k < count; k++) {
		int i = which[k];
		pattern_fill(base + i * PAGE_SIZE, PAGE_SIZE, seed(i));
		l->seed[i] = seed(i);
	}
}

static uint32_t child_seed(int i) { return CHILD_SEED(i); }
static uint32_t parent_seed(int i) { return PARENT_SEED(i); }

/* check_layout - every page of base holds what the layout says. */
static void
check_layout(const char *who, const char *base, const struct layout *l)
{
	char what[96];

	for (int i = 0; i < l->pages; i++) {
		snprintf(what, sizeof(what), "%s: page %d", who, i);
		if (l->seed[i] == NO_DATA)
			CHECK_ZERO(what, base + i * PAGE_SIZE, PAGE_SIZE);
		else
			CHECK_PATTERN(what, base + i * PAGE_SIZE, PAGE_SIZE, l->seed[i]);
	}
}

/* setup - the region filled, a PROT_NONE guard page right after it (so a
 * grow must move), and a PROT_NONE reservation for MREMAP_FIXED. */
static void
setup(void)
{
	char *all = mmap(NULL, REGION_LEN + PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(all != MAP_FAILED, "mmap the region (got %s)", errno_name(errno));
	CHECK_OK(mprotect(all + REGION_LEN, PAGE_SIZE, PROT_NONE));
	region = all;
	for (int i = 0; i < PAGES; i++)
		pattern_fill(region + i * PAGE_SIZE, PAGE_SIZE, ORIG_SEED(i));
	reservation = mmap(NULL, REGION_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(reservation != MAP_FAILED, "mmap the reservation (got %s)", errno_name(errno));
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
}

/* move_region - the caller's copy moved as kind says; returns the new address.
 * MOVE_MAYMOVE grows it by GROW_PAGES past the guard page. */
static char *
move_region(const char *who, enum move_kind kind, struct layout *l)
{
	char *moved;
	char what[96];

	if (kind == MOVE_FIXED) {
		moved = mremap(region, REGION_LEN, REGION_LEN, MREMAP_FIXED | MREMAP_MAYMOVE,
			       reservation);
		snprintf(what, sizeof(what), "%s: MREMAP_FIXED address", who);
		CHECK_EQ_HEX(what, (uintptr_t)reservation, (uintptr_t)moved);
		layout_init(l, PAGES);
	} else {
		moved = mremap(region, REGION_LEN, REGION_LEN + GROW_PAGES * PAGE_SIZE,
			       MREMAP_MAYMOVE);
		CHECK(moved != MAP_FAILED, "%s: mremap MAYMOVE (got %s)", who, errno_name(errno));
		CHECK(moved != region, "%s: mremap grew in place over the guard page", who);
		layout_init(l, PAGES + GROW_PAGES);
	}
	snprintf(what, sizeof(what), "%s: read of the old address after the move", who);
	check_fault(what, try_read(region), SEGV_MAPERR, region);
	check_fault(what, try_read(region + REGION_LEN - 1), SEGV_MAPERR,
		    region + REGION_LEN - 1);
	check_layout(who, moved, l);
	return moved;
}

/* child_moves - case 1 and 2, child side. */
static void
child_moves(enum move_kind kind)
{
	struct layout mine;

	catch_faults();
	char *moved = move_region("child", kind, &mine);
	write_pages(moved, &mine, child_writes, WRITES, child_seed);
	check_layout("child after its writes", moved, &mine);
	send_token(to_parent[1]);
	wait_token(to_child[0]);             /* the parent has written */
	check_layout("child after the parent's writes", moved, &mine);
}

/* parent_side_of_child_move - the parent's view while the child moved. */
static void
parent_side_of_child_move(enum move_kind kind, struct layout *mine)
{
	layout_init(mine, PAGES);
	wait_token(to_parent[0]);            /* the child moved and wrote */
	check_layout("parent after the child's move", region, mine);
	if (kind == MOVE_FIXED)
		check_fault("parent: its reservation stayed PROT_NONE", try_read(reservation),
			    SEGV_ACCERR, reservation);
	write_pages(region, mine, parent_writes, WRITES, parent_seed);
	send_token(to_child[1]);
	check_layout("parent after its writes", region, mine);
}

/* child_moves_case - fork, the child moves, both sides check. */
static void
child_moves_case(enum move_kind kind)
{
	struct layout mine;
	pid_t pid = fork_or_fail();

	if (pid == 0) {
		child_moves(kind);
		_exit(0);
	}
	parent_side_of_child_move(kind, &mine);
	check_exited("child that moved its copy", wait_for(pid), 0);
	check_layout("parent after the child exited", region, &mine);
}

/* child_keeps_copy - case 3, child side: its copy at the old address stays
 * the original while the parent moves and writes; then it writes too. */
static void
child_keeps_copy(void)
{
	struct layout mine;

	layout_init(&mine, PAGES);
	wait_token(to_child[0]);             /* the parent moved and wrote */
	check_layout("child after the parent's move", region, &mine);
	write_pages(region, &mine, child_writes, WRITES, child_seed);
	check_layout("child after its writes", region, &mine);
	send_token(to_parent[1]);
}

/* parent_moves_case - fork, the parent moves its copy, both sides check. */
static void
parent_moves_case(void)
{
	struct layout mine;
	pid_t pid = fork_or_fail();

	if (pid == 0) {
		child_keeps_copy();
		_exit(0);
	}
	char *moved = move_region("parent", MOVE_MAYMOVE, &mine);
	write_pages(moved, &mine, parent_writes, WRITES, parent_seed);
	send_token(to_child[1]);
	wait_token(to_parent[0]);            /* the child checked and wrote */
	check_layout("parent after the child's writes", moved, &mine);
	check_exited("child that kept its copy", wait_for(pid), 0);
	check_layout("parent after the child exited", moved, &mine);
}

/* refill - the parent's region back to the original data for the next case. */
static void
refill(void)
{
	for (int i = 0; i < PAGES; i++)
		pattern_fill(region + i * PAGE_SIZE, PAGE_SIZE, ORIG_SEED(i));
}

int
main(void)
{
	catch_faults();
	setup();

	say("child moves its copy with MREMAP_MAYMOVE");
	child_moves_case(MOVE_MAYMOVE);
	refill();

	say("child moves its copy with MREMAP_FIXED");
	child_moves_case(MOVE_FIXED);
	refill();

	say("parent moves its copy after fork");
	parent_moves_case();
	say("each process saw only its own copy, wherever it moved it");
	return 0;
}
