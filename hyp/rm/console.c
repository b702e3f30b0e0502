/* console: polled PL011 output and a small formatter for the RM's own lines. */
#include "console.h"

#include <stdbool.h>

#define PL011_DR   0x00U
#define PL011_FR   0x18U
#define PL011_TXFF (1U << 5)
/* Bounded wait for room in the FIFO: a stuck UART must not hang the RM. */
#define PL011_SPIN 100000U

static volatile uint32_t *console_uart;

void console_init(uint64_t uart_base)
{
	console_uart = (volatile uint32_t *)(uintptr_t)uart_base;
}

static void console_putc(char c)
{
	if (console_uart == NULL) {
		return;
	}
	for (unsigned i = 0; i < PL011_SPIN && (console_uart[PL011_FR / 4] & PL011_TXFF) != 0U;
	     i++) {
	}
	console_uart[PL011_DR / 4] = (uint32_t)(uint8_t)c;
}

void console_write_bytes(void *ctx, const char *bytes, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] == '\n') {
			console_putc('\r');
		}
		console_putc(bytes[i] != '\0' ? bytes[i] : ' ');
	}
}

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void fmt_put(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void fmt_number(struct fmt_out *o, uint64_t v, unsigned base, bool neg, unsigned width,
                       char pad)
{
	char digits[24];
	unsigned n = 0;

	do {
		unsigned d = (unsigned)(v % base);

		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v != 0 && n < sizeof(digits));
	if (neg) {
		digits[n++] = '-';
	}
	while (width > n) {
		fmt_put(o, pad);
		width--;
	}
	while (n > 0) {
		fmt_put(o, digits[--n]);
	}
}

int rm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = {.buf = buf, .size = size, .len = 0};

	for (const char *p = fmt; *p != '\0'; p++) {
		unsigned width = 0, longs = 0;
		char pad = ' ';

		if (*p != '%') {
			fmt_put(&o, *p);
			continue;
		}
		p++;
		if (*p == '0') {
			pad = '0';
			p++;
		}
		while (*p >= '0' && *p <= '9') {
			width = width * 10 + (unsigned)(*p++ - '0');
		}
		while (*p == 'l') {
			longs++;
			p++;
		}
		switch (*p) {
		case 'd': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);

			fmt_number(&o, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, v < 0,
			           width, pad);
			break;
		}
		case 'u':
			fmt_number(&o, longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10,
			           false, width, pad);
			break;
		case 'x':
			fmt_number(&o, longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16,
			           false, width, pad);
			break;
		case 'p':
			fmt_put(&o, '0');
			fmt_put(&o, 'x');
			fmt_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, false, 0, ' ');
			break;
		case 'c':
			fmt_put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			for (s = s != NULL ? s : "(null)"; *s != '\0'; s++) {
				fmt_put(&o, *s);
			}
			break;
		}
		case '%':
			fmt_put(&o, '%');
			break;
		default:
			fmt_put(&o, '?');
			if (*p == '\0') {
				p--;
			}
			break;
		}
	}
	if (size != 0) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

static void console_vprint(const char *fmt, va_list ap)
{
	char line[256];

	rm_vsnprintf(line, sizeof(line), fmt, ap);
	for (const char *p = line; *p != '\0'; p++) {
		if (*p == '\n') {
			console_putc('\r');
		}
		console_putc(*p);
	}
}

void rm_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprint(fmt, ap);
	va_end(ap);
}

/* PSCI SYSTEM_OFF (SMC32 function ID): the machine is powered off, as the hypervisor does when no
 * vCPU is left, so a broken RM ends the run visibly instead of leaving the primary VM waiting for
 * replies that never come. */
#define PSCI_SYSTEM_OFF 0x84000008U

_Noreturn void rm_panic(const char *fmt, ...)
{
	va_list ap;

	rm_printf("rm: PANIC: ");
	va_start(ap, fmt);
	console_vprint(fmt, ap);
	va_end(ap);
	rm_printf("\n");
	for (;;) {
		register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

		__asm__ volatile("hvc #0"
		                 : "+r"(x0)::"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		                   "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		                   "memory");
		__asm__ volatile("wfi");
	}
}
