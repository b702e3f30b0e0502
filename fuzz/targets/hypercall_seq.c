/* hypercall_seq: decodes the input into a sequence of hypercalls from the spec's table, issued by
 * chosen callers through hyp's real dispatch (native and SMCCC paths), with arguments drawn from
 * live state or raw values; the oracle runs after every call and once more after a full teardown.
 *
 * Input (every read past the end gives 0, so short inputs still make calls):
 *   call := sel who arg{n_inputs}          at most SEQ_MAX_CALLS calls
 *   sel  < 0xe0: the (sel % n)-th call hyp implements; 0xe0..0xf7: spec row u8 % rows;
 *        0xf8..0xff: raw call number u8 (holes and numbers past the table)
 *   who  bits 1:0 caller: 0 root vCPU, 1 vCPU of the k-th live thread with a cspace, 2 a vCPU
 *        without a cspace, 3 a vCPU naming caps in the k-th active cspace; bit 2 SMCCC path;
 *        bits 7:3 k
 *   arg  kind u8, then its operands (kind & 7): 0 cap of the input's type from the pool [u8],
 *        1 any pooled cap [u8], 2 the reserved value or a small one [u8], 3 raw [u64 LE],
 *        4 a limit [u8], 5 a slot ID of the k-th active cspace [u8 k, u8 slot selector],
 *        6 pooled cap with one bit flipped [u8, u8], 7 the previous call's x1; kind 0x45: the
 *        root VM's own VIC (u8 even) or vCPU (u8 odd) cap, the ones a guest names from /chosen
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "core_call.h"
#include "fuzz_input.h"
#include "guest_mem.h"
#include "host.h"
#include "gunyah_spec.h"
#include "hypercall.h"
#include "doorbell.h"
#include "memextent.h"
#include "msgqueue.h"
#include "oracle.h"
#include "spec_calls.h"
#include "thread.h"
#include "vm.h"
#include "world.h"

#define SEQ_MAX_CALLS 48U
#define SEQ_ARG_OWN   0x45U /* argument kind: the root VM's own VIC or vCPU cap */
#define SEQ_POOL_SIZE 64U

/* Spec object types as the core numbers them (the two encodings are independent on purpose). */
static const enum obj_type seq_spec_type[SPEC_OBJ_COUNT] = {
    [SPEC_OBJ_NONE] = OBJ_NONE,           [SPEC_OBJ_ANY] = OBJ_ANY,
    [SPEC_OBJ_PARTITION] = OBJ_PARTITION, [SPEC_OBJ_CSPACE] = OBJ_CSPACE,
    [SPEC_OBJ_ADDRSPACE] = OBJ_ADDRSPACE, [SPEC_OBJ_MEMEXTENT] = OBJ_MEMEXTENT,
    [SPEC_OBJ_THREAD] = OBJ_THREAD,       [SPEC_OBJ_DOORBELL] = OBJ_DOORBELL,
    [SPEC_OBJ_MSGQUEUE] = OBJ_MSGQUEUE,   [SPEC_OBJ_VIC] = OBJ_VIC,
    [SPEC_OBJ_HWIRQ] = OBJ_HWIRQ,         [SPEC_OBJ_VPM_GROUP] = OBJ_VPM_GROUP,
    [SPEC_OBJ_VIRTIO_MMIO] = OBJ_NONE,    [SPEC_OBJ_VRTC] = OBJ_NONE,
    [SPEC_OBJ_WATCHDOG] = OBJ_NONE,
};

/* The RW window covers the conformance guest's image, so buffers in trace seeds are mapped. */
#define SEQ_VA_RW      0x41000000ULL
#define SEQ_RW_SIZE    0x100000U
#define SEQ_GUEST_SIZE 0x1000U /* the read-only window */
#define SEQ_VA_RO      0x20000ULL

/* Values at and around the spec's limits, and the usual edges of registers. */
static const uint64_t seq_limits[] = {
    0,
    1,
    2,
    0x7f,
    0xff,
    0x100,
    0xffff,
    0x10000,
    GH_LIMIT_MSGQUEUE_MAX_DEPTH - 1U,
    GH_LIMIT_MSGQUEUE_MAX_DEPTH,
    GH_LIMIT_MSGQUEUE_MAX_DEPTH + 1U,
    GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE,
    GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1U,
    GH_LIMIT_CSPACE_MAX_CAPS - 1U,
    GH_LIMIT_CSPACE_MAX_CAPS,
    GH_LIMIT_CSPACE_MAX_CAPS + 1U,
    /* guest buffers (seq_guest_map): inside, straddling the end, read-only, unmapped */
    SEQ_VA_RW + 8U,
    SEQ_VA_RW + SEQ_RW_SIZE - 16U,
    SEQ_VA_RO,
    SEQ_VA_RO + SEQ_GUEST_SIZE,
    /* VIRQs of the root VIC (SPIs 32..95) and around them; thresholds "unchanged" / "depth" */
    31U,
    32U,
    95U,
    96U,
    UINT64_MAX - 1U,
    /* msgqueue create_info: depth | max_msg_size << 16 */
    GH_LIMIT_MSGQUEUE_MAX_DEPTH | (uint64_t)GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE << 16,
    (GH_LIMIT_MSGQUEUE_MAX_DEPTH + 1U) | (uint64_t)GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE << 16,
    GH_LIMIT_MSGQUEUE_MAX_DEPTH | (uint64_t)(GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE + 1U) << 16,
    1U | 1ULL << 16,
    8U | 240ULL << 16,
    1ULL << 16,
    1U,
    1U | 1ULL << 16 | 1ULL << 32,
    /* rights masks */
    0x80000000U,
    0x7fffffffU,
    0xffffffffU,
    0x10U,
    0x1fU,
    0x3ffU,
    0xffffffff00000001ULL,
    /* 64-bit edges */
    0x100000000ULL,
    0x100000000ULL + 4U,
    0x7fffffffffffffffULL,
    0x8000000000000000ULL,
    0xfffffeffffffffffULL,
    0xffffff0000000000ULL,
    0xfffffffffffffffeULL,
    0xffffffffffffffffULL,
    /* appended (earlier indices keep their values): the root partition's RAM (world.h) and
     * extent and mapping arguments: its base, pages inside and at its end, page multiples,
     * memextent attrs (RWX basic, RW sparse, RWX sparse, R cached), map attrs (user+kernel RW
     * and R, write-back; RWX device), IPAs */
    WORLD_MEM_BASE,
    WORLD_MEM_BASE + 0x1000U,
    WORLD_MEM_BASE + 0x10000U,
    WORLD_MEM_BASE + WORLD_MEM_SIZE - 0x1000U,
    WORLD_MEM_BASE + WORLD_MEM_SIZE,
    0x1000U,
    0x2000U,
    0x4000U,
    WORLD_MEM_SIZE,
    0x7U,
    0x6U | 1U << 16,
    0x7U | 1U << 16,
    0x4U | 3U << 8,
    0x0F0066U,
    0x0F0044U,
    0x000077U,
    0x80000000U,
    0x80001000U,
    0x10000000000ULL,
    0xFFFFFFF000ULL,
};

