/* The child VM: runs the isolation probes of humpy/child.h, then its half of the cross-VM exchange,
 * and reports everything in the shared page (child/README.md). No console: the root guest reads
 * the page and turns each record into a test result. */
#include <gunyah_spec.h>
#include <humpy/child.h>

void child_main(u64 shared_ipa);
void child_stray(u64 esr, u64 elr, u64 far);
u64 child_read64(u64 addr);
void child_write64(u64 addr, u64 value);
u32 child_read32(u64 addr);
void child_write32(u64 addr, u32 value);
void child_exec(u64 addr);

/* start.S: the last synchronous exception (count, ESR, FAR, ELR) and the execute-probe flag. */
extern volatile u64 child_exc[4];
extern volatile u64 child_exec_active;
/* start.S: interrupts taken (count, the last INTID). */
extern volatile u64 child_irq_rec[2];

static struct child_shared *sh;

#define PROBE_DEF(name, kind, region, arg) {kind, region, (u64)(arg)},
static const struct child_probe_def child_probe_defs[CHILD_N_PROBES] = {CHILD_PROBES(PROBE_DEF)};

/* A native hypercall (hvc #0x6000 + call) with up to four inputs; x0..x3 back. */
struct child_ret {
	u64 x[4];
};
/* Inputs past a3 are zero: every call's res0 inputs must be (reference section 1a). */
#define CHILD_HVC(out, call, a0, a1, a2, a3)                                                       \
	do {                                                                                       \
		register u64 r0_ __asm__("x0") = (a0);                                             \
		register u64 r1_ __asm__("x1") = (a1);                                             \
		register u64 r2_ __asm__("x2") = (a2);                                             \
		register u64 r3_ __asm__("x3") = (a3);                                             \
		register u64 r4_ __asm__("x4") = 0;                                                \
		register u64 r5_ __asm__("x5") = 0;                                                \
		register u64 r6_ __asm__("x6") = 0;                                                \
		register u64 r7_ __asm__("x7") = 0;                                                \
		__asm__ volatile("hvc %[imm]"                                                      \
		                 : "+r"(r0_), "+r"(r1_), "+r"(r2_), "+r"(r3_), "+r"(r4_),          \
		                   "+r"(r5_), "+r"(r6_), "+r"(r7_)                                 \
		                 : [imm] "i"(GH_HVC_NATIVE_BASE + (call))                          \
		                 : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",    \
		                   "x17", "memory");                                               \
		(out).x[0] = r0_;                                                                  \
		(out).x[1] = r1_;                                                                  \
		(out).x[2] = r2_;                                                                  \
		(out).x[3] = r3_;                                                                  \
	} while (0)

/* Write the shared page back to memory: the root guest reads it uncached. */
static void child_publish(void)
{
	for (u64 a = CHILD_SHARED_IPA; a < CHILD_SHARED_IPA + CHILD_SHARED_SIZE; a += 64)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

void child_stray(u64 esr, u64 elr, u64 far)
{
	if (sh != NULL) {
		sh->stray_count++;
		sh->stray_esr = esr;
		sh->stray_elr = elr;
		sh->stray_far = far;
		sh->state = CHILD_STATE_BAD;
		child_publish();
	}
}

/* `mrs x0, <enc>; ret`, written per probe and run from here (the child's RAM is executable). */
static u32 child_sysreg_stub[2] __attribute__((aligned(64)));
#define INSN_RET 0xD65F03C0U

static void child_run_probe(const struct child_probe_def *d, struct child_probe_rec *rec)
{
	u64 addr = 0, insn = 0, value = 0;

	if (d->kind != CP_SYSREG) {
		if (d->region >= CR_COUNT || sh->region[d->region] == 0)
			return;
		addr = sh->region[d->region] + d->arg;
	}
	child_exc[0] = 0;
	child_exc[1] = child_exc[2] = child_exc[3] = 0;
	__asm__ volatile("dsb sy; isb" ::: "memory");
	switch (d->kind) {
	case CP_READ:
		insn = (u64)(uintptr_t)child_read64;
		value = child_read64(addr);
		break;
	case CP_WRITE:
		insn = (u64)(uintptr_t)child_write64;
		child_write64(addr, 0xC41D0000C41D0000ULL);
		break;
	case CP_READ32:
		insn = (u64)(uintptr_t)child_read32;
		value = child_read32(addr);
		break;
	case CP_WRITE32:
		insn = (u64)(uintptr_t)child_write32;
		child_write32(addr, 0xC41D0000U);
		break;
	case CP_EXEC:
		insn = addr;
		child_exec_active = 1;
		child_exec(addr);
		child_exec_active = 0;
		break;
	default:
		child_sysreg_stub[0] = (u32)d->arg;
		child_sysreg_stub[1] = INSN_RET;
		__asm__ volatile(
		    "dc cvau, %0; dsb ish; ic iallu; dsb ish; isb" ::"r"(child_sysreg_stub)
		    : "memory");
		insn = (u64)(uintptr_t)child_sysreg_stub;
		value = ((u64(*)(void))(uintptr_t)child_sysreg_stub)();
		break;
	}
	rec->ran = 1;
	rec->taken = child_exc[0];
	rec->esr = child_exc[1];
	rec->far = child_exc[2];
	rec->elr = child_exc[3];
	rec->addr = addr;
	rec->insn = insn;
	rec->value = rec->taken ? 0 : value;
}

/* The child's half of the exchange: receive, check and answer; ring the root guest's doorbell. */
static u8 child_buf[CHILD_MSG_SIZE + 16] __attribute__((aligned(16)));

static void child_exchange(void)
{
	struct child_ret r;
	u64 i;

	sh->recv_bad_byte = ~0ULL;
	if (sh->q_p2c != GH_CAP_INVALID) {
		for (i = 0; i < sizeof(child_buf); i++)
			child_buf[i] = 0xee;
		/* cppcheck-suppress constStatement ; it cannot see into the asm */
		CHILD_HVC(r, GH_HVC_MSGQUEUE_RECEIVE, sh->q_p2c, (u64)(uintptr_t)child_buf,
		          sizeof(child_buf), 0);
		sh->recv_x0 = r.x[0];
		sh->recv_size = r.x[1];
		sh->recv_not_empty = r.x[2];
		for (i = 0; i < sizeof(child_buf); i++) {
			u8 want = i < CHILD_MSG_SIZE ? child_msg_byte(CHILD_MSG_SEED_P2C, i) : 0xee;

			if (child_buf[i] != want) {
				sh->recv_bad_byte = i;
				break;
			}
		}
	}
	if (sh->q_c2p != GH_CAP_INVALID) {
		for (i = 0; i < CHILD_MSG_SIZE; i++)
			child_buf[i] = child_msg_byte(CHILD_MSG_SEED_C2P, i);
		/* cppcheck-suppress constStatement ; it cannot see into the asm */
		CHILD_HVC(r, GH_HVC_MSGQUEUE_SEND, sh->q_c2p, CHILD_MSG_SIZE,
		          (u64)(uintptr_t)child_buf, 0);
		sh->send_x0 = r.x[0];
		sh->send_not_full = r.x[1];
	}
	if (sh->db_c2p != GH_CAP_INVALID) {
		/* cppcheck-suppress constStatement ; it cannot see into the asm */
		CHILD_HVC(r, GH_HVC_DOORBELL_SEND, sh->db_c2p, CHILD_DB_FLAGS, 0, 0);
		sh->db_x0 = r.x[0];
		sh->db_old_flags = r.x[1];
	}
}

/*
 * GICv3 registers the child programs to take one SPI (Arm GICv3 architecture specification): the
 * distributor's control, group, priority, routing and enable registers, its redistributor's wake
 * register, the CPU interface through ICC_* (encodings: ICC_SRE_EL1 S3_0_C12_C12_5, ICC_PMR_EL1
 * S3_0_C4_C6_0, ICC_IGRPEN1_EL1 S3_0_C12_C12_7).
 */
#define GICD_CTLR_ARE_GRP1_GRP0 0x13U
#define GICD_IGROUPR            0x80
#define GICD_ISENABLER          0x100
#define GICD_ICENABLER          0x180
#define GICD_IPRIORITYR         0x400
#define GICD_IROUTER            0x6000
#define GICR_WAKER              0x14
/* GICv2 (the root VM's DT names one): ITARGETSR instead of IROUTER, the banked SGI/PPI enables
 * in the distributor, the CPU interface memory-mapped (GICC: PMR 0x4, CTLR 0x0 with EnableGrp0,
 * EnableGrp1 and AckCtl). */
#define GICD_CTLR_V2_EN         0x3U
#define GICD_ITARGETSR          0x800
#define GICC_CTLR               0x0
#define GICC_PMR                0x4
#define GICC_CTLR_EN            0x7U
#define CHILD_IRQ_PRIO          0xa0U
#define CHILD_IRQ_WAIT_TICKS_MS 200

/* A GIC access that may fault: false (the first fault's ESR and address kept) if it did. */
static bool child_gic_ok(u64 addr)
{
	if (child_exc[0] == 0)
		return true;
	if (sh->vgic_fault_esr == 0) {
		sh->vgic_fault_esr = child_exc[1];
		sh->vgic_fault_addr = addr;
	}
	return false;
}

static bool child_gic_w32(u64 addr, u32 v)
{
	child_exc[0] = 0;
	child_write32(addr, v);
	return child_gic_ok(addr);
}

static bool child_gic_rmw32(u64 addr, u32 clear, u32 set)
{
	u32 v;

	child_exc[0] = 0;
	v = child_read32(addr);
	if (!child_gic_ok(addr))
		return false;
	return child_gic_w32(addr, (v & ~clear) | set);
}

/* The child's CPU interface on GICv2 (start.S's IRQ handler reads it); 0 on GICv3. */
extern u64 child_gicc;
u64 child_gicc;

/* GICv2: db_virq to CPU interface 0 (the child's one vCPU), group 1, enabled; GICC open. */
static bool child_vgic_v2(u64 d, u64 v, u32 shift)
{
	return child_gic_w32(d, GICD_CTLR_V2_EN) &&
	       child_gic_rmw32(d + GICD_IGROUPR + 4 * (v / 32), 0, 1U << (v % 32)) &&
	       child_gic_rmw32(d + GICD_IPRIORITYR + (v & ~3ULL), 0xffU << shift,
	                       CHILD_IRQ_PRIO << shift) &&
	       child_gic_rmw32(d + GICD_ITARGETSR + (v & ~3ULL), 0xffU << shift, 1U << shift) &&
	       child_gic_w32(d + GICD_ISENABLER + 4 * (v / 32), 1U << (v % 32)) &&
	       child_gic_w32(sh->gicc + GICC_PMR, 0xff) &&
	       child_gic_w32(sh->gicc + GICC_CTLR, GICC_CTLR_EN);
}

/* CHILD_MODE_VGIC: set up the GIC for db_virq, say so, and wait (yielding) for the interrupt. */
static void child_vgic(void)
{
	u64 d = sh->region[CR_GICD], gicr = sh->region[CR_GICR], v = sh->db_virq, end, freq;
	struct child_ret y = {{0}};
	u32 shift = (u32)(v % 4) * 8;

	child_exc[0] = 0;
	(void)child_read32(d);
	if (!child_gic_ok(d))
		return;
	child_gicc = sh->gicc;
	if (sh->gicc != 0 && !child_vgic_v2(d, v, shift))
		return;
	if (sh->gicc == 0 &&
	    (!child_gic_w32(d, GICD_CTLR_ARE_GRP1_GRP0) || !child_gic_w32(gicr + GICR_WAKER, 0) ||
	     !child_gic_rmw32(d + GICD_IGROUPR + 4 * (v / 32), 0, 1U << (v % 32)) ||
	     !child_gic_rmw32(d + GICD_IPRIORITYR + (v & ~3ULL), 0xffU << shift,
	                      CHILD_IRQ_PRIO << shift) ||
	     !child_gic_w32(d + GICD_IROUTER + 8 * v, 0) ||
	     !child_gic_w32(d + GICD_IROUTER + 8 * v + 4, 0) ||
	     !child_gic_w32(d + GICD_ISENABLER + 4 * (v / 32), 1U << (v % 32))))
		return;
	if (sh->gicc == 0)
		__asm__ volatile(
		    "msr S3_0_C12_C12_5, %0; isb; msr S3_0_C4_C6_0, %1; msr S3_0_C12_C12_7, %2; "
		    "isb" ::"r"(7UL),
		    "r"(0xffUL), "r"(1UL)
		    : "memory");
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(end));
	end += freq / 1000 * CHILD_IRQ_WAIT_TICKS_MS;
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	sh->state = CHILD_STATE_WAIT_IRQ;
	child_publish();
	for (;;) {
		u64 now;

		CHILD_HVC(y, GH_HVC_SCHEDULER_YIELD, 0, 0, 0, 0);
		(void)y;
		__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
		if (child_irq_rec[0] != 0 || now >= end)
			break;
	}
	__asm__ volatile("msr daifset, #2" ::: "memory");
	sh->irq_count = child_irq_rec[0];
	sh->irq_intid = child_irq_rec[1];
}

/*
 * CHILD_MODE_VGIC, after the VIRQ: the child's own virtual timer (Arm ARM CNTV_CTL_EL0: ENABLE bit
 * 0, IMASK 1, ISTATUS 2), its PPI enabled at the redistributor (GICR_ISENABLER0 in the SGI frame).
 * First CNTV_CVAL/CTL set far ahead must read back unchanged after the root VM ran in between
 * (yields); then an expiry 1 ms ahead must arrive as that PPI. Last, the timer is left expired
 * and enabled with IRQs masked, so the vCPU powers off with its PPI injected and not taken: what
 * the hypervisor must clean up for the root VM's own timer (the same PPI) to fire again.
 */
#define GICR_ISENABLER0  (0x10000 + 0x100)
#define CNTV_ENABLE      1UL
#define CHILD_VT_FAR_S   10
#define CHILD_VT_SOON_MS 1
#define CHILD_VT_WAIT_MS 200
#define CHILD_VT_YIELDS  4

static u64 child_now(void)
{
	u64 t;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
	return t;
}

static void child_yield(void)
{
	struct child_ret y;

	/* cppcheck-suppress constStatement ; it cannot see into the asm */
	CHILD_HVC(y, GH_HVC_SCHEDULER_YIELD, 0, 0, 0, 0);
	(void)y;
}

static void child_vtimer(void)
{
	u64 freq, cval, end, v;
	unsigned i;

	/* The doorbell's VIRQ stays raised (its flags are never received here): disabled first,
	 * so the only interrupt left to take is the timer's. */
	if (sh->vtimer_intid < 16 || sh->vtimer_intid > 31 ||
	    !child_gic_w32(sh->region[CR_GICD] + GICD_ICENABLER + 4 * (sh->db_virq / 32),
	                   1U << (sh->db_virq % 32)) ||
	    !child_gic_w32(sh->gicc != 0 ? sh->region[CR_GICD] + GICD_ISENABLER
	                                 : sh->region[CR_GICR] + GICR_ISENABLER0,
	                   1U << sh->vtimer_intid))
		return;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	sh->vt_ran = 1;
	cval = child_now() + freq * CHILD_VT_FAR_S;
	sh->vt_cval_set = cval;
	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(cval),
	                 "r"(CNTV_ENABLE)
	                 : "memory");
	for (i = 0; i < CHILD_VT_YIELDS; i++)
		child_yield();
	__asm__ volatile("isb; mrs %0, cntv_cval_el0" : "=r"(v));
	sh->vt_cval_read = v;
	__asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v));
	sh->vt_ctl_read = v;

	child_irq_rec[0] = 0;
	child_irq_rec[1] = 0;
	end = child_now() + freq / 1000 * CHILD_VT_WAIT_MS;
	cval = child_now() + freq / 1000 * CHILD_VT_SOON_MS;
	__asm__ volatile("msr cntv_cval_el0, %0; isb; msr daifclr, #2" ::"r"(cval) : "memory");
	while (child_irq_rec[0] == 0 && child_now() < end)
		child_yield();
	__asm__ volatile("msr daifset, #2; isb; mrs %0, cntv_ctl_el0" : "=r"(v) : : "memory");
	sh->vt_ctl_at_irq = v;
	sh->vt_irq_count = child_irq_rec[0];
	sh->vt_irq_intid = child_irq_rec[1];
	/* Still expired and enabled: the PPI fires again and is injected, never taken. */
	for (end = child_now() + freq / 1000; child_now() < end;)
		;
}

