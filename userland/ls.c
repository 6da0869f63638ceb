/*
 * userland/ls.c — list directories (through opendir/readdir, which musl
 * implements with getdents64) or name files.
 *
 *     ls [-l] [-a] [path...]       default path "."
 *
 * Names are sorted; names starting with '.' are shown only with -a. With -l
 * each line shows the type and permission bits (drwxr-xr-x), the link count,
 * the size in bytes and the name. With several paths each directory gets a
 * "path:" heading. A path that cannot be listed is reported on stderr and
 * makes the exit status 1.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PERMISSION_BITS 9                      /* rwx for user, group, other */
#define MODE_STRING_LEN (1 + PERMISSION_BITS + 1)  /* type, "rwxr-xr-x", NUL */

/* What the options asked for. */
struct listing {
	int long_format;           /* -l */
	int show_hidden;           /* -a */
};

/* file_type_char - the first letter of a mode string. */
static char
file_type_char(mode_t mode)
{
	if (S_ISDIR(mode))
		return 'd';
	if (S_ISLNK(mode))
		return 'l';
	if (S_ISCHR(mode))
		return 'c';
	if (S_ISBLK(mode))
		return 'b';
	if (S_ISFIFO(mode))
		return 'p';
	if (S_ISSOCK(mode))
		return 's';
	return '-';
}

/* mode_string - "drwxr-xr-x" for mode. */
static void
mode_string(mode_t mode, char out[MODE_STRING_LEN])
{
	static const char letters[] = "rwxrwxrwx";

	out[0] = file_type_char(mode);
	for (int i = 0; i < PERMISSION_BITS; i++) {
		mode_t bit = 1u << (PERMISSION_BITS - 1 - i);  /* S_IRUSR first */
		out[1 + i] = (mode & bit) ? letters[i] : '-';
	}
	out[MODE_STRING_LEN - 1] = '\0';
}

/* print_entry - one line for name (whose full path is path). */
static int
print_entry(const struct listing *how, const char *path, const char *name)
{
	struct stat st;
	char mode[MODE_STRING_LEN];

	if (!how->long_format) {
		printf("%s\n", name);
		return 0;
	}
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return -1;
	}
	mode_string(st.st_mode, mode);
	printf("%s %3lu %9lld %s\n", mode, (unsigned long)st.st_nlink, (long long)st.st_size, name);
	return 0;
}

/* compare_names - qsort order for entry names. */
static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* read_names - the (visible) names in dir, malloc'd and sorted; count out. */
static char **
read_names(const struct listing *how, DIR *dir, size_t *count)
{
	char **names = NULL;
	size_t used = 0, room = 0;
	struct dirent *e;

	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.' && !how->show_hidden)
			continue;
		if (used == room) {
			room = room ? 2 * room : 64;
			char **bigger = realloc(names, room * sizeof(*names));
			if (!bigger)
				break;
			names = bigger;
		}
		names[used++] = strdup(e->d_name);
	}
	qsort(names, used, sizeof(*names), compare_names);
	*count = used;
	return names;
}

/* list_directory - every entry of path, sorted. */
static int
list_directory(const struct listing *how, const char *path)
{
	DIR *dir = opendir(path);
	char full[PATH_MAX];
	size_t count;
	int status = 0;

	if (!dir) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char **names = read_names(how, dir, &count);
	closedir(dir);
	for (size_t i = 0; i < count; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (print_entry(how, full, names[i]) < 0)
			status = -1;
		free(names[i]);
	}
	free(names);
	return status;
}

/* list_path - a directory is listed, anything else printed as itself. */
static int
list_path(const struct listing *how, const char *path, int heading)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return print_entry(how, path, path);
	if (heading)
		printf("%s:\n", path);
	return list_directory(how, path);
}

int
main(int argc, char **argv)
{
	struct listing how = { 0, 0 };
	int opt, status = 0;

	while ((opt = getopt(argc, argv, "la")) != -1) {
		if (opt == 'l')
			how.long_format = 1;
		else if (opt == 'a')
			how.show_hidden = 1;
		else
			return 2;
	}
	if (optind == argc)
		return list_path(&how, ".", 0) < 0;
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			printf("\n");
		if (list_path(&how, argv[i], argc - optind > 1) < 0)
			status = 1;
	}
	return status;
}
