/* ich_lr: the GICv3 list register value (ICH_LR<n>_EL2) as a pure encoder and decoder. */
#ifndef ICH_LR_H
#define ICH_LR_H

#include "util.h"

/* GICv3 architecture, ICH_LR<n>_EL2: State 63:62, HW 61, Group 60, NMI 59 (not used), Priority
 * 55:48, pINTID 44:32 with HW = 1 (with HW = 0 bit 41 is EOI, the rest RES0), vINTID 31:0. */
#define ICH_LR_STATE_SHIFT    62
#define ICH_LR_HW             BIT(61)
#define ICH_LR_GROUP1         BIT(60)
#define ICH_LR_PRIORITY_SHIFT 48
#define ICH_LR_PINTID_SHIFT   32
#define ICH_LR_PINTID_MASK    0x1FFFu
#define ICH_LR_EOI            BIT(41)
/* Every bit ich_lr_encode may set. */
#define ICH_LR_DEFINED                                                                             \
	(3ull << ICH_LR_STATE_SHIFT | ICH_LR_HW | ICH_LR_GROUP1 |                                  \
	 0xFFull << ICH_LR_PRIORITY_SHIFT | (uint64_t)ICH_LR_PINTID_MASK << ICH_LR_PINTID_SHIFT |  \
	 0xFFFFFFFFull)

enum ich_lr_state {
	ICH_LR_INVALID = 0,
	ICH_LR_PENDING = 1,
	ICH_LR_ACTIVE = 2,
	ICH_LR_PENDING_ACTIVE = 3,
};

struct ich_lr {
	enum ich_lr_state state;
	bool hw;     /* the guest's deactivation deactivates pintid */
	bool group1; /* else group 0 */
	bool eoi;    /* HW = 0 only: maintenance interrupt on EOI */
	uint8_t priority;
	uint16_t pintid; /* HW = 1 only, 13 bits */
	uint32_t vintid;
};

static inline uint64_t ich_lr_encode(const struct ich_lr *lr)
{
	uint64_t v = (uint64_t)(lr->state & 3) << ICH_LR_STATE_SHIFT |
	             (lr->group1 ? ICH_LR_GROUP1 : 0) |
	             (uint64_t)lr->priority << ICH_LR_PRIORITY_SHIFT | lr->vintid;

	if (lr->hw)
		v |= ICH_LR_HW | (uint64_t)(lr->pintid & ICH_LR_PINTID_MASK) << ICH_LR_PINTID_SHIFT;
	else if (lr->eoi)
		v |= ICH_LR_EOI;
	return v;
}

static inline struct ich_lr ich_lr_decode(uint64_t v)
{
	struct ich_lr lr = {
	    .state = (enum ich_lr_state)(v >> ICH_LR_STATE_SHIFT & 3),
	    .hw = (v & ICH_LR_HW) != 0,
	    .group1 = (v & ICH_LR_GROUP1) != 0,
	    .eoi = (v & ICH_LR_HW) == 0 && (v & ICH_LR_EOI) != 0,
	    .priority = (uint8_t)(v >> ICH_LR_PRIORITY_SHIFT),
	    .pintid = (v & ICH_LR_HW) != 0
	                  ? (uint16_t)(v >> ICH_LR_PINTID_SHIFT & ICH_LR_PINTID_MASK)
	                  : 0,
	    .vintid = (uint32_t)v,
	};

	return lr;
}

#endif
