/* fdt: walks a flattened device tree without trusting any size or offset in it. */
#include "fdt.h"

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define FDT_MAX_DEPTH  16
#define FDT_HEADER_LEN 40u

struct fdt_view {
	const uint8_t *structs;
	uint32_t struct_size;
	const char *strings;
	uint32_t strings_size;
};

/* What one node says about itself, collected while its properties go by. */
struct fdt_node {
	const char *name;
	const uint8_t *compatible, *reg, *interrupts, *device_type, *status, *bootargs;
	uint32_t compatible_len, reg_len, interrupts_len, device_type_len, status_len, bootargs_len;
	const uint8_t *ranges, *stdout_path, *reg_shift, *reg_io_width;
	uint32_t ranges_len, stdout_path_len, reg_shift_len, reg_io_width_len;
	uint32_t address_cells, size_cells; /* this node's, for its children */
};

/*
 * The console /chosen/stdout-path names. The walk that reads the machine finds the name (options
 * after ':' dropped, "serial2:1500000n8" -> "serial2"); an alias needs a second walk through
 * /aliases for its path (/aliases may come after /chosen, or before); a third finds the node at
 * that path, wherever /chosen was in the tree.
 */
struct fdt_console_path {
	const uint8_t *name; /* stdout-path up to ':' (a path, or an alias), NULL if none */
	uint32_t name_len;
	const uint8_t *path; /* the node's full path once known, NULL until then */
	uint32_t path_len;
};

/* Which walk over the tree: the machine (every node), /aliases only, the console's node only. */
enum fdt_pass { FDT_PASS_MACHINE, FDT_PASS_ALIASES, FDT_PASS_STDOUT };

struct fdt_walk_state {
	enum fdt_pass pass;
	struct machine *out;
	struct fdt_console_path console;
	const char *ram_error; /* why the memory or reserved-memory description is unusable */
};

static uint32_t fdt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool fdt_has_magic(const void *blob)
{
	return fdt_be32(blob) == FDT_MAGIC;
}

/* True when the string list (NUL-separated, len bytes) holds s exactly. */
static bool fdt_stringlist_has(const uint8_t *list, uint32_t len, const char *s)
{
	uint32_t pos = 0;
	size_t slen = strnlen(s, 64);

	while (pos < len) {
		size_t n = strnlen((const char *)list + pos, len - pos);
		if (n == slen && memcmp(list + pos, s, n) == 0)
			return true;
		pos += (uint32_t)n + 1;
	}
	return false;
}

/* True when the NUL-terminated name equals lit (reads no further than name's terminator). */
static bool fdt_name_is(const char *name, const char *lit)
{
	size_t n = strnlen(lit, 64);

	return strnlen(name, n + 1) == n && memcmp(name, lit, n) == 0;
}

static bool fdt_string_is(const uint8_t *p, uint32_t len, const char *s)
{
	return p != NULL && fdt_stringlist_has(p, len, s);
}

/* Cadence's UART (Xilinx Zynq and ZynqMP), under the names its bindings give it. */
static bool fdt_is_cadence_uart(const struct fdt_node *node)
{
	return fdt_string_is(node->compatible, node->compatible_len, "cdns,uart-r1p12") ||
	       fdt_string_is(node->compatible, node->compatible_len, "cdns,uart-r1p8") ||
	       fdt_string_is(node->compatible, node->compatible_len, "xlnx,xuartps");
}

/* The 16550-compatible UARTs (the RK3399's DesignWare APB UART, the RPi's mini UART). */
static bool fdt_is_8250_uart(const struct fdt_node *node)
{
	return fdt_string_is(node->compatible, node->compatible_len, "ns16550a") ||
	       fdt_string_is(node->compatible, node->compatible_len, "ns16550") ||
	       fdt_string_is(node->compatible, node->compatible_len, "snps,dw-apb-uart") ||
	       fdt_string_is(node->compatible, node->compatible_len, "brcm,bcm2835-aux-uart");
}

/* Freescale's UART (i.MX6 to i.MX8M: every later part lists "fsl,imx6q-uart" or imx21's). */
static bool fdt_is_imx_uart(const struct fdt_node *node)
{
	return fdt_string_is(node->compatible, node->compatible_len, "fsl,imx6q-uart") ||
	       fdt_string_is(node->compatible, node->compatible_len, "fsl,imx21-uart");
}

