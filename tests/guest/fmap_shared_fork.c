/*
 * fmap_shared_fork — a MAP_SHARED file mapping is one memory for every
 * process that has it: a parent and its forked child see each other's
 * stores (in turns, ordered through pipes), and so do two unrelated
 * mappings made by two processes after the fork (each opens and maps the
 * file itself); what they stored is in the file when both are done.
 */
#define TEST_NAME "fmap_shared_fork"
#include "guest.h"
#include "file_test.h"

#define SEED   0xF0C5
#define PAGES  4
#define LEN    (PAGES * PAGE_SIZE)
#define ROUNDS 4

static char path[160];

/* take_turns - parent (first) and child store to page `round` in turns;
 * each checks the other's store first. p is the process's mapping. */
static void
take_turns(char *p, int me, int to_other, int from_other)
{
	for (int round = 0; round < ROUNDS; round++) {
		int page = round % PAGES;
		uint32_t seed = SEED + 1 + (uint32_t)(2 * round + me);
		if (me == 1 || round > 0)
			wait_token(from_other);
		if (round > 0 || me == 1) {
			int prev_page = me == 1 ? page : (round - 1) % PAGES;
			uint32_t prev_seed = me == 1 ? SEED + 1 + (uint32_t)(2 * round)
						     : SEED + 1 + (uint32_t)(2 * (round - 1) + 1);
			CHECK_FILE_BYTES("the other process's store", p + prev_page * PAGE_SIZE,
					 PAGE_SIZE, prev_seed, (uint64_t)prev_page * PAGE_SIZE);
		}
		fill_at(p + page * PAGE_SIZE, PAGE_SIZE, seed, (uint64_t)page * PAGE_SIZE);
		send_token(to_other);
	}
}

static void
run_pair(int inherited)
{
	int down[2], up[2], fd;
	char *p = NULL;

	CHECK_SYS(pipe(down));
	CHECK_SYS(pipe(up));
	if (inherited) {
		fd = open_file(path, O_RDWR);
		p = map_file(LEN, RW, MAP_SHARED, fd, 0);
		close(fd);
	}
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		if (!inherited) {
			fd = open_file(path, O_RDWR);
			p = map_file(LEN, RW, MAP_SHARED, fd, 0);
			close(fd);
		}
		take_turns(p, 1, up[1], down[0]);
		_exit(0);
	}
	if (!inherited) {
		fd = open_file(path, O_RDWR);
		p = map_file(LEN, RW, MAP_SHARED, fd, 0);
		close(fd);
	}
	take_turns(p, 0, down[1], up[0]);
	wait_token(up[0]);                      /* the child's last store */
	int last = ROUNDS - 1;
	CHECK_FILE_BYTES("the child's last store", p + (last % PAGES) * PAGE_SIZE, PAGE_SIZE,
			 SEED + 1 + (uint32_t)(2 * last + 1), (uint64_t)(last % PAGES) * PAGE_SIZE);
	check_exited("child", wait_for(pid), 0);
	CHECK_SYS(munmap(p, LEN));
	fd = open_file(path, O_RDONLY);
	for (int page = 0; page < PAGES && page < ROUNDS; page++) {
		int round = page + ((ROUNDS - 1 - page) / PAGES) * PAGES;
		CHECK_FILE_CONTENT("the file after both", fd, (uint64_t)page * PAGE_SIZE, PAGE_SIZE,
				   SEED + 1 + (uint32_t)(2 * round + 1));
	}
	close(fd);
	close(down[0]);
	close(down[1]);
	close(up[0]);
	close(up[1]);
}

int
main(void)
{
	close(make_file(file_path(path, sizeof(path), "f"), LEN, SEED));
	say("a mapping inherited across fork");
	run_pair(1);
	say("two processes mapping the file themselves");
	run_pair(0);
	CHECK_SYS(unlink(path));
	say("shared file mappings were shared across processes");
	return 0;
}