struct seq_pool_entry {
	cap_id_t id;
	enum obj_type type;
};

/* What a cap input named before the call (the slot may be gone after it). */
struct seq_pre_cap {
	bool decoded;
	const struct cspace *cs; /* where it was looked up */
	uint64_t cs_serial;
	struct cap *slot;
	struct cap cap; /* copy */
	uint64_t obj_serial;
	enum obj_state obj_state;
};

enum seq_post {
	POST_NONE,
	POST_CREATE,
	POST_ACTIVATE,
	POST_ACTIVATE_FROM,
	POST_DELETE,
	POST_COPY,
	POST_REVOKE,
	POST_REVOKE_CAPS,
	POST_CSPACE_CONFIGURE,
	POST_MSGQUEUE_CONFIGURE,
	POST_ATTACH_THREAD,
	POST_RESET,
	POST_DONATE,
};

/* Message queue calls whose buffer argument seq_arg aims at the caller's windows. */
enum seq_msgq_call {
	MSGQ_OTHER,
	MSGQ_SEND,    /* msgqueue_send: buffer in input 2 */
	MSGQ_RECEIVE, /* msgqueue_receive: buffer in input 1 */
};

static struct {
	bool ready;
	unsigned impl[SPEC_NUM_CALLS]; /* spec rows hyp implements */
	unsigned n_impl;
	enum seq_post post[SPEC_NUM_CALLS];
	enum obj_type creates[SPEC_NUM_CALLS];
	/* Per spec row, from its name once (not a strcmp per argument and call). */
	enum seq_msgq_call msgq[SPEC_NUM_CALLS];
	bool is_from[SPEC_NUM_CALLS]; /* a *_from call: input 1 is a cap in the cspace input 0 names
	                               */
	struct seq_pool_entry pool[SEQ_POOL_SIZE];
	unsigned n_pool;
	uint64_t last_x1;
	struct vm vm;
	bool trace;           /* HUMPY_FUZZ_TRACE set: each call and its result on stderr */
	uint64_t fingerprint; /* of the world after the last call (oracle_fingerprint) */
	/* The fingerprint of the world the last oracle_check_world passed, and the calls since
	 * then whose check was left for later (each failed without changing the fingerprint). */
	uint64_t checked_fingerprint;
	unsigned unchecked_calls;
	/* The fresh world's fingerprint and whether a built one passed the world check. */
	uint64_t fresh_fingerprint;
	bool fresh_checked;
} seq;

static enum obj_type seq_type_named(const char *name)
{
	static const struct {
		const char *name;
		enum obj_type type;
	} names[] = {
	    {"partition", OBJ_PARTITION}, {"cspace", OBJ_CSPACE},    {"addrspace", OBJ_ADDRSPACE},
	    {"memextent", OBJ_MEMEXTENT}, {"thread", OBJ_THREAD},    {"doorbell", OBJ_DOORBELL},
	    {"msgqueue", OBJ_MSGQUEUE},   {"vic", OBJ_VIC},          {"vpm_group", OBJ_VPM_GROUP},
	    {"watchdog", OBJ_NONE},       {"virtio_mmio", OBJ_NONE},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			return names[i].type;
		}
	}
	return OBJ_NONE;
}

static void seq_init(void)
{
	static const struct {
		const char *name;
		enum seq_post post;
	} posts[] = {
	    {"object_activate", POST_ACTIVATE},
	    {"object_activate_from", POST_ACTIVATE_FROM},
	    {"object_reset", POST_RESET},
	    {"object_reset_from", POST_RESET},
	    {"cspace_delete_cap_from", POST_DELETE},
	    {"cspace_copy_cap_from", POST_COPY},
	    {"cspace_revoke_cap_from", POST_REVOKE},
	    {"cspace_revoke_caps_from", POST_REVOKE_CAPS},
	    {"cspace_configure", POST_CSPACE_CONFIGURE},
	    {"msgqueue_configure", POST_MSGQUEUE_CONFIGURE},
	    {"cspace_attach_thread", POST_ATTACH_THREAD},
	    {"memextent_donate", POST_DONATE},
	};

	for (unsigned r = 0; r < SPEC_NUM_CALLS; r++) {
		const struct spec_call *c = &spec_calls[r];
		const struct hypercall_desc *d = hypercall_desc_of(c->num);

		if (strncmp(c->name, "partition_create_", 17) == 0) {
			seq.post[r] = POST_CREATE;
			seq.creates[r] = seq_type_named(c->name + 17);
		}
		for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
			if (strcmp(c->name, posts[i].name) == 0) {
				seq.post[r] = posts[i].post;
			}
		}
		seq.msgq[r] = strcmp(c->name, "msgqueue_send") == 0      ? MSGQ_SEND
		              : strcmp(c->name, "msgqueue_receive") == 0 ? MSGQ_RECEIVE
		                                                         : MSGQ_OTHER;
		seq.is_from[r] =
		    strlen(c->name) > 5 && strcmp(c->name + strlen(c->name) - 5, "_from") == 0;
		if ((d != NULL && d->handler != NULL) ||
		    (seq.post[r] == POST_CREATE && object_ops(seq.creates[r]) != NULL) ||
		    seq.post[r] == POST_MSGQUEUE_CONFIGURE) {
			seq.impl[seq.n_impl++] = r;
		}
	}
	seq.trace = getenv("HUMPY_FUZZ_TRACE") != NULL;
	seq.ready = true;
}

