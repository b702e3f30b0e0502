/* test_fdt_memory: the RAM description fdt_read_machine takes for the VM's placement (issue 13):
 * every memory bank, /reserved-memory children's reg and the header's memory reservation block,
 * on trees laid out as dtc writes them (reservation block at 40, structure block after it). */
#include <string.h>

#include "fdt.h"
#include "test.h"

struct ram_tree {
	uint8_t blob[2048];
	uint32_t rsv_pos; /* next reservation entry */
	uint32_t pos;     /* next byte of the structure block */
	char strings[256];
	uint32_t strings_len;
};

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void be64(uint8_t *p, uint64_t v)
{
	be32(p, (uint32_t)(v >> 32));
	be32(p + 4, (uint32_t)v);
}

/* rsv: the reservation entries (address, size pairs), terminator added here; the structure block
 * starts after them. */
static void rt_init(struct ram_tree *t, const uint64_t *rsv, uint32_t rsv_pairs)
{
	memset(t, 0, sizeof(*t));
	t->rsv_pos = 40;
	for (uint32_t i = 0; i < rsv_pairs; i++) {
		be64(t->blob + t->rsv_pos, rsv[2 * i]);
		be64(t->blob + t->rsv_pos + 8, rsv[2 * i + 1]);
		t->rsv_pos += 16;
	}
	t->rsv_pos += 16; /* the 0/0 terminator (the blob is zeroed) */
	t->pos = t->rsv_pos;
}

static void rt_token(struct ram_tree *t, uint32_t v)
{
	be32(t->blob + t->pos, v);
	t->pos += 4;
}

static void rt_begin(struct ram_tree *t, const char *name)
{
	size_t n = strlen(name) + 1;

	rt_token(t, 1);
	memcpy(t->blob + t->pos, name, n);
	t->pos += (uint32_t)((n + 3) & ~(size_t)3);
}

static void rt_prop(struct ram_tree *t, const char *name, const void *val, uint32_t len)
{
	memcpy(t->strings + t->strings_len, name, strlen(name) + 1);
	rt_token(t, 3);
	rt_token(t, len);
	rt_token(t, t->strings_len);
	t->strings_len += (uint32_t)strlen(name) + 1;
	memcpy(t->blob + t->pos, val, len);
	t->pos += (len + 3) & ~3U;
}

static void rt_cells(struct ram_tree *t, uint32_t ac, uint32_t sc)
{
	uint8_t v[4];

	be32(v, ac);
	rt_prop(t, "#address-cells", v, 4);
	be32(v, sc);
	rt_prop(t, "#size-cells", v, 4);
}

/* A reg of 2-cell addresses and sizes from pairs. */
static void rt_reg64(struct ram_tree *t, const uint64_t *pairs, uint32_t n)
{
	uint8_t reg[16 * 9];

	for (uint32_t i = 0; i < n; i++) {
		be64(reg + 16 * i, pairs[2 * i]);
		be64(reg + 16 * i + 8, pairs[2 * i + 1]);
	}
	rt_prop(t, "reg", reg, 16 * n);
}

static void rt_memory(struct ram_tree *t, const char *name, const uint64_t *pairs, uint32_t n)
{
	rt_begin(t, name);
	rt_prop(t, "device_type", "memory", 7);
	rt_reg64(t, pairs, n);
	rt_token(t, 2);
}

static size_t rt_finish(struct ram_tree *t)
{
	uint32_t total = t->pos + 4 + t->strings_len;

	rt_token(t, 9);
	memcpy(t->blob + t->pos, t->strings, t->strings_len);
	be32(t->blob, FDT_MAGIC);
	be32(t->blob + 4, total);
	be32(t->blob + 8, t->rsv_pos);           /* off_dt_struct */
	be32(t->blob + 12, t->pos);              /* off_dt_strings */
	be32(t->blob + 16, 40);                  /* off_mem_rsvmap */
	be32(t->blob + 20, 17);                  /* version */
	be32(t->blob + 32, t->strings_len);      /* size_dt_strings */
	be32(t->blob + 36, t->pos - t->rsv_pos); /* size_dt_struct */
	return total;
}

