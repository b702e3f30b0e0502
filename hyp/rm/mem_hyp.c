/* hyp/rm/mem_hyp.c: memory parcels' hypervisor side in the RM image: extents derived over each
 * parcel range, the owner's RAM split around a lent range, borrower mappings (mem_hyp.h). */
#include "mem_hyp.h"

#include "console.h"
#include "hvc.h"
#include "irq_hyp.h"
#include "rm_abi.h"
#include "rpc.h"
#include "vm_state.h"

#define PAGE_SIZE     0x1000ULL
#define BLOCK_SIZE    0x200000ULL
#define EXTENT_ATTRS  HVC_MEMEXTENT_ATTRS(HVC_ACCESS_RWX, HVC_MEMEXTENT_MEMTYPE_ANY)
#define RAM_MAP_ATTRS HVC_MAP_ATTRS(HVC_ACCESS_RWX, HVC_S2_NORMAL_WB)
#define S2_NORMAL_NC  0x05U
/* scheduler_yield (reference §2): not in hvc.h, which lists the calls the boot path makes. */
#define MEM_HVC_SCHEDULER_YIELD 0x3BU

static struct rm_mem_hyp_vm *find_vm(struct rm_mem_hyp *h, uint16_t vmid)
{
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_VMS; i++) {
		if (h->vm[i].is_used && h->vm[i].vmid == vmid) {
			return &h->vm[i];
		}
	}
	return NULL;
}

static struct rm_mem_hyp_piece *free_piece(struct rm_mem_hyp *h)
{
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_PIECES; i++) {
		if (!h->piece[i].is_used) {
			return &h->piece[i];
		}
	}
	return NULL;
}

static unsigned free_pieces(const struct rm_mem_hyp *h)
{
	unsigned n = 0;
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_PIECES; i++) {
		n += h->piece[i].is_used ? 0U : 1U;
	}
	return n;
}

/* The piece of vmid's RAM holding all of [ipa, ipa + size), or NULL. */
static struct rm_mem_hyp_piece *piece_of(struct rm_mem_hyp *h, uint16_t vmid, uint64_t ipa,
                                         uint64_t size)
{
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_PIECES; i++) {
		struct rm_mem_hyp_piece *p = &h->piece[i];
		if (p->is_used && p->vmid == vmid && ipa >= p->base && size <= p->size &&
		    ipa - p->base <= p->size - size) {
			return p;
		}
	}
	return NULL;
}

static struct rm_mem_hyp_range *range_of(struct rm_mem_hyp *h, const struct rm_mem_range *r)
{
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_RANGES; i++) {
		struct rm_mem_hyp_range *x = &h->range[i];
		if (x->is_used && x->handle == r->handle && x->index == r->index) {
			return x;
		}
	}
	return NULL;
}

static void delete_cap(struct rm_mem_hyp *h, uint64_t cap)
{
	(void)hvc_err(HVC_CSPACE_DELETE_CAP_FROM, h->cspace, cap, 0);
}

/* A new activated extent over [offset, offset + size) of parent; false when the hypervisor
 * refuses (the pages are another extent's, or no memory for the object). */
static bool derive(struct rm_mem_hyp *h, uint64_t parent, uint64_t offset, uint64_t size,
                   uint64_t *out)
{
	uint64_t err;
	uint64_t me = hvc_create(HVC_PARTITION_CREATE_MEMEXTENT, h->partition, h->cspace, &err);
	if (err != HVC_OK) {
		return false;
	}
	const uint64_t a[5] = {me, parent, offset, size, EXTENT_ATTRS};
	if (hvc_call(HVC_MEMEXTENT_CONFIGURE_DERIVE, a, 5).x[0] != HVC_OK ||
	    hvc_err(HVC_OBJECT_ACTIVATE, me, 0, 0) != HVC_OK) {
		delete_cap(h, me);
		return false;
	}
	*out = me;
	return true;
}

static uint64_t map(uint64_t as, uint64_t me, uint64_t ipa, uint64_t attrs)
{
	const uint64_t a[6] = {as, me, ipa, attrs, 0, 0};
	return hvc_call(HVC_ADDRSPACE_MAP, a, 6).x[0];
}

