/* root: the objects the hypervisor makes at boot for the root VM (partition, cspace) and the caps
 * it gets. */
#ifndef ROOT_H
#define ROOT_H

#include <stddef.h>
#include <stdint.h>

#include "addrspace.h"
#include "cspace.h"
#include "partition.h"
#include "thread.h"
#include "vic.h"

/* The root VM's own VIC: one vCPU, SPIs 32..95 (ROOT_PROFILE.md). */
#define ROOT_VIC_MAX_VIRQS 64U

struct root_objects {
	struct partition *partition;
	struct cspace *cspace;  /* the root VM's cspace (one reference is the boot vCPU's) */
	struct vic *vic;        /* the root VM's interrupt controller (ACTIVE) */
	struct thread *vcpu;    /* the boot vCPU as an object (ACTIVE, attached to vic at 0) */
	cap_id_t partition_cap; /* master caps, all rights, all in cspace */
	cap_id_t cspace_cap;
	cap_id_t vic_cap;
	cap_id_t vcpu_cap;
	cap_id_t hwirq_cap; /* CAP_ID_INVALID unless root_add_hwirq gave one */
	/* The root VM's own address space (root_add_addrspace), so it can map extents into itself
	 * as upstream's RM does; CAP_ID_INVALID without one. */
	struct addrspace *addrspace;
	cap_id_t addrspace_cap;
	/* The hypervisor's memory (image, data, heap, stacks), published for isolation probes. */
	uint64_t hyp_base;
	uint64_t hyp_size;
	/* The physical RAM the root partition hands out (root_memory.h); size 0: none. */
	uint64_t memory_base;
	uint64_t memory_size;
	/* What a Resource Manager as the root VM is told besides (hyp/README.md): the primary VM's
	 * RAM (which the root partition owns then), its entry and DT, the UART page (owned too,
	 * and in the RM's Stage-2), the distributor and redistributor its VIC shows. A pair stays
	 * unpublished while its second value is 0. */
	uint64_t hlos_memory_base;
	uint64_t hlos_memory_size;
	uint64_t hlos_entry;
	uint64_t hlos_dtb;
	uint64_t uart_base;
	uint64_t uart_size;
	uint32_t uart_kind; /* MACHINE_UART_*: humpy,uart-compatible names it */
	uint64_t gicd_base;
	uint64_t gicr_base;
	uint64_t gicc_base; /* GICv2: the CPU interface instead of a redistributor (0 on GICv3) */
	/* The PL061 page (owned by the root partition) and its SPI, the hwirq_cap's: the RM gives
	 * both to the primary VM, whose DT describes the PL061 (a hardware IRQ it owns and may
	 * lend).
	 */
	uint64_t gpio_base;
	uint64_t gpio_intid;
};

/*
 * Make the root partition over [base, base+size), the root cspace (CSPACE_MAX_CAPS slots), the root
 * VM's VIC and its boot vCPU's thread, with the master caps of all four in the cspace; @seed starts
 * the root partition's generator (cap ID keys; the same seed gives the same IDs). Boot-time:
 * failure is the hypervisor's own bug and panics.
 */
struct root_objects root_create(void *base, size_t size, uint64_t seed);

/* An hwirq object for physical SPI @pintid, its master cap in the root cspace (hwirq_cap). */
void root_add_hwirq(struct root_objects *root, uint32_t pintid);

/*
 * An address space object for the root VM's boot Stage-2, VMID @vmid, its master cap in the root
 * cspace (addrspace_cap). It stays INIT until root_adopt_stage2 hands it the live table.
 */
void root_add_addrspace(struct root_objects *root, uint16_t vmid);

/*
 * Makes the root address space ACTIVE over the boot Stage-2 whose root table is @table (@ipa_bits
 * of IPA): addrspace_map/unmap then change the table the root VM runs on. The table is not the
 * partition's: the object holds an extra reference and is never destroyed, so its cleanup (which
 * frees tables) never runs.
 */
void root_adopt_stage2(struct addrspace *as, uint64_t *table, unsigned ipa_bits);

#endif
