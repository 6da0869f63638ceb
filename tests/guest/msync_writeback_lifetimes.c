/*
 * msync_writeback_lifetimes — what a process stores through a MAP_SHARED
 * file mapping is in the file (read back with read() through another
 * descriptor) at every point where a program may count on it:
 *   - after msync(MS_SYNC), and after msync(MS_ASYNC);
 *   - after munmap without msync;
 *   - after the descriptor it was mapped from is closed (the mapping
 *     outlives it), and after munmap then;
 *   - after the file's name is unlinked (read through a descriptor kept
 *     open), stores made after the unlink included;
 *   - after the writing process exits without msync or munmap (a child
 *     writes and _exits; the parent reads), and after it is killed by
 *     SIGKILL mid-way (what it stored before is there);
 *   - fsync and fdatasync on the descriptor return 0 and keep the data.
 */
#define TEST_NAME "msync_writeback_lifetimes"
#include "guest.h"
#include "file_test.h"

#define SEED  0x11FE
#define PAGES 8
#define LEN   (PAGES * PAGE_SIZE)

static char path[160];

static char *
map_path(int flags)
{
	int fd = open_file(path, flags);
	char *s = map_file(LEN, RW, MAP_SHARED, fd, 0);

	close(fd);
	return s;
}

static void
child_writes_and_exits(void *unused)
{
	char *s = map_path(O_RDWR);

	fill_at(s, LEN, SEED + 7, 0);
	_exit(0);                               /* no msync, no munmap */
}

static void
child_writes_and_waits(void *arg)
{
	int *pipes = arg;
	char *s = map_path(O_RDWR);

	fill_at(s, LEN / 2, SEED + 8, 0);
	send_token(pipes[1]);
	for (;;)
		pause();                        /* killed here */
}

int
main(void)
{
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED);
	int reader = open_file(path, O_RDONLY), sync_pipe[2];
	char *s;

	say("after msync(MS_SYNC) and msync(MS_ASYNC)");
	s = map_file(LEN, RW, MAP_SHARED, fd, 0);
	fill_at(s, LEN, SEED + 1, 0);
	CHECK_SYS(msync(s, LEN, MS_SYNC));
	CHECK_FILE_CONTENT("after MS_SYNC", reader, 0, LEN, SEED + 1);
	fill_at(s + PAGE_SIZE, PAGE_SIZE, SEED + 2, PAGE_SIZE);
	CHECK_SYS(msync(s, LEN, MS_ASYNC));
	CHECK_FILE_CONTENT("after MS_ASYNC", reader, PAGE_SIZE, PAGE_SIZE, SEED + 2);

	say("after munmap without msync");
	fill_at(s, LEN, SEED + 3, 0);
	CHECK_SYS(munmap(s, LEN));
	CHECK_FILE_CONTENT("after munmap", reader, 0, LEN, SEED + 3);

	say("after the descriptor is closed");
	s = map_path(O_RDWR);
	fill_at(s, LEN, SEED + 4, 0);
	CHECK_FILE_CONTENT("with the descriptor closed", reader, 0, LEN, SEED + 4);
	CHECK_SYS(fsync(fd));
	CHECK_SYS(fdatasync(fd));
	CHECK_FILE_CONTENT("after fsync, fdatasync", reader, 0, LEN, SEED + 4);
	CHECK_SYS(munmap(s, LEN));
	CHECK_FILE_CONTENT("after munmap, descriptor closed", reader, 0, LEN, SEED + 4);

	say("after the name is unlinked");
	s = map_file(LEN, RW, MAP_SHARED, fd, 0);
	fill_at(s, LEN / 2, SEED + 5, 0);
	CHECK_SYS(unlink(path));
	fill_at(s + LEN / 2, LEN / 2, SEED + 5, LEN / 2);
	CHECK_SYS(msync(s, LEN, MS_SYNC));
	CHECK_FILE_CONTENT("unlinked, after msync", reader, 0, LEN, SEED + 5);
	fill_at(s, LEN, SEED + 6, 0);
	CHECK_SYS(munmap(s, LEN));
	CHECK_FILE_CONTENT("unlinked, after munmap", reader, 0, LEN, SEED + 6);
	close(fd);
	close(reader);

	say("after the writing process exits");
	fd = make_file(path, LEN, SEED);
	reader = open_file(path, O_RDONLY);
	check_exited("child", run_in_child(child_writes_and_exits, NULL), 0);
	CHECK_FILE_CONTENT("the exited child's stores", reader, 0, LEN, SEED + 7);

	say("after the writing process is killed");
	CHECK_SYS(pipe(sync_pipe));
	pid_t pid = fork_or_fail();
	if (pid == 0) {
		child_writes_and_waits(sync_pipe);
		_exit(1);
	}
	wait_token(sync_pipe[0]);
	CHECK_SYS(kill(pid, SIGKILL));
	check_killed_by("child", wait_for(pid), SIGKILL);
	CHECK_FILE_CONTENT("the killed child's stores", reader, 0, LEN / 2, SEED + 8);
	CHECK_FILE_CONTENT("the rest", reader, LEN / 2, LEN / 2, SEED + 7);
	close(sync_pipe[0]);
	close(sync_pipe[1]);
	close(reader);
	close(fd);
	CHECK_SYS(unlink(path));
	say("the stores reached the file at every point");
	return 0;
}
