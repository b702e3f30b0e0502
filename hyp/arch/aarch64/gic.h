/*
 * gic: the physical GIC and its virtual CPU interface as the rest of arch sees them, whichever
 * version the device tree gave (gic.c picks gic_v3.c or gic_v2.c once at boot; nothing else asks
 * which). A list register value is always the GICv3 layout of ich_lr.h: on GICv2 the driver
 * translates it to and from GICH_LR's own layout (gich_lr.h).
 */
#ifndef GIC_H
#define GIC_H

#include "machine.h"

#define GIC_INTID_SPURIOUS 1020

struct vcpu_context;

/* Enables or disables a PPI/SGI of this CPU at the physical redistributor (v2: distributor). */
void gic_ppi_enable(uint32_t intid, bool enable);

/* Enables or disables an SPI at the physical distributor (routed to the boot CPU). */
void gic_spi_enable(uint32_t intid, bool enable);

/* The physical CPU interface: acknowledge (the INTID in bits 23:0, >= 1020 for none), priority
 * drop and deactivation (EOImode 1: the two are separate). */
uint64_t gic_ack(void);
void gic_priority_drop(uint64_t iar);
void gic_deactivate(uint64_t intid);

/* How many list registers this CPU's virtual interface has (at most 16 are used). */
unsigned gic_num_lrs(void);

/* List register n (< gic_num_lrs()), as ich_lr_encode gives it. */
uint64_t gic_lr_read(unsigned n);
void gic_lr_write(unsigned n, uint64_t v);

/* Bit n set: list register n holds no interrupt (ICH_ELRSR_EL2, GICH_ELRSR0). */
uint64_t gic_lr_empty(void);

/* A maintenance interrupt when at most one list register is still valid (HCR.UIE), or not. */
void gic_underflow_irq(bool on);

/* A vCPU's virtual interface controls (VMCR, HCR, active priorities) out to its context, the
 * interface then off; and back in. List registers are the caller's (gic_lr_read/write). */
void gic_vif_save(struct vcpu_context *c);
void gic_vif_load(const struct vcpu_context *c);

/* The version driven (2 or 3) and, on GICv2, the virtual CPU interface a VM's GICC becomes and
 * the CPU interface region of the machine's DT (where each VM's DT puts its GICC). */
unsigned gic_version(void);
struct machine_range gic_vcpu_interface(void);
struct machine_range gic_cpu_interface(void);

/* A Stage-2 translation fault at @ipa: true if it was the VM's GICv2 CPU interface, now mapped
 * for the vCPU on the CPU (retry the access); false for anything else (and on GICv3). */
bool gic_vm_cpu_interface_fault(uint64_t ipa);

/* The per-version drivers behind the calls above. */
void gic_v3_init(const struct machine *m);
void gic_v3_ppi_enable(uint32_t intid, bool enable);
void gic_v3_spi_enable(uint32_t intid, bool enable);
uint64_t gic_v3_lr_read(unsigned n);
void gic_v3_lr_write(unsigned n, uint64_t v);
void gic_v3_vif_save(struct vcpu_context *c);
void gic_v3_vif_load(const struct vcpu_context *c);

void gic_v2_init(const struct machine *m);
void gic_v2_ppi_enable(uint32_t intid, bool enable);
void gic_v2_spi_enable(uint32_t intid, bool enable);
uint64_t gic_v2_ack(void);
void gic_v2_priority_drop(uint64_t iar);
void gic_v2_deactivate(uint64_t intid);
unsigned gic_v2_num_lrs(void);
uint64_t gic_v2_lr_read(unsigned n);
void gic_v2_lr_write(unsigned n, uint64_t v);
uint64_t gic_v2_lr_empty(void);
void gic_v2_underflow_irq(bool on);
void gic_v2_vif_save(struct vcpu_context *c);
void gic_v2_vif_load(const struct vcpu_context *c);

#endif
