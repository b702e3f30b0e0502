/*
 * Stage-2 memory types by access (issue 10 point 7): a root-memory page the root VM maps into its
 * own address space with each memory type addrspace_map accepts, accessed through the test window
 * (stage 1 Normal write-back). Two properties tell the final type apart from a guest: alignment
 * (an unaligned access and DC ZVA take an Alignment fault on Device memory, Arm ARM B2.5.2; the
 * exclusives are compared too) and, with FEAT_MTE2, allocation tags (only Normal write-back at
 * both stages is Tagged). QEMU 7.2 shows the second only: see the fault README.
 */
#include <humpy/arch.h>
#include <humpy/fault.h>
#include <humpy/hvc.h>
#include <humpy/mem.h>
#include <humpy/mmu.h>
#include <humpy/spec.h>

#define MT_TEST(name) MEM_TEST(fault, name, true)
#define MT_IPA        0xf0000000ULL /* as fault/perm.c: far from RAM, UART and PL061 */
#define MT_DATA       2             /* window page the probes access */
#define MT_OFF        0x100

/* Each probe is one instruction that may fault (the handler resumes after it). */
__asm__(".text\n"
        ".global mt_str64, mt_str64_insn, mt_ldp, mt_ldp_insn, mt_ldxr, mt_ldxr_insn\n"
        ".global mt_ldaxr, mt_ldaxr_insn, mt_zva, mt_zva_insn\n"
        "mt_str64:\n"
        "mt_str64_insn:\n"
        "	str	x1, [x0]\n"
        "	ret\n"
        "mt_ldp:\n"
        "	mov	x2, xzr\n"
        "mt_ldp_insn:\n"
        "	ldp	x1, x2, [x0]\n"
        "	add	x0, x1, x2\n"
        "	ret\n"
        "mt_ldxr:\n"
        "mt_ldxr_insn:\n"
        "	ldxr	x0, [x0]\n"
        "	clrex\n"
        "	ret\n"
        "mt_ldaxr:\n"
        "mt_ldaxr_insn:\n"
        "	ldaxr	x0, [x0]\n"
        "	clrex\n"
        "	ret\n"
        "mt_zva:\n"
        "mt_zva_insn:\n"
        "	dc	zva, x0\n"
        "	ret\n");
void mt_str64(u64 addr, u64 value);
u64 mt_ldp(u64 addr);
u64 mt_ldxr(u64 addr);
u64 mt_ldaxr(u64 addr);
void mt_zva(u64 addr);
extern const char mt_str64_insn[], mt_ldp_insn[], mt_ldxr_insn[], mt_ldaxr_insn[], mt_zva_insn[];

static const u64 mt_types[] = {
    GH_MEM_VM_MEMTYPE_DEVICE_NGNRNE,  GH_MEM_VM_MEMTYPE_DEVICE_NGNRE,
    GH_MEM_VM_MEMTYPE_DEVICE_NGRE,    GH_MEM_VM_MEMTYPE_DEVICE_GRE,
    GH_MEM_VM_MEMTYPE_NORMAL_NC,      GH_MEM_VM_MEMTYPE_NORMAL_ONC_IWT,
    GH_MEM_VM_MEMTYPE_NORMAL_ONC_IWB, GH_MEM_VM_MEMTYPE_NORMAL_OWT_INC,
    GH_MEM_VM_MEMTYPE_NORMAL_WT,      GH_MEM_VM_MEMTYPE_NORMAL_OWT_IWB,
    GH_MEM_VM_MEMTYPE_NORMAL_OWB_INC, GH_MEM_VM_MEMTYPE_NORMAL_OWB_IWT,
    GH_MEM_VM_MEMTYPE_NORMAL_WB,
};

#define MT_PROBES 6
static const char *const mt_probe_names[MT_PROBES] = {
    "unaligned LDR", "unaligned STR", "unaligned LDP", "LDXR", "LDAXR", "DC ZVA",
};

/* One probe through the window VA @va (see mt_probe_names); the exception it took, if any. */
static struct exc_record mt_probe(unsigned kind, u64 va)
{
	exc_expect_begin();
	switch (kind) {
	case 0:
		(void)probe_read64(va + 1);
		break;
	case 1:
		mt_str64(va + 1, 0x1122334455667788ULL);
		break;
	case 2:
		(void)mt_ldp(va + 4);
		break;
	case 3:
		(void)mt_ldxr(va);
		break;
	case 4:
		(void)mt_ldaxr(va);
		break;
	default:
		mt_zva(va);
		break;
	}
	return exc_expect_end();
}

