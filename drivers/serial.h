/* drivers/serial.h — the COM1 16550 UART: polled output, interrupt or polled input. */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stddef.h>
#include <stdbool.h>

void serial_init(void);
void serial_write(const char *s, size_t n);
/* Returns the next received byte, or -1 when none is waiting. */
int serial_getc_nowait(void);
/* Turns on the receive interrupt (IRQ 4). */
void serial_enable_rx_interrupt(void);
#endif
