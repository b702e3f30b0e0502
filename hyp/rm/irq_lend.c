/* hyp/rm/irq_lend.c: the VIRQ lending state machine (VM_IRQ_LEND, ACCEPT, RELEASE, RECLAIM,
 * NOTIFY; gunyah-abi.md §6). A lent IRQ is unbound from its owner at once, bound to the borrower
 * only between accept and release, and bound back to the owner at reclaim. Lengths are exact;
 * every check comes before the first bind or unbind. */
#include "irq_lend.h"

#include "rm_abi.h"

#define LEND_LEN      12U /* u16 borrower, 2 pad, u32 virq, u32 label */
#define ACCEPT_LEN    8U  /* u32 handle, u32 virq */
#define HANDLE_LEN    4U  /* RELEASE, RECLAIM */
#define NOTIFY_LEN    8U  /* u32 handle, u32 flags */
#define NOTIFY_LENT   12U /* then u16 count, 2 pad, count x {u16 vmid, 2 pad} */
#define VMID_ENTRY_SZ 4U

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int lent_index(const struct rm_irq *irq, uint32_t handle)
{
	for (unsigned i = 0; i < RM_IRQ_MAX_LENT; i++) {
		if (irq->lent[i].is_used && irq->lent[i].handle == handle) {
			return (int)i;
		}
	}
	return -1;
}

static struct rm_irq_lent *find_lent(struct rm_irq *irq, uint32_t handle)
{
	int i = lent_index(irq, handle);
	return i < 0 ? NULL : &irq->lent[i];
}

const struct rm_irq_lent *rm_irq_lookup(const struct rm_irq *irq, uint32_t handle)
{
	int i = lent_index(irq, handle);
	return i < 0 ? NULL : &irq->lent[i];
}

void rm_irq_init(struct rm_irq *irq, const struct rm_irq_ops *ops, void *ctx)
{
	for (unsigned i = 0; i < RM_IRQ_MAX_LENT; i++) {
		irq->lent[i].is_used = false;
	}
	irq->ops = ops;
	irq->ctx = ctx;
	irq->next_handle = 1;
}

uint32_t rm_irq_lend(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len,
                     uint32_t *reply_word)
{
	if (len != LEND_LEN) {
		return RM_ERROR_MSG_INVALID;
	}
	uint16_t borrower = get16(req);
	uint32_t virq = get32(req + 4);
	uint32_t label = get32(req + 8);

	/* Already lent: no longer bound in the owner, but still the owner's. */
	struct rm_irq_lent *slot = NULL;
	for (unsigned i = 0; i < RM_IRQ_MAX_LENT; i++) {
		const struct rm_irq_lent *l = &irq->lent[i];
		if (l->is_used && l->owner == caller && l->owner_virq == virq) {
			return RM_ERROR_IRQ_INUSE;
		}
		if (!l->is_used && slot == NULL) {
			slot = &irq->lent[i];
		}
	}
	uint32_t err = irq->ops->owns(irq->ctx, caller, virq);
	/* A VIRQ the caller holds on loan is bound in it but not its to lend. */
	for (unsigned i = 0; i < RM_IRQ_MAX_LENT && err == RM_OK; i++) {
		const struct rm_irq_lent *l = &irq->lent[i];
		if (l->is_used && l->is_accepted && l->borrower == caller &&
		    l->borrower_virq == virq) {
			err = RM_ERROR_IRQ_INVALID;
		}
	}
	if (err != RM_OK) {
		return err;
	}
	if (!irq->ops->vm_exists(irq->ctx, borrower) || borrower == caller) {
		return RM_ERROR_VMID_INVALID;
	}
	if (slot == NULL) {
		return RM_ERROR_NOMEM;
	}
	err = irq->ops->unbind(irq->ctx, caller, virq);
	if (err != RM_OK) {
		return err;
	}
	uint32_t handle;
	do {
		handle = irq->next_handle++;
	} while (handle == 0 || handle == 0xFFFFFFFFU || lent_index(irq, handle) >= 0);
	*slot = (struct rm_irq_lent){
	    .is_used = true,
	    .is_accepted = false,
	    .handle = handle,
	    .owner = caller,
	    .borrower = borrower,
	    .owner_virq = virq,
	    .borrower_virq = 0,
	    .label = label,
	};
	*reply_word = handle;
	return RM_OK;
}

