/* vm2: a second VM with a VIC of its own, its vCPUs' program and the root VM's side (vm2.h). */
#include <humpy/arch.h>
#include <humpy/irq.h>
#include <humpy/plat.h>
#include <humpy/root.h>

#include "vm2.h"

#define VM2_GICD_CTLR_ARE_G1 0x12U
#define VM2_GICR_WAKER       0x0014
#define VM2_INTID_MASK       0xffffffULL
#define VM2_GICV2_INTID_MASK 0x3ffULL /* GICC_IAR: an SGI's source CPU above the INTID */
#define VM2_GICC_PMR         0x0004
#define VM2_SPURIOUS         1020
#define VM2_WAIT_MS          200
#define CNTV_CTL_ENABLE      1ULL

static struct vm2_cpu vm2_cpus[VM2_MAX_VCPUS];

static void vm2_w32(u64 addr, u32 v)
{
	*(volatile u32 *)(uintptr_t)addr = v;
	dsb(sy);
}

/* Its own redistributor: frame Aff0 of its MPIDR (vCPU i's is the i-th, ROOT_PROFILE.md). */
static u64 vm2_own_gicr(void)
{
	return plat.gicr + VM2_GICR_STRIDE * (sysreg_read(mpidr_el1) & 0xff);
}

static void vm2_enable(u64 intid, bool on)
{
	/* GICv2: the SGI/PPI enables are the distributor's word 0, banked per vCPU. */
	if (intid >= 32 || plat.gic_version == 2)
		vm2_w32(plat.gicd + (on ? VM2_GICD_ISENABLER : VM2_GICD_ICENABLER) +
		            4 * (intid / 32),
		        1U << (intid % 32));
	else
		vm2_w32(vm2_own_gicr() + (on ? VM2_GICR_ISENABLER0 : VM2_GICR_ICENABLER0),
		        1U << intid);
}

