/*
 * libk/vsprintf.c — vsnprintf for the kernel (see libk/stdio.h for what it
 * understands). Output is always NUL-terminated when size > 0; the return
 * value is the length the full output would have had, as in C99.
 */
#include <libk/stdio.h>
#include <libk/string.h>
#include <stdint.h>
#include <stdbool.h>

struct out {
	char *buf;
	size_t size;
	size_t len;        /* characters produced so far, stored or not */
};

static void
put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

/* Format v in base into the end of tmp; returns the first digit. */
static char *
format_unsigned(char *end, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	return p;
}

struct numfmt {
	unsigned base;
	bool upper, left, zero;
	const char *prefix;      /* "-", "0x" or "" */
	int width;
};

static void
put_number(struct out *o, uint64_t v, struct numfmt f)
{
	char tmp[24];
	char *end = tmp + sizeof(tmp);
	char *p = format_unsigned(end, v, f.base, f.upper);
	int plen = strlen(f.prefix);

	if (f.zero && !f.left) {
		/* zeros go between the sign or 0x and the digits */
		while (*f.prefix)
			put(o, *f.prefix++);
		put_padded(o, p, end - p, f.width - plen, false, '0');
		return;
	}
	while (plen--)
		*--p = f.prefix[plen];
	put_padded(o, p, end - p, f.width, f.left, ' ');
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool left = false, zero = false, alt = false;
		int width = 0, precision = -1, lng = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			precision = 0;
			fmt++;
			while (*fmt >= '0' && *fmt <= '9')
				precision = precision * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = 1;
			else if (*fmt != 'h')
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng >= 2 ? va_arg(ap, long long)
				  : lng ? va_arg(ap, long) : va_arg(ap, int);
			put_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, (struct numfmt){
				   10, false, left, zero, v < 0 ? "-" : "", width });
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = lng >= 2 ? va_arg(ap, unsigned long long)
				   : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			unsigned base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			const char *prefix = alt && base == 16 ? (*fmt == 'X' ? "0X" : "0x")
					   : alt && base == 8 ? "0" : "";
			put_number(&o, v, (struct numfmt){ base, *fmt == 'X', left, zero, prefix, width });
			break;
		}
		case 'p':
			put_number(&o, (uintptr_t)va_arg(ap, void *),
				   (struct numfmt){ 16, false, false, true, "0x", 10 });
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t n = precision >= 0 ? strnlen(s, precision) : strlen(s);
			put_padded(&o, s, n, width, left, ' ');
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
