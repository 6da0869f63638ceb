/*
 * drivers/tty.c — the console terminal, /dev/console (5:1) and /dev/tty
 * (5:0): output to the serial port and the VGA screen, input from the
 * serial port, through a line discipline that behaves like Linux's N_TTY.
 *
 * Input arrives one byte at a time in interrupt context (tty_receive_char)
 * and is cooked there according to the termios flags:
 *   - ICRNL turns CR into NL, so Enter works whether the terminal sends
 *     CR or LF; IGNCR drops CR; INLCR turns NL into CR.
 *   - ISIG: VINTR (^C) and VQUIT (^\) send SIGINT / SIGQUIT to the
 *     foreground process group (TIOCSPGRP; until one is set, init's group,
 *     where the shell and its children live) and throw away the line.
 *   - ICANON: bytes collect in the edit line; VERASE (DEL or ^H) and
 *     VWERASE (^W) erase, VKILL (^U) erases the line, NL or VEOF (^D)
 *     complete it. read() returns at most one completed line; ^D on an
 *     empty line makes read() return 0 (end of file).
 *   - Without ICANON, bytes are readable at once; read() waits for VMIN
 *     bytes (at least one; VTIME is not implemented and treated as 0).
 *   - ECHO echoes what is typed (ECHOCTL as ^X), ECHOE erases on screen.
 *
 * Invariants: ready[] holds bytes read() may return, line[] the line
 * being edited (canonical mode only); lines_ready counts the line ends
 * (NL, or EOF markers) in ready[].
 *
 * Locking: tty.lock (irqsave) protects everything in struct tty; readers
 * copy out into a small kernel buffer under it, drop it and then copy to
 * user memory (which may fault and sleep).
 */
#include <drivers/tty.h>
#include <drivers/serial.h>
#include <fs/vfs.h>
#include <fs/file.h>
#include <arch/x86/trap.h>
#include <arch/x86/pic.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <libk/string.h>

#define TTY_BUF   1024
#define EOF_MARK  0x100          /* in ready[]: a ^D that ends a read */
#define IRQ_COM1  4

/* termios of Linux i386 (struct termios in asm-generic/termbits.h) */
#define NCCS 19
struct termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VWERASE 14
/* c_iflag */
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400
#define IXON  0002000
/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004
/* c_cflag */
#define B38400 0000017
#define CS8    0000060
#define CREAD  0000200
#define HUPCL  0002000
/* c_lflag */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000

/* ioctls */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCNOTTY  0x5422

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct tty {
	spinlock_t lock;
	struct termios termios;
	struct winsize winsize;
	int pgrp;                       /* foreground process group (0: none yet) */
	uint16_t ready[TTY_BUF];        /* ring of bytes for read(), EOF_MARK entries */
	unsigned ready_head, ready_count;
	unsigned lines_ready;           /* completed lines (canonical mode) in ready[] */
	char line[TTY_BUF];             /* the line being edited */
	unsigned line_len;
	struct wait_queue_head read_wait;
};

static struct tty console_tty = {
	.lock = SPINLOCK_INIT(console_tty.lock),
	.termios = {
		.c_iflag = ICRNL | IXON,
		.c_oflag = OPOST | ONLCR,
		.c_cflag = B38400 | CS8 | CREAD | HUPCL,
		.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
		.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 },
	},
	.winsize = { 24, 80, 0, 0 },
};

/* ---- input: interrupt context, tty.lock held ---------------------------- */

static void
echo_bytes(const char *s, unsigned n)
{
	console_write(s, n);
}

static void
echo_char(struct tty *tty, char c)
{
	if (!(tty->termios.c_lflag & ECHO))
		return;
	if ((tty->termios.c_lflag & ECHOCTL) && (uint8_t)c < 32 && c != '\n' && c != '\t') {
		char caret[2] = { '^', (char)(c + 64) };

		echo_bytes(caret, 2);
	} else {
		echo_bytes(&c, 1);
	}
}

static void
push_ready(struct tty *tty, uint16_t c)
{
	if (tty->ready_count == TTY_BUF)
		return;                          /* full: drop, as a real UART overruns */
	tty->ready[(tty->ready_head + tty->ready_count++) % TTY_BUF] = c;
}

