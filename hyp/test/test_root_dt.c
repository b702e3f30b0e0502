/* test_root_dt: root_dt_publish fills the root VM's /chosen slots in its device tree in place, and
 * a malformed tree changes nothing past its own blocks. The trees here are built by hand with the
 * struct block last, in a heap buffer of exactly the tree's size: a read or write one byte past
 * the block is past the buffer, where ASan stops it. make mutation showed the name loop's bound and
 * the property length check changed without any test failing (the boot tree is always well
 * formed). */
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "root_dt.h"
#include "test.h"

#define R_BEGIN 1U
#define R_END   2U
#define R_PROP  3U
#define R_FIN   9U

/* A tree under construction: header, strings, then the struct block. */
struct r_tree {
	uint8_t strings[128];
	uint32_t strings_len;
	uint8_t structure[256];
	uint32_t struct_len;
};

static void r_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint64_t r_get_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++) {
		v = (v << 8) | p[i];
	}
	return v;
}

static void r_word(struct r_tree *t, uint32_t v)
{
	r_be32(t->structure + t->struct_len, v);
	t->struct_len += 4;
}

/* BEGIN_NODE and its name, NUL-terminated and padded to 4 bytes. */
static void r_node(struct r_tree *t, const char *name)
{
	size_t n = strlen(name) + 1;

	r_word(t, R_BEGIN);
	memcpy(t->structure + t->struct_len, name, n);
	t->struct_len += (uint32_t)((n + 3) & ~(size_t)3);
}

/* A property of len bytes of 0xFF (an unfilled slot), its name added to the strings; the offset
 * of its value in the struct block. */
static uint32_t r_prop(struct r_tree *t, const char *name, uint32_t len)
{
	uint32_t nameoff = t->strings_len;
	uint32_t at;

	memcpy(t->strings + t->strings_len, name, strlen(name) + 1);
	t->strings_len += (uint32_t)strlen(name) + 1;
	r_word(t, R_PROP);
	r_word(t, len);
	r_word(t, nameoff);
	at = t->struct_len;
	memset(t->structure + at, 0xFF, len);
	t->struct_len += (len + 3U) & ~3U;
	return at;
}

/* The blob in a heap buffer of exactly its size: header, strings (padded to 4), struct block, or
 * (strings_last) header, struct block, strings. The struct block's offset goes to *struct_off. */
static uint8_t *r_blob_as(const struct r_tree *t, uint32_t *total_out, uint32_t *struct_off,
                          bool strings_last)
{
	uint32_t strings_off = strings_last ? 40 + t->struct_len : 40;
	uint32_t off = strings_last ? 40 : (strings_off + t->strings_len + 3U) & ~3U;
	uint32_t total = strings_last ? strings_off + t->strings_len : off + t->struct_len;
	uint8_t *b = calloc(1, total);

	r_be32(b, 0xd00dfeedU);
	r_be32(b + 4, total);
	r_be32(b + 8, off);
	r_be32(b + 12, strings_off);
	r_be32(b + 16, 40);
	r_be32(b + 20, 17);
	r_be32(b + 24, 16);
	r_be32(b + 32, t->strings_len);
	r_be32(b + 36, t->struct_len);
	memcpy(b + strings_off, t->strings, t->strings_len);
	memcpy(b + off, t->structure, t->struct_len);
	*total_out = total;
	*struct_off = off;
	return b;
}

static uint8_t *r_blob(const struct r_tree *t, uint32_t *total_out, uint32_t *struct_off)
{
	return r_blob_as(t, total_out, struct_off, false);
}

static struct root_objects r_root(void)
{
	return (struct root_objects){.cspace_cap = 0x1111222233334444ULL,
	                             .vic_cap = 0x5555666677778888ULL,
	                             .memory_base = 0x48000000ULL,
	                             .memory_size = 0x2000000ULL};
}

