/* child build: the root guest builds a second VM from hypercalls (partition, cspace, address space,
 * memory extents derived from its own root memory, one vCPU), loads the child image into it, runs
 * it and collects what it reported (README.md). */
#include <humpy/arch.h>
#include <humpy/fdt.h>
#include <humpy/ipc.h>
#include <humpy/irq.h>
#include <humpy/mem.h>
#include <humpy/plat.h>
#include <humpy/root.h>

#include "child_run.h"

/* The image, carried in the root guest (conformance.mk: child_blob.S). */
extern const char child_image_start[], child_image_end[];
extern char _start[];

/* Where the root guest maps the child's pages into its own address space (its stage 1 maps the
 * low 4 GiB 1:1, Device outside RAM: accesses there go straight to memory); the copy window
 * CHILD_PARENT_LOAD_IPA is in child_run.h. */
#define CHILD_PARENT_SHARED_IPA 0xE0100000ULL
#define CHILD_PARENT_OTHER_IPA  0xE0200000ULL
/* What the root VM writes into the other VM's page: a read of it from the child names it. */
#define CHILD_OTHER_MARKER 0x07E5A11A5ED0A7A0ULL

/* The root-memory layout of one run, from 1 MiB into the root memory (the mem tests use the start):
 * the child's RAM, the shared page, and the other VM's RAM, each derived from one basic extent. */
#define CHILD_MEM_OFFSET    0x100000ULL
#define CHILD_MEM_SIZE      0x100000ULL
#define CHILD_SHARED_OFFSET 0x80000ULL
#define CHILD_OTHER_OFFSET  0xC0000ULL
#define CHILD_OTHER_SIZE    0x4000ULL
#define CHILD_FREE_OFFSET   0xE0000ULL /* a page of the extent no one maps */

#define CHILD_VMID        0x41
#define CHILD_OTHER_VMID  0x42
#define CHILD_CSPACE_CAPS 4
#define CHILD_DB_VIRQ     IPC_VIRQ(5)
#define CHILD_VIC_VIRQS   64
#define CHILD_RUN_MS      1000
#define CHILD_ITS_OFFSET  0x80000ULL /* QEMU virt: the ITS frame 512 KiB above the distributor */

#define ROOT_AS_REASON                                                                             \
	"no cap to the root VM's own address space (/chosen humpy,root-addrspace-cap)"

/* One run of each mode a boot: what it left, how it ended, why not (for SKIP or ERROR). */
enum child_run_state { CHILD_NOT_RUN, CHILD_RAN, CHILD_SKIPPED, CHILD_BROKEN };
static struct child_result child_results[2];
static enum child_run_state child_states[2];
static char child_whys[2][200];
/*
 * Caps copied into the child's cspace: deleted from it after the run. The thread holds its cspace
 * and the cspace a cap to the thread, so without this the VM never dies (and its VMID stays taken:
 * the second run, which reuses it, would find activation BUSY).
 */
#define CHILD_CS_COPIES 4
static u64 child_cs, child_cs_copy[CHILD_CS_COPIES];
static unsigned child_n_cs_copies;

static u64 child_copy_in(const struct root_caps *rc, u64 cap, u64 rights)
{
	u64 c = root_copy_into(rc, cap, child_cs, rights);

	if (c != GH_CAP_INVALID && child_n_cs_copies < CHILD_CS_COPIES)
		child_cs_copy[child_n_cs_copies++] = c;
	return c;
}

static void child_cs_empty(void)
{
	while (child_n_cs_copies > 0) {
		u64 c = child_cs_copy[--child_n_cs_copies];
		u64 err = hc_err(GH_HVC_CSPACE_DELETE_CAP_FROM, child_cs, c, 0);

		if (err != 0)
			test_fail("deleting cap 0x%lx from the child's cspace: x0 expected 0x0 got "
			          "0x%lx",
			          c, err);
	}
}

/* The run being made (child_build_and_run and its helpers). */
static struct child_result *child_res;
static enum child_run_state *child_state;
static char *child_why;
#define CHILD_WHY_SIZE sizeof(child_whys[0])

