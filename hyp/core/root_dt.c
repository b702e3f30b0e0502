/* root_dt: tells the root VM its cap IDs by filling the /chosen slots of its device tree in place.
 */
#include "root_dt.h"

#include "machine.h"
#include "util.h"

#define FDT_MAGIC_BE   0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE   2U
#define FDT_PROP       3U
#define FDT_NOP        4U
#define FDT_END        9U

static uint32_t root_dt_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void root_dt_put_be64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (56 - 8 * i));
	}
}

/* True when the NUL-terminated string at [p, end) equals s. */
static bool root_dt_str_is(const uint8_t *p, const uint8_t *end, const char *s)
{
	while (p < end && *s != '\0' && *p == (uint8_t)*s) {
		p++;
		s++;
	}
	return p < end && *p == '\0' && *s == '\0';
}

/* The cap a /chosen slot names (ROOT_PROFILE.md), or NULL for any other property. */
static const cap_id_t *root_dt_slot(const struct root_objects *root, const uint8_t *name,
                                    const uint8_t *name_end)
{
	const struct {
		const char *prop;
		const cap_id_t *cap;
	} slots[] = {
	    {"humpy,root-partition-cap", &root->partition_cap},
	    {"humpy,root-cspace-cap", &root->cspace_cap},
	    {"humpy,root-vic-cap", &root->vic_cap},
	    {"humpy,root-vcpu-cap", &root->vcpu_cap},
	    {"humpy,root-hwirq-cap", &root->hwirq_cap},
	    {"humpy,root-addrspace-cap", &root->addrspace_cap},
	};

	for (size_t i = 0; i < ARRAY_SIZE(slots); i++) {
		if (root_dt_str_is(name, name_end, slots[i].prop)) {
			return slots[i].cap;
		}
	}
	return NULL;
}

/* A 16-byte /chosen slot: two 64-bit values (a base and a size, or an entry and a DT address). */
struct root_dt_pair {
	uint64_t first;
	uint64_t second;
};

/* The values a 16-byte /chosen slot names; false for any other property, and for a pair whose
 * second value is 0 (not given: the slot keeps its all-ones). */
static bool root_dt_pair(const struct root_objects *root, const uint8_t *name,
                         const uint8_t *name_end, struct root_dt_pair *out)
{
	const struct {
		const char *prop;
		struct root_dt_pair pair;
	} slots[] = {
	    {"humpy,root-memory", {root->memory_base, root->memory_size}},
	    {"humpy,hyp-memory", {root->hyp_base, root->hyp_size}},
	    {"humpy,hlos-memory", {root->hlos_memory_base, root->hlos_memory_size}},
	    {"humpy,hlos-boot", {root->hlos_entry, root->hlos_dtb}},
	    {"humpy,uart-memory", {root->uart_base, root->uart_size}},
	    {"humpy,gic-memory", {root->gicd_base, root->gicr_base}},
	    {"humpy,gicv2-memory", {root->gicd_base, root->gicc_base}},
	    {"humpy,gpio", {root->gpio_base, root->gpio_intid}},
	};

	for (size_t i = 0; i < ARRAY_SIZE(slots); i++) {
		if (root_dt_str_is(name, name_end, slots[i].prop)) {
			*out = slots[i].pair;
			return out->second != 0U;
		}
	}
	return false;
}

/* The compatible string of the console UART for the RM's console driver (humpy,uart-compatible), or
 * NULL: only the two UARTs the RM drives are named (a 16550's register shift and width, which the
 * RM would need too, have no slot), and none without a UART. */
static const char *root_dt_uart_compatible(const struct root_objects *root)
{
	if (root->uart_size == 0U) {
		return NULL;
	}
	if (root->uart_kind == MACHINE_UART_PL011) {
		return "arm,pl011";
	}
	return root->uart_kind == MACHINE_UART_CADENCE ? "cdns,uart-r1p12" : NULL;
}

/* Writes @s into a string slot of @len bytes, NUL-padded; returns 1, or 0 when @s is NULL or does
 * not fit with its NUL (the slot then keeps its all-ones). */
static unsigned root_dt_put_string(uint8_t *p, uint32_t len, const char *s)
{
	uint32_t n = 0;

	if (s == NULL) {
		return 0;
	}
	while (s[n] != '\0') {
		n++;
	}
	if (n >= len) {
		return 0;
	}
	for (uint32_t i = 0; i < len; i++) {
		p[i] = i < n ? (uint8_t)s[i] : 0U;
	}
	return 1;
}

unsigned root_dt_publish(void *dtb, size_t max_size, const struct root_objects *root)
{
	uint8_t *blob = dtb;
	uint32_t total, off_struct, off_strings, size_struct, size_strings;
	const uint8_t *strings;
	uint8_t *p, *end;
	unsigned depth = 0, filled = 0;
	bool in_chosen = false;

#ifdef HUMPY_BREAK_NO_ROOT_CAPS /* proof build (harness/qemu_tests): no caps reach /chosen */
	goto out;
#endif
	if (max_size < 40 || root_dt_be32(blob) != FDT_MAGIC_BE) {
		goto out;
	}
	total = root_dt_be32(blob + 4);
	off_struct = root_dt_be32(blob + 8);
	off_strings = root_dt_be32(blob + 12);
	size_strings = root_dt_be32(blob + 32);
	size_struct = root_dt_be32(blob + 36);
	if (total > max_size || !range_within(off_struct, size_struct, 0, total) ||
	    !range_within(off_strings, size_strings, 0, total) || (off_struct & 3U) != 0) {
		goto out;
	}
	strings = blob + off_strings;
	p = blob + off_struct;
	end = p + size_struct;
	while (p < end && (size_t)(end - p) >= 4) {
		uint32_t token = root_dt_be32(p);

		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const uint8_t *name = p;

			while (p < end && *p != '\0') {
				p++;
			}
			if (p == end) {
				goto out;
			}
			depth++;
			in_chosen = depth == 2 && root_dt_str_is(name, end, "chosen");
			p = blob + ALIGN_UP((uintptr_t)(p + 1 - blob), 4);
		} else if (token == FDT_END_NODE) {
			if (depth == 0) {
				goto out;
			}
			depth--;
			in_chosen = false;
		} else if (token == FDT_PROP) {
			uint32_t len, nameoff;

			if ((size_t)(end - p) < 8) {
				goto out;
			}
			len = root_dt_be32(p);
			nameoff = root_dt_be32(p + 4);
			p += 8;
			if (len > (size_t)(end - p) || nameoff >= size_strings) {
				goto out;
			}
			if (in_chosen && len == 16) {
				struct root_dt_pair pair;

				if (root_dt_pair(root, strings + nameoff, strings + size_strings,
				                 &pair)) {
					root_dt_put_be64(p, pair.first);
					root_dt_put_be64(p + 8, pair.second);
					filled++;
				}
			}
			if (in_chosen && len == 8) {
				const uint8_t *name = strings + nameoff;
				const uint8_t *name_end = strings + size_strings;

				const cap_id_t *cap = root_dt_slot(root, name, name_end);

				if (cap != NULL) {
					root_dt_put_be64(p, *cap);
					filled++;
				}
			}
			if (in_chosen && root_dt_str_is(strings + nameoff, strings + size_strings,
			                                "humpy,uart-compatible")) {
				filled += root_dt_put_string(p, len, root_dt_uart_compatible(root));
			}
			p = blob + ALIGN_UP((uintptr_t)(p + len - blob), 4);
		} else if (token == FDT_END) {
			break;
		} else if (token != FDT_NOP) {
			goto out;
		}
	}
out:
	return filled;
}