/*
 * Calls the core implements but hyp does not dispatch yet: issued straight to the core entry point
 * (same context and result shape), so their code is fuzzed before the dispatch row lands. Returns
 * false for any other call.
 */
static bool seq_core_direct(unsigned row, const struct vcpu *vcpu, const uint64_t *args,
                            struct hypercall_result *res)
{
	struct core_ctx ctx = {.cspace = vcpu->cspace};
	struct core_result r = {.error = ERROR_ARGUMENT_INVALID, .value = 0};

	if (seq.post[row] == POST_CREATE && object_ops(seq.creates[row]) != NULL) {
		if (ctx.cspace != NULL) {
			r = core_partition_create(&ctx, seq.creates[row], args[0], args[1]);
		}
	} else if (seq.post[row] == POST_MSGQUEUE_CONFIGURE) {
		if (ctx.cspace != NULL) {
			r.error = core_msgqueue_configure(&ctx, args[0], args[1]);
		}
	} else {
		return false;
	}
	*res = (struct hypercall_result){.x = {(uint64_t)(int64_t)r.error, r.value}, .count = 8};
	return true;
}

static void seq_pool_add(cap_id_t id, enum obj_type type)
{
	if (seq.n_pool < SEQ_POOL_SIZE) {
		seq.pool[seq.n_pool++] = (struct seq_pool_entry){id, type};
	}
}

/* The k-th live object of @type (wrapping around), optionally only active ones. */
static bool seq_kth_match(const struct world_alloc *a, enum obj_type type, bool active_only)
{
	const struct object *o = a->ptr;

	return a->is_object && o->type == type && (!active_only || o->state == OBJ_STATE_ACTIVE);
}

static struct object *seq_kth(enum obj_type type, unsigned k, bool active_only)
{
	unsigned n = 0;

	/* Two passes over the shadow (creation order) instead of a 32 KB array per call. */
	for (unsigned i = 0; i < world.n_allocs; i++) {
		n += seq_kth_match(&world.allocs[i], type, active_only) ? 1U : 0U;
	}
	if (n == 0U) {
		return NULL;
	}
	k %= n;
	for (unsigned i = 0; i < world.n_allocs; i++) {
		if (seq_kth_match(&world.allocs[i], type, active_only) && k-- == 0U) {
			return world.allocs[i].ptr;
		}
	}
	return NULL;
}

static cap_id_t seq_pool_pick(uint8_t idx, enum obj_type want)
{
	unsigned match[SEQ_POOL_SIZE];
	unsigned n = 0;

	for (unsigned i = 0; i < seq.n_pool; i++) {
		if (want == OBJ_ANY || want == OBJ_NONE || seq.pool[i].type == want) {
			match[n++] = i;
		}
	}
	if (n == 0) {
		return seq.pool[idx % seq.n_pool].id;
	}
	return seq.pool[match[idx % n]].id;
}

static uint64_t seq_slot_id(struct fuzz_input *in)
{
	struct cspace *cs = (struct cspace *)seq_kth(OBJ_CSPACE, fuzz_u8(in), true);
	uint8_t sel = fuzz_u8(in);
	uint32_t index;

	if (cs == NULL) {
		return CAP_ID_INVALID;
	}
	switch (sel) {
	case 0:
		index = cs->max_caps - 1U;
		break;
	case 1:
		index = cs->max_caps;
		break;
	case 2:
		index = cs->max_caps + 1U;
		break;
	case 3:
		index = UINT32_MAX;
		break;
	default:
		index = sel;
		break;
	}
	return cspace_id_of(cs, index);
}

static uint64_t seq_arg(struct fuzz_input *in, const struct spec_call *c, unsigned i)
{
	uint8_t kind = fuzz_u8(in);
	enum obj_type want = c != NULL ? seq_spec_type[c->cap_type[i]] : OBJ_ANY;

	/* Buffers of message queue calls: mostly inside the caller's windows (some straddle out).
	 */
	if (c != NULL && (kind & 0x18U) != 0U &&
	    ((i == 2 && seq.msgq[c - spec_calls] == MSGQ_SEND) ||
	     (i == 1 && seq.msgq[c - spec_calls] == MSGQ_RECEIVE))) {
		return ((kind & 0x20U) != 0U ? SEQ_VA_RO : SEQ_VA_RW) + fuzz_u8(in) * 16U;
	}
	/* Not pooled (that would renumber every pool reference of the seeds): traced binds to the
	 * guest's own VIC and its vCPU cap reach the root's objects through this kind. */
	if (kind == SEQ_ARG_OWN) {
		return (fuzz_u8(in) & 1U) != 0U ? world.root.vcpu_cap : world.root.vic_cap;
	}
	switch (kind & 7U) {
	case 0:
		return seq_pool_pick(fuzz_u8(in), want);
	case 1:
		return seq_pool_pick(fuzz_u8(in), OBJ_ANY);
	case 2: {
		uint8_t v = fuzz_u8(in);

		if (c != NULL && (c->res0_mask & (1U << i)) != 0U) {
			return 0;
		}
		if (c != NULL && (c->res1_mask & (1U << i)) != 0U) {
			return UINT64_MAX;
		}
		return v;
	}
	case 3:
		return fuzz_u64(in);
	case 4:
		return seq_limits[fuzz_u8(in) % (sizeof(seq_limits) / sizeof(seq_limits[0]))];
	case 5:
		return seq_slot_id(in);
	case 6: {
		cap_id_t id = seq_pool_pick(fuzz_u8(in), OBJ_ANY);

		return id ^ (1ULL << (fuzz_u8(in) & 63U));
	}
	default:
		return seq.last_x1;
	}
}

/* The caller's vCPU; the references it holds while running are taken here and dropped after. */
struct seq_caller {
	struct vcpu vcpu;
	struct object *held[2];
};

