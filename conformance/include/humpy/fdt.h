/* A small bounds-checked reader for the flattened device tree the guest is booted with. */
#ifndef HUMPY_FDT_H
#define HUMPY_FDT_H

#include <humpy/types.h>

#define FDT_MAGIC 0xd00dfeedU

/* Checks the header and remembers the blob; false (and no tree) if anything is out of bounds. */
bool fdt_init(const void *blob, u64 max_size);
bool fdt_present(void);
u64 fdt_base(void);
u32 fdt_total_size(void);

/* Node handles are offsets into the structure block; negative means "not found". */
int fdt_root(void);
int fdt_path_offset(const char *path); /* absolute path, or an alias from /aliases */
int fdt_subnode(int node, const char *name);
int fdt_first_subnode(int node);
int fdt_next_subnode(int node);
int fdt_parent(int node);
const char *fdt_node_name(int node);
int fdt_find_compatible(int after, const char *compat); /* after = -1 to start at the root */

const void *fdt_prop(int node, const char *name, u32 *len);
const char *fdt_prop_str(int node, const char *name); /* NUL-terminated inside the property */
bool fdt_prop_u32(int node, const char *name, u32 *out);
bool fdt_is_compatible(int node, const char *compat);

/* reg entry idx of node, decoded with the parent's #address-cells/#size-cells. */
bool fdt_reg(int node, unsigned idx, u64 *addr, u64 *size);

static inline u32 fdt_be32(const void *p)
{
	const u8 *b = p;

	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

#endif