static uint64_t unmap(uint64_t as, uint64_t me, uint64_t ipa)
{
	const uint64_t a[6] = {as, me, ipa, 0, 0, 0};
	return hvc_call(HVC_ADDRSPACE_UNMAP, a, 6).x[0];
}

void rm_mem_hyp_init(struct rm_mem_hyp *h, uint64_t partition, uint64_t cspace,
                     uint64_t rm_addrspace, struct rm_vms *vms)
{
	h->partition = partition;
	h->cspace = cspace;
	h->rm_addrspace = rm_addrspace;
	h->vms = vms;
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_VMS; i++) {
		h->vm[i].is_used = false;
	}
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_PIECES; i++) {
		h->piece[i].is_used = false;
	}
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_RANGES; i++) {
		h->range[i].is_used = false;
	}
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_GIFTS; i++) {
		h->gift[i].is_used = false;
	}
}

bool rm_mem_hyp_add_vm(struct rm_mem_hyp *h, uint16_t vmid, uint64_t addrspace)
{
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_VMS; i++) {
		if (!h->vm[i].is_used) {
			h->vm[i] =
			    (struct rm_mem_hyp_vm){true, vmid, addrspace, RM_MEM_HYP_IPA_POOL};
			return true;
		}
	}
	return false;
}

bool rm_mem_hyp_add_ram(struct rm_mem_hyp *h, uint16_t vmid, uint64_t extent, uint64_t base,
                        uint64_t size)
{
	struct rm_mem_hyp_piece *p = free_piece(h);
	if (p == NULL || find_vm(h, vmid) == NULL) {
		return false;
	}
	*p = (struct rm_mem_hyp_piece){true, vmid, extent, base, size, true};
	return true;
}

static bool op_vm_exists(void *ctx, uint16_t vmid)
{
	struct rm_mem_hyp *h = ctx;
	return vmid != RM_VMID_RM && rm_vm_lookup(h->vms, vmid) != NULL;
}

/* An extent over the range, derived from the owner's piece that holds it. */
static uint32_t op_prepare(void *ctx, const struct rm_mem_range *r)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_piece *p = piece_of(h, r->owner, r->owner_ipa, r->size);
	struct rm_mem_hyp_range *slot = NULL;
	if (p == NULL) {
		return RM_ERROR_MEM_INVALID;
	}
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_RANGES && slot == NULL; i++) {
		slot = h->range[i].is_used ? NULL : &h->range[i];
	}
	if (slot == NULL) {
		return RM_ERROR_NOMEM;
	}
	uint64_t me;
	if (!derive(h, p->extent, r->owner_ipa - p->base, r->size, &me)) {
		return RM_ERROR_MEM_INUSE;
	}
	*slot = (struct rm_mem_hyp_range){true, r->handle, r->index, me, false, 0};
	return RM_OK;
}

static void op_forget(void *ctx, const struct rm_mem_range *r)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_range *x = range_of(h, r);
	if (x == NULL) {
		return;
	}
	if (!x->is_piece) {
		delete_cap(h, x->extent);
	}
	x->is_used = false;
}

/* Retires piece p: its cap goes unless it is the VM's original extent or a parcel range's. */
static void retire_piece(struct rm_mem_hyp *h, struct rm_mem_hyp_piece *p)
{
	bool is_range = false;
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_RANGES; i++) {
		struct rm_mem_hyp_range *x = &h->range[i];
		if (x->is_used && x->is_piece && x->extent == p->extent) {
			x->is_piece = false;
			is_range = true;
		}
	}
	if (!p->is_original && !is_range) {
		delete_cap(h, p->extent);
	}
	p->is_used = false;
}

/* LEND and DONATE: the owner keeps its piece minus the range. The piece's mapping is replaced by
 * mappings of the parts below and above the range (derived from the piece before anything is
 * unmapped, so a refusal changes nothing). */