void child_main(u64 shared_ipa)
{
	unsigned i;
	struct child_ret r;

	if (shared_ipa != CHILD_SHARED_IPA)
		return; /* nowhere to report: the root guest sees no state and says so */
	sh = (struct child_shared *)(uintptr_t)shared_ipa;
	if (sh->magic != CHILD_MAGIC) {
		sh->state = CHILD_STATE_BAD;
		child_publish();
		return;
	}
	sh->state = CHILD_STATE_BOOTED;
	if (sh->mode == CHILD_MODE_VGIC) {
		child_vgic();
		if (sh->vgic_fault_esr == 0)
			child_vtimer();
	} else {
		for (i = 0; i < CHILD_N_PROBES; i++)
			child_run_probe(&child_probe_defs[i], &sh->probe[i]);
		sh->state = CHILD_STATE_PROBED;
		child_exchange();
	}
	sh->state = CHILD_STATE_DONE;
	child_publish();
	/* The last vCPU of its VM: flags bit 0 (last_vcpu) set (reference section 2). */
	/* cppcheck-suppress constStatement ; it cannot see into the asm */
	CHILD_HVC(r, GH_HVC_VCPU_POWEROFF, sh->self_cap, 1, 0, 0);
	sh->poweroff_x0 = r.x[0];
	child_publish();
	for (;;)
		/* cppcheck-suppress constStatement ; it cannot see into the asm */
		CHILD_HVC(r, GH_HVC_SCHEDULER_YIELD, 0, 0, 0, 0);
}
