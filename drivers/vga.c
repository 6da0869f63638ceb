/*
 * drivers/vga.c — the VGA text console: 80x25 cells at physical 0xB8000,
 * each a character byte and an attribute byte. Output scrolls; the
 * hardware cursor follows the text through the CRTC ports.
 */
#include <drivers/vga.h>
#include <arch/x86/cpu.h>
#include <arch/x86/memlayout.h>
#include <libk/string.h>
#include <stdint.h>

#define VGA_PHYS    0xB8000
#define VGA_COLS    80
#define VGA_ROWS    25
#define VGA_ATTR    0x07        /* light grey on black */
#define CRTC_INDEX  0x3D4
#define CRTC_DATA   0x3D5
#define CRTC_CURSOR_HI 0x0E
#define CRTC_CURSOR_LO 0x0F
#define TAB_WIDTH   8

static uint16_t *const vga_buf = (uint16_t *)__va(VGA_PHYS);
static unsigned vga_row, vga_col;

static uint16_t
vga_cell(char c)
{
	return (uint16_t)(uint8_t)c | (VGA_ATTR << 8);
}

static void
vga_move_cursor(void)
{
	unsigned pos = vga_row * VGA_COLS + vga_col;

	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	outb(CRTC_DATA, pos >> 8);
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	outb(CRTC_DATA, pos & 0xFF);
}

static void
vga_clear_row(unsigned row)
{
	for (unsigned c = 0; c < VGA_COLS; c++)
		vga_buf[row * VGA_COLS + c] = vga_cell(' ');
}

static void
vga_newline(void)
{
	vga_col = 0;
	if (++vga_row < VGA_ROWS)
		return;
	memmove(vga_buf, vga_buf + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * 2);
	vga_clear_row(VGA_ROWS - 1);
	vga_row = VGA_ROWS - 1;
}

static void
vga_putc(char c)
{
	switch (c) {
	case '\n':
		vga_newline();
		return;
	case '\r':
		vga_col = 0;
		return;
	case '\b':
		if (vga_col)
			vga_col--;
		return;
	case '\t':
		vga_col = (vga_col + TAB_WIDTH) & ~(TAB_WIDTH - 1);
		break;
	default:
		vga_buf[vga_row * VGA_COLS + vga_col++] = vga_cell(c);
		break;
	}
	if (vga_col >= VGA_COLS)
		vga_newline();
}

void
vga_init(void)
{
	for (unsigned r = 0; r < VGA_ROWS; r++)
		vga_clear_row(r);
	vga_row = vga_col = 0;
	vga_move_cursor();
}

void
vga_write(const char *s, size_t n)
{
	while (n--)
		vga_putc(*s++);
	vga_move_cursor();
}
