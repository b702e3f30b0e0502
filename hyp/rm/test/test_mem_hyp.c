/* hyp/rm/test/test_mem_hyp.c: host test of the RM image's parcel hypervisor side (mem_hyp.c)
 * against a model of the hypercalls it makes, with humpy's rules (hyp/README.md, Extents and
 * Address spaces): a derived extent takes its pages from its parent at activation (all of them, or
 * MEMDB_NOT_OWNER); a mapping needs every page owned by the extent or one derived from it, and an
 * IPA range no other mapping uses; unmap removes one whole mapping; deleting an extent's cap unmaps
 * it and gives its pages back. The question each test asks the model: through which extent does a
 * VM reach this IPA, if at all. */
#include "boot_info.h"
#include "hvc.h"
#include "mem_hyp.h"
#include "memparcel.h"
#include "rm_abi.h"
#include "rmmem_check.h"
#include "rpc.h"
#include "rpc_handlers.h"
#include "vm_state.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RAM       0x40000000ULL
#define RAM_SIZE  0x40000000ULL
#define PAGE      0x1000ULL
#define N_PAGES   (RAM_SIZE / PAGE)
#define DT        0x40F00000ULL
#define DT_SIZE   0x100000ULL
#define PEER      0x80U
#define MAX_EXT   2048
#define MAX_MAPS  2048
#define CAP_BASE  0x1000U
#define AS_PRIM   0x10U
#define AS_PEER   0x11U
#define AS_RM     0x12U
#define PARTITION 0x20U
#define CSPACE    0x21U

/* The model. */
struct ext {
	bool is_live;
	bool is_active;
	int parent; /* -1: the partition */
	uint64_t base, size;
};
struct mapping {
	bool is_live;
	uint64_t as;
	int ext;
	uint64_t ipa, size;
};
static struct ext exts[MAX_EXT];
static int n_exts;
static struct mapping maps[MAX_MAPS];
static int maps_end;   /* no live mapping at or past this index */
static int16_t *owner; /* per RAM page: the extent owning it, -1 the partition */
static unsigned calls_map, calls_unmap, yields;

static int ext_of(uint64_t cap)
{
	int i = (int)(cap - CAP_BASE);
	return cap >= CAP_BASE && i < n_exts && exts[i].is_live ? i : -1;
}

static bool is_descendant(int e, int ancestor)
{
	for (; e >= 0; e = exts[e].parent) {
		if (e == ancestor) {
			return true;
		}
	}
	return false;
}

static uint64_t fake_activate(int e)
{
	struct ext *x = &exts[e];
	for (uint64_t pa = x->base; pa < x->base + x->size; pa += PAGE) {
		if (owner[(pa - RAM) / PAGE] != x->parent) {
			return 111; /* MEMDB_NOT_OWNER */
		}
	}
	for (uint64_t pa = x->base; pa < x->base + x->size; pa += PAGE) {
		owner[(pa - RAM) / PAGE] = (int16_t)e;
	}
	x->is_active = true;
	return HVC_OK;
}

static uint64_t fake_map(uint64_t as, int e, uint64_t ipa)
{
	const struct ext *x = &exts[e];
	calls_map++;
	for (uint64_t pa = x->base; pa < x->base + x->size; pa += PAGE) {
		if (!is_descendant(owner[(pa - RAM) / PAGE], e)) {
			return 3; /* DENIED */
		}
	}
	for (int i = 0; i < maps_end; i++) {
		if (maps[i].is_live && maps[i].as == as && ipa < maps[i].ipa + maps[i].size &&
		    maps[i].ipa < ipa + x->size) {
			return 3; /* the IPA range is in use */
		}
	}
	for (int i = 0; i < MAX_MAPS; i++) {
		if (!maps[i].is_live) {
			maps[i] = (struct mapping){true, as, e, ipa, x->size};
			maps_end = i + 1 > maps_end ? i + 1 : maps_end;
			return HVC_OK;
		}
	}
	return 1;
}

static uint64_t fake_unmap(uint64_t as, int e, uint64_t ipa)
{
	calls_unmap++;
	for (int i = 0; i < maps_end; i++) {
		if (maps[i].is_live && maps[i].as == as && maps[i].ext == e && maps[i].ipa == ipa) {
			maps[i].is_live = false;
			return HVC_OK;
		}
	}
	return 6; /* ARGUMENT_INVALID: only a whole mapping */
}

