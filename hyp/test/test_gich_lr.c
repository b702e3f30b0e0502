/* test_gich_lr: the GICv2 list register translation (hyp/arch/aarch64/gich_lr.h) against exact
 * GICH_LR values worked out from the GICv2 architecture's field layout: HW 31, Grp1 30, State
 * 29:28, Priority 27:23, PhysicalID 19:10 (HW) or EOI 19, VirtualID 9:0. */
#include "../arch/aarch64/gich_lr.h"
#include "test.h"

/* The virtual timer as vgic.c lists it: pending, HW (pINTID 27), group 1, priority 0xA0. */
#define ICH_VTIMER  0x70A0001B0000001Bull
#define GICH_VTIMER 0xDA006C1Bu
/* A level SPI without a device behind it: active, EOI maintenance, INTID 3, priority 0. */
#define ICH_SW_EOI  0x8000020000000003ull
#define GICH_SW_EOI 0x20080003u

TEST(gich_lr_from_the_gicv3_layout)
{
	(void)arena;
	CHECK_EQ(GICH_VTIMER, gich_lr_from_ich(ICH_VTIMER));
	CHECK_EQ(GICH_SW_EOI, gich_lr_from_ich(ICH_SW_EOI));
	/* The PL061's SPI 39 bound to VIRQ 70: pending, HW, group 1, priority 0xA0. */
	CHECK_EQ(0xDA009C46u, gich_lr_from_ich(0x70A0002700000046ull));
	/* Pending and active, group 0, priority 0xF8 (the top five bits), INTID 1019. */
	CHECK_EQ(0x3F8003FBu, gich_lr_from_ich(0xC0F80000000003FBull));
	/* The GICv3 value itself is no GICH_LR: its low word would be state invalid. */
	CHECK(gich_lr_from_ich(ICH_VTIMER) != (uint32_t)ICH_VTIMER);
	CHECK_EQ(0, (uint32_t)ICH_VTIMER >> GICH_LR_STATE_SHIFT & 3);
}

TEST(gich_lr_back_to_the_gicv3_layout)
{
	(void)arena;
	CHECK_EQ(ICH_VTIMER, gich_lr_to_ich(GICH_VTIMER));
	CHECK_EQ(ICH_SW_EOI, gich_lr_to_ich(GICH_SW_EOI));
	/* A guest-deactivated HW entry reads back invalid with its pINTID (vgic.c's fold). */
	CHECK_EQ(0x30A0001B0000001Bull, gich_lr_to_ich(GICH_VTIMER & ~(3u << GICH_LR_STATE_SHIFT)));
	/* EOI (bit 19) is bit 9 of PhysicalID when HW is set: it is no EOI request there. */
	CHECK(!ich_lr_decode(gich_lr_to_ich(GICH_LR_HW | GICH_LR_EOI | 5)).eoi);
	CHECK_EQ(512, ich_lr_decode(gich_lr_to_ich(GICH_LR_HW | GICH_LR_EOI | 5)).pintid);
}

TEST(gich_lr_limits)
{
	(void)arena;
	/* Priority keeps its top five bits only. */
	CHECK_EQ(0xA0,
	         ich_lr_decode(gich_lr_to_ich(gich_lr_from_ich(0x10A7000000000020ull))).priority);
	/* INTIDs GICH_LR cannot hold (10 bits; 1020..1023 special) leave the register invalid. */
	CHECK_EQ(0, gich_lr_from_ich(0x10A00000000003FCull));
	CHECK_EQ(0, gich_lr_from_ich(0x10A0000000002000ull));
	CHECK_EQ(0, gich_lr_from_ich(0x70A003FC00000020ull)); /* HW with pINTID 1020 */
}
