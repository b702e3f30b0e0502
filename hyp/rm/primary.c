/* primary: the hypercall sequence that makes the primary VM (primary.h). Each step's error is
 * checked; the first failure stops the build and names the step. */
#include "primary.h"

#include "console.h"
#include "fdt_patch.h"
#include "hvc.h"
#include "irq_hyp.h"
#include "mem_hyp.h"

/* The step being made and its error, for the caller's one line. */
static const char *primary_failed;

static bool step(const char *what, uint64_t err)
{
	if (err != HVC_OK) {
		rm_printf("rm: primary VM: %s: error %lu\n", what, err);
		primary_failed = what;
		return false;
	}
	return true;
}

static bool create(const struct rm_boot_info *b, uint32_t call, const char *what, uint64_t *cap)
{
	uint64_t err;

	*cap = hvc_create(call, b->partition, b->cspace, &err);
	return step(what, err);
}

static bool configure_extent(uint64_t me, uint64_t base, uint64_t size, uint64_t attrs,
                             const char *what)
{
	const uint64_t a[4] = {me, base, size, attrs};

	return step(what, hvc_call(HVC_MEMEXTENT_CONFIGURE, a, 4).x[0]) &&
	       step(what, hvc_err(HVC_OBJECT_ACTIVATE, me, 0, 0));
}

static bool map(uint64_t as, uint64_t me, uint64_t ipa, uint64_t attrs, const char *what)
{
	const uint64_t a[6] = {as, me, ipa, attrs, 0, 0};

	return step(what, hvc_call(HVC_ADDRSPACE_MAP, a, 6).x[0]);
}

static bool bind(uint32_t call, uint64_t queue, uint64_t vic, uint32_t virq, const char *what)
{
	return step(what, hvc_err(call, queue, vic, virq));
}

static bool copy_cap(const struct rm_boot_info *b, uint64_t cap, uint64_t to, uint64_t rights,
                     uint64_t *out, const char *what)
{
	const uint64_t a[4] = {b->cspace, cap, to, rights};
	struct hvc_ret r = hvc_call(HVC_CSPACE_COPY_CAP_FROM, a, 4);

	*out = r.x[1];
	return step(what, r.x[0]);
}

static bool make_queue(const struct rm_boot_info *b, uint64_t *q, const char *what)
{
	return create(b, HVC_PARTITION_CREATE_MSGQUEUE, what, q) &&
	       step(what, hvc_err(HVC_MSGQUEUE_CONFIGURE, *q,
	                          HVC_MSGQUEUE_INFO(PRIMARY_MSGQ_DEPTH, PRIMARY_MSGQ_SIZE), 0)) &&
	       step(what, hvc_err(HVC_OBJECT_ACTIVATE, *q, 0, 0));
}

/* Objects: cspace, address space (VMID 3), VIC, the vCPU attached to all three. */
static bool primary_objects(const struct rm_boot_info *b, struct primary_vm *vm)
{
	if (!create(b, HVC_PARTITION_CREATE_CSPACE, "create cspace", &vm->cspace) ||
	    !step("cspace_configure",
	          hvc_err(HVC_CSPACE_CONFIGURE, vm->cspace, PRIMARY_CSPACE_CAPS, 0)) ||
	    !step("activate cspace", hvc_err(HVC_OBJECT_ACTIVATE, vm->cspace, 0, 0)) ||
	    !create(b, HVC_PARTITION_CREATE_ADDRSPACE, "create addrspace", &vm->addrspace) ||
	    !step("addrspace_configure (VMID 3)",
	          hvc_err(HVC_ADDRSPACE_CONFIGURE, vm->addrspace, PRIMARY_VMID, 0)) ||
	    !step("activate addrspace", hvc_err(HVC_OBJECT_ACTIVATE, vm->addrspace, 0, 0)) ||
	    !create(b, HVC_PARTITION_CREATE_VIC, "create vic", &vm->vic)) {
		return false;
	}
	{
		const uint64_t a[3] = {vm->vic, 1, PRIMARY_VIC_VIRQS};

		if (!step("vic_configure", hvc_call(HVC_VIC_CONFIGURE, a, 3).x[0]) ||
		    !step("activate vic", hvc_err(HVC_OBJECT_ACTIVATE, vm->vic, 0, 0))) {
			return false;
		}
	}
	return create(b, HVC_PARTITION_CREATE_THREAD, "create thread", &vm->vcpu) &&
	       step("vcpu_configure (hlos)",
	            hvc_err(HVC_VCPU_CONFIGURE, vm->vcpu, HVC_VCPU_OPTION_HLOS_VM, 0)) &&
	       step("cspace_attach_thread",
	            hvc_err(HVC_CSPACE_ATTACH_THREAD, vm->cspace, vm->vcpu, 0)) &&
	       step("addrspace_attach_thread",
	            hvc_err(HVC_ADDRSPACE_ATTACH_THREAD, vm->addrspace, vm->vcpu, 0)) &&
	       step("vic_attach_vcpu", hvc_err(HVC_VIC_ATTACH_VCPU, vm->vic, vm->vcpu, 0)) &&
	       step("vcpu_set_priority",
	            hvc_err(HVC_VCPU_SET_PRIORITY, vm->vcpu, PRIMARY_PRIORITY, 0)) &&
	       step("activate thread", hvc_err(HVC_OBJECT_ACTIVATE, vm->vcpu, 0, 0));
}

