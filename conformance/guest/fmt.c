/* printf-style formatting for the guest (integers, strings, characters; no floating point). */
#include <humpy/libc.h>

struct fmt_out {
	char *buf;
	size_t cap;
	size_t len;
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

static void fmt_str(struct fmt_out *o, const char *s, int width, bool left)
{
	int n = (int)strlen(s);

	if (!left)
		fmt_pad(o, ' ', width - n);
	while (*s)
		fmt_putc(o, *s++);
	if (left)
		fmt_pad(o, ' ', width - n);
}

static void fmt_num(struct fmt_out *o, u64 v, unsigned base, bool upper, bool neg, int width,
                    bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && zero)
		fmt_putc(o, '-');
	if (!left)
		fmt_pad(o, zero ? '0' : ' ', width - n);
	if (neg && !zero)
		fmt_putc(o, '-');
	if (left)
		width -= n; /* pad after the digits by what they did not fill */
	while (n)
		fmt_putc(o, tmp[--n]);
	if (left)
		fmt_pad(o, ' ', width);
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct fmt_out o = {buf, n, 0};

	for (; *fmt; fmt++) {
		bool zero = false, left = false;
		int width = 0, lng = 0;

		if (*fmt != '%') {
			fmt_putc(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 v = lng ? va_arg(ap, s64) : va_arg(ap, int);
			u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

			fmt_num(&o, mag, 10, false, v < 0, width, zero, left);
			break;
		}
		case 'u':
			fmt_num(&o, lng ? va_arg(ap, u64) : va_arg(ap, unsigned), 10, false, false,
			        width, zero, left);
			break;
		case 'x':
		case 'X':
			fmt_num(&o, lng ? va_arg(ap, u64) : va_arg(ap, unsigned), 16, *fmt == 'X',
			        false, width, zero, left);
			break;
		case 'p':
			fmt_putc(&o, '0');
			fmt_putc(&o, 'x');
			fmt_num(&o, (u64)(uintptr_t)va_arg(ap, void *), 16, false, false, width,
			        zero, left);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			fmt_str(&o, s ? s : "(null)", width, left);
			break;
		}
		case 'c':
			fmt_putc(&o, (char)va_arg(ap, int));
			break;
		case '%':
			fmt_putc(&o, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end: stop at the NUL */
			break;
		default:
			fmt_putc(&o, '%');
			fmt_putc(&o, *fmt);
			break;
		}
	}
	if (n)
		buf[o.len < n ? o.len : n - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
