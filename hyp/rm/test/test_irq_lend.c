/* hyp/rm/test/test_irq_lend.c: host test of the VIRQ lending state machine (hyp/rm/irq_lend.c)
 * against a model of which hardware IRQ is bound at which VIRQ of which VM. */
#include "irq_lend.h"
#include "rm_abi.h"
#include "rmmem_check.h"

#include <string.h>

#define HLOS   3U
#define PEER   0x80U
#define PEER2  0x81U
#define NOBODY 0x90U

/* The model: up to 16 bindings {vm, virq, hwirq}. The HLOS owns hwirq 100 at VIRQ 40 and hwirq
 * 101 at VIRQ 41; the peer has its own hwirq 200 at VIRQ 50. */
#define MAX_BINDS 16
static struct {
	uint16_t vm[MAX_BINDS];
	uint32_t virq[MAX_BINDS];
	uint32_t hwirq[MAX_BINDS];
	unsigned n;
	unsigned changes;
	uint16_t note_vmid[8];
	uint32_t note_id[8];
	uint8_t note[8][12];
	size_t note_len[8];
	unsigned n_notes;
} model;

static uint32_t owned_hwirq(uint16_t vm, uint32_t virq)
{
	if (vm == HLOS && (virq == 40 || virq == 41)) {
		return 60 + virq;
	}
	if (vm == PEER && virq == 50) {
		return 200;
	}
	return 0;
}

static int bound_at(uint16_t vm, uint32_t virq)
{
	for (unsigned i = 0; i < model.n; i++) {
		if (model.vm[i] == vm && model.virq[i] == virq) {
			return (int)i;
		}
	}
	return -1;
}

static int bound_hwirq(uint32_t hwirq)
{
	for (unsigned i = 0; i < model.n; i++) {
		if (model.hwirq[i] == hwirq) {
			return (int)i;
		}
	}
	return -1;
}

static bool op_vm_exists(void *ctx, uint16_t vmid)
{
	(void)ctx;
	return vmid == HLOS || vmid == PEER || vmid == PEER2;
}

static uint32_t op_owns(void *ctx, uint16_t vmid, uint32_t virq)
{
	if (!op_vm_exists(ctx, vmid)) {
		return RM_ERROR_VMID_INVALID;
	}
	return bound_at(vmid, virq) >= 0 ? RM_OK : RM_ERROR_IRQ_NOT_MAPPED;
}

static bool op_is_virq_used(void *ctx, uint16_t vmid, uint32_t virq)
{
	(void)ctx;
	return bound_at(vmid, virq) >= 0;
}

static uint32_t op_bind(void *ctx, uint16_t owner, uint32_t owner_virq, uint16_t vmid,
                        uint32_t virq)
{
	(void)ctx;
	uint32_t hw = owned_hwirq(owner, owner_virq);
	model.changes++;
	if (hw == 0 || bound_hwirq(hw) >= 0 || bound_at(vmid, virq) >= 0 || model.n == MAX_BINDS) {
		return RM_ERROR_IRQ_INUSE;
	}
	model.vm[model.n] = vmid;
	model.virq[model.n] = virq;
	model.hwirq[model.n++] = hw;
	return RM_OK;
}

static uint32_t op_unbind(void *ctx, uint16_t owner, uint32_t owner_virq)
{
	(void)ctx;
	model.changes++;
	int i = bound_hwirq(owned_hwirq(owner, owner_virq));
	if (i < 0) {
		return RM_ERROR_IRQ_NOT_MAPPED;
	}
	model.n--;
	model.vm[i] = model.vm[model.n];
	model.virq[i] = model.virq[model.n];
	model.hwirq[i] = model.hwirq[model.n];
	return RM_OK;
}

static void op_notify(void *ctx, uint16_t vmid, uint32_t id, const uint8_t *p, size_t len)
{
	(void)ctx;
	if (model.n_notes < 8 && len <= 12) {
		model.note_vmid[model.n_notes] = vmid;
		model.note_id[model.n_notes] = id;
		model.note_len[model.n_notes] = len;
		memcpy(model.note[model.n_notes++], p, len);
	}
}

