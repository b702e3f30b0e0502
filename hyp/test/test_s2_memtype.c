/*
 * test_s2_memtype: every memory type addrspace_map accepts, as the Stage-2 leaf encodes it
 * (pte_s2_as_attrs, pte.c; used by stage2_as.c). On QEMU 7.2 no guest access tells the Stage-2
 * memory types apart (an unaligned access to a Device mapping does not fault there), so the
 * encoding is checked here, bit field by bit field, for each type.
 */
#include "../arch/aarch64/pte.h"
#include "test.h"
#include "test_util.h"

/* Arm ARM D8.5.5 Stage-2 MemAttr[3:0]: the value each reference memory type must give. */
static const struct {
	unsigned memtype;
	uint64_t memattr;
} s2_types[] = {
    {0x0, 0x0}, /* Device-nGnRnE */
    {0x1, 0x1}, /* Device-nGnRE */
    {0x2, 0x2}, /* Device-nGRE */
    {0x3, 0x3}, /* Device-GRE */
    {0x5, 0x5}, /* Normal, outer NC, inner NC */
    {0x6, 0x6}, /* outer NC, inner WT */
    {0x7, 0x7}, /* outer NC, inner WB */
    {0x9, 0x9}, /* outer WT, inner NC */
    {0xA, 0xA}, /* outer WT, inner WT */
    {0xB, 0xB}, /* outer WT, inner WB */
    {0xD, 0xD}, /* outer WB, inner NC */
    {0xE, 0xE}, /* outer WB, inner WT */
    {0xF, 0xF}, /* outer WB, inner WB */
};

TEST(s2_every_memtype_encodes_memattr_sh_ap_xn)
{
	(void)arena;
	for (unsigned i = 0; i < ARRAY_SIZE(s2_types); i++) {
		unsigned t = s2_types[i].memtype;
		uint64_t rw = pte_s2_as_attrs(t, true, true, false);
		uint64_t rx = pte_s2_as_attrs(t, true, false, true);
		uint64_t leaf = pte_leaf(0x40001000ull, rw, 3);
		struct pte_desc d = pte_decode(leaf, 3);

		/* MemAttr[3:0] is bits 5:2, SH[1:0] 9:8 (inner shareable), S2AP[1:0] 7:6, XN 54. */
		CHECK_EQ(s2_types[i].memattr, (rw >> 2) & 0xF);
		CHECK_EQ(3, (rw >> 8) & 3);
		CHECK_EQ(3, (rw >> 6) & 3);
		CHECK_EQ(1, (rw >> 54) & 1);
		CHECK_EQ(0x0040000000000300ull | s2_types[i].memattr << 2 | 0xC0, rw);
		CHECK_EQ(0x0000000000000300ull | s2_types[i].memattr << 2 | 0x40, rx);
		/* The page descriptor keeps all of it, with AF, and decodes back to it. */
		CHECK_EQ(0x0040000040001703ull | s2_types[i].memattr << 2 | 0xC0, leaf);
		CHECK_EQ(PTE_KIND_PAGE, d.kind);
		CHECK_EQ(0x40001000ull, d.addr);
		CHECK_EQ(rw | PTE_AF, d.attrs);
	}
	/* No access: S2AP 0b00, so any access faults, whatever the type. */
	CHECK_EQ(0x0040000000000300ull | 0xF << 2, pte_s2_as_attrs(0xF, false, false, false));
	/* Write-only: S2AP 0b10. */
	CHECK_EQ(0x0040000000000380ull | 0x1 << 2, pte_s2_as_attrs(0x1, false, true, false));
}
