/*
 * ops: what one 16-byte operation of a system-fuzzing input does at EL1, and the checks that turn
 * a wrong answer of the hypervisor into a finding. Byte 0 picks the operation, byte 1 its variant,
 * bytes 2..7 pick six argument values from a small pool (low nibble) and bytes 8..13 parameterise
 * them; bytes 14..15 are extra immediates. Every operation that may fault runs with the exception
 * expectation armed (humpy/exc.h), so a fault is recorded and checked, never fatal.
 */
#include <humpy/arch.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/hvc.h>
#include <humpy/libc.h>
#include <humpy/plat.h>
#include <humpy/regrules.h>
#include <humpy/spec.h>

#include "ops.h"

#define SYSFUZZ_MAX_CAPS  8u
#define SYSFUZZ_EC_DABT   0x25u /* data abort from the current EL: what an injected abort says */
#define SYSFUZZ_UNMAPPED  0x0A000000ull /* virt's virtio-mmio window: not in the VM's stage 2 */
#define SYSFUZZ_HYP_RAM   0x80000000ull /* the hypervisor's own RAM: outside the VM's IPA space */
#define SYSFUZZ_GICD_SIZE 0x10000ull
#define SYSFUZZ_GICR_SIZE 0x20000ull /* RD_base + SGI_base of the one vCPU */
#define SYSFUZZ_GICR_RAZ_FIRST                                                                     \
	0x10420ull /* SGI_base + 0x420: first reserved byte after IPRIORITYR7 */
#define SYSFUZZ_GICR_RAZ_END    0x10800ull
#define SYSFUZZ_PSCI_MASK       0xBFFFFF00ull /* SMC32 and SMC64 PSCI function IDs alike */
#define SYSFUZZ_PSCI_BASE       0x84000000ull
#define SYSFUZZ_DRAIN_MAX       64u /* interrupts acknowledged at most after one input */
#define SYSFUZZ_GICD_CTLR       0x0000u
#define SYSFUZZ_GICD_CTLR_G1    (1u << 1)
#define SYSFUZZ_GICD_CTLR_ARE   (1u << 4)
#define SYSFUZZ_GICR_ISENABLER0 0x10100u /* SGI_base + 0x100 */
#define SYSFUZZ_TIMER_SOON      64u      /* counter ticks before the timer fires in op 13/9 */
#define SYSFUZZ_SPIN_MIN        (1u << 20) /* iterations: ms under TCG, a loaded host's timer latency */
#define SYSFUZZ_CPACR_ZEN       (3ull << 16) /* SVE not trapped at EL1 */

/* Generated code: one instruction then "b gh_call_tail", run through gh_call_raw. */
static u32 sysfuzz_code[16] __attribute__((aligned(64)));
static u8 sysfuzz_buf[4096] __attribute__((aligned(4096)));

static struct {
	u64 partition, cspace;
	u64 caps[SYSFUZZ_MAX_CAPS]; /* caps this input created, oldest first */
	unsigned n_caps;
	u64 pmr, igrpen1; /* the CPU interface as booted */
	const u8 *o;      /* the operation being run */
	char *why;
	u32 why_len;
	bool failed;
} s;

extern const char sysfuzz_ld8_insn[], sysfuzz_ld16_insn[], sysfuzz_ld32_insn[], sysfuzz_ld64_insn[],
    sysfuzz_st8_insn[], sysfuzz_st16_insn[], sysfuzz_st32_insn[], sysfuzz_st64_insn[],
    sysfuzz_ldzr32_insn[], sysfuzz_stzr32_insn[], sysfuzz_ldp32_insn[], sysfuzz_stp32_insn[],
    sysfuzz_ldpost32_insn[];
