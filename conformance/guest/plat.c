/* Device-tree discovery of the guest's platform, with QEMU virt's addresses as fallbacks. */
#include <humpy/exc.h>
#include <humpy/fdt.h>
#include <humpy/libc.h>
#include <humpy/plat.h>
#include <humpy/setup.h>

#define PLAT_DTB_FIXED      0x40f00000ULL /* PROTOCOL.md: where the VM's DTB is loaded */
#define PLAT_DTB_MAX        0x100000ULL   /* a VM tree is a few KiB; refuse absurd sizes */
#define PLAT_UART_FALLBACK  0x09000000ULL
#define PLAT_GICD_FALLBACK  0x08000000ULL
#define PLAT_GICR_FALLBACK  0x080a0000ULL
#define PLAT_VTIMER_DEFAULT 27 /* PPI 11 */
#define GIC_PPI_BASE        16

struct plat plat;

/* Reads the FDT magic through a probe so a bogus x0 costs a recorded abort, not the run. */
static bool plat_dtb_at(u64 addr)
{
	u32 magic;

	if (addr == 0 || (addr & 7) != 0)
		return false;
	if (!probe_try_read32(addr, &magic) || magic != 0xedfe0dd0U) /* 0xd00dfeed big-endian */
		return false;
	return fdt_init((const void *)(uintptr_t)addr, PLAT_DTB_MAX);
}

/* The UART kind of node, or -1 when the guest has no driver for it. */
static int plat_uart_kind(int node)
{
	if (fdt_is_compatible(node, "arm,pl011"))
		return PLAT_UART_PL011;
	if (fdt_is_compatible(node, "cdns,uart-r1p12") ||
	    fdt_is_compatible(node, "cdns,uart-r1p8") || fdt_is_compatible(node, "xlnx,xuartps"))
		return PLAT_UART_CADENCE;
	return -1;
}

/* Takes node as the console when the guest drives it and it has a reg. */
static bool plat_take_uart(int node)
{
	int kind = node >= 0 ? plat_uart_kind(node) : -1;
	u64 addr, size;

	if (kind < 0 || !fdt_reg(node, 0, &addr, &size))
		return false;
	plat.uart = addr;
	plat.uart_kind = (u32)kind;
	return true;
}

/* The first PL011 or Cadence UART in the tree, -1 if none. */
static int plat_first_uart(void)
{
	static const char *const compat[] = {"arm,pl011", "cdns,uart-r1p12", "cdns,uart-r1p8",
	                                     "xlnx,xuartps"};
	int first = -1;

	for (size_t i = 0; i < sizeof(compat) / sizeof(compat[0]); i++) {
		int node = fdt_find_compatible(-1, compat[i]);

		if (node >= 0 && (first < 0 || node < first))
			first = node;
	}
	return first;
}

/*
 * The console: the UART /chosen/stdout-path names (a path or an alias, "[:options]" dropped), so
 * one image prints on QEMU virt's PL011 and on the ZCU102's Cadence UART; else the first UART the
 * guest drives; else QEMU virt's PL011 (and a SETUP_ERROR saying so).
 */
static void plat_find_uart(void)
{
	const char *path = fdt_prop_str(fdt_path_offset("/chosen"), "stdout-path");
	char buf[96];

	plat.uart = PLAT_UART_FALLBACK;
	plat.uart_kind = PLAT_UART_PL011;
	if (path) {
		snprintf(buf, sizeof(buf), "%s", path);
		if (strchr(buf, ':'))
			*strchr(buf, ':') = '\0';
		if (plat_take_uart(fdt_path_offset(buf)))
			return;
		if (plat_take_uart(plat_first_uart()))
			setup_error("console",
			            "stdout-path \"%s\" names no PL011 or Cadence UART with a reg; "
			            "the first UART in the tree taken",
			            buf);
		else
			setup_error("console",
			            "stdout-path \"%s\" names no PL011 or Cadence UART with a reg; "
			            "PL011 assumed at 0x%llx",
			            buf, PLAT_UART_FALLBACK);
		return;
	}
	if (plat_take_uart(plat_first_uart()) || !fdt_present())
		return;
	setup_error("console",
	            "no stdout-path and no PL011 or Cadence UART; PL011 assumed at 0x%llx",
	            PLAT_UART_FALLBACK);
}

static void plat_find_gic(void)
{
	int node = fdt_find_compatible(-1, "arm,gic-v3");
	u64 size;

	plat.gic_version = 3;
	plat.gicd = PLAT_GICD_FALLBACK;
	plat.gicr = PLAT_GICR_FALLBACK;
	plat.gicr_size = 0x20000;
	if (node < 0) {
		/* GICv2: reg is the distributor, then the CPU interface (then GICH, GICV). */
		node = fdt_find_compatible(-1, "arm,gic-400");
		if (node < 0)
			node = fdt_find_compatible(-1, "arm,cortex-a15-gic");
		if (node >= 0) {
			plat.gic_version = 2;
			plat.gicr = 0;
			plat.gicr_size = 0;
			if (!fdt_reg(node, 0, &plat.gicd, &size) ||
			    !fdt_reg(node, 1, &plat.gicc, &size))
				setup_error("vgic",
				            "the GICv2 node has no GICD and GICC reg entries");
			return;
		}
	}
	if (node < 0) {
		if (fdt_present())
			setup_error("vgic", "no arm,gic-v3 node; GICD 0x%llx GICR 0x%llx assumed",
			            PLAT_GICD_FALLBACK, PLAT_GICR_FALLBACK);
		return;
	}
	if (!fdt_reg(node, 0, &plat.gicd, &size) || !fdt_reg(node, 1, &plat.gicr, &plat.gicr_size))
		setup_error("vgic", "the arm,gic-v3 node has no GICD and GICR reg entries");
}