/*
 * Proves each Device type's mapping by alignment: every probe that takes an Alignment fault on a
 * stage-1 Device mapping of the VM's own RAM (the reference: this CPU checks alignment by memory
 * type) takes the same exception, ESR and FAR exact, through a stage-2 Device mapping of each of
 * the four Device types, and completes on each of the nine Normal types. SKIP when no probe faults
 * on the reference (QEMU 7.2 checks alignment by memory type for no access: see the fault README).
 */
MT_TEST(memtype_device_alignment)
{
	u64 as, me, va = mmu_test_va(MT_DATA) + MT_OFF;
	struct exc_record ref[MT_PROBES];
	unsigned checked = 0;

	as = profile_chosen_cap(FAULT_SELF_AS_PROP);
	if (as == GH_CAP_INVALID)
		SKIP(FAULT_NO_SELF_AS);
	me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	mmu_test_map(MT_DATA, MT_DATA, MMU_TEST_DEVICE);
	for (unsigned k = 0; k < MT_PROBES; k++) {
		ref[k] = mt_probe(k, va);
		checked += ref[k].taken ? 1U : 0U;
	}
	mmu_test_reset();
	if (checked == 0)
		SKIP("no Alignment fault on stage-1 Device memory: this CPU does not check "
		     "alignment "
		     "by memory type");
	for (unsigned i = 0; i < sizeof(mt_types) / sizeof(mt_types[0]); i++) {
		bool device = mt_types[i] <= GH_MEM_VM_MEMTYPE_DEVICE_GRE;

		ASSERT_EQ("map",
		          mem_map(as, me, MT_IPA,
		                  map_attrs(GH_MEM_ACCESS_RW, GH_MEM_ACCESS_RW, mt_types[i]), 0, 0,
		                  0),
		          0);
		mmu_test_map_ipa(MT_DATA, MT_IPA, false);
		for (unsigned k = 0; k < MT_PROBES; k++) {
			struct exc_record r = mt_probe(k, va);

			if (!ref[k].taken)
				continue;
			if (r.taken != device ||
			    (device &&
			     (r.esr != ref[k].esr || r.far != ref[k].far || r.elr != ref[k].elr))) {
				mmu_test_reset();
				test_fail(
				    "memtype 0x%lx, %s: taken %d ESR 0x%lx FAR 0x%lx, expected %s "
				    "(ESR 0x%lx FAR 0x%lx)",
				    mt_types[i], mt_probe_names[k], r.taken, r.esr, r.far,
				    device ? "the stage-1 Device fault" : "no exception",
				    ref[k].esr, ref[k].far);
				return;
			}
		}
		mmu_test_reset();
		ASSERT_EQ("unmap", mem_unmap(as, me, MT_IPA, 0, 0, 0), 0);
	}
}

/*
 * MTE (FEAT_MTE2) tells the final memory type apart where alignment does not: a location is
 * Tagged only when stage 1 says Tagged (MAIR 0xF0) and the combined type is Normal Inner and Outer
 * Write-Back; on any other stage-2 type an STG stores nothing and an LDG reads tag 0 (Arm ARM
 * D10.5, "Allocation Tag storage"). The stage-1 side is the guest's: for the test, MAIR_EL1
 * attribute 1 (every Normal mapping of the guest) becomes Tagged and SCTLR_EL1.ATA opens tag
 * access at EL1; no tag check is enabled (TCF 0), so untagged and tagged accesses behave alike.
 */
#define MT_MAIR_TAGGED 0xf0ULL
#define MT_ATTR_NORMAL 1 /* the guest's Normal write-back index (guest/mmu.c) */
#define MT_SCTLR_ATA   (1ULL << 43)
#define MT_PFR1_MTE(v) (((v) >> 8) & 0xf)

static void mt_tlb_flush(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(ish);
	isb();
}

/* STG of @tag at @va (16-byte granule), then LDG of the same granule: the tag read back. Encoded
 * (STG x0, [x1]; LDG x2, [x1]), as the guest is built for v8.0. */