/* Reads entry idx (address, size) of a reg property with the parent's cell counts. */
static bool fdt_reg(const struct fdt_node *node, const struct fdt_node *parent, uint32_t idx,
                    struct machine_range *out)
{
	uint32_t ac = parent->address_cells;
	uint32_t sc = parent->size_cells;
	uint32_t entry = (ac + sc) * 4;

	if (node->reg == NULL || ac < 1 || ac > 2 || sc > 2)
		return false;
	if (idx >= node->reg_len / entry)
		return false;
	const uint8_t *p = node->reg + idx * entry;
	uint64_t base = 0;
	uint64_t size = 0;
	for (uint32_t i = 0; i < ac; i++)
		base = base << 32 | fdt_be32(p + 4 * i);
	for (uint32_t i = 0; i < sc; i++)
		size = size << 32 | fdt_be32(p + 4 * (ac + i));
	if (size == 0 || base + size < base)
		return false;
	*out = (struct machine_range){.base = base, .size = size};
	return true;
}

/* Interrupt idx of a 3-cell GIC specifier (type, number, flags) as an INTID; 0 if absent. */
static uint32_t fdt_ppi_intid(const struct fdt_node *node, uint32_t idx)
{
	if (node->interrupts == NULL || idx >= node->interrupts_len / 12)
		return 0;
	const uint8_t *p = node->interrupts + idx * 12;
	if (fdt_be32(p) != 1 || fdt_be32(p + 4) >= 16) /* 1 = PPI */
		return 0;
	return 16 + fdt_be32(p + 4);
}

/* Interrupt idx of a 3-cell GIC specifier as an SPI's INTID; 0 if absent or not an SPI. */
static uint32_t fdt_spi_intid(const struct fdt_node *node, uint32_t idx)
{
	if (node->interrupts == NULL || idx >= node->interrupts_len / 12)
		return 0;
	const uint8_t *p = node->interrupts + idx * 12;
	if (fdt_be32(p) != 0 || fdt_be32(p + 4) >= 988) /* 0 = SPI */
		return 0;
	return 32 + fdt_be32(p + 4);
}

/* True when the space-separated words of the string (at most len bytes) include word exactly. */
static bool fdt_words_have(const uint8_t *p, uint32_t len, const char *word)
{
	size_t wlen = strnlen(word, 64);
	uint32_t end = (uint32_t)strnlen((const char *)p, len);

	for (uint32_t pos = 0; pos < end;) {
		uint32_t n = 0;

		while (pos + n < end && p[pos + n] != ' ')
			n++;
		if (n == wlen && memcmp(p + pos, word, n) == 0)
			return true;
		pos += n + 1;
	}
	return false;
}

/* The hypervisor's boot options (/chosen/bootargs of its own DT: QEMU's -append, U-Boot's
 * bootargs): what the boot VM may own that it does not by default. */
static void fdt_take_bootargs(const struct fdt_node *node, struct machine *out)
{
	static const struct {
		const char *word;
		uint32_t grant;
	} options[] = {
	    {"humpy.guest_pmu", MACHINE_GRANT_PMU},
	    {"humpy.guest_debug", MACHINE_GRANT_DEBUG},
	    {"humpy.guest_ptimer", MACHINE_GRANT_PTIMER},
	};

	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		if (fdt_words_have(node->bootargs, node->bootargs_len, options[i].word))
			out->guest_grants |= options[i].grant;
	}
	if (fdt_words_have(node->bootargs, node->bootargs_len, "humpy.root=rm"))
		out->root_vm = MACHINE_ROOT_RM;
}

/* Records what /chosen/stdout-path (len bytes at val) names; a path is known at once. */
static void fdt_console_named(struct fdt_console_path *console, const uint8_t *val, uint32_t len)
{
	uint32_t end = (uint32_t)strnlen((const char *)val, len);
	uint32_t n = 0;

	while (n < end && val[n] != ':')
		n++;
	if (n == 0)
		return;
	console->name = val;
	console->name_len = n;
	if (val[0] == '/') {
		console->path = val;
		console->path_len = n;
	}
}

