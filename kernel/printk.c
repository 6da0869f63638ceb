/*
 * kernel/printk.c — formats kernel messages and writes them to the
 * consoles (COM1 and VGA text). A spinlock keeps lines from interleaving
 * between threads; output is synchronous, so a message printed just
 * before a crash is always seen.
 */
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/cmdline.h>
#include <drivers/serial.h>
#include <drivers/vga.h>
#include <libk/stdio.h>
#include <libk/string.h>

#define PRINTK_BUF 512

int console_loglevel = 7;
static DEFINE_SPINLOCK(console_lock);

static int
parse_loglevel(const char *val)
{
	console_loglevel = (int)strtoul(val, NULL, 10);
	return 0;
}
KERNEL_PARAM("loglevel", parse_loglevel, "console log level 0-8: messages below it are shown");

void
console_write(const char *s, unsigned n)
{
	uint32_t flags = spin_lock_irqsave(&console_lock);

	serial_write(s, n);
	vga_write(s, n);
	spin_unlock_irqrestore(&console_lock, flags);
}

void
console_break_lock(void)
{
	console_lock.locked = 0;
}

/* Splits "<N>text" into level N and text. */
static const char *
strip_level(const char *msg, int *level)
{
	if (msg[0] == '<' && msg[1] >= '0' && msg[1] <= '7' && msg[2] == '>') {
		*level = msg[1] - '0';
		return msg + 3;
	}
	*level = KERN_DEFAULT_LEVEL;
	return msg;
}

int
vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	int level, n = vsnprintf(buf, sizeof(buf), fmt, ap);
	const char *text = strip_level(buf, &level);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (level < console_loglevel)
		console_write(text, strlen(text));
	return n;
}

int
printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void
console_printf(const char *fmt, ...)
{
	char buf[PRINTK_BUF];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
}
