/* test_encoders: the pure encoders of hyp/arch/aarch64 (esr.c, pte.c, ich_lr.h) against exact
 * values worked out from the Arm ARM's field layouts (ESR_ELx, VMSAv8-64 descriptors, ICH_LR). */
#include "../arch/aarch64/esr.h"
#include "../arch/aarch64/ich_lr.h"
#include "../arch/aarch64/pte.h"
#include "test.h"

#include <string.h>

TEST(esr_injected_abort_and_unknown_syndromes)
{
	(void)arena;
	/* The values hyp/README.md promises the guest: EC, IL 1, FSC 0x10, nothing else. */
	CHECK_EQ(0x96000010, esr_inject_abort(0x3C5, 0x93810007, true));  /* EL1h data */
	CHECK_EQ(0x96000010, esr_inject_abort(0x3C4, 0x93810007, true));  /* EL1t data */
	CHECK_EQ(0x86000010, esr_inject_abort(0x3C5, 0x82000007, false)); /* EL1 fetch */
	CHECK_EQ(0x92000010, esr_inject_abort(0x000, 0x93810007, true));  /* EL0 data */
	CHECK_EQ(0x82000010, esr_inject_abort(0x000, 0x82000007, false)); /* EL0 fetch */
	CHECK_EQ(0x90000010, esr_inject_abort(0x010, 0x91810007, true));  /* AArch32, IL 0 */
	CHECK_EQ(0x02000000, esr_inject_undef(0x62000000));
	CHECK_EQ(0x00000000, esr_inject_undef(0x60000000));
}

TEST(esr_data_abort_decode)
{
	/* ldr w1, [x0]: EC 0x24, IL, ISV, SAS 2, SRT 1, DFSC 7 (translation fault, level 3). */
	struct esr_dabt d = esr_dabt_decode(0x93810007);
	/* str x2, [x0]: SAS 3, SRT 2, SF, WnR, DFSC 6. */
	struct esr_dabt s = esr_dabt_decode(0x93C28046);

	(void)arena;
	CHECK_EQ(ESR_EC_DABT_LOW, d.ec);
	CHECK(d.il && d.isv && !d.sse && !d.sf && !d.wnr);
	CHECK_EQ(2, d.sas);
	CHECK_EQ(4, esr_dabt_size(&d));
	CHECK_EQ(1, d.srt);
	CHECK_EQ(7, d.dfsc);
	CHECK(esr_dabt_is_translation(&d));
	CHECK_EQ(0x93810007, esr_dabt_encode(&d));
	CHECK_EQ(8, esr_dabt_size(&s));
	CHECK_EQ(2, s.srt);
	CHECK(s.sf && s.wnr);
	CHECK_EQ(0x93C28046, esr_dabt_encode(&s));
	CHECK(!esr_dabt_is_translation(&(struct esr_dabt){.dfsc = 0x0F}));
	CHECK_EQ(ESR_EC_HVC64, esr_ec(0x5A006000));
	CHECK_EQ(ESR_EC_DABT_LOW, esr_ec(0x1ull << 32 | 0x93810007)); /* ISS2 is not EC */
}

TEST(esr_load_and_store_values)
{
	struct esr_dabt ldrsb_x = {.sas = 0, .sse = true, .sf = true};
	struct esr_dabt ldrsb_w = {.sas = 0, .sse = true, .sf = false};
	struct esr_dabt ldrh_w = {.sas = 1};
	struct esr_dabt str_w = {.sas = 2};

	(void)arena;
	CHECK_EQ(0xFFFFFFFFFFFFFF80ull, esr_dabt_load_value(&ldrsb_x, 0x80));
	CHECK_EQ(0xFFFFFF80, esr_dabt_load_value(&ldrsb_w, 0x80));
	CHECK_EQ(0x7F, esr_dabt_load_value(&ldrsb_x, 0x7F));
	CHECK_EQ(0x8001, esr_dabt_load_value(&ldrh_w, 0x12348001));
	CHECK_EQ(0x55667788, esr_dabt_store_value(&str_w, 0x1122334455667788ull));
}

