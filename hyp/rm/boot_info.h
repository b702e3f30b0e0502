/* boot_info: what the hypervisor tells the RM at boot, read from the /chosen node of the RM's own
 * device tree (x0 at entry). The hypervisor fills the slots in place (hyp/README.md, "The Resource
 * Manager"); a slot left all ones was not given. */
#ifndef RM_BOOT_INFO_H
#define RM_BOOT_INFO_H

#include <stdbool.h>
#include <stdint.h>

#define RM_BOOT_NONE (~0ULL)

struct rm_range {
	uint64_t base;
	uint64_t size;
};

struct rm_boot_info {
	/* Master caps in the root cspace (the RM's own). */
	uint64_t partition; /* humpy,root-partition-cap */
	uint64_t cspace;    /* humpy,root-cspace-cap */
	uint64_t vic;       /* humpy,root-vic-cap: the RM's own VIC */
	uint64_t vcpu;      /* humpy,root-vcpu-cap: the RM's boot vCPU */
	uint64_t addrspace; /* humpy,root-addrspace-cap: the RM's own Stage-2 */
	/* Physical memory the root partition owns (memextents may be made over it). */
	struct rm_range hlos_memory; /* humpy,hlos-memory: the primary VM's RAM */
	struct rm_range uart; /* humpy,uart-memory: the UART's page, also mapped for the RM */
	/* humpy,uart-compatible: that UART's compatible string ("arm,pl011", "cdns,uart-r1p12"), in
	 * the DT; NULL when not given (a UART the hypervisor names for no RM driver). */
	const char *uart_compatible;
	struct rm_range root_memory; /* humpy,root-memory: spare RAM (peers); size 0: none */
	/* The primary VM's boot: entry IPA and DT IPA (humpy,hlos-boot), both inside hlos_memory.
	 */
	uint64_t hlos_entry;
	uint64_t hlos_dtb;
	/* The virtual GIC the RM's VIC shows, as its version has it: a GICv3's distributor and its
	 * vCPU's redistributor (humpy,gic-memory; gicc RM_BOOT_NONE), or a GICv2's distributor and
	 * CPU interface (humpy,gicv2-memory; gicr RM_BOOT_NONE). */
	unsigned gic_version;
	uint64_t gicd;
	uint64_t gicr;
	uint64_t gicc;
	/* Optional (RM_BOOT_NONE when not given): the hwirq object of the PL061's SPI
	 * (humpy,root-hwirq-cap) and the PL061 page and that SPI's INTID (humpy,gpio), which the RM
	 * gives the primary VM. */
	uint64_t hwirq;
	uint64_t gpio_base;
	uint64_t gpio_intid;
};

/* Reads @dtb's /chosen. Returns NULL when everything the RM needs is there, else the name of the
 * first thing missing. */
const char *rm_boot_info_read(const void *dtb, struct rm_boot_info *out);

#endif