static uint32_t op_owner_unmap(void *ctx, const struct rm_mem_range *r)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_vm *vm = find_vm(h, r->owner);
	struct rm_mem_hyp_piece *p = piece_of(h, r->owner, r->owner_ipa, r->size);
	if (vm == NULL || p == NULL) {
		return RM_ERROR_MEM_INVALID;
	}
	uint64_t lo_size = r->owner_ipa - p->base;
	uint64_t hi_base = r->owner_ipa + r->size;
	uint64_t hi_size = p->base + p->size - hi_base;
	uint64_t lo = 0, hi = 0;
	if (free_pieces(h) < 2) {
		return RM_ERROR_NOMEM;
	}
	if (lo_size != 0 && !derive(h, p->extent, 0, lo_size, &lo)) {
		return RM_ERROR_MAP_FAILED;
	}
	if (hi_size != 0 && !derive(h, p->extent, hi_base - p->base, hi_size, &hi)) {
		if (lo_size != 0) {
			delete_cap(h, lo);
		}
		return RM_ERROR_MAP_FAILED;
	}
	/* From the unmap to the last map the owner has a hole where its piece was: start with a
	 * fresh timeslice so the owner cannot run (and fault) in between. */
	(void)hvc_err(MEM_HVC_SCHEDULER_YIELD, 0, 0, 0);
	bool is_ok = unmap(vm->addrspace, p->extent, p->base) == HVC_OK;
	bool is_lo_mapped =
	    is_ok && lo_size != 0 && map(vm->addrspace, lo, p->base, RAM_MAP_ATTRS) == HVC_OK;
	bool is_hi_mapped =
	    is_ok && hi_size != 0 && map(vm->addrspace, hi, hi_base, RAM_MAP_ATTRS) == HVC_OK;
	if (!is_ok || (lo_size != 0 && !is_lo_mapped) || (hi_size != 0 && !is_hi_mapped)) {
		/* Put the piece back as it was. */
		if (is_lo_mapped) {
			(void)unmap(vm->addrspace, lo, p->base);
		}
		if (is_hi_mapped) {
			(void)unmap(vm->addrspace, hi, hi_base);
		}
		if (is_ok) {
			(void)map(vm->addrspace, p->extent, p->base, RAM_MAP_ATTRS);
		}
		if (lo_size != 0) {
			delete_cap(h, lo);
		}
		if (hi_size != 0) {
			delete_cap(h, hi);
		}
		return RM_ERROR_MAP_FAILED;
	}
	uint16_t owner = p->vmid;
	uint64_t base = p->base;
	retire_piece(h, p);
	if (lo_size != 0) {
		*free_piece(h) = (struct rm_mem_hyp_piece){true, owner, lo, base, lo_size, false};
	}
	if (hi_size != 0) {
		*free_piece(h) =
		    (struct rm_mem_hyp_piece){true, owner, hi, hi_base, hi_size, false};
	}
	return RM_OK;
}

/* Reclaim: the range's own extent goes back into the owner as a piece of its RAM. */
static uint32_t op_owner_map(void *ctx, const struct rm_mem_range *r)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_vm *vm = find_vm(h, r->owner);
	struct rm_mem_hyp_range *x = range_of(h, r);
	struct rm_mem_hyp_piece *p = free_piece(h);
	if (vm == NULL || x == NULL || p == NULL) {
		return RM_ERROR_NOMEM;
	}
	if (map(vm->addrspace, x->extent, r->owner_ipa, RAM_MAP_ATTRS) != HVC_OK) {
		return RM_ERROR_MAP_FAILED;
	}
	x->is_piece = true;
	*p = (struct rm_mem_hyp_piece){true, r->owner, x->extent, r->owner_ipa, r->size, false};
	return RM_OK;
}

static uint64_t borrow_attrs(const struct rm_mem_borrow *b)
{
	uint32_t memtype = HVC_S2_NORMAL_WB;
	if (b->attr == RM_MEM_ATTR_DEVICE) {
		memtype = HVC_S2_DEVICE_NGNRE;
	} else if (b->attr == RM_MEM_ATTR_UNCACHED) {
		memtype = S2_NORMAL_NC;
	}
	/* ACL rights X=1, W=2, R=4 are the map access bits. */
	return HVC_MAP_ATTRS(b->rights & RM_MEM_RIGHT_RWX, memtype);
}

