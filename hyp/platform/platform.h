/*
 * platform: the facts every board's image shares. There is one image for all boards
 * (hyp/platform/<board>/board.c says what each board's device tree cannot); everything else (RAM,
 * GIC, UART, timer, PSCI) comes from the DT at boot.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

/* CPUs the hypervisor keeps a stack for (hyp.ld.S): at least the most any board here has (Juno r2
 * and the RK3399: 6; the harness runs QEMU with 4). */
#define PLAT_MAX_CPUS 8

#endif
