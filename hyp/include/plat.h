/* plat: what a board folder offers the rest of hyp/ (boot DT, console; platform.h's few facts). */
#ifndef PLAT_H
#define PLAT_H

#include "machine.h"
#include "util.h"

/*
 * What a board's device tree cannot say, one description per board in hyp/platform/<board>/
 * (named as LAVA's device type; qemu-virt for QEMU's virt machine), all of them in every image:
 * the one whose compatible the tree's root node lists is the board humpy runs on.
 */
struct plat_board {
	const char *name;       /* its folder */
	const char *compatible; /* one string of the board's root compatible */
	/* The /aliases entry of the UART humpy keeps when /chosen/stdout-path names none it drives
	 * (the first UART in the tree may be wired elsewhere); NULL: the tree's first. */
	const char *console_alias;
	/* Where the board's loader leaves the DT when it passes none in x0 (QEMU virt's for a
	 * bare-metal image); 0: nowhere, x0 must hold it (the arm64 boot protocol's booti). */
	paddr_t dtb_probe;
};

extern const struct plat_board *const plat_boards[];
extern const uint32_t plat_board_count;

/* The description of the board m's tree is for, NULL when none matches (the tree alone then). */
const struct plat_board *plat_board_match(const struct machine *m);

/* The boot DT: x0's when it holds one; with x0 = 0, the first place a board description names
 * that holds one (*probed_for: that board, else NULL); NULL if none. Runs with the MMU off. */
const void *plat_boot_dtb(uint64_t boot_x0, const struct plat_board **probed_for);

/* Point the console at the DT's UART (m->uart, of kind m->uart_kind; no console before). */
void plat_console_init(const struct machine *m);
void plat_console_putc(char c);

/* The drivers behind it (hyp/platform/common/): one character each, bounded waits. */
void pl011_init(paddr_t base);
void pl011_putc(char c);
void cadence_uart_init(paddr_t base);
void cadence_uart_putc(char c);
void uart_8250_init(paddr_t base, uint32_t reg_shift, uint32_t reg_width);
void uart_8250_putc(char c);
void imx_uart_init(paddr_t base);
void imx_uart_putc(char c);

#endif
