/*
 * A physical interrupt the hypervisor no longer forwards (issue 10 point 6: "an IRQ the hypervisor
 * does not own"): the PL061's SPI, handed to this VM as a hwirq (ROOT_PROFILE.md
 * humpy,root-hwirq-cap), unbound while its line is high and its VIRQ pending or in service. From
 * then on nobody owns the SPI: nothing may arrive, the hypervisor runs on, and the SPI must not be
 * left active at the GIC, or rebinding it could never deliver it again.
 */
#include <humpy/arch.h>
#include <humpy/fdt.h>
#include <humpy/ipc.h>
#include <humpy/profile.h>

#define IRQ_VIRQ_A IPC_VIRQ(4)
#define IRQ_VIRQ_B IPC_VIRQ(5)
/* Long enough for the hypervisor to take the raised SPI and list its VIRQ (QEMU: microseconds). */
#define IRQ_LIST_MS 5

/* PL061 (ARM PrimeCell GPIO TRM): pin 0 through the data mask bit 2; direction, level sense,
 * high event, interrupt enable and clear. */
#define PL061_DATA_PIN0 (1U << 2)
#define PL061_DIR       0x400
#define PL061_IS        0x404
#define PL061_IEV       0x40c
#define PL061_IE        0x410
#define PL061_IC        0x41c
#define PL061_PIN0      1U

/* The hwirq cap and the PL061, with pin 0 a level-high source driven low; else the SKIP reason. */
static const char *irq_pl061_setup(u64 *cap, u64 *gpio)
{
	int node = fdt_find_compatible(-1, "arm,pl061");
	u64 size;

	*cap = profile_chosen_cap("humpy,root-hwirq-cap");
	if (*cap == GH_CAP_INVALID)
		return "no hwirq cap (/chosen humpy,root-hwirq-cap absent or all ones)";
	if (node < 0 || !fdt_reg(node, 0, gpio, &size))
		return "no arm,pl061 node with a reg in the device tree";
	if (!probe_try_write32(*gpio + PL061_DATA_PIN0, 0) ||
	    !probe_try_write32(*gpio + PL061_DIR, PL061_PIN0) ||
	    !probe_try_write32(*gpio + PL061_IS, PL061_PIN0) ||
	    !probe_try_write32(*gpio + PL061_IEV, PL061_PIN0) ||
	    !probe_try_write32(*gpio + PL061_IC, PL061_PIN0) ||
	    !probe_try_write32(*gpio + PL061_IE, PL061_PIN0))
		return "a PL061 register write aborted";
	return NULL;
}

static void irq_pl061_line(u64 gpio, bool high)
{
	probe_try_write32(gpio + PL061_DATA_PIN0, high ? PL061_PIN0 : 0);
	if (!high)
		probe_try_write32(gpio + PL061_IC, PL061_PIN0);
	dsb(sy);
}

static void irq_pl061_off(u64 gpio)
{
	irq_pl061_line(gpio, false);
	probe_try_write32(gpio + PL061_IE, 0);
}

/*
 * The common body: VIRQ A bound and enabled, IRQs masked, the line raised; `in_service`: this VM
 * acknowledges A itself (ICC_IAR1_EL1) before the unbind and EOIs it after, else A stays pending.
 * Then the SPI is nobody's while the line stays high: nothing is taken; rebound to B it is taken
 * there exactly once.
 */
static void irq_unbound_body(const struct ipc_self *self, bool in_service)
{
	u64 cap, gpio = 0, iar = 0, hppir;
	const char *why = irq_pl061_setup(&cap, &gpio);
	struct gh_ret id = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL), id2;

	if (why) {
		if (gpio != 0)
			irq_pl061_off(gpio);
		SKIP("%s", why);
	}
	ipc_bind(self, GH_HVC_HWIRQ_BIND_VIRQ, GH_HVC_HWIRQ_UNBIND_VIRQ, cap, IRQ_VIRQ_A);
	if (test_has_failed())
		goto out;
	__asm__ volatile("msr daifset, #2" ::: "memory");
	irq_pl061_line(gpio, true);
	irq_settle(IRQ_LIST_MS);
	/* Pending at this VM's CPU interface (read there: a GICD_ISPENDR read would trap). */
	hppir = irq_highest_pending();
	if (hppir != IRQ_VIRQ_A) {
		__asm__ volatile("msr daifclr, #2" ::: "memory");
		test_fail("HPPIR %u ms after the line was raised: expected INTID %lu got "
		          "%lu",
		          IRQ_LIST_MS, IRQ_VIRQ_A, hppir);
		goto out;
	}
	if (in_service)
		iar = irq_ack();
	hc(GH_HVC_HWIRQ_UNBIND_VIRQ, cap, 0, 0, 0, 0);
	if (in_service) {
		irq_eoi((u32)iar);
	}
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	if (in_service)
		ASSERT_EQ("IAR INTID before the unbind", iar, IRQ_VIRQ_A);
	/* The line is still high and nobody owns the SPI: nothing arrives, the hypervisor answers.
	 */
	ipc_expect_taken("unbound, line high", IRQ_VIRQ_A, 0);
	if (test_has_failed())
		goto out;
	id2 = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL);
	if (id2.x[0] != id.x[0] || id2.x[1] != id.x[1]) {
		test_fail("hypervisor_identify with the SPI unowned: x0 0x%lx x1 0x%lx, before "
		          "0x%lx 0x%lx",
		          id2.x[0], id2.x[1], id.x[0], id.x[1]);
		goto out;
	}
	ipc_bind(self, GH_HVC_HWIRQ_BIND_VIRQ, GH_HVC_HWIRQ_UNBIND_VIRQ, cap, IRQ_VIRQ_B);
	if (test_has_failed())
		goto out;
	ipc_expect_taken("rebound to VIRQ B, line still high", IRQ_VIRQ_B, 1);
out:
	irq_pl061_off(gpio);
}

/* Proves a hwirq unbound while its VIRQ is pending (listed, not yet taken) leaves nothing behind:
 * with the line still high nothing is taken and identify answers as before; rebound to another
 * VIRQ it is taken there exactly once (§2 hwirq_unbind_virq). */
IPC_TEST(fault, irq_unbound_while_pending, GH_API_FLAG0_VIC, "vic", true)
{
	irq_unbound_body(self, false);
}

/* Proves the same for a VIRQ in service: acknowledged by this VM (ICC_IAR1_EL1 = VIRQ A), the
 * hwirq unbound, then EOId: the physical SPI is not left active, so rebound to VIRQ B with the line
 * still high it is taken exactly once. */
IPC_TEST(fault, irq_unbound_while_in_service, GH_API_FLAG0_VIC, "vic", true)
{
	irq_unbound_body(self, true);
}