/*
 * Zeroes one of this file's own locals (a call's arguments and registers, the caller's vCPU, the
 * pre-call caps) with plain stores, outside the sanitizers: AddressSanitizer intercepts memset
 * wherever it is called and checked each time that a stack variable of known size is addressable
 * (~5 % of a call's CPU time). The sanitizers still check every access the code under test and the
 * checks make to them.
 */
typedef uint64_t seq_words __attribute__((vector_size(32), aligned(8)));
#define seq_zero(p)                                                                                \
	do {                                                                                       \
		_Static_assert(sizeof(*(p)) % sizeof(uint64_t) == 0, "whole words");               \
		seq_zero_bytes((p), sizeof(*(p)));                                                 \
	} while (0)

__attribute__((no_sanitize("address", "undefined"), no_builtin("memset"))) static void
seq_zero_bytes(void *p, size_t n)
{
	seq_words *v = p;
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < n / sizeof(*v); i++) {
		v[i] = (seq_words){0};
	}
	for (i *= sizeof(*v) / sizeof(*w); i < n / sizeof(*w); i++) {
		w[i] = 0;
	}
}

static void seq_caller_pick(struct seq_caller *who, uint8_t b)
{
	struct object *o;

	seq_zero(who);
	who->vcpu.vm = &seq.vm;
	who->vcpu.index = b >> 3;
	switch (b & 3U) {
	case 1: { /* a vCPU runs its thread, which holds its cspace */
		struct thread *th = NULL;
		unsigned n = 0, k;

		/* The shadow in creation order (world_object(i) would rescan it per i). */
		for (unsigned i = 0; i < world.n_allocs; i++) {
			o = world.allocs[i].ptr;
			n += world.allocs[i].is_object && o->type == OBJ_THREAD &&
			             ((struct thread *)o)->cspace != NULL
			         ? 1U
			         : 0U;
		}
		k = n == 0U ? 0U : (b >> 3) % n;
		for (unsigned i = 0; n != 0U && th == NULL && i < world.n_allocs; i++) {
			o = world.allocs[i].ptr;
			if (world.allocs[i].is_object && o->type == OBJ_THREAD &&
			    ((struct thread *)o)->cspace != NULL && k-- == 0U) {
				th = (struct thread *)o;
			}
		}
		if (th == NULL) {
			who->vcpu.cspace = world.root.cspace;
			break;
		}
		who->held[0] = &th->hdr;
		who->held[1] = &th->cspace->hdr;
		who->vcpu.cspace = th->cspace;
		break;
	}
	case 2:
		who->vcpu.cspace = NULL;
		break;
	case 3:
		o = seq_kth(OBJ_CSPACE, b >> 3, true);
		who->held[0] = o;
		who->vcpu.cspace = (struct cspace *)o;
		break;
	default:
		who->vcpu.cspace = world.root.cspace;
		break;
	}
	for (unsigned i = 0; i < 2; i++) {
		if (who->held[i] != NULL) {
			object_get(who->held[i]);
		}
	}
}

static void seq_caller_release(struct seq_caller *who)
{
	for (unsigned i = 2; i-- > 0;) {
		if (who->held[i] != NULL) {
			object_put(who->held[i]);
		}
	}
}

static void seq_pre_cap(struct seq_pre_cap *pre, const struct cspace *cs, cap_id_t id)
{
	seq_zero(pre);
	pre->cs = cs;
	if (cs == NULL || cs->hdr.state != OBJ_STATE_ACTIVE) {
		return;
	}
	pre->cs_serial = world_object_serial(&cs->hdr);
	pre->slot = cspace_slot_of(cs, id);
	if (pre->slot == NULL) {
		return;
	}
	pre->decoded = true;
	pre->cap = *pre->slot;
	if (pre->cap.state == CAP_STATE_VALID && world_is_live_object(pre->cap.obj)) {
		pre->obj_serial = world_object_serial(pre->cap.obj);
		pre->obj_state = pre->cap.obj->state;
	}
}

static bool seq_pre_valid(const struct seq_pre_cap *p)
{
	return p->decoded && p->cap.state == CAP_STATE_VALID && p->obj_serial != 0;
}

/* The cspace a VALID pre-call cap of type cspace names, if still live. */
static const struct cspace *seq_pre_cspace(const struct seq_pre_cap *p)
{
	if (!seq_pre_valid(p) || p->cap.type != OBJ_CSPACE) {
		return NULL;
	}
	return (const struct cspace *)world_object_by_serial(p->obj_serial);
}

/* The slot a pre-call cap occupied, if its cspace is still live. */
static const struct cap *seq_pre_slot_now(const struct seq_pre_cap *p)
{
	return p->decoded && world_object_by_serial(p->cs_serial) != NULL ? p->slot : NULL;
}