static uint64_t fake_delete(int e)
{
	for (int i = 0; i < maps_end; i++) {
		if (maps[i].is_live && maps[i].ext == e) {
			maps[i].is_live = false;
		}
	}
	if (exts[e].is_active) {
		for (uint64_t pa = exts[e].base; pa < exts[e].base + exts[e].size; pa += PAGE) {
			if (owner[(pa - RAM) / PAGE] == e) {
				owner[(pa - RAM) / PAGE] = (int16_t)exts[e].parent;
			}
		}
	}
	exts[e].is_live = false;
	return HVC_OK;
}

struct hvc_ret hvc_call(uint32_t num, const uint64_t *a, unsigned n)
{
	struct hvc_ret r = {{0}};
	uint64_t in[8] = {0};
	memcpy(in, a, n * sizeof(a[0]));
	switch (num) {
	case HVC_PARTITION_CREATE_MEMEXTENT:
		if (n_exts == MAX_EXT) {
			r.x[0] = 1;
			break;
		}
		exts[n_exts] = (struct ext){true, false, -1, 0, 0};
		r.x[1] = CAP_BASE + (uint64_t)n_exts++;
		break;
	case HVC_MEMEXTENT_CONFIGURE_DERIVE: {
		int e = ext_of(in[0]), p = ext_of(in[1]);
		if (e < 0 || p < 0 || in[2] + in[3] > exts[p].size) {
			r.x[0] = 6;
			break;
		}
		exts[e].parent = p;
		exts[e].base = exts[p].base + in[2];
		exts[e].size = in[3];
		break;
	}
	case HVC_OBJECT_ACTIVATE:
		r.x[0] = ext_of(in[0]) < 0 ? 6 : fake_activate(ext_of(in[0]));
		break;
	case HVC_ADDRSPACE_MAP:
		r.x[0] = ext_of(in[1]) < 0 ? 6 : fake_map(in[0], ext_of(in[1]), in[2]);
		break;
	case HVC_ADDRSPACE_UNMAP:
		r.x[0] = ext_of(in[1]) < 0 ? 6 : fake_unmap(in[0], ext_of(in[1]), in[2]);
		break;
	case HVC_CSPACE_DELETE_CAP_FROM:
		r.x[0] = ext_of(in[1]) < 0 ? 6 : fake_delete(ext_of(in[1]));
		break;
	case 0x3BU: /* scheduler_yield */
		yields++;
		break;
	default:
		r.x[0] = 0xFFFFFFFFFFFFFFFFULL;
		break;
	}
	return r;
}

uint64_t hvc_err(uint32_t num, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const uint64_t a[3] = {a0, a1, a2};
	return hvc_call(num, a, 3).x[0];
}

uint64_t hvc_create(uint32_t create_call, uint64_t partition, uint64_t cspace, uint64_t *err)
{
	const uint64_t a[2] = {partition, cspace};
	struct hvc_ret r = hvc_call(create_call, a, 2);
	*err = r.x[0];
	return r.x[0] == HVC_OK ? r.x[1] : ~0ULL;
}

/* What mem_hyp.c needs of the rest of the image. */
void rm_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static struct rm_vm vm_primary = {.is_used = true, .vmid = RM_VMID_PRIMARY};
static struct rm_vm vm_peer = {.is_used = true, .vmid = PEER};

struct rm_vm *rm_vm_lookup(struct rm_vms *vms, uint16_t vmid)
{
	(void)vms;
	return vmid == RM_VMID_PRIMARY ? &vm_primary : vmid == PEER ? &vm_peer : NULL;
}

int rm_rpc_notify(struct rm_rpc *rpc, uint32_t msg_id, const void *payload, size_t len)
{
	(void)rpc;
	(void)msg_id;
	(void)payload;
	(void)len;
	return 0;
}

void rm_irq_start(struct rm_vms *vms)
{
	(void)vms;
}

/* Through which extent does address space `as` reach ipa (-1: it faults)? */
static int reach(uint64_t as, uint64_t ipa)
{
	for (int i = 0; i < maps_end; i++) {
		if (maps[i].is_live && maps[i].as == as && ipa >= maps[i].ipa &&
		    ipa < maps[i].ipa + maps[i].size) {
			return maps[i].ext;
		}
	}
	return -1;
}

/* The PA the access lands on (only meaningful when reach() >= 0). */
static uint64_t reach_pa(uint64_t as, uint64_t ipa)
{
	for (int i = 0; i < maps_end; i++) {
		if (maps[i].is_live && maps[i].as == as && ipa >= maps[i].ipa &&
		    ipa < maps[i].ipa + maps[i].size) {
			return exts[maps[i].ext].base + (ipa - maps[i].ipa);
		}
	}
	return 0;
}

