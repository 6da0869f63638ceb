/*
 * userland/ps.c — list processes the way Linux ps finds them: one directory
 * /proc/<pid> per process, whose "stat" file starts
 *
 *     pid (comm) state ppid ...
 *
 * (comm may itself contain spaces and parentheses: it ends at the last ')').
 * Prints PID, PPID, state letter and command name, sorted by pid. A process
 * that exits while ps runs is skipped. Without /proc: "ps: /proc not
 * available", exit status 1.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROC_DIR       "/proc"
#define STAT_LINE      512
#define COMM_LEN       64
#define MAX_PROCESSES  4096

/* One line of output. */
struct process {
	int pid;
	int ppid;
	char state;
	char comm[COMM_LEN];
};

/* is_pid_name - a directory name made only of digits. */
static int
is_pid_name(const char *name)
{
	if (!*name)
		return 0;
	for (; *name; name++)
		if (!isdigit((unsigned char)*name))
			return 0;
	return 1;
}

/* parse_stat - fill p from a /proc/<pid>/stat line; 0 on success. */
static int
parse_stat(const char *line, struct process *p)
{
	const char *open = strchr(line, '(');
	const char *close = strrchr(line, ')');

	if (!open || !close || close < open)
		return -1;
	size_t len = (size_t)(close - open - 1);
	if (len >= COMM_LEN)
		len = COMM_LEN - 1;
	memcpy(p->comm, open + 1, len);
	p->comm[len] = '\0';
	p->pid = atoi(line);
	return sscanf(close + 1, " %c %d", &p->state, &p->ppid) == 2 ? 0 : -1;
}

/* read_process - read /proc/<name>/stat; 0 on success. */
static int
read_process(const char *name, struct process *p)
{
	char path[64], line[STAT_LINE];

	snprintf(path, sizeof(path), PROC_DIR "/%s/stat", name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;                         /* it exited meanwhile */
	int ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	return ok ? parse_stat(line, p) : -1;
}

/* compare_pids - qsort order: ascending pid. */
static int
compare_pids(const void *a, const void *b)
{
	const struct process *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int
main(void)
{
	static struct process procs[MAX_PROCESSES];
	size_t count = 0;
	DIR *dir = opendir(PROC_DIR);
	struct dirent *e;

	if (!dir) {
		fprintf(stderr, "ps: " PROC_DIR " not available\n");
		return 1;
	}
	while ((e = readdir(dir)) != NULL && count < MAX_PROCESSES)
		if (is_pid_name(e->d_name) && read_process(e->d_name, &procs[count]) == 0)
			count++;
	closedir(dir);
	qsort(procs, count, sizeof(procs[0]), compare_pids);

	printf("%5s %5s %s %s\n", "PID", "PPID", "S", "CMD");
	for (size_t i = 0; i < count; i++)
		printf("%5d %5d %c %s\n", procs[i].pid, procs[i].ppid, procs[i].state, procs[i].comm);
	return 0;
}