/* /chosen humpy,<name> as a 64-bit cap, or pairs of 64-bit cells (ROOT_PROFILE.md); all ones =
 * none.
 */
static bool child_chosen_u64s(const char *name, u64 *out, unsigned n)
{
	int chosen = fdt_present() ? fdt_path_offset("/chosen") : -1;
	const u8 *p;
	u32 len = 0;
	unsigned i;

	if (chosen < 0)
		return false;
	p = fdt_prop(chosen, name, &len);
	if (!p || len != 8U * n)
		return false;
	for (i = 0; i < n; i++) {
		out[i] = ((u64)fdt_be32(p + 8 * i) << 32) | fdt_be32(p + 8 * i + 4);
		if (out[i] == ~0ULL)
			return false;
	}
	return true;
}

static void child_skip(const char *why)
{
	snprintf(child_why, CHILD_WHY_SIZE, "%s", why);
	*child_state = CHILD_SKIPPED;
}

static bool child_step(const char *what, u64 got, u64 want)
{
	if (got == want)
		return true;
	/* A build step is the child tests' set-up: after an abandoned test (its VM may still hold
	 * the child's VMIDs) its failure is ERROR, as for the root fixtures. */
	root_fixture_failed("child build: %s: x0 expected 0x%lx got 0x%lx", what, want, got);
	return false;
}

/* Device-mapped 64-bit accesses to what the root guest mapped of the child's memory. */
static void child_poke(u64 addr, u64 v)
{
	*(volatile u64 *)(uintptr_t)addr = v;
}
static u64 child_peek(u64 addr)
{
	return *(volatile u64 *)(uintptr_t)addr;
}

/* The probes' addresses, as the child will use them. */
static void child_regions(u64 *region, const struct mem_ram *ram)
{
	u64 hyp[2];
	int gpio = fdt_present() ? fdt_find_compatible(-1, "arm,pl061") : -1;
	u64 size;

	if (child_chosen_u64s("humpy,hyp-memory", hyp, 2) && hyp[1] >= 64) {
		region[CR_HYP] = hyp[0];
		region[CR_HYP_MID] = hyp[0] + (hyp[1] / 2 & ~7ULL);
		region[CR_HYP_TOP] = hyp[0] + hyp[1] - 16;
	}
	if (plat.n_ram > 0) {
		region[CR_PARENT_RAM] = plat.ram_base[0];
		region[CR_PARENT_END] = plat.ram_base[0] + plat.ram_size[0];
	}
	region[CR_PARENT_DTB] = plat.dtb;
	region[CR_PARENT_IMAGE] = (u64)(uintptr_t)_start;
	region[CR_ROOT_MEM] = ram->base + CHILD_MEM_OFFSET + CHILD_FREE_OFFSET;
	region[CR_OTHER_VM] = ram->base + CHILD_MEM_OFFSET + CHILD_OTHER_OFFSET;
	region[CR_ALIAS] = CHILD_ALIAS_IPA;
	region[CR_GICD] = plat.gicd;
	region[CR_GICR] = plat.gicr;
	region[CR_ITS] = plat.gicd ? plat.gicd + CHILD_ITS_OFFSET : 0;
	region[CR_UART] = plat.uart;
	if (gpio >= 0 && !fdt_reg(gpio, 0, &region[CR_GPIO], &size))
		region[CR_GPIO] = 0;
	region[CR_CHILD_RAM] = CHILD_RAM_IPA;
	region[CR_CHILD_END] = CHILD_RAM_IPA + CHILD_RAM_SIZE;
	region[CR_SHARED] = CHILD_SHARED_IPA;
	region[CR_SHARED_END] = CHILD_SHARED_IPA + CHILD_SHARED_SIZE;
}

