/*
 * userland/swapoff.c — turns swap areas off: swapoff path... (swapoff(2)
 * on each; EINVAL means the path is no active area).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>

int
main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: swapoff path...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++)
		if (swapoff(argv[i]) < 0) {
			fprintf(stderr, "swapoff: %s: swapoff failed: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}
