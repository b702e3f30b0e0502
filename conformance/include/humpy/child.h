/* child: what the root guest and the child VM image share: the child's IPA layout, the shared page
 * through which it is told what to do and reports, and the isolation probe table (child/README.md).
 * Included by both images; neither includes anything of the other's code. */
#ifndef HUMPY_CHILD_H
#define HUMPY_CHILD_H

#include <humpy/types.h>

/*
 * The child's guest-physical layout (its address space, built by the root guest): its RAM (image,
 * data, stack) and one shared page, with unmapped gaps around each so the first byte past every
 * mapping can be probed. The image is linked at CHILD_RAM_IPA and entered there with x0 =
 * CHILD_SHARED_IPA, MMU off.
 */
#define CHILD_RAM_IPA     0xC0000000ULL
#define CHILD_RAM_SIZE    0x40000ULL /* 256 KiB */
#define CHILD_SHARED_IPA  0xC0100000ULL
#define CHILD_SHARED_SIZE 0x1000ULL
/* Where the root guest tries to map another VM's page into the child (it must be refused). */
#define CHILD_ALIAS_IPA 0xC0200000ULL

#define CHILD_MAGIC 0x44494b5950d0c0deULL

/* Where each probe's address comes from: filled in by the root guest, 0 = not available (SKIP). */
enum child_region {
	CR_NONE,         /* system register probes */
	CR_HYP,          /* /chosen humpy,hyp-memory: the hypervisor's first byte (its text) */
	CR_HYP_MID,      /* its middle (data, bss and the heap) */
	CR_HYP_TOP,      /* its last 16 bytes (the stacks sit at the top) */
	CR_PARENT_RAM,   /* the root VM's RAM (device tree memory node) */
	CR_PARENT_END,   /* one past it */
	CR_PARENT_DTB,   /* the root VM's device tree */
	CR_PARENT_IMAGE, /* the root VM's own code (its entry) */
	CR_ROOT_MEM,     /* a root-memory page given to no one */
	CR_OTHER_VM,     /* another VM's RAM (a second address space maps it at IPA = PA) */
	CR_ALIAS,        /* CHILD_ALIAS_IPA, where that VM's page was offered to the child too */
	CR_GICD,         /* the GIC distributor (the child has no virtual GIC) */
	CR_GICR,         /* CPU 0's redistributor; CPU n's is 0x20000 * n above */
	CR_ITS,          /* the ITS (QEMU virt: 512 KiB above the distributor) */
	CR_UART,         /* the PL011 (not granted to the child) */
	CR_GPIO,         /* the PL061 (not granted) */
	CR_CHILD_RAM,    /* the child's own RAM */
	CR_CHILD_END,    /* one past it */
	CR_SHARED,       /* the shared page */
	CR_SHARED_END,   /* one past it */
	CR_COUNT
};

/* 64-bit loads and stores for memory, 32-bit ones for device registers (GICv3, PL011, PL061 and
 * ITS registers are 32-bit: an emulation may refuse a 64-bit access and hide a leak). */
enum child_probe_kind { CP_READ, CP_WRITE, CP_READ32, CP_WRITE32, CP_EXEC, CP_SYSREG };

/* An MRS encoding (Arm ARM "System register access"): op0, op1, CRn, CRm, op2, into x0. */
#define CHILD_MRS(op0, op1, crn, crm, op2)                                                         \
	(0xD5300000U | ((u32)(op0)-2U) << 19 | (u32)(op1) << 16 | (u32)(crn) << 12 |               \
	 (u32)(crm) << 8 | (u32)(op2) << 5)

/*
 * The isolation probes, one line each: P(name, kind, region, offset or MRS encoding). Every one
 * must fault: an access gets the injected SEA (ESR 0x96000010 data, 0x86000010 instruction, FAR =
 * the address, ELR = the access), a system register read UNDEFINED (ESR 0x02000000); none may
 * return data. Test ids are child.<name>.
 */