/* Copies the image into the child's RAM through a mapping in the root guest's own address space. */
static bool child_load(u64 self_as, u64 ram_me)
{
	u64 n = (u64)(uintptr_t)child_image_end - (u64)(uintptr_t)child_image_start, off;

	if (n > CHILD_RAM_SIZE) {
		test_error("child image of %lu bytes is larger than its RAM", n);
		return false;
	}
	if (!child_step("map the child's RAM into the root VM",
	                mem_map(self_as, ram_me, CHILD_PARENT_LOAD_IPA, MAP_RW_WB, 0, 0, 0), 0))
		return false;
	for (off = 0; off < CHILD_RAM_SIZE; off += 8) {
		u64 v = 0;

		if (off < n)
			memcpy(&v, child_image_start + off, n - off < 8 ? n - off : 8);
		child_poke(CHILD_PARENT_LOAD_IPA + off, v);
	}
	__asm__ volatile("dsb sy" ::: "memory");
	/* Read back through the same mapping: the root address space really maps those pages. */
	for (off = 0; off < n; off += 8) {
		u64 v = 0, got = child_peek(CHILD_PARENT_LOAD_IPA + off);

		memcpy(&v, child_image_start + off, n - off < 8 ? n - off : 8);
		if (got != v) {
			test_fail("child image read back at +0x%lx: expected 0x%lx got 0x%lx", off,
			          v, got);
			return false;
		}
	}
	return child_step("unmap it again",
	                  mem_unmap(self_as, ram_me, CHILD_PARENT_LOAD_IPA, 0, 0, 0), 0);
}

/* Offsets of the shared page's fields, for the root guest's Device accesses. */
#define SH_OFF(field) ((u64) __builtin_offsetof(struct child_shared, field))

static void child_shared_write(const struct child_shared *sh)
{
	const u64 *w = (const u64 *)sh;
	u64 i;

	for (i = 0; i < CHILD_SHARED_SIZE / 8; i++)
		child_poke(CHILD_PARENT_SHARED_IPA + 8 * i, i < sizeof(*sh) / 8 ? w[i] : 0);
	__asm__ volatile("dsb sy" ::: "memory");
}

static void child_shared_read(struct child_shared *sh)
{
	u64 *w = (u64 *)sh;
	u64 i;

	for (i = 0; i < sizeof(*sh) / 8; i++)
		w[i] = child_peek(CHILD_PARENT_SHARED_IPA + 8 * i);
}

/* Waits, yielding to the child, until it is done or CHILD_RUN_MS passed; its state. */
/* Waits, yielding to the child, until it reaches `until` (or done, or broke) or CHILD_RUN_MS
 * passed; its state. */
static u64 child_wait(u64 until)
{
	u64 end = timer_now() + timer_freq() * CHILD_RUN_MS / 1000, st = 0;

	while (timer_now() < end) {
		hc(GH_HVC_SCHEDULER_YIELD, 0, 0, 0, 0, 0);
		st = child_peek(CHILD_PARENT_SHARED_IPA + SH_OFF(state));
		if (st == until || st == CHILD_STATE_DONE || st == CHILD_STATE_BAD)
			break;
	}
	return st;
}

/*
 * CHILD_MODE_VGIC, after the child powered off with its expired timer's PPI injected (child
 * main.c): the root VM's own virtual timer, expired at once with IRQs masked, must reach its GIC
 * CPU interface (the highest pending: ICC_HPPIR1_EL1, GICv2 GICC_HPPIR) within
 * CHILD_ROOT_VT_WAIT_MS, and is acknowledged and ended here (irq.c, either GIC).
 * The time limit's CNTV_CVAL/CTL are put back after, IRQs as they were.
 */
#define CNTV_CTL_ENABLE 1ULL
#define CNTV_CTL_IMASK  2ULL

