/* hyp/rm/fdt_patch.c: inserts the /hypervisor node into a flattened device tree in place. */
#include "fdt_patch.h"

#include <stdbool.h>

/* Devicetree Specification v0.4 §5: the header words and the structure block tokens. */
#define FDT_MAGIC          0xd00dfeedu
#define FDT_HEADER_SIZE    40u
#define FDT_BEGIN_NODE     1u
#define FDT_END_NODE       2u
#define FDT_PROP           3u
#define FDT_NOP            4u
#define FDT_END            9u
#define FDT_VERSION_SIZES  17u /* the first version with size_dt_struct */
#define FDT_RSVMAP_ALIGN   8u
#define FDT_TOKEN_ALIGN    4u
#define FDT_MAX_DEPTH      64u
#define HYP_NODE_NAME      "hypervisor"
#define HYP_NODE_NAME_LEN  10u
#define RPC_NODE_PREFIX    "qcom,resource-manager-rpc@"
#define GIC_SPI            0u
#define GIC_SPI_BASE       32u
#define GIC_SPI_LAST       1019u
#define IRQ_LEVEL_HIGH     4u
#define RM_RPC_MSG_SIZE    240u /* §6: each message of the pair is at most 240 bytes */
#define RM_RPC_QUEUE_DEPTH 8u   /* §6: depth 8 for the primary VM */

/* Header word offsets. */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP = 24,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36,
};

/* The blob as validated: every offset and size below is inside totalsize. */
struct fdt_layout {
	uint32_t totalsize;
	uint32_t off_struct;
	uint32_t size_struct;
	uint32_t off_strings;
	uint32_t size_strings;
	uint32_t off_rsvmap;
	uint32_t root_end; /* offset in the blob of the root node's FDT_END_NODE token */
};

static uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n] != '\0') {
		n++;
	}
	return n;
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1u) & ~(a - 1u);
}

/* Is [off, off + len) inside [0, total)? */
static bool range_inside(uint32_t off, uint32_t len, uint32_t total)
{
	return off <= total && len <= total - off;
}

/* Length of the NUL-terminated string at p, or -1 if no NUL comes before `limit` bytes. */
static long bounded_len(const uint8_t *p, uint32_t limit)
{
	for (uint32_t i = 0; i < limit; i++) {
		if (p[i] == 0) {
			return (long)i;
		}
	}
	return -1;
}

static bool is_hyp_node_name(const uint8_t *name, long len)
{
	if (len < (long)HYP_NODE_NAME_LEN) {
		return false;
	}
	for (uint32_t i = 0; i < HYP_NODE_NAME_LEN; i++) {
		if (name[i] != (uint8_t)HYP_NODE_NAME[i]) {
			return false;
		}
	}
	return len == (long)HYP_NODE_NAME_LEN || name[HYP_NODE_NAME_LEN] == '@';
}

/* Walks the structure block: every token aligned and inside the block, every property inside the
 * block with its name inside the strings block, nodes balanced, exactly one root, FDT_END last.
 * Records where the root closes; refuses a root that already has a hypervisor child. */
static enum rm_fdt_result walk_struct(const uint8_t *fdt, struct fdt_layout *lay)
{
	const uint8_t *s = fdt + lay->off_struct;
	uint32_t size = lay->size_struct;
	uint32_t pos = 0;
	uint32_t depth = 0;
	bool root_seen = false;
	bool root_closed = false;