/* True when the nodes stack[1..depth] spell path ("/soc/serial@7e215040") exactly. */
static bool fdt_path_is(const struct fdt_node *stack, int depth, const uint8_t *path, uint32_t len)
{
	uint32_t pos = 0;

	for (int i = 1; i <= depth; i++) {
		if (pos >= len || path[pos] != '/')
			return false;
		/* The name is terminated (the walk checked it): reading name[n] stays inside it. */
		size_t n = strnlen(stack[i].name, len - pos - 1);

		if (stack[i].name[n] != '\0' || memcmp(path + pos + 1, stack[i].name, n) != 0)
			return false;
		pos += 1 + (uint32_t)n;
	}
	return pos == len;
}

/* A big-endian number of 1 or 2 cells. */
static uint64_t fdt_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | fdt_be32(p + 4 * i);
	return v;
}

/*
 * Turns the bus address in *r (a reg of the node at stack[depth]) into a CPU address through the
 * ranges of every bus above it (the RPi 4's /soc maps bus 0x7e000000 to 0xfe000000). An empty or
 * absent ranges is taken as identity (QEMU's trees and older humpy relied on that); a range that
 * does not cover the whole reg is a tree the console cannot use.
 */
static bool fdt_translate(const struct fdt_node *stack, int depth, struct machine_range *r)
{
	for (int k = depth - 1; k >= 1; k--) {
		const struct fdt_node *bus = &stack[k];
		uint32_t cac = bus->address_cells, pac = stack[k - 1].address_cells;
		uint32_t sc = bus->size_cells;
		uint32_t entry = (cac + pac + sc) * 4;
		bool hit = false;

		if (bus->ranges == NULL || bus->ranges_len == 0)
			continue;
		if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || sc < 1 || sc > 2)
			return false;
		for (uint32_t off = 0; !hit && bus->ranges_len - off >= entry; off += entry) {
			const uint8_t *p = bus->ranges + off;
			uint64_t child = fdt_cells(p, cac);
			uint64_t parent = fdt_cells(p + 4 * cac, pac);
			uint64_t len = fdt_cells(p + 4 * (cac + pac), sc);

			if (r->base >= child && r->base - child <= len &&
			    r->size <= len - (r->base - child)) {
				r->base = parent + (r->base - child);
				hit = true;
			}
		}
		if (!hit)
			return false;
	}
	return true;
}

/* A u32 property (reg-shift, reg-io-width), dflt when the node has none; ~0 when malformed. */
static uint32_t fdt_u32_or(const uint8_t *val, uint32_t len, uint32_t dflt)
{
	if (val == NULL)
		return dflt;
	return len == 4 ? fdt_be32(val) : ~0U;
}

/*
 * Fills out's console from node when it is a UART humpy drives with a usable reg: its kind, CPU
 * address, and for a 16550 the register stride (reg-shift) and access width (reg-io-width, 1 or 4
 * bytes; the RPi's mini UART says neither and is 32-bit registers 4 bytes apart).
 */
static bool fdt_take_uart(const struct fdt_node *stack, int depth, struct machine *out)
{
	const struct fdt_node *node = &stack[depth];
	struct machine_range r;
	uint32_t kind, shift = 0, width = 4;

	if (fdt_string_is(node->compatible, node->compatible_len, "arm,pl011")) {
		kind = MACHINE_UART_PL011;
	} else if (fdt_is_cadence_uart(node)) {
		kind = MACHINE_UART_CADENCE;
	} else if (fdt_is_imx_uart(node)) {
		kind = MACHINE_UART_IMX;
	} else if (fdt_is_8250_uart(node)) {
		bool mini =
		    fdt_string_is(node->compatible, node->compatible_len, "brcm,bcm2835-aux-uart");

		kind = MACHINE_UART_8250;
		shift = fdt_u32_or(node->reg_shift, node->reg_shift_len, mini ? 2 : 0);
		width = fdt_u32_or(node->reg_io_width, node->reg_io_width_len, mini ? 4 : 1);
		if (shift > 2 || (width != 1 && width != 4))
			return false;
	} else {
		return false;
	}
	if (!fdt_reg(node, &stack[depth - 1], 0, &r) || !fdt_translate(stack, depth, &r))
		return false;
	out->uart = r;
	out->uart_kind = kind;
	out->uart_reg_shift = shift;
	out->uart_reg_width = width;
	return true;
}