static const struct rm_irq_ops ops = {
    .owns = op_owns,
    .is_virq_used = op_is_virq_used,
    .bind = op_bind,
    .unbind = op_unbind,
    .vm_exists = op_vm_exists,
    .notify = op_notify,
};

static struct rm_irq irq;

static void reset(void)
{
	memset(&model, 0, sizeof(model));
	model.vm[0] = HLOS;
	model.virq[0] = 40;
	model.hwirq[0] = 100;
	model.vm[1] = HLOS;
	model.virq[1] = 41;
	model.hwirq[1] = 101;
	model.vm[2] = PEER;
	model.virq[2] = 50;
	model.hwirq[2] = 200;
	model.n = 3;
	rm_irq_init(&irq, &ops, NULL);
}

static uint8_t buf[64];
static size_t put(size_t at, uint32_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++) {
		buf[at + i] = (uint8_t)(v >> (8 * i));
	}
	return at + bytes;
}

static uint32_t lend(uint16_t caller, uint16_t borrower, uint32_t virq, uint32_t label,
                     uint32_t *handle)
{
	size_t n = put(0, borrower, 2);
	n = put(n, 0, 2);
	n = put(n, virq, 4);
	n = put(n, label, 4);
	return rm_irq_lend(&irq, caller, buf, n, handle);
}

static uint32_t accept(uint16_t caller, uint32_t handle, uint32_t virq, uint32_t *got)
{
	size_t n = put(0, handle, 4);
	n = put(n, virq, 4);
	return rm_irq_accept(&irq, caller, buf, n, got);
}

static uint32_t release(uint16_t caller, uint32_t handle)
{
	return rm_irq_release(&irq, caller, buf, put(0, handle, 4));
}

static uint32_t reclaim(uint16_t caller, uint32_t handle)
{
	return rm_irq_reclaim(&irq, caller, buf, put(0, handle, 4));
}

static uint32_t notify(uint16_t caller, uint32_t handle, uint32_t flags, const uint16_t *vmids,
                       unsigned n_vmids)
{
	size_t n = put(0, handle, 4);
	n = put(n, flags, 4);
	if (vmids != NULL) {
		n = put(n, n_vmids, 2);
		n = put(n, 0, 2);
		for (unsigned i = 0; i < n_vmids; i++) {
			n = put(n, vmids[i], 2);
			n = put(n, 0, 2);
		}
	}
	return rm_irq_notify(&irq, caller, buf, n);
}

/* Lend -> accept -> release -> reclaim: the hardware IRQ is bound to exactly one VM at each step
 * (the owner, nobody, the borrower, nobody, the owner). */
