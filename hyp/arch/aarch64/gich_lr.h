/*
 * gich_lr: the GICv2 list register (GICH_LR<n>) as a pure translation to and from the GICv3
 * value of ich_lr.h, the one form the rest of arch uses. Builds on the host (unit tests).
 */
#ifndef GICH_LR_H
#define GICH_LR_H

#include "ich_lr.h"

/* GICv2 architecture, GICH_LR<n>: HW 31, Grp1 30, State 29:28, Priority 27:23 (the top five bits
 * of the 8-bit priority), PhysicalID 19:10 with HW = 1 (with HW = 0: EOI 19, CPUID 12:10 for an
 * SGI), VirtualID 9:0. */
#define GICH_LR_HW             BIT(31)
#define GICH_LR_GROUP1         BIT(30)
#define GICH_LR_STATE_SHIFT    28
#define GICH_LR_PRIORITY_SHIFT 23
#define GICH_LR_PRIORITY_MASK  0x1Fu
#define GICH_LR_PINTID_SHIFT   10
#define GICH_LR_ID_MASK        0x3FFu
#define GICH_LR_EOI            BIT(19)

/* An INTID GICH_LR can hold: 10 bits (1020..1023 are special). */
static inline bool gich_lr_intid_ok(uint32_t intid)
{
	return intid < 1020;
}

/* The GICH_LR value of the GICv3 list register value @v. An INTID GICv2 cannot hold leaves the
 * list register invalid (0): a caller never lists one (SPIs end at 1019). */
static inline uint32_t gich_lr_from_ich(uint64_t v)
{
	struct ich_lr lr = ich_lr_decode(v);
	uint32_t g;

	if (!gich_lr_intid_ok(lr.vintid) || (lr.hw && !gich_lr_intid_ok(lr.pintid)))
		return 0;
	g = (uint32_t)(lr.state & 3) << GICH_LR_STATE_SHIFT | (lr.group1 ? GICH_LR_GROUP1 : 0) |
	    (uint32_t)(lr.priority >> 3) << GICH_LR_PRIORITY_SHIFT | lr.vintid;
	if (lr.hw)
		g |= GICH_LR_HW | (uint32_t)lr.pintid << GICH_LR_PINTID_SHIFT;
	else if (lr.eoi)
		g |= GICH_LR_EOI;
	return g;
}

/* The GICv3 list register value of GICH_LR value @g. */
static inline uint64_t gich_lr_to_ich(uint32_t g)
{
	bool hw = (g & GICH_LR_HW) != 0;
	struct ich_lr lr = {
	    .state = (enum ich_lr_state)(g >> GICH_LR_STATE_SHIFT & 3),
	    .hw = hw,
	    .group1 = (g & GICH_LR_GROUP1) != 0,
	    .eoi = !hw && (g & GICH_LR_EOI) != 0,
	    .priority = (uint8_t)((g >> GICH_LR_PRIORITY_SHIFT & GICH_LR_PRIORITY_MASK) << 3),
	    .pintid = hw ? (uint16_t)(g >> GICH_LR_PINTID_SHIFT & GICH_LR_ID_MASK) : 0,
	    .vintid = g & GICH_LR_ID_MASK,
	};

	return ich_lr_encode(&lr);
}

#endif