/*
 * Appends every entry of node's reg to list (count so far in *count, at most max). Counts one past
 * max when the tree says more, so the caller refuses it. NULL, else what is wrong with the reg:
 * none, not a whole number of entries, or an entry that wraps (size 0 is skipped).
 */
static const char *fdt_take_ranges(const struct fdt_node *node, const struct fdt_node *parent,
                                   struct machine_range *list, uint32_t max, uint32_t *count)
{
	uint32_t entry = (parent->address_cells + parent->size_cells) * 4;
	struct machine_range r;

	if (node->reg == NULL || node->reg_len == 0 || entry == 0 || node->reg_len % entry != 0)
		return "reg missing or not whole entries";
	for (uint32_t idx = 0; idx < node->reg_len / entry; idx++) {
		/* A size of 0 is memory a firmware fills in later (the RPi 4's DTB ships memory@0
		 * as <0 0 0>): no bank, not a broken tree. */
		if (parent->address_cells >= 1 && parent->address_cells <= 2 &&
		    parent->size_cells <= 2 &&
		    fdt_cells(node->reg + idx * entry + 4 * parent->address_cells,
		              parent->size_cells) == 0)
			continue;
		if (!fdt_reg(node, parent, idx, &r))
			return "reg entry wrapping or of unusable cells";
		if (*count < max)
			list[*count] = r;
		if (*count <= max)
			(*count)++;
	}
	return NULL;
}

/* The RAM description: memory nodes' banks and /reserved-memory children's ranges (those without
 * reg are allocated by the OS from alloc-ranges and reserve nothing yet). */
static void fdt_take_ram(const struct fdt_node *stack, int depth, struct machine *out,
                         const char **ram_error)
{
	const struct fdt_node *node = &stack[depth];
	const char *why = NULL;

	if (fdt_string_is(node->device_type, node->device_type_len, "memory")) {
		why = fdt_take_ranges(node, &stack[depth - 1], out->bank, MACHINE_MAX_BANKS,
		                      &out->bank_count);
		if (why == NULL && out->mem.size == 0)
			out->mem = out->bank[0];
	} else if (depth == 2 && fdt_name_is(stack[1].name, "reserved-memory") &&
	           node->reg != NULL) {
		why = fdt_take_ranges(node, &stack[1], out->reserved, MACHINE_MAX_RESERVED,
		                      &out->reserved_count);
	}
	if (why != NULL && *ram_error == NULL)
		*ram_error = why;
}

static void fdt_take_node(const struct fdt_node *stack, int depth, struct machine *out,
                          struct fdt_console_path *console, const char **ram_error)
{
	const struct fdt_node *node = &stack[depth];
	const struct fdt_node *parent = &stack[depth - 1];
	bool okay = node->status == NULL || fdt_string_is(node->status, node->status_len, "okay");

	if (!okay)
		return;
	fdt_take_ram(stack, depth, out, ram_error);
	if (fdt_string_is(node->compatible, node->compatible_len, "arm,gic-v3") &&
	    out->gicd.size == 0) {
		(void)fdt_reg(node, parent, 0, &out->gicd);
		(void)fdt_reg(node, parent, 1, &out->gicr);
		out->gic_maint_intid = fdt_ppi_intid(node, 0);
		out->gic_version = 3;
	}
	/* GICv2 with the virtualization extensions: reg is GICD, GICC, GICH, GICV (all four). */
	if ((fdt_string_is(node->compatible, node->compatible_len, "arm,gic-400") ||
	     fdt_string_is(node->compatible, node->compatible_len, "arm,cortex-a15-gic")) &&
	    out->gicd.size == 0 && fdt_reg(node, parent, 0, &out->gicd)) {
		(void)fdt_reg(node, parent, 1, &out->gicc);
		(void)fdt_reg(node, parent, 2, &out->gich);
		(void)fdt_reg(node, parent, 3, &out->gicv);
		out->gic_maint_intid = fdt_ppi_intid(node, 0);
		out->gic_version = 2;
	}
	if (out->uart.size == 0)
		(void)fdt_take_uart(stack, depth, out);
	if (fdt_string_is(node->compatible, node->compatible_len, "arm,pl061") &&
	    out->gpio.size == 0 && fdt_reg(node, parent, 0, &out->gpio))
		out->gpio_intid = fdt_spi_intid(node, 0);
	if (fdt_string_is(node->compatible, node->compatible_len, "arm,armv8-timer")) {
		out->timer_virt_intid = fdt_ppi_intid(node, 2);
		out->timer_hyp_intid = fdt_ppi_intid(node, 3);
	}
	if (node->bootargs != NULL && parent->name[0] == '\0' && fdt_name_is(node->name, "chosen"))
		fdt_take_bootargs(node, out);
	if (node->stdout_path != NULL && depth == 1 && fdt_name_is(node->name, "chosen"))
		fdt_console_named(console, node->stdout_path, node->stdout_path_len);
}

