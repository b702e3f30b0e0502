/* test_console_boards: the console the hypervisor picks from the real device trees of the five LAVA
 * boards (Debian's arm64 kernel package ships them): driver, CPU address, register stride and
 * width, exact. The package is large and not a build dependency: the trees are read from
 * $HUMPY_BOARD_DTBS (a folder holding broadcom/, arm/, freescale/, rockchip/, xilinx/), else from
 * the newest /usr/lib/linux-image-*-arm64/, and each board SKIPs with the reason when its file is
 * missing (../shared/reference/boards.md says how to unpack the package without installing it). */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <glob.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "plat.h"
#include "test.h"

#define BOARD_DTB_MAX (512U * 1024U)

struct board_console {
	const char *dtb; /* under the kernel package's linux-image folder */
	uint32_t kind;
	uint64_t base, size;
	uint32_t reg_shift, reg_width;
};

/* The folder holding the trees, or NULL (and why) when there is none. */
static const char *board_dtb_dir(const char **why)
{
	static char dir[512];
	const char *env = getenv("HUMPY_BOARD_DTBS");
	glob_t g;

	if (env != NULL && env[0] != '\0')
		return env;
	if (glob("/usr/lib/linux-image-*-arm64", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		*why = "no /usr/lib/linux-image-*-arm64 (Debian's arm64 kernel package) and "
		       "HUMPY_BOARD_DTBS unset";
		return NULL;
	}
	(void)snprintf(dir, sizeof(dir), "%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	return dir;
}

/* Reads the board's tree and its machine; false (the test SKIPs) when the file is not there. */
static bool board_read(const char *dtb, struct machine *m, int *error)
{
	const char *why = NULL;
	const char *dir = board_dtb_dir(&why);
	char path[1024];
	FILE *f;

	if (dir == NULL) {
		printf("SKIP %s: %s\n", dtb, why);
		return false;
	}
	(void)snprintf(path, sizeof(path), "%s/%s", dir, dtb);
	f = fopen(path, "rb");
	if (f == NULL) {
		printf("SKIP %s: %s not readable\n", dtb, path);
		return false;
	}
	uint8_t *blob = malloc(BOARD_DTB_MAX);
	size_t n = blob != NULL ? fread(blob, 1, BOARD_DTB_MAX, f) : 0;
	(void)fclose(f);
	*error = fdt_read_machine(blob, n, m).error;
	free(blob);
	return true;
}

static void board_check(const struct board_console *want)
{
	struct machine m;
	int error = -1;

	if (!board_read(want->dtb, &m, &error))
		return;
	CHECK_EQ(0, error);
	CHECK_EQ(want->kind, m.uart_kind);
	CHECK_EQ(want->base, m.uart.base);
	CHECK_EQ(want->size, m.uart.size);
	CHECK_EQ(want->reg_shift, m.uart_reg_shift);
	CHECK_EQ(want->reg_width, m.uart_reg_width);
}

/* stdout-path "serial1:115200n8" -> /aliases -> /soc/serial@7e215040, the mini UART (a 16550
 * whose 32-bit registers are 4 bytes apart; its node says neither), at bus address 0x7e215040
 * that /soc's ranges put at 0xfe215040. The PL011 (serial0, listed first) is not the console. */
TEST(console_rpi4_is_the_mini_uart_through_soc_ranges)
{
	(void)arena;
	board_check(&(struct board_console){"broadcom/bcm2711-rpi-4-b.dtb", MACHINE_UART_8250,
	                                    0xfe215040U, 0x40U, 2, 4});
}

/* "serial0:115200n8" -> /serial@7ff80000, a PL011. */
TEST(console_juno_r2_is_the_pl011)
{
	(void)arena;
	board_check(&(struct board_console){"arm/juno-r2.dtb", MACHINE_UART_PL011, 0x7ff80000U,
	                                    0x1000U, 0, 4});
}

/* stdout-path is a path three buses deep (no alias): the i.MX UART2 at 0x30890000. */
TEST(console_imx8mm_evk_is_uart2_by_path)
{
	(void)arena;
	board_check(&(struct board_console){"freescale/imx8mm-evk.dtb", MACHINE_UART_IMX,
	                                    0x30890000U, 0x10000U, 0, 4});
}

/* "serial2:1500000n8" -> /serial@ff1a0000, a DesignWare APB UART with reg-shift 2 and
 * reg-io-width 4 in its node; uart0 at 0xff180000 comes first in the tree and is not it. */
TEST(console_rk3399_is_uart2_with_its_reg_shift)
{
	(void)arena;
	board_check(&(struct board_console){"rockchip/rk3399-rock-pi-4b.dtb", MACHINE_UART_8250,
	                                    0xff1a0000U, 0x100U, 2, 4});
}

/* "serial0:115200n8" -> /axi/serial@ff000000, Cadence's UART. */
TEST(console_zcu102_is_the_cadence_uart0)
{
	(void)arena;
	board_check(&(struct board_console){"xilinx/zynqmp-zcu102-rev1.0.dtb", MACHINE_UART_CADENCE,
	                                    0xff000000U, 0x1000U, 0, 4});
}

/* The machine of a tree written as DTS (dtc, a listed Debian package, compiles it). */
static int dts_read(const char *dts, struct machine *m)
{
	const char *dir = getenv("TMPDIR");
	char path[256];
	char cmd[320];
	uint8_t blob[4096];
	int fd;
	FILE *out;
	size_t n;

	/* The system's temporary folder (TMPDIR, else stdio's P_tmpdir), never a fixed path. */
	(void)snprintf(path, sizeof(path), "%s/humpy-dts-XXXXXX", dir != NULL ? dir : P_tmpdir);
	fd = mkstemp(path);

	CHECK(fd >= 0);
	(void)close(fd);
	(void)snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s -", path);
	out = popen(cmd, "w");
	CHECK(out != NULL);
	(void)fputs(dts, out);
	CHECK_EQ(0, pclose(out));
	out = fopen(path, "rb");
	CHECK(out != NULL);
	n = fread(blob, 1, sizeof(blob), out);
	(void)fclose(out);
	(void)unlink(path);
	return fdt_read_machine(blob, n, m).error;
}

#define DTS_HEAD                                                                                   \
	"/dts-v1/; / { #address-cells = <1>; #size-cells = <1>;"                                   \
	" aliases { serial0 = \"/bus/serial@2000\"; serial1 = \"/serial@1000\"; };"                \
	" bus { #address-cells = <1>; #size-cells = <1>; ranges = <0x2000 0x90002000 0x1000>;"     \
	" serial@2000 { compatible = \"snps,dw-apb-uart\"; reg = <0x2000 0x100>;"
#define DTS_TAIL " serial@1000 { compatible = \"arm,pl011\"; reg = <0x1000 0x1000>; };"

/* What the board trees do not show: the named UART disabled, undrivable or with a width humpy
 * cannot honour leaves the first drivable UART (here the PL011 listed after it) as the console. */
TEST(console_named_uart_unusable_falls_back_to_the_first)
{
	struct machine m;

	(void)arena;
	/* Named by alias, drivable, behind a bus range: taken, translated, default stride. */
	CHECK_EQ(0,
	         dts_read(DTS_HEAD " }; };" DTS_TAIL " chosen { stdout-path = \"serial0:9600\"; };"
	                           " };",
	                  &m));
	CHECK_EQ(MACHINE_UART_8250, m.uart_kind);
	CHECK_EQ(0x90002000U, m.uart.base);
	CHECK_EQ(0, m.uart_reg_shift);
	CHECK_EQ(1, m.uart_reg_width);
	/* reg-io-width 2: not a width humpy drives -> the PL011. */
	CHECK_EQ(0, dts_read(DTS_HEAD " reg-io-width = <2>; }; };" DTS_TAIL
	                              " chosen { stdout-path = \"serial0\"; };  };",
	                     &m));
	CHECK_EQ(MACHINE_UART_PL011, m.uart_kind);
	CHECK_EQ(0x1000U, m.uart.base);
	/* status disabled -> the PL011. */
	CHECK_EQ(0, dts_read(DTS_HEAD " status = \"disabled\"; }; };" DTS_TAIL
	                              " chosen { stdout-path = \"/bus/serial@2000\"; };  };",
	                     &m));
	CHECK_EQ(MACHINE_UART_PL011, m.uart_kind);
	/* An alias nobody defines -> the first drivable UART in tree order (the 16550 here). */
	CHECK_EQ(
	    0,
	    dts_read(DTS_HEAD " }; };" DTS_TAIL " chosen { stdout-path = \"serial7\"; }; };", &m));
	CHECK_EQ(MACHINE_UART_8250, m.uart_kind);
	CHECK_EQ(0x90002000U, m.uart.base);
}

/*
 * The board descriptions (hyp/platform/<board>/board.c) against the boards' own trees: each tree's
 * root picks its board, and the UART the board's description keeps is the one the tree's
 * stdout-path names. With stdout-path gone (its property name spoiled in the strings block), the
 * tree alone gives its first drivable UART; the description puts the named one back.
 */
struct board_fact {
	const char *dtb;
	const char *board;   /* the folder plat_board_match must give */
	uint64_t first_uart; /* the first drivable UART in tree order: what the tree alone gives */
};

static void board_fact_check(const struct board_fact *want)
{
	const char *why = NULL;
	const char *dir = board_dtb_dir(&why);
	char path[1024];
	struct machine named, alone;
	FILE *f;

	if (dir == NULL) {
		printf("SKIP %s: %s\n", want->dtb, why);
		return;
	}
	(void)snprintf(path, sizeof(path), "%s/%s", dir, want->dtb);
	f = fopen(path, "rb");
	if (f == NULL) {
		printf("SKIP %s: %s not readable\n", want->dtb, path);
		return;
	}
	uint8_t *blob = malloc(BOARD_DTB_MAX);
	CHECK(blob != NULL);
	size_t n = fread(blob, 1, BOARD_DTB_MAX, f);
	(void)fclose(f);

	CHECK_EQ(0, fdt_read_machine(blob, n, &named).error);
	CHECK_EQ(1, named.uart_named);
	const struct plat_board *board = plat_board_match(&named);
	CHECK(board != NULL && strcmp(board->name, want->board) == 0);
	if (board == NULL) {
		free(blob);
		return;
	}
	CHECK(board->console_alias != NULL && board->dtb_probe == 0);

	/* "stdout-path" -> "stdout-patX" in the strings block: the tree names no console. */
	uint32_t strings = (uint32_t)blob[12] << 24 | (uint32_t)blob[13] << 16 |
	                   (uint32_t)blob[14] << 8 | blob[15];
	uint8_t *hit = memmem(blob + strings, n - strings, "stdout-path", sizeof("stdout-path"));
	CHECK(hit != NULL);
	if (hit != NULL)
		hit[10] = 'X';
	CHECK_EQ(0, fdt_read_machine(blob, n, &alone).error);
	CHECK_EQ(0, alone.uart_named);
	CHECK_EQ(want->first_uart, alone.uart.base);
	CHECK(plat_board_match(&alone) == board);
	CHECK(fdt_take_console_alias(blob, n, board->console_alias, &alone));
	CHECK_EQ(1, alone.uart_named);
	CHECK_EQ(named.uart.base, alone.uart.base);
	CHECK_EQ(named.uart.size, alone.uart.size);
	CHECK_EQ(named.uart_kind, alone.uart_kind);
	CHECK_EQ(named.uart_reg_shift, alone.uart_reg_shift);
	CHECK_EQ(named.uart_reg_width, alone.uart_reg_width);
	/* An alias the tree lacks leaves the console as it was. */
	CHECK(!fdt_take_console_alias(blob, n, "serial9", &alone));
	CHECK_EQ(named.uart.base, alone.uart.base);
	free(blob);
}

/* The RPi 4's first UART, the PL011, goes to the Bluetooth chip: the mini UART is the console. */
TEST(board_rpi4_keeps_the_mini_uart)
{
	(void)arena;
	board_fact_check(
	    &(struct board_fact){"broadcom/bcm2711-rpi-4-b.dtb", "bcm2711-rpi-4-b", 0xfe201000U});
}

/* The ROCK Pi 4B's uart0 carries Bluetooth too: its debug UART2 is the console. */
TEST(board_rk3399_keeps_uart2)
{
	(void)arena;
	board_fact_check(&(struct board_fact){"rockchip/rk3399-rock-pi-4b.dtb", "rk3399-rock-pi-4b",
	                                      0xff180000U});
}

TEST(board_imx8mm_evk_keeps_uart2)
{
	(void)arena;
	board_fact_check(
	    &(struct board_fact){"freescale/imx8mm-evk.dtb", "imx8mm-evk", 0x30890000U});
}

TEST(board_juno_r2_keeps_uart0)
{
	(void)arena;
	board_fact_check(&(struct board_fact){"arm/juno-r2.dtb", "juno-uboot", 0x7ff80000U});
}

TEST(board_zcu102_keeps_uart0)
{
	(void)arena;
	board_fact_check(
	    &(struct board_fact){"xilinx/zynqmp-zcu102-rev1.0.dtb", "xilinx-zcu102", 0xff000000U});
}

/* Every folder of hyp/platform but common/ is one entry of the table, under its folder's name,
 * and no two entries share a compatible (the first would always win). Run from the repo's top. */
TEST(board_table_is_the_platform_folders)
{
	DIR *d = opendir("hyp/platform");
	struct dirent *e;
	uint32_t folders = 0;

	(void)arena;
	CHECK(d != NULL);
	while (d != NULL && (e = readdir(d)) != NULL) {
		bool listed = false;

		if (e->d_type != DT_DIR || e->d_name[0] == '.' || strcmp(e->d_name, "common") == 0)
			continue;
		folders++;
		for (uint32_t i = 0; i < plat_board_count; i++)
			listed = listed || strcmp(plat_boards[i]->name, e->d_name) == 0;
		if (!listed)
			printf("hyp/platform/%s: not in plat_boards\n", e->d_name);
		CHECK(listed);
	}
	if (d != NULL)
		(void)closedir(d);
	CHECK_EQ(folders, plat_board_count);
	for (uint32_t i = 0; i < plat_board_count; i++) {
		for (uint32_t j = i + 1; j < plat_board_count; j++)
			CHECK(strcmp(plat_boards[i]->compatible, plat_boards[j]->compatible) != 0);
	}
}