static uint32_t op_borrower_map(void *ctx, const struct rm_mem_range *r,
                                const struct rm_mem_borrow *b)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_vm *vm = find_vm(h, b->vmid);
	struct rm_mem_hyp_range *x = range_of(h, r);
	if (vm == NULL || x == NULL) {
		return RM_ERROR_MAP_FAILED;
	}
	if (map(vm->addrspace, x->extent, b->ipa, borrow_attrs(b)) != HVC_OK) {
		return RM_ERROR_MAP_FAILED;
	}
	x->borrower_ipa = b->ipa;
	return RM_OK;
}

static uint32_t op_borrower_unmap(void *ctx, const struct rm_mem_range *r,
                                  const struct rm_mem_borrow *b)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_vm *vm = find_vm(h, b->vmid);
	struct rm_mem_hyp_range *x = range_of(h, r);
	if (vm == NULL || x == NULL) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	return unmap(vm->addrspace, x->extent, b->ipa) == HVC_OK ? RM_OK
	                                                         : RM_ERROR_ARGUMENT_INVALID;
}

/* The recipient keeps the extent mapped where it accepted it (borrower_map just did); the RM
 * keeps the cap, as a gift to that VM, until the VM is torn down. */
static uint32_t op_donate(void *ctx, const struct rm_mem_range *r, uint16_t to)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_range *x = range_of(h, r);
	struct rm_mem_hyp_gift *g = NULL;

	for (unsigned i = 0; i < RM_MEM_HYP_MAX_GIFTS && g == NULL; i++) {
		g = h->gift[i].is_used ? NULL : &h->gift[i];
	}
	if (x == NULL) {
		return RM_ERROR_DENIED;
	}
	if (g == NULL) {
		return RM_ERROR_NOMEM;
	}
	*g = (struct rm_mem_hyp_gift){true, to, x->extent, x->borrower_ipa};
	x->is_piece = true;
	return RM_OK;
}

/* Zeroes the range through a temporary mapping in the RM itself (which runs with VA = IPA = PA,
 * as the DT patch does). */
static uint32_t op_sanitize(void *ctx, const struct rm_mem_range *r)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_range *x = range_of(h, r);
	if (x == NULL) {
		return RM_ERROR_MAP_FAILED;
	}
	if (map(h->rm_addrspace, x->extent, r->owner_ipa,
	        HVC_MAP_ATTRS(HVC_ACCESS_RW, HVC_S2_NORMAL_WB)) != HVC_OK) {
		return RM_ERROR_MAP_FAILED;
	}
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)r->owner_ipa;
	for (uint64_t i = 0; i < r->size / sizeof(uint64_t); i++) {
		p[i] = 0;
	}
	(void)unmap(h->rm_addrspace, x->extent, r->owner_ipa);
	return RM_OK;
}

static uint32_t op_alloc_ipa(void *ctx, uint16_t vmid, uint64_t size, uint64_t *ipa)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_mem_hyp_vm *vm = find_vm(h, vmid);
	uint64_t align = size >= BLOCK_SIZE ? BLOCK_SIZE : PAGE_SIZE;
	if (vm == NULL) {
		return RM_ERROR_NORESOURCE;
	}
	uint64_t at = (vm->next_ipa + align - 1) & ~(align - 1);
	vm->next_ipa = at + size;
	*ipa = at;
	return RM_OK;
}

static void op_notify(void *ctx, uint16_t vmid, uint32_t msg_id, const uint8_t *payload, size_t len)
{
	struct rm_mem_hyp *h = ctx;
	struct rm_vm *vm = rm_vm_lookup(h->vms, vmid);
	if (vm != NULL && vm->rpc != NULL) {
		(void)rm_rpc_notify(vm->rpc, msg_id, payload, len);
	}
}

