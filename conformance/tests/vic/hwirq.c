/* hwirq_bind_virq (0x26), hwirq_unbind_virq (0x27): the PL061's physical SPI handed to the guest
 * and raised by the guest itself (§2 VIRQ binding; ROOT_PROFILE.md humpy,root-hwirq-cap). */
#include <humpy/arch.h>
#include <humpy/fdt.h>
#include <humpy/ipc.h>
#include <humpy/plat.h>

#include "vm2.h"

#define HW_VIRQ  IPC_VIRQ(6)
#define HW_VIRQ2 IPC_VIRQ(7)

/* PL061 registers (ARM PrimeCell GPIO TRM): data is addressed through bits 9:2 as a mask. */
#define PL061_DATA_PIN0 (1U << 2)
#define PL061_DIR       0x400
#define PL061_IS        0x404
#define PL061_IEV       0x40c
#define PL061_IE        0x410
#define PL061_IC        0x41c
#define PL061_PIN0      1U

struct hw {
	u64 cap;
	u64 gpio;
};

/* The hwirq cap and the PL061 page; the reason to SKIP when either is missing. */
static const char *hw_get(struct hw *hw)
{
	int chosen = fdt_path_offset("/chosen");
	int node = fdt_find_compatible(-1, "arm,pl061");
	const u8 *p = NULL;
	u32 len = 0;
	u64 size;

	if (chosen >= 0)
		p = fdt_prop(chosen, "humpy,root-hwirq-cap", &len);
	if (!p || len != 8)
		return "no hwirq cap (/chosen humpy,root-hwirq-cap absent)";
	hw->cap = ((u64)fdt_be32(p) << 32) | fdt_be32(p + 4);
	if (hw->cap == GH_CAP_INVALID)
		return "no hwirq cap (/chosen humpy,root-hwirq-cap all ones)";
	if (node < 0 || !fdt_reg(node, 0, &hw->gpio, &size))
		return "no arm,pl061 node with a reg in the device tree";
	return NULL;
}

/* Pin 0 as a level-high interrupt source, the line low. */
static bool hw_line_setup(const struct hw *hw)
{
	return probe_try_write32(hw->gpio + PL061_DATA_PIN0, 0) &&
	       probe_try_write32(hw->gpio + PL061_DIR, PL061_PIN0) &&
	       probe_try_write32(hw->gpio + PL061_IS, PL061_PIN0) &&
	       probe_try_write32(hw->gpio + PL061_IEV, PL061_PIN0) &&
	       probe_try_write32(hw->gpio + PL061_IC, PL061_PIN0) &&
	       probe_try_write32(hw->gpio + PL061_IE, PL061_PIN0);
}

static void hw_line(const struct hw *hw, bool high)
{
	probe_try_write32(hw->gpio + PL061_DATA_PIN0, high ? PL061_PIN0 : 0);
	if (!high)
		probe_try_write32(hw->gpio + PL061_IC, PL061_PIN0);
	dsb(sy);
}

static void hw_line_off(const struct hw *hw)
{
	hw_line(hw, false);
	probe_try_write32(hw->gpio + PL061_IE, 0);
}

/*
 * HW_TEST(name) defines vic.hwirq_<name> with `hw` (const struct hw *) besides rc and self: SKIP
 * without the hwirq cap or the PL061; the line is set up low before and switched off after.
 */
#define HW_TEST(name)                                                                              \
	static void hw_body_##name(const struct root_caps *rc, const struct ipc_self *self,        \
	                           const struct hw *hw);                                           \
	IPC_TEST(vic, hwirq_##name, GH_API_FLAG0_VIC, "vic", true)                                 \
	{                                                                                          \
		struct hw hw_;                                                                     \
		const char *why_ = hw_get(&hw_);                                                   \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		if (!hw_line_setup(&hw_)) {                                                        \
			test_error("PL061 at 0x%lx: a register write aborted", hw_.gpio);          \
			return;                                                                    \
		}                                                                                  \
		hw_body_##name(rc, self, &hw_);                                                    \
		hw_line_off(&hw_);                                                                 \
	}                                                                                          \
	static void hw_body_##name(const struct root_caps *rc UNUSED_ARG,                          \
	                           const struct ipc_self *self UNUSED_ARG,                         \
	                           const struct hw *hw UNUSED_ARG)

