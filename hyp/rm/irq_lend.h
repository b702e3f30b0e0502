/* hyp/rm/irq_lend.h: lending a VM's hardware-backed VIRQ to another VM (gunyah-abi.md §6
 * VM_IRQ_LEND, ACCEPT, RELEASE, RECLAIM, NOTIFY): the handle table and its state machine. Pure
 * freestanding C: binding a hardware IRQ to a VM's virtual interrupt controller goes through
 * struct rm_irq_ops (hwirq_bind_virq / hwirq_unbind_virq in the RM image, a model in the host
 * tests). */
#ifndef RM_IRQ_LEND_H
#define RM_IRQ_LEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RM_IRQ_MAX_LENT        16U
#define RM_IRQ_VIRQ_FIRST      16U /* PPIs and SPIs: a borrower's VIRQ is in [16, 1019] */
#define RM_IRQ_VIRQ_LAST       1019U
#define RM_IRQ_VIRQ_SAME       0xFFFFFFFFU /* VM_IRQ_ACCEPT: the owner's number */
#define RM_IRQ_NOTIFY_LENT     0x1U
#define RM_IRQ_NOTIFY_RELEASED 0x2U
#define RM_IRQ_NOTIFY_ACCEPTED 0x4U

struct rm_irq_ops {
	/* RM_OK when vmid owns a hardware IRQ bound at virq; RM_ERROR_IRQ_NOT_MAPPED when nothing
	 * is bound there; RM_ERROR_VMID_INVALID when there is no such VM. */
	uint32_t (*owns)(void *ctx, uint16_t vmid, uint32_t virq);
	/* Is something (owned or borrowed) bound at virq in vmid? */
	bool (*is_virq_used)(void *ctx, uint16_t vmid, uint32_t virq);
	/* Binds the hardware IRQ that owner has at owner_virq to virq of vmid (vmid may be the
	 * owner: reclaim). RM_ERROR_ARGUMENT_INVALID when virq is out of vmid's range,
	 * RM_ERROR_IRQ_INUSE when it is taken. */
	uint32_t (*bind)(void *ctx, uint16_t owner, uint32_t owner_virq, uint16_t vmid,
	                 uint32_t virq);
	/* Unbinds it (from the owner at lend, from the borrower at release). */
	uint32_t (*unbind)(void *ctx, uint16_t owner, uint32_t owner_virq);
	bool (*vm_exists)(void *ctx, uint16_t vmid);
	void (*notify)(void *ctx, uint16_t vmid, uint32_t msg_id, const uint8_t *payload,
	               size_t len);
};

struct rm_irq_lent {
	bool is_used;
	bool is_accepted;
	uint32_t handle;
	uint16_t owner;
	uint16_t borrower;
	uint32_t owner_virq;
	uint32_t borrower_virq; /* while accepted */
	uint32_t label;
};

struct rm_irq {
	const struct rm_irq_ops *ops;
	void *ctx;
	uint32_t next_handle;
	struct rm_irq_lent lent[RM_IRQ_MAX_LENT];
};

void rm_irq_init(struct rm_irq *irq, const struct rm_irq_ops *ops, void *ctx);

/* The requests: caller is the VM it came from, req/len the untrusted payload; the RM error code
 * is returned, and on RM_OK the reply data (a u32) is in *reply_word when the call has one. */
uint32_t rm_irq_lend(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len,
                     uint32_t *reply_word);
uint32_t rm_irq_accept(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len,
                       uint32_t *reply_word);
uint32_t rm_irq_release(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len);
uint32_t rm_irq_reclaim(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len);
uint32_t rm_irq_notify(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len);

/* vmid is being torn down (VM_RESET; its VIC still exists): what it holds on loan is unbound from
 * it and released, so the owner can reclaim it; what it lent is unbound from its borrower and the
 * loan dropped (the IRQ stays unbound: its owner is gone). */
void rm_irq_vm_gone(struct rm_irq *irq, uint16_t vmid);

/* irq_lend_rpc.c: the table the VM_IRQ_* RPC handlers use (set once at boot). */
void rm_irq_rpc_attach(struct rm_irq *irq);

const struct rm_irq_lent *rm_irq_lookup(const struct rm_irq *irq, uint32_t handle);

#endif