u64 sysfuzz_ld8(u64 addr);
u64 sysfuzz_ld16(u64 addr);
u64 sysfuzz_ld32(u64 addr);
u64 sysfuzz_ld64(u64 addr);
void sysfuzz_st8(u64 addr, u64 v);
void sysfuzz_st16(u64 addr, u64 v);
void sysfuzz_st32(u64 addr, u64 v);
void sysfuzz_st64(u64 addr, u64 v);
void sysfuzz_ldzr32(u64 addr);
void sysfuzz_stzr32(u64 addr);
void sysfuzz_ldp32(u64 addr);
void sysfuzz_stp32(u64 addr, u64 v);
void sysfuzz_ldpost32(u64 addr);
u64 sysfuzz_reg_spin(u64 iterations, u64 ticks);

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (s.failed)
		return;
	s.failed = true;
	va_start(ap, fmt);
	vsnprintf(s.why, s.why_len, fmt, ap);
	va_end(ap);
}

/*
 * The vGIC as an OS leaves it: group 1 on at the distributor, the virtual timer's PPI enabled at
 * the redistributor. Only then does the hypervisor enable the physical PPI, so only then can a
 * timer interrupt exit to EL2 while the guest runs. Redone after every input (the input may undo
 * it).
 */
static void vgic_setup(void)
{
	/* The virtual CPU interface passes every priority of group 1: a listed IRQ shows in ISR_EL1
	 * (taken never: PSTATE.I stays set). */
	sysreg_write(S3_0_C4_C6_0, 0xFF); /* ICC_PMR_EL1 */
	sysreg_write(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	isb();
	mmio_write32(plat.gicd + SYSFUZZ_GICD_CTLR, SYSFUZZ_GICD_CTLR_G1 | SYSFUZZ_GICD_CTLR_ARE);
	mmio_write32(plat.gicr + SYSFUZZ_GICR_ISENABLER0, 1u << plat.vtimer_intid);
}

void sysfuzz_ops_init(u64 partition, u64 cspace)
{
	vgic_setup();
	s.partition = partition;
	s.cspace = cspace;
	s.pmr = sysreg_read(S3_0_C4_C6_0);       /* ICC_PMR_EL1 */
	s.igrpen1 = sysreg_read(S3_0_C12_C12_7); /* ICC_IGRPEN1_EL1 */
}

/* Argument i of the operation: one of sixteen kinds of value, parameterised by byte 8 + i. */
static u64 pool(unsigned i)
{
	u8 sel = s.o[2 + i], raw = s.o[8 + i];

	switch (sel & 15) {
	case 0:
		return 0;
	case 1:
		return raw;
	case 2:
		return ~0ull;
	case 3:
		return s.partition;
	case 4:
		return s.cspace;
	case 5:
		return s.n_caps ? s.caps[raw % s.n_caps] : GH_CAP_INVALID;
	case 6:
		return s.n_caps ? s.caps[s.n_caps - 1] : GH_CAP_INVALID;
	case 7:
		return (u64)(uintptr_t)sysfuzz_buf + (u64)raw * 8;
	case 8:
		return SYSFUZZ_UNMAPPED + (u64)raw * 16;
	case 9:
		return plat.gicd + (u64)raw * 4;
	case 10:
		return 0x1000ull << (raw % 32);
	case 11:
		return 1ull << (raw % 64);
	case 12:
		return SYSFUZZ_HYP_RAM + (u64)raw * 0x100;
	case 13:
		return 32u + raw; /* a VIRQ number */
	case 14:
		return (u64)(sel >> 4) << 60 | (u64)raw << 32 | raw;
	default:
		return 0xFFFFFFFFull - raw;
	}
}

/* PSCI would power the machine off or stop the vCPU: never asked for, whatever the input. */
static u64 no_psci(u64 x0)
{
	return (x0 & SYSFUZZ_PSCI_MASK) == SYSFUZZ_PSCI_BASE ? SYSFUZZ_PSCI_BASE : x0;
}

static const void *stub_with(u32 insn)
{
	const u32 *nop_b = (const u32 *)(const void *)(gh_stub_nop + 4);
	s64 imm26 = (s64)((u64)(*nop_b & 0x3FFFFFFu) << 38) >> 38;
	u64 tail = (u64)(uintptr_t)nop_b + (u64)(imm26 * 4);
	s64 rel = (s64)(tail - (u64)(uintptr_t)&sysfuzz_code[1]) / 4;

	sysfuzz_code[0] = insn;
	sysfuzz_code[1] = 0x14000000u | ((u32)rel & 0x3FFFFFFu);
	__asm__ volatile("dc cvau, %0\n dsb ish\n ic ivau, %0\n dsb ish\n isb" ::"r"(sysfuzz_code)
	                 : "memory");
	return sysfuzz_code;
}

static bool is_abi_error(s64 e)
{
	static const s64 known[] = {
	    GH_ERROR_OK,
	    GH_ERROR_UNIMPLEMENTED,
	    GH_ERROR_RETRY,
	    GH_ERROR_ARGUMENT_INVALID,
	    GH_ERROR_ARGUMENT_SIZE,
	    GH_ERROR_ARGUMENT_ALIGNMENT,
	    GH_ERROR_NOMEM,
	    GH_ERROR_NORESOURCES,
	    GH_ERROR_ADDR_OVERFLOW,
	    GH_ERROR_ADDR_UNDERFLOW,
	    GH_ERROR_ADDR_INVALID,
	    GH_ERROR_DENIED,
	    GH_ERROR_BUSY,
	    GH_ERROR_IDLE,
	    GH_ERROR_OBJECT_STATE,
	    GH_ERROR_OBJECT_CONFIG,
	    GH_ERROR_OBJECT_CONFIGURED,
	    GH_ERROR_FAILURE,
	    GH_ERROR_VIRQ_BOUND,
	    GH_ERROR_VIRQ_NOT_BOUND,
	    GH_ERROR_CSPACE_CAP_NULL,
	    GH_ERROR_CSPACE_CAP_REVOKED,
	    GH_ERROR_CSPACE_WRONG_OBJECT_TYPE,
	    GH_ERROR_CSPACE_INSUFFICIENT_RIGHTS,
	    GH_ERROR_CSPACE_FULL,
	    GH_ERROR_MSGQUEUE_EMPTY,
	    GH_ERROR_MSGQUEUE_FULL,
	    GH_ERROR_ALLOCATOR_RANGE_OVERLAPPING,
	    GH_ERROR_ALLOCATOR_MEM_INUSE,
	    GH_ERROR_MEMDB_EMPTY,
	    GH_ERROR_MEMDB_NOT_OWNER,
	    GH_ERROR_MEMEXTENT_MAPPINGS_FULL,
	    GH_ERROR_MEMEXTENT_TYPE,
	    GH_ERROR_EXISTING_MAPPING,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(known); i++) {
		if (known[i] == e)
			return true;
	}
	return false;
}

static void cap_delete(u64 cap)
{
	const u64 args[8] = {s.cspace, cap};
	struct gh_capture cap_;

	gh_native_capture(GH_HVC_CSPACE_DELETE_CAP_FROM, args, &cap_);
}

static bool creates_cap(u32 call)
{
	return (call >= GH_HVC_PARTITION_CREATE_PARTITION &&
	        call <= GH_HVC_PARTITION_CREATE_VPM_GROUP) ||
	       call == GH_HVC_PARTITION_CREATE_VIRTIO_MMIO || call == GH_HVC_CSPACE_COPY_CAP_FROM;
}

static void cap_keep(u64 cap)
{
	if (s.n_caps == SYSFUZZ_MAX_CAPS) {
		cap_delete(s.caps[0]);
		memmove(&s.caps[0], &s.caps[1], sizeof(s.caps[0]) * (SYSFUZZ_MAX_CAPS - 1));
		s.n_caps--;
	}
	s.caps[s.n_caps++] = cap;
}

/* After a call of the spec: error code in the ABI's set, registers by the ABI's rules. */
static void check_call(enum gh_path path, u32 call, const struct gh_capture *c)
{
	const struct spec_call *sc = spec_call_find(call);
	char why[120];

	if (sc == NULL)
		return;
	if (call == GH_HVC_HYPERVISOR_IDENTIFY) {
		if (c->out.x[0] != GH_API_INFO_EXPECTED)
			fail("identify: api_info 0x%lx, expected 0x%lx", c->out.x[0],
			     (u64)GH_API_INFO_EXPECTED);
	} else if (!is_abi_error((s64)c->out.x[0])) {
		fail("%s 0x%x (%s): x0 0x%lx is no error code of the ABI",
		     path == GH_PATH_NATIVE ? "native" : "SMCCC", call, sc->name, c->out.x[0]);
	}
	if (!gh_regs_ok(path, c->in, &c->out, c->stub, sc->n_outputs, why, sizeof(why)))
		fail("%s 0x%x (%s): %s", path == GH_PATH_NATIVE ? "native" : "SMCCC", call,
		     sc->name, why);
	if (c->out.x[0] == 0 && creates_cap(call))
		cap_keep(c->out.x[1]);
}

static void op_native(void)
{
	u32 call = s.o[1] % (GH_HVC_MAX + 8);
	u64 args[8] = {0};
	struct gh_capture c;

	for (unsigned i = 0; i < 6; i++)
		args[i] = pool(i);
	args[0] = no_psci(args[0]);
	gh_native_capture(call, args, &c);
	check_call(GH_PATH_NATIVE, call, &c);
}

static void op_smccc(void)
{
	u32 call = s.o[1] % (GH_HVC_MAX + 8);
	u64 args[7] = {0};
	struct gh_capture c;

	for (unsigned i = 0; i < 6; i++)
		args[i] = pool(i);
	gh_smccc_capture(GH_SMCCC_HVC_BASE + call, args, &c);
	check_call(GH_PATH_SMCCC, call, &c);
}

/* hvc or smc with any immediate (byte 14, 15): what the trap decoder makes of it. */
static void op_imm(bool is_smc)
{
	u32 imm = (u32)s.o[14] | (u32)s.o[15] << 8;
	u64 args[8] = {0};
	struct gh_capture c;
	struct exc_record r;

	for (unsigned i = 0; i < 6; i++)
		args[i] = pool(i);
	args[0] = no_psci(args[0]);
	c.stub = stub_with((is_smc ? 0xD4000003u : 0xD4000002u) | imm << 5);
	gh_fill_in(c.in, args);
	exc_expect_begin();
	gh_call_raw(c.in, &c.out, c.stub);
	r = exc_expect_end();
	if (r.taken && (ESR_EC(r.esr) != ESR_EC_UNKNOWN || r.elr != (u64)(uintptr_t)c.stub))
		fail("%s #0x%x: exception ESR 0x%lx ELR 0x%lx (expected Unknown reason at 0x%lx)",
		     is_smc ? "smc" : "hvc", imm, r.esr, r.elr, (u64)(uintptr_t)c.stub);
}

/*
 * Where the GICv3 map's register blocks begin and end (GICD; the GICR frame: RD_base, then
 * SGI_base at +0x10000): an emulation's range checks go wrong at such an edge if anywhere, and a
 * uniform 17-bit offset lands within a few bytes of a given one once in thousands of tries.
 */
static const u32 sysfuzz_gicd_edges[] = {0x0000, 0x0008, 0x0080, 0x0100, 0x0180, 0x0200,
                                         0x0280, 0x0300, 0x0380, 0x0400, 0x0800, 0x0C00,
                                         0x0D00, 0x0E00, 0x0F00, 0x6100, 0x8000, 0xFFD0};
static const u32 sysfuzz_gicr_edges[] = {
    0x00000, 0x00008, 0x00014, 0x00070, 0x0FFD0, 0x10080, 0x10100, 0x10180, 0x10200, 0x10280,
    0x10300, 0x10380, 0x10400, 0x10420, 0x10C00, 0x10C08, 0x10D00, 0x10E00, 0x1FFD0};

/*
 * The address of an access: GICD, GICR, an unmapped IPA, or the hypervisor's RAM. Bytes 10-12 are
 * the offset; with bit 7 of byte 13 set (GIC regions), byte 10 picks an edge above and byte 11 is
 * a signed distance from it.
 */
static u64 region_addr(unsigned region, unsigned align)
{
	u64 off = (u64)s.o[10] | (u64)s.o[11] << 8 | (u64)s.o[12] << 16;

	if ((s.o[13] & 0x80) != 0 && (region & 3) < 2) {
		const u32 *edges = (region & 3) == 0 ? sysfuzz_gicd_edges : sysfuzz_gicr_edges;
		unsigned n = (region & 3) == 0 ? ARRAY_SIZE(sysfuzz_gicd_edges)
		                               : ARRAY_SIZE(sysfuzz_gicr_edges);

		off = (u64)((s64)edges[s.o[10] % n] + (int8_t)s.o[11]);
	}
	switch (region & 3) {
	case 0:
		return plat.gicd + (off % SYSFUZZ_GICD_SIZE & ~(u64)(align - 1));
	case 1:
		return plat.gicr + (off % SYSFUZZ_GICR_SIZE & ~(u64)(align - 1));
	case 2:
		return SYSFUZZ_UNMAPPED + (off % 0x10000 & ~(u64)(align - 1));
	default:
		return SYSFUZZ_HYP_RAM + (off % 0x10000 & ~(u64)(align - 1));
	}
}

/* An access that must end in an injected data abort naming this instruction and address. */
static void check_abort(const char *what, const struct exc_record *r, const char *insn, u64 addr)
{
	if (!r->taken)
		fail("%s 0x%lx: no abort", what, addr);
	else if (ESR_EC(r->esr) != SYSFUZZ_EC_DABT || r->far != addr ||
	         r->elr != (u64)(uintptr_t)insn)
		fail("%s 0x%lx: abort ESR 0x%lx FAR 0x%lx ELR 0x%lx (expected EC 0x25, FAR 0x%lx, "
		     "ELR 0x%lx)",
		     what, addr, r->esr, r->far, r->elr, addr, (u64)(uintptr_t)insn);
}

static void check_access(const char *what, bool emulated, const struct exc_record *r,
                         const char *insn, u64 addr)
{
	if (!emulated)
		check_abort(what, r, insn, addr);
	else if (r->taken)
		fail("%s 0x%lx (vGIC): abort ESR 0x%lx FAR 0x%lx ELR 0x%lx", what, addr, r->esr,
		     r->far, r->elr);
}

/* One plain load or store of 1, 2, 4 or 8 bytes (variant bits 0-1: region, 2-3: size, 4: store). */
static void op_mmio(void)
{
	static u64 (*const load[])(u64) = {sysfuzz_ld8, sysfuzz_ld16, sysfuzz_ld32, sysfuzz_ld64};
	static void (*const store[])(u64, u64) = {sysfuzz_st8, sysfuzz_st16, sysfuzz_st32,
	                                          sysfuzz_st64};
	static const char *const load_insn[] = {sysfuzz_ld8_insn, sysfuzz_ld16_insn,
	                                        sysfuzz_ld32_insn, sysfuzz_ld64_insn};
	static const char *const store_insn[] = {sysfuzz_st8_insn, sysfuzz_st16_insn,
	                                         sysfuzz_st32_insn, sysfuzz_st64_insn};
	unsigned region = s.o[1] & 3, size = (s.o[1] >> 2) & 3;
	bool is_store = (s.o[1] >> 4) & 1;
	u64 addr = region_addr(region, 1u << size);
	struct exc_record r;

	u64 v = 0;

	exc_expect_begin();
	if (is_store)
		store[size](addr, pool(0));
	else
		v = load[size](addr);
	r = exc_expect_end();
	check_access(is_store ? "store" : "load", region < 2, &r,
	             is_store ? store_insn[size] : load_insn[size], addr);
	/* GICv3: SGI_base 0x420..0x7FF (past IPRIORITYR0-7 of 32 SGIs/PPIs) is reserved, RAZ. */
	if (region == 1 && !is_store && !r.taken && addr - plat.gicr >= SYSFUZZ_GICR_RAZ_FIRST &&
	    addr - plat.gicr < SYSFUZZ_GICR_RAZ_END && v != 0)
		fail("load 0x%lx (GICR SGI_base + 0x%lx, reserved): 0x%lx, expected 0", addr,
		     addr - plat.gicr - 0x10000, v);
}

/* Accesses the decoder must treat with care: register 31, pairs, writeback (no syndrome). */
static void op_fault(void)
{
	unsigned region = s.o[1] & 3, kind = (s.o[1] >> 2) % 5;
	u64 addr = region_addr(region, 8);
	bool gic = region < 2;
	struct exc_record r;

	exc_expect_begin();
	switch (kind) {
	case 0:
		sysfuzz_ldzr32(addr);
		r = exc_expect_end();
		check_access("load to wzr", gic, &r, sysfuzz_ldzr32_insn, addr);
		break;
	case 1:
		sysfuzz_stzr32(addr);
		r = exc_expect_end();
		check_access("store of wzr", gic, &r, sysfuzz_stzr32_insn, addr);
		break;
	case 2:
		sysfuzz_ldp32(addr);
		r = exc_expect_end();
		check_abort("load pair", &r, sysfuzz_ldp32_insn, addr);
		break;
	case 3:
		sysfuzz_stp32(addr, pool(0));
		r = exc_expect_end();
		check_abort("store pair", &r, sysfuzz_stp32_insn, addr);
		break;
	default:
		sysfuzz_ldpost32(addr);
		r = exc_expect_end();
		check_abort("load with writeback", &r, sysfuzz_ldpost32_insn, addr);
		break;
	}
}

/*
 * FEAT_IDST (ID_AA64MMFR2_EL1.IDS = 1, as QEMU's max CPU has it): an MRS of an unallocated
 * register in the ID space (op0 3, op1 0, 1 or 3, CRn 0, CRm 0..7) is taken to EL1 as a trapped
 * system register access (EC 0x18) with the instruction's own fields in the ISS, not as Unknown
 * reason. The CPU does that without the hypervisor (HCR_EL2.TID3 clear), so it is no finding; the
 * ISS must still name exactly this read.
 */
#define ESR_EC_SYS64 0x18u

static bool idst_read(u32 insn, u64 esr)
{
	static int ids = -1;
	u32 op1 = insn >> 16 & 7, crn = insn >> 12 & 15, crm = insn >> 8 & 15, op2 = insn >> 5 & 7;
	u64 iss = 3u << 20 | (u64)op2 << 17 | (u64)op1 << 14 | (u64)crn << 10 |
	          (u64)(insn & 31) << 5 | (u64)crm << 1 | 1u;
	u64 mmfr2;

	if (ids < 0) {
		__asm__ volatile("mrs %0, S3_0_C0_C7_2" : "=r"(mmfr2)); /* ID_AA64MMFR2_EL1 */
		ids = (int)(mmfr2 >> 36 & 15);
	}
	return ids == 1 && (insn & 0xFFF80000u) == 0xD5380000u && op1 != 2 && op1 < 4 && crn == 0 &&
	       crm < 8 && ESR_EC(esr) == ESR_EC_SYS64 && (esr & 0x1FFFFFFu) == iss;
}

#define SYSFUZZ_MSR(enc) (0xD5100000u | (enc) << 5) /* MSR <enc>, x0 */
#define SYSFUZZ_MRS(enc) (0xD5300000u | (enc) << 5) /* MRS x0, <enc> */
/* op0:op1:CRn:CRm:op2 less op0's top bit, as MRS/MSR encode them. */
#define SYSREG(op0, op1, crn, crm, op2)                                                            \
	((u32)((op0)-2) << 14 | (u32)(op1) << 11 | (u32)(crn) << 7 | (u32)(crm) << 3 | (u32)(op2))
#define ICC_SGI1R_EL1 SYSREG(3, 0, 12, 11, 5)
#define ICC_PMR_EL1   SYSREG(3, 0, 4, 6, 0)
#define ICC_IGRPEN1   SYSREG(3, 0, 12, 12, 7)

/*
 * The SVE and SME system registers while EL1's own CPACR_EL1 traps them (ZEN, SMEN not 0b11, as
 * the guest boots): the CPU takes the access to EL1 itself, EC 0x19 (SVE) or 0x1D (SME) with ISS
 * 0, before any trap to EL2 could apply, the same whether the hypervisor shows the feature or
 * hides it (QEMU's max CPU has both). So no finding; any other syndrome still is. Found by
 * make fuzz-system (session 6): MRS of ZCR_EL1 and of SVCR.
 */
#define ESR_EC_SVE 0x19u
#define ESR_EC_SME 0x1Du

static bool el1_fp_trap(u32 insn, u64 esr)
{
	u32 enc = insn >> 5 & 0x7FFF;
	u64 cpacr = sysreg_read(cpacr_el1);
	bool sve_trapped = (cpacr >> 16 & 3) != 3, sme_trapped = (cpacr >> 24 & 3) != 3;

	if ((insn & 0xFFF00000u) != 0xD5300000u || (esr & 0x1FFFFFFu) != 0)
		return false; /* an MRS, and the syndrome's ISS 0 */
	switch (enc) {
	case SYSREG(3, 0, 1, 2, 0): /* ZCR_EL1 */
		return sve_trapped && ESR_EC(esr) == ESR_EC_SVE;
	case SYSREG(3, 0, 1, 2, 4):  /* SMPRI_EL1 */
	case SYSREG(3, 0, 1, 2, 6):  /* SMCR_EL1 */
	case SYSREG(3, 3, 4, 2, 2):  /* SVCR */
	case SYSREG(3, 3, 13, 0, 5): /* TPIDR2_EL0 */
		return sme_trapped && ESR_EC(esr) == ESR_EC_SME;
	default:
		return false;
	}
}

/* One generated instruction through gh_call_raw: may be undefined (then Unknown reason, the
 * FEAT_IDST syndrome for an ID-space read, or EL1's own SVE/SME trap). */
static void run_insn(const char *what, u32 insn, u64 x0)
{
	u64 args[8] = {x0};
	struct gh_capture c;
	struct exc_record r;

	c.stub = stub_with(insn);
	gh_fill_in(c.in, args);
	exc_expect_begin();
	gh_call_raw(c.in, &c.out, c.stub);
	r = exc_expect_end();
	if (r.taken && ((ESR_EC(r.esr) != ESR_EC_UNKNOWN && !idst_read(insn, r.esr) &&
	                 !el1_fp_trap(insn, r.esr)) ||
	                r.elr != (u64)(uintptr_t)c.stub))
		fail(
		    "%s (0x%08x): exception ESR 0x%lx ELR 0x%lx (expected Unknown reason at 0x%lx)",
		    what, insn, r.esr, r.elr, (u64)(uintptr_t)c.stub);
}

static void timer_arm(u64 ticks)
{
	sysreg_write(cntv_tval_el0, ticks);
	sysreg_write(cntv_ctl_el0, 1);
	isb();
}

/* System registers, the GIC CPU interface, the virtual timer, SVE, and registers across exits. */
static void op_sysreg(void)
{
	u64 raw = (u64)s.o[8] | (u64)s.o[9] << 8;
	u64 r;

	switch (s.o[1] % 10) {
	case 0:
		run_insn("mrs", SYSFUZZ_MRS((u32)raw & 0x7FFF), 0);
		break;
	case 1:
		run_insn("msr icc_sgi1r_el1", SYSFUZZ_MSR(ICC_SGI1R_EL1), pool(0));
		break;
	case 2:
		run_insn("msr icc_pmr_el1", SYSFUZZ_MSR(ICC_PMR_EL1), raw & 0xFF);
		break;
	case 3:
		run_insn("msr icc_igrpen1_el1", SYSFUZZ_MSR(ICC_IGRPEN1), raw & 1);
		break;
	case 4:
		r = sysreg_read(S3_0_C12_C12_0); /* ICC_IAR1_EL1: acknowledge */
		if (r < 1020)
			sysreg_write(S3_0_C12_C12_1, r); /* ICC_EOIR1_EL1 */
		break;
	case 5:
		timer_arm(raw * 64);
		break;
	case 6:
		sysreg_write(cntv_ctl_el0, 0);
		isb();
		break;
	case 7:
		/* EL1's own CPACR_EL1.ZEN lets SVE through, so the only trap left is EL2's
		 * CPTR_EL2.TZ (identify says the VM has no SVE): an Unknown-reason exception
		 * injected by EL2. */
		r = sysreg_read(cpacr_el1);
		sysreg_write(cpacr_el1, r | SYSFUZZ_CPACR_ZEN);
		isb();
		run_insn("rdvl (SVE)", 0x04BF5020u, 0);
		sysreg_write(cpacr_el1, r);
		isb();
		break;
	default:
		/* Variant 9 arms the timer inside the spin, once the patterns are in place: its
		 * interrupt exits to EL2 while they must survive. */
		if (s.o[1] % 10 == 9)
			r = sysfuzz_reg_spin((raw & 0xFFF) * 256 + SYSFUZZ_SPIN_MIN,
			                     SYSFUZZ_TIMER_SOON + (raw & 0xFF));
		else /* short: ends early only if an interrupt is already listed */
			r = sysfuzz_reg_spin((raw & 0xFF) * 16 + 4096, 0);
		if (r != 0)
			fail("x%lu changed while the guest ran (an exit to EL2 in between)",
			     r - 100);
		break;
	}
}

/* Shortcut: create (and maybe activate) one object in the root partition. */
static void op_object(void)
{
	static const u32 calls[] = {
	    GH_HVC_PARTITION_CREATE_DOORBELL, GH_HVC_PARTITION_CREATE_MSGQUEUE,
	    GH_HVC_PARTITION_CREATE_CSPACE,   GH_HVC_PARTITION_CREATE_VIC,
	    GH_HVC_PARTITION_CREATE_THREAD,   GH_HVC_PARTITION_CREATE_PARTITION,
	    GH_HVC_PARTITION_CREATE_WATCHDOG};
	u32 call = calls[s.o[1] % ARRAY_SIZE(calls)];
	u64 args[8] = {s.partition, s.cspace};
	struct gh_capture c;

	gh_native_capture(call, args, &c);
	check_call(GH_PATH_NATIVE, call, &c);
	if (c.out.x[0] == 0 && (s.o[1] & 0x80)) {
		const u64 act[8] = {c.out.x[1]};

		gh_native_capture(GH_HVC_OBJECT_ACTIVATE, act, &c);
		check_call(GH_PATH_NATIVE, GH_HVC_OBJECT_ACTIVATE, &c);
	}
}

/* Every interrupt listed for the guest acknowledged and completed (a virtual timer interrupt the
 * guest never completes keeps its physical one active, so no later exit to EL2 would come). */
static void drain_interrupts(void)
{
	for (unsigned i = 0; i < SYSFUZZ_DRAIN_MAX; i++) {
		u64 intid = sysreg_read(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */

		if (intid >= 1020)
			break;
		sysreg_write(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1: priority drop + deactivate */
	}
}

/*
 * What an input leaves behind that the next one must not inherit: the timer stopped, every
 * interrupt it left pending acknowledged and completed (a virtual timer interrupt the guest never
 * completes keeps its physical one active, so no later input would see an interrupt exit), the CPU
 * interface as booted, the caps it made deleted.
 */
static void cleanup(void)
{
	sysreg_write(cntv_ctl_el0, 0);
	sysreg_write(S3_0_C4_C6_0, 0xFF); /* ICC_PMR_EL1: every priority */
	sysreg_write(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	isb();
	drain_interrupts();
	sysreg_write(S3_0_C4_C6_0, s.pmr);
	sysreg_write(S3_0_C12_C12_7, s.igrpen1);
	isb();
	vgic_setup();
	while (s.n_caps > 0)
		cap_delete(s.caps[--s.n_caps]);
}

enum sysfuzz_status sysfuzz_run(const u8 *input, u32 len, u32 *op, char *why, u32 why_len,
                                u32 *ops_run)
{
	u32 n = len / SYSFUZZ_OP_SIZE;

	s.why = why;
	s.why_len = why_len;
	s.failed = false;
	why[0] = '\0';
	for (u32 i = 0; i < n && !s.failed; i++) {
		s.o = input + i * SYSFUZZ_OP_SIZE;
		*op = i;
		switch (s.o[0] & 15) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			op_native();
			break;
		case 5:
		case 6:
			op_smccc();
			break;
		case 7:
			op_imm(false);
			break;
		case 8:
			op_imm(true);
			break;
		case 9:
		case 10:
			op_mmio();
			break;
		case 11:
			op_fault();
			break;
		case 12:
		case 13:
			op_sysreg();
			break;
		default:
			op_object();
			break;
		}
		(*ops_run)++;
	}
	cleanup();
	return s.failed ? SYSFUZZ_INVARIANT : SYSFUZZ_OK;
}
