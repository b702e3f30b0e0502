/* What the guest learns from its device tree: console, GIC, timer PPI, PSCI conduit, RAM. */
#ifndef HUMPY_PLAT_H
#define HUMPY_PLAT_H

#include <humpy/types.h>

#define PLAT_MAX_RAM 4

#define PLAT_UART_PL011   0 /* "arm,pl011" (QEMU virt) */
#define PLAT_UART_CADENCE 1 /* "cdns,uart-r1p12", "cdns,uart-r1p8", "xlnx,xuartps" (ZynqMP) */

struct plat {
	u64 dtb;              /* IPA of the device tree, 0 if none was found */
	u64 boot_x0;          /* x0 at entry (the boot protocol's DT address) */
	const char *bootargs; /* /chosen/bootargs, "" if absent */
	u64 uart;             /* the console: /chosen/stdout-path's UART, else the first one */
	u32 uart_kind;        /* PLAT_UART_*: which driver it needs */
	u32 gic_version;      /* 3 ("arm,gic-v3") or 2 ("arm,gic-400", "arm,cortex-a15-gic") */
	u64 gicd;
	u64 gicr; /* GICv3 only */
	u64 gicr_size;
	u64 gicc;         /* GICv2 only: the CPU interface (memory-mapped) */
	u32 vtimer_intid; /* virtual timer PPI as a GIC INTID */
	bool psci_smc;    /* PSCI conduit: smc (true) or hvc */
	unsigned n_ram;
	u64 ram_base[PLAT_MAX_RAM];
	u64 ram_size[PLAT_MAX_RAM];
};

extern struct plat plat;

/* Why a test that needs a GICv3-only feature cannot run here; NULL on GICv3. */
#define PLAT_GICV2_REASON "GICv2 guest (no redistributor, IROUTER or ICC system registers)"
static inline const char *plat_needs_gicv3(void)
{
	return plat.gic_version == 2 ? PLAT_GICV2_REASON : (const char *)0;
}

/* Finds the DT (x0, else the fixed 0x40F00000) and fills plat, with QEMU-virt fallbacks. */
void plat_discover(u64 boot_x0);
/* True if [addr, addr+size) lies in RAM or in a reg range of any DT node. */
bool plat_addr_described(u64 addr, u64 size);

#endif