/* Its own doorbell_send (its hypercalls are its own hvc, outside the boot vCPU's counted path). */
static u64 vm2_db_send(u64 cap, u64 flags)
{
	register u64 x0 __asm__("x0") = cap;
	register u64 x1 __asm__("x1") = flags;
	register u64 x2 __asm__("x2") = 0;

	__asm__ volatile("hvc %3"
	                 : "+r"(x0), "+r"(x1), "+r"(x2)
	                 : "i"(GH_HVC_NATIVE_BASE + GH_HVC_DOORBELL_SEND)
	                 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
	                   "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* Its own vcpu_poweroff(cap, flags 0): x0, if it returns at all. */
static u64 vm2_poweroff(u64 cap)
{
	register u64 x0 __asm__("x0") = cap;
	register u64 x1 __asm__("x1") = 0;
	register u64 x2 __asm__("x2") = 0;

	__asm__ volatile("hvc %3"
	                 : "+r"(x0), "+r"(x1), "+r"(x2)
	                 : "i"(GH_HVC_NATIVE_BASE + GH_HVC_VCPU_POWEROFF)
	                 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
	                   "x14", "x15", "x16", "x17", "memory");
	return x0;
}

static void vm2_exec(struct vm2_cpu *m)
{
	u64 v = 0;

	switch (m->op) {
	case VM2_READ64:
		v = *(volatile u64 *)(uintptr_t)m->a0;
		break;
	case VM2_READ32:
		v = *(volatile u32 *)(uintptr_t)m->a0;
		break;
	case VM2_WRITE32:
		vm2_w32(m->a0, (u32)m->a1);
		break;
	case VM2_SGI1R:
		sysreg_write(S3_0_C12_C11_5, m->a0);
		isb();
		break;
	case VM2_TIMER:
		sysreg_write(cntv_cval_el0, timer_now() + m->a0);
		sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
		isb();
		break;
	case VM2_MPIDR:
		v = sysreg_read(mpidr_el1);
		break;
	case VM2_PMR:
		if (plat.gic_version == 2) {
			vm2_w32(plat.gicc + VM2_GICC_PMR, (u32)m->a0);
			break;
		}
		sysreg_write(icc_pmr_el1, m->a0);
		isb();
		break;
	case VM2_DB_SEND:
		v = vm2_db_send(m->a0, m->a1);
		break;
	case VM2_POWEROFF:
		/* Done first: a poweroff that works does not return (ret 0 then). */
		m->ret = 0;
		dsb(sy);
		m->done = m->seq;
		dsb(sy);
		v = vm2_poweroff(m->a0);
		break;
	default:
		break;
	}
	m->ret = v;
}

/* Every pending interrupt acknowledged, counted and ended, but those of `hold` (IRQs stay masked:
 * ICC_IAR1_EL1 gives what is pending whatever PSTATE.I says). */
static void vm2_drain(struct vm2_cpu *m)
{
	for (;;) {
		u32 ack = irq_ack();
		u64 iar = ack & (plat.gic_version == 2 ? VM2_GICV2_INTID_MASK : VM2_INTID_MASK);

		if (iar >= VM2_SPURIOUS)
			return;
		if (iar < VM2_INTIDS) {
			if ((m->oneshot[iar / 64] >> (iar % 64)) & 1)
				vm2_enable(iar, false);
			m->taken[iar]++;
		}
		if (iar == plat.vtimer_intid)
			sysreg_write(cntv_ctl_el0, 0); /* level: silenced before its end */
		m->total++;
		m->last = iar;
		if (iar < VM2_INTIDS && ((m->hold[iar / 64] >> (iar % 64)) & 1))
			continue;
		irq_eoi(ack);
	}
}

/* The program of each vCPU of the VM (V2_CALL, arg = its mailbox). */
static void vm2_run(struct vcpu2 *c)
{
	struct vm2_cpu *m = (struct vm2_cpu *)(uintptr_t)c->arg;

	vm2_w32(plat.gicd, VM2_GICD_CTLR_ARE_G1); /* GICv2: EnableGrp1 (ARE is RAZ/WI) */
	if (plat.gic_version != 2)
		vm2_w32(vm2_own_gicr() + VM2_GICR_WAKER, 0);
	irq_cpu_enable(); /* PMR 0xff, group 1 enabled: ICC_* or GICC */
	for (u64 n = 0; n < VM2_INTIDS; n++) {
		if ((m->enable[n / 64] >> (n % 64)) & 1)
			vm2_enable(n, true);
	}
	m->ready = 1;
	for (;;) {
		vm2_drain(m);
		if (m->seq != m->done) {
			vm2_exec(m);
			dsb(sy);
			m->done = m->seq;
		}
		if (m->use_wfi) {
			__asm__ volatile("wfi" ::: "memory");
			c->counter++;
		} else {
			register u64 x0 __asm__("x0") = GH_VCPU_YIELD_HINT_GENERIC;
			register u64 x1 __asm__("x1") = 0;
			register u64 x2 __asm__("x2") = 0;

			__asm__ volatile("hvc %3"
			                 : "+r"(x0), "+r"(x1), "+r"(x2)
			                 : "i"(GH_HVC_NATIVE_BASE + GH_HVC_SCHEDULER_YIELD)
			                 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			                   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
			c->result = x0;
		}
	}
}

/* Yields until *word != old, at most VM2_WAIT_MS (a vCPU spinning in its fault handler takes
 * whole timeslices: a budget of yields could last seconds). */
static bool vm2_until_changed(const volatile u64 *word, u64 old)
{
	u64 end = timer_now() + timer_freq() / 1000 * VM2_WAIT_MS;

	while (*word == old && timer_now() < end)
		vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_GENERIC, 0, 0, 0);
	return *word != old;
}

const char *vm2_missing_any_gic(void)
{
	return vcpu_missing();
}

const char *vm2_missing(void)
{
	const char *why = plat_needs_gicv3(); /* its vCPUs use ICC_* and GICR frames */

	return why != NULL ? why : vcpu_missing();
}

static bool vm2_step(const char *what, unsigned i, u64 got)
{
	if (got == 0)
		return true;
	root_fixture_failed("vm2 vCPU %u: %s: x0 expected 0x0 got 0x%lx", i, what, got);
	return false;
}

bool vm2_start(const struct root_caps *rc, struct vm2 *vm, unsigned n, const struct vm2_opts *opts)
{
	unsigned i;

	memset(vm, 0, sizeof(*vm));
	vm->n = n;
	vm->vic = vic_make(rc, n, VM2_VIRQS, true);
	if (vm->vic == GH_CAP_INVALID)
		return false;
	for (i = 0; i < n; i++) {
		struct vm2_cpu *m = &vm2_cpus[i];
		struct vcpu2 *c;
		u64 t = vcpu_thread(rc, false);

		if (t == GH_CAP_INVALID)
			return false;
		vm->thread[i] = t;
		vm->cpu[i] = m;
		memset((void *)m, 0, sizeof(*m));
		m->use_wfi = opts->use_wfi;
		memcpy((void *)m->enable, opts->enable, sizeof(m->enable));
		memcpy((void *)m->oneshot, opts->oneshot, sizeof(m->oneshot));
		memcpy((void *)m->hold, opts->hold, sizeof(m->hold));
		if ((opts->priority != 0 &&
		     !vm2_step("vcpu_set_priority", i,
		               vc(GH_HVC_VCPU_SET_PRIORITY, t, opts->priority, 0, 0))) ||
		    !vm2_step("vic_attach_vcpu", i, vc(GH_HVC_VIC_ATTACH_VCPU, vm->vic, t, i, 0)) ||
		    !vm2_step("activate", i, vc(GH_HVC_OBJECT_ACTIVATE, t, 0, 0, 0)))
			return false;
		c = vcpu2_prepare(i, V2_CALL, (u64)(uintptr_t)m, i + 1);
		c->arg2 = (u64)(uintptr_t)vm2_run;
		dsb(sy);
		if (!vm2_step("vcpu_poweron", i,
		              vc(GH_HVC_VCPU_POWERON, t, (u64)(uintptr_t)vcpu2_entry,
		                 (u64)(uintptr_t)c, 0)))
			return false;
	}
	for (i = 0; i < n; i++) {
		const struct vcpu2 *c = vcpu2_block(i);

		if (!vm2_until_changed(&vm->cpu[i]->ready, 0) || c->faults != 0) {
			root_fixture_failed("vm2 vCPU %u never got its GIC set up (entries %lu, "
			                    "faults %lu, ESR 0x%lx ELR 0x%lx)",
			                    i, c->entries, c->faults, c->fault_esr, c->fault_elr);
			return false;
		}
	}
	return true;
}

u64 vm2_cmd(const struct vm2 *vm, unsigned i, enum vm2_op op, u64 a0, u64 a1)
{
	struct vm2_cpu *m = vm->cpu[i];
	u64 seq = m->seq + 1;

	m->op = op;
	m->a0 = a0;
	m->a1 = a1;
	dsb(sy);
	m->seq = seq;
	dsb(sy);
	if (!vm2_until_changed(&m->done, seq - 1) || m->done != seq) {
		const struct vcpu2 *c = vcpu2_block(i);

		test_fail("vm2 vCPU %u never ran command %u (faults %lu, ESR 0x%lx ELR 0x%lx)", i,
		          (unsigned)op, c->faults, c->fault_esr, c->fault_elr);
		return ~0ULL;
	}
	return m->ret;
}

void vm2_wait(const struct vm2 *vm, unsigned i, u64 intid, u64 times)
{
	u64 end = timer_now() + timer_freq() * IPC_IRQ_WAIT_MS / 1000;

	while (vm->cpu[i]->taken[intid] < times && timer_now() < end)
		vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_GENERIC, 0, 0, 0);
	/* Anything more it would take comes within a few more turns. */
	for (unsigned k = 0; k < 8; k++)
		vc(GH_HVC_SCHEDULER_YIELD, GH_VCPU_YIELD_HINT_GENERIC, 0, 0, 0);
}

bool vm2_expect(const char *what, const struct vm2 *vm, unsigned i, u64 intid, u64 times, u64 total)
{
	const struct vm2_cpu *m = vm->cpu[i];

	if (m->taken[intid] != times || m->total != total) {
		test_fail("%s: vm2 vCPU %u took INTID %lu %lu times (expected %lu), %lu interrupts "
		          "in all (expected %lu), the last INTID %lu",
		          what, i, intid, m->taken[intid], times, m->total, total, m->last);
		return false;
	}
	return true;
}