	for (;;) {
		if (size - pos < 4u) {
			return RM_FDT_ERR_BAD_BLOB;
		}
		uint32_t token = get_be32(s + pos);
		uint32_t at = pos;
		pos += 4u;
		switch (token) {
		case FDT_BEGIN_NODE: {
			long len = bounded_len(s + pos, size - pos);
			if (len < 0 || root_closed || depth >= FDT_MAX_DEPTH) {
				return RM_FDT_ERR_BAD_BLOB;
			}
			if (depth == 0) {
				if (root_seen || len != 0) {
					return RM_FDT_ERR_BAD_BLOB;
				}
				root_seen = true;
			} else if (depth == 1 && is_hyp_node_name(s + pos, len)) {
				return RM_FDT_ERR_EXISTS;
			}
			uint32_t skip = align_up((uint32_t)len + 1u, FDT_TOKEN_ALIGN);
			if (skip > size - pos) {
				return RM_FDT_ERR_BAD_BLOB;
			}
			pos += skip;
			depth++;
			break;
		}
		case FDT_END_NODE:
			if (depth == 0) {
				return RM_FDT_ERR_BAD_BLOB;
			}
			depth--;
			if (depth == 0) {
				root_closed = true;
				lay->root_end = lay->off_struct + at;
			}
			break;
		case FDT_PROP: {
			if (depth == 0 || size - pos < 8u) {
				return RM_FDT_ERR_BAD_BLOB;
			}
			uint32_t len = get_be32(s + pos);
			uint32_t nameoff = get_be32(s + pos + 4u);
			pos += 8u;
			if (len > size - pos || nameoff >= lay->size_strings ||
			    bounded_len(fdt + lay->off_strings + nameoff,
			                lay->size_strings - nameoff) < 0) {
				return RM_FDT_ERR_BAD_BLOB;
			}
			uint32_t skip = align_up(len, FDT_TOKEN_ALIGN);
			if (skip > size - pos) {
				return RM_FDT_ERR_BAD_BLOB;
			}
			pos += skip;
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			/* The last token of the block, after a closed root. */
			if (!root_closed || pos != size) {
				return RM_FDT_ERR_BAD_BLOB;
			}
			return RM_FDT_OK;
		default:
			return RM_FDT_ERR_BAD_BLOB;
		}
	}
}

static enum rm_fdt_result read_layout(const uint8_t *fdt, size_t capacity, struct fdt_layout *lay)
{
	if (capacity < FDT_HEADER_SIZE || get_be32(fdt + HDR_MAGIC) != FDT_MAGIC) {
		return RM_FDT_ERR_BAD_BLOB;
	}
	lay->totalsize = get_be32(fdt + HDR_TOTALSIZE);
	lay->off_struct = get_be32(fdt + HDR_OFF_STRUCT);
	lay->size_struct = get_be32(fdt + HDR_SIZE_STRUCT);
	lay->off_strings = get_be32(fdt + HDR_OFF_STRINGS);
	lay->size_strings = get_be32(fdt + HDR_SIZE_STRINGS);
	lay->off_rsvmap = get_be32(fdt + HDR_OFF_RSVMAP);
	uint32_t version = get_be32(fdt + HDR_VERSION);
	uint32_t last_comp = get_be32(fdt + HDR_LAST_COMP);