static void seq_check_post(unsigned row, const uint64_t *args, const struct seq_pre_cap *pre,
                           const struct hypercall_result *res)
{
	const struct spec_call *c = &spec_calls[row];
	const struct cap *slot;
	struct object *obj;

	switch (seq.post[row]) {
	case POST_CREATE: {
		const struct cspace *dest = seq_pre_cspace(&pre[1]);
		const struct cap *made = dest != NULL ? cspace_slot_of(dest, res->x[1]) : NULL;

		if (made == NULL || made->state != CAP_STATE_VALID || !made->is_master ||
		    made->type != seq.creates[row] || made->obj->state != OBJ_STATE_INIT ||
		    made->rights != object_ops(made->type)->all_rights ||
		    made->obj->refcount != 1U ||
		    world_object_serial(&made->obj->partition->hdr) != pre[0].obj_serial) {
			oracle_fail("post-create",
			            "%s returned cap 0x%llx that is not a new master cap", c->name,
			            (unsigned long long)res->x[1]);
		}
		seq_pool_add(res->x[1], seq.creates[row]);
		break;
	}
	case POST_ACTIVATE:
	case POST_ACTIVATE_FROM: {
		const struct seq_pre_cap *p = &pre[seq.post[row] == POST_ACTIVATE ? 0 : 1];

		obj = world_object_by_serial(p->obj_serial);
		if (!seq_pre_valid(p) || p->obj_state != OBJ_STATE_INIT || obj == NULL ||
		    obj->state != OBJ_STATE_ACTIVE) {
			oracle_fail("post-activate", "%s succeeded on an object in state %d",
			            c->name, (int)p->obj_state);
		}
		break;
	}
	case POST_DELETE:
		slot = seq_pre_slot_now(&pre[1]);
		if (!pre[1].decoded || pre[1].cap.state == CAP_STATE_NULL ||
		    (slot != NULL && slot->state != CAP_STATE_NULL)) {
			oracle_fail("post-delete",
			            "cspace_delete_cap_from succeeded; slot state %d -> %d",
			            (int)pre[1].cap.state, slot != NULL ? (int)slot->state : -1);
		}
		break;
	case POST_COPY: {
		const struct cspace *dest = seq_pre_cspace(&pre[2]);
		const struct cap *made = dest != NULL ? cspace_slot_of(dest, res->x[1]) : NULL;
		rights_t want = pre[1].cap.rights & (rights_t)args[3];

		if (!seq_pre_valid(&pre[1]) || made == NULL || made->state != CAP_STATE_VALID ||
		    made->is_master || world_object_serial(made->obj) != pre[1].obj_serial ||
		    made->rights != want || want == 0U) {
			oracle_fail(
			    "post-copy",
			    "copy of a cap with rights 0x%x under mask 0x%llx gave rights 0x%x",
			    pre[1].cap.rights, (unsigned long long)args[3],
			    made != NULL ? made->rights : 0U);
		}
		seq_pool_add(res->x[1], pre[1].cap.type);
		break;
	}
	case POST_REVOKE:
		slot = seq_pre_slot_now(&pre[1]);
		if (!seq_pre_valid(&pre[1]) || pre[1].cap.is_master ||
		    (slot != NULL && slot->state != CAP_STATE_REVOKED)) {
			oracle_fail("post-revoke",
			            "revoke of a %s cap succeeded; slot state now %d",
			            pre[1].cap.is_master ? "master" : "non-master",
			            slot != NULL ? (int)slot->state : -1);
		}
		break;
	case POST_REVOKE_CAPS:
		obj = world_object_by_serial(pre[1].obj_serial);
		if (!seq_pre_valid(&pre[1]) || !pre[1].cap.is_master ||
		    (obj != NULL && (obj->caps == NULL || obj->caps->obj_next != NULL))) {
			oracle_fail("post-revoke-caps", "revoke of every copy left other caps");
		}
		break;
	case POST_CSPACE_CONFIGURE:
		obj = world_object_by_serial(pre[0].obj_serial);
		if (obj == NULL || ((struct cspace *)obj)->max_caps != args[1] ||
		    pre[0].obj_state != OBJ_STATE_INIT) {
			oracle_fail("post-configure",
			            "cspace_configure(%llu) succeeded, max_caps now %u",
			            (unsigned long long)args[1],
			            obj != NULL ? ((struct cspace *)obj)->max_caps : 0U);
		}
		break;
	case POST_MSGQUEUE_CONFIGURE: {
		const struct msgqueue *mq =
		    (const struct msgqueue *)world_object_by_serial(pre[0].obj_serial);

		if (mq == NULL || (args[1] >> 32) != 0U || mq->depth != (args[1] & 0xffffU) ||
		    mq->max_msg_size != ((args[1] >> 16) & 0xffffU) ||
		    pre[0].obj_state != OBJ_STATE_INIT) {
			oracle_fail("post-configure", "msgqueue_configure(0x%llx) succeeded",
			            (unsigned long long)args[1]);
		}
		break;
	}
	case POST_ATTACH_THREAD: {
		const struct thread *th =
		    (const struct thread *)world_object_by_serial(pre[1].obj_serial);

		if (th == NULL || pre[1].obj_state != OBJ_STATE_INIT ||
		    world_object_serial(&th->cspace->hdr) != pre[0].obj_serial) {
			oracle_fail("post-attach",
			            "cspace_attach_thread succeeded but did not attach");
		}
		break;
	}
	case POST_DONATE: {
		/* Every page of the range now belongs to the receiver (and so to nobody else): the
		 * range counts from the child (to child) or from the giver (to parent, sibling). */
		struct object *from = world_object_by_serial(pre[1].obj_serial);
		struct object *to = world_object_by_serial(pre[2].obj_serial);
		const struct object *range_obj =
		    (args[0] & MEMEXTENT_DONATE_TYPE_MASK) == MEMEXTENT_DONATE_TO_CHILD ? to : from;
		const struct memextent *range = (const struct memextent *)range_obj;
		const struct memdb *db = world.root.partition->memdb;
		uint64_t first;

		if (from == NULL || to == NULL || range == NULL ||
		    range->hdr.type != OBJ_MEMEXTENT || db == NULL || args[4] == 0U ||
		    range->base.bits + args[3] < db->base.bits ||
		    !range_within(range->base.bits + args[3], args[4], db->base.bits,
		                  db->pages << MEM_PAGE_SHIFT)) {
			oracle_fail("post-donate",
			            "donate of 0x%llx+0x%llx succeeded outside memory",
			            (unsigned long long)args[3], (unsigned long long)args[4]);
			break; /* not reached (oracle_fail); for cppcheck */
		}
		first = (range->base.bits + args[3] - db->base.bits) >> MEM_PAGE_SHIFT;
		for (uint64_t i = first; i < first + (args[4] >> MEM_PAGE_SHIFT); i++) {
			if (db->owner[i] != to) {
				oracle_fail(
				    "post-donate", "donate to %p succeeded; page 0x%llx is %p's",
				    (void *)to,
				    (unsigned long long)(db->base.bits + (i << MEM_PAGE_SHIFT)),
				    (void *)db->owner[i]);
			}
		}
		break;
	}
	case POST_RESET:
		oracle_fail("post-reset", "%s succeeded; the spec says UNIMPLEMENTED", c->name);
	case POST_NONE:
		break;
	}
}

/* Spec rules for any call that succeeded: each cap input named a valid cap of the spec's type
 * holding every right the spec lists. */
