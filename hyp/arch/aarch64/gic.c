/*
 * gic: the one interface to the physical GIC, whichever version the device tree named. The
 * version is chosen once, at boot; GICv3's CPU interface calls are system registers and stay
 * here, the rest is gic_v3.c's or gic_v2.c's.
 */
#include "arch.h"
#include "gic.h"
#include "sysreg.h"

#define ICH_HCR_UIE BIT(1)

static bool gic_is_v2;

void arch_gic_init(const struct machine *m)
{
	gic_is_v2 = m->gic_version == 2;
	if (gic_is_v2)
		gic_v2_init(m);
	else
		gic_v3_init(m);
}

unsigned gic_version(void)
{
	return gic_is_v2 ? 2 : 3;
}

void gic_ppi_enable(uint32_t intid, bool enable)
{
	if (gic_is_v2)
		gic_v2_ppi_enable(intid, enable);
	else
		gic_v3_ppi_enable(intid, enable);
}

void gic_spi_enable(uint32_t intid, bool enable)
{
	if (gic_is_v2)
		gic_v2_spi_enable(intid, enable);
	else
		gic_v3_spi_enable(intid, enable);
}

uint64_t gic_ack(void)
{
	return gic_is_v2 ? gic_v2_ack() : read_sysreg(ICC_IAR1_EL1);
}

void gic_priority_drop(uint64_t iar)
{
	if (gic_is_v2)
		gic_v2_priority_drop(iar);
	else
		write_sysreg(ICC_EOIR1_EL1, iar);
}

void gic_deactivate(uint64_t intid)
{
	if (gic_is_v2)
		gic_v2_deactivate(intid);
	else
		write_sysreg(ICC_DIR_EL1, intid);
}

unsigned gic_num_lrs(void)
{
	return gic_is_v2 ? gic_v2_num_lrs() : (unsigned)(read_sysreg(ICH_VTR_EL2) & 0x1F) + 1;
}

uint64_t gic_lr_read(unsigned n)
{
	return gic_is_v2 ? gic_v2_lr_read(n) : gic_v3_lr_read(n);
}

void gic_lr_write(unsigned n, uint64_t v)
{
	if (gic_is_v2)
		gic_v2_lr_write(n, v);
	else
		gic_v3_lr_write(n, v);
}

uint64_t gic_lr_empty(void)
{
	if (gic_is_v2)
		return gic_v2_lr_empty();
	isb(); /* list registers written just before: ELRSR reflects them */
	return read_sysreg(ICH_ELRSR_EL2);
}

void gic_underflow_irq(bool on)
{
	if (gic_is_v2) {
		gic_v2_underflow_irq(on);
		return;
	}
	uint64_t hcr = read_sysreg(ICH_HCR_EL2) & ~ICH_HCR_UIE;

	write_sysreg(ICH_HCR_EL2, hcr | (on ? ICH_HCR_UIE : 0));
	isb();
}

void gic_vif_save(struct vcpu_context *c)
{
	if (gic_is_v2)
		gic_v2_vif_save(c);
	else
		gic_v3_vif_save(c);
}

void gic_vif_load(const struct vcpu_context *c)
{
	if (gic_is_v2)
		gic_v2_vif_load(c);
	else
		gic_v3_vif_load(c);
}