static unsigned primary_holes(void)
{
	unsigned holes = 0;
	for (uint64_t ipa = RAM; ipa < RAM + RAM_SIZE; ipa += PAGE) {
		holes += reach(AS_PRIM, ipa) < 0;
	}
	return holes;
}

static const struct rm_boot_info boot = {
    .partition = PARTITION,
    .cspace = CSPACE,
    .addrspace = AS_RM,
    .hlos_memory = {RAM, RAM_SIZE},
    .hlos_entry = 0x41000000ULL,
    .hlos_dtb = DT,
};
static struct primary_vm primary;

/* The boot as rmboot's primary.c does it: the RAM extent, the DT window derived from it, then the
 * pieces; rm_mem_start once the VM runs. */
static void boot_primary(void)
{
	uint64_t err;
	memset(exts, 0, sizeof(exts));
	memset(maps, 0, sizeof(maps));
	maps_end = 0;
	n_exts = 0;
	for (uint64_t i = 0; i < N_PAGES; i++) {
		owner[i] = -1;
	}
	primary.addrspace = AS_PRIM;
	primary.ram_me = hvc_create(HVC_PARTITION_CREATE_MEMEXTENT, PARTITION, CSPACE, &err);
	exts[ext_of(primary.ram_me)].base = RAM;
	exts[ext_of(primary.ram_me)].size = RAM_SIZE;
	CHECK_EQ(fake_activate(ext_of(primary.ram_me)), HVC_OK);
	primary.dt_me = hvc_create(HVC_PARTITION_CREATE_MEMEXTENT, PARTITION, CSPACE, &err);
	const uint64_t d[5] = {primary.dt_me, primary.ram_me, DT - RAM, DT_SIZE, 0};
	CHECK_EQ(hvc_call(HVC_MEMEXTENT_CONFIGURE_DERIVE, d, 5).x[0], HVC_OK);
	CHECK_EQ(hvc_err(HVC_OBJECT_ACTIVATE, primary.dt_me, 0, 0), HVC_OK);
	CHECK(rm_mem_premap(&boot, AS_PRIM, primary.ram_me, primary.dt_me, DT, DT_SIZE));
	rm_mem_start(&boot, &primary, NULL);
	calls_map = calls_unmap = yields = 0;
}

/* Builds requests and runs them through the MEM_* handlers the image registers. */
static uint8_t reply[512];
static uint32_t run(uint32_t (*fn)(struct rm_rpc_call *), uint16_t caller, const uint8_t *req,
                    size_t len, uint32_t *word)
{
	struct rm_rpc_call c = {
	    .caller_vmid = caller,
	    .req = req,
	    .req_len = len,
	    .reply = reply,
	    .reply_cap = sizeof(reply),
	};
	uint32_t err = fn(&c);
	if (word != NULL) {
		*word = (uint32_t)reply[0] | ((uint32_t)reply[1] << 8) |
		        ((uint32_t)reply[2] << 16) | ((uint32_t)reply[3] << 24);
	}
	return err;
}

static size_t create_req(uint8_t *r, uint16_t vmid, uint8_t rights, uint64_t ipa, uint64_t size)
{
	memset(r, 0, 48);
	rm_rpc_put32(r + 8, 1);
	rm_rpc_put16(r + 12, vmid);
	r[14] = rights;
	rm_rpc_put16(r + 16, 1);
	rm_rpc_put64(r + 20, ipa);
	rm_rpc_put64(r + 28, size);
	return 40;
}

static size_t handle_req(uint8_t *r, uint32_t handle)
{
	memset(r, 0, 8);
	rm_rpc_put32(r, handle);
	return 8;
}

/* The boot maps all the RAM at IPA = PA, in pieces of RM_MEM_HYP_PIECE_SIZE (the DT window is
 * its own extent), and keeps the DT window extent. */
static void test_premap(void)
{
	boot_primary();
	CHECK_EQ(primary_holes(), 0);
	CHECK_EQ(reach_pa(AS_PRIM, 0x41234560ULL), 0x41234560ULL);
	CHECK_EQ(reach(AS_PRIM, DT + 0x10), ext_of(primary.dt_me));
	unsigned pieces = 0;
	for (int i = 0; i < MAX_MAPS; i++) {
		pieces += maps[i].is_live && maps[i].as == AS_PRIM;
	}
	CHECK_EQ(pieces, RAM_SIZE / RM_MEM_HYP_PIECE_SIZE + 1); /* the DT piece splits one */
}

