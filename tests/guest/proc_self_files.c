/*
 * proc_self_files — /proc reads as on Linux: /proc/self/stat starts with
 * our pid, "(comm)" and a state letter, then the parent's pid;
 * /proc/self/cmdline is argv NUL-separated; /proc/self links to our pid;
 * /proc/meminfo has MemTotal ≥ MemFree > 0; a listing of /proc contains a
 * directory named by our pid, and a child's directory goes away once it
 * has been reaped.
 */
#define TEST_NAME "proc_self_files"
#include "guest.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>

static long
read_text(const char *path, char *buf, size_t size)
{
	int fd = CHECK_OK(open(path, O_RDONLY));
	long n = CHECK_OK(read(fd, buf, size - 1));

	buf[n] = '\0';
	close(fd);
	return n;
}

static int
proc_lists(int pid)
{
	char name[16];
	struct dirent *e;
	DIR *d = opendir("/proc");
	int found = 0;

	CHECK(d != NULL, "opendir /proc: %s", strerror(errno));
	snprintf(name, sizeof(name), "%d", pid);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, name) == 0)
			found = 1;
	closedir(d);
	return found;
}

int
main(int argc, char **argv)
{
	char buf[4096], expect[64], link[32];
	unsigned long total = 0, free_kb = 0;
	int pid, ppid;
	char state, comm[64];
	long n;

	say("/proc/self/stat");
	read_text("/proc/self/stat", buf, sizeof(buf));
	CHECK_EQ("fields parsed", 4, sscanf(buf, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid));
	CHECK_EQ("pid", (long)getpid(), (long)pid);
	CHECK_EQ("ppid", (long)getppid(), (long)ppid);
	CHECK(state == 'R', "state of the reader is %c, expected R", state);

	say("/proc/self/cmdline and the self link");
	n = read_text("/proc/self/cmdline", buf, sizeof(buf));
	CHECK_EQ("cmdline length", (long)strlen(argv[0]) + 1, n);
	CHECK(strcmp(buf, argv[0]) == 0, "cmdline \"%s\" is not argv[0] \"%s\"", buf, argv[0]);
	(void)argc;
	memset(link, 0, sizeof(link));
	CHECK_OK(readlink("/proc/self", link, sizeof(link) - 1));
	snprintf(expect, sizeof(expect), "%d", getpid());
	CHECK(strcmp(link, expect) == 0, "/proc/self -> %s, expected %s", link, expect);

	say("/proc/meminfo");
	read_text("/proc/meminfo", buf, sizeof(buf));
	CHECK_EQ("MemTotal parsed", 1, sscanf(strstr(buf, "MemTotal:"), "MemTotal: %lu kB", &total));
	CHECK(strstr(buf, "MemFree:") != NULL, "no MemFree line");
	CHECK_EQ("MemFree parsed", 1, sscanf(strstr(buf, "MemFree:"), "MemFree: %lu kB", &free_kb));
	CHECK(total >= free_kb && free_kb > 0, "MemTotal %lu, MemFree %lu", total, free_kb);

	say("/proc lists processes");
	CHECK(proc_lists(getpid()), "/proc has no directory for our pid %d", getpid());
	pid_t child = CHECK_OK(fork());
	if (child == 0) {
		pause();
		_exit(0);
	}
	CHECK(proc_lists(child), "/proc has no directory for the child %d", child);
	CHECK_OK(kill(child, SIGKILL));
	CHECK_OK(waitpid(child, NULL, 0));
	CHECK(!proc_lists(child), "/proc still lists the reaped child %d", child);
	say("/proc read as on Linux");
	return 0;
}
