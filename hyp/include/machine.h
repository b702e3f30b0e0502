/* machine: what the hypervisor learns about the board from its device tree. */
#ifndef MACHINE_H
#define MACHINE_H

#include "util.h"

struct machine_range {
	paddr_t base;
	uint64_t size;
};

/* Bounds of the DT's RAM description (a board has a few banks and a few carve-outs); a tree that
 * says more is refused (fdt_read_machine), not cut short. */
#define MACHINE_MAX_BANKS    8U
#define MACHINE_MAX_RESERVED 16U

struct machine {
	struct machine_range mem; /* first range of the first memory node */
	/* Every reg range of every memory node, in tree order (bank[0] == mem). */
	struct machine_range bank[MACHINE_MAX_BANKS];
	uint32_t bank_count;
	/* Memory no VM may get: /reserved-memory children's reg and the FDT header's memory
	 * reservation block, in that order. */
	struct machine_range reserved[MACHINE_MAX_RESERVED];
	uint32_t reserved_count;
	struct machine_range gicd; /* GIC distributor (v2 or v3) */
	struct machine_range gicr; /* GICv3: first redistributor region */
	struct machine_range gicc; /* GICv2: CPU interface */
	struct machine_range gich; /* GICv2: virtual interface control */
	struct machine_range gicv; /* GICv2: virtual CPU interface (what a VM's GICC becomes) */
	uint32_t gic_version;      /* 2 or 3; 0 if the DT has no GIC humpy drives */
	struct machine_range uart; /* the console: /chosen/stdout-path's UART, else the first one */
	uint32_t uart_kind;        /* MACHINE_UART_*: which driver the console needs */
	uint32_t uart_named;       /* 1: the tree named it (stdout-path, or a board's alias) */
	uint32_t uart_reg_shift;   /* a 16550's register n is at base + (n << shift) */
	uint32_t uart_reg_width;   /* bytes per register access: 1 or 4 */
	uint32_t timer_virt_intid; /* EL1 virtual timer, as a GIC INTID (PPI n -> 16 + n) */
	uint32_t timer_hyp_intid;  /* EL2 physical timer */
	struct machine_range gpio; /* first enabled PL061 (its SPI can be handed to the VM) */
	uint32_t gpio_intid;       /* its interrupt as a GIC INTID (SPI n -> 32 + n), 0 if none */
	uint32_t gic_maint_intid;  /* the GIC's maintenance interrupt (PPI), 0 if the DT lacks it */
	uint32_t guest_grants;     /* MACHINE_GRANT_*: boot options (/chosen/bootargs words) */
	uint32_t root_vm;          /* MACHINE_ROOT_*: which VM is the root VM (humpy.root=) */
	/* The root node's compatible (a string list inside the tree): which board this is. */
	const uint8_t *root_compatible;
	uint32_t root_compatible_len;
};

/* The whole pages a device's registers lie in: Stage-2 mappings and memory ownership go by page,
 * and a UART's registers need not start on one (the RPi 4's mini UART is at 0xfe215040). */
static inline struct machine_range machine_pages(struct machine_range r)
{
	paddr_t first = ALIGN_DOWN(r.base, 0x1000);

	return (struct machine_range){first, ALIGN_UP(r.base + r.size, 0x1000) - first};
}

/* The root VM: the loaded guest itself (the default, ROOT_PROFILE.md), or the Resource Manager
 * carried in the hypervisor's image, which builds the loaded guest as the primary VM
 * (humpy.root=rm in the boot options; hyp/README.md). */
#define MACHINE_ROOT_GUEST 0U
#define MACHINE_ROOT_RM    1U

/* The console UARTs humpy drives, told apart by the DT's compatible string. */
#define MACHINE_UART_PL011   0U /* "arm,pl011" */
#define MACHINE_UART_CADENCE 1U /* "cdns,uart-r1p12", "cdns,uart-r1p8", "xlnx,xuartps" */
#define MACHINE_UART_8250    2U /* "ns16550a", "snps,dw-apb-uart", "brcm,bcm2835-aux-uart" */
#define MACHINE_UART_IMX     3U /* "fsl,imx6q-uart", "fsl,imx21-uart" (i.MX6 .. i.MX8M) */

/* What the boot VM owns only when the hypervisor's boot options say so (humpy.guest_pmu,
 * humpy.guest_debug, humpy.guest_ptimer): otherwise its accesses trap and are UNDEFINED. */
#define MACHINE_GRANT_PMU    0x1U
#define MACHINE_GRANT_DEBUG  0x2U
#define MACHINE_GRANT_PTIMER 0x4U

#endif
