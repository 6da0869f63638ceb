/*
 * userland/sh.c — a small interactive shell.
 *
 * Reads a line after the prompt "anvil$ ", splits it into words (whitespace
 * separates words; "double quotes" keep spaces inside one), and runs it:
 *   built-ins   cd [dir], exit [status], help
 *   commands    by path if the name has a '/', otherwise from /bin
 *   redirection "> file" (create/truncate) and "< file"
 *   one pipe    "a | b"
 * A command that does not exit 0 gets a note: "[exit N]" or "[signal N]".
 *
 * Line editing is done here as well as by the console: if the terminal is not
 * in canonical mode (raw bytes arrive), backspace (^H or DEL) erases, ^C drops
 * the line, ^D on an empty line ends the shell, and both '\r' and '\n' end a
 * line; the shell echoes only when the terminal does not.
 *
 * An interactive shell (stdin a terminal) first shows /etc/motd. As PID 1
 * (started by init with "shell") it also reaps orphans, and "exit" powers the
 * machine off instead of ending PID 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PROMPT          "anvil$ "
#define MOTD_PATH       "/etc/motd"
#define BIN_DIR         "/bin"
#define INIT_PID        1
#define MAX_LINE        512
#define MAX_WORDS       64
#define PATH_LEN        256
#define KEY_BACKSPACE   '\b'
#define KEY_DELETE      0x7f
#define KEY_INTERRUPT   0x03                   /* ^C */
#define KEY_END_OF_FILE 0x04                   /* ^D */
#define EXIT_NOT_FOUND  127
#define EXIT_CANNOT_RUN 126

/* One simple command: its words and its redirections. */
struct command {
	char *argv[MAX_WORDS + 1];
	int argc;
	const char *input;         /* "< file" or NULL */
	const char *output;        /* "> file" or NULL */
};

enum line_result { LINE_READ, LINE_EOF };

static int shell_echoes;       /* the terminal does not echo: we must */

static char *const child_envp[] = { "PATH=/bin", "HOME=/", NULL };

/* ---- reading a line ------------------------------------------------------ */

/* decide_echo - echo ourselves only for a terminal that does not. */
static void
decide_echo(void)
{
	struct termios t;

	shell_echoes = isatty(0) && tcgetattr(0, &t) == 0 && !(t.c_lflag & ECHO);
}

/* echo_text - show text when the terminal does not echo for us. */
static void
echo_text(const char *text)
{
	if (shell_echoes)
		write(1, text, strlen(text));
}

/* read_line - one line with editing, without its terminator. */
static enum line_result
read_line(char *line, size_t size)
{
	size_t len = 0;
	char c;

	for (;;) {
		ssize_t n = read(0, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (c == KEY_END_OF_FILE && len == 0)) {
			if (len == 0)
				return LINE_EOF;
			break;
		}
		if (c == '\r' || c == '\n') {
			echo_text("\n");
			break;
		}
		if (c == KEY_BACKSPACE || c == KEY_DELETE) {
			if (len > 0) {
				len--;
				echo_text("\b \b");
			}
		} else if (c == KEY_INTERRUPT) {
			echo_text("^C\n");
			len = 0;
			break;
		} else if (len + 1 < size && (unsigned char)c >= ' ') {
			line[len++] = c;
			if (shell_echoes)
				write(1, &c, 1);
		}
	}
	line[len] = '\0';
	return LINE_READ;
}

/* ---- splitting into words ------------------------------------------------- */

/* split_words - cut line in place into words; quotes group, and are removed.
 * Returns the number of words, or -1 for an unterminated quote. */
static int
split_words(char *line, char **words, int max)
{
	int count = 0;
	char *in = line;

	while (*in) {
		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in)
			break;
		if (count == max)
			return -1;
		char *out = in;
		words[count++] = out;
		int quoted = 0;
		while (*in && (quoted || (*in != ' ' && *in != '\t'))) {
			if (*in == '"')
				quoted = !quoted;
			else
				*out++ = *in;
			in++;
		}
		if (quoted)
			return -1;
		if (*in)
			in++;
		*out = '\0';
	}
	return count;
}

/* parse_command - words[first..last) into cmd, taking out redirections.
 * Returns 0, or -1 for a redirection without a file name. */
static int
parse_command(char **words, int first, int last, struct command *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	for (int i = first; i < last; i++) {
		if (strcmp(words[i], ">") == 0 || strcmp(words[i], "<") == 0) {
			if (i + 1 >= last)
				return -1;
			if (words[i][0] == '>')
				cmd->output = words[++i];
			else
				cmd->input = words[++i];
		} else {
			cmd->argv[cmd->argc++] = words[i];
		}
	}
	cmd->argv[cmd->argc] = NULL;
	return 0;
}

/* ---- running commands ------------------------------------------------------ */

/* redirect - open file onto fd target; exits the child on failure. */
static void
redirect(const char *file, int flags, int target)
{
	int fd = open(file, flags, 0644);

	if (fd < 0) {
		fprintf(stderr, "sh: %s: %s\n", file, strerror(errno));
		_exit(1);
	}
	dup2(fd, target);
	close(fd);
}

/* exec_command - in a child: redirections, then exec; never returns. */
static void
exec_command(const struct command *cmd)
{
	char path[PATH_LEN];
	const char *name = cmd->argv[0];

	signal(SIGINT, SIG_DFL);
	if (cmd->input)
		redirect(cmd->input, O_RDONLY, 0);
	if (cmd->output)
		redirect(cmd->output, O_WRONLY | O_CREAT | O_TRUNC, 1);
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), BIN_DIR "/%s", name);
	execve(path, cmd->argv, child_envp);
	fprintf(stderr, "sh: %s: %s\n", name, strerror(errno));
	_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

