/* console: polled output on the UART the RM's boot DT names (a PL011 or a Cadence UART) and a small
 * formatter for the RM's own lines. */
#include "console.h"

#include <stdbool.h>

/* The two UARTs by compatible string (humpy,uart-compatible): both transmit by writing a data
 * register once a status bit says the FIFO has room; data and status count 32-bit registers. */
struct console_uart {
	const char *compatible;
	uint32_t data;    /* transmit FIFO */
	uint32_t status;  /* FIFO status */
	uint32_t tx_full; /* status bit: no room */
	bool tx_enable;   /* a Cadence UART: TX enabled in its control register first */
};

static const struct console_uart console_uarts[] = {
    {"arm,pl011", 0x00U / 4, 0x18U / 4, 1U << 5, false},      /* UARTDR; UARTFR.TXFF */
    {"cdns,uart-r1p12", 0x30U / 4, 0x2CU / 4, 1U << 4, true}, /* TX_RX_FIFO; Channel_sts.TFUL */
};

/* The Cadence UART's control register: it drops what is written to its FIFO until TX is enabled
 * (TXEN set, TXDIS clear), and the RM may run before anything else enabled it. */
#define CDNS_CR       0x00U
#define CDNS_CR_TXEN  (1U << 4)
#define CDNS_CR_TXDIS (1U << 5)

/* Bounded wait for room in the FIFO: a stuck UART must not hang the RM. */
#define CONSOLE_SPIN 100000U

/* What each byte needs, resolved once by console_init (data NULL: no console). */
static struct {
	volatile uint32_t *data;
	const volatile uint32_t *status;
	uint32_t tx_full;
} console_out;

static bool console_str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

bool console_init(uint64_t uart_base, const char *compatible)
{
	volatile uint32_t *regs = (volatile uint32_t *)(uintptr_t)uart_base;
	const struct console_uart *kind = NULL;

	for (size_t i = 0;
	     compatible != NULL && i < sizeof(console_uarts) / sizeof(console_uarts[0]); i++) {
		if (console_str_eq(compatible, console_uarts[i].compatible)) {
			kind = &console_uarts[i];
			break;
		}
	}
	if (kind == NULL) {
		return false;
	}
	if (kind->tx_enable) {
		regs[CDNS_CR / 4] = (regs[CDNS_CR / 4] & ~CDNS_CR_TXDIS) | CDNS_CR_TXEN;
	}
	console_out.status = regs + kind->status;
	console_out.tx_full = kind->tx_full;
	console_out.data = regs + kind->data;
	return true;
}

static void console_putc(char c)
{
	if (console_out.data == NULL) {
		return;
	}
	for (unsigned i = 0; i < CONSOLE_SPIN && (*console_out.status & console_out.tx_full) != 0U;
	     i++) {
	}
	*console_out.data = (uint32_t)(uint8_t)c;
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