TEST(esr_exception_entry)
{
	const struct esr_cpu max = {.id_aa64mmfr1 = 3ull << 20,
	                            .id_aa64pfr1 = 2ull << 4 | 3ull << 8,
	                            .sctlr_el1 = 0x30D00800};
	const struct esr_cpu max_span0 = {max.id_aa64mmfr1, max.id_aa64pfr1, 0};
	const struct esr_cpu bare = {0, 0, 0};

	(void)arena;
	CHECK_EQ(0x200, esr_vector_offset(0x3C5));
	CHECK_EQ(0x000, esr_vector_offset(0x3C4));
	CHECK_EQ(0x400, esr_vector_offset(0x000));
	CHECK_EQ(0x600, esr_vector_offset(0x010));
	/* SPAN set: PAN kept (0); SSBS from DSSBS (0); TCO set with MTE2. */
	CHECK_EQ(0x020003C5, esr_entry_pstate(0x3C5, &max));
	/* EL0t with BTYPE, SS, IL, UAO and SSBS: all cleared; SPAN 0 sets PAN. */
	CHECK_EQ(0x024003C5, esr_entry_pstate(0x00B01C00, &max_span0));
	/* From AArch32 user mode: only NZCV survives. */
	CHECK_EQ(0x800003C5, esr_entry_pstate(0x800001D0 | 1ull << 22, &bare));
}

TEST(pte_attributes_and_descriptors)
{
	const struct pte_perm s2_ram = {PTE_MEM_NORMAL, true, true};
	const struct pte_perm s2_uart = {PTE_MEM_DEVICE, true, false};
	const struct pte_perm s1_data = {PTE_MEM_NORMAL, true, false};
	const struct pte_perm s1_text = {PTE_MEM_NORMAL, false, true};
	const struct pte_perm s1_mmio = {PTE_MEM_DEVICE, true, false};
	struct pte_desc d;

	(void)arena;
	CHECK_EQ(0x3FC, pte_s2_attrs(s2_ram)); /* MemAttr 0xF, S2AP RW, SH inner */
	CHECK_EQ(0x00400000000000C4ull, pte_s2_attrs(s2_uart));
	CHECK_EQ(0x0040000000000344ull, pte_s1_attrs(s1_data)); /* AttrIndx 1, SH, AP RES1, XN */
	CHECK_EQ(0x3C4, pte_s1_attrs(s1_text));
	CHECK_EQ(0x0040000000000040ull, pte_s1_attrs(s1_mmio));
	CHECK(pte_s2_perm(0x3FC).write && pte_s2_perm(0x3FC).exec);
	CHECK(!pte_s1_perm(0x3C4).write && pte_s1_perm(0x3C4).exec);
	CHECK_EQ(0x400007FD, pte_leaf(0x40000000, 0x3FC, 1)); /* 1 GiB block, AF */
	CHECK_EQ(0x00400000090004C7ull, pte_leaf(0x09000000, pte_s2_attrs(s2_uart), 3));
	CHECK_EQ(0, pte_leaf(0x40000000, 0x3FC, 0));  /* no level-0 block */
	CHECK_EQ(0, pte_leaf(0x40001000, 0x3FC, 2));  /* unaligned for 2 MiB */
	CHECK_EQ(0, pte_leaf(1ull << 48, 0x3FC, 3));  /* past 48 bits */
	CHECK_EQ(0, pte_leaf(0x1000, 1ull << 63, 3)); /* undefined attribute */
	CHECK_EQ(0x80012003, pte_table(0x80012000));
	d = pte_decode(0x400007FD, 1);
	CHECK_EQ(PTE_KIND_BLOCK, d.kind);
	CHECK_EQ(0x40000000, d.addr);
	CHECK_EQ(0x7FC, d.attrs);
	CHECK_EQ(PTE_KIND_PAGE, pte_decode(0x00400000090004C7ull, 3).kind);
	CHECK_EQ(PTE_KIND_TABLE, pte_decode(0x80012003, 2).kind);
	CHECK_EQ(PTE_KIND_BAD, pte_decode(0x400007FD, 0).kind);
	CHECK_EQ(PTE_KIND_INVALID, pte_decode(0x400007FC, 1).kind);
}