	if (version < FDT_VERSION_SIZES || last_comp > FDT_VERSION_SIZES ||
	    lay->totalsize < FDT_HEADER_SIZE || lay->totalsize > capacity) {
		return RM_FDT_ERR_BAD_BLOB;
	}
	uint32_t total = lay->totalsize;
	if (lay->off_struct < FDT_HEADER_SIZE || lay->off_strings < FDT_HEADER_SIZE ||
	    lay->off_rsvmap < FDT_HEADER_SIZE || lay->off_struct % FDT_TOKEN_ALIGN != 0 ||
	    lay->size_struct % FDT_TOKEN_ALIGN != 0 || lay->off_rsvmap % FDT_RSVMAP_ALIGN != 0 ||
	    !range_inside(lay->off_struct, lay->size_struct, total) ||
	    !range_inside(lay->off_strings, lay->size_strings, total)) {
		return RM_FDT_ERR_BAD_BLOB;
	}
	/* The two blocks this code grows must not overlap. */
	if (lay->off_struct < lay->off_strings + lay->size_strings &&
	    lay->off_strings < lay->off_struct + lay->size_struct) {
		return RM_FDT_ERR_BAD_BLOB;
	}
	/* The reservation map ends with an all-zero entry inside the blob. */
	for (uint32_t off = lay->off_rsvmap;; off += 16u) {
		if (!range_inside(off, 16u, total)) {
			return RM_FDT_ERR_BAD_BLOB;
		}
		bool is_last = true;
		for (uint32_t i = 0; i < 16u; i++) {
			is_last = is_last && fdt[off + i] == 0;
		}
		if (is_last) {
			break;
		}
	}
	return walk_struct(fdt, lay);
}

/* Property names the node uses; each is found in the strings block or appended to it once. */
enum prop_name {
	PN_COMPATIBLE,
	PN_ADDRESS_CELLS,
	PN_SIZE_CELLS,
	PN_VMID,
	PN_VENDOR,
	PN_REG,
	PN_INTERRUPTS,
	PN_FULL_DUPLEX,
	PN_TX_MSG_SIZE,
	PN_RX_MSG_SIZE,
	PN_TX_DEPTH,
	PN_RX_DEPTH,
	PN_COUNT,
};

static const char *const prop_names[PN_COUNT] = {
    [PN_COMPATIBLE] = "compatible",
    [PN_ADDRESS_CELLS] = "#address-cells",
    [PN_SIZE_CELLS] = "#size-cells",
    [PN_VMID] = "qcom,vmid",
    [PN_VENDOR] = "qcom,vendor",
    [PN_REG] = "reg",
    [PN_INTERRUPTS] = "interrupts",
    [PN_FULL_DUPLEX] = "qcom,is-full-duplex",
    [PN_TX_MSG_SIZE] = "qcom,tx-message-size",
    [PN_RX_MSG_SIZE] = "qcom,rx-message-size",
    [PN_TX_DEPTH] = "qcom,tx-queue-depth",
    [PN_RX_DEPTH] = "qcom,rx-queue-depth",
};

/* Where each name lives in the strings block after the patch. */
struct name_plan {
	uint32_t offset[PN_COUNT];
	bool is_new[PN_COUNT];
	uint32_t added; /* bytes appended to the strings block */
};

static bool string_at_equals(const uint8_t *p, uint32_t limit, const char *s)
{
	uint32_t i = 0;
	for (; s[i] != '\0'; i++) {
		if (i >= limit || p[i] != (uint8_t)s[i]) {
			return false;
		}
	}
	return i < limit && p[i] == 0;
}

static void plan_names(const uint8_t *fdt, const struct fdt_layout *lay, struct name_plan *plan)
{
	const uint8_t *strings = fdt + lay->off_strings;
	plan->added = 0;
	for (int n = 0; n < PN_COUNT; n++) {
		bool found = false;
		/* Whole strings only: each starts after a NUL (or at the block's start). */
		for (uint32_t i = 0; i < lay->size_strings && !found;) {
			if (string_at_equals(strings + i, lay->size_strings - i, prop_names[n])) {
				plan->offset[n] = i;
				found = true;
				break;
			}
			long len = bounded_len(strings + i, lay->size_strings - i);
			if (len < 0) {
				break;
			}
			i += (uint32_t)len + 1u;
		}
		plan->is_new[n] = !found;
		if (!found) {
			plan->offset[n] = lay->size_strings + plan->added;
			plan->added += (uint32_t)str_len(prop_names[n]) + 1u;
		}
	}
}

/* Writes tokens at `out`, or only counts them when `out` is NULL. */
struct emitter {
	uint8_t *out;
	uint32_t len;
};

static void emit_raw(struct emitter *e, const void *data, uint32_t len)
{
	const uint8_t *bytes = data;
	uint32_t padded = align_up(len, FDT_TOKEN_ALIGN);
	if (e->out != NULL) {
		for (uint32_t i = 0; i < padded; i++) {
			e->out[e->len + i] = i < len ? bytes[i] : 0;
		}
	}
	e->len += padded;
}

static void emit_u32(struct emitter *e, uint32_t v)
{
	uint8_t cell[4];
	put_be32(cell, v);
	emit_raw(e, cell, sizeof(cell));
}

static void emit_begin(struct emitter *e, const char *name)
{
	emit_u32(e, FDT_BEGIN_NODE);
	emit_raw(e, name, (uint32_t)str_len(name) + 1u);
}

static void emit_prop(struct emitter *e, const struct name_plan *plan, enum prop_name name,
                      const void *value, uint32_t len)
{
	emit_u32(e, FDT_PROP);
	emit_u32(e, len);
	emit_u32(e, plan->offset[name]);
	emit_raw(e, value, len);
}

static void emit_cells(struct emitter *e, const struct name_plan *plan, enum prop_name name,
                       const uint32_t *cells, uint32_t count)
{
	uint8_t value[6 * 4];
	for (uint32_t i = 0; i < count; i++) {
		put_be32(value + 4u * i, cells[i]);
	}
	emit_prop(e, plan, name, value, 4u * count);
}

static void emit_cell(struct emitter *e, const struct name_plan *plan, enum prop_name name,
                      uint32_t v)
{
	emit_cells(e, plan, name, &v, 1);
}

/* A string list's value is its strings, each with its NUL: sizeof of the literal. */
static const char hyp_compatible[] =
    "qcom,gunyah-hypervisor-1.0\0qcom,gunyah-hypervisor\0simple-bus";
static const char vm_compatible[] = "qcom,gunyah-vm-id-1.0\0qcom,gunyah-vm-id";
static const char vendor[] = "Qualcomm";
/* §6 Transport: the RM's own order; Linux matches the first, older drivers the qcom ones. */
static const char rpc_compatible[] =
    "gunyah-resource-manager\0qcom,resource-manager-1-0\0qcom,resource-manager";

/* "qcom,resource-manager-rpc@" and the TX cap in lower-case hex without leading zeros. */
static void rpc_node_name(char *buf, uint64_t tx_cap)
{
	static const char digits[] = "0123456789abcdef";
	const char *prefix = RPC_NODE_PREFIX;
	size_t n = 0;
	for (; prefix[n] != '\0'; n++) {
		buf[n] = prefix[n];
	}
	int shift = 60;
	while (shift > 0 && ((tx_cap >> shift) & 0xfu) == 0) {
		shift -= 4;
	}
	for (; shift >= 0; shift -= 4) {
		buf[n++] = digits[(tx_cap >> shift) & 0xfu];
	}
	buf[n] = '\0';
}

static void emit_hyp_node(struct emitter *e, const struct name_plan *plan,
                          const struct rm_fdt_hyp_node *node)
{
	char rpc_name[sizeof(RPC_NODE_PREFIX) + 16];
	rpc_node_name(rpc_name, node->tx_cap);

	emit_begin(e, HYP_NODE_NAME);
	emit_prop(e, plan, PN_COMPATIBLE, hyp_compatible, sizeof(hyp_compatible));
	emit_cell(e, plan, PN_ADDRESS_CELLS, 2);
	emit_cell(e, plan, PN_SIZE_CELLS, 0);

	emit_begin(e, "qcom,gunyah-vm");
	emit_prop(e, plan, PN_COMPATIBLE, vm_compatible, sizeof(vm_compatible));
	emit_cell(e, plan, PN_VMID, node->vmid);
	emit_prop(e, plan, PN_VENDOR, vendor, sizeof(vendor));
	emit_u32(e, FDT_END_NODE);

	emit_begin(e, rpc_name);
	emit_prop(e, plan, PN_COMPATIBLE, rpc_compatible, sizeof(rpc_compatible));
	const uint32_t reg[4] = {
	    (uint32_t)(node->tx_cap >> 32),
	    (uint32_t)node->tx_cap,
	    (uint32_t)(node->rx_cap >> 32),
	    (uint32_t)node->rx_cap,
	};
	emit_cells(e, plan, PN_REG, reg, 4);
	const uint32_t irqs[6] = {
	    GIC_SPI, node->tx_virq - GIC_SPI_BASE, IRQ_LEVEL_HIGH,
	    GIC_SPI, node->rx_virq - GIC_SPI_BASE, IRQ_LEVEL_HIGH,
	};
	emit_cells(e, plan, PN_INTERRUPTS, irqs, 6);
	emit_prop(e, plan, PN_FULL_DUPLEX, NULL, 0);
	emit_cell(e, plan, PN_TX_MSG_SIZE, RM_RPC_MSG_SIZE);
	emit_cell(e, plan, PN_RX_MSG_SIZE, RM_RPC_MSG_SIZE);
	emit_cell(e, plan, PN_TX_DEPTH, RM_RPC_QUEUE_DEPTH);
	emit_cell(e, plan, PN_RX_DEPTH, RM_RPC_QUEUE_DEPTH);
	emit_u32(e, FDT_END_NODE);

	emit_u32(e, FDT_END_NODE);
}

/* Opens `len` bytes at `at` by moving [at, totalsize) up, and moves every block offset behind it;
 * `grown` is the header word of the block that grows here (its own offset stays). */
static void open_gap(uint8_t *fdt, struct fdt_layout *lay, uint32_t at, uint32_t len,
                     uint32_t *grown)
{
	for (uint32_t i = lay->totalsize; i > at; i--) {
		fdt[i - 1u + len] = fdt[i - 1u];
	}
	uint32_t *offsets[] = {&lay->off_struct, &lay->off_strings, &lay->off_rsvmap};
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		if (offsets[i] != grown && *offsets[i] >= at) {
			*offsets[i] += len;
		}
	}
	lay->totalsize += len;
}

