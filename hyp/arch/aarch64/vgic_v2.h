/* vgic_v2: the GICv2 face of the emulated distributor (vgic_v2.c), for vgic.c. */
#ifndef VGIC_V2_H
#define VGIC_V2_H

#include "util.h"

enum vgic_v2_where {
	VGIC_V2_SHARED, /* the same register at the same offset as GICv3's distributor */
	VGIC_V2_BANKED, /* an SGI/PPI register: *off now is its GICv3 redistributor offset */
	VGIC_V2_OWN,    /* GICv2's own (ITARGETSR, SGIR, ...): vgic_v2_own_read, vgic_v2_sgir */
};

/* Where the GICv2 distributor access at offset *off is served (may rewrite *off). */
enum vgic_v2_where vgic_v2_gicd_where(uint64_t *off);

struct vic;

/* A read of @size bytes of a VGIC_V2_OWN register by vCPU @self of @vic. */
uint64_t vgic_v2_own_read(struct vic *vic, unsigned self, uint64_t off, unsigned size);

/* A write of @size bytes of @val to GICD_ITARGETSR (@off) of @vic: the SPIs' targets and routes
 * change (the caller folds before and lists after); false if @off is no ITARGETSR. */
bool vgic_v2_targets_write(struct vic *vic, uint64_t off, unsigned size, uint64_t val);

/* A write of @val to GICD_SGIR (@off, @size bytes) by the vCPU of index @self: true and, in
 * *sgi1r, the same SGI as an ICC_SGI1R_EL1 value; false if it is no SGIR write or sends none. */
bool vgic_v2_sgir(uint64_t off, unsigned size, uint32_t val, unsigned self, uint64_t *sgi1r);

/* The GICv2 value of a shared register word @v the GICv3 distributor read gave at @off. */
uint32_t vgic_v2_gicd_fix(uint64_t off, uint32_t v);

#endif