/* Memory: all of its RAM at IPA = PA, the UART page as a device; the DT window derived from the
 * RAM extent so the RM can map just that into itself. */
static bool primary_memory(const struct rm_boot_info *b, struct primary_vm *vm)
{
	const uint64_t ram = b->hlos_memory.base, dt_off = b->hlos_dtb - ram;

	if (b->hlos_dtb < ram || dt_off + PRIMARY_DT_WINDOW > b->hlos_memory.size ||
	    b->hlos_entry < ram || b->hlos_entry - ram >= b->hlos_memory.size) {
		return step("entry and DT inside the RAM", 1);
	}
	if (!create(b, HVC_PARTITION_CREATE_MEMEXTENT, "create RAM extent", &vm->ram_me) ||
	    !configure_extent(vm->ram_me, ram, b->hlos_memory.size,
	                      HVC_MEMEXTENT_ATTRS(HVC_ACCESS_RWX, HVC_MEMEXTENT_MEMTYPE_ANY),
	                      "RAM extent") ||
	    !create(b, HVC_PARTITION_CREATE_MEMEXTENT, "create DT extent", &vm->dt_me)) {
		return false;
	}
	{
		const uint64_t a[5] = {
		    vm->dt_me, vm->ram_me, dt_off, PRIMARY_DT_WINDOW,
		    HVC_MEMEXTENT_ATTRS(HVC_ACCESS_RWX, HVC_MEMEXTENT_MEMTYPE_ANY)};

		if (!step("derive DT extent",
		          hvc_call(HVC_MEMEXTENT_CONFIGURE_DERIVE, a, 5).x[0]) ||
		    !step("activate DT extent", hvc_err(HVC_OBJECT_ACTIVATE, vm->dt_me, 0, 0))) {
			return false;
		}
	}
	/* In pieces (mem_hyp.h): a later MEM_LEND remaps one piece, not all the RAM. */
	if (!rm_mem_premap(b, vm->addrspace, vm->ram_me, vm->dt_me, b->hlos_dtb,
	                   PRIMARY_DT_WINDOW)) {
		return step("map RAM in pieces", 1);
	}
	return create(b, HVC_PARTITION_CREATE_MEMEXTENT, "create UART extent", &vm->uart_me) &&
	       configure_extent(vm->uart_me, b->uart.base, b->uart.size,
	                        HVC_MEMEXTENT_ATTRS(HVC_ACCESS_RW, HVC_MEMEXTENT_MEMTYPE_DEV),
	                        "UART extent") &&
	       map(vm->addrspace, vm->uart_me, b->uart.base,
	           HVC_MAP_ATTRS(HVC_ACCESS_RW, HVC_S2_DEVICE_NGNRE), "map UART");
}

/* The RPC pair: VM -> RM (tx) and RM -> VM (rx), their VIRQs on both VICs, the VM's caps. */
static bool primary_queues(const struct rm_boot_info *b, struct primary_vm *vm)
{
	vm->vm_tx_virq = PRIMARY_TX_VIRQ;
	vm->vm_rx_virq = PRIMARY_RX_VIRQ;
	return make_queue(b, &vm->tx_queue, "VM->RM queue") &&
	       make_queue(b, &vm->rx_queue, "RM->VM queue") &&
	       bind(HVC_MSGQUEUE_BIND_SEND_VIRQ, vm->tx_queue, vm->vic, PRIMARY_TX_VIRQ,
	            "bind VM->RM send VIRQ") &&
	       bind(HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, vm->rx_queue, vm->vic, PRIMARY_RX_VIRQ,
	            "bind RM->VM receive VIRQ") &&
	       bind(HVC_MSGQUEUE_BIND_RECEIVE_VIRQ, vm->tx_queue, b->vic, RM_RPC_RX_VIRQ,
	            "bind VM->RM receive VIRQ (RM)") &&
	       bind(HVC_MSGQUEUE_BIND_SEND_VIRQ, vm->rx_queue, b->vic, RM_RPC_TX_VIRQ,
	            "bind RM->VM send VIRQ (RM)") &&
	       copy_cap(b, vm->tx_queue, vm->cspace, HVC_RIGHT_MSGQUEUE_SEND, &vm->vm_tx_cap,
	                "copy the send cap to the VM") &&
	       copy_cap(b, vm->rx_queue, vm->cspace, HVC_RIGHT_MSGQUEUE_RECEIVE, &vm->vm_rx_cap,
	                "copy the receive cap to the VM");
}