TEST(root_dt_fills_the_chosen_slots_only)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t cs, mem, vic_outside, total, off;

	r_node(&t, "");
	vic_outside = r_prop(&t, "humpy,root-vic-cap", 8);
	r_node(&t, "chosen");
	cs = r_prop(&t, "humpy,root-cspace-cap", 8);
	mem = r_prop(&t, "humpy,root-memory", 16);
	r_word(&t, R_END);
	r_word(&t, R_END);
	r_word(&t, R_FIN);
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(2, root_dt_publish(b, total, &root));
	CHECK_EQ(root.cspace_cap, r_get_be64(b + off + cs));
	CHECK_EQ(root.memory_base, r_get_be64(b + off + mem));
	CHECK_EQ(root.memory_size, r_get_be64(b + off + mem + 8));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + vic_outside));
	free(b);
}

/* A node name without its NUL at the very end of the struct block (and of the buffer): nothing
 * filled, nothing read past the block. */
TEST(root_dt_unterminated_name_at_the_end_of_the_block)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t total, off;

	r_node(&t, "");
	r_node(&t, "chosen");
	r_prop(&t, "humpy,root-cspace-cap", 8);
	r_word(&t, R_BEGIN);
	memcpy(t.structure + t.struct_len, "abcd", 4);
	t.struct_len += 4;
	uint8_t *b = r_blob(&t, &total, &off);

	/* The slot before it is filled (the walk stops at the bad name, not before). */
	CHECK_EQ(1, root_dt_publish(b, total, &root));
	free(b);
}

/* A /chosen slot whose length runs past the struct block: the walk stops there; neither the slot
 * nor anything after the block is written. */
TEST(root_dt_property_longer_than_the_block_is_not_filled)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t total, off, mem;

	r_node(&t, "");
	r_node(&t, "chosen");
	r_prop(&t, "humpy,root-cspace-cap", 8);
	mem = r_prop(&t, "humpy,root-memory", 16);
	t.struct_len -= 8; /* the block ends 8 bytes into the 16-byte value */
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(1, root_dt_publish(b, total, &root));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + mem));
	free(b);
}

/* A property whose name offset is past the strings block (into the struct block right after it,
 * at the name of a node called like a slot): the walk stops there, the slot after it stays
 * unfilled. */
TEST(root_dt_name_offset_past_the_strings_is_refused)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t total, off, bad, good;

	memcpy(t.strings, "humpy,root-cspace-cap", 22);
	t.strings_len = 22; /* padded to 24: the struct block starts at strings + 24 */
	r_node(&t, "humpy,root-vic-cap"); /* its name at strings + 28 */
	r_node(&t, "chosen");
	r_word(&t, R_PROP);
	r_word(&t, 8);
	r_word(&t, 28);
	bad = t.struct_len;
	memset(t.structure + bad, 0xFF, 8);
	t.struct_len += 8;
	r_word(&t, R_PROP);
	r_word(&t, 8);
	r_word(&t, 0);
	good = t.struct_len;
	memset(t.structure + good, 0xFF, 8);
	t.struct_len += 8;
	r_word(&t, R_END);
	r_word(&t, R_END);
	r_word(&t, R_FIN);
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(64, off);
	CHECK_EQ(0, root_dt_publish(b, total, &root));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + bad));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + good));
	free(b);
}

/* /chosen found after a sibling node closed (depth counted back down), a slot in a node after
 * /chosen left alone (in_chosen reset at its END_NODE), names that are no slot skipped (every slot
 * name compared, none past the table), NOP tokens stepped over. */