static void child_root_vtimer(void)
{
	u64 cval = sysreg_read(cntv_cval_el0), ctl = sysreg_read(cntv_ctl_el0);
	u64 daif = sysreg_read(daif), end, iar;

	__asm__ volatile("msr daifset, #3" ::: "memory");
	sysreg_write(cntv_cval_el0, timer_now());
	sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
	end = timer_now() + timer_freq() / 1000 * CHILD_ROOT_VT_WAIT_MS;
	while (timer_now() < end && irq_highest_pending() != plat.vtimer_intid)
		;
	iar = irq_ack();
	sysreg_write(cntv_ctl_el0, CNTV_CTL_IMASK); /* level: silenced before its EOI */
	isb();
	if (iar < IRQ_INTID_LIMIT)
		irq_eoi((u32)iar);
	child_res->root_vt_iar = iar;
	sysreg_write(cntv_cval_el0, cval);
	sysreg_write(cntv_ctl_el0, ctl);
	isb();
	sysreg_write(daif, daif);
}

/* The root VM's receive and doorbell check after the child finished (CHILD_MODE_ISOLATION). */
static void child_collect_exchange(u64 q_c2p, u64 db)
{
	u8 msg[CHILD_MSG_SIZE + 16];
	struct gh_ret r;
	u64 i;

	memset(msg, IPC_POISON, sizeof(msg));
	r = mq_recv(q_c2p, msg, sizeof(msg));
	child_res->c2p_x0 = r.x[0];
	child_res->c2p_size = r.x[1];
	child_res->c2p_not_empty = r.x[2];
	child_res->c2p_bad_byte = ~0ULL;
	for (i = 0; i < sizeof(msg); i++) {
		u8 want = i < CHILD_MSG_SIZE ? child_msg_byte(CHILD_MSG_SEED_C2P, i) : IPC_POISON;

		if (msg[i] != want) {
			child_res->c2p_bad_byte = i;
			break;
		}
	}
	irq_wait((u32)CHILD_DB_VIRQ, 1, IPC_IRQ_WAIT_MS);
	irq_settle(IPC_IRQ_QUIET_MS);
	child_res->db_taken = irq_count((u32)CHILD_DB_VIRQ);
	r = hc(GH_HVC_DOORBELL_RECEIVE, db, ~0ULL, 0, 0, 0);
	child_res->db_recv_x0 = r.x[0];
	child_res->db_recv_flags = r.x[1];
}