static void test_cycle(void)
{
	reset();
	uint32_t h = 0, v = 0;
	CHECK_EQ(lend(HLOS, PEER, 40, 0xAB, &h), RM_OK);
	CHECK_EQ(h, 1);
	CHECK_EQ(bound_hwirq(100), -1);
	CHECK_EQ(lend(HLOS, PEER, 40, 0xAB, &v), RM_ERROR_IRQ_INUSE);
	CHECK_EQ(reclaim(PEER, h), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(release(PEER, h), RM_ERROR_IRQ_RELEASED);
	CHECK_EQ(accept(PEER2, h, 60, &v), RM_ERROR_VALIDATE_FAILED);
	CHECK_EQ(accept(PEER, h, 60, &v), RM_OK);
	CHECK_EQ(v, 60);
	int b = bound_hwirq(100);
	CHECK(b >= 0);
	CHECK_EQ(b >= 0 ? model.vm[b] : 0, PEER);
	CHECK_EQ(b >= 0 ? model.virq[b] : 0, 60);
	CHECK_EQ(accept(PEER, h, 61, &v), RM_ERROR_IRQ_INUSE);
	CHECK_EQ(reclaim(HLOS, h), RM_ERROR_IRQ_INUSE);
	/* The borrower cannot lend what it borrowed. */
	CHECK_EQ(lend(PEER, PEER2, 60, 0, &v), RM_ERROR_IRQ_INVALID);
	CHECK_EQ(release(HLOS, h), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(release(PEER, h), RM_OK);
	CHECK_EQ(bound_hwirq(100), -1);
	CHECK_EQ(release(PEER, h), RM_ERROR_IRQ_RELEASED);
	CHECK_EQ(reclaim(HLOS, h), RM_OK);
	b = bound_hwirq(100);
	CHECK(b >= 0);
	CHECK_EQ(b >= 0 ? model.vm[b] : 0, HLOS);
	CHECK_EQ(b >= 0 ? model.virq[b] : 0, 40);
	CHECK(rm_irq_lookup(&irq, h) == NULL);
	CHECK_EQ(reclaim(HLOS, h), RM_ERROR_HANDLE_INVALID);
	/* Same number on both sides when the borrower asks for it. */
	CHECK_EQ(lend(HLOS, PEER, 41, 0, &h), RM_OK);
	CHECK_EQ(h, 2);
	CHECK_EQ(accept(PEER, h, RM_IRQ_VIRQ_SAME, &v), RM_OK);
	CHECK_EQ(v, 41);
}

/* A borrower torn down while it holds the IRQ (VM_RESET): unbound from it and released, so the
 * owner's reclaim binds it back; a loan the torn-down VM made is dropped, its IRQ left unbound. */
static void test_vm_gone(void)
{
	reset();
	uint32_t h = 0, v = 0, h2 = 0;
	CHECK_EQ(lend(HLOS, PEER, 40, 0, &h), RM_OK);
	CHECK_EQ(accept(PEER, h, 60, &v), RM_OK);
	CHECK_EQ(lend(PEER, HLOS, 50, 0, &h2), RM_OK);
	CHECK_EQ(accept(HLOS, h2, 70, &v), RM_OK);
	rm_irq_vm_gone(&irq, PEER);
	CHECK_EQ(bound_hwirq(100), -1);
	CHECK_EQ(bound_hwirq(200), -1);
	CHECK(rm_irq_lookup(&irq, h2) == NULL);
	CHECK_EQ(release(PEER, h), RM_ERROR_IRQ_RELEASED);
	CHECK_EQ(reclaim(HLOS, h), RM_OK);
	int b = bound_hwirq(100);
	CHECK(b >= 0);
	CHECK_EQ(b >= 0 ? model.vm[b] : 0, HLOS);
	CHECK_EQ(b >= 0 ? model.virq[b] : 0, 40);
	/* Nothing of a VM with no loans changes. */
	unsigned changes = model.changes;
	rm_irq_vm_gone(&irq, PEER2);
	CHECK_EQ(model.changes, changes);
}

/* The refusals, each with its code and without a bind or unbind. */
static void test_errors(void)
{
	reset();
	uint32_t h = 0, v = 0;
	CHECK_EQ(rm_irq_lend(&irq, HLOS, buf, 11, &h), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_irq_lend(&irq, HLOS, buf, 13, &h), RM_ERROR_MSG_INVALID);
	CHECK_EQ(lend(HLOS, PEER, 42, 0, &h), RM_ERROR_IRQ_NOT_MAPPED);
	CHECK_EQ(lend(NOBODY, PEER, 40, 0, &h), RM_ERROR_VMID_INVALID);
	CHECK_EQ(lend(HLOS, NOBODY, 40, 0, &h), RM_ERROR_VMID_INVALID);
	CHECK_EQ(lend(HLOS, HLOS, 40, 0, &h), RM_ERROR_VMID_INVALID);
	CHECK_EQ(model.changes, 0);
	CHECK_EQ(lend(HLOS, PEER, 40, 0, &h), RM_OK);
	unsigned changes = model.changes;
	CHECK_EQ(rm_irq_accept(&irq, PEER, buf, 7, &v), RM_ERROR_MSG_INVALID);
	CHECK_EQ(accept(PEER, h + 1, 60, &v), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(accept(PEER, h, 15, &v), RM_ERROR_ARGUMENT_INVALID);
	CHECK_EQ(accept(PEER, h, 1020, &v), RM_ERROR_ARGUMENT_INVALID);
	CHECK_EQ(accept(PEER, h, 50, &v), RM_ERROR_IRQ_INUSE); /* the peer's own IRQ is there */
	CHECK_EQ(rm_irq_release(&irq, PEER, buf, 5), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_irq_reclaim(&irq, HLOS, buf, 3), RM_ERROR_MSG_INVALID);
	CHECK_EQ(model.changes, changes);
	/* The table holds RM_IRQ_MAX_LENT loans. */
	reset();
	unsigned ok = 0;
	for (unsigned i = 0; i < RM_IRQ_MAX_LENT; i++) {
		/* Lend, reclaim and lend again leave a free slot each time. */
		ok += lend(HLOS, PEER, 40, i, &h) == RM_OK;
		ok += reclaim(HLOS, h) == RM_OK;
	}
	CHECK_EQ(ok, 2 * RM_IRQ_MAX_LENT);
	CHECK_EQ(h, RM_IRQ_MAX_LENT); /* handles keep counting */
}

/* VM_IRQ_NOTIFY: LENT from the owner to named VMs with {owner, handle, label}; ACCEPTED and
 * RELEASED from the borrower to the owner with {handle}, only when true. */
static void test_notify(void)
{
	reset();
	uint32_t h = 0, v = 0;
	CHECK_EQ(lend(HLOS, PEER, 40, 0x1234, &h), RM_OK);
	const uint16_t to_peer[] = {PEER};
	const uint16_t to_nobody[] = {NOBODY};
	CHECK_EQ(rm_irq_notify(&irq, HLOS, buf, 7), RM_ERROR_MSG_INVALID);
	CHECK_EQ(notify(HLOS, h, RM_IRQ_NOTIFY_LENT, NULL, 0), RM_ERROR_MSG_INVALID);
	CHECK_EQ(notify(PEER, h, RM_IRQ_NOTIFY_LENT, to_peer, 1), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(notify(HLOS, h, RM_IRQ_NOTIFY_LENT, to_nobody, 1), RM_ERROR_VMID_INVALID);
	CHECK_EQ(notify(HLOS, h + 1, RM_IRQ_NOTIFY_LENT, to_peer, 1), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(notify(HLOS, h, 8, NULL, 0), RM_ERROR_ARGUMENT_INVALID);
	CHECK_EQ(model.n_notes, 0);
	CHECK_EQ(notify(HLOS, h, RM_IRQ_NOTIFY_LENT, to_peer, 1), RM_OK);
	CHECK_EQ(model.n_notes, 1);
	CHECK_EQ(model.note_vmid[0], PEER);
	CHECK_EQ(model.note_id[0], RM_NOTIFY_IRQ_LENT);
	static const uint8_t lent[] = {3, 0, 0, 0, 1, 0, 0, 0, 0x34, 0x12, 0, 0};
	CHECK_EQ(model.note_len[0], sizeof(lent));
	CHECK_EQ(memcmp(model.note[0], lent, sizeof(lent)), 0);

	CHECK_EQ(notify(PEER, h, RM_IRQ_NOTIFY_ACCEPTED, NULL, 0), RM_ERROR_IRQ_RELEASED);
	CHECK_EQ(notify(PEER2, h, RM_IRQ_NOTIFY_ACCEPTED, NULL, 0), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(accept(PEER, h, 60, &v), RM_OK);
	CHECK_EQ(notify(PEER, h, RM_IRQ_NOTIFY_RELEASED, NULL, 0), RM_ERROR_IRQ_INUSE);
	CHECK_EQ(notify(PEER, h, RM_IRQ_NOTIFY_ACCEPTED, NULL, 0), RM_OK);
	CHECK_EQ(model.note_vmid[1], HLOS);
	CHECK_EQ(model.note_id[1], RM_NOTIFY_IRQ_ACCEPTED);
	CHECK_EQ(model.note_len[1], 4);
	CHECK_EQ(model.note[1][0], h);
	CHECK_EQ(release(PEER, h), RM_OK);
	CHECK_EQ(notify(PEER, h, RM_IRQ_NOTIFY_RELEASED, NULL, 0), RM_OK);
	CHECK_EQ(model.note_id[2], RM_NOTIFY_IRQ_RELEASED);
	CHECK_EQ(model.note_vmid[2], HLOS);
}

int main(void)
{
	RUN(test_cycle);
	RUN(test_errors);
	RUN(test_notify);
	RUN(test_vm_gone);
	return rmmem_summary("test_irq_lend");
}