enum rm_fdt_result rm_fdt_patch_hypervisor(void *blob, size_t capacity,
                                           const struct rm_fdt_hyp_node *node)
{
	if (blob == NULL || node == NULL || node->tx_virq < GIC_SPI_BASE ||
	    node->tx_virq > GIC_SPI_LAST || node->rx_virq < GIC_SPI_BASE ||
	    node->rx_virq > GIC_SPI_LAST) {
		return RM_FDT_ERR_ARG;
	}
	uint8_t *fdt = blob;
	struct fdt_layout lay;
	enum rm_fdt_result res = read_layout(fdt, capacity, &lay);
	if (res != RM_FDT_OK) {
		return res;
	}

	struct name_plan plan;
	plan_names(fdt, &lay, &plan);
	struct emitter count = {.out = NULL, .len = 0};
	emit_hyp_node(&count, &plan, node);
	uint32_t node_len = count.len;
	uint32_t strings_len = plan.added;
	/* A block behind a grown one moves with it and keeps its alignment: the reservation map 8,
	 * the structure block 4 (the node is a multiple of 4 already). */
	uint32_t strings_end = lay.off_strings + lay.size_strings;
	uint32_t node_pad = 0;
	if (lay.off_rsvmap > lay.root_end) {
		node_pad = align_up(node_len, FDT_RSVMAP_ALIGN) - node_len;
	}
	if (lay.off_rsvmap >= strings_end) {
		strings_len = align_up(strings_len, FDT_RSVMAP_ALIGN);
	} else if (lay.off_struct >= strings_end) {
		strings_len = align_up(strings_len, FDT_TOKEN_ALIGN);
	}
	uint64_t new_total = (uint64_t)lay.totalsize + node_len + node_pad + strings_len;
	if (new_total > capacity || new_total > UINT32_MAX) {
		return RM_FDT_ERR_NO_ROOM;
	}

	/* Validated and sized: from here nothing can fail. */
	uint32_t at = lay.root_end;
	open_gap(fdt, &lay, at, node_len + node_pad, &lay.off_struct);
	struct emitter out = {.out = fdt + at, .len = 0};
	emit_hyp_node(&out, &plan, node);
	for (uint32_t i = 0; i < node_pad; i += FDT_TOKEN_ALIGN) {
		emit_u32(&out, FDT_NOP);
	}
	lay.size_struct += node_len + node_pad;

	strings_end = lay.off_strings + lay.size_strings;
	open_gap(fdt, &lay, strings_end, strings_len, &lay.off_strings);
	uint8_t *dst = fdt + strings_end;
	for (uint32_t i = 0; i < strings_len; i++) {
		dst[i] = 0;
	}
	for (int n = 0; n < PN_COUNT; n++) {
		if (plan.is_new[n]) {
			const char *s = prop_names[n];
			uint8_t *p = fdt + lay.off_strings + plan.offset[n];
			for (size_t i = 0; s[i] != '\0'; i++) {
				p[i] = (uint8_t)s[i];
			}
		}
	}
	lay.size_strings += strings_len;

	put_be32(fdt + HDR_TOTALSIZE, lay.totalsize);
	put_be32(fdt + HDR_OFF_STRUCT, lay.off_struct);
	put_be32(fdt + HDR_SIZE_STRUCT, lay.size_struct);
	put_be32(fdt + HDR_OFF_STRINGS, lay.off_strings);
	put_be32(fdt + HDR_SIZE_STRINGS, lay.size_strings);
	put_be32(fdt + HDR_OFF_RSVMAP, lay.off_rsvmap);
	return RM_FDT_OK;
}