static u64 mt_tag_roundtrip(u64 va, u64 tag)
{
	register u64 x0 __asm__("x0") = va | tag << 56;
	register u64 x1 __asm__("x1") = va;
	register u64 x2 __asm__("x2") = va;

	__asm__ volatile(".inst 0xd9200820\n" /* stg x0, [x1] */
	                 ".inst 0xd9600022\n" /* ldg x2, [x1] */
	                 : "+r"(x2)
	                 : "r"(x0), "r"(x1)
	                 : "memory");
	return (x2 >> 56) & 0xf;
}

/*
 * Proves each memory type's mapping by its tags: after an STG through the window, the LDG reads
 * the tag back only on the Normal write-back mapping; every Device, Non-cacheable, Write-Through
 * and mixed type reads 0 (untagged). SKIP when the VM has no allocation tags (ID_AA64PFR1_EL1.MTE
 * < 2; QEMU gives them with -machine mte=on). A VM told it has them must reach them at EL1: the
 * control, an STG to the guest's own RAM, reading back 0 (HCR_EL2.ATA clear) is a FAIL.
 */
MT_TEST(memtype_mte_tags)
{
	u64 pfr1 = sysreg_read(id_aa64pfr1_el1);
	u64 as, me, va = mmu_test_va(MT_DATA) + MT_OFF;
	u64 mair, sctlr, ctl;
	u64 got[sizeof(mt_types) / sizeof(mt_types[0])];

	if (MT_PFR1_MTE(pfr1) < 2)
		SKIP("ID_AA64PFR1_EL1.MTE is %lu: no allocation tags (QEMU: -machine mte=on)",
		     MT_PFR1_MTE(pfr1));
	as = profile_chosen_cap(FAULT_SELF_AS_PROP);
	if (as == GH_CAP_INVALID)
		SKIP(FAULT_NO_SELF_AS);
	me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	mair = sysreg_read(mair_el1);
	sctlr = sysreg_read(sctlr_el1);
	sysreg_write(mair_el1, (mair & ~(0xffULL << (8 * MT_ATTR_NORMAL))) |
	                           MT_MAIR_TAGGED << (8 * MT_ATTR_NORMAL));
	sysreg_write(sctlr_el1, sctlr | MT_SCTLR_ATA);
	mt_tlb_flush();
	ctl = mt_tag_roundtrip(va, 0xa);
	for (unsigned i = 0; ctl == 0xa && i < sizeof(mt_types) / sizeof(mt_types[0]); i++) {
		got[i] = ~0ULL;
		if (mem_map(as, me, MT_IPA,
		            map_attrs(GH_MEM_ACCESS_RW, GH_MEM_ACCESS_RW, mt_types[i]), 0, 0,
		            0) != 0)
			break;
		mmu_test_map_ipa(MT_DATA, MT_IPA, false);
		got[i] = mt_tag_roundtrip(va, i + 1);
		mmu_test_reset();
		if (mem_unmap(as, me, MT_IPA, 0, 0, 0) != 0)
			break;
	}
	sysreg_write(mair_el1, mair);
	sysreg_write(sctlr_el1, sctlr);
	mt_tlb_flush();
	if (ctl != 0xa) {
		test_fail("ID_AA64PFR1_EL1.MTE %lu but tags not reachable at EL1: STG 0xa to the "
		          "VM's own RAM read back 0x%lx (HCR_EL2.ATA clear?)",
		          MT_PFR1_MTE(pfr1), ctl);
		return;
	}
	for (unsigned i = 0; i < sizeof(mt_types) / sizeof(mt_types[0]); i++) {
		u64 want = mt_types[i] == GH_MEM_VM_MEMTYPE_NORMAL_WB ? i + 1 : 0;

		if (got[i] == ~0ULL) {
			test_fail("memtype 0x%lx: map or unmap failed", mt_types[i]);
			return;
		}
		if (got[i] != want) {
			test_fail(
			    "memtype 0x%lx: LDG after STG 0x%x read tag 0x%lx, expected 0x%lx "
			    "(%s)",
			    mt_types[i], i + 1, got[i], want,
			    want != 0 ? "Normal write-back is Tagged" : "untagged");
			return;
		}
	}
}