/* The ZCU102's layout: one memory node, two banks (DRAM from 0 and above 32 GiB), the PMU
 * firmware's carve-out under /reserved-memory and one reservation in the header. */
TEST(fdt_takes_every_bank_and_every_reserved_range)
{
	static const uint64_t rsv[] = {0x7ff00000, 0x100000};
	static const uint64_t banks[] = {0x0, 0x7ff00000, 0x800000000, 0x80000000};
	static const uint64_t pmu[] = {0x7ff00000, 0x100000};
	static const uint64_t cma[] = {0x3ed00000, 0x40000};
	struct ram_tree t;
	struct machine m;
	size_t size;
	(void)arena;

	rt_init(&t, rsv, 1);
	rt_begin(&t, "");
	rt_cells(&t, 2, 2);
	rt_memory(&t, "memory@0", banks, 2);
	rt_begin(&t, "reserved-memory");
	rt_cells(&t, 2, 2);
	rt_prop(&t, "ranges", "", 0);
	rt_begin(&t, "pmu@7ff00000");
	rt_reg64(&t, pmu, 1);
	rt_token(&t, 2);
	rt_begin(&t, "linux,cma"); /* no reg: allocated later, reserves nothing now */
	rt_token(&t, 2);
	rt_begin(&t, "buf@3ed00000");
	rt_reg64(&t, cma, 1);
	rt_token(&t, 2);
	rt_token(&t, 2);
	rt_token(&t, 2);
	size = rt_finish(&t);
	CHECK_EQ(0, fdt_read_machine(t.blob, size, &m).error);
	CHECK_EQ(2, m.bank_count);
	CHECK_EQ(0x0, m.bank[0].base);
	CHECK_EQ(0x7ff00000, m.bank[0].size);
	CHECK_EQ(0x800000000, m.bank[1].base);
	CHECK_EQ(0x80000000, m.bank[1].size);
	CHECK_EQ(0x0, m.mem.base);
	CHECK_EQ(0x7ff00000, m.mem.size);
	CHECK_EQ(3, m.reserved_count);
	CHECK_EQ(0x7ff00000, m.reserved[0].base);
	CHECK_EQ(0x100000, m.reserved[0].size);
	CHECK_EQ(0x3ed00000, m.reserved[1].base);
	CHECK_EQ(0x40000, m.reserved[1].size);
	CHECK_EQ(0x7ff00000, m.reserved[2].base); /* the header's block comes last */
	CHECK_EQ(0x100000, m.reserved[2].size);
}

/* Two memory nodes (Juno's style) count as banks in tree order; a node named reserved-memory
 * deeper than the root's child reserves nothing. */
TEST(fdt_takes_banks_of_two_memory_nodes)
{
	static const uint64_t lo[] = {0x80000000, 0x7f000000};
	static const uint64_t hi[] = {0x880000000, 0x180000000};
	static const uint64_t deep[] = {0x90000000, 0x1000};
	struct ram_tree t;
	struct machine m;
	size_t size;
	(void)arena;

	rt_init(&t, NULL, 0);
	rt_begin(&t, "");
	rt_cells(&t, 2, 2);
	rt_memory(&t, "memory@80000000", lo, 1);
	rt_memory(&t, "memory@880000000", hi, 1);
	rt_begin(&t, "soc");
	rt_cells(&t, 2, 2);
	rt_begin(&t, "reserved-memory");
	rt_cells(&t, 2, 2);
	rt_begin(&t, "x@90000000");
	rt_reg64(&t, deep, 1);
	rt_token(&t, 2);
	rt_token(&t, 2);
	rt_token(&t, 2);
	/* A grandchild of /reserved-memory is no region of its own (the binding's are children). */
	rt_begin(&t, "reserved-memory");
	rt_cells(&t, 2, 2);
	rt_begin(&t, "group");
	rt_begin(&t, "y@90000000");
	rt_reg64(&t, deep, 1);
	rt_token(&t, 2);
	rt_token(&t, 2);
	rt_token(&t, 2);
	rt_token(&t, 2);
	size = rt_finish(&t);
	CHECK_EQ(0, fdt_read_machine(t.blob, size, &m).error);
	CHECK_EQ(2, m.bank_count);
	CHECK_EQ(0x80000000, m.bank[0].base);
	CHECK_EQ(0x880000000, m.bank[1].base);
	CHECK_EQ(0x180000000, m.bank[1].size);
	CHECK_EQ(0, m.reserved_count);
}