static void seq_check_caps(unsigned row, const struct seq_pre_cap *pre)
{
	const struct spec_call *c = &spec_calls[row];

	for (unsigned i = 0; i < c->n_inputs; i++) {
		enum obj_type want = seq_spec_type[c->cap_type[i]];

		/* Deleting a revoked cap is how its slot is freed (post-delete checks that one). */
		if ((c->cap_mask & (1U << i)) == 0U || (seq.post[row] == POST_DELETE && i == 1)) {
			continue;
		}
		if (!seq_pre_valid(&pre[i])) {
			oracle_fail("cap-check", "%s succeeded with input %u not a valid cap",
			            c->name, i);
		}
		if (want != OBJ_ANY && pre[i].cap.type != want) {
			oracle_fail("type-check",
			            "%s succeeded with input %u of type %d, spec wants %d", c->name,
			            i, (int)pre[i].cap.type, (int)want);
		}
		if ((pre[i].cap.rights & c->cap_rights[i]) != c->cap_rights[i]) {
			oracle_fail(
			    "rights-check",
			    "%s succeeded with input %u holding rights 0x%x, spec needs 0x%x",
			    c->name, i, pre[i].cap.rights, c->cap_rights[i]);
		}
	}
}

/*
 * Queue accounting across one msgqueue_send / msgqueue_receive: the queue as it was (count, head,
 * the message a send copies in or a receive should copy out) and, after the call, exactly one
 * message more (send, its bytes in the slot after the last) or one less (receive, the head's bytes
 * in the caller's buffer) on success, nothing changed on an error.
 */
struct seq_msgq_snap {
	struct msgqueue *mq; /* NULL: not a send/receive on a live active queue */
	bool is_send;
	uint32_t count, head;
	uint64_t size;
	uint8_t bytes[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE];
};

static const uint8_t *seq_msgq_slot(const struct msgqueue *mq, uint32_t index, uint64_t *size)
{
	const uint8_t *slot = mq->buf + (size_t)(index % mq->depth) * (mq->buf_size / mq->depth);

	memcpy(size, slot, sizeof(*size));
	return slot + sizeof(uint64_t);
}

static void seq_msgq_before(struct seq_msgq_snap *snap, unsigned row, const uint64_t *args,
                            const struct seq_pre_cap *pre)
{
	struct object *obj;

	snap->mq = NULL;
	snap->is_send = seq.msgq[row] == MSGQ_SEND;
	if (seq.msgq[row] == MSGQ_OTHER || !seq_pre_valid(&pre[0]) ||
	    (obj = world_object_by_serial(pre[0].obj_serial)) == NULL ||
	    obj->type != OBJ_MSGQUEUE || obj->state != OBJ_STATE_ACTIVE) {
		return;
	}
	snap->mq = (struct msgqueue *)obj;
	snap->count = snap->mq->count;
	snap->head = snap->mq->head;
	snap->size = 0;
	if (snap->is_send) {
		snap->size = args[1];
		if (args[1] == 0U || args[1] > sizeof(snap->bytes) ||
		    arch_copy_from_guest(NULL, snap->bytes, args[2], (size_t)args[1]) != OK) {
			snap->size = UINT64_MAX; /* the send must fail */
		}
	} else if (snap->count != 0U) {
		const uint8_t *m = seq_msgq_slot(snap->mq, snap->head, &snap->size);

		memcpy(snap->bytes, m, (size_t)snap->size);
	}
}

static void seq_msgq_after(const struct seq_msgq_snap *snap, const uint64_t *args, int64_t err,
                           const struct hypercall_result *res)
{
	const struct msgqueue *mq = snap->mq;
	uint8_t got[GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE];
	const uint8_t *m;
	uint64_t size;

	if (mq == NULL || !world_is_live_object(&mq->hdr)) {
		return;
	}
	if (err != GH_ERROR_OK) {
		if (mq->count != snap->count || mq->head != snap->head) {
			oracle_fail("msgqueue-accounting",
			            "failed %s changed count %u->%u head %u->%u",
			            snap->is_send ? "send" : "receive", snap->count, mq->count,
			            snap->head, mq->head);
		}
		return;
	}
	if (snap->is_send) {
		m = seq_msgq_slot(mq, snap->head + snap->count, &size);
		if (snap->size == UINT64_MAX || mq->count != snap->count + 1U ||
		    mq->head != snap->head || size != snap->size ||
		    memcmp(m, snap->bytes, (size_t)size) != 0 ||
		    res->x[1] != (mq->count < mq->depth ? 1U : 0U)) {
			oracle_fail(
			    "msgqueue-accounting",
			    "send of %llu bytes: count %u->%u, stored %llu bytes, not_full %llu",
			    (unsigned long long)snap->size, snap->count, mq->count,
			    (unsigned long long)size, (unsigned long long)res->x[1]);
		}
		return;
	}
	if (snap->count == 0U || mq->count != snap->count - 1U ||
	    mq->head != (snap->head + 1U) % mq->depth || res->x[1] != snap->size ||
	    res->x[2] != (mq->count != 0U ? 1U : 0U) ||
	    arch_copy_from_guest(NULL, got, args[1], (size_t)snap->size) != OK ||
	    memcmp(got, snap->bytes, (size_t)snap->size) != 0) {
		oracle_fail("msgqueue-accounting",
		            "receive: count %u->%u head %u->%u size %llu of %llu, not_empty %llu",
		            snap->count, mq->count, snap->head, mq->head,
		            (unsigned long long)res->x[1], (unsigned long long)snap->size,
		            (unsigned long long)res->x[2]);
	}
}

/*
 * Level VIRQ sources across one call. Every VIRQ of the host stand-in is level-triggered (only a
 * guest's GICD_ICFGR write makes one edge; no hypercall does), and no guest takes or EOIs one, so
 * the lazy de-assertion (the line dropped on re-delivery once the condition is gone) never runs:
 * a line stays high after its condition went away, and a source bound while its condition held
 * is not pending until its next assertion point (reference sections 4 and 5 name no assertion at
 * bind). What must hold exactly, for a source bound to the same VIRQ before and after the call:
 *   not lost     condition false before, true after  => the line is high (it was asserted)
 *   kept         line high before, condition true after => the line is still high
 *   not invented line low before, high after          => the call succeeded
 */