/* The fault: a lend takes exactly the lent range out of the lender's Stage-2 and nothing
 * else, after one yield and with one piece remapped; reclaim makes it reachable at the same PA. */
static void test_lend_takes_exactly_the_range(void)
{
	uint8_t r[64];
	uint32_t h;
	const uint64_t page = 0x41095000ULL;
	boot_primary();
	CHECK_EQ(
	    run(rm_handle_mem_lend, RM_VMID_PRIMARY, r, create_req(r, PEER, 6, page, 2 * PAGE), &h),
	    RM_OK);
	CHECK_EQ(reach(AS_PRIM, page), -1);
	CHECK_EQ(reach(AS_PRIM, page + PAGE), -1);
	CHECK_EQ(primary_holes(), 2);
	CHECK_EQ(reach_pa(AS_PRIM, page - PAGE), page - PAGE);
	CHECK_EQ(reach_pa(AS_PRIM, page + 2 * PAGE), page + 2 * PAGE);
	CHECK_EQ(yields, 1);
	CHECK_EQ(calls_unmap, 1); /* one piece, not the RAM */
	CHECK_EQ(run(rm_handle_mem_reclaim, RM_VMID_PRIMARY, r, handle_req(r, h), NULL), RM_OK);
	CHECK_EQ(primary_holes(), 0);
	CHECK_EQ(reach_pa(AS_PRIM, page + 0x123), page + 0x123);
	/* Lend it again after the reclaim: the range is its own piece now. */
	CHECK_EQ(
	    run(rm_handle_mem_lend, RM_VMID_PRIMARY, r, create_req(r, PEER, 6, page, 2 * PAGE), &h),
	    RM_OK);
	CHECK_EQ(primary_holes(), 2);
	CHECK_EQ(run(rm_handle_mem_reclaim, RM_VMID_PRIMARY, r, handle_req(r, h), NULL), RM_OK);
	CHECK_EQ(primary_holes(), 0);
}

/* A share keeps the owner's access; an accepted lend reaches the same PA from the borrower. */
static void test_share_and_accept(void)
{
	uint8_t r[64];
	uint32_t h;
	uint64_t ipa = 0, size = 0;
	boot_primary();
	CHECK(rm_mem_vm_add(PEER, AS_PEER));
	CHECK(!rm_mem_vm_add(PEER, AS_PEER)); /* once */
	size_t n = create_req(r, PEER, 4, 0x50000000ULL, PAGE);
	/* Share: the owner in the ACL too (two entries). */
	uint8_t s[64];
	memset(s, 0, sizeof(s));
	rm_rpc_put32(s + 8, 2);
	rm_rpc_put16(s + 12, RM_VMID_PRIMARY);
	s[14] = 7;
	rm_rpc_put16(s + 16, PEER);
	s[18] = 4;
	rm_rpc_put16(s + 20, 1);
	rm_rpc_put64(s + 24, 0x50000000ULL);
	rm_rpc_put64(s + 32, PAGE);
	CHECK_EQ(run(rm_handle_mem_share, RM_VMID_PRIMARY, s, 44, &h), RM_OK);
	CHECK_EQ(primary_holes(), 0);
	CHECK_EQ(calls_unmap, 0);
	CHECK_EQ(run(rm_handle_mem_reclaim, RM_VMID_PRIMARY, r, handle_req(r, h), NULL), RM_OK);
	/* Lend with RWX, accepted on the peer's behalf (VM_CONFIG_IMAGE). */
	n = create_req(r, PEER, 7, 0x50000000ULL, 2 * PAGE);
	CHECK_EQ(run(rm_handle_mem_lend, RM_VMID_PRIMARY, r, n, &h), RM_OK);
	CHECK_EQ(rm_mem_accept_for(h, PEER, &ipa, &size), RM_OK);
	CHECK_EQ(ipa, 0x50000000ULL);
	CHECK_EQ(size, 2 * PAGE);
	CHECK_EQ(reach_pa(AS_PEER, 0x50001008ULL), 0x50001008ULL);
	CHECK_EQ(reach(AS_PRIM, 0x50001008ULL), -1);
	CHECK_EQ(rm_mem_accept_for(h, PEER, &ipa, &size), RM_ERROR_MEM_INUSE);
	CHECK_EQ(rm_mem_accept_for(h + 9, PEER, &ipa, &size), RM_ERROR_HANDLE_INVALID);
	CHECK_EQ(run(rm_handle_mem_reclaim, RM_VMID_PRIMARY, r, handle_req(r, h), NULL),
	         RM_ERROR_MEM_INUSE);
	CHECK_EQ(run(rm_handle_mem_release, PEER, r, handle_req(r, h), NULL), RM_OK);
	CHECK_EQ(reach(AS_PEER, 0x50001008ULL), -1);
	CHECK_EQ(run(rm_handle_mem_reclaim, RM_VMID_PRIMARY, r, handle_req(r, h), NULL), RM_OK);
	CHECK_EQ(primary_holes(), 0);
	/* Read-only rights are not enough for an image. */
	n = create_req(r, PEER, 4, 0x50000000ULL, PAGE);
	CHECK_EQ(run(rm_handle_mem_lend, RM_VMID_PRIMARY, r, n, &h), RM_OK);
	CHECK_EQ(rm_mem_accept_for(h, PEER, &ipa, &size), RM_ERROR_DENIED);
}