/* spawn - fork a child running cmd with stdin/stdout from in/out (-1: keep). */
static pid_t
spawn(const struct command *cmd, int in, int out, int close_in_child)
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "sh: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (in >= 0)
			dup2(in, 0);
		if (out >= 0)
			dup2(out, 1);
		if (close_in_child >= 0)
			close(close_in_child);
		if (in > 2)
			close(in);
		if (out > 2)
			close(out);
		exec_command(cmd);
	}
	return pid;
}

/* report_status - "[exit N]" or "[signal N]" unless it exited 0. */
static void
report_status(int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		printf("[exit %d]\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("[signal %d]\n", WTERMSIG(status));
}

/* wait_all - wait until every one of pids[0..n) has ended, keeping each
 * status; other children reaped meanwhile (orphans, when we are PID 1) are
 * dropped. */
static void
wait_all(const pid_t *pids, int *statuses, int n)
{
	int left = n;

	while (left > 0) {
		int status;
		pid_t got = waitpid(-1, &status, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return;                            /* ECHILD: nothing left */
		for (int i = 0; i < n; i++) {
			if (pids[i] == got) {
				statuses[i] = status;
				left--;
			}
		}
	}
}

/* run_simple - run one external command and report its status. */
static void
run_simple(const struct command *cmd)
{
	pid_t pid = spawn(cmd, -1, -1, -1);
	int status = 0;

	if (pid > 0) {
		wait_all(&pid, &status, 1);
		report_status(status);
	}
}

/* run_pipeline - left | right; the status shown is the right side's. */
static void
run_pipeline(const struct command *left, const struct command *right)
{
	int p[2], statuses[2] = { 0, 0 };
	pid_t pids[2];

	if (pipe(p) < 0) {
		fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
		return;
	}
	pids[0] = spawn(left, -1, p[1], p[0]);
	pids[1] = spawn(right, p[0], -1, p[1]);
	close(p[0]);
	close(p[1]);
	wait_all(pids, statuses, 2);
	if (pids[1] > 0)
		report_status(statuses[1]);
}

/* ---- built-ins ---------------------------------------------------------------- */

/* power_off - as PID 1, "exit" ends the machine rather than PID 1. */
static void
power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	fprintf(stderr, "sh: power off failed: %s\n", strerror(errno));
}

/* builtin_help - what the shell understands. */
static void
builtin_help(void)
{
	printf("built-ins: cd [dir], exit [status], help\n"
	       "commands run from " BIN_DIR " (or by path); \"a | b\", \"> file\", \"< file\"\n");
}

/* run_builtin - returns 1 if cmd was a built-in (and ran it). */
static int
run_builtin(const struct command *cmd)
{
	const char *name = cmd->argv[0];

	if (strcmp(name, "cd") == 0) {
		const char *dir = cmd->argc > 1 ? cmd->argv[1] : "/";
		if (chdir(dir) < 0)
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (strcmp(name, "exit") == 0) {
		if (getpid() == INIT_PID)
			power_off();
		exit(cmd->argc > 1 ? atoi(cmd->argv[1]) : 0);
	}
	if (strcmp(name, "help") == 0) {
		builtin_help();
		return 1;
	}
	return 0;
}

/* ---- one line ----------------------------------------------------------------- */

/* find_pipe - index of the "|" word, or -1. */
static int
find_pipe(char **words, int count)
{
	for (int i = 0; i < count; i++)
		if (strcmp(words[i], "|") == 0)
			return i;
	return -1;
}

/* show_motd - the message of the day, for an interactive shell. */
static void
show_motd(void)
{
	char buf[MAX_LINE];
	ssize_t n;
	int fd = open(MOTD_PATH, O_RDONLY);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		write(1, buf, (size_t)n);
	close(fd);
}

/* run_line - split, parse and run one command line. */
static void
run_line(char *line)
{
	char *words[MAX_WORDS];
	struct command left, right;
	int count = split_words(line, words, MAX_WORDS);

	if (count < 0) {
		fprintf(stderr, "sh: unterminated quote or too many words\n");
		return;
	}
	if (count == 0)
		return;
	int bar = find_pipe(words, count);
	if (bar < 0) {
		if (parse_command(words, 0, count, &left) < 0 || left.argc == 0)
			fprintf(stderr, "sh: syntax error\n");
		else if (!run_builtin(&left))
			run_simple(&left);
		return;
	}
	if (parse_command(words, 0, bar, &left) < 0 || left.argc == 0 ||
	    parse_command(words, bar + 1, count, &right) < 0 || right.argc == 0 ||
	    find_pipe(words + bar + 1, count - bar - 1) >= 0) {
		fprintf(stderr, "sh: syntax error (one pipe at most)\n");
		return;
	}
	run_pipeline(&left, &right);
}

int
main(void)
{
	char line[MAX_LINE];

	signal(SIGINT, SIG_IGN);                   /* ^C is for the children */
	decide_echo();
	if (isatty(0))
		show_motd();
	for (;;) {
		fputs(PROMPT, stdout);
		fflush(stdout);
		if (read_line(line, sizeof(line)) == LINE_EOF)
			break;
		run_line(line);
		fflush(stdout);
	}
	printf("\n");
	if (getpid() == INIT_PID)
		power_off();
	return 0;
}