#define SEQ_MAX_SOURCES 512U

struct seq_source_snap {
	const struct virq_source *src;
	uint64_t serial; /* of the object holding it */
	const struct vic *vic;
	uint32_t virq;
	bool cond, line;
};

static struct seq_source_snap seq_sources[SEQ_MAX_SOURCES];
static unsigned seq_n_sources;

static const struct vic_irq *seq_source_irq(const struct virq_source *src)
{
	return src->vic == NULL || src->condition == NULL ? NULL : vic_irq_of(src->vic, src->virq);
}

static void seq_source_add(uint64_t serial, const struct virq_source *src)
{
	const struct vic_irq *irq = seq_source_irq(src);

	if (irq == NULL || irq->is_edge || seq_n_sources == SEQ_MAX_SOURCES) {
		return;
	}
	seq_sources[seq_n_sources++] = (struct seq_source_snap){
	    .src = src,
	    .serial = serial,
	    .vic = src->vic,
	    .virq = src->virq,
	    .cond = src->condition(src),
	    .line = irq->is_line_high,
	};
}

static void seq_sources_before(void)
{
	seq_n_sources = 0;
	/* Only doorbells and queues are sources here, and the root world has none. */
	if (world.sources_made == 0U) {
		return;
	}
	for (unsigned i = 0; i < world.n_allocs; i++) {
		const struct world_alloc *a = &world.allocs[i];
		struct object *o = a->ptr;

		if (!a->is_object || o->state != OBJ_STATE_ACTIVE) {
			continue;
		}
		if (o->type == OBJ_DOORBELL) {
			seq_source_add(a->serial, &((struct doorbell *)o)->source);
		} else if (o->type == OBJ_MSGQUEUE) {
			seq_source_add(a->serial, &((struct msgqueue *)o)->send_source);
			seq_source_add(a->serial, &((struct msgqueue *)o)->receive_source);
		}
	}
}

static void seq_sources_after(const char *call, int64_t err)
{
	for (unsigned i = 0; i < seq_n_sources; i++) {
		const struct seq_source_snap *b = &seq_sources[i];
		const struct vic_irq *irq;
		bool cond;

		if (world_object_by_serial(b->serial) == NULL || b->src->vic != b->vic ||
		    b->src->virq != b->virq || (irq = seq_source_irq(b->src)) == NULL ||
		    irq->is_edge) {
			continue; /* gone, unbound or rebound */
		}
		cond = b->src->condition(b->src);
		if (!b->cond && cond && !irq->is_line_high) {
			oracle_fail("virq-lost",
			            "%s: VIRQ %u's condition now holds, line not raised", call,
			            b->virq);
		}
		if (b->line && cond && !irq->is_line_high) {
			oracle_fail("virq-dropped", "%s: VIRQ %u's line dropped, condition holds",
			            call, b->virq);
		}
		if (!b->line && irq->is_line_high && err != GH_ERROR_OK) {
			oracle_fail("virq-invented", "%s failed (%lld) yet raised VIRQ %u", call,
			            (long long)err, b->virq);
		}
	}
}

