/*
 * file_unlink_open — unlinking a file that is still open removes the name
 * only: the descriptor still reads the old data and writes new data (even
 * growing the file), fstat says st_nlink 0 with the right size; the name is
 * gone (ENOENT) and a new file created under it is a different, empty file;
 * a second descriptor (dup) and a forked child still see the data; a hard
 * link keeps the inode alive with st_nlink 1 after one name goes.
 */
#define TEST_NAME "file_unlink_open"
#include "guest.h"
#include "file_test.h"

#define SEED   0x0DE1
#define LEN    (5 * PAGE_SIZE + 9)
#define GROW   (64 * KiB)

static int shared_fd;

static void
child_reads(void *unused)
{
	CHECK_FILE_CONTENT("the unlinked file, in a child", shared_fd, 0, LEN, SEED);
	write_at(shared_fd, LEN, PAGE_SIZE, SEED);          /* grows it */
}

int
main(void)
{
	char path[160], link_name[160];
	struct stat st, again;
	int fd = make_file(file_path(path, sizeof(path), "f"), LEN, SEED), fresh, dup_fd;

	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("st_nlink before", 1, st.st_nlink);

	say("unlink while open");
	CHECK_SYS(unlink(path));
	CHECK_ERR(stat(path, &again), ENOENT);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);
	CHECK_SYS(fstat(fd, &again));
	CHECK_EQ("st_nlink of the unlinked file", 0, again.st_nlink);
	CHECK_EQ("st_size of the unlinked file", LEN, again.st_size);
	CHECK_EQ("same inode", (long long)st.st_ino, (long long)again.st_ino);
	CHECK_FILE_CONTENT("the unlinked file", fd, 0, LEN, SEED);

	say("a new file under the old name is a different one");
	fresh = CHECK_SYS(open(path, O_CREAT | O_EXCL | O_RDWR, 0644));
	CHECK_SYS(fstat(fresh, &again));
	CHECK_EQ("new file's size", 0, again.st_size);
	CHECK(again.st_ino != st.st_ino || again.st_dev != st.st_dev,
	      "the new file has the unlinked file's inode %llu", (unsigned long long)st.st_ino);
	write_at(fresh, 0, 100, SEED + 1);
	close(fresh);
	CHECK_SYS(unlink(path));
	CHECK_FILE_CONTENT("the unlinked file, after the new one", fd, 0, LEN, SEED);

	say("the unlinked file still takes writes, through dup and in a child");
	dup_fd = CHECK_SYS(dup(fd));
	shared_fd = dup_fd;
	check_exited("child", run_in_child(child_reads, NULL), 0);
	CHECK_EQ("size after the child's write", LEN + PAGE_SIZE, file_size(fd));
	CHECK_FILE_CONTENT("the child's write", fd, 0, LEN + PAGE_SIZE, SEED);
	write_at(fd, GROW, 10, SEED);
	CHECK_EQ("size after growing", GROW + 10, file_size(dup_fd));
	CHECK_FILE_ZERO("the gap", dup_fd, LEN + PAGE_SIZE, GROW - LEN - PAGE_SIZE);
	CHECK_FILE_CONTENT("the far write", dup_fd, GROW, 10, SEED);
	close(dup_fd);
	close(fd);

	say("a hard link keeps the inode after one name goes");
	fd = make_file(path, LEN, SEED);
	file_path(link_name, sizeof(link_name), "link");
	CHECK_SYS(link(path, link_name));
	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("st_nlink with two names", 2, st.st_nlink);
	CHECK_SYS(unlink(path));
	CHECK_SYS(fstat(fd, &st));
	CHECK_EQ("st_nlink with one name", 1, st.st_nlink);
	close(fd);
	fd = open_file(link_name, O_RDONLY);
	CHECK_FILE_CONTENT("through the other name", fd, 0, LEN, SEED);
	close(fd);
	CHECK_SYS(unlink(link_name));
	say("an unlinked open file lived on as on Linux");
	return 0;
}