/*
 * Tag checking (FEAT_MTE2, Arm ARM D10.6 "Tag Checking", D10.8 Tag Check Faults), on a granule of
 * the VM's own RAM through the window (stage 2 Normal write-back: Tagged): allocation tag 0x3,
 * then accesses through pointers whose logical tag (bits 59:56, TCR_EL1.TBI0 set) is 0x3 or 0x5.
 * With SCTLR_EL1.TCF = 1 (synchronous) a mismatch is a Data Abort taken to EL1 from EL1 by the
 * CPU itself: ESR_EL1 EC 0x25, IL 1, DFSC 0x11 (synchronous Tag Check Fault), WnR for the store,
 * every other ISS bit 0 (ISV 0); FAR_EL1 the pointer as given, bits 63:60 UNKNOWN; ELR_EL1 the
 * instruction; the access has no effect. With TCF = 2 (asynchronous) the load completes and
 * TFSR_EL1.TF0 (bit 0: a TTBR0 address) is 1 after a DSB, even across a hypercall (the trap to
 * EL2 synchronises it, SCTLR_EL2.ITFSB, and the hypervisor keeps it). A matching tag never faults.
 * PSTATE.TCO is cleared first: a test abandoned at its time limit returns to the runner from an
 * exception handler, whose entry set TCO, without an ERET (seen: "no exception taken" under
 * --test-timeout-ms 20). IRQs stay masked while checks are on, so the time limit cannot abandon
 * this test with TCF set and the tagged granule left behind.
 */
#define MT_SCTLR_TCF_SHIFT 40
#define MT_TCF_SYNC        1ULL
#define MT_TCF_ASYNC       2ULL
#define MT_TCR_TBI0        (1ULL << 37)
#define MT_DFSC_TAG_CHECK  0x11
#define MT_ESR_WNR         (1ULL << 6)
#define MT_FAR_KNOWN       ((1ULL << 60) - 1) /* FAR_EL1 63:60 UNKNOWN on a Tag Check Fault */
#define MT_TFSR_TF0        1ULL
#define MT_ESR_TAG_CHECK                                                                           \
	((u64)(((u64)ESR_EC_DABT_CUR << ESR_EC_SHIFT) | ESR_IL | MT_DFSC_TAG_CHECK))
#define MT_TFSR_EL1  S3_0_C5_C6_0       /* assembled for v8.0: the encoding, not the name */
#define MT_TCO_CLEAR ".inst 0xd503409f" /* msr tco, #0 */
/* sysreg_read/write stringify their argument: these expand the name to its encoding first. */
#define mt_sysreg_read(reg)       sysreg_read(reg)
#define mt_sysreg_write(reg, val) sysreg_write(reg, val)

__asm__(".text\n"
        ".global mt_tagged_ldr, mt_tagged_ldr_insn, mt_tagged_str, mt_tagged_str_insn\n"
        "mt_tagged_ldr:\n"
        "	mov	x1, x0\n"
        "	mov	x0, xzr\n"
        "mt_tagged_ldr_insn:\n"
        "	ldr	x0, [x1]\n"
        "	ret\n"
        "mt_tagged_str:\n"
        "mt_tagged_str_insn:\n"
        "	str	x1, [x0]\n"
        "	ret\n");
u64 mt_tagged_ldr(u64 addr);
void mt_tagged_str(u64 addr, u64 value);
extern const char mt_tagged_ldr_insn[], mt_tagged_str_insn[];

static void mt_set_tcf(u64 sctlr, u64 tcf)
{
	sysreg_write(sctlr_el1,
	             (sctlr & ~(3ULL << MT_SCTLR_TCF_SHIFT)) | tcf << MT_SCTLR_TCF_SHIFT);
	isb();
}

static u64 mt_identify(void)
{
	u64 args[8] = {0};

	return gh_native(GH_HVC_HYPERVISOR_IDENTIFY, args).x[0];
}