static void seq_one_call(struct fuzz_input *in)
{
	uint8_t sel = fuzz_u8(in);
	uint8_t b = fuzz_u8(in);
	bool smccc = (b & 4U) != 0;
	int row = -1;
	unsigned num, n_in;
	const struct spec_call *c = NULL;
	uint64_t args[8];
	struct seq_pre_cap pre[8];
	struct hypercall_regs regs;
	struct hypercall_result res;
	const struct hypercall_desc *d;
	struct seq_caller who;
	static struct seq_msgq_snap msgq_snap;
	uint64_t after;
	int64_t err;
	bool direct;

	seq_zero(&args);
	seq_zero(&regs);
	if (sel < 0xe0U) {
		row = (int)seq.impl[sel % seq.n_impl];
	} else if (sel < 0xf8U) {
		row = (int)(fuzz_u8(in) % SPEC_NUM_CALLS);
	}
	if (row >= 0) {
		c = &spec_calls[row];
		num = c->num;
		n_in = c->n_inputs;
	} else {
		num = fuzz_u8(in);
		n_in = 8;
		for (unsigned r = 0; r < SPEC_NUM_CALLS; r++) {
			if (spec_calls[r].num == num) {
				row = (int)r;
				c = &spec_calls[r];
			}
		}
	}
	if (smccc && n_in > 7) {
		n_in = 7;
	}
	for (unsigned i = 0; i < n_in; i++) {
		args[i] = seq_arg(in, c, i);
	}

	seq_caller_pick(&who, b);
	for (unsigned i = 0; i < 8; i++) {
		seq_zero(&pre[i]);
	}
	for (unsigned i = 0; c != NULL && i < c->n_inputs && i < n_in; i++) {
		const struct cspace *cs = who.vcpu.cspace;

		if ((c->cap_mask & (1U << i)) == 0U) {
			continue;
		}
		if (i == 1 && seq.is_from[c - spec_calls]) {
			cs = seq_pre_cspace(&pre[0]);
		}
		seq_pre_cap(&pre[i], cs, args[i]);
	}
	if (c != NULL) {
		seq_msgq_before(&msgq_snap, (unsigned)row, args, pre);
	} else {
		msgq_snap.mq = NULL;
	}
	seq_sources_before();
	d = hypercall_desc_of(num);
	direct = row >= 0 && (d == NULL || d->handler == NULL) &&
	         seq_core_direct((unsigned)row, &who.vcpu, args, &res);
	if (direct) {
		/* issued above */
	} else if (smccc) {
		regs.x[0] = SMCCC_HYPERCALL_BASE | num;
		for (unsigned i = 0; i < n_in; i++) {
			regs.x[i + 1] = args[i];
		}
		res = hypercall_trap(&who.vcpu, true, 0, &regs);
	} else {
		for (unsigned i = 0; i < n_in; i++) {
			regs.x[i] = args[i];
		}
		res = hypercall_trap(&who.vcpu, true, (uint16_t)(HYP_HVC_IMM_BASE + num), &regs);
	}
	err = (int64_t)res.x[0];
	/* The world as the last call left it (seq.fingerprint, taken with no caller holding
	 * anything) against the world once this caller let go: one fingerprint per call. */
	seq_caller_release(&who);
	after = oracle_fingerprint();
	if (err != GH_ERROR_OK && after != seq.fingerprint) {
		oracle_fail("error-without-effect",
		            "call 0x%x returned error %lld but changed state", num, (long long)err);
	}
	seq.fingerprint = after;
	if (seq.trace) {
		fprintf(stderr, "call 0x%02x %-28s %s caller %u:", num, c != NULL ? c->name : "?",
		        direct  ? "core"
		        : smccc ? "smccc"
		                : "hvc",
		        b & 3U);
		for (unsigned i = 0; i < n_in; i++) {
			fprintf(stderr, " %llx", (unsigned long long)args[i]);
		}
		fprintf(stderr, " -> %lld %llx\n", (long long)err, (unsigned long long)res.x[1]);
	}
	seq.last_x1 = res.x[1];
	/* The whole world after a call that changed the fingerprint since the last world check,
	 * whatever it answered, and after one that answered OK once the input has made an address
	 * space. The fingerprint covers every field the world check reads except the empty slots
	 * past a cspace's count-th cap and the VMID bitmap, which only address-space calls write
	 * and the world check reads only once an address space was made (oracle.h): after any other
	 * call the check would see the world it passed last time, but for such a slot, so it waits
	 * for the next call that changes the fingerprint or for the end of the input
	 * (LLVMFuzzerTestOneInput), whichever comes first. */
	if (after != seq.checked_fingerprint ||
	    (err == GH_ERROR_OK && world.addrspaces_made != 0U)) {
		oracle_check_world();
		seq.checked_fingerprint = after;
		seq.unchecked_calls = 0;
	} else {
		seq.unchecked_calls++;
	}

	if (!direct && (d == NULL || d->handler == NULL)) {
		bool bad = err != GH_ERROR_UNIMPLEMENTED;
		/* A hole answers through the table (x1..x7 zero); a native number past the table
		 * takes the ordinary trap path, which leaves every register but x0 as it was
		 * (hyp/README). */
		bool past = num >= hypercall_table_size();

		for (unsigned i = 1; !smccc && i < 8; i++) {
			bad = bad || res.x[i] != (past ? regs.x[i] : 0U);
		}
		if (bad) {
			oracle_fail("unimplemented",
			            "call 0x%x (%s path) is no call but returned 0x%llx", num,
			            smccc ? "SMCCC" : "native", (unsigned long long)res.x[0]);
		}
		return;
	}
	if (c == NULL) {
		oracle_fail("spec-table", "hyp implements call 0x%x, which the spec does not list",
		            num);
	}
	if (!smccc && !direct) {
		for (unsigned i = 0; i < c->n_inputs; i++) {
			bool bad0 = (c->res0_mask & (1U << i)) != 0U && args[i] != 0U;
			bool bad1 = (c->res1_mask & (1U << i)) != 0U && args[i] != UINT64_MAX;

			if ((bad0 || bad1) && err != GH_ERROR_ARGUMENT_INVALID) {
				oracle_fail("reserved-input",
				            "%s: input %u = 0x%llx is reserved, result %lld",
				            c->name, i, (unsigned long long)args[i],
				            (long long)err);
			}
		}
		for (unsigned i = c->n_outputs; i < 8; i++) {
			if (res.x[i] != 0U) {
				oracle_fail("unused-output",
				            "%s: x%u = 0x%llx, spec has %u outputs", c->name, i,
				            (unsigned long long)res.x[i], c->n_outputs);
			}
		}
	}
	seq_msgq_after(&msgq_snap, args, err, &res);
	seq_sources_after(c != NULL ? c->name : "raw call", err);
	if (err == GH_ERROR_OK) {
		seq_check_caps((unsigned)row, pre);
		seq_check_post((unsigned)row, args, pre, &res);
	}
}

/*
 * The caller's memory for message queue copies (host stand-in windows): a writable buffer at
 * SEQ_VA_RW (where the conformance guest's data lies, so traced buffers are mapped) and a
 * read-only one at SEQ_VA_RO; everything else is unmapped. seq_limits names
 * addresses in, at the edges of and past both.
 */
static void seq_guest_map(void)
{
	static uint8_t rw[SEQ_RW_SIZE], ro[SEQ_GUEST_SIZE];

	host_guest_unmap_all();
	host_guest_map(SEQ_VA_RW, rw, sizeof(rw), true);
	host_guest_map(SEQ_VA_RO, ro, sizeof(ro), false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {.data = data, .size = size};

	if (!seq.ready) {
		seq_init();
	}
	world_reset();
	seq.n_pool = 0;
	seq.last_x1 = 0;
	seq_pool_add(world.root.partition_cap, OBJ_PARTITION);
	seq_pool_add(world.root.cspace_cap, OBJ_CSPACE);
	seq_guest_map();
	seq.fingerprint = oracle_fingerprint();
	/* The world check of the fresh world, once: a restore gives every input the same bytes,
	 * shadow and root objects (world.h), the world check reads nothing else (Stage-2 and the
	 * memdb/VMID walks wait for an extent or address space), so it would repeat the first
	 * input's verdict on a built world. Checked again whenever the fingerprint differs from
	 * that world's, and on every input under HUMPY_FUZZ_SNAPSHOT_CHECK (a build each time). */
	if (!world.restored || !seq.fresh_checked || seq.fingerprint != seq.fresh_fingerprint) {
		oracle_check_world();
		seq.fresh_checked = !world.restored;
		seq.fresh_fingerprint = seq.fingerprint;
	}
	seq.checked_fingerprint = seq.fingerprint;
	seq.unchecked_calls = 0;
	for (unsigned n = 0; n < SEQ_MAX_CALLS && fuzz_input_left(&in); n++) {
		seq_one_call(&in);
	}
	/* The checks left for later, before the teardown changes the world. */
	if (seq.unchecked_calls != 0U) {
		oracle_check_world();
	}
	world_delete_everything();
	oracle_check_empty();
	return 0;
}