static void fdt_take_prop(struct fdt_node *node, const char *name, const uint8_t *val, uint32_t len)
{
	static const struct {
		const char *name;
		size_t val_off, len_off;
	} props[] = {
#define FDT_PROP_SLOT(n, f) {n, offsetof(struct fdt_node, f), offsetof(struct fdt_node, f##_len)}
	    FDT_PROP_SLOT("compatible", compatible), FDT_PROP_SLOT("reg", reg),
	    FDT_PROP_SLOT("interrupts", interrupts), FDT_PROP_SLOT("device_type", device_type),
	    FDT_PROP_SLOT("status", status),         FDT_PROP_SLOT("bootargs", bootargs),
	    FDT_PROP_SLOT("ranges", ranges),         FDT_PROP_SLOT("stdout-path", stdout_path),
	    FDT_PROP_SLOT("reg-shift", reg_shift),   FDT_PROP_SLOT("reg-io-width", reg_io_width),
#undef FDT_PROP_SLOT
	};

	if (len == 4 && fdt_name_is(name, "#address-cells"))
		node->address_cells = fdt_be32(val);
	else if (len == 4 && fdt_name_is(name, "#size-cells"))
		node->size_cells = fdt_be32(val);
	for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
		if (fdt_name_is(name, props[i].name)) {
			*(const uint8_t **)((uint8_t *)node + props[i].val_off) = val;
			*(uint32_t *)((uint8_t *)node + props[i].len_off) = len;
		}
	}
}

/* One property of /aliases in the alias walk: the console's alias gives its node's path. */
static void fdt_take_alias(struct fdt_console_path *console, const char *name, const uint8_t *val,
                           uint32_t len)
{
	uint32_t n = (uint32_t)strnlen((const char *)val, len);

	if (console->path == NULL && strnlen(name, console->name_len + 1) == console->name_len &&
	    memcmp(name, console->name, console->name_len) == 0 && n > 0 && val[0] == '/') {
		console->path = val;
		console->path_len = n;
	}
}

/* The end of a node, in each walk. */
static void fdt_end_node(const struct fdt_node *stack, int depth, struct fdt_walk_state *st)
{
	const struct fdt_node *node = &stack[depth];

	if (st->pass == FDT_PASS_MACHINE) {
		fdt_take_node(stack, depth, st->out, &st->console, &st->ram_error);
	} else if (st->pass == FDT_PASS_STDOUT &&
	           fdt_path_is(stack, depth, st->console.path, st->console.path_len) &&
	           (node->status == NULL ||
	            fdt_string_is(node->status, node->status_len, "okay"))) {
		/* The named UART replaces the first one found; one humpy cannot drive leaves it. */
		if (fdt_take_uart(stack, depth, st->out))
			st->out->uart_named = 1;
	}
}

static struct fdt_result fdt_walk(const struct fdt_view *v, struct fdt_walk_state *st)
{
	struct fdt_node stack[FDT_MAX_DEPTH];
	int depth = -1;
	uint32_t pos = 0;