uint32_t rm_irq_accept(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len,
                       uint32_t *reply_word)
{
	if (len != ACCEPT_LEN) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_irq_lent *l = find_lent(irq, get32(req));
	uint32_t virq = get32(req + 4);
	if (l == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (caller != l->borrower) {
		return RM_ERROR_VALIDATE_FAILED;
	}
	if (l->is_accepted) {
		return RM_ERROR_IRQ_INUSE;
	}
	if (virq == RM_IRQ_VIRQ_SAME) {
		virq = l->owner_virq;
	}
	if (virq < RM_IRQ_VIRQ_FIRST || virq > RM_IRQ_VIRQ_LAST) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (irq->ops->is_virq_used(irq->ctx, caller, virq)) {
		return RM_ERROR_IRQ_INUSE;
	}
	uint32_t err = irq->ops->bind(irq->ctx, l->owner, l->owner_virq, caller, virq);
	if (err != RM_OK) {
		return err;
	}
	l->is_accepted = true;
	l->borrower_virq = virq;
	*reply_word = virq;
	return RM_OK;
}

uint32_t rm_irq_release(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len)
{
	if (len != HANDLE_LEN) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_irq_lent *l = find_lent(irq, get32(req));
	if (l == NULL || caller != l->borrower) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (!l->is_accepted) {
		return RM_ERROR_IRQ_RELEASED;
	}
	uint32_t err = irq->ops->unbind(irq->ctx, l->owner, l->owner_virq);
	if (err != RM_OK) {
		return err;
	}
	l->is_accepted = false;
	l->borrower_virq = 0;
	return RM_OK;
}

uint32_t rm_irq_reclaim(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len)
{
	if (len != HANDLE_LEN) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_irq_lent *l = find_lent(irq, get32(req));
	if (l == NULL || caller != l->owner) {
		return RM_ERROR_HANDLE_INVALID;
	}
	if (l->is_accepted) {
		return RM_ERROR_IRQ_INUSE;
	}
	uint32_t err = irq->ops->bind(irq->ctx, l->owner, l->owner_virq, l->owner, l->owner_virq);
	if (err != RM_OK) {
		return err;
	}
	l->is_used = false;
	return RM_OK;
}

void rm_irq_vm_gone(struct rm_irq *irq, uint16_t vmid)
{
	for (unsigned i = 0; i < RM_IRQ_MAX_LENT; i++) {
		struct rm_irq_lent *l = &irq->lent[i];

		if (!l->is_used || (l->borrower != vmid && l->owner != vmid)) {
			continue;
		}
		if (l->is_accepted) {
			(void)irq->ops->unbind(irq->ctx, l->owner, l->owner_virq);
			l->is_accepted = false;
			l->borrower_virq = 0;
		}
		if (l->owner == vmid) {
			l->is_used = false;
		}
	}
}

uint32_t rm_irq_notify(struct rm_irq *irq, uint16_t caller, const uint8_t *req, size_t len)
{
	if (len < NOTIFY_LEN) {
		return RM_ERROR_MSG_INVALID;
	}
	struct rm_irq_lent *l = find_lent(irq, get32(req));
	uint32_t flags = get32(req + 4);
	uint32_t n = 0;
	if (flags == RM_IRQ_NOTIFY_LENT) {
		if (len < NOTIFY_LENT) {
			return RM_ERROR_MSG_INVALID;
		}
		n = get16(req + NOTIFY_LEN);
		if (len != NOTIFY_LENT + (size_t)n * VMID_ENTRY_SZ) {
			return RM_ERROR_MSG_INVALID;
		}
	} else if (len != NOTIFY_LEN) {
		return RM_ERROR_MSG_INVALID;
	}
	if (l == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	uint8_t msg[12];
	if (flags == RM_IRQ_NOTIFY_LENT) {
		if (caller != l->owner) {
			return RM_ERROR_HANDLE_INVALID;
		}
		for (uint32_t i = 0; i < n; i++) {
			if (!irq->ops->vm_exists(irq->ctx,
			                         get16(req + NOTIFY_LENT + VMID_ENTRY_SZ * i))) {
				return RM_ERROR_VMID_INVALID;
			}
		}
		/* IRQ_LENT {u16 owner, 2 pad, u32 handle, u32 label} to each named VM. */
		msg[0] = (uint8_t)l->owner;
		msg[1] = (uint8_t)(l->owner >> 8);
		msg[2] = 0;
		msg[3] = 0;
		put32(msg + 4, l->handle);
		put32(msg + 8, l->label);
		for (uint32_t i = 0; i < n; i++) {
			irq->ops->notify(irq->ctx, get16(req + NOTIFY_LENT + VMID_ENTRY_SZ * i),
			                 RM_NOTIFY_IRQ_LENT, msg, sizeof(msg));
		}
		return RM_OK;
	}
	if (flags != RM_IRQ_NOTIFY_RELEASED && flags != RM_IRQ_NOTIFY_ACCEPTED) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (caller != l->borrower) {
		return RM_ERROR_HANDLE_INVALID;
	}
	bool is_accepted = flags == RM_IRQ_NOTIFY_ACCEPTED;
	if (is_accepted != l->is_accepted) {
		return l->is_accepted ? RM_ERROR_IRQ_INUSE : RM_ERROR_IRQ_RELEASED;
	}
	/* IRQ_ACCEPTED / IRQ_RELEASED {u32 handle} to the owner. */
	put32(msg, l->handle);
	irq->ops->notify(irq->ctx, l->owner,
	                 is_accepted ? RM_NOTIFY_IRQ_ACCEPTED : RM_NOTIFY_IRQ_RELEASED, msg, 4);
	return RM_OK;
}
