/* Bounds-checked flattened-device-tree reader: every offset is checked against the blob's sizes. */
#include <humpy/fdt.h>
#include <humpy/libc.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define FDT_MAX_DEPTH  32

static struct {
	const u8 *blob;
	u32 size;
	const u8 *structs;
	u32 struct_size;
	const char *strings;
	u32 strings_size;
} fdt;

bool fdt_init(const void *blob, u64 max_size)
{
	const u8 *b = blob;
	u32 total, off_struct, off_strings, size_struct, size_strings, version;

	fdt.blob = NULL;
	if (!b || max_size < 40 || fdt_be32(b) != FDT_MAGIC)
		return false;
	total = fdt_be32(b + 4);
	off_struct = fdt_be32(b + 8);
	off_strings = fdt_be32(b + 12);
	version = fdt_be32(b + 20);
	size_strings = fdt_be32(b + 32);
	size_struct = fdt_be32(b + 36);
	if (total > max_size || version < 17 || (off_struct & 3) != 0)
		return false;
	if (off_struct > total || size_struct > total - off_struct)
		return false;
	if (off_strings > total || size_strings > total - off_strings)
		return false;
	fdt.blob = b;
	fdt.size = total;
	fdt.structs = b + off_struct;
	fdt.struct_size = size_struct;
	fdt.strings = (const char *)b + off_strings;
	fdt.strings_size = size_strings;
	return true;
}

bool fdt_present(void)
{
	return fdt.blob != NULL;
}

u64 fdt_base(void)
{
	return (u64)(uintptr_t)fdt.blob;
}

u32 fdt_total_size(void)
{
	return fdt.blob ? fdt.size : 0;
}

/* Token at off, or FDT_END when off is out of bounds (which ends every walk safely). */
static u32 fdt_token(int off)
{
	if (!fdt.blob || off < 0 || (u32)off > fdt.struct_size - 4 || fdt.struct_size < 4)
		return FDT_END;
	return fdt_be32(fdt.structs + off);
}

/* Length of the NUL-terminated string at structs+off, or -1 if it runs off the block. */
static int fdt_struct_strlen(int off)
{
	u32 max = fdt.struct_size - (u32)off;
	size_t n = strnlen((const char *)fdt.structs + off, max);

	return n == max ? -1 : (int)n;
}