const struct rm_mem_ops rm_mem_hyp_ops = {
    .vm_exists = op_vm_exists,
    .prepare = op_prepare,
    .forget = op_forget,
    .owner_unmap = op_owner_unmap,
    .owner_map = op_owner_map,
    .borrower_map = op_borrower_map,
    .borrower_unmap = op_borrower_unmap,
    .donate = op_donate,
    .sanitize = op_sanitize,
    .alloc_ipa = op_alloc_ipa,
    .notify = op_notify,
};

/* The RM's one parcel table and its hypervisor side. */
static struct rm_mem_hyp rm_mem_hyp_state;
static struct rm_mem rm_mem_state;
static bool is_premapped;

static bool premap_piece(struct rm_mem_hyp *h, uint64_t addrspace, uint64_t parent, uint64_t offset,
                         uint64_t base, uint64_t size)
{
	uint64_t me;
	struct rm_mem_hyp_piece *p = free_piece(h);
	if (p == NULL || !derive(h, parent, offset, size, &me)) {
		return false;
	}
	if (map(addrspace, me, base, RAM_MAP_ATTRS) != HVC_OK) {
		delete_cap(h, me);
		return false;
	}
	*p = (struct rm_mem_hyp_piece){true, RM_VMID_PRIMARY, me, base, size, false};
	return true;
}

bool rm_mem_premap(const struct rm_boot_info *b, uint64_t addrspace, uint64_t ram_me,
                   uint64_t dt_me, uint64_t dt_base, uint64_t dt_size)
{
	struct rm_mem_hyp *h = &rm_mem_hyp_state;
	const uint64_t ram = b->hlos_memory.base, end = ram + b->hlos_memory.size;
	const uint64_t dt_end = dt_base + dt_size;

	rm_mem_hyp_init(h, b->partition, b->cspace, b->addrspace, NULL);
	if (!rm_mem_hyp_add_vm(h, RM_VMID_PRIMARY, addrspace)) {
		return false;
	}
	for (uint64_t at = ram; at < end;) {
		uint64_t next = at + RM_MEM_HYP_PIECE_SIZE < end ? at + RM_MEM_HYP_PIECE_SIZE : end;
		bool is_ok;
		if (at == dt_base) {
			/* The DT window: its own extent is the piece (the RM patches through it).
			 */
			struct rm_mem_hyp_piece *p = free_piece(h);
			is_ok =
			    p != NULL && map(addrspace, dt_me, dt_base, RAM_MAP_ATTRS) == HVC_OK;
			if (is_ok) {
				*p = (struct rm_mem_hyp_piece){true,    RM_VMID_PRIMARY, dt_me,
				                               dt_base, dt_size,         true};
			}
			next = dt_end;
		} else {
			if (at < dt_base && next > dt_base) {
				next = dt_base; /* stop at the window */
			}
			is_ok = premap_piece(h, addrspace, ram_me, at - ram, at, next - at);
		}
		if (!is_ok) {
			rm_printf("rm: primary RAM piece at 0x%lx not mapped\n", at);
			return false;
		}
		at = next;
	}
	is_premapped = true;
	return true;
}

void rm_mem_start(const struct rm_boot_info *b, const struct primary_vm *p, struct rm_vms *vms)
{
	struct rm_mem_hyp *h = &rm_mem_hyp_state;

	if (is_premapped) {
		h->vms = vms;
	} else {
		/* The RAM is one mapping of ram_me: a lend remaps all of it (slow, see
		 * RM_MEM_HYP_PIECE_SIZE). The DT window extent derived from it would block any
		 * split, and the patch is done: drop it. */
		rm_mem_hyp_init(h, b->partition, b->cspace, b->addrspace, vms);
		delete_cap(h, p->dt_me);
		if (!rm_mem_hyp_add_vm(h, PRIMARY_VMID, p->addrspace) ||
		    !rm_mem_hyp_add_ram(h, PRIMARY_VMID, p->ram_me, b->hlos_memory.base,
		                        b->hlos_memory.size)) {
			rm_printf("rm: memory parcels unavailable\n");
			return;
		}
	}
	rm_mem_init(&rm_mem_state, &rm_mem_hyp_ops, h);
	rm_mem_rpc_attach(&rm_mem_state);
	/* VIRQ lending is served from the same moment (irq_hyp.c). */
	rm_irq_start(vms);
}

