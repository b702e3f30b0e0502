/*
 * Accesses to emulated device space (the virtual GIC) that the hypervisor cannot emulate: a
 * syndrome without ISV (a load or store pair, a load or store with writeback) gives the guest the
 * SEA of reference section 8 (ESR exact, FAR = the access's VA), changes no register and no GIC
 * state, and the guest runs on; a plain single load of the same register is still emulated.
 */
#include <humpy/arch.h>
#include <humpy/fault.h>
#include <humpy/plat.h>

/* Read-only registers: a write the hypervisor wrongly emulated would be ignored. */
#define GICD_TYPER 0x0004
#define GICD_IIDR  0x0008 /* read-only */
#define GICR_TYPER 0x0008 /* 64-bit, read-only */
#define SENTINEL_A 0x1111aaaaULL
#define SENTINEL_B 0x2222bbbbULL

/*
 * Each probe: x0 = the address, x1 = out[3]. w2/x2 and w3/x3 start as the sentinels; after the
 * access out[0], out[1] = x2, x3 and out[2] = x0 (the base, which a writeback would move).
 */
#define FAULT_PROBE(name, insn)                                                                    \
	".global " #name ", " #name "_insn\n" #name ":\n"                                          \
	"	movz	x2, #0xaaaa\n"                                                                      \
	"	movk	x2, #0x1111, lsl #16\n"                                                             \
	"	movz	x3, #0xbbbb\n"                                                                      \
	"	movk	x3, #0x2222, lsl #16\n" #name "_insn:\n"                                   \
	"	" insn "\n"                                                                        \
	"	stp	x2, x3, [x1]\n"                                                                      \
	"	str	x0, [x1, #16]\n"                                                                     \
	"	ret\n"

__asm__(".text\n" FAULT_PROBE(fault_ldp_w, "ldp w2, w3, [x0]")
            FAULT_PROBE(fault_ldp_x, "ldp x2, x3, [x0]")
                FAULT_PROBE(fault_ldr_pre, "ldr w2, [x0, #4]!")
                    FAULT_PROBE(fault_ldr_post, "ldr w2, [x0], #4")
                        FAULT_PROBE(fault_stp_w, "stp w2, w3, [x0]")
                            FAULT_PROBE(fault_str_pre, "str w2, [x0, #4]!"));

typedef void fault_probe_fn(u64 addr, u64 out[3]);
extern fault_probe_fn fault_ldp_w, fault_ldp_x, fault_ldr_pre, fault_ldr_post, fault_stp_w,
    fault_str_pre;
extern const char fault_ldp_w_insn[], fault_ldp_x_insn[], fault_ldr_pre_insn[],
    fault_ldr_post_insn[], fault_stp_w_insn[], fault_str_pre_insn[];

/* Runs one probe at `addr` expecting the SEA at `far`; registers unchanged, the guest runs on. */
#define EXPECT_NO_EMULATION(what, fn, addr, far)                                                   \
	do {                                                                                       \
		u64 out_[3] = {0, 0, 0};                                                           \
		struct exc_record rec_;                                                            \
		exc_expect_begin();                                                                \
		fn((addr), out_);                                                                  \
		rec_ = exc_expect_end();                                                           \
		ASSERT_FAULT(what, rec_, FAULT_ESR_DABT, (far), (u64)(uintptr_t)fn##_insn);        \
		ASSERT_EQ(what ": first register", out_[0], SENTINEL_A);                           \
		ASSERT_EQ(what ": second register", out_[1], SENTINEL_B);                          \
		ASSERT_EQ(what ": base register (no writeback)", out_[2], (addr));                 \
	} while (0)

/* GICD_TYPER and GICD_IIDR through single emulated loads (they must never abort). */
static bool fault_gicd_ids(u32 *typer, u32 *iidr)
{
	if (!probe_try_read32(plat.gicd + GICD_TYPER, typer) ||
	    !probe_try_read32(plat.gicd + GICD_IIDR, iidr)) {
		test_error("a single 32-bit load of GICD_TYPER or GICD_IIDR aborted");
		return false;
	}
	return true;
}

/*
 * Proves LDP of two words and of two doublewords from the distributor (ISV 0) gets the SEA: ESR
 * 0x96000010, FAR = the pair's address, both destination registers unchanged; GICD_TYPER still
 * reads the same through a single load afterwards (section 8).
 */
TEST(fault, vgic_ldp)
{
	u32 typer, iidr, typer2, iidr2;

	if (!fault_gicd_ids(&typer, &iidr))
		return;
	EXPECT_NO_EMULATION("ldp w (GICD_TYPER, GICD_IIDR)", fault_ldp_w, plat.gicd + GICD_TYPER,
	                    plat.gicd + GICD_TYPER);
	EXPECT_NO_EMULATION("ldp x (GICD_CTLR..GICD_IIDR)", fault_ldp_x, plat.gicd, plat.gicd);
	if (!fault_gicd_ids(&typer2, &iidr2))
		return;
	ASSERT_EQ("GICD_TYPER after", typer2, typer);
	ASSERT_EQ("GICD_IIDR after", iidr2, iidr);
}

/*
 * Proves a load with writeback from the distributor, pre-index (ldr w, [x, #4]!) and post-index
 * (ldr w, [x], #4), gets the SEA with FAR = the address accessed and neither the destination nor
 * the base register written (section 8).
 */
TEST(fault, vgic_ldr_writeback)
{
	EXPECT_NO_EMULATION("ldr pre-index", fault_ldr_pre, plat.gicd, plat.gicd + GICD_TYPER);
	EXPECT_NO_EMULATION("ldr post-index", fault_ldr_post, plat.gicd + GICD_TYPER,
	                    plat.gicd + GICD_TYPER);
}

/*
 * Proves STP and a store with writeback to the distributor (read-only registers) get the SEA with
 * WnR clear like every injected abort (ESR 0x96000010), the base register not moved, the
 * registers' values unchanged (section 8).
 */
TEST(fault, vgic_store_pair_writeback)
{
	u32 typer, iidr, typer2, iidr2;

	if (!fault_gicd_ids(&typer, &iidr))
		return;
	EXPECT_NO_EMULATION("stp w (GICD_TYPER, GICD_IIDR)", fault_stp_w, plat.gicd + GICD_TYPER,
	                    plat.gicd + GICD_TYPER);
	EXPECT_NO_EMULATION("str pre-index", fault_str_pre, plat.gicd + GICD_TYPER,
	                    plat.gicd + GICD_IIDR);
	if (!fault_gicd_ids(&typer2, &iidr2))
		return;
	ASSERT_EQ("GICD_TYPER after", typer2, typer);
	ASSERT_EQ("GICD_IIDR after", iidr2, iidr);
}

/*
 * Proves LDP of GICR_TYPER (the redistributor's 64-bit identity register) gets the SEA with FAR
 * = its address and the registers unchanged (section 8).
 */
TEST(fault, vgic_gicr_ldp)
{
	EXPECT_NO_EMULATION("ldp w (GICR_TYPER)", fault_ldp_w, plat.gicr + GICR_TYPER,
	                    plat.gicr + GICR_TYPER);
}
