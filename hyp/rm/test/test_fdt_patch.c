/* hyp/rm/test/test_fdt_patch.c: host test of rm_fdt_patch_hypervisor over a real QEMU virt DTB.
 * usage: test_fdt_patch IN.dtb OUT.dtb ODD_OUT.dtb
 * Checks here: sizes, room and failure cases (nothing written on any failure). OUT.dtb (the patched
 * tree) and ODD_OUT.dtb (the same tree with its blocks in another order, patched) are checked
 * property by property with fdtget and dtc by check_fdt_patch.sh. */
#include "fdt_patch.h"
#include "rmmem_check.h"

#include <stdlib.h>
#include <string.h>

/* The values check_fdt_patch.sh expects. */
static const struct rm_fdt_hyp_node test_node = {
    .tx_cap = 0x1a2b3c4d5e6f7081ull,
    .rx_cap = 0x42ull,
    .tx_virq = 39,
    .rx_virq = 40,
    .vmid = 3,
};

#define ROOM (16u * 1024u)

static uint8_t *orig;
static size_t orig_size;
static size_t patched_size; /* totalsize after a successful patch */

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void set_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A buffer of exactly `capacity` bytes (ASan catches a write past it): the blob, then 0xA5. */
static uint8_t *blob_in(const uint8_t *src, size_t size, size_t capacity)
{
	uint8_t *buf = malloc(capacity);
	if (buf == NULL) {
		abort();
	}
	memset(buf, 0xa5, capacity);
	memcpy(buf, src, size < capacity ? size : capacity);
	return buf;
}

static int write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		return -1;
	}
	size_t n = fwrite(data, 1, size, f);
	return (fclose(f) == 0 && n == size) ? 0 : -1;
}

/* Patches a copy with 16 KiB of room: OK, the structure block grows by a multiple of 4, the blocks
 * still fit, the room past the new totalsize is untouched. */
static void test_patch_ok(const char *out_path)
{
	uint8_t *buf = blob_in(orig, orig_size, orig_size + ROOM);
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, orig_size + ROOM, &test_node), RM_FDT_OK);
	patched_size = be32(buf + 4);
	CHECK(patched_size > orig_size);
	CHECK_EQ((be32(buf + 36) - be32(orig + 36)) % 4, 0);
	CHECK_EQ(be32(buf + 36),
	         be32(orig + 36) + (patched_size - orig_size) - (be32(buf + 32) - be32(orig + 32)));
	CHECK_EQ(be32(buf + 12) + be32(buf + 32), patched_size); /* strings stay last */
	CHECK_EQ(be32(buf + 16), be32(orig + 16));               /* rsvmap did not move */
	size_t untouched = 0;
	for (size_t i = patched_size; i < orig_size + ROOM; i++) {
		untouched += buf[i] == 0xa5;
	}
	CHECK_EQ(untouched, orig_size + ROOM - patched_size);
	CHECK_EQ(write_file(out_path, buf, patched_size), 0);
	free(buf);
}

/* Exactly enough room succeeds with the same bytes; one byte less answers NO_ROOM and leaves every
 * byte of the buffer as it was. */
static void test_room_edge(void)
{
	uint8_t *want = blob_in(orig, orig_size, orig_size + ROOM);
	CHECK_EQ(rm_fdt_patch_hypervisor(want, orig_size + ROOM, &test_node), RM_FDT_OK);

	uint8_t *fit = blob_in(orig, orig_size, patched_size);
	CHECK_EQ(rm_fdt_patch_hypervisor(fit, patched_size, &test_node), RM_FDT_OK);
	CHECK_EQ(memcmp(fit, want, patched_size), 0);

	uint8_t *tight = blob_in(orig, orig_size, patched_size - 1);
	uint8_t *before = blob_in(orig, orig_size, patched_size - 1);
	CHECK_EQ(rm_fdt_patch_hypervisor(tight, patched_size - 1, &test_node), RM_FDT_ERR_NO_ROOM);
	CHECK_EQ(memcmp(tight, before, patched_size - 1), 0);

	/* No room at all: capacity = totalsize. */
	uint8_t *none = blob_in(orig, orig_size, orig_size);
	CHECK_EQ(rm_fdt_patch_hypervisor(none, orig_size, &test_node), RM_FDT_ERR_NO_ROOM);
	CHECK_EQ(memcmp(none, orig, orig_size), 0);
	free(want);
	free(fit);
	free(tight);
	free(before);
	free(none);
}