TEST(pte_walk_geometry)
{
	(void)arena;
	CHECK_EQ(39, pte_level_shift(0));
	CHECK_EQ(12, pte_level_shift(3));
	CHECK_EQ(0, pte_index(0x40201000, 0));
	CHECK_EQ(1, pte_index(0x40201000, 1));
	CHECK_EQ(1, pte_index(0x40201000, 2));
	CHECK_EQ(1, pte_index(0x40201000, 3));
	CHECK_EQ(511, pte_index(0xFFFFFFFFF000ull, 0));
	CHECK_EQ(0, pte_start_level(40));
	CHECK_EQ(1, pte_start_level(39));
	CHECK_EQ(5, pte_parange_field(0x6));
	CHECK_EQ(40, pte_pa_bits(2));
	CHECK_EQ(48, pte_pa_bits(5));
}

/* Tables for pte_map, 4 KiB aligned like the hypervisor's pool. */
static uint64_t enc_tables[4][512] __attribute__((aligned(4096)));
static unsigned enc_tables_used;

static uint64_t *enc_alloc(void *ctx)
{
	(void)ctx;
	return enc_tables_used < 4 ? enc_tables[enc_tables_used++] : NULL;
}

/* A page inside a 2 MiB block already mapped is PTE_MAP_IN_BLOCK and writes nothing: the walk
 * never takes a block's output address for a table. make mutation found the check dropped and
 * its error code deleted passing (the hypervisor maps pages only). */
TEST(pte_map_of_a_page_inside_a_block_is_in_block)
{
	struct pte_map_result r;
	uint64_t block;
	(void)arena;

	memset(enc_tables, 0, sizeof(enc_tables));
	enc_tables_used = 1;
	r = pte_map(enc_tables[0], 39, 0x40200000, 0x80200000, 0x200000, PTE_AF, enc_alloc, NULL);
	CHECK_EQ(PTE_MAP_OK, r.error);
	CHECK_EQ(2, enc_tables_used); /* level 1 -> one level-2 table; the block sits in it */
	block = enc_tables[1][1];
	CHECK_EQ(0x80200000ull | PTE_AF | PTE_TYPE_BLOCK, block);
	r = pte_map(enc_tables[0], 39, 0x40201000, 0x90000000, 0x1000, PTE_AF, enc_alloc, NULL);
	CHECK_EQ(PTE_MAP_IN_BLOCK, r.error);
	CHECK_EQ(0x40201000, r.va);
	CHECK_EQ(2, enc_tables_used);
	CHECK_EQ(block, enc_tables[1][1]);
}

TEST(ich_lr_vtimer_value)
{
	/* Pending, HW, group 1, priority 0xA0, pINTID 27, vINTID 27. */
	struct ich_lr lr = {.state = ICH_LR_PENDING,
	                    .hw = true,
	                    .group1 = true,
	                    .priority = 0xA0,
	                    .pintid = 27,
	                    .vintid = 27};
	struct ich_lr sw = {.state = ICH_LR_ACTIVE, .eoi = true, .pintid = 27, .vintid = 3};

	(void)arena;
	CHECK_EQ(0x70A0001B0000001Bull, ich_lr_encode(&lr));
	CHECK_EQ(0x8000020000000003ull, ich_lr_encode(&sw)); /* no pINTID without HW; EOI bit 41 */
	CHECK_EQ(27, ich_lr_decode(0x70A0001B0000001Bull).pintid);
	CHECK(ich_lr_decode(0x8000020000000003ull).eoi);
}
