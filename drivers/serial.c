/*
 * drivers/serial.c — COM1, a 16550 UART at I/O port 0x3F8, 115200 8N1.
 *
 * Input raises IRQ 4 once serial_enable_rx_interrupt() has been called
 * (drivers/tty.c reads it). Output is polled: wait until the transmit
 * holding register is empty, then write the byte. Kernel output must get out even with interrupts
 * off (in an oops), so nothing here sleeps or relies on interrupts.
 */
#include <drivers/serial.h>
#include <arch/x86/cpu.h>

#define COM1          0x3F8
#define UART_DATA     0   /* RBR on read, THR on write; DLL when DLAB=1 */
#define UART_IER      1   /* interrupt enable; DLM when DLAB=1 */
#define UART_FCR      2   /* FIFO control */
#define UART_LCR      3   /* line control */
#define UART_MCR      4   /* modem control */
#define UART_LSR      5   /* line status */

#define LCR_8N1       0x03
#define LCR_DLAB      0x80
#define FCR_ENABLE_CLEAR_14 0xC7
#define MCR_DTR_RTS_OUT2    0x0B
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define BAUD_DIVISOR_115200 1

void
serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, BAUD_DIVISOR_115200);
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR_14);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

static void
serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Writes n bytes, turning "\n" into "\r\n" for terminals. */
void
serial_write(const char *s, size_t n)
{
	for (; n; n--, s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}

#define IER_RX_AVAILABLE 0x01

/* Asks the UART to interrupt (IRQ 4) when a byte arrives; the console tty
 * calls this once its handler is registered. */
void
serial_enable_rx_interrupt(void)
{
	while (serial_getc_nowait() >= 0)
		;                                /* drop what arrived during boot */
	outb(COM1 + UART_IER, IER_RX_AVAILABLE);
}

int
serial_getc_nowait(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}