static void child_build_and_run(const struct root_caps *rc, const struct ipc_self *self,
                                const struct mem_ram *ram, u64 self_as, u64 mode)
{
	struct child_shared sh;
	u64 part, cs, as, as_b, top, ram_me, sh_me, other_me, alias_me, t, err, st;
	u64 q_p2c = GH_CAP_INVALID, q_c2p = GH_CAP_INVALID, db = GH_CAP_INVALID, vic = 0;
	u64 phys = ram->base + CHILD_MEM_OFFSET;
	u8 msg[CHILD_MSG_SIZE];
	struct gh_ret r;
	u64 i;

	/* The VM's own partition, its cspace and vCPU from it. */
	part = root_partition(rc, 0, true);
	RETURN_IF_FAILED();
	cs = root_create(rc, GH_HVC_PARTITION_CREATE_CSPACE, part);
	/* Address spaces from the root partition: VMIDs are the root partition's to hand out. */
	as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);
	as_b = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);
	t = root_create(rc, GH_HVC_PARTITION_CREATE_THREAD, part);
	RETURN_IF_FAILED();
	if (!child_step("cspace_configure",
	                hc_err(GH_HVC_CSPACE_CONFIGURE, cs, CHILD_CSPACE_CAPS, 0), 0) ||
	    !child_step("activate the cspace", hc_err(GH_HVC_OBJECT_ACTIVATE, cs, 0, 0), 0) ||
	    !child_step("addrspace_configure",
	                hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as, CHILD_VMID, 0), 0) ||
	    !child_step("activate the address space", hc_err(GH_HVC_OBJECT_ACTIVATE, as, 0, 0),
	                0) ||
	    !child_step("addrspace_configure (other VM)",
	                hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as_b, CHILD_OTHER_VMID, 0), 0) ||
	    !child_step("activate the other VM's address space",
	                hc_err(GH_HVC_OBJECT_ACTIVATE, as_b, 0, 0), 0))
		return;

	/* Memory: one basic extent over root memory, the VMs' parts derived from it. */
	top = me_make(rc, phys, CHILD_MEM_SIZE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	ram_me = me_derive(rc, top, 0, CHILD_RAM_SIZE, ME_RWX_ANY, true);
	sh_me = me_derive(rc, top, CHILD_SHARED_OFFSET, CHILD_SHARED_SIZE, ME_RWX_ANY, true);
	other_me = me_derive(rc, top, CHILD_OTHER_OFFSET, CHILD_OTHER_SIZE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	if (!child_load(self_as, ram_me))
		return;
	/*
	 * The window it was copied through is gone: a load there aborts at once (unmap invalidated
	 * the root VM's TLB entries for it, reference section 2 addrspace_unmap).
	 */
	exc_expect_begin();
	probe_read32(CHILD_PARENT_LOAD_IPA);
	{
		struct exc_record rec = exc_expect_end();

		child_res->unmapped_taken = rec.taken;
		child_res->unmapped_esr = rec.esr;
		child_res->unmapped_far = rec.far;
	}
	/* The other VM's page gets a marker, written through the root VM's own address space. */
	if (!child_step("map the other VM's RAM into the root VM",
	                mem_map(self_as, other_me, CHILD_PARENT_OTHER_IPA, MAP_RW_WB, 0, 0, 0), 0))
		return;
	for (i = 0; i < CHILD_OTHER_SIZE; i += 8)
		child_poke(CHILD_PARENT_OTHER_IPA + i, CHILD_OTHER_MARKER);
	__asm__ volatile("dsb sy" ::: "memory");
	if (!child_step("unmap it from the root VM",
	                mem_unmap(self_as, other_me, CHILD_PARENT_OTHER_IPA, 0, 0, 0), 0))
		return;
	if (!child_step("map the shared page into the root VM",
	                mem_map(self_as, sh_me, CHILD_PARENT_SHARED_IPA, MAP_RW_WB, 0, 0, 0), 0) ||
	    !child_step("map the child's RAM",
	                mem_map(as, ram_me, CHILD_RAM_IPA,
	                        map_attrs(GH_MEM_ACCESS_RWX, GH_MEM_ACCESS_RWX,
	                                  GH_MEM_VM_MEMTYPE_NORMAL_WB),
	                        0, 0, 0),
	                0) ||
	    !child_step("map the shared page into the child",
	                mem_map(as, sh_me, CHILD_SHARED_IPA, MAP_RW_WB, 0, 0, 0), 0) ||
	    !child_step("map the other VM's RAM (IPA = PA)",
	                mem_map(as_b, other_me, phys + CHILD_OTHER_OFFSET, MAP_RW_WB, 0, 0, 0), 0))
		return;

	/*
	 * The other VM's page, offered to the child through an extent of its own: the memory
	 * database must refuse the second owner (MEMDB_NOT_OWNER, ROOT_PROFILE.md). Should it not,
	 * the page is mapped where the child probes (child.other_vm_alias_read then sees data).
	 */
	alias_me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	RETURN_IF_FAILED();
	err =
	    hc(GH_HVC_MEMEXTENT_CONFIGURE, alias_me, phys + CHILD_OTHER_OFFSET, PAGE, ME_RWX_ANY, 0)
	        .x[0];
	if (err == 0)
		err = hc_err(GH_HVC_OBJECT_ACTIVATE, alias_me, 0, 0);
	child_res->alias_x0 = err;
	if (err == 0)
		mem_map(as, alias_me, CHILD_ALIAS_IPA, MAP_RW_WB, 0, 0, 0);

	/*
	 * The vCPU: configured, its cspace and address space (and in CHILD_MODE_VGIC a VIC of its
	 * own) attached, activated. Everything before needs no vCPU, so a build without them still
	 * has it all checked.
	 */
	if (!(gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1] & GH_API_FLAG0_VCPU)) {
		child_skip("identify flags0 bit 5 (vcpu) clear: the child VM was built, its image "
		           "loaded, but it cannot run");
		return;
	}
	err = hc_err(GH_HVC_VCPU_CONFIGURE, t, 0, 0);
	if (err != 0) {
		snprintf(child_why, CHILD_WHY_SIZE, "vcpu_configure answered 0x%lx", err);
		*child_state = CHILD_SKIPPED;
		return;
	}
	if (!child_step("cspace_attach_thread", hc_err(GH_HVC_CSPACE_ATTACH_THREAD, cs, t, 0), 0) ||
	    !child_step("addrspace_attach_thread", hc_err(GH_HVC_ADDRSPACE_ATTACH_THREAD, as, t, 0),
	                0))
		return;
	if (mode == CHILD_MODE_VGIC) {
		vic = root_create(rc, GH_HVC_PARTITION_CREATE_VIC, rc->partition);
		RETURN_IF_FAILED();
		if (!child_step("vic_configure (1 vCPU, 64 VIRQs)",
		                hc(GH_HVC_VIC_CONFIGURE, vic, 1, CHILD_VIC_VIRQS, 0, 0).x[0], 0) ||
		    !child_step("activate the VIC", hc_err(GH_HVC_OBJECT_ACTIVATE, vic, 0, 0), 0) ||
		    !child_step("vic_attach_vcpu", hc_err(GH_HVC_VIC_ATTACH_VCPU, vic, t, 0), 0))
			return;
	}
	err = hc_err(GH_HVC_OBJECT_ACTIVATE, t, 0, 0);
	if (err == E(OBJECT_CONFIG)) {
		child_skip(
		    "activating a configured thread with its address space and cspace attached "
		    "answered OBJECT_CONFIG: this build runs no vCPU a guest creates");
		return;
	}
	if (!child_step("activate the thread", err, 0))
		return;

	memset(&sh, 0, sizeof(sh));
	sh.magic = CHILD_MAGIC;
	sh.mode = mode;
	child_regions(sh.region, ram);
	child_cs = cs;
	child_n_cs_copies = 0;
	sh.self_cap = child_copy_in(rc, t, GH_RIGHT_THREAD_POWER);
	sh.q_p2c = sh.q_c2p = sh.db_c2p = GH_CAP_INVALID;
	if (mode == CHILD_MODE_VGIC) {
		/* A doorbell of the root VM's, bound to the child's VIC. */
		db = db_make(rc);
		RETURN_IF_FAILED();
		if (!child_step("doorbell_bind_virq to the child's VIC",
		                hc(GH_HVC_DOORBELL_BIND_VIRQ, db, vic, CHILD_VGIC_VIRQ, 0, 0).x[0],
		                0))
			return;
		ipc_bound(GH_HVC_DOORBELL_UNBIND_VIRQ, db);
		sh.db_virq = CHILD_VGIC_VIRQ;
		sh.vtimer_intid = plat.vtimer_intid;
		sh.gicc = plat.gic_version == 2 ? plat.gicc : 0; /* the child's GIC is ours */
	} else {
		/* A queue each way, a doorbell the child rings into this VM's VIC. */
		q_p2c = mq_make(rc, 2, CHILD_MSG_SIZE);
		q_c2p = mq_make(rc, 2, CHILD_MSG_SIZE);
		db = db_make(rc);
		RETURN_IF_FAILED();
		ipc_bind(self, GH_HVC_DOORBELL_BIND_VIRQ, GH_HVC_DOORBELL_UNBIND_VIRQ, db,
		         CHILD_DB_VIRQ);
		RETURN_IF_FAILED();
		child_res->db_virq = CHILD_DB_VIRQ;
		sh.q_p2c = child_copy_in(rc, q_p2c, GH_RIGHT_MSGQUEUE_RECEIVE);
		sh.q_c2p = child_copy_in(rc, q_c2p, GH_RIGHT_MSGQUEUE_SEND);
		sh.db_c2p = child_copy_in(rc, db, GH_RIGHT_DOORBELL_SEND);
		for (i = 0; i < CHILD_MSG_SIZE; i++)
			msg[i] = child_msg_byte(CHILD_MSG_SEED_P2C, i);
		r = mq_send(q_p2c, CHILD_MSG_SIZE, msg, 0);
		if (!child_step("msgqueue_send to the child", r.x[0], 0))
			return;
	}
	RETURN_IF_FAILED();
	child_shared_write(&sh);

	err = hc(GH_HVC_VCPU_POWERON, t, CHILD_RAM_IPA, CHILD_SHARED_IPA, 0, 0).x[0];
	if (!child_step("vcpu_poweron(entry CHILD_RAM_IPA, x0 = the shared page)", err, 0))
		return;
	st = child_wait(CHILD_STATE_WAIT_IRQ);
	if (st == CHILD_STATE_WAIT_IRQ) {
		r = hc(GH_HVC_DOORBELL_SEND, db, 1, 0, 0, 0);
		child_res->vgic_send_x0 = r.x[0];
		child_res->vgic_send_old = r.x[1];
		st = child_wait(CHILD_STATE_DONE);
	}
	/* Let it reach vcpu_poweroff, then stop it whatever it did. */
	for (i = 0; i < 4; i++)
		hc(GH_HVC_SCHEDULER_YIELD, 0, 0, 0, 0, 0);
	child_shared_read(&child_res->sh);
	hc_err(GH_HVC_VCPU_KILL, t, 0, 0);
	if (st != CHILD_STATE_DONE) {
		test_fail("child VM: state 0x%lx after %u ms, expected 0x%x (done); %lu stray "
		          "exception(s), the last ESR 0x%lx ELR 0x%lx",
		          st, CHILD_RUN_MS, CHILD_STATE_DONE, child_res->sh.stray_count,
		          child_res->sh.stray_esr, child_res->sh.stray_elr);
		return;
	}
	if (mode == CHILD_MODE_ISOLATION)
		child_collect_exchange(q_c2p, db);
	else if (child_res->sh.vt_ran)
		child_root_vtimer();
	*child_state = CHILD_RAN;
}

