/*
 * kernel/printk.h — kernel messages, panics and assertions.
 *
 * A message may start with a level, as on Linux: printk(KERN_ERR "...").
 * Messages whose level is below the console level (loglevel=N on the
 * command line, default 7) reach the consoles (serial and VGA); the rest
 * are dropped. Messages without a level get KERN_DEFAULT_LEVEL.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>

#define KERN_EMERG   "<0>"
#define KERN_ALERT   "<1>"
#define KERN_CRIT    "<2>"
#define KERN_ERR     "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE  "<5>"
#define KERN_INFO    "<6>"
#define KERN_DEBUG   "<7>"
#define KERN_DEFAULT_LEVEL 4

#define pr_err(...)   printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)  printk(KERN_WARNING __VA_ARGS__)
#define pr_info(...)  printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
/* Writes straight to the consoles, whatever the log level (test verdicts). */
void console_write(const char *s, unsigned n);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

extern int console_loglevel;
/* For oopses: the console lock may be held by the code that crashed. */
void console_break_lock(void);

/* Prints the message and a backtrace, then stops the machine. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define BUG() panic("BUG at %s:%d (%s)", __FILE__, __LINE__, __func__)
#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (__builtin_expect(!!(cond), 0))                             \
			panic("BUG_ON(%s) at %s:%d (%s)", #cond, __FILE__,     \
			      __LINE__, __func__);                             \
	} while (0)
#define WARN_ON(cond)                                                          \
	({                                                                     \
		int __w = !!(cond);                                            \
		if (__builtin_expect(__w, 0))                                  \
			printk(KERN_WARNING "WARNING: %s at %s:%d (%s)\n",     \
			       #cond, __FILE__, __LINE__, __func__);           \
		__w;                                                           \
	})

#endif