static void hw_bind(const struct ipc_self *self, const struct hw *hw, u64 virq)
{
	ipc_bind(self, GH_HVC_HWIRQ_BIND_VIRQ, GH_HVC_HWIRQ_UNBIND_VIRQ, hw->cap, virq);
}

/* Proves a bound hwirq is taken as exactly its VIRQ, once per raise of the line, and a level line
 * is taken again while high but not after it drops (§2 hwirq_bind_virq; ROOT_PROFILE.md). */
HW_TEST(taken_level)
{
	hw_bind(self, hw, HW_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_TAKEN("bound, line low", HW_VIRQ, 0);
	hw_line(hw, true);
	ASSERT_TAKEN("line raised", HW_VIRQ, 1);
	if (!ipc_irq_on(HW_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled, line still high", HW_VIRQ, 2);
	hw_line(hw, false);
	if (!ipc_irq_on(HW_VIRQ))
		return;
	ASSERT_TAKEN("re-enabled, line low", HW_VIRQ, 2);
	hw_line(hw, true);
	ASSERT_TAKEN("raised again", HW_VIRQ, 3);
}

/* Proves unbind stops delivery and rebinding to another VIRQ delivers there (§2 hwirq_unbind_virq).
 */
HW_TEST(unbind_rebind)
{
	hw_bind(self, hw, HW_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("unbind", hc(GH_HVC_HWIRQ_UNBIND_VIRQ, hw->cap, 0, 0, 0, 0), 0, 0);
	hw_line(hw, true);
	ASSERT_TAKEN("unbound, line high", HW_VIRQ, 0);
	hw_line(hw, false);
	hw_bind(self, hw, HW_VIRQ2);
	RETURN_IF_FAILED();
	hw_line(hw, true);
	ASSERT_TAKEN("rebound to the second VIRQ", HW_VIRQ2, 1);
}

/* Proves unbind of an unbound hwirq is OK (§2 VIRQ binding). */
HW_TEST(unbind_unbound)
{
	ASSERT_RESULT("unbind", hc(GH_HVC_HWIRQ_UNBIND_VIRQ, hw->cap, 0, 0, 0, 0), 0, 0);
	ASSERT_RESULT("unbind again", hc(GH_HVC_HWIRQ_UNBIND_VIRQ, hw->cap, 0, 0, 0, 0), 0, 0);
}

/* Proves binding a bound hwirq again is VIRQ_BOUND and the first binding keeps delivering (§2). */
HW_TEST(already_bound)
{
	hw_bind(self, hw, HW_VIRQ);
	RETURN_IF_FAILED();
	if (!ipc_irq_on(HW_VIRQ2))
		return;
	ASSERT_RESULT("bind again", hc(GH_HVC_HWIRQ_BIND_VIRQ, hw->cap, self->vic, HW_VIRQ2, 0, 0),
	              E(VIRQ_BOUND), 0);
	hw_line(hw, true);
	ASSERT_TAKEN("first binding", HW_VIRQ, 1);
}

/* Proves binding the hwirq to a VIRQ a doorbell holds is BUSY (§2). */
IPC_TEST(vic, hwirq_virq_busy, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic", true)
{
	struct hw hw;
	const char *why = hw_get(&hw);
	u64 db;

	if (why)
		SKIP("%s", why);
	db = db_make(rc);
	RETURN_IF_FAILED();
	ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, db, HW_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_RESULT("bind", hc(GH_HVC_HWIRQ_BIND_VIRQ, hw.cap, self->vic, HW_VIRQ, 0, 0), E(BUSY),
	              0);
}

/* Proves out-of-range VIRQs are ARGUMENT_INVALID for an hwirq bind (§2; ROOT_PROFILE.md). */
HW_TEST(out_of_range)
{
	ASSERT_RESULT("bind 15", hc(GH_HVC_HWIRQ_BIND_VIRQ, hw->cap, self->vic, 15, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("bind 1020", hc(GH_HVC_HWIRQ_BIND_VIRQ, hw->cap, self->vic, 1020, 0, 0),
	              E(ARGUMENT_INVALID), 0);
	ASSERT_RESULT("bind past the range",
	              hc(GH_HVC_HWIRQ_BIND_VIRQ, hw->cap, self->vic, ipc_virq_end(), 0, 0),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves hwirq bind/unbind need BIND_VIC on the hwirq and BIND_SOURCE on the VIC; a doorbell as
 * the hwirq is CSPACE_WRONG_OBJECT_TYPE (§2 spec rights). */
IPC_TEST(vic, hwirq_rights, GH_API_FLAG0_VIC | GH_API_FLAG0_DOORBELL, "vic", true)
{
	struct hw hw;
	const char *why = hw_get(&hw);
	u64 weak_hw, weak_vic, db;

	if (why)
		SKIP("%s", why);
	weak_hw = root_copy(rc, hw.cap, ~(u64)GH_RIGHT_HWIRQ_BIND_VIC);
	weak_vic = root_copy(rc, self->vic, ~(u64)GH_RIGHT_VIC_BIND_SOURCE);
	db = db_make(rc);
	RETURN_IF_FAILED();
	ASSERT_RESULT("hwirq without BIND_VIC",
	              hc(GH_HVC_HWIRQ_BIND_VIRQ, weak_hw, self->vic, HW_VIRQ, 0, 0),
	              E(CSPACE_INSUFFICIENT_RIGHTS), 0);
	ASSERT_RESULT("unbind without BIND_VIC", hc(GH_HVC_HWIRQ_UNBIND_VIRQ, weak_hw, 0, 0, 0, 0),
	              E(CSPACE_INSUFFICIENT_RIGHTS), 0);
	ASSERT_RESULT("VIC without BIND_SOURCE",
	              hc(GH_HVC_HWIRQ_BIND_VIRQ, hw.cap, weak_vic, HW_VIRQ, 0, 0),
	              E(CSPACE_INSUFFICIENT_RIGHTS), 0);
	ASSERT_RESULT("a doorbell as the hwirq",
	              hc(GH_HVC_HWIRQ_BIND_VIRQ, db, self->vic, HW_VIRQ, 0, 0),
	              E(CSPACE_WRONG_OBJECT_TYPE), 0);
}

/* Proves every cap-lookup error of hwirq_bind_virq's hwirq and VIC inputs (§2, §7); no hwirq can
 * be inactive (the hypervisor makes it), so only the VIC's wrong state is checked. */
HW_TEST(bind_cap_errors)
{
	u64 idle_vic = vic_make(rc, 1, 8, false);
	const u64 args[5] = {hw->cap, self->vic, HW_VIRQ, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_HWIRQ_BIND_VIRQ, args, 0, rc->cspace, GH_RIGHT_HWIRQ_BIND_VIC,
	               GH_CAP_INVALID);
	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_HWIRQ_BIND_VIRQ, args, 1, rc->cspace, GH_RIGHT_VIC_BIND_SOURCE,
	               idle_vic);
}

/* Proves every cap-lookup error of hwirq_unbind_virq's hwirq input (§2, §7). */
HW_TEST(unbind_cap_errors)
{
	const u64 args[5] = {hw->cap, 0, 0, 0, 0};

	ipc_cap_errors(rc, GH_HVC_HWIRQ_UNBIND_VIRQ, args, 0, rc->cspace, GH_RIGHT_HWIRQ_BIND_VIC,
	               GH_CAP_INVALID);
}

/*
 * The hwirq bound to the VIC of another VM (vm2.h: one vCPU, a VIC of its own): HW_VM2_TEST(name,
 * wfi, priority) defines vic.hwirq_<name> with `hw`, `vm` (started) and `v` (HW_VM2_VIRQ, enabled
 * in that VM and disabled there once taken) besides rc and self; SKIP as HW_TEST, or without the
 * vCPU calls.
 */
#define HW_VM2_VIRQ 77

static bool hw_vm2_start(const struct root_caps *rc, struct vm2 *vm, bool wfi, u64 priority)
{
	struct vm2_opts o;

	memset(&o, 0, sizeof(o));
	o.priority = priority;
	o.use_wfi = wfi;
	vm2_mask_set(o.enable, HW_VM2_VIRQ);
	vm2_mask_set(o.oneshot, HW_VM2_VIRQ);
	return vm2_start(rc, vm, 1, &o);
}

static bool hw_vm2_bind(const struct hw *hw, const struct vm2 *vm, u64 virq)
{
	u64 err = hc(GH_HVC_HWIRQ_BIND_VIRQ, hw->cap, vm->vic, virq, 0, 0).x[0];

	if (err != 0) {
		test_fail("hwirq_bind_virq to the second VM's VIC, VIRQ %lu: x0 expected 0x0 got "
		          "0x%lx",
		          virq, err);
		return false;
	}
	ipc_bound(GH_HVC_HWIRQ_UNBIND_VIRQ, hw->cap);
	return true;
}

#define HW_VM2_TEST(name, wfi, priority)                                                           \
	static void hw_vm2_body_##name(const struct root_caps *rc, const struct hw *hw,            \
	                               struct vm2 *vm, u64 v);                                     \
	HW_TEST(name)                                                                              \
	{                                                                                          \
		struct vm2 vm_;                                                                    \
		const char *why_ = vm2_missing();                                                  \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		vcpu_begin();                                                                      \
		if (hw_vm2_start(rc, &vm_, (wfi), (priority)))                                     \
			hw_vm2_body_##name(rc, hw, &vm_, HW_VM2_VIRQ);                             \
		vcpu_end();                                                                        \
	}                                                                                          \
	static void hw_vm2_body_##name(const struct root_caps *rc UNUSED_ARG, const struct hw *hw, \
	                               struct vm2 *vm, u64 v)

/*
 * Proves a hwirq bound to the VIC of a VM the root VM built (not the boot VM) is delivered to that
 * VM alone: the line raised while the root VM runs is latched and taken by the other VM's vCPU
 * when it runs, exactly once with INTID 77 (its own one-shot handler disables it); the root VM
 * takes nothing. Its end of the HW list register deactivates the physical SPI: after the line
 * dropped and the VIRQ was enabled again, a new raise is taken again (2); the SPI stayed masked
 * while the VIRQ was disabled and the line high (nothing more taken). Unbound, a raise reaches
 * no one (§2 hwirq_bind_virq, hwirq_unbind_virq).
 */
HW_VM2_TEST(other_vm_taken, false, 0)
{
	u64 en = plat.gicd + VM2_GICD_ISENABLER + 4 * (v / 32);

	if (!hw_vm2_bind(hw, vm, v))
		return;
	hw_line(hw, true);
	vm2_wait(vm, 0, v, 1);
	if (!vm2_expect("line raised", vm, 0, v, 1, 1))
		return;
	ASSERT_TAKEN("the root VM, line raised", v, 0);
	vm2_wait(vm, 0, v, 2);
	if (!vm2_expect("line still high, VIRQ disabled", vm, 0, v, 1, 1))
		return;
	hw_line(hw, false);
	vm2_cmd(vm, 0, VM2_WRITE32, en, 1U << (v % 32));
	RETURN_IF_FAILED();
	vm2_wait(vm, 0, v, 2);
	if (!vm2_expect("enabled again, line low", vm, 0, v, 1, 1))
		return;
	hw_line(hw, true);
	vm2_wait(vm, 0, v, 2);
	if (!vm2_expect("raised again", vm, 0, v, 2, 2))
		return;
	hw_line(hw, false);
	ASSERT_RESULT("unbind", hc(GH_HVC_HWIRQ_UNBIND_VIRQ, hw->cap, 0, 0, 0, 0), 0, 0);
	vm2_cmd(vm, 0, VM2_WRITE32, en, 1U << (v % 32));
	RETURN_IF_FAILED();
	hw_line(hw, true);
	vm2_wait(vm, 0, v, 3);
	if (!vm2_expect("unbound, raised", vm, 0, v, 2, 2))
		return;
	ASSERT_TAKEN("the root VM, after all", v, 0);
}

/*
 * Proves a hwirq wakes the other VM's vCPU waiting in WFI: that vCPU (priority 40, above the root
 * VM's 32) waits, so the root VM runs; the raise makes it ready, it takes INTID 77 exactly once
 * (one-shot) and waits again, while the root VM spins without a hypercall (§2; issue 10 point 4).
 */
HW_VM2_TEST(wakes_other_vm, true, 40)
{
	const struct vm2_cpu *m = vm->cpu[0];

	if (!hw_vm2_bind(hw, vm, v))
		return;
	ASSERT_EQ("taken before the raise", m->total, 0);
	hw_line(hw, true);
	ASSERT_TRUE("the waiting VM never took the hwirq",
	            vcpu_spin_until_changed(&m->total, 0, IPC_IRQ_WAIT_MS));
	vm2_wait(vm, 0, v, 2);
	if (!vm2_expect("line raised", vm, 0, v, 1, 1))
		return;
	ASSERT_TRUE("its wake-ups", vcpu2_block(0)->counter >= 1);
	hw_line(hw, false);
	ASSERT_TAKEN("the root VM", v, 0);
}

/*
 * The holder tests' steps once the other VM runs (vCPU 0 holds what it takes of `v`): the holder
 * dies off the CPU (vcpu_kill from here, `kill`) or on it (its own vcpu_poweroff).
 */
static void hw_dead_holder(const struct ipc_self *self, const struct hw *hw, struct vm2 *vm, u64 v,
                           bool kill)
{
	if (!hw_vm2_bind(hw, vm, v))
		return;
	hw_line(hw, true);
	vm2_wait(vm, 0, v, 1);
	if (!vm2_expect("line raised (taken, held active)", vm, 0, v, 1, 1))
		return;
	hw_line(hw, false);
	if (kill) {
		ASSERT_EQ("vcpu_kill of the holder", vc(GH_HVC_VCPU_KILL, vm->thread[0], 0, 0, 0),
		          0);
	} else {
		ASSERT_EQ("the holder's own vcpu_poweroff",
		          vm2_cmd(vm, 0, VM2_POWEROFF, vm->thread[0], 0), 0);
		RETURN_IF_FAILED();
		vm2_wait(vm, 0, v, 2);
		/* Only a vCPU that is off takes a register write. */
		ASSERT_EQ("vcpu_register_write of the holder (off)",
		          vc(GH_HVC_VCPU_REGISTER_WRITE, vm->thread[0], 0, 0, 0), 0);
	}
	ASSERT_RESULT("unbind from the dead holder's VIC",
	              hc(GH_HVC_HWIRQ_UNBIND_VIRQ, hw->cap, 0, 0, 0, 0), 0, 0);
	hw_bind(self, hw, HW_VIRQ);
	RETURN_IF_FAILED();
	ASSERT_TAKEN("bound to the root VM, line low", HW_VIRQ, 0);
	hw_line(hw, true);
	ASSERT_TAKEN("bound to the root VM, raised after the holder died", HW_VIRQ, 1);
	ASSERT_EQ("the dead holder's interrupts in all", vm->cpu[0]->total, 1);
}

/* Starts the other VM with vCPU 0 holding HW_VM2_VIRQ, runs hw_dead_holder, cleans up. */
static void hw_holder_test(const struct root_caps *rc, const struct ipc_self *self,
                           const struct hw *hw, bool kill)
{
	const char *why = vm2_missing();
	struct vm2_opts o;
	struct vm2 vm;

	if (why)
		SKIP("%s", why);
	memset(&o, 0, sizeof(o));
	vm2_mask_set(o.enable, HW_VM2_VIRQ);
	vm2_mask_set(o.hold, HW_VM2_VIRQ);
	vcpu_begin();
	if (vm2_start(rc, &vm, 1, &o))
		hw_dead_holder(self, hw, &vm, HW_VM2_VIRQ, kill);
	vcpu_end();
}

/*
 * Proves a hwirq held active by a vCPU that is killed is ended (issue 10 point 6: a VM that cannot
 * go on is stopped alone; §2 vcpu_kill): the other VM's vCPU takes INTID 77 and never ends it (no
 * EOI: the physical SPI stays active while it lives); killed (off the CPU: its list registers are
 * saved), and the hwirq bound to the root VM's own VIC instead, a new raise is taken there exactly
 * once. Were the SPI still active, the GIC would never signal it again.
 */
HW_TEST(killed_holder_ends)
{
	hw_holder_test(rc, self, hw, true);
}

/*
 * Proves the same for a holder that powers itself off (§2 vcpu_poweroff; it leaves the CPU with
 * the SPI live in its list registers): the poweroff does not return (the vCPU is off: register
 * write OK), and the root VM then takes a new raise exactly once.
 */
HW_TEST(poweroff_holder_ends)
{
	hw_holder_test(rc, self, hw, false);
}