bool rm_mem_vm_add(uint16_t vmid, uint64_t addrspace)
{
	return find_vm(&rm_mem_hyp_state, vmid) == NULL &&
	       rm_mem_hyp_add_vm(&rm_mem_hyp_state, vmid, addrspace);
}

uint32_t rm_mem_accept_for(uint32_t handle, uint16_t vmid, uint64_t *ipa, uint64_t *size)
{
	const struct rm_memparcel *mp = rm_mem_lookup(&rm_mem_state, handle);
	uint8_t req[12 + 4 + 4 + 16 + 4];
	uint8_t reply[4 + 16 * RM_MP_MAX_SGL];
	size_t reply_len = 0;
	bool is_rwx = false;

	if (mp == NULL) {
		return RM_ERROR_HANDLE_INVALID;
	}
	for (uint32_t i = 0; i < mp->n_acl; i++) {
		is_rwx =
		    is_rwx || (mp->acl[i].vmid == vmid && mp->acl[i].rights == RM_MEM_RIGHT_RWX);
	}
	if (mp->n_sgl != 1 || mp->trans_type == RM_TRANS_SHARE || !is_rwx) {
		return RM_ERROR_DENIED;
	}
	/* MEM_ACCEPT {handle, its mem_type and trans_type, DONE, label 0, no ACL, one range at the
	 * owner's IPA (map_vmid 0), no attributes}. */
	const uint64_t at = mp->sgl_ipa[0], bytes = mp->sgl_size[0];
	rm_rpc_put32(req, handle);
	req[4] = mp->mem_type;
	req[5] = mp->trans_type;
	req[6] = RM_MEM_ACCEPT_DONE;
	req[7] = 0;
	rm_rpc_put32(req + 8, 0);
	rm_rpc_put32(req + 12, 0);
	rm_rpc_put32(req + 16, 1);
	rm_rpc_put64(req + 20, at);
	rm_rpc_put64(req + 28, bytes);
	rm_rpc_put32(req + 36, 0);
	uint32_t err =
	    rm_mem_accept(&rm_mem_state, vmid, req, sizeof(req), reply, sizeof(reply), &reply_len);
	if (err == RM_OK) {
		*ipa = at;
		*size = bytes;
	}
	return err;
}

void rm_mem_vm_remove(uint16_t vmid)
{
	struct rm_mem_hyp_vm *vm = find_vm(&rm_mem_hyp_state, vmid);

	rm_mem_release_all(&rm_mem_state, vmid);
	for (unsigned i = 0; i < RM_MEM_HYP_MAX_GIFTS && vm != NULL; i++) {
		struct rm_mem_hyp_gift *g = &rm_mem_hyp_state.gift[i];
		if (g->is_used && g->vmid == vmid) {
			(void)unmap(vm->addrspace, g->extent, g->ipa);
			delete_cap(&rm_mem_hyp_state, g->extent);
			g->is_used = false;
		}
	}
	if (vm != NULL) {
		vm->is_used = false;
	}
}

bool rm_mem_map_in_rm(uint32_t handle, bool is_map)
{
	struct rm_mem_hyp *h = &rm_mem_hyp_state;
	const struct rm_memparcel *mp = rm_mem_lookup(&rm_mem_state, handle);
	struct rm_mem_range r = {.handle = handle, .index = 0};
	const struct rm_mem_hyp_range *x;

	if (mp == NULL || mp->n_sgl != 1) {
		return false;
	}
	x = range_of(h, &r);
	if (x == NULL) {
		return false;
	}
	if (!is_map) {
		return unmap(h->rm_addrspace, x->extent, mp->sgl_ipa[0]) == HVC_OK;
	}
	return map(h->rm_addrspace, x->extent, mp->sgl_ipa[0],
	           HVC_MAP_ATTRS(HVC_ACCESS_RW, HVC_S2_NORMAL_WB)) == HVC_OK;
}