/* One tree per refusal: the reason names it. */
static const char *ram_refusal(const uint64_t *banks, uint32_t n, const uint8_t *raw_reg,
                               uint32_t raw_len, uint32_t rsv_end_offset)
{
	struct ram_tree t;
	struct machine m;
	size_t size;

	rt_init(&t, NULL, 0);
	rt_begin(&t, "");
	rt_cells(&t, 2, 2);
	if (raw_reg != NULL) {
		rt_begin(&t, "memory@0");
		rt_prop(&t, "device_type", "memory", 7);
		rt_prop(&t, "reg", raw_reg, raw_len);
		rt_token(&t, 2);
	} else {
		rt_memory(&t, "memory@0", banks, n);
	}
	rt_token(&t, 2);
	size = rt_finish(&t);
	if (rsv_end_offset != 0) /* the reservation block starts 8 bytes or fewer before the end */
		be32(t.blob + 16, (uint32_t)(size - 8) & ~7U);
	struct fdt_result r = fdt_read_machine(t.blob, size, &m);

	return r.error != 0 ? r.why : "accepted";
}

TEST(fdt_refuses_unusable_ram_descriptions)
{
	static const uint64_t ok[] = {0x40000000, 0x40000000};
	static const uint64_t down[] = {0x80000000, 0x1000000, 0x40000000, 0x1000000};
	static const uint64_t overlap[] = {0x40000000, 0x2000000, 0x41000000, 0x1000000};
	static const uint64_t wrap[] = {0xfffffffffffff000, 0x2000};
	static const uint64_t empty[] = {0x40000000, 0};
	uint64_t nine[18];
	uint8_t odd[12] = {0};
	(void)arena;

	for (uint32_t i = 0; i < 9; i++) {
		nine[2 * i] = 0x40000000ULL + i * 0x10000000ULL;
		nine[2 * i + 1] = 0x1000000;
	}
	CHECK_EQ(0, strcmp("accepted", ram_refusal(ok, 1, NULL, 0, 0)));
	CHECK_EQ(0, strcmp("accepted", ram_refusal(nine, 8, NULL, 0, 0)));
	CHECK_EQ(0, strcmp("more memory banks than humpy keeps", ram_refusal(nine, 9, NULL, 0, 0)));
	CHECK_EQ(0,
	         strcmp("memory banks not ascending and apart", ram_refusal(down, 2, NULL, 0, 0)));
	CHECK_EQ(
	    0, strcmp("memory banks not ascending and apart", ram_refusal(overlap, 2, NULL, 0, 0)));
	CHECK_EQ(
	    0, strcmp("reg entry wrapping or of unusable cells", ram_refusal(wrap, 1, NULL, 0, 0)));
	/* Size 0: memory a firmware fills in (the RPi 4's DTB): no bank, the rest of the tree read.
	 */
	CHECK_EQ(0, strcmp("accepted", ram_refusal(empty, 1, NULL, 0, 0)));
	CHECK_EQ(0, strcmp("reg missing or not whole entries", ram_refusal(NULL, 0, odd, 12, 0)));
	CHECK_EQ(0, strcmp("reg missing or not whole entries", ram_refusal(NULL, 0, odd, 0, 0)));
	CHECK_EQ(0,
	         strcmp("memory reservation block not terminated", ram_refusal(ok, 1, NULL, 0, 1)));
}
