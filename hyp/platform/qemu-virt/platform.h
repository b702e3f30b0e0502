/*
 * qemu-virt: what the hypervisor cannot learn from a device tree, for QEMU's "virt" machine (and
 * the boards that share its image: xlnx-zcu102 passes its DT in x0). Everything else (RAM, GIC,
 * UART, timer, PSCI) comes from the DT at boot; no address here is used once the DT is read.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

/* Where QEMU virt leaves its DT when the loader passes none in x0 (an ELF kernel, QEMU's generic
 * loader): the start of its RAM. Read only when x0 holds no DT. */
#define PLAT_DTB_FALLBACK 0x40000000

/* CPUs the hypervisor keeps a stack for (hyp.ld.S). */
#define PLAT_MAX_CPUS 8

#endif
