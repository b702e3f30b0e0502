/* vm2: a second VM of one or two vCPUs with a VIC of its own, for the tests that need an interrupt
 * taken by another VM than the root VM (README.md). Its vCPUs run the root guest's code in the
 * root VM's address space (humpy/vcpu.h, mode V2_CALL), but their GIC is their own VIC's. */
#ifndef VIC_VM2_H
#define VIC_VM2_H

#include <humpy/ipc.h>
#include <humpy/vcpu.h>

#define VM2_MAX_VCPUS   2
#define VM2_VIRQS       64  /* its VIC's shared VIRQs: INTIDs 32..95 */
#define VM2_INTIDS      128 /* INTIDs counted one by one (more go to `other`) */
#define VM2_GICR_STRIDE 0x20000ULL
/* GICv3 registers (architecture specification) the tests name. */
#define VM2_GICD_ISENABLER  0x0100
#define VM2_GICD_ICENABLER  0x0180
#define VM2_GICD_IROUTER    0x6000
#define VM2_GICR_TYPER      0x0008
#define VM2_GICR_ISENABLER0 (0x10000 + 0x0100)
#define VM2_GICR_ICENABLER0 (0x10000 + 0x0180)
#define VM2_GICR_ISPENDR0   (0x10000 + 0x0200)
/* ICC_SGI1R_EL1 fields: TargetList 15:0, Aff1 23:16, INTID 27:24, Aff2 39:32, IRM 40. */
#define VM2_SGI(intid, targets)   (((u64)(intid) << 24) | (u64)(targets))
#define VM2_SGI_ALL_OTHERS(intid) (((u64)(intid) << 24) | (1ULL << 40))

/* What the root VM asks one of its vCPUs to do (vm2_cmd). */
enum vm2_op {
	VM2_NOP,
	VM2_READ64,  /* ret = *(u64 *)a0 */
	VM2_READ32,  /* ret = *(u32 *)a0 */
	VM2_WRITE32, /* *(u32 *)a0 = a1 */
	VM2_SGI1R,   /* ICC_SGI1R_EL1 = a0 */
	VM2_TIMER,   /* its virtual timer a0 ticks ahead, enabled */
	VM2_MPIDR,   /* ret = MPIDR_EL1 */
	VM2_DB_SEND, /* ret = x0 of its own doorbell_send(a0, flags a1) (the root cspace is its) */
	VM2_PMR, /* ICC_PMR_EL1 (GICv2: GICC_PMR) = a0 (0: it takes nothing, 0xff: everything) */
	VM2_POWEROFF, /* its own vcpu_poweroff(a0 = its thread cap, flags 0); ret 0 (set first) */
};

/* One vCPU's mailbox, shared with it. */
struct vm2_cpu {
	volatile u64 ready; /* 1 once its GIC is set up */
	volatile u64 seq, done;
	volatile u64 op, a0, a1, ret;
	volatile u64 use_wfi; /* wait in WFI between interrupts (else scheduler_yield) */
	/* INTIDs it enables at its start, and those it disables (at the distributor or its own
	 * redistributor) once taken: a level source that stays raised is then taken once. Bit n of
	 * word n / 64. */
	volatile u64 enable[VM2_INTIDS / 64];
	volatile u64 oneshot[VM2_INTIDS / 64];
	/* INTIDs it acknowledges and never ends (no ICC_EOIR1_EL1): they stay active in its GIC. */
	volatile u64 hold[VM2_INTIDS / 64];
	/* Interrupts it acknowledged (ICC_IAR1_EL1), per INTID; all of them; the last. */
	volatile u64 taken[VM2_INTIDS];
	volatile u64 total, last;
};

/* Why the second VM cannot run here (a GICv2 machine: its vCPUs use the GICv3 CPU interface and
 * redistributor frames; no vCPU calls), or NULL. */
const char *vm2_missing(void);
/* The same for a test that uses only what both GIC versions have (vm2_start, the GICD registers
 * they share, VM2_PMR, VM2_DB_SEND, VM2_POWEROFF: on GICv2 the vCPUs take interrupts through the
 * GICC their VM's DT names, and enable SGIs/PPIs in the banked distributor word 0). */
const char *vm2_missing_any_gic(void);

struct vm2 {
	u64 vic;
	u64 thread[VM2_MAX_VCPUS];
	unsigned n;
	struct vm2_cpu *cpu[VM2_MAX_VCPUS];
};

/* How vm2_start makes the VM: every vCPU of `priority` (0: the default), waiting in WFI between
 * interrupts (use_wfi) or yielding, with the INTIDs of `enable` enabled (SPIs at the distributor,
 * SGIs and PPIs at its own redistributor) and those of `oneshot` disabled once taken. */
struct vm2_opts {
	u64 priority;
	bool use_wfi;
	u64 enable[VM2_INTIDS / 64];
	u64 oneshot[VM2_INTIDS / 64];
	u64 hold[VM2_INTIDS / 64]; /* taken and never ended (its running priority stays there) */
};
static inline void vm2_mask_set(u64 *mask, u64 intid)
{
	mask[intid / 64] |= 1ULL << (intid % 64);
}

/*
 * A VIC (n vCPUs, VM2_VIRQS) and n threads attached to it as vCPUs 0..n-1, powered on and set up
 * (GICD_CTLR ARE | EnableGrp1, their own GICR_WAKER, PMR, IGRPEN1, the INTIDs of opts->enable).
 * False (FAIL or ERROR) if a step failed.
 */
bool vm2_start(const struct root_caps *rc, struct vm2 *vm, unsigned n, const struct vm2_opts *opts);
/* Has vCPU i run `op` and returns its ret (yielding to it meanwhile); FAILs if it never ran. */
u64 vm2_cmd(const struct vm2 *vm, unsigned i, enum vm2_op op, u64 a0, u64 a1);
/* Yields (at most ~200 times, 50 ms) until vCPU i took `intid` `times` times. */
void vm2_wait(const struct vm2 *vm, unsigned i, u64 intid, u64 times);
/* vCPU i took exactly `times` of `intid` and `total` interrupts in all; FAILs naming `what`. */
bool vm2_expect(const char *what, const struct vm2 *vm, unsigned i, u64 intid, u64 times,
                u64 total);

#endif