TEST(fault, mte_tag_check)
{
	u64 pfr1 = sysreg_read(id_aa64pfr1_el1);
	u64 va = mmu_test_va(MT_DATA) + MT_OFF, good = va | 3ULL << 56, bad = va | 5ULL << 56;
	u64 mair, sctlr, tcr, tfsr, daif, ctl, v_good, v_bad, v_after, tf_async, tf_clean, api;
	u64 *data = (u64 *)(uintptr_t)(mmu_test_backing(MT_DATA) + MT_OFF);
	struct exc_record r_ld, r_st, r_async;

	if (MT_PFR1_MTE(pfr1) < 2)
		SKIP("ID_AA64PFR1_EL1.MTE is %lu: no allocation tags (QEMU: -machine mte=on)",
		     MT_PFR1_MTE(pfr1));
	mmu_test_reset();
	*data = 0x5a5a0123456789a5ULL;
	daif = sysreg_read(daif);
	irq_mask();
	__asm__ volatile(MT_TCO_CLEAR ::: "memory");
	mair = sysreg_read(mair_el1);
	sctlr = sysreg_read(sctlr_el1);
	tcr = sysreg_read(tcr_el1);
	tfsr = mt_sysreg_read(MT_TFSR_EL1);
	sysreg_write(mair_el1, (mair & ~(0xffULL << (8 * MT_ATTR_NORMAL))) |
	                           MT_MAIR_TAGGED << (8 * MT_ATTR_NORMAL));
	sysreg_write(tcr_el1, tcr | MT_TCR_TBI0);
	sysreg_write(sctlr_el1, sctlr | MT_SCTLR_ATA);
	mt_tlb_flush();
	ctl = mt_tag_roundtrip(va, 3);
	/* Synchronous: the matching tag loads, the other faults at once, load and store. */
	mt_set_tcf(sctlr | MT_SCTLR_ATA, MT_TCF_SYNC);
	v_good = mt_tagged_ldr(good);
	exc_expect_begin();
	v_bad = mt_tagged_ldr(bad);
	r_ld = exc_expect_end();
	exc_expect_begin();
	mt_tagged_str(bad, 0x1111222233334444ULL);
	r_st = exc_expect_end();
	v_after = mt_tagged_ldr(good);
	/* Asynchronous: nothing taken, TFSR_EL1.TF0 set; a hypercall between keeps it. */
	mt_set_tcf(sctlr | MT_SCTLR_ATA, MT_TCF_ASYNC);
	mt_sysreg_write(MT_TFSR_EL1, 0);
	isb();
	exc_expect_begin();
	(void)mt_tagged_ldr(bad);
	dsb(nsh);
	isb();
	api = mt_identify();
	tf_async = mt_sysreg_read(MT_TFSR_EL1);
	mt_sysreg_write(MT_TFSR_EL1, 0);
	isb();
	(void)mt_tagged_ldr(good);
	dsb(nsh);
	isb();
	tf_clean = mt_sysreg_read(MT_TFSR_EL1);
	r_async = exc_expect_end();
	/* Everything back: no checks, the granule's tag 0, the guest's own MAIR, TCR, TFSR. */
	mt_set_tcf(sctlr | MT_SCTLR_ATA, 0);
	(void)mt_tag_roundtrip(va, 0);
	mt_sysreg_write(MT_TFSR_EL1, tfsr);
	sysreg_write(sctlr_el1, sctlr);
	sysreg_write(tcr_el1, tcr);
	sysreg_write(mair_el1, mair);
	mt_tlb_flush();
	sysreg_write(daif, daif);

	if (ctl != 3) {
		test_fail("ID_AA64PFR1_EL1.MTE %lu but STG 0x3 to the VM's own RAM read back 0x%lx "
		          "(HCR_EL2.ATA clear?)",
		          MT_PFR1_MTE(pfr1), ctl);
		return;
	}
	ASSERT_EQ("load through the matching tag 0x3", v_good, 0x5a5a0123456789a5ULL);
	r_ld.far &= MT_FAR_KNOWN;
	r_st.far &= MT_FAR_KNOWN;
	ASSERT_FAULT("synchronous load through tag 0x5", r_ld, MT_ESR_TAG_CHECK, bad,
	             (u64)(uintptr_t)mt_tagged_ldr_insn);
	ASSERT_EQ("the faulting load's destination register", v_bad, 0);
	ASSERT_FAULT("synchronous store through tag 0x5", r_st, MT_ESR_TAG_CHECK | MT_ESR_WNR, bad,
	             (u64)(uintptr_t)mt_tagged_str_insn);
	ASSERT_EQ("the data after the faulting store", v_after, 0x5a5a0123456789a5ULL);
	ASSERT_EQ("asynchronous mismatch: exception taken", r_async.taken, false);
	ASSERT_EQ("identify's x0 between the fault and the read", api, GH_API_INFO_EXPECTED);
	ASSERT_EQ("TFSR_EL1 after an asynchronous mismatch and a hypercall", tf_async, MT_TFSR_TF0);
	ASSERT_EQ("TFSR_EL1 after a matching load", tf_clean, 0);
}
