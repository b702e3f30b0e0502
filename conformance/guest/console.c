/* Console: polled transmit on the PL011 or Cadence UART the DT names, and the rule that every
 * protocol line starts a fresh line. */
#include <humpy/arch.h>
#include <humpy/console.h>
#include <humpy/libc.h>
#include <humpy/plat.h>

#define PL011_DR       0x00
#define PL011_FR       0x18
#define PL011_FR_TXFF  (1U << 5)
#define CDNS_CR        0x00
#define CDNS_CR_TXEN   (1U << 4)
#define CDNS_CR_TXDIS  (1U << 5)
#define CDNS_SR        0x2c
#define CDNS_SR_TXFULL (1U << 4)
#define CDNS_FIFO      0x30
#define UART_SPIN_MAX  1000000 /* a stuck UART must not hang the guest forever */

static u64 console_base = 0x09000000; /* QEMU virt's PL011 until the DT says otherwise */
static bool console_is_cadence;
static bool console_at_line_start = true;

void console_init(u64 base, u32 kind)
{
	console_base = base;
	console_is_cadence = kind == PLAT_UART_CADENCE;
	/* Cadence's transmitter drops FIFO writes until its control register enables it. */
	if (console_is_cadence)
		mmio_write32(base + CDNS_CR,
		             (mmio_read32(base + CDNS_CR) & ~CDNS_CR_TXDIS) | CDNS_CR_TXEN);
}

static void console_raw(char c)
{
	u64 status = console_base + (console_is_cadence ? CDNS_SR : PL011_FR);
	u32 full = console_is_cadence ? CDNS_SR_TXFULL : PL011_FR_TXFF;
	unsigned spins = 0;

	while ((mmio_read32(status) & full) && spins < UART_SPIN_MAX)
		spins++;
	mmio_write32(console_base + (console_is_cadence ? CDNS_FIFO : PL011_DR), (u8)c);
}

void console_putc(char c)
{
	if (c == '\n')
		console_raw('\r');
	console_raw(c);
	console_at_line_start = c == '\n';
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

static void console_vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	console_puts(buf);
	if (n >= (int)sizeof(buf))
		console_puts("...");
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

void proto_line(const char *fmt, ...)
{
	char buf[320];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A protocol line is one line: never let a reason smuggle in a line break. */
	for (p = buf; *p; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	if (!console_at_line_start)
		console_putc('\n');
	console_puts(PROTO_PREFIX);
	console_puts(buf);
	console_putc('\n');
}
