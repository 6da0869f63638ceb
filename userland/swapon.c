/*
 * userland/swapon.c — turns swap areas on, or lists them:
 *
 *     swapon [-p priority] path...     swapon(2) each (SWAP_FLAG_PREFER with -p)
 *     swapon -s | swapon               /proc/swaps, as Linux's swapon --summary
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>
#include <unistd.h>

static int
show_summary(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];

	if (!f) {
		perror("swapon: /proc/swaps");
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	int flags = 0, opt, status = 0;

	while ((opt = getopt(argc, argv, "p:s")) != -1) {
		if (opt == 's')
			return show_summary();
		if (opt == 'p') {
			long prio = strtol(optarg, NULL, 10);

			if (prio < 0 || prio > SWAP_FLAG_PRIO_MASK) {
				fprintf(stderr, "swapon: priority must be 0..%d\n", SWAP_FLAG_PRIO_MASK);
				return 1;
			}
			flags = SWAP_FLAG_PREFER | ((int)prio << SWAP_FLAG_PRIO_SHIFT);
		} else {
			fprintf(stderr, "usage: swapon [-p priority] path... | swapon -s\n");
			return 1;
		}
	}
	if (optind == argc)
		return show_summary();
	for (int i = optind; i < argc; i++)
		if (swapon(argv[i], flags) < 0) {
			fprintf(stderr, "swapon: %s: swapon failed: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}
