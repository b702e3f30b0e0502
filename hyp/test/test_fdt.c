/* test_fdt: the device-tree reader on hand-built trees: what it takes from a good one, and that a
 * tree nested too deeply or with a property past its block is refused without reading past it
 * (ASan checks the reads). Until make mutation showed a moved depth bound and a dropped length
 * check passing, only the boot (QEMU's own, well-formed tree) exercised this file. */
#include <string.h>

#include "fdt.h"
#include "test.h"

#define B_BEGIN 1U
#define B_END   2U
#define B_PROP  3U
#define B_DONE  9U

struct fdt_builder {
	uint8_t blob[1024];
	uint32_t pos;     /* next byte of the structure block */
	char strings[64]; /* the strings block */
	uint32_t strings_len;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void fb_token(struct fdt_builder *b, uint32_t v)
{
	put32(b->blob + b->pos, v);
	b->pos += 4;
}

static void fb_begin(struct fdt_builder *b, const char *name)
{
	size_t n = strlen(name) + 1;

	fb_token(b, B_BEGIN);
	memcpy(b->blob + b->pos, name, n);
	b->pos += (uint32_t)((n + 3) & ~(size_t)3);
}

/* A property: its name goes into the strings block (once per call; the tests are small). */
static void fb_prop(struct fdt_builder *b, const char *name, const void *val, uint32_t len)
{
	uint32_t nameoff = b->strings_len;

	memcpy(b->strings + nameoff, name, strlen(name) + 1);
	b->strings_len += (uint32_t)strlen(name) + 1;
	fb_token(b, B_PROP);
	fb_token(b, len);
	fb_token(b, nameoff);
	memcpy(b->blob + b->pos, val, len);
	b->pos += (len + 3) & ~3U;
}

/* The structure block at 40, the strings after it; size_struct as built unless @struct_size. */
static size_t fb_finish(struct fdt_builder *b, uint32_t struct_size)
{
	uint32_t size_struct = b->pos - 40;
	uint32_t total = b->pos + b->strings_len;

	memcpy(b->blob + b->pos, b->strings, b->strings_len);
	put32(b->blob, FDT_MAGIC);
	put32(b->blob + 4, total);
	put32(b->blob + 8, 40);                                       /* off_dt_struct */
	put32(b->blob + 12, b->pos);                                  /* off_dt_strings */
	put32(b->blob + 20, 17);                                      /* version */
	put32(b->blob + 32, b->strings_len);                          /* size_dt_strings */
	put32(b->blob + 36, struct_size ? struct_size : size_struct); /* size_dt_struct */
	return total;
}

static void fb_init(struct fdt_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->pos = 40;
}

TEST(fdt_reads_the_memory_node_of_a_good_tree)
{
	struct fdt_builder b;
	struct machine m;
	uint8_t two[4], reg[16];
	size_t size;
	(void)arena;

	fb_init(&b);
	fb_begin(&b, "");
	put32(two, 2);
	fb_prop(&b, "#address-cells", two, 4);
	fb_prop(&b, "#size-cells", two, 4);
	fb_begin(&b, "memory@40000000");
	fb_prop(&b, "device_type", "memory", 7);
	put32(reg, 0);
	put32(reg + 4, 0x40000000U);
	put32(reg + 8, 0);
	put32(reg + 12, 0x20000000U);
	fb_prop(&b, "reg", reg, 16);
	fb_token(&b, B_END);
	fb_token(&b, B_END);
	fb_token(&b, B_DONE);
	size = fb_finish(&b, 0);
	CHECK_EQ(0, fdt_read_machine(b.blob, size, &m).error);
	CHECK_EQ(0x40000000U, m.mem.base);
	CHECK_EQ(0x20000000U, m.mem.size);
	CHECK_EQ(0, m.uart.size);
}

/* One address cell and one size cell (#address-cells = <1>, as on boards with 32-bit addresses):
 * the reg entry is 8 bytes. make mutation found 'ac < 1' moved to 'ac <= 1' passing: QEMU's tree
 * has two cells everywhere. */
TEST(fdt_reads_a_reg_of_one_address_and_one_size_cell)
{
	struct fdt_builder b;
	struct machine m;
	uint8_t one[4], reg[8];
	size_t size;
	(void)arena;

	fb_init(&b);
	fb_begin(&b, "");
	put32(one, 1);
	fb_prop(&b, "#address-cells", one, 4);
	fb_prop(&b, "#size-cells", one, 4);
	fb_begin(&b, "memory@80000000");
	fb_prop(&b, "device_type", "memory", 7);
	put32(reg, 0x80000000U);
	put32(reg + 4, 0x10000000U);
	fb_prop(&b, "reg", reg, 8);
	fb_token(&b, B_END);
	fb_token(&b, B_END);
	fb_token(&b, B_DONE);
	size = fb_finish(&b, 0);
	CHECK_EQ(0, fdt_read_machine(b.blob, size, &m).error);
	CHECK_EQ(0x80000000U, m.mem.base);
	CHECK_EQ(0x10000000U, m.mem.size);
}

/* The boot options are the words of /chosen/bootargs, of the root's chosen node only: a node named
 * chosen elsewhere grants nothing. make mutation found the whole check dropped passing: the
 * suite's boot passes no options. */
TEST(fdt_takes_boot_options_from_the_roots_chosen_node_only)
{
	static const char args[] = "console=ttyAMA0 humpy.guest_debug humpy.guest_pmu";
	static const char other[] = "humpy.guest_ptimer";
	struct fdt_builder b;
	struct machine m;
	size_t size;
	(void)arena;

	fb_init(&b);
	fb_begin(&b, "");
	fb_begin(&b, "soc");
	fb_begin(&b, "chosen");
	fb_prop(&b, "bootargs", other, sizeof(other));
	fb_token(&b, B_END);
	fb_token(&b, B_END);
	fb_begin(&b, "chosen");
	fb_prop(&b, "bootargs", args, sizeof(args));
	fb_token(&b, B_END);
	fb_token(&b, B_END);
	fb_token(&b, B_DONE);
	size = fb_finish(&b, 0);
	CHECK_EQ(0, fdt_read_machine(b.blob, size, &m).error);
	CHECK_EQ(MACHINE_GRANT_DEBUG | MACHINE_GRANT_PMU, m.guest_grants);
}

/* 16 levels (the root and 15 below it) are read; a 17th is refused before it is kept anywhere. */
TEST(fdt_refuses_a_tree_nested_past_16_levels)
{
	struct fdt_builder b;
	struct machine m;
	size_t size;
	(void)arena;

	for (unsigned levels = 16; levels <= 17; levels++) {
		fb_init(&b);
		for (unsigned i = 0; i < levels; i++) {
			fb_begin(&b, "n");
		}
		for (unsigned i = 0; i < levels; i++) {
			fb_token(&b, B_END);
		}
		fb_token(&b, B_DONE);
		size = fb_finish(&b, 0);
		CHECK_EQ(levels == 16 ? 0 : -1, fdt_read_machine(b.blob, size, &m).error);
	}
}

/* A property whose length runs past the structure block (as the header gives it) is refused. */
TEST(fdt_refuses_a_property_past_the_structure_block)
{
	struct fdt_builder b;
	struct machine m;
	uint8_t reg[16] = {0};
	size_t size;
	struct fdt_result r;
	(void)arena;

	fb_init(&b);
	fb_begin(&b, "");
	fb_prop(&b, "reg", reg, 16);
	fb_token(&b, B_END);
	fb_token(&b, B_DONE);
	/* The block ends 4 bytes into the property's value. */
	size = fb_finish(&b, 4 + 4 + 12 + 4);
	r = fdt_read_machine(b.blob, size, &m);
	CHECK_EQ(-1, r.error);
	CHECK(r.why != NULL && strcmp(r.why, "property runs past the block") == 0);
}

/* The console by compatible string: Cadence's UART (ZynqMP's "cdns,uart-r1p12", "xlnx,xuartps")
 * gets the Cadence driver, a PL011 the PL011 one; the first enabled UART in the tree wins. */
static size_t fdt_two_uarts(struct fdt_builder *b, const char *first, uint32_t first_len)
{
	uint8_t cells[4], reg[16];

	fb_init(b);
	fb_begin(b, "");
	put32(cells, 2);
	fb_prop(b, "#address-cells", cells, 4);
	fb_prop(b, "#size-cells", cells, 4);
	fb_begin(b, "serial@ff000000");
	fb_prop(b, "compatible", first, first_len);
	put32(reg, 0);
	put32(reg + 4, 0xFF000000U);
	put32(reg + 8, 0);
	put32(reg + 12, 0x1000U);
	fb_prop(b, "reg", reg, 16);
	fb_token(b, B_END);
	fb_begin(b, "pl011@9000000");
	fb_prop(b, "compatible", "arm,pl011\0arm,primecell", 24);
	put32(reg + 4, 0x09000000U);
	fb_prop(b, "reg", reg, 16);
	fb_token(b, B_END);
	fb_token(b, B_END);
	fb_token(b, B_DONE);
	return fb_finish(b, 0);
}

TEST(fdt_takes_the_cadence_uart_by_compatible_string)
{
	struct fdt_builder b;
	struct machine m;
	size_t size;

	(void)arena;
	size = fdt_two_uarts(&b, "cdns,uart-r1p12\0xlnx,xuartps", 28);
	CHECK_EQ(0, fdt_read_machine(b.blob, size, &m).error);
	CHECK_EQ(0xFF000000U, m.uart.base);
	CHECK_EQ(0x1000U, m.uart.size);
	CHECK_EQ(MACHINE_UART_CADENCE, m.uart_kind);
	/* An unknown UART first: the PL011 after it is the console. */
	size = fdt_two_uarts(&b, "acme,uart", 10);
	CHECK_EQ(0, fdt_read_machine(b.blob, size, &m).error);
	CHECK_EQ(0x09000000U, m.uart.base);
	CHECK_EQ(MACHINE_UART_PL011, m.uart_kind);
}

/* One END_NODE more than there are nodes is refused, by name (make mutation: the depth check of
 * END_NODE dropped passed: QEMU's tree is balanced). */
TEST(fdt_refuses_an_end_node_past_the_root)
{
	struct fdt_builder b;
	struct machine m;
	size_t size;
	struct fdt_result r;
	(void)arena;

	fb_init(&b);
	fb_begin(&b, "");
	fb_token(&b, B_END);
	fb_token(&b, B_END);
	fb_token(&b, B_DONE);
	size = fb_finish(&b, 0);
	r = fdt_read_machine(b.blob, size, &m);
	CHECK_EQ(-1, r.error);
	CHECK(r.why != NULL && strcmp(r.why, "unbalanced END_NODE") == 0);
}