#define CHILD_PROBES(P)                                                                            \
	P(hyp_image_read, CP_READ, CR_HYP, 0)                                                      \
	P(hyp_image_write, CP_WRITE, CR_HYP, 0)                                                    \
	P(hyp_image_exec, CP_EXEC, CR_HYP, 0)                                                      \
	P(hyp_heap_read, CP_READ, CR_HYP_MID, 0)                                                   \
	P(hyp_heap_write, CP_WRITE, CR_HYP_MID, 0)                                                 \
	P(hyp_stack_read, CP_READ, CR_HYP_TOP, 0)                                                  \
	P(hyp_stack_write, CP_WRITE, CR_HYP_TOP, 8)                                                \
	P(parent_ram_read, CP_READ, CR_PARENT_RAM, 0)                                              \
	P(parent_ram_write, CP_WRITE, CR_PARENT_RAM, 0)                                            \
	P(parent_dtb_read, CP_READ, CR_PARENT_DTB, 0)                                              \
	P(parent_image_read, CP_READ, CR_PARENT_IMAGE, 0)                                          \
	P(parent_image_exec, CP_EXEC, CR_PARENT_IMAGE, 0)                                          \
	P(parent_ram_last_read, CP_READ, CR_PARENT_END, -8)                                        \
	P(root_memory_read, CP_READ, CR_ROOT_MEM, 0)                                               \
	P(other_vm_read, CP_READ, CR_OTHER_VM, 0)                                                  \
	P(other_vm_write, CP_WRITE, CR_OTHER_VM, 0x800)                                            \
	P(other_vm_alias_read, CP_READ, CR_ALIAS, 0)                                               \
	P(gicd_ctlr_read, CP_READ32, CR_GICD, 0)                                                   \
	P(gicd_typer_read, CP_READ32, CR_GICD, 4)                                                  \
	P(gicd_isenabler_write, CP_WRITE32, CR_GICD, 0x104)                                        \
	P(gicr_own_read, CP_READ32, CR_GICR, 8)                                                    \
	P(gicr_cpu1_read, CP_READ32, CR_GICR, 0x20008)                                             \
	P(gicr_cpu2_write, CP_WRITE32, CR_GICR, 0x40014)                                           \
	P(gicr_cpu3_sgi_read, CP_READ32, CR_GICR, 0x70100)                                         \
	P(its_read, CP_READ32, CR_ITS, 0)                                                          \
	P(its_cbaser_write, CP_WRITE32, CR_ITS, 0x80)                                              \
	P(uart_flag_read, CP_READ32, CR_UART, 0x18)                                                \
	P(uart_data_write, CP_WRITE32, CR_UART, 0)                                                 \
	P(gpio_read, CP_READ32, CR_GPIO, 0x400)                                                    \
	P(child_ram_end_read, CP_READ, CR_CHILD_END, 0)                                            \
	P(child_ram_end_write, CP_WRITE, CR_CHILD_END, 0)                                          \
	P(child_ram_end_exec, CP_EXEC, CR_CHILD_END, 0)                                            \
	P(child_ram_before_read, CP_READ, CR_CHILD_RAM, -8)                                        \
	P(shared_end_read, CP_READ, CR_SHARED_END, 0)                                              \
	P(shared_before_write, CP_WRITE, CR_SHARED, -8)                                            \
	P(el2_hcr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 1, 1, 0))                              \
	P(el2_vttbr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 2, 1, 0))                            \
	P(el2_sctlr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 1, 0, 0))                            \
	P(el2_vbar_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 12, 0, 0))                            \
	P(el2_esr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 5, 2, 0))                              \
	P(el2_tpidr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 13, 0, 2))                           \
	P(el2_cnthctl_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 14, 1, 0))                         \
	P(el2_ich_hcr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 4, 12, 11, 0))                        \
	P(pmu_pmcr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 3, 9, 12, 0))                            \
	P(pmu_pmccntr_read, CP_SYSREG, CR_NONE, CHILD_MRS(3, 3, 9, 13, 0))                         \
	P(debug_mdscr_read, CP_SYSREG, CR_NONE, CHILD_MRS(2, 0, 0, 2, 2))                          \
	P(debug_dbgbvr0_read, CP_SYSREG, CR_NONE, CHILD_MRS(2, 0, 0, 0, 4))

#define CHILD_PROBE_ENUM(name, kind, region, arg) CHILD_PROBE_##name,
enum child_probe_id { CHILD_PROBES(CHILD_PROBE_ENUM) CHILD_N_PROBES };

