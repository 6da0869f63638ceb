/*
 * userland/true.c — does nothing and exits 0: the small static program
 * that benchmarks fork and exec (tests/bench: fork+exec+exit).
 */
int
main(void)
{
	return 0;
}