/* Offset of the token after the one at off (skipping names and property values), or -1. */
static int fdt_skip(int off)
{
	u32 tok = fdt_token(off);
	int n;
	u32 len;

	switch (tok) {
	case FDT_BEGIN_NODE:
		n = fdt_struct_strlen(off + 4);
		if (n < 0)
			return -1;
		return (off + 4 + n + 1 + 3) & ~3;
	case FDT_PROP:
		if ((u32)off + 12 > fdt.struct_size)
			return -1;
		len = fdt_be32(fdt.structs + off + 4);
		if (len > fdt.struct_size - (u32)off - 12)
			return -1;
		return (int)((off + 12 + len + 3) & ~3U);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

int fdt_root(void)
{
	int off = 0;

	while (fdt_token(off) == FDT_NOP)
		off += 4;
	return fdt_token(off) == FDT_BEGIN_NODE ? off : -1;
}

const char *fdt_node_name(int node)
{
	if (fdt_token(node) != FDT_BEGIN_NODE || fdt_struct_strlen(node + 4) < 0)
		return "";
	return (const char *)fdt.structs + node + 4;
}

/* First token after the node's properties: its first child or its END_NODE. */
static int fdt_after_props(int node)
{
	int off = fdt_skip(node);

	while (off >= 0 && (fdt_token(off) == FDT_PROP || fdt_token(off) == FDT_NOP))
		off = fdt_skip(off);
	return off;
}

/* Offset just past the node's END_NODE, or -1. */
static int fdt_node_end(int node)
{
	int depth = 0, off = node;

	while (off >= 0) {
		u32 tok = fdt_token(off);

		if (tok == FDT_BEGIN_NODE)
			depth++;
		else if (tok == FDT_END_NODE && --depth == 0)
			return off + 4;
		else if (tok == FDT_END)
			return -1;
		off = fdt_skip(off);
	}
	return -1;
}

int fdt_first_subnode(int node)
{
	int off;

	if (fdt_token(node) != FDT_BEGIN_NODE)
		return -1;
	off = fdt_after_props(node);
	return fdt_token(off) == FDT_BEGIN_NODE ? off : -1;
}

int fdt_next_subnode(int node)
{
	int off = fdt_node_end(node);

	while (off >= 0 && fdt_token(off) == FDT_NOP)
		off += 4;
	return fdt_token(off) == FDT_BEGIN_NODE ? off : -1;
}

/* Name match: "name" matches "name" and "name@unit" unless the query has a unit address. */
static bool fdt_name_matches(const char *node_name, const char *want, size_t want_len)
{
	size_t i;

	if (strncmp(node_name, want, want_len) != 0)
		return false;
	if (node_name[want_len] == '\0')
		return true;
	for (i = 0; i < want_len; i++) {
		if (want[i] == '@')
			return false;
	}
	return node_name[want_len] == '@';
}

static int fdt_subnode_n(int node, const char *name, size_t len)
{
	int child;

	for (child = fdt_first_subnode(node); child >= 0; child = fdt_next_subnode(child)) {
		if (fdt_name_matches(fdt_node_name(child), name, len))
			return child;
	}
	return -1;
}

int fdt_subnode(int node, const char *name)
{
	return fdt_subnode_n(node, name, strlen(name));
}

int fdt_parent(int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0, off = fdt_root();

	while (off >= 0) {
		u32 tok = fdt_token(off);

		if (tok == FDT_BEGIN_NODE) {
			if (off == node)
				return depth ? stack[depth - 1] : -1;
			if (depth == FDT_MAX_DEPTH)
				return -1;
			stack[depth++] = off;
		} else if (tok == FDT_END_NODE) {
			if (--depth <= 0)
				return -1;
		} else if (tok == FDT_END) {
			return -1;
		}
		off = fdt_skip(off);
	}
	return -1;
}

const void *fdt_prop(int node, const char *name, u32 *len)
{
	int off;

	if (fdt_token(node) != FDT_BEGIN_NODE)
		return NULL;
	for (off = fdt_skip(node); off >= 0; off = fdt_skip(off)) {
		u32 tok = fdt_token(off), nameoff, plen;

		if (tok == FDT_NOP)
			continue;
		if (tok != FDT_PROP || fdt_skip(off) < 0)
			break; /* fdt_skip checked that the header and value lie inside the block */
		plen = fdt_be32(fdt.structs + off + 4);
		nameoff = fdt_be32(fdt.structs + off + 8);
		if (nameoff >= fdt.strings_size ||
		    strnlen(fdt.strings + nameoff, fdt.strings_size - nameoff) ==
		        fdt.strings_size - nameoff)
			continue;
		if (strcmp(fdt.strings + nameoff, name) == 0) {
			if (len)
				*len = plen;
			return fdt.structs + off + 12;
		}
	}
	return NULL;
}

const char *fdt_prop_str(int node, const char *name)
{
	u32 len;
	const char *s = fdt_prop(node, name, &len);

	if (!s || len == 0 || s[len - 1] != '\0')
		return NULL;
	return s;
}

bool fdt_prop_u32(int node, const char *name, u32 *out)
{
	u32 len;
	const void *p = fdt_prop(node, name, &len);

	if (!p || len != 4)
		return false;
	*out = fdt_be32(p);
	return true;
}

bool fdt_is_compatible(int node, const char *compat)
{
	u32 len, pos = 0;
	const char *s = fdt_prop(node, "compatible", &len);

	if (!s)
		return false;
	while (pos < len) {
		size_t n = strnlen(s + pos, len - pos);

		if (n == len - pos)
			return false; /* unterminated entry */
		if (strcmp(s + pos, compat) == 0)
			return true;
		pos += (u32)n + 1;
	}
	return false;
}

int fdt_find_compatible(int after, const char *compat)
{
	int off = after < 0 ? fdt_root() : fdt_skip(after);

	for (; off >= 0; off = fdt_skip(off)) {
		u32 tok = fdt_token(off);

		if (tok == FDT_END)
			return -1;
		if (tok == FDT_BEGIN_NODE && fdt_is_compatible(off, compat))
			return off;
	}
	return -1;
}

int fdt_path_offset(const char *path)
{
	int node = fdt_root();
	const char *p = path;

	if (node < 0 || !path)
		return -1;
	if (*p != '/') {
		/* An alias: its value is the real path (the whole alias name must match). */
		const char *real = fdt_prop_str(fdt_subnode(node, "aliases"), path);

		if (!real || *real != '/')
			return -1;
		p = real;
	}
	while (*p && node >= 0) {
		const char *end;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		node = fdt_subnode_n(node, p, (size_t)(end - p));
		p = end;
	}
	return node;
}

static u64 fdt_read_cells(const u8 *p, u32 cells)
{
	u64 v = 0;

	while (cells--) {
		v = (v << 32) | fdt_be32(p);
		p += 4;
	}
	return v;
}

bool fdt_reg(int node, unsigned idx, u64 *addr, u64 *size)
{
	int parent = fdt_parent(node);
	u32 ac = 2, sc = 1, len, entry;
	const u8 *reg;

	if (parent < 0)
		return false;
	/* Defaults from the DT specification when the parent does not say. */
	fdt_prop_u32(parent, "#address-cells", &ac);
	fdt_prop_u32(parent, "#size-cells", &sc);
	if (ac < 1 || ac > 2 || sc > 2)
		return false;
	reg = fdt_prop(node, "reg", &len);
	entry = (ac + sc) * 4;
	if (!reg || (u64)(idx + 1) * entry > len)
		return false;
	reg += idx * entry;
	*addr = fdt_read_cells(reg, ac);
	*size = sc ? fdt_read_cells(reg + ac * 4, sc) : 0;
	return true;
}
