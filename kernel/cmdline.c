/*
 * kernel/cmdline.c — splits the command line into name=value options and
 * hands each to the subsystem that declared it with KERNEL_PARAM.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <libk/string.h>

#define CMDLINE_MAX 512

extern const struct kernel_param __setup_start[], __setup_end[];
static char cmdline_copy[CMDLINE_MAX];
static char cmdline_work[CMDLINE_MAX];

const char *
saved_cmdline(void)
{
	return cmdline_copy;
}

unsigned long long
memparse(const char *s, char **end)
{
	char *e;
	unsigned long long v = strtoul(s, &e, 0);

	switch (*e) {
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		e++;
		break;
	}
	if (end)
		*end = e;
	return v;
}

const struct kernel_param *
find_kernel_param(const char *name)
{
	for (const struct kernel_param *p = __setup_start; p < __setup_end; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Applies one "name=value" or "name" token (modified in place). */
static void
apply_option(char *token)
{
	char *eq = strchr(token, '=');
	const char *value = "";
	const struct kernel_param *p;

	if (eq) {
		*eq = 0;
		value = eq + 1;
	}
	p = find_kernel_param(token);
	if (!p) {
		printk(KERN_WARNING "cmdline: unknown option '%s' ignored\n", token);
		return;
	}
	if (p->set(value) < 0)
		printk(KERN_WARNING "cmdline: bad value '%s' for %s ignored\n", value, token);
}

void
parse_cmdline(const char *cmdline)
{
	char *p = cmdline_work;

	strlcpy(cmdline_copy, cmdline ? cmdline : "", sizeof(cmdline_copy));
	strlcpy(cmdline_work, cmdline_copy, sizeof(cmdline_work));
	while (*p) {
		char *start;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = 0;
		if (start == cmdline_work && strchr(start, '/') && !strchr(start, '='))
			continue;            /* GRUB puts the kernel's path first */
		if (strcmp(start, "--") == 0)
			break;               /* the rest belongs to init (kernel/init.c) */
		apply_option(start);
	}
}