/* The timer node's interrupts: secure phys, non-secure phys, virtual, hyp; 3 cells each. */
static void plat_find_timer(void)
{
	int node = fdt_find_compatible(-1, "arm,armv8-timer");
	const u8 *irqs;
	u32 len;

	plat.vtimer_intid = PLAT_VTIMER_DEFAULT;
	if (node < 0)
		node = fdt_find_compatible(-1, "arm,armv7-timer");
	if (node < 0) {
		if (fdt_present())
			setup_error("timer",
			            "no arm,armv8-timer node; virtual timer INTID %u assumed",
			            PLAT_VTIMER_DEFAULT);
		return;
	}
	irqs = fdt_prop(node, "interrupts", &len);
	if (!irqs || len < 3 * 12 || fdt_be32(irqs + 24) != 1 /* PPI */) {
		setup_error("timer",
		            "the timer node's interrupts give no virtual-timer PPI (%u bytes)",
		            irqs ? len : 0);
		return;
	}
	plat.vtimer_intid = GIC_PPI_BASE + fdt_be32(irqs + 28);
}

static void plat_find_psci(void)
{
	int node = fdt_find_compatible(-1, "arm,psci-1.0");
	const char *method;

	if (node < 0)
		node = fdt_find_compatible(-1, "arm,psci-0.2");
	method = fdt_prop_str(node, "method");
	plat.psci_smc = !method || strcmp(method, "hvc") != 0;
}

static void plat_find_ram(void)
{
	int node;

	for (node = fdt_first_subnode(fdt_root()); node >= 0; node = fdt_next_subnode(node)) {
		const char *type = fdt_prop_str(node, "device_type");
		unsigned i;

		if (!type || strcmp(type, "memory") != 0)
			continue;
		for (i = 0; plat.n_ram < PLAT_MAX_RAM; i++) {
			u64 base, size;

			if (!fdt_reg(node, i, &base, &size))
				break;
			plat.ram_base[plat.n_ram] = base;
			plat.ram_size[plat.n_ram] = size;
			plat.n_ram++;
		}
	}
	if (plat.n_ram == 0 && fdt_present())
		setup_error("fdt", "no memory node with a reg; RAM 0x40000000+1 GiB assumed");
	if (plat.n_ram == 0) {
		/* QEMU virt's RAM for a 1 GiB VM (PROTOCOL.md) */
		plat.ram_base[0] = 0x40000000;
		plat.ram_size[0] = 0x40000000;
		plat.n_ram = 1;
	}
}

void plat_discover(u64 boot_x0)
{
	const char *args;

	plat = (struct plat){0};
	plat.boot_x0 = boot_x0;
	if (plat_dtb_at(boot_x0))
		plat.dtb = boot_x0;
	else if (plat_dtb_at(PLAT_DTB_FIXED))
		plat.dtb = PLAT_DTB_FIXED;
	else
		setup_error("fdt",
		            "no valid device tree at x0 0x%lx nor at 0x%llx; QEMU virt's "
		            "addresses assumed",
		            boot_x0, PLAT_DTB_FIXED);
	plat_find_uart();
	plat_find_gic();
	plat_find_timer();
	plat_find_psci();
	plat_find_ram();
	args = fdt_prop_str(fdt_path_offset("/chosen"), "bootargs");
	plat.bootargs = args ? args : "";
}

static bool plat_overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/* Walks every node's reg (decoded with its parent's cells) looking for an overlap. */
static bool plat_node_regs_overlap(int node, u64 addr, u64 size)
{
	int child;
	unsigned i;

	for (i = 0;; i++) {
		u64 base, len;

		if (!fdt_reg(node, i, &base, &len))
			break;
		if (plat_overlaps(addr, size, base, len))
			return true;
	}
	for (child = fdt_first_subnode(node); child >= 0; child = fdt_next_subnode(child)) {
		if (plat_node_regs_overlap(child, addr, size))
			return true;
	}
	return false;
}

bool plat_addr_described(u64 addr, u64 size)
{
	unsigned i;
	int node;

	for (i = 0; i < plat.n_ram; i++) {
		if (plat_overlaps(addr, size, plat.ram_base[i], plat.ram_size[i]))
			return true;
	}
	if (!fdt_present())
		return false;
	for (node = fdt_first_subnode(fdt_root()); node >= 0; node = fdt_next_subnode(node)) {
		if (plat_node_regs_overlap(node, addr, size))
			return true;
	}
	return false;
}