/* A second patch finds /hypervisor and refuses, without writing. */
static void test_twice_exists(void)
{
	uint8_t *buf = blob_in(orig, orig_size, orig_size + 2 * ROOM);
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, orig_size + 2 * ROOM, &test_node), RM_FDT_OK);
	uint8_t *snap = blob_in(buf, orig_size + 2 * ROOM, orig_size + 2 * ROOM);
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, orig_size + 2 * ROOM, &test_node), RM_FDT_ERR_EXISTS);
	CHECK_EQ(memcmp(buf, snap, orig_size + 2 * ROOM), 0);
	free(buf);
	free(snap);
}

/* Arguments: NULLs and VIRQs that are not SPIs (32..1019). */
static void test_bad_args(void)
{
	uint8_t *buf = blob_in(orig, orig_size, orig_size + ROOM);
	struct rm_fdt_hyp_node n = test_node;
	CHECK_EQ(rm_fdt_patch_hypervisor(NULL, orig_size + ROOM, &n), RM_FDT_ERR_ARG);
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, orig_size + ROOM, NULL), RM_FDT_ERR_ARG);
	n.tx_virq = 31;
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, orig_size + ROOM, &n), RM_FDT_ERR_ARG);
	n = test_node;
	n.rx_virq = 1020;
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, orig_size + ROOM, &n), RM_FDT_ERR_ARG);
	CHECK_EQ(memcmp(buf, orig, orig_size), 0);
	/* The edges themselves are SPIs. */
	n = test_node;
	n.tx_virq = 32;
	n.rx_virq = 1019;
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, orig_size + ROOM, &n), RM_FDT_OK);
	free(buf);
}

/* One corruption of a copy of the blob; the patch must answer BAD_BLOB and write nothing. */
static void expect_bad(const char *what, void (*corrupt)(uint8_t *fdt))
{
	uint8_t *buf = blob_in(orig, orig_size, orig_size + ROOM);
	corrupt(buf);
	uint8_t *snap = blob_in(buf, orig_size + ROOM, orig_size + ROOM);
	int res = rm_fdt_patch_hypervisor(buf, orig_size + ROOM, &test_node);
	if (res != RM_FDT_ERR_BAD_BLOB) {
		printf("  corruption: %s\n", what);
	}
	CHECK_EQ(res, RM_FDT_ERR_BAD_BLOB);
	CHECK_EQ(memcmp(buf, snap, orig_size + ROOM), 0);
	free(buf);
	free(snap);
}

static void bad_magic(uint8_t *f)
{
	f[0] ^= 1;
}
static void bad_totalsize_past_capacity(uint8_t *f)
{
	set_be32(f + 4, (uint32_t)(orig_size + ROOM + 1));
}
static void bad_version_16(uint8_t *f)
{
	set_be32(f + 20, 16);
}
static void bad_end_token(uint8_t *f)
{
	set_be32(f + be32(f + 8) + be32(f + 36) - 4, 0xffffffffu);
}
static void bad_struct_size_short(uint8_t *f)
{
	set_be32(f + 36, be32(f + 36) - 4);
}
static void bad_struct_past_total(uint8_t *f)
{
	set_be32(f + 36, be32(f + 4));
}
static void bad_strings_overlap_struct(uint8_t *f)
{
	set_be32(f + 12, be32(f + 8) + 4);
}
/* The first property's name offset one past the strings block. */
static void bad_prop_nameoff(uint8_t *f)
{
	uint32_t off = be32(f + 8);
	while (be32(f + off) != 3) {
		off += 4;
	}
	set_be32(f + off + 8, be32(f + 32));
}
/* The first property's length runs past the structure block. */
static void bad_prop_len(uint8_t *f)
{
	uint32_t off = be32(f + 8);
	while (be32(f + off) != 3) {
		off += 4;
	}
	set_be32(f + off + 4, be32(f + 36));
}
/* The root's closing token becomes a NOP: nodes no longer balance. */
static void bad_unbalanced(uint8_t *f)
{
	set_be32(f + be32(f + 8) + be32(f + 36) - 8, 4);
}
static void bad_rsvmap_unaligned(uint8_t *f)
{
	set_be32(f + 16, be32(f + 16) + 4);
}