TEST(root_dt_only_chosen_among_siblings_and_nops)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t before, cs, mem, after, total, off;

	r_node(&t, "");
	r_node(&t, "memory@40000000");
	before = r_prop(&t, "humpy,root-vcpu-cap", 8);
	r_word(&t, R_END);
	r_word(&t, 4); /* FDT_NOP */
	r_node(&t, "chosen");
	r_prop(&t, "bootargs", 8);
	r_prop(&t, "humpy,root-memoryx", 16);
	r_word(&t, 4);
	cs = r_prop(&t, "humpy,root-cspace-cap", 8);
	mem = r_prop(&t, "humpy,root-memory", 16);
	r_word(&t, R_END);
	r_node(&t, "after");
	after = r_prop(&t, "humpy,root-vic-cap", 8);
	r_word(&t, R_END);
	r_word(&t, R_END);
	r_word(&t, R_FIN);
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(2, root_dt_publish(b, total, &root));
	CHECK_EQ(root.cspace_cap, r_get_be64(b + off + cs));
	CHECK_EQ(root.memory_size, r_get_be64(b + off + mem + 8));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + before));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + after));
	free(b);
}

/* A token the format does not have stops the walk: the slot after it stays unfilled. The same
 * tree with FDT_NOP there is filled. A tree that is not one (bad magic, shorter than a header)
 * is left alone. */
TEST(root_dt_unknown_token_and_bad_header_stop_the_walk)
{
	(void)arena;
	struct root_objects root = r_root();

	for (uint32_t token = 4; token <= 5; token++) {
		struct r_tree t = {0};
		uint32_t cs, total, off;

		r_node(&t, "");
		r_node(&t, "chosen");
		r_word(&t, token);
		cs = r_prop(&t, "humpy,root-cspace-cap", 8);
		r_word(&t, R_END);
		r_word(&t, R_END);
		r_word(&t, R_FIN);
		uint8_t *b = r_blob(&t, &total, &off);

		CHECK_EQ(token == 4 ? 1 : 0, root_dt_publish(b, total, &root));
		CHECK_EQ(token == 4 ? root.cspace_cap : UINT64_MAX, r_get_be64(b + off + cs));
		if (token == 4) {
			/* Filled again from a copy with a wrong magic, or too short: nothing. */
			memset(b + off + cs, 0xFF, 8);
			CHECK_EQ(0, root_dt_publish(b, 39, &root));
			b[0] ^= 1;
			CHECK_EQ(0, root_dt_publish(b, total, &root));
			CHECK_EQ(UINT64_MAX, r_get_be64(b + off + cs));
		}
		free(b);
	}
}

/* A slot whose value ends exactly at the end of the struct block is still a slot (only a longer
 * one runs past it). */
TEST(root_dt_slot_ending_at_the_block_end_is_filled)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t cs, total, off;

	r_node(&t, "");
	r_node(&t, "chosen");
	cs = r_prop(&t, "humpy,root-cspace-cap", 8);
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(1, root_dt_publish(b, total, &root));
	CHECK_EQ(root.cspace_cap, r_get_be64(b + off + cs));
	free(b);
}

/* A property in the root node after /chosen closed is no slot (in_chosen ends with its node). */
TEST(root_dt_slot_after_chosen_closed_is_left_alone)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t after, total, off;

	r_node(&t, "");
	r_node(&t, "chosen");
	r_prop(&t, "humpy,root-cspace-cap", 8);
	r_word(&t, R_END);
	after = r_prop(&t, "humpy,root-vic-cap", 8);
	r_word(&t, R_END);
	r_word(&t, R_FIN);
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(1, root_dt_publish(b, total, &root));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + after));
	free(b);
}

/* An END_NODE with no node open stops the walk: a /chosen at the right depth after it (counted
 * from a wrapped depth) is not reached. */
TEST(root_dt_end_node_with_no_node_open_stops_the_walk)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t cs, total, off;

	r_node(&t, "");
	r_word(&t, R_END);
	r_word(&t, R_END);
	r_node(&t, "");
	r_node(&t, "");
	r_node(&t, "chosen");
	cs = r_prop(&t, "humpy,root-cspace-cap", 8);
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(0, root_dt_publish(b, total, &root));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + cs));
	free(b);
}

/* A name offset equal to the strings block's size (its end: no name) stops the walk like any
 * offset past it: the slot after it stays unfilled. */