/* Moves the edit line into ready[], ended by end (NL or EOF_MARK). */
static void
commit_line(struct tty *tty, uint16_t end)
{
	for (unsigned i = 0; i < tty->line_len; i++)
		push_ready(tty, (uint8_t)tty->line[i]);
	if (end != EOF_MARK || tty->line_len == 0)
		push_ready(tty, end);
	else
		push_ready(tty, EOF_MARK);
	tty->line_len = 0;
	tty->lines_ready++;
}

static void
erase_one(struct tty *tty)
{
	char c;

	if (!tty->line_len)
		return;
	c = tty->line[--tty->line_len];
	if ((tty->termios.c_lflag & (ECHO | ECHOE)) == (ECHO | ECHOE)) {
		echo_bytes("\b \b", 3);
		if ((tty->termios.c_lflag & ECHOCTL) && (uint8_t)c < 32 && c != '\t')
			echo_bytes("\b \b", 3);      /* it was shown as ^X */
	}
}

static void
erase_word(struct tty *tty)
{
	while (tty->line_len && tty->line[tty->line_len - 1] == ' ')
		erase_one(tty);
	while (tty->line_len && tty->line[tty->line_len - 1] != ' ')
		erase_one(tty);
}

static bool
handle_signal_char(struct tty *tty, char c)
{
	const uint8_t *cc = tty->termios.c_cc;
	int sig;

	if (!(tty->termios.c_lflag & ISIG))
		return false;
	if (cc[VINTR] && (uint8_t)c == cc[VINTR])
		sig = SIGINT;
	else if (cc[VQUIT] && (uint8_t)c == cc[VQUIT])
		sig = SIGQUIT;
	else
		return false;
	echo_char(tty, c);
	echo_bytes("\n", 1);
	tty->line_len = 0;
	kill_pgrp(tty->pgrp ? tty->pgrp : INIT_PID, sig);   /* init itself ignores it */
	return true;
}

/* Applies the input-flag translations; returns -1 to drop the byte. */
static int
translate_input(struct tty *tty, char c)
{
	uint32_t iflag = tty->termios.c_iflag;

	if (c == '\r') {
		if (iflag & IGNCR)
			return -1;
		if (iflag & ICRNL)
			return '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		return '\r';
	}
	return (uint8_t)c;
}

static void
canonical_input(struct tty *tty, char c)
{
	const uint8_t *cc = tty->termios.c_cc;

	if ((uint8_t)c == cc[VERASE] || c == '\b') {
		erase_one(tty);
	} else if ((uint8_t)c == cc[VWERASE] && (tty->termios.c_lflag & IEXTEN)) {
		erase_word(tty);
	} else if ((uint8_t)c == cc[VKILL]) {
		while (tty->line_len)
			erase_one(tty);
	} else if ((uint8_t)c == cc[VEOF]) {
		commit_line(tty, EOF_MARK);
	} else if (c == '\n') {
		if (tty->termios.c_lflag & (ECHO | ECHONL))
			echo_bytes("\n", 1);
		commit_line(tty, '\n');
	} else if (tty->line_len < TTY_BUF - 1) {
		tty->line[tty->line_len++] = c;
		echo_char(tty, c);
	}
}

