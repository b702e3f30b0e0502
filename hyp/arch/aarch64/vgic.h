/* vgic: the emulated GICv3 distributor/redistributor a VM programs, and interrupt delivery. */
#ifndef VGIC_H
#define VGIC_H

#include "machine.h"

struct vic;

/* The VM sees the GIC at the same addresses as the machine (QEMU virt in both DTs); its SPIs are
 * @vic's shared VIRQs (NULL: none), the redistributor of its vCPU i the i-th frame (vcpu_affinity
 * is not used: vCPU i of every VM has MPIDR Aff0 i). */
void vgic_init(const struct machine *m, uint64_t vcpu_affinity, struct vic *vic);

/* Emulates an access of size bytes at ipa. False: not an emulated register the access may
 * reach (the caller injects an abort). */
bool vgic_mmio(ipa_t ipa, unsigned size, bool is_write, uint64_t *val);

/* A physical IRQ (@iar as ICC_IAR1_EL1 gave it) arrived: forward the virtual timer or a bound
 * hwirq, else deactivate it. */
void vgic_handle_irq(uint64_t iar);

/* vCPU @index of the VM whose VIC is @vic (NULL: none, or no vCPU) is now on this CPU: the
 * emulated GIC serves that VIC and that vCPU's redistributor from now on, and its virtual timer's
 * PPI goes to that vCPU. */
void vgic_vcpu_loaded(struct vic *vic, unsigned index);

/* A vCPU that will never run again (killed, destroyed, powered off): what its list registers hold
 * of its VIC goes back there, for the VIC's other vCPUs; each such list register is cleared, a
 * physical interrupt it forwarded (HW) deactivated. @lrs: the saved list registers of vCPU @index
 * of @vic (off the CPU); NULL: the live ones of the vCPU loaded, which died on the CPU (@vic and
 * @index unused; the emulated GIC then serves no vCPU until the next vgic_vcpu_loaded). */
void vgic_vcpu_dead(struct vic *vic, unsigned index, uint64_t *lrs);

/* The vCPU on the CPU wrote ICC_SGI1R_EL1 (trapped): its SGI is pending on the vCPUs of its VM it
 * names. False: it has no GIC (the write is UNDEFINED). */
bool vgic_sgi1r_write(uint64_t val);

/* vcpu.c: @vic's VIRQs changed: its vCPUs that wait in WFI are ready again. */
void vcpu_vic_changed(const struct vic *vic);

#endif
