/* vic: the virtual interrupt controller object: its shared VIRQs (GICv3 SPIs), their state as the
 * guest programs it, and which vCPUs it serves. Portable: the arch layer lists its deliverable
 * VIRQs in the GIC list registers (arch_vic_changed) and decodes the emulated distributor into
 * vic_irq_*.
 */
#ifndef VIC_H
#define VIC_H

#include "object.h"
#include "virq.h"

/* Shared VIRQs are SPIs: INTID VIC_SPI_BASE + n for n < max_virqs. */
#define VIC_SPI_BASE 32U
/* Limits of vic_configure: max_vcpus 1..VIC_MAX_VCPUS, max_virqs 0..VIC_MAX_VIRQS (SPIs up to
 * INTID 1019); no virtual ITS, so max_msis must be 0 when vic_options.max_msis_valid is set. */
#define VIC_MAX_VCPUS 8U
#define VIC_MAX_VIRQS 988U
/* vic_options: bit 0 max_msis_valid, bit 1 disable_default_addr, the rest res0. */
#define VIC_OPTION_MAX_MSIS_VALID       BIT(0)
#define VIC_OPTION_DISABLE_DEFAULT_ADDR BIT(1)

/* One shared VIRQ as the guest's distributor programs it, plus who raises it. */
struct vic_irq {
	struct virq_source *source; /* bound source, or NULL */
	uint64_t route;             /* GICD_IROUTER as written */
	uint8_t targets;            /* GICv2: GICD_ITARGETSR as written (bit n: vCPU n) */
	uint8_t priority;
	bool is_enabled;
	bool is_group1;
	bool is_edge;    /* GICD_ICFGR: edge-triggered, else level */
	bool is_latched; /* pending state set by an edge, ISPENDR, or taken from a list register */
	bool is_line_high; /* a level assertion holds */
	/* The guest took the level VIRQ since its source last asserted it: before it is delivered
	 * again the source is asked whether its condition still holds. */
	bool is_redelivery;
	bool is_active;
	bool is_listed; /* the arch layer has it in a list register */
};

struct thread;

struct vic {
	struct object hdr;
	uint32_t max_vcpus; /* 0 until configured */
	uint32_t max_virqs;
	uint64_t options;
	bool is_configured;
	uint32_t ctlr;        /* GICD_CTLR EnableGrp0 (bit 0) / EnableGrp1 (bit 1) */
	struct vic_irq *irqs; /* max_virqs entries, allocated on activation */
	/* A superset of the shared VIRQs that may be pending or active (bit n: VIRQ 32 + n), so
	 * listing them looks at those alone: set wherever a latch, a level line or the active state
	 * is set (vic_irq_hint), cleared by the arch layer once it finds the VIRQ none of these. */
	uint64_t hint[(VIC_MAX_VIRQS + 63) / 64];
};

/* While INIT: the limits above, ARGUMENT_INVALID otherwise. */
error_t vic_configure(struct vic *vic, uint64_t max_vcpus, uint64_t max_virqs, uint64_t options,
                      uint64_t max_msis);
/* @thread (INIT) will run with this (ACTIVE) VIC as vCPU @index: ARGUMENT_INVALID unless index <
 * max_vcpus. A thread attaches to one VIC (referenced); attaching again replaces the earlier one.
 */
error_t vic_attach_vcpu(struct vic *vic, struct thread *thread, uint64_t index);

/* The VIRQ @intid's state, or NULL when it is not one of this VIC's shared VIRQs. */
struct vic_irq *vic_irq_of(struct vic *vic, uint32_t intid);

/* @irq (one of @vic's) may be pending or active now: the arch layer looks at it when it lists. */
static inline void vic_irq_hint(struct vic *vic, const struct vic_irq *irq)
{
	uint32_t n = (uint32_t)(irq - vic->irqs);

	vic->hint[n / 64U] |= 1ULL << (n % 64U);
}

/* The GIC pending state: latched, or a level-configured VIRQ whose line is high. */
bool vic_irq_is_pending(const struct vic_irq *irq);
/* Pending, enabled and its group enabled: the guest may take it (or has it pending-and-active). */
bool vic_irq_is_deliverable(const struct vic *vic, const struct vic_irq *irq);
/* Once the guest took or ended a level VIRQ, and before it is delivered again: ask its source
 * whether the condition still holds (the lazy de-assertion of reference §5); the line drops if not.
 * A fresh assertion is delivered at least once. */
void vic_irq_recheck(struct vic_irq *irq);

extern const struct obj_ops vic_ops;

/*
 * The arch layer: the deliverable set of @vic may have changed; list what its running vCPU can take
 * now. The host stand-in records nothing. Called by the core after every change it makes.
 */
void arch_vic_changed(struct vic *vic);
/* The arch layer: @vic is being destroyed; it forgets any state it kept for it. */
void arch_vic_released(struct vic *vic);

#endif