void
tty_receive_char(char raw)
{
	struct tty *tty = &console_tty;
	uint32_t flags = spin_lock_irqsave(&tty->lock);
	int c = translate_input(tty, raw);

	if (c >= 0 && !handle_signal_char(tty, (char)c)) {
		if (tty->termios.c_lflag & ICANON) {
			canonical_input(tty, (char)c);
		} else {
			push_ready(tty, (uint8_t)c);
			echo_char(tty, (char)c);
		}
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	wake_up(&tty->read_wait);
}

static void
serial_interrupt(struct trapframe *tf)
{
	int c;

	(void)tf;
	while ((c = serial_getc_nowait()) >= 0)
		tty_receive_char((char)c);
}

/* ---- read and write ------------------------------------------------------ */

static bool
input_available(struct tty *tty)
{
	if (tty->termios.c_lflag & ICANON)
		return tty->lines_ready > 0;
	return tty->ready_count >= (tty->termios.c_cc[VMIN] ? tty->termios.c_cc[VMIN] : 1u);
}

/* Takes up to max bytes of input into out (stopping after a line end in
 * canonical mode); *eof is set when an EOF marker ended it. tty.lock held. */
static size_t
take_input(struct tty *tty, char *out, size_t max, bool *eof)
{
	bool canon = tty->termios.c_lflag & ICANON;
	size_t n = 0;

	*eof = false;
	while (n < max && tty->ready_count) {
		uint16_t c = tty->ready[tty->ready_head];

		tty->ready_head = (tty->ready_head + 1) % TTY_BUF;
		tty->ready_count--;
		if (c == EOF_MARK) {
			if (canon)
				tty->lines_ready--;
			*eof = true;
			break;
		}
		out[n++] = (char)c;
		if (canon && c == '\n') {
			tty->lines_ready--;
			break;
		}
	}
	return n;
}

static ssize_t
tty_read(struct file *f, struct iobuf *b, loff_t *pos)
{
	struct tty *tty = f->private_data;
	char chunk[256];
	size_t n;
	bool eof;
	uint32_t flags;
	int err;

	(void)pos;
	for (;;) {
		flags = spin_lock_irqsave(&tty->lock);
		if (input_available(tty))
			break;
		spin_unlock_irqrestore(&tty->lock, flags);
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(tty->read_wait, input_available(tty));
		if (err)
			return err;
	}
	n = take_input(tty, chunk, b->left < sizeof(chunk) ? b->left : sizeof(chunk), &eof);
	spin_unlock_irqrestore(&tty->lock, flags);
	if (n && iobuf_put(b, chunk, n))
		return -EFAULT;              /* the line is lost, as on Linux */
	return (ssize_t)n;
}

static ssize_t
tty_write(struct file *f, struct iobuf *b, loff_t *pos)
{
	char chunk[256];
	size_t done = 0;

	(void)f;
	(void)pos;
	/* console_write turns "\n" into "\r\n" on the serial line, which is
	 * OPOST|ONLCR; clearing them is accepted but changes nothing. */
	while (b->left) {
		size_t n = b->left < sizeof(chunk) ? b->left : sizeof(chunk);

		if (iobuf_get(b, chunk, n))
			return done ? (ssize_t)done : -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (ssize_t)done;
}

/* ---- ioctl --------------------------------------------------------------- */

static long
set_termios(struct tty *tty, unsigned long arg, bool flush)
{
	struct termios t;
	uint32_t flags;

	if (copy_from_user(&t, (void *)arg, sizeof(t)))
		return -EFAULT;
	flags = spin_lock_irqsave(&tty->lock);
	if ((tty->termios.c_lflag & ICANON) && !(t.c_lflag & ICANON)) {
		commit_line(tty, '\n');          /* hand over what was typed so far */
		tty->ready_count--;              /* ...without the added newline */
		tty->lines_ready = 0;
	} else if (!(tty->termios.c_lflag & ICANON) && (t.c_lflag & ICANON)) {
		tty->lines_ready = tty->ready_count ? 1 : 0;
	}
	if (flush) {
		tty->ready_count = tty->lines_ready = tty->line_len = 0;
	}
	tty->termios = t;
	spin_unlock_irqrestore(&tty->lock, flags);
	wake_up(&tty->read_wait);
	return 0;
}

static long
tty_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct tty *tty = f->private_data;
	void *uarg = (void *)arg;
	uint32_t value;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &tty->termios, sizeof(tty->termios)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(tty, arg, cmd == TCSETSF);
	case TIOCGWINSZ:
		return copy_to_user(uarg, &tty->winsize, sizeof(tty->winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return copy_from_user(&tty->winsize, uarg, sizeof(tty->winsize)) ? -EFAULT : 0;
	case TIOCGPGRP:
		return put_user_u32(tty->pgrp ? tty->pgrp : current->pgid, uarg) ? -EFAULT : 0;
	case TIOCSPGRP:
		if (get_user_u32(&value, uarg))
			return -EFAULT;
		if ((int)value <= 0)
			return -EINVAL;
		tty->pgrp = (int)value;
		return 0;
	case FIONREAD:
		return put_user_u32(tty->ready_count, uarg) ? -EFAULT : 0;
	case TIOCSCTTY:
	case TIOCNOTTY:
		return 0;
	default:
		return -ENOTTY;
	}
}

static int
tty_open(struct inode *inode, struct file *f)
{
	(void)inode;
	f->private_data = &console_tty;
	return 0;
}

static const struct file_operations tty_fops = {
	.open = tty_open,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.llseek_ok = no_seek,
};

void
tty_init(void)
{
	init_waitqueue_head(&console_tty.read_wait);
	register_chrdev(5, 0, "tty", &tty_fops);
	register_chrdev(5, 1, "console", &tty_fops);
	irq_register(IRQ_COM1, serial_interrupt);
	serial_enable_rx_interrupt();
	pic_unmask(IRQ_COM1);
}