	for (;;) {
		if (pos > v->struct_size || v->struct_size - pos < 4)
			return (struct fdt_result){-1, "structure block ends without FDT_END"};
		uint32_t token = fdt_be32(v->structs + pos);
		pos += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)v->structs + pos;
			size_t n = strnlen(name, v->struct_size - pos);
			if (n == v->struct_size - pos)
				return (struct fdt_result){-1, "node name not terminated"};
			if (++depth >= FDT_MAX_DEPTH)
				return (struct fdt_result){-1, "tree nested too deeply"};
			stack[depth] =
			    (struct fdt_node){.name = name, .address_cells = 2, .size_cells = 1};
			pos += (uint32_t)ALIGN_UP(n + 1, 4);
			break;
		}
		case FDT_END_NODE:
			if (depth < 0)
				return (struct fdt_result){-1, "unbalanced END_NODE"};
			if (depth > 0) {
				fdt_end_node(stack, depth, st);
			} else if (st->pass == FDT_PASS_MACHINE) {
				st->out->root_compatible = stack[0].compatible;
				st->out->root_compatible_len = stack[0].compatible_len;
			}
			depth--;
			break;
		case FDT_PROP: {
			if (v->struct_size - pos < 8 || depth < 0)
				return (struct fdt_result){-1, "truncated or stray property"};
			uint32_t len = fdt_be32(v->structs + pos);
			uint32_t nameoff = fdt_be32(v->structs + pos + 4);
			pos += 8;
			if (len > v->struct_size - pos)
				return (struct fdt_result){-1, "property runs past the block"};
			if (nameoff >= v->strings_size ||
			    strnlen(v->strings + nameoff, v->strings_size - nameoff) ==
			        v->strings_size - nameoff)
				return (struct fdt_result){-1, "bad property name offset"};
			fdt_take_prop(&stack[depth], v->strings + nameoff, v->structs + pos, len);
			if (st->pass == FDT_PASS_ALIASES && depth == 1 &&
			    fdt_name_is(stack[1].name, "aliases"))
				fdt_take_alias(&st->console, v->strings + nameoff, v->structs + pos,
				               len);
			pos += (uint32_t)ALIGN_UP(len, 4);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth != -1)
				return (struct fdt_result){-1, "FDT_END inside a node"};
			return (struct fdt_result){0, NULL};
		default:
			return (struct fdt_result){-1, "unknown structure token"};
		}
	}
}

/* True when the blocks [a, a + as) and [b, b + bs) share no byte (an empty block shares none). */
static bool fdt_apart(uint32_t a, uint32_t as, uint32_t b, uint32_t bs)
{
	return as == 0 || bs == 0 || !range_overlaps(a, as, b, bs);
}