TEST(root_dt_name_offset_at_the_strings_end_stops_the_walk)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t cs, total, off;

	r_node(&t, "");
	r_node(&t, "chosen");
	r_word(&t, R_PROP);
	r_word(&t, 0);
	r_word(&t, 22); /* the strings block below: "humpy,root-cspace-cap\0", 22 bytes */
	cs = r_prop(&t, "humpy,root-cspace-cap", 8);
	r_word(&t, R_END);
	r_word(&t, R_END);
	r_word(&t, R_FIN);
	uint8_t *b = r_blob(&t, &total, &off);

	CHECK_EQ(22, t.strings_len);
	CHECK_EQ(0, root_dt_publish(b, total, &root));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + cs));
	free(b);
}

/* A property name without its NUL at the very end of the strings block (and of the buffer): no
 * slot, nothing read past the block. */
TEST(root_dt_unterminated_property_name_at_the_strings_end)
{
	(void)arena;
	struct r_tree t = {0};
	struct root_objects root = r_root();
	uint32_t cs, total, off;

	r_node(&t, "");
	r_node(&t, "chosen");
	cs = r_prop(&t, "humpy,root-cspace-cap", 8);
	t.strings_len--; /* drop the NUL: the name runs to the block's end */
	r_word(&t, R_END);
	r_word(&t, R_END);
	r_word(&t, R_FIN);
	uint8_t *b = r_blob_as(&t, &total, &off, true);

	CHECK_EQ(0, root_dt_publish(b, total, &root));
	CHECK_EQ(UINT64_MAX, r_get_be64(b + off + cs));
	free(b);
}

/* The console UART's compatible string for the RM (humpy,uart-compatible): the Cadence UART and the
 * PL011 by name, NUL-padded over the whole slot; a UART kind the RM has no driver for, no UART, or
 * a slot too short for the name and its NUL leaves the slot all ones. */
TEST(root_dt_uart_compatible_names_the_rm_uarts_only)
{
	(void)arena;
	const struct {
		uint32_t kind;
		uint64_t size;
		uint32_t len;
		const char *want; /* NULL: left all ones */
	} cases[] = {
	    {MACHINE_UART_CADENCE, 0x1000, 32, "cdns,uart-r1p12"},
	    {MACHINE_UART_PL011, 0x1000, 32, "arm,pl011"},
	    {MACHINE_UART_CADENCE, 0x1000, 16, "cdns,uart-r1p12"},
	    {MACHINE_UART_CADENCE, 0x1000, 15, NULL},
	    {MACHINE_UART_8250, 0x1000, 32, NULL},
	    {MACHINE_UART_IMX, 0x1000, 32, NULL},
	    {MACHINE_UART_PL011, 0, 32, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct r_tree t = {0};
		struct root_objects root = r_root();
		uint32_t slot, outside, total, off;
		uint8_t want[32];

		root.uart_kind = cases[i].kind;
		root.uart_base = 0xff000000ULL;
		root.uart_size = cases[i].size;
		r_node(&t, "");
		outside = r_prop(&t, "humpy,uart-compatible", 32);
		r_node(&t, "chosen");
		slot = r_prop(&t, "humpy,uart-compatible", cases[i].len);
		r_word(&t, R_END);
		r_word(&t, R_END);
		r_word(&t, R_FIN);
		uint8_t *b = r_blob(&t, &total, &off);

		memset(want, 0xFF, sizeof(want));
		if (cases[i].want != NULL) {
			memset(want, 0, cases[i].len);
			memcpy(want, cases[i].want, strlen(cases[i].want));
		}
		CHECK_EQ(cases[i].want != NULL ? 1 : 0, root_dt_publish(b, total, &root));
		CHECK_EQ(0, memcmp(b + off + slot, want, cases[i].len));
		CHECK_EQ(UINT64_MAX, r_get_be64(b + off + outside));
		free(b);
	}
}
