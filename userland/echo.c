/*
 * userland/echo.c — print the arguments separated by single spaces and
 * followed by a newline; "-n" as the first argument leaves out the newline.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	int first = 1, newline = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = 0;
		first = 2;
	}
	for (int i = first; i < argc; i++)
		printf("%s%s", i > first ? " " : "", argv[i]);
	if (newline)
		printf("\n");
	return fflush(stdout) == 0 ? 0 : 1;
}