static void test_bad_blobs(void)
{
	expect_bad("magic", bad_magic);
	expect_bad("totalsize past capacity", bad_totalsize_past_capacity);
	expect_bad("version 16", bad_version_16);
	expect_bad("FDT_END replaced", bad_end_token);
	expect_bad("size_dt_struct short by 4", bad_struct_size_short);
	expect_bad("struct block past totalsize", bad_struct_past_total);
	expect_bad("strings overlap struct", bad_strings_overlap_struct);
	expect_bad("property name offset past strings", bad_prop_nameoff);
	expect_bad("property length past struct", bad_prop_len);
	expect_bad("root never closed", bad_unbalanced);
	expect_bad("rsvmap not 8-aligned", bad_rsvmap_unaligned);
	/* A capacity smaller than the header. */
	uint8_t *buf = blob_in(orig, orig_size, orig_size);
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, 39, &test_node), RM_FDT_ERR_BAD_BLOB);
	free(buf);
}

/* The same tree with its blocks as header, strings, struct, rsvmap (dtc writes rsvmap, struct,
 * strings): the patch must move the blocks behind each gap and keep the rsvmap 8-aligned. */
static void patch_odd_block_order(const struct rm_fdt_hyp_node *node, const char *out_path)
{
	uint32_t off_struct = be32(orig + 8), size_struct = be32(orig + 36);
	uint32_t off_strings = be32(orig + 12), size_strings = be32(orig + 32);
	uint32_t off_rsv = be32(orig + 16), size_rsv = 16;
	while (be32(orig + off_rsv + size_rsv - 16) | be32(orig + off_rsv + size_rsv - 12) |
	       be32(orig + off_rsv + size_rsv - 8) | be32(orig + off_rsv + size_rsv - 4)) {
		size_rsv += 16;
	}
	uint32_t new_strings = 40;
	uint32_t new_struct = (new_strings + size_strings + 3u) & ~3u;
	uint32_t new_rsv = (new_struct + size_struct + 7u) & ~7u;
	uint32_t total = new_rsv + size_rsv;
	uint8_t *buf = calloc(1, total + ROOM);
	if (buf == NULL) {
		abort();
	}
	memcpy(buf, orig, 40);
	memcpy(buf + new_strings, orig + off_strings, size_strings);
	memcpy(buf + new_struct, orig + off_struct, size_struct);
	memcpy(buf + new_rsv, orig + off_rsv, size_rsv);
	set_be32(buf + 4, total);
	set_be32(buf + 8, new_struct);
	set_be32(buf + 12, new_strings);
	set_be32(buf + 16, new_rsv);
	CHECK_EQ(rm_fdt_patch_hypervisor(buf, total + ROOM, node), RM_FDT_OK);
	uint32_t patched_total = be32(buf + 4);
	CHECK_EQ(be32(buf + 16) % 8, 0);
	CHECK_EQ(be32(buf + 16) + size_rsv, patched_total);
	CHECK_EQ(memcmp(buf + be32(buf + 16), orig + off_rsv, size_rsv), 0);
	CHECK_EQ(be32(buf + 12), new_strings);
	CHECK_EQ(be32(buf + 8), new_struct + (be32(buf + 32) - size_strings));
	if (out_path != NULL) {
		CHECK_EQ(write_file(out_path, buf, patched_total), 0);
	}
	free(buf);
}

/* The test node, and one whose shorter unit name makes the node 4 (mod 8) bytes long, so the
 * reservation map behind it needs the NOP pad to stay 8-aligned. */
static void test_odd_block_order(const char *out_path)
{
	patch_odd_block_order(&test_node, out_path);
	struct rm_fdt_hyp_node short_name = test_node;
	short_name.tx_cap = 0x42;
	patch_odd_block_order(&short_name, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s IN.dtb OUT.dtb ODD_OUT.dtb\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (f == NULL) {
		perror(argv[1]);
		return 2;
	}
	static uint8_t file[1u << 20];
	orig_size = fread(file, 1, sizeof(file), f);
	fclose(f);
	orig = file;
	if (orig_size < 40 || be32(orig + 4) != orig_size) {
		fprintf(stderr, "%s: not a DTB whose totalsize is its file size\n", argv[1]);
		return 2;
	}
	RUN_ARG(test_patch_ok, argv[2]);
	RUN(test_room_edge);
	RUN(test_twice_exists);
	RUN(test_bad_args);
	RUN(test_bad_blobs);
	RUN_ARG(test_odd_block_order, argv[3]);
	printf("test_fdt_patch: DTB %zu bytes, patched %zu bytes (+%zu)\n", orig_size, patched_size,
	       patched_size - orig_size);
	return rmmem_summary("test_fdt_patch");
}