const struct child_result *child_get(u64 mode, const char **why, bool *skip)
{
	const char *missing;
	struct root_caps rc;
	struct ipc_self self;
	struct mem_ram ram;
	u64 self_as;

	child_res = &child_results[mode];
	child_state = &child_states[mode];
	child_why = child_whys[mode];
	if (*child_state == CHILD_NOT_RUN) {
		missing = mem_missing(true);
		if (!missing)
			missing = ipc_missing(GH_API_FLAG0_MSGQUEUE | GH_API_FLAG0_DOORBELL |
			                          GH_API_FLAG0_VIC,
			                      "child", true);
		if (!missing && !child_chosen_u64s("humpy,root-addrspace-cap", &self_as, 1))
			missing = ROOT_AS_REASON;
		if (!missing &&
		    (!mem_ram_get(&ram) || ram.size < CHILD_MEM_OFFSET + CHILD_MEM_SIZE))
			missing = "the root memory is smaller than the child VM's 2 MiB";
		if (missing) {
			child_skip(missing);
		} else {
			root_caps_get(&rc);
			ipc_self_get(&self);
			*child_state = CHILD_BROKEN;
			snprintf(child_why, CHILD_WHY_SIZE,
			         "the child VM could not be built or run (see the first child test "
			         "run)");
			ipc_begin(); /* before root_begin: see ipc_begin */
			if (root_begin(&rc)) {
				mem_begin();
				child_n_cs_copies = 0;
				child_build_and_run(&rc, &self, &ram, self_as, mode);
				child_cs_empty();
				ipc_end(&rc);
				mem_end();
				root_end(&rc);
			}
			if (*child_state == CHILD_RAN && test_has_failed())
				*child_state = CHILD_BROKEN; /* its teardown failed */
		}
	}
	*skip = *child_state == CHILD_SKIPPED;
	*why = child_why;
	return *child_state == CHILD_RAN ? child_res : NULL;
}