struct child_probe_def {
	u32 kind;
	u32 region;
	u64 arg; /* the offset from the region (signed), or the MRS encoding */
};

/* What the child did with one probe. */
struct child_probe_rec {
	u64 ran;   /* 1 once tried; 0 when its region was not available */
	u64 taken; /* exceptions taken during the access (exactly 1 expected) */
	u64 esr;
	u64 far;
	u64 elr;
	u64 addr;  /* the address accessed (0 for a system register) */
	u64 insn;  /* the address of the accessing instruction (the expected ELR) */
	u64 value; /* what a read returned, if it did not fault */
};

/* Child states in the shared page, in order. */
#define CHILD_STATE_BOOTED   1
#define CHILD_STATE_PROBED   2
#define CHILD_STATE_EXCHANGE 3
#define CHILD_STATE_DONE     4
#define CHILD_STATE_WAIT_IRQ 5 /* CHILD_MODE_VGIC: its GIC is set up, it waits for the VIRQ */
#define CHILD_STATE_BAD      0xbad

/* What the child does: the probes and the exchange, or (with a VIC) take a VIRQ from the root VM.
 */
#define CHILD_MODE_ISOLATION 0
#define CHILD_MODE_VGIC      1

/* The cross-VM exchange: one message each way, a doorbell rung from the child. */
#define CHILD_MSG_SIZE     240
#define CHILD_MSG_SEED_P2C 0x5eed0001U
#define CHILD_MSG_SEED_C2P 0x5eed0002U
#define CHILD_DB_FLAGS     0x8000000000000005ULL

struct child_shared {
	/* Written by the root guest before power-on. */
	u64 magic;
	u64 mode;
	u64 db_virq; /* CHILD_MODE_VGIC: the VIRQ of the child's VIC the root VM's doorbell raises
	              */
	u64 vtimer_intid; /* CHILD_MODE_VGIC: the virtual timer's PPI (the root VM's DT), 0: none */
	u64 region[CR_COUNT];
	u64 self_cap; /* the child's own thread, in its cspace: vcpu_poweroff */
	u64 q_p2c;    /* receive cap of the root-to-child queue, GH_CAP_INVALID when not given */
	u64 q_c2p;    /* send cap of the child-to-root queue */
	u64 db_c2p;   /* send cap of the doorbell the root guest bound to its own VIC */
	u64 gicc;     /* GICv2: the CPU interface (its GIC then has no redistributor); 0: GICv3 */
	/* Written by the child. */
	u64 state;
	u64 stray_count; /* exceptions taken outside any probe */
	u64 stray_esr, stray_elr, stray_far;
	struct child_probe_rec probe[CHILD_N_PROBES];
	u64 recv_x0, recv_size, recv_not_empty, recv_bad_byte; /* ~0 when every byte was right */
	u64 send_x0, send_not_full;
	u64 db_x0, db_old_flags;
	u64 poweroff_x0; /* only seen if vcpu_poweroff returned */
	/* CHILD_MODE_VGIC: the first GIC access that faulted (its ESR and address; 0 = none), then
	 * the interrupts taken (count, the last INTID acknowledged). */
	u64 vgic_fault_esr, vgic_fault_addr;
	u64 irq_count, irq_intid;
	/* CHILD_MODE_VGIC, then its virtual timer: CNTV_CVAL as written and CNTV_CVAL/CTL as read
	 * back after yielding to the root VM; the expiry taken (count, the last INTID, CNTV_CTL in
	 * the handler's wake). vt_ran is 1 once the timer part ran. */
	u64 vt_ran, vt_cval_set, vt_cval_read, vt_ctl_read;
	u64 vt_irq_count, vt_irq_intid, vt_ctl_at_irq;
};

_Static_assert(sizeof(struct child_shared) <= CHILD_SHARED_SIZE, "shared page overflows");

/* The byte pattern of a message (both sides compute it). */
static inline u8 child_msg_byte(u32 seed, u64 i)
{
	u32 x = seed ^ (u32)(i * 0x9E3779B1U);

	x ^= x >> 15;
	x *= 0x2C1B3C6DU;
	x ^= x >> 12;
	return (u8)x;
}

#endif
