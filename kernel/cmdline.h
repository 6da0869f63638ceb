/*
 * kernel/cmdline.h — the kernel command line.
 *
 * GRUB passes a string such as "/boot/anvil.elf mem=64M loglevel=6
 * ktest=all". Each subsystem declares the options it understands with
 * KERNEL_PARAM next to its code; parse_cmdline() calls the handler of each
 * option it finds and warns about (then ignores) any it does not know.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

struct kernel_param {
	const char *name;                 /* option name, without '=' */
	int (*set)(const char *value);    /* value is "" for a bare flag; <0 = bad value */
	const char *help;
};

#define KERNEL_PARAM(n, fn, h)                                                 \
	static const struct kernel_param __param_##fn                          \
	__attribute__((used, section(".setup"), aligned(4))) = { n, fn, h }

/* The option declared with KERNEL_PARAM under name, or NULL. */
const struct kernel_param *find_kernel_param(const char *name);

/* Copies the command line (from boot memory) and applies every option. */
void parse_cmdline(const char *cmdline);

/* The command line as GRUB gave it, for /proc/cmdline and the boot log. */
const char *saved_cmdline(void);

/* Parses "64M", "512K", "1G" or a plain byte count. */
unsigned long long memparse(const char *s, char **end);

#endif
