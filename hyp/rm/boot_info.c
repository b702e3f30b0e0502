/* boot_info: a reader of the few /chosen properties of the RM's boot device tree (FDT v17). */
#include "boot_info.h"

#include <stddef.h>

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE   2U
#define FDT_PROP       3U
#define FDT_NOP        4U
#define FDT_END        9U
/* The hypervisor gives the RM a small tree: anything larger is not the one it wrote. */
#define FDT_MAX_SIZE (64U * 1024U)

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

static bool str_is(const uint8_t *p, const uint8_t *end, const char *s)
{
	while (p < end && *s != '\0' && *p == (uint8_t)*s) {
		p++;
		s++;
	}
	return p < end && *p == '\0' && *s == '\0';
}

/* The value of /chosen/@name and its length (*len), or NULL when /chosen has no such property. */
static const uint8_t *chosen_prop_any(const uint8_t *blob, const char *name, uint32_t *len)
{
	uint32_t total, off_struct, off_strings, size_struct, size_strings;
	const uint8_t *p, *end;
	unsigned depth = 0;
	bool in_chosen = false;

	if (be32(blob) != FDT_MAGIC) {
		return NULL;
	}
	total = be32(blob + 4);
	off_struct = be32(blob + 8);
	off_strings = be32(blob + 12);
	size_strings = be32(blob + 32);
	size_struct = be32(blob + 36);
	if (total > FDT_MAX_SIZE || off_struct > total || size_struct > total - off_struct ||
	    off_strings > total || size_strings > total - off_strings || (off_struct & 3U) != 0) {
		return NULL;
	}
	p = blob + off_struct;
	end = p + size_struct;
	while ((size_t)(end - p) >= 4) {
		uint32_t token = be32(p);

		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const uint8_t *node = p;

			while (p < end && *p != '\0') {
				p++;
			}
			if (p == end) {
				return NULL;
			}
			depth++;
			in_chosen = depth == 2 && str_is(node, end, "chosen");
			p = blob + (((size_t)(p + 1 - blob) + 3U) & ~(size_t)3U);
		} else if (token == FDT_END_NODE) {
			if (depth == 0) {
				return NULL;
			}
			depth--;
			in_chosen = false;
		} else if (token == FDT_PROP) {
			uint32_t plen, nameoff;

			if ((size_t)(end - p) < 8) {
				return NULL;
			}
			plen = be32(p);
			nameoff = be32(p + 4);
			p += 8;
			if (plen > (size_t)(end - p) || nameoff >= size_strings) {
				return NULL;
			}
			if (in_chosen && str_is(blob + off_strings + nameoff,
			                        blob + off_strings + size_strings, name)) {
				*len = plen;
				return p;
			}
			p = blob + (((size_t)(p + plen - blob) + 3U) & ~(size_t)3U);
		} else if (token == FDT_END) {
			break;
		} else if (token != FDT_NOP) {
			return NULL;
		}
	}
	return NULL;
}

/* The value of /chosen/@name if it is exactly @len bytes long, else NULL. */
static const uint8_t *chosen_prop(const uint8_t *blob, const char *name, uint32_t len)
{
	uint32_t got = 0;
	const uint8_t *p = chosen_prop_any(blob, name, &got);

	return got == len ? p : NULL;
}

/* The first string of /chosen/@name when it ends inside the property (NUL-padding may follow), else
 * NULL: an unfilled slot is all ones, no string. */
static const char *read_string(const uint8_t *blob, const char *name)
{
	uint32_t len = 0;
	const uint8_t *p = chosen_prop_any(blob, name, &len);

	for (uint32_t i = 0; p != NULL && i < len; i++) {
		if (p[i] == '\0') {
			return i != 0 ? (const char *)p : NULL;
		}
	}
	return NULL;
}

static bool read_u64(const uint8_t *blob, const char *name, uint64_t *out)
{
	const uint8_t *p = chosen_prop(blob, name, 8);

	*out = p != NULL ? be64(p) : RM_BOOT_NONE;
	return *out != RM_BOOT_NONE;
}

static bool read_pair(const uint8_t *blob, const char *name, uint64_t *a, uint64_t *b)
{
	const uint8_t *p = chosen_prop(blob, name, 16);

	*a = p != NULL ? be64(p) : RM_BOOT_NONE;
	*b = p != NULL ? be64(p + 8) : RM_BOOT_NONE;
	return *a != RM_BOOT_NONE && *b != RM_BOOT_NONE;
}

const char *rm_boot_info_read(const void *dtb, struct rm_boot_info *out)
{
	const uint8_t *blob = dtb;

	if (blob == NULL || be32(blob) != FDT_MAGIC) {
		return "a device tree at x0";
	}
	/* The console first, so that the RM can say what else is missing. */
	if (!read_pair(blob, "humpy,uart-memory", &out->uart.base, &out->uart.size)) {
		out->uart.base = RM_BOOT_NONE;
	}
	out->uart_compatible = read_string(blob, "humpy,uart-compatible");
	if (!read_pair(blob, "humpy,root-memory", &out->root_memory.base, &out->root_memory.size)) {
		out->root_memory.base = 0;
		out->root_memory.size = 0;
	}
	if (!read_u64(blob, "humpy,root-partition-cap", &out->partition)) {
		return "humpy,root-partition-cap";
	}
	if (!read_u64(blob, "humpy,root-cspace-cap", &out->cspace)) {
		return "humpy,root-cspace-cap";
	}
	if (!read_u64(blob, "humpy,root-vic-cap", &out->vic)) {
		return "humpy,root-vic-cap";
	}
	if (!read_u64(blob, "humpy,root-vcpu-cap", &out->vcpu)) {
		return "humpy,root-vcpu-cap";
	}
	if (!read_u64(blob, "humpy,root-addrspace-cap", &out->addrspace)) {
		return "humpy,root-addrspace-cap";
	}
	if (!read_pair(blob, "humpy,hlos-memory", &out->hlos_memory.base, &out->hlos_memory.size)) {
		return "humpy,hlos-memory";
	}
	if (out->uart.base == RM_BOOT_NONE) {
		return "humpy,uart-memory";
	}
	if (!read_pair(blob, "humpy,hlos-boot", &out->hlos_entry, &out->hlos_dtb)) {
		return "humpy,hlos-boot";
	}
	/* The slot the hypervisor filled says the GIC's version. */
	out->gic_version = 3;
	out->gicc = RM_BOOT_NONE;
	if (!read_pair(blob, "humpy,gic-memory", &out->gicd, &out->gicr)) {
		out->gic_version = 2;
		out->gicr = RM_BOOT_NONE;
		if (!read_pair(blob, "humpy,gicv2-memory", &out->gicd, &out->gicc)) {
			return "humpy,gic-memory or humpy,gicv2-memory";
		}
	}
	/* Optional: without them the primary VM owns no hardware IRQ. */
	if (!read_u64(blob, "humpy,root-hwirq-cap", &out->hwirq) ||
	    !read_pair(blob, "humpy,gpio", &out->gpio_base, &out->gpio_intid)) {
		out->hwirq = RM_BOOT_NONE;
		out->gpio_base = RM_BOOT_NONE;
		out->gpio_intid = RM_BOOT_NONE;
	}
	return NULL;
}
