/*
 * kernel/init.c — the first user process.
 *
 * The init kernel thread becomes pid 1: it gets a signal state, a file
 * table with /dev/console on fds 0-1-2, the root as cwd, and execs
 * init_path (default /sbin/init, command line option init=). Words after
 * "--" on the kernel command line are init's arguments, as on Linux.
 */
#include <kernel/init.h>
#include <kernel/fork.h>
#include <arch/x86/process.h>
#include <kernel/exec.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <fs/file.h>
#include <fs/fs_struct.h>
#include <libk/string.h>

#define INIT_MAX_ARGS 16

static char init_path[128] = "/sbin/init";
static char init_args_buf[256];
static const char *init_argv[INIT_MAX_ARGS + 2];
static const char *const init_envp[] = { "HOME=/", "PATH=/bin:/sbin", "TERM=vt100", NULL };

static int
parse_init(const char *val)
{
	if (val[0] != '/')
		return -1;
	strlcpy(init_path, val, sizeof(init_path));
	return 0;
}
KERNEL_PARAM("init", parse_init, "path of the first user program (default /sbin/init)");

/* Splits the words after "--" into init's argv (argv[0] is the path). */
static void
build_init_argv(void)
{
	const char *cmdline = saved_cmdline();
	const char *dash = strncmp(cmdline, "-- ", 3) == 0 ? cmdline - 1 : strstr(cmdline, " -- ");
	int n = 0;

	init_argv[n++] = init_path;
	if (dash) {
		char *p = init_args_buf;

		strlcpy(init_args_buf, dash + 4, sizeof(init_args_buf));
		while (*p && n <= INIT_MAX_ARGS) {
			while (*p == ' ')
				*p++ = 0;
			if (!*p)
				break;
			init_argv[n++] = p;
			while (*p && *p != ' ')
				p++;
		}
	}
	init_argv[n] = NULL;
}

void
start_init_process(void)
{
	struct task *t = current;
	int err;

	if (process_init_current())
		panic("init: out of memory");
	t->files = files_alloc();
	t->fs = fs_struct_alloc_root();
	if (!t->files || !t->fs || open_console_fds(t->files) < 0)
		panic("init: cannot set up files and /dev/console");
	build_init_argv();
	err = kernel_execve(init_path, init_argv, init_envp);
	if (err)
		panic("init: cannot run %s (error %d)", init_path, err);
	arch_enter_user();
}
