/* child probes: one test per line of the isolation probe table (humpy/child.h): what the child VM
 * reached when it touched memory, devices and registers that are not its own (README.md). */
#include "child_run.h"

#define ESR_SEA_DATA  0x96000010ULL /* EC 0x25, IL, FSC 0x10: injected, WnR clear (reference §8) */
#define ESR_SEA_INSN  0x86000010ULL /* EC 0x21, IL, FSC 0x10 */
#define ESR_UNDEFINED 0x02000000ULL /* EC 0, IL: taken at EL1 without the hypervisor */

static const char *const child_region_names[CR_COUNT] = {
    [CR_HYP] = "/chosen humpy,hyp-memory",
    [CR_HYP_MID] = "/chosen humpy,hyp-memory",
    [CR_HYP_TOP] = "/chosen humpy,hyp-memory",
    [CR_PARENT_RAM] = "a memory node",
    [CR_PARENT_END] = "a memory node",
    [CR_PARENT_DTB] = "a device tree",
    [CR_GICD] = "a GICv3 node",
    [CR_GICR] = "a GICv3 node",
    [CR_ITS] = "a GICv3 node",
    [CR_UART] = "a console (stdout-path)",
    [CR_GPIO] = "an arm,pl061 node",
};

/* One probe's record: exactly one exception, the class and fault status of its kind, FAR the
 * address, ELR the accessing instruction; a read never returns a value. */
static void child_probe_check(const struct child_result *res, unsigned id, u32 kind, u32 region,
                              u64 arg)
{
	const struct child_probe_rec *p = &res->sh.probe[id];
	u64 esr = kind == CP_SYSREG ? ESR_UNDEFINED : kind == CP_EXEC ? ESR_SEA_INSN : ESR_SEA_DATA;

	if (!p->ran) {
		SKIP("the root guest has no address for this probe (needs %s)",
		     region < CR_COUNT && child_region_names[region] ? child_region_names[region]
		                                                     : "its region");
	}
	if (p->taken == 0 && kind == CP_SYSREG) {
		test_fail("no fault: the child read a system register (MRS 0x%08lx): 0x%lx", arg,
		          p->value);
		return;
	}
	if (p->taken == 0) {
		test_fail("no fault: the child %s 0x%lx (value 0x%lx)",
		          kind == CP_WRITE || kind == CP_WRITE32 ? "wrote"
		          : kind == CP_EXEC                      ? "executed at"
		                                                 : "read",
		          p->addr, p->value);
		return;
	}
	ASSERT_EQ("exceptions taken", p->taken, 1);
	ASSERT_EQ("ESR_EL1", p->esr, esr);
	if (kind != CP_SYSREG)
		ASSERT_EQ("FAR_EL1", p->far, p->addr);
	ASSERT_EQ("ELR_EL1", p->elr, p->insn);
}

#define CHILD_PROBE_TEST(name, kind, region, arg)                                                  \
	CHILD_TEST(name)                                                                           \
	{                                                                                          \
		child_probe_check(res, CHILD_PROBE_##name, kind, region, (u64)(arg));              \
	}
CHILD_PROBES(CHILD_PROBE_TEST)
