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
	uint32_t address_cells, size_cells; /* this node's, for its children */
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

static void fdt_take_node(const struct fdt_node *node, const struct fdt_node *parent,
                          struct machine *out)
{
	bool okay = node->status == NULL || fdt_string_is(node->status, node->status_len, "okay");
	bool memory = fdt_string_is(node->device_type, node->device_type_len, "memory");

	if (!okay)
		return;
	if (memory && out->mem.size == 0)
		(void)fdt_reg(node, parent, 0, &out->mem);
	if (fdt_string_is(node->compatible, node->compatible_len, "arm,gic-v3") &&
	    out->gicd.size == 0) {
		(void)fdt_reg(node, parent, 0, &out->gicd);
		(void)fdt_reg(node, parent, 1, &out->gicr);
		out->gic_maint_intid = fdt_ppi_intid(node, 0);
	}
	if (out->uart.size == 0) {
		if (fdt_string_is(node->compatible, node->compatible_len, "arm,pl011") &&
		    fdt_reg(node, parent, 0, &out->uart))
			out->uart_kind = MACHINE_UART_PL011;
		else if (fdt_is_cadence_uart(node) && fdt_reg(node, parent, 0, &out->uart))
			out->uart_kind = MACHINE_UART_CADENCE;
	}
	if (fdt_string_is(node->compatible, node->compatible_len, "arm,pl061") &&
	    out->gpio.size == 0 && fdt_reg(node, parent, 0, &out->gpio))
		out->gpio_intid = fdt_spi_intid(node, 0);
	if (fdt_string_is(node->compatible, node->compatible_len, "arm,armv8-timer")) {
		out->timer_virt_intid = fdt_ppi_intid(node, 2);
		out->timer_hyp_intid = fdt_ppi_intid(node, 3);
	}
	if (node->bootargs != NULL && parent->name[0] == '\0' && fdt_name_is(node->name, "chosen"))
		fdt_take_bootargs(node, out);
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

static struct fdt_result fdt_walk(const struct fdt_view *v, struct machine *out)
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
			if (depth > 0)
				fdt_take_node(&stack[depth], &stack[depth - 1], out);
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

struct fdt_result fdt_read_machine(const void *blob, size_t max_size, struct machine *out)
{
	const uint8_t *b = blob;

	*out = (struct machine){0};
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

	struct fdt_view v = {
	    .structs = b + off_struct,
	    .struct_size = size_struct,
	    .strings = (const char *)b + off_strings,
	    .strings_size = size_strings,
	};
	return fdt_walk(&v, out);
}