static uint64_t fdt_be64(const uint8_t *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

/*
 * The FDT header's memory reservation block (offset off_mem_rsvmap, 16-byte address/size pairs
 * ending with a 0/0 pair; an offset of 0 is taken as no block, as hand-built trees have) joins the
 * reserved ranges; then the RAM description is checked: no list past its bound, banks ascending
 * and apart (every board's tree lists them so). A tree without memory is the boot's to refuse.
 */
static struct fdt_result fdt_check_ram(const uint8_t *b, const struct fdt_view *v,
                                       struct machine *out, const char *ram_error)
{
	uint32_t total = fdt_be32(b + 4);
	uint32_t off = fdt_be32(b + 16);
	uint32_t off_struct = (uint32_t)(v->structs - b);

	if (ram_error != NULL)
		return (struct fdt_result){-1, ram_error};
	if (off != 0 && (!IS_ALIGNED(off, 8) || off < FDT_HEADER_LEN))
		return (struct fdt_result){-1, "memory reservation block misplaced"};
	for (; off != 0; off += 16) {
		if (off > total || total - off < 16)
			return (struct fdt_result){-1, "memory reservation block not terminated"};
		if (!fdt_apart(off, 16, off_struct, v->struct_size))
			return (struct fdt_result){-1, "reservation block in the structure"};
		uint64_t base = fdt_be64(b + off), size = fdt_be64(b + off + 8);

		if (base == 0 && size == 0)
			break;
		if (size == 0)
			continue;
		if (base + size < base)
			return (struct fdt_result){-1, "memory reservation wraps"};
		if (out->reserved_count < MACHINE_MAX_RESERVED)
			out->reserved[out->reserved_count] = (struct machine_range){base, size};
		if (out->reserved_count <= MACHINE_MAX_RESERVED)
			out->reserved_count++;
	}
	if (out->bank_count > MACHINE_MAX_BANKS)
		return (struct fdt_result){-1, "more memory banks than humpy keeps"};
	if (out->reserved_count > MACHINE_MAX_RESERVED)
		return (struct fdt_result){-1, "more reserved ranges than humpy keeps"};
	for (uint32_t i = 1; i < out->bank_count; i++) {
		if (out->bank[i].base < out->bank[i - 1].base + out->bank[i - 1].size)
			return (struct fdt_result){-1, "memory banks not ascending and apart"};
	}
	return (struct fdt_result){0, NULL};
}

/* The tree's header checked against max_size, and where its blocks are. */
static struct fdt_result fdt_view_of(const void *blob, size_t max_size, struct fdt_view *v)
{
	const uint8_t *b = blob;

	if (max_size < FDT_HEADER_LEN || !fdt_has_magic(blob))
		return (struct fdt_result){-1, "no FDT magic"};
	uint32_t total = fdt_be32(b + 4);
	uint32_t off_struct = fdt_be32(b + 8);
	uint32_t off_strings = fdt_be32(b + 12);
	uint32_t version = fdt_be32(b + 20);
	uint32_t size_strings = fdt_be32(b + 32);
	uint32_t size_struct = fdt_be32(b + 36);
	if (total > max_size || total < FDT_HEADER_LEN)
		return (struct fdt_result){-1, "totalsize out of bounds"};
	if (version < 17)
		return (struct fdt_result){-1, "FDT version older than 17"};
	if (!range_within(off_struct, size_struct, 0, total) ||
	    !range_within(off_strings, size_strings, 0, total) || !IS_ALIGNED(off_struct, 4))
		return (struct fdt_result){-1, "block offsets out of bounds"};
	/* root_dt_publish writes values into the structure block in place: were the strings there
	 * too, a published cap could rename a property this reader goes by. (No /chosen value can
	 * start inside the header: the two nodes and the property before it take 32 bytes, and a
	 * structure block before offset 8 starts with no token.) */
	if (!fdt_apart(off_struct, size_struct, off_strings, size_strings))
		return (struct fdt_result){-1, "structure block over the strings"};

	*v = (struct fdt_view){
	    .structs = b + off_struct,
	    .struct_size = size_struct,
	    .strings = (const char *)b + off_strings,
	    .strings_size = size_strings,
	};
	return (struct fdt_result){0, NULL};
}

struct fdt_result fdt_read_machine(const void *blob, size_t max_size, struct machine *out)
{
	struct fdt_view v;
	struct fdt_walk_state st = {.pass = FDT_PASS_MACHINE, .out = out};
	struct fdt_result r;

	*out = (struct machine){0};
	r = fdt_view_of(blob, max_size, &v);
	if (r.error != 0)
		return r;
	r = fdt_walk(&v, &st);
	if (r.error == 0)
		r = fdt_check_ram(blob, &v, out, st.ram_error);
	if (r.error != 0 || st.console.name == NULL)
		return r;
	if (st.console.path == NULL) {
		st.pass = FDT_PASS_ALIASES;
		(void)fdt_walk(&v, &st); /* the same tree: it walked cleanly once */
	}
	if (st.console.path != NULL) {
		st.pass = FDT_PASS_STDOUT;
		(void)fdt_walk(&v, &st);
	}
	return r;
}

bool fdt_machine_is(const struct machine *m, const char *compatible)
{
	return fdt_string_is(m->root_compatible, m->root_compatible_len, compatible);
}

bool fdt_take_console_alias(const void *blob, size_t max_size, const char *alias,
                            struct machine *out)
{
	struct fdt_view v;
	struct fdt_walk_state st = {
	    .pass = FDT_PASS_ALIASES,
	    .out = out,
	    .console = {.name = (const uint8_t *)alias, .name_len = (uint32_t)strnlen(alias, 64)},
	};

	if (st.console.name_len == 0 || fdt_view_of(blob, max_size, &v).error != 0)
		return false;
	/* The walks of fdt_read_machine's stdout-path, from the alias on: a failed one (the tree
	 * already walked cleanly) leaves the console as it was. */
	(void)fdt_walk(&v, &st);
	if (st.console.path == NULL)
		return false;
	uint32_t was_named = out->uart_named;

	out->uart_named = 0;
	st.pass = FDT_PASS_STDOUT;
	(void)fdt_walk(&v, &st);
	if (out->uart_named != 0)
		return true;
	out->uart_named = was_named;
	return false;
}