/* A donation: the range leaves the donor at MEM_DONATE and for good; accepted (VM_CONFIG_IMAGE's
 * path), the recipient reaches the same PA and the parcel is gone; at the recipient's teardown
 * (rm_mem_vm_remove) the range leaves it too, so no mapping keeps its address space alive, and the
 * VMID can be added again. */
static void test_donate_is_final(void)
{
	uint8_t r[64];
	uint32_t h, h2;
	uint64_t ipa = 0, size = 0;
	const uint64_t page = 0x50000000ULL;
	boot_primary();
	CHECK(rm_mem_vm_add(PEER, AS_PEER));
	size_t n = create_req(r, PEER, 7, page, PAGE);
	CHECK_EQ(run(rm_handle_mem_donate, RM_VMID_PRIMARY, r, n, &h), RM_OK);
	CHECK_EQ(reach(AS_PRIM, page), -1);
	CHECK_EQ(primary_holes(), 1);
	CHECK_EQ(run(rm_handle_mem_donate, RM_VMID_PRIMARY, r, n, &h2), RM_ERROR_MEM_INUSE);
	CHECK_EQ(rm_mem_accept_for(h, PEER, &ipa, &size), RM_OK);
	CHECK_EQ(ipa, page);
	CHECK_EQ(reach_pa(AS_PEER, page + 8), page + 8);
	CHECK_EQ(run(rm_handle_mem_reclaim, RM_VMID_PRIMARY, r, handle_req(r, h), NULL),
	         RM_ERROR_HANDLE_INVALID);
	n = create_req(r, PEER, 7, page, PAGE);
	CHECK_EQ(run(rm_handle_mem_donate, RM_VMID_PRIMARY, r, n, &h2), RM_ERROR_MEM_INVALID);
	rm_mem_vm_remove(PEER);
	for (int i = 0; i < maps_end; i++) {
		CHECK(!(maps[i].is_live && maps[i].as == AS_PEER));
	}
	CHECK_EQ(reach(AS_PRIM, page), -1);
	CHECK_EQ(primary_holes(), 1);
	CHECK(rm_mem_vm_add(PEER, AS_PEER));
}

/* Outside the owner's RAM there is nothing to lend: MEM_INVALID, nothing changed. */
static void test_not_ram(void)
{
	uint8_t r[64];
	uint32_t h;
	boot_primary();
	CHECK_EQ(run(rm_handle_mem_lend, RM_VMID_PRIMARY, r,
	             create_req(r, PEER, 6, RAM + RAM_SIZE - PAGE, 2 * PAGE), &h),
	         RM_ERROR_MEM_INVALID);
	CHECK_EQ(run(rm_handle_mem_lend, RM_VMID_PRIMARY, r,
	             create_req(r, PEER, 6, 0x09000000ULL, PAGE), &h),
	         RM_ERROR_MEM_INVALID);
	CHECK_EQ(primary_holes(), 0);
	CHECK_EQ(calls_map + calls_unmap, 0);
}

int main(void)
{
	owner = calloc(N_PAGES, sizeof(*owner));
	if (owner == NULL) {
		return 2;
	}
	RUN(test_premap);
	RUN(test_lend_takes_exactly_the_range);
	RUN(test_share_and_accept);
	RUN(test_donate_is_final);
	RUN(test_not_ram);
	free(owner);
	return rmmem_summary("test_mem_hyp");
}
