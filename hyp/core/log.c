/* log: a small printf over the platform console, and panic. */
#include "arch.h"
#include "log.h"
#include "plat.h"

static void log_puts(const char *s)
{
	while (*s != '\0')
		plat_console_putc(*s++);
}

static void log_number(uint64_t v, unsigned base, int width, char pad, bool negative)
{
	char buf[24];
	int n = 0;

	do {
		unsigned d = (unsigned)(v % base);
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v != 0 && n < (int)sizeof(buf));
	if (negative)
		buf[n < (int)sizeof(buf) ? n++ : n - 1] = '-';
	for (int i = n; i < width; i++)
		plat_console_putc(pad);
	while (n > 0)
		plat_console_putc(buf[--n]);
}

void log_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			plat_console_putc(*fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0;
		int longs = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			log_puts(s != NULL ? s : "(null)");
			break;
		}
		case 'c':
			plat_console_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t v = longs > 0 ? va_arg(ap, int64_t) : va_arg(ap, int);
			log_number(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, pad, v < 0);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = longs > 0 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			log_number(v, *fmt == 'x' ? 16 : 10, width, pad, false);
			break;
		}
		case 'p':
			log_puts("0x");
			log_number((uint64_t)(uintptr_t)va_arg(ap, void *), 16, 0, ' ', false);
			break;
		case '%':
			plat_console_putc('%');
			break;
		default:
			plat_console_putc('?');
			if (*fmt == '\0')
				return;
			break;
		}
	}
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	log_puts("\nhumpy: PANIC ");
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
	log_puts("\n");
	arch_system_off();
}