/*
 * The hardware IRQ the hypervisor gave the RM (the PL061's SPI), the primary VM's: the PL061's page
 * mapped at its physical address as a device, its SPI bound to the primary's VIC at the same INTID,
 * as the primary's DT (the machine's, where the PL061 is described) says; the primary may lend it
 * (VM_IRQ_LEND, irq_hyp.c). Without one the primary simply owns no hardware IRQ.
 */
static bool primary_hwirq(const struct rm_boot_info *b, struct primary_vm *vm)
{
	vm->hwirq_virq = 0;
	if (b->hwirq == RM_BOOT_NONE) {
		return true;
	}
	if (b->gpio_intid < PRIMARY_HWIRQ_FIRST || b->gpio_intid >= PRIMARY_HWIRQ_END) {
		return step("the PL061's SPI inside the primary VM's VIC", 1);
	}
	if (!create(b, HVC_PARTITION_CREATE_MEMEXTENT, "create PL061 extent", &vm->gpio_me) ||
	    !configure_extent(vm->gpio_me, b->gpio_base, PRIMARY_DEVICE_PAGE,
	                      HVC_MEMEXTENT_ATTRS(HVC_ACCESS_RW, HVC_MEMEXTENT_MEMTYPE_DEV),
	                      "PL061 extent") ||
	    !map(vm->addrspace, vm->gpio_me, b->gpio_base,
	         HVC_MAP_ATTRS(HVC_ACCESS_RW, HVC_S2_DEVICE_NGNRE), "map PL061") ||
	    !bind(HVC_HWIRQ_BIND_VIRQ, b->hwirq, vm->vic, (uint32_t)b->gpio_intid,
	          "bind the PL061's SPI to the primary VM's VIC")) {
		return false;
	}
	vm->hwirq_virq = (uint32_t)b->gpio_intid;
	return rm_irq_give(b->hwirq, PRIMARY_VMID, vm->hwirq_virq) ||
	       step("record the primary VM's hardware IRQ", 1);
}

/* Maps the DT window into the RM, adds /hypervisor, unmaps it. */
static bool primary_patch_dt(const struct rm_boot_info *b, struct primary_vm *vm)
{
	const struct rm_fdt_hyp_node node = {
	    .tx_cap = vm->vm_tx_cap,
	    .rx_cap = vm->vm_rx_cap,
	    .tx_virq = vm->vm_tx_virq,
	    .rx_virq = vm->vm_rx_virq,
	    .vmid = PRIMARY_VMID,
	};
	const volatile uint8_t *dt = (const volatile uint8_t *)(uintptr_t)b->hlos_dtb;
	uint64_t total;
	enum rm_fdt_result res;
	const uint64_t un[6] = {b->addrspace, vm->dt_me, b->hlos_dtb, 0, 0, 0};

	if (!map(b->addrspace, vm->dt_me, b->hlos_dtb,
	         HVC_MAP_ATTRS(HVC_ACCESS_RW, HVC_S2_NORMAL_WB), "map the DT into the RM")) {
		return false;
	}
	total = ((uint64_t)dt[4] << 24) | ((uint64_t)dt[5] << 16) | ((uint64_t)dt[6] << 8) | dt[7];
	if (total > PRIMARY_DT_WINDOW - PRIMARY_DT_ROOM) {
		total = 0; /* not a tree the loader placed: the patcher says BAD_BLOB */
	}
	res =
	    rm_fdt_patch_hypervisor((void *)(uintptr_t)b->hlos_dtb, total + PRIMARY_DT_ROOM, &node);
	if (!step("unmap the DT from the RM", hvc_call(HVC_ADDRSPACE_UNMAP, un, 6).x[0])) {
		return false;
	}
	if (res != RM_FDT_OK) {
		rm_printf("rm: primary VM: /hypervisor node not added: error %d\n", (int)res);
		return step("patch the DT", 1);
	}
	return true;
}

const char *primary_build(const struct rm_boot_info *b, struct primary_vm *vm)
{
	primary_failed = NULL;
	if (primary_objects(b, vm) && primary_memory(b, vm) && primary_queues(b, vm) &&
	    primary_hwirq(b, vm) && primary_patch_dt(b, vm)) {
		const uint64_t a[4] = {vm->vcpu, b->hlos_entry, b->hlos_dtb, 0};

		step("vcpu_poweron", hvc_call(HVC_VCPU_POWERON, a, 4).x[0]);
	}
	return primary_failed;
}
