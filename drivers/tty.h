/* drivers/tty.h — the console terminal (/dev/console, /dev/tty) and its line discipline. */
#ifndef DRIVERS_TTY_H
#define DRIVERS_TTY_H

/* Registers the console devices and turns on serial input; called by fs_init. */
void tty_init(void);
/* Feeds one received byte to the line discipline (interrupt context). */
void tty_receive_char(char c);
#endif
