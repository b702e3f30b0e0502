/* oracle: invariants of the object/cap core, checked against the shadow of every allocation. */
#include "oracle.h"

#include <string.h>

#include "addrspace.h"
#include "doorbell.h"
#include "gunyah_spec.h"
#include "host_stage2.h"
#include "memdb.h"
#include "memextent.h"
#include "msgqueue.h"
#include "thread.h"
#include "vic.h"
#include "world.h"

static size_t oracle_round(size_t size)
{
	return (size + HEAP_ALIGN - 1U) & ~(size_t)(HEAP_ALIGN - 1U);
}

/* Index of @obj in the shadow, or -1 when it is not a live object. */
static int oracle_index(const void *obj)
{
	for (unsigned k = 0; k < world.n_allocs; k++) {
		if (world.allocs[k].ptr == obj && world.allocs[k].is_object) {
			return (int)k;
		}
	}
	return -1;
}

/* Marks the shadow allocation that holds @ptr as owned by an object; it must have @size bytes. */
static void oracle_own(bool *owned, const void *ptr, size_t size, const struct partition *p,
                       const char *what)
{
	for (unsigned k = 0; k < world.n_allocs; k++) {
		const struct world_alloc *a = &world.allocs[k];

		if (a->ptr != ptr || a->is_object) {
			continue;
		}
		if (a->size != size || a->partition != p || owned[k]) {
			oracle_fail("memory-accounting",
			            "%s %p: %zu bytes from %p expected, shadow has %zu from %p%s",
			            what, ptr, size, (const void *)p, a->size,
			            (const void *)a->partition, owned[k] ? " (owned twice)" : "");
		}
		owned[k] = true;
		return;
	}
	oracle_fail("memory-accounting", "%s %p is not an allocation", what, ptr);
}

struct oracle_counts {
	uint32_t refs[WORLD_MAX_ALLOCS];    /* references found, per object */
	uint32_t caps[WORLD_MAX_ALLOCS];    /* VALID caps naming it */
	uint32_t masters[WORLD_MAX_ALLOCS]; /* VALID master caps naming it */
	size_t used[WORLD_MAX_ALLOCS];      /* bytes allocated from it (partitions) */
	uint32_t covered[WORLD_MAX_ALLOCS]; /* extents: pages of its range its subtree owns */
	bool owned[WORLD_MAX_ALLOCS];       /* buffers: some object holds it */
};

/* The mappings and address spaces one world check saw (oracle_check_memory uses them). */
#define ORACLE_MAX_MAPS (4U * WORLD_MAX_ALLOCS)
static struct oracle_map {
	const struct memextent *me;
	int k; /* the extent's index in the shadow */
	const struct memextent_mapping *m;
	uint32_t stage2_pages; /* Stage-2 stand-in pages found for it */
} oracle_maps[ORACLE_MAX_MAPS];
static unsigned oracle_n_maps;
static const struct addrspace *oracle_spaces[WORLD_MAX_ALLOCS]; /* the active ones */
static unsigned oracle_n_spaces;

static struct oracle_counts oc;

/* Slots in a run of 64 that are all zero bytes are empty and cleared (CAP_STATE_NULL is 0): the
 * walks below skip them with one pass over the run instead of looking at each slot (a root cspace
 * has 1024, nearly all empty). Read without AddressSanitizer's per-load checks, which cost more
 * than the reads: the run lies inside a slot array the shadow of allocations knows (a freed array
 * fails oracle_own's memory-accounting check), and any slot that is not zero is then checked field
 * by field with the sanitizers on. */

/* Two 64-bit lanes, eight bytes aligned like the slots; four accumulators keep loads in flight. */
typedef uint64_t oracle_lanes __attribute__((vector_size(16), aligned(8)));

__attribute__((no_sanitize("address", "undefined"))) bool
oracle_zero_run(const struct cap *slots, uint32_t s, uint32_t max_caps)
{
	const oracle_lanes *v = (const oracle_lanes *)(const void *)&slots[s];
	oracle_lanes a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};

	if (s % ORACLE_ZERO_RUN != 0U || max_caps - s < ORACLE_ZERO_RUN) {
		return false;
	}
	_Static_assert(ORACLE_ZERO_RUN * sizeof(struct cap) % (4 * sizeof(oracle_lanes)) == 0,
	               "a run is a whole number of four-lane steps");
	for (size_t i = 0; i < ORACLE_ZERO_RUN * sizeof(struct cap) / sizeof(*v); i += 4) {
		a0 |= v[i];
		a1 |= v[i + 1];
		a2 |= v[i + 2];
		a3 |= v[i + 3];
	}
	a0 |= a1 | a2 | a3;
	return (a0[0] | a0[1]) == 0U;
}

/* object_ops of every type, asked once (oracle_check_world): object_ops is hyp code, traced, and
 * the slot walk needs a type's rights for every valid cap. */
static const struct obj_ops *oracle_ops_table[OBJ_TYPE_COUNT];
static bool oracle_ops_ready;

static const struct obj_ops *oracle_ops(enum obj_type type)
{
	return (unsigned)type < OBJ_TYPE_COUNT ? oracle_ops_table[type] : NULL;
}

static void oracle_check_slots(const struct cspace *cs)
{
	uint32_t occupied = 0;

	for (uint32_t s = 0; s < cs->max_caps; s++) {
		const struct cap *c = &cs->slots[s];
		int t;

		if (oracle_zero_run(cs->slots, s, cs->max_caps)) {
			s += ORACLE_ZERO_RUN - 1U;
			continue;
		}
		switch (c->state) {
		case CAP_STATE_NULL:
			if (c->obj != NULL || c->rights != 0U || c->obj_next != NULL ||
			    c->obj_prev != NULL || c->is_master) {
				oracle_fail("cap-slot", "cspace %p slot %u: empty but not cleared",
				            (const void *)cs, s);
			}
			continue;
		case CAP_STATE_REVOKED:
			if (c->obj != NULL || c->obj_next != NULL || c->obj_prev != NULL) {
				oracle_fail("cap-slot",
				            "cspace %p slot %u: revoked but still names an object",
				            (const void *)cs, s);
			}
			occupied++;
			continue;
		case CAP_STATE_VALID:
			break;
		default:
			oracle_fail("cap-slot", "cspace %p slot %u: state %d", (const void *)cs, s,
			            (int)c->state);
		}
		occupied++;
		t = oracle_index(c->obj);
		if (t < 0) {
			oracle_fail("dangling-cap", "cspace %p slot %u names %p, which is not live",
			            (const void *)cs, s, (const void *)c->obj);
		}
		if (c->type != c->obj->type) {
			oracle_fail("cap-type", "cspace %p slot %u: cap type %d, object type %d",
			            (const void *)cs, s, (int)c->type, (int)c->obj->type);
		}
		if ((c->rights & ~oracle_ops(c->obj->type)->all_rights) != 0U) {
			oracle_fail(
			    "cap-rights", "cspace %p slot %u: rights 0x%x beyond the type's 0x%x",
			    (const void *)cs, s, c->rights, oracle_ops(c->obj->type)->all_rights);
		}
		oc.refs[t]++;
		oc.caps[t]++;
		oc.masters[t] += c->is_master ? 1U : 0U;
	}
	if (occupied != cs->count) {
		oracle_fail("cspace-count", "cspace %p: count %u, %u slots occupied",
		            (const void *)cs, cs->count, occupied);
	}
}

/* A bound source: its VIC is live and names it back at its VIRQ; the binding holds a reference. */
static void oracle_check_source(const struct virq_source *src)
{
	int v;
	const struct vic_irq *irq;

	if (src->vic == NULL) {
		return;
	}
	v = oracle_index(src->vic);
	irq = v < 0 ? NULL : vic_irq_of(src->vic, src->virq);
	if (irq == NULL || irq->source != src) {
		oracle_fail("virq-binding", "source %p bound to %p/%u, which does not name it",
		            (const void *)src, (void *)src->vic, src->virq);
	}
	oc.refs[v < 0 ? 0 : v]++;
}

static void oracle_check_object(unsigned k)
{
	struct object *obj = world.allocs[k].ptr;
	const struct obj_ops *ops;

	if ((unsigned)obj->type >= OBJ_TYPE_COUNT || (ops = oracle_ops(obj->type)) == NULL) {
		oracle_fail("object-type", "object %p has type %d", (void *)obj, (int)obj->type);
	}
	if (obj->state != OBJ_STATE_INIT && obj->state != OBJ_STATE_ACTIVE) {
		oracle_fail("object-state", "live object %p (type %d) in state %d", (void *)obj,
		            (int)obj->type, (int)obj->state);
	}
	if (obj == &world.root.cspace->hdr) {
		oc.refs[k]++; /* the boot vCPU's */
	}
	if (obj == &world.root.vic->hdr || obj == &world.root.vcpu->hdr ||
	    obj == &world.root.addrspace->hdr) {
		/* the running VM's interrupt controller, boot vCPU and address space */
		oc.refs[k]++;
	}
	if (obj == &world.root.partition->hdr) {
		oc.refs[k]++; /* the boot reference, kept by whoever made the root */
	} else {
		int p = oracle_index(obj->partition);

		if (p < 0 || obj->partition->hdr.type != OBJ_PARTITION ||
		    obj->partition != world.allocs[k].partition ||
		    world.allocs[k].size != ops->size) {
			oracle_fail("object-owner",
			            "object %p (type %d): owner %p, allocated %zu from %p",
			            (void *)obj, (int)obj->type, (void *)obj->partition,
			            world.allocs[k].size, (void *)world.allocs[k].partition);
		}
		oc.refs[p < 0 ? 0 : p]++;
	}
	switch (obj->type) {
	case OBJ_CSPACE: {
		struct cspace *cs = (struct cspace *)obj;

		if (cs->max_caps > GH_LIMIT_CSPACE_MAX_CAPS) {
			oracle_fail("cspace-limits", "cspace %p: max_caps %u over the spec's %u",
			            (void *)cs, cs->max_caps, GH_LIMIT_CSPACE_MAX_CAPS);
		}
		if ((obj->state == OBJ_STATE_ACTIVE) != (cs->slots != NULL) ||
		    (cs->slots != NULL && cs->max_caps == 0U)) {
			oracle_fail("cspace-config", "cspace %p: state %d, slots %p, max_caps %u",
			            (void *)cs, (int)obj->state, (void *)cs->slots, cs->max_caps);
		}
		if (cs->slots != NULL) {
			oracle_own(oc.owned, cs->slots, (size_t)cs->max_caps * sizeof(struct cap),
			           obj->partition, "cspace slots");
			oracle_check_slots(cs);
		}
		break;
	}
	case OBJ_THREAD: {
		struct thread *th = (struct thread *)obj;

		if (th->cspace != NULL) {
			int c = oracle_index(th->cspace);

			if (c < 0 || th->cspace->hdr.type != OBJ_CSPACE ||
			    th->cspace->hdr.state != OBJ_STATE_ACTIVE) {
				oracle_fail("thread-cspace",
				            "thread %p: cspace %p is not a live cspace", (void *)th,
				            (void *)th->cspace);
			}
			oc.refs[c < 0 ? 0 : c]++;
		}
		/* vcpu_bind_virq VCPU_RUN_WAKEUP: a bound source holding its VIC, as a queue's. */
		oracle_check_source(&th->vcpu.run_wakeup);
		if (th->vic != NULL) {
			int v = oracle_index(th->vic);

			if (v < 0 || th->vic->hdr.type != OBJ_VIC) {
				oracle_fail("thread-vic", "thread %p: vic %p is not a live vic",
				            (void *)th, (void *)th->vic);
			}
			oc.refs[v < 0 ? 0 : v]++;
		}
		if (th->addrspace != NULL) {
			int a = oracle_index(th->addrspace);

			if (a < 0 || th->addrspace->hdr.type != OBJ_ADDRSPACE) {
				oracle_fail("thread-addrspace",
				            "thread %p: address space %p is not a live one",
				            (void *)th, (void *)th->addrspace);
			}
			oc.refs[a < 0 ? 0 : a]++;
		}
		break;
	}
	case OBJ_VIC: {
		struct vic *vic = (struct vic *)obj;

		if ((obj->state == OBJ_STATE_ACTIVE) != vic->is_configured &&
		    obj->state == OBJ_STATE_ACTIVE) {
			oracle_fail("vic-config", "vic %p active but not configured", (void *)vic);
		}
		if (vic->irqs != NULL) {
			oracle_own(oc.owned, vic->irqs, vic->max_virqs * sizeof(struct vic_irq),
			           obj->partition, "vic irqs");
			for (uint32_t n = 0; n < vic->max_virqs; n++) {
				const struct virq_source *src = vic->irqs[n].source;

				if (src != NULL &&
				    (src->vic != vic || src->virq != VIC_SPI_BASE + n)) {
					oracle_fail("virq-binding",
					            "vic %p VIRQ %u names a source bound to %p/%u",
					            (void *)vic, VIC_SPI_BASE + n, (void *)src->vic,
					            src->virq);
				}
			}
		}
		break;
	}
	case OBJ_DOORBELL:
		oracle_check_source(&((struct doorbell *)obj)->source);
		break;
	case OBJ_MEMEXTENT: {
		/* References it holds: its parent (the partition or extent it was made from) and
		 * the address space of each mapping. */
		const struct memextent *me = (const struct memextent *)obj;

		if (me->is_configured != (me->size != 0U) ||
		    (obj->state == OBJ_STATE_ACTIVE && !me->is_configured) ||
		    (me->memdb != NULL && me->memdb != world.root.partition->memdb) ||
		    !mem_is_page_aligned(me->base.bits) || !mem_is_page_aligned(me->size) ||
		    me->base.bits + me->size < me->base.bits) {
			oracle_fail("memextent-config",
			            "extent %p: state %d, configured %d, 0x%llx+0x%llx, memdb %p",
			            (const void *)me, (int)obj->state, (int)me->is_configured,
			            (unsigned long long)me->base.bits, (unsigned long long)me->size,
			            (const void *)me->memdb);
		}
		if (me->parent != NULL && me->parent->type == OBJ_MEMEXTENT &&
		    !range_within(me->base.bits, me->size,
		                  ((const struct memextent *)me->parent)->base.bits,
		                  ((const struct memextent *)me->parent)->size)) {
			oracle_fail("memextent-range", "extent %p: range outside its parent %p",
			            (const void *)me, (const void *)me->parent);
		}
		if (me->parent != NULL) {
			int q = oracle_index(me->parent);

			if (q < 0 || (me->parent->type != OBJ_PARTITION &&
			              me->parent->type != OBJ_MEMEXTENT)) {
				oracle_fail("memextent-parent", "extent %p: parent %p is not live",
				            (const void *)me, (const void *)me->parent);
			}
			oc.refs[q < 0 ? 0 : q]++;
		}
		for (unsigned m = 0; m < MEMEXTENT_MAX_MAPS; m++) {
			int q;

			if (me->maps[m].addrspace == NULL) {
				continue;
			}
			q = oracle_index(me->maps[m].addrspace);
			if (q < 0 || me->maps[m].addrspace->hdr.type != OBJ_ADDRSPACE) {
				oracle_fail("memextent-mapping", "extent %p: mapping %u in dead %p",
				            (const void *)me, m,
				            (const void *)me->maps[m].addrspace);
			}
			oc.refs[q < 0 ? 0 : q]++;
			if (me->maps[m].addrspace->hdr.state != OBJ_STATE_ACTIVE ||
			    obj->state != OBJ_STATE_ACTIVE || me->maps[m].size == 0U ||
			    !mem_is_page_aligned(me->maps[m].offset | me->maps[m].size |
			                         me->maps[m].vbase.bits) ||
			    !range_within(me->maps[m].offset, me->maps[m].size, 0U, me->size)) {
				oracle_fail("memextent-mapping",
				            "extent %p (0x%llx bytes): mapping %u of 0x%llx+0x%llx",
				            (const void *)me, (unsigned long long)me->size, m,
				            (unsigned long long)me->maps[m].offset,
				            (unsigned long long)me->maps[m].size);
			}
			if (oracle_n_maps == ORACLE_MAX_MAPS) {
				oracle_fail("harness", "more than %u mappings", ORACLE_MAX_MAPS);
			}
			oracle_maps[oracle_n_maps++] =
			    (struct oracle_map){.me = me, .k = (int)k, .m = &me->maps[m]};
		}
		break;
	}
	case OBJ_ADDRSPACE: {
		const struct addrspace *as = (const struct addrspace *)obj;

		if (as->table_count > ADDRSPACE_MAX_TABLES ||
		    (obj->state == OBJ_STATE_ACTIVE) != (as->table_count != 0U) ||
		    (obj->state == OBJ_STATE_ACTIVE &&
		     (!as->is_configured || as->vmid == 0U ||
		      as->vmid_used != world.root.partition->vmid_used ||
		      as->ipa_bits != arch_stage2_ipa_bits()))) {
			oracle_fail("addrspace-config",
			            "address space %p: state %d, %u tables, VMID %u, bitmap %p",
			            (const void *)as, (int)obj->state, as->table_count, as->vmid,
			            (const void *)as->vmid_used);
		}
		/* The root VM's boot table is not the partition's (root_adopt_stage2). */
		for (unsigned i = as == world.root.addrspace ? 1U : 0U; i < as->table_count; i++) {
			oracle_own(oc.owned, as->tables[i], MEM_PAGE_SIZE, obj->partition,
			           "Stage-2 table");
		}
		if (obj->state == OBJ_STATE_ACTIVE) {
			oracle_spaces[oracle_n_spaces++] = as;
		}
		break;
	}
	case OBJ_MSGQUEUE: {
		struct msgqueue *mq = (struct msgqueue *)obj;

		if (mq->depth > GH_LIMIT_MSGQUEUE_MAX_DEPTH ||
		    mq->max_msg_size > GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE ||
		    (mq->depth == 0U) != (mq->max_msg_size == 0U)) {
			oracle_fail("msgqueue-limits", "msgqueue %p: depth %u, max_msg_size %u",
			            (void *)mq, mq->depth, mq->max_msg_size);
		}
		if ((obj->state == OBJ_STATE_ACTIVE) != (mq->buf != NULL)) {
			oracle_fail("msgqueue-config", "msgqueue %p: state %d, buffer %p",
			            (void *)mq, (int)obj->state, (void *)mq->buf);
		}
		if (mq->buf != NULL) {
			if (mq->count > mq->depth || mq->head >= mq->depth) {
				oracle_fail("msgqueue-accounting",
				            "msgqueue %p: count %u head %u depth %u", (void *)mq,
				            mq->count, mq->head, mq->depth);
			}
			oracle_own(oc.owned, mq->buf, mq->buf_size, obj->partition,
			           "msgqueue buffer");
			if (mq->notfull_threshold >= mq->depth || mq->notempty_threshold == 0U ||
			    mq->notempty_threshold > mq->depth) {
				oracle_fail("msgqueue-thresholds",
				            "msgqueue %p: not-full %u not-empty %u depth %u",
				            (void *)mq, mq->notfull_threshold,
				            mq->notempty_threshold, mq->depth);
			}
		}
		oracle_check_source(&mq->send_source);
		oracle_check_source(&mq->receive_source);
		break;
	}
	case OBJ_PARTITION: {
		struct partition *p = (struct partition *)obj;

		oracle_check_heap(p);
		if (obj == &world.root.partition->hdr && p->memdb != NULL) {
			/* root_memory_init's tables, from the root's own heap */
			oracle_own(oc.owned, p->memdb, sizeof(struct memdb), p, "memdb");
			if (p->memdb->pages != 0U) {
				oracle_own(oc.owned, p->memdb->owner,
				           p->memdb->pages * sizeof(struct object *), p,
				           "memdb owners");
			}
			oracle_own(oc.owned, p->vmid_used, ADDRSPACE_VMID_WORDS * sizeof(uint64_t),
			           p, "VMID bitmap");
		} else if (p->memdb != NULL && p->memdb != world.root.partition->memdb) {
			oracle_fail("partition-memdb", "partition %p: memdb %p is not the root's",
			            (void *)p, (void *)p->memdb);
		}
		if (obj != &world.root.partition->hdr) {
			if ((obj->state == OBJ_STATE_ACTIVE) != (p->heap_mem != NULL)) {
				oracle_fail("partition-config", "partition %p: state %d, heap %p",
				            (void *)p, (int)obj->state, p->heap_mem);
			}
			/* The child's heap is taken inside partition.c, past the wrappers. */
			if (p->heap_mem != NULL) {
				oc.used[oracle_index(obj->partition)] += oracle_round(p->heap_size);
			}
		}
		break;
	}
	default:
		break;
	}
}

/* True when the words are all zero; read like oracle_zero_run (the bitmap is a live allocation). */
__attribute__((no_sanitize("address", "undefined"))) static bool
oracle_words_zero(const uint64_t *w, size_t n)
{
	uint64_t acc = 0;

	for (size_t i = 0; i < n; i++) {
		acc |= w[i];
	}
	return acc == 0U;
}

/* The VMID bitmap holds exactly the reserved VMIDs and one per active address space: their bits
 * are flipped, the whole bitmap must then be zero, and they are flipped back. */
static void oracle_check_vmids(void)
{
	uint64_t *used = world.root.partition->vmid_used;
	uint16_t vmids[WORLD_MAX_ALLOCS + 3];
	unsigned n = 0;
	bool zero;

	vmids[n++] = 0;
	vmids[n++] = WORLD_VMID;
	vmids[n++] = ADDRSPACE_ROOT_VM_VMID;
	for (unsigned a = 0; a < oracle_n_spaces; a++) {
		/* The root VM's own runs on the boot VM's VMID, reserved with the root memory. */
		if (oracle_spaces[a] == world.root.addrspace) {
			if (oracle_spaces[a]->vmid != WORLD_VMID) {
				oracle_fail("addrspace-vmid", "the root address space has VMID %u",
				            oracle_spaces[a]->vmid);
			}
			continue;
		}
		for (unsigned b = 0; b < n; b++) {
			if (vmids[b] == oracle_spaces[a]->vmid) {
				oracle_fail("addrspace-vmid", "address space %p: VMID %u is taken",
				            (const void *)oracle_spaces[a], oracle_spaces[a]->vmid);
			}
		}
		vmids[n++] = oracle_spaces[a]->vmid;
	}
	for (unsigned b = 0; b < n; b++) {
		used[vmids[b] / 64U] ^= BIT(vmids[b] % 64U);
	}
	zero = oracle_words_zero(used, ADDRSPACE_VMID_WORDS);
	for (unsigned b = 0; b < n; b++) {
		used[vmids[b] / 64U] ^= BIT(vmids[b] % 64U);
	}
	if (!zero) {
		oracle_fail("addrspace-vmid", "the VMID bitmap is not 0, %u, %u and the %u in use",
		            WORLD_VMID, ADDRSPACE_ROOT_VM_VMID, oracle_n_spaces);
	}
}
/*
 * The owner of a memdb page and the extents it was derived from: their shadow indices, owner first
 * (a partition owner has only itself). Checks the owner is one that may hold pages: a live
 * partition using this memdb, or a live ACTIVE extent using it.
 */
static unsigned oracle_owner_chain(const struct object *owner, int *chain)
{
	const struct memdb *db = world.root.partition->memdb;
	unsigned depth = 0;

	for (const struct object *o = owner; o != NULL;) {
		int k = oracle_index(o);

		if (k < 0 || depth == WORLD_MAX_ALLOCS) {
			oracle_fail("memdb-owner",
			            "a page's owner %p (via %p) is not a live object",
			            (const void *)o, (const void *)owner);
		}
		if (o->type == OBJ_PARTITION) {
			if (depth == 0U && ((const struct partition *)o)->memdb != db) {
				oracle_fail("memdb-owner",
				            "partition %p owns pages of a memdb it lacks",
				            (const void *)o);
			}
			break;
		}
		if (o->type != OBJ_MEMEXTENT ||
		    (depth == 0U && (o->state != OBJ_STATE_ACTIVE ||
		                     ((const struct memextent *)o)->memdb != db))) {
			oracle_fail("memdb-owner", "a page is owned by %p (type %d, state %d)",
			            (const void *)o, (int)o->type, (int)o->state);
		}
		chain[depth++] = k;
		o = ((const struct memextent *)o)->parent;
	}
	return depth;
}

static bool oracle_chain_has(const int *chain, unsigned depth, int k)
{
	for (unsigned i = 0; i < depth; i++) {
		if (chain[i] == k) {
			return true;
		}
	}
	return false;
}

/* Stage-2 permissions never beyond the extent's access (bit 2 R, bit 1 W, bit 0 X). */
static bool oracle_perm_fits(struct arch_s2_perm perm, uint32_t access)
{
	uint32_t want = (perm.read ? 4U : 0U) | (perm.write ? 2U : 0U) | (perm.exec ? 1U : 0U);

	return (want & ~access) == 0U;
}

/*
 * Physical memory (issue 10 point 9), after the object walk filled oracle_maps/oracle_spaces:
 * - every page of the memdb has one owner that may own pages (oracle_owner_chain), inside that
 *   owner's range when it is an extent;
 * - no page owned twice: an active basic extent claims its whole range, so every page of it must
 *   be owned by it or by an extent derived from it, never by the root or an unrelated extent;
 * - no mapping outside its extent's pages: every page an extent's mapping covers is owned by the
 *   extent or one derived from it;
 * - Stage-2 as built (the host stand-in's pages): every page belongs to an active address space,
 *   lies in a mapping recorded for it and points at exactly the extent's page for that IPA, with
 *   no right the extent lacks; every recorded mapping has all its pages there;
 * - VMIDs: the bitmap holds exactly 0, the boot VM's, 255 and one per active address space, none
 *   twice.
 */
static void oracle_check_memory(void)
{
	const struct partition *root = world.root.partition;
	const struct memdb *db = root->memdb;
	static int chain[WORLD_MAX_ALLOCS];
	const struct object *last = NULL;
	unsigned depth = 0;

	if (db == NULL) {
		return;
	}
	if (world.addrspaces_made != 0U) {
		oracle_check_vmids();
	}
	/* Before the input made an extent every page is the root's (world_reset) and no code but
	 * an extent's changes that; the walks below cost more than the rest of a world check. */
	if (world.memextents_made == 0U) {
		return;
	}
	for (uint64_t i = 0; i < db->pages; i++) {
		const struct object *o = db->owner[i];
		uint64_t pa = db->base.bits + (i << MEM_PAGE_SHIFT);
		const struct memextent *me;

		if (o == &root->hdr) {
			continue;
		}
		if (o != last) {
			depth = oracle_owner_chain(o, chain);
			last = o;
		}
		if (depth == 0U) {
			continue; /* a partition using this memdb */
		}
		me = (const struct memextent *)o;
		if (!range_within(pa, MEM_PAGE_SIZE, me->base.bits, me->size)) {
			oracle_fail(
			    "memdb-owner", "page 0x%llx owned by extent %p of 0x%llx+0x%llx",
			    (unsigned long long)pa, (const void *)me,
			    (unsigned long long)me->base.bits, (unsigned long long)me->size);
		}
		for (unsigned d = 0; d < depth; d++) {
			oc.covered[chain[d]]++;
		}
	}
	for (unsigned k = 0; k < world.n_allocs; k++) {
		const struct memextent *me = world.allocs[k].ptr;

		if (!world.allocs[k].is_object || me->hdr.type != OBJ_MEMEXTENT ||
		    me->hdr.state != OBJ_STATE_ACTIVE || me->type != MEMEXTENT_TYPE_BASIC ||
		    me->memdb == NULL) {
			continue;
		}
		if (oc.covered[k] != me->size >> MEM_PAGE_SHIFT) {
			oracle_fail(
			    "memdb-owned-twice",
			    "basic extent %p claims 0x%llx+0x%llx, it and its derived extents "
			    "own %u of its %llu pages",
			    (const void *)me, (unsigned long long)me->base.bits,
			    (unsigned long long)me->size, oc.covered[k],
			    (unsigned long long)(me->size >> MEM_PAGE_SHIFT));
		}
	}
	for (unsigned n = 0; n < oracle_n_maps; n++) {
		const struct oracle_map *om = &oracle_maps[n];

		for (uint64_t off = 0; off < om->m->size; off += MEM_PAGE_SIZE) {
			mem_pa_t pa = mem_pa(om->me->base.bits + om->m->offset + off);
			const struct object *o = memdb_owner(db, pa);

			if (o != last) {
				depth = o == NULL || o == &root->hdr ? 0U
				                                     : oracle_owner_chain(o, chain);
				last = o;
			}
			if (o == NULL || o == &root->hdr ||
			    !oracle_chain_has(chain, depth, om->k)) {
				oracle_fail(
				    "mapping-outside-owner",
				    "extent %p maps 0x%llx at IPA 0x%llx; the page's owner is %p",
				    (const void *)om->me, (unsigned long long)pa.bits,
				    (unsigned long long)(om->m->vbase.bits + off), (const void *)o);
			}
		}
	}
	for (unsigned i = 0, top = host_stage2_top(); i < top; i++) {
		const uint64_t *table;
		uint64_t ipa, pa;
		struct arch_s2_perm perm;
		const struct addrspace *as = NULL;
		struct oracle_map *om = NULL;

		if (!host_stage2_slot(i, &table, &ipa, &pa, &perm)) {
			continue;
		}
		for (unsigned a = 0; a < oracle_n_spaces && as == NULL; a++) {
			as = oracle_spaces[a]->tables[0] == table ? oracle_spaces[a] : NULL;
		}
		for (unsigned n = 0; n < oracle_n_maps && as != NULL && om == NULL; n++) {
			const struct memextent_mapping *m = oracle_maps[n].m;

			om = m->addrspace == as &&
			             range_within(ipa, MEM_PAGE_SIZE, m->vbase.bits, m->size)
			         ? &oracle_maps[n]
			         : NULL;
		}
		if (om == NULL ||
		    pa != om->me->base.bits + om->m->offset + (ipa - om->m->vbase.bits) ||
		    !oracle_perm_fits(perm, om->me->access)) {
			oracle_fail("stage2-mapping",
			            "Stage-2 page IPA 0x%llx -> 0x%llx (r%d w%d x%d) under %p: %s",
			            (unsigned long long)ipa, (unsigned long long)pa, (int)perm.read,
			            (int)perm.write, (int)perm.exec, (const void *)table,
			            as == NULL   ? "no active address space has that table"
			            : om == NULL ? "no mapping recorded there"
			                         : "not the extent's page or beyond its rights");
			continue; /* not reached (oracle_fail); for cppcheck */
		}
		om->stage2_pages++;
	}
	for (unsigned n = 0; n < oracle_n_maps; n++) {
		if (oracle_maps[n].stage2_pages != oracle_maps[n].m->size >> MEM_PAGE_SHIFT) {
			oracle_fail(
			    "stage2-mapping",
			    "extent %p's mapping at IPA 0x%llx of %llu pages has %u in Stage-2",
			    (const void *)oracle_maps[n].me,
			    (unsigned long long)oracle_maps[n].m->vbase.bits,
			    (unsigned long long)(oracle_maps[n].m->size >> MEM_PAGE_SHIFT),
			    oracle_maps[n].stage2_pages);
		}
	}
}

/* The object's list of caps: VALID caps naming it, master (if any) first, links consistent. */
static void oracle_check_cap_list(unsigned k)
{
	const struct object *obj = world.allocs[k].ptr;
	const struct cap *prev = NULL;
	uint32_t n = 0;

	for (const struct cap *c = obj->caps; c != NULL; prev = c, c = c->obj_next) {
		if (++n > oc.caps[k] || c->state != CAP_STATE_VALID || c->obj != obj ||
		    c->obj_prev != prev || (c->is_master && prev != NULL)) {
			oracle_fail("cap-list",
			            "object %p (type %d): cap %p at position %u is wrong",
			            (const void *)obj, (int)obj->type, (const void *)c, n);
		}
	}
	if (n != oc.caps[k]) {
		oracle_fail("cap-list", "object %p (type %d): %u caps listed, %u in cspaces",
		            (const void *)obj, (int)obj->type, n, oc.caps[k]);
	}
	if (oc.masters[k] > 1U) {
		oracle_fail("cap-master", "object %p (type %d) has %u master caps",
		            (const void *)obj, (int)obj->type, oc.masters[k]);
	}
	if (obj->refcount != oc.refs[k]) {
		oracle_fail("refcount", "object %p (type %d, state %d): refcount %u, %u references",
		            (const void *)obj, (int)obj->type, (int)obj->state, obj->refcount,
		            oc.refs[k]);
	}
}

void oracle_check_world(void)
{
	unsigned n = world.n_allocs;

	/* Only the entries this walk uses (the whole table is ~86 KB): one line per array. */
	_Static_assert(sizeof(oc) == WORLD_MAX_ALLOCS *
	                                 (4 * sizeof(uint32_t) + sizeof(size_t) + sizeof(bool)),
	               "every array of struct oracle_counts is cleared below");
	if (!oracle_ops_ready) {
		for (unsigned t = 0; t < OBJ_TYPE_COUNT; t++) {
			oracle_ops_table[t] = object_ops((enum obj_type)t);
		}
		oracle_ops_ready = true;
	}
	memset(oc.refs, 0, n * sizeof(oc.refs[0]));
	memset(oc.covered, 0, n * sizeof(oc.covered[0]));
	oracle_n_maps = 0;
	oracle_n_spaces = 0;
	memset(oc.caps, 0, n * sizeof(oc.caps[0]));
	memset(oc.masters, 0, n * sizeof(oc.masters[0]));
	memset(oc.used, 0, n * sizeof(oc.used[0]));
	memset(oc.owned, 0, n * sizeof(oc.owned[0]));
	for (unsigned k = 0; k < n; k++) {
		if (world.allocs[k].is_object) {
			oracle_check_object(k);
		}
	}
	for (unsigned k = 0; k < n; k++) {
		const struct world_alloc *a = &world.allocs[k];
		int p = oracle_index(a->partition);

		if (p < 0) {
			oracle_fail("memory-accounting", "allocation %p from dead partition %p",
			            a->ptr, (void *)a->partition);
		}
		oc.used[p < 0 ? 0 : p] += oracle_round(a->size);
		if (!a->is_object && !oc.owned[k]) {
			oracle_fail("memory-leak",
			            "%zu bytes at %p from partition %p: no object holds them",
			            a->size, a->ptr, (void *)a->partition);
		}
	}
	oracle_check_memory();
	for (unsigned k = 0; k < n; k++) {
		const struct object *obj = world.allocs[k].ptr;

		if (!world.allocs[k].is_object) {
			continue;
		}
		oracle_check_cap_list(k);
		if (obj->type == OBJ_PARTITION &&
		    ((const struct partition *)obj)->heap.used != oc.used[k]) {
			oracle_fail("memory-accounting",
			            "partition %p: %zu bytes in use, live objects hold %zu",
			            (const void *)obj, ((const struct partition *)obj)->heap.used,
			            oc.used[k]);
		}
	}
}

/* Pages of @db that @owner owns: memdb_count's answer, read like oracle_zero_run (memdb_count is
 * hyp code, traced: 256 comparisons per input for libFuzzer to record). */
__attribute__((no_sanitize("address", "undefined"))) static uint64_t
oracle_owned_by(const struct memdb *db, const struct object *owner)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < db->pages; i++) {
		n += db->owner[i] == owner ? 1U : 0U;
	}
	return n;
}

void oracle_check_empty(void)
{
	const struct partition *root = world.root.partition;
	unsigned objects = 0;

	for (unsigned k = 0; k < world.n_allocs; k++) {
		objects += world.allocs[k].is_object ? 1U : 0U;
	}
	/* The input may have deleted the root caps themselves; nothing else may be left (the root
	 * partition, cspace, VIC, boot vCPU and address space stay). */
	if (objects != 5U || world.root.cspace->count > 5U) {
		oracle_fail("teardown",
		            "%u objects and %u root caps left after deleting everything", objects,
		            world.root.cspace->count);
	}
	if (root->heap.used != world.root_start_used) {
		oracle_fail("partition-memory-returns",
		            "root partition uses %zu bytes after deleting everything, %zu at start",
		            root->heap.used, world.root_start_used);
	}
	/* Every page back with the root, nothing left in Stage-2 (the next input starts from it).
	 */
	if (root->memdb != NULL && oracle_owned_by(root->memdb, &root->hdr) != root->memdb->pages) {
		oracle_fail("memory-returns", "the root owns %llu of its %llu pages after teardown",
		            (unsigned long long)oracle_owned_by(root->memdb, &root->hdr),
		            (unsigned long long)root->memdb->pages);
	}
	if (host_stage2_count(NULL) != 0U) {
		oracle_fail("stage2-leak", "%u Stage-2 pages left after teardown",
		            host_stage2_count(NULL));
	}
	oracle_check_world();
}

/* Always inlined, also into the unsanitized walks below (it touches no memory). */
static inline __attribute__((always_inline)) uint64_t oracle_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0x100000001b3ULL;
}

/* What Stage-2 holds, as a sum (order-free: a failed map that rolls back may leave the same pages
 * in other slots of the stand-in). */
static uint64_t oracle_stage2_hash(void)
{
	uint64_t sum = 0;

	if (host_stage2_count(NULL) == 0U) {
		return 0;
	}
	for (unsigned i = 0, top = host_stage2_top(); i < top; i++) {
		const uint64_t *table;
		uint64_t ipa, pa;
		struct arch_s2_perm perm;

		if (host_stage2_slot(i, &table, &ipa, &pa, &perm)) {
			sum += oracle_mix(oracle_mix((uintptr_t)table, ipa),
			                  pa ^ (uint64_t)perm.read << 1 ^
			                      (uint64_t)perm.write << 2 ^ (uint64_t)perm.exec << 3);
		}
	}
	return sum;
}

/* The two arrays the fingerprint reads in full on every call, read like oracle_zero_run (without
 * AddressSanitizer's per-load checks): both are live allocations the world check owns
 * (oracle_own: "vic irqs", "memdb owners"), so a freed one fails memory-accounting there. */
__attribute__((no_sanitize("address", "undefined"))) static uint64_t
oracle_mix_vic_sources(uint64_t h, const struct vic_irq *irqs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (irqs[i].source != NULL) {
			h = oracle_mix(h, (uintptr_t)irqs[i].source ^ i);
		}
	}
	return h;
}

/* One mix per run of pages with one owner. */
__attribute__((no_sanitize("address", "undefined"))) static uint64_t
oracle_mix_owner_runs(uint64_t h, const struct object *const *owner, uint64_t pages)
{
	const struct object *run = NULL;

	for (uint64_t i = 0; i < pages; i++) {
		if (owner[i] != run) {
			run = owner[i];
			h = oracle_mix(h, (uintptr_t)run ^ i);
		}
	}
	return h;
}

static uint64_t oracle_mix_source(uint64_t h, const struct virq_source *src)
{
	return oracle_mix(h, (uintptr_t)src->vic ^ src->virq);
}

/*
 * A cspace's slots up to its count-th occupied one (runs of 64 zero slots skipped): a world check
 * compares count with every slot (see oracle.h for when), so a call that fills a slot past there
 * without counting it fails at the next one (cspace-count), and one that changes the count changes
 * this hash. Every field of every slot up to there, empty ones too ("empty but not cleared" is
 * cap-slot). Each slot's three words are a chain of their own started from its index, and the
 * slots' chains are summed (order-free, the index is in each): the slots of a cspace no longer wait
 * for each other's multiplies (they were most of the fingerprint's time).
 */
#define ORACLE_SLOTS_HASH(cs)                                                                      \
	uint64_t sum = 0;                                                                          \
	for (uint32_t s = 0, seen = 0; s < (cs)->max_caps && seen < (cs)->count; s++) {            \
		const struct cap *c = &(cs)->slots[s];                                             \
                                                                                                   \
		if (oracle_zero_run((cs)->slots, s, (cs)->max_caps)) {                             \
			s += ORACLE_ZERO_RUN - 1U;                                                 \
			continue;                                                                  \
		}                                                                                  \
		seen += c->state != CAP_STATE_NULL ? 1U : 0U;                                      \
		sum += oracle_mix(                                                                 \
		    oracle_mix(oracle_mix(s, (uint64_t)c->state | (uint64_t)c->is_master << 8 |    \
		                                 (uint64_t)c->type << 16),                         \
		               (uintptr_t)c->obj ^ c->rights),                                     \
		    (uintptr_t)c->obj_next ^ (uintptr_t)c->obj_prev << 1);                         \
	}                                                                                          \
	return sum

/* With the sanitizers' checks: for a slot array the shadow does not hold whole (the world check
 * then fails memory-accounting; AddressSanitizer may stop it here first, as before). */
static uint64_t oracle_slots_hash(const struct cspace *cs)
{
	ORACLE_SLOTS_HASH(cs);
}

/* Without them, like oracle_zero_run: only for a slot array that is one live allocation of
 * max_caps slots (oracle_whole_alloc), so every read is inside memory the heap handed out. */
__attribute__((no_sanitize("address", "undefined"))) static uint64_t
oracle_slots_hash_unchecked(const struct cspace *cs)
{
	ORACLE_SLOTS_HASH(cs);
}

/* @ptr is the start of a live buffer (not an object) of at least @size bytes in the shadow. */
static bool oracle_whole_alloc(const void *ptr, size_t size)
{
	for (unsigned k = 0; k < world.n_allocs; k++) {
		if (world.allocs[k].ptr == ptr && !world.allocs[k].is_object) {
			return world.allocs[k].size >= size;
		}
	}
	return false;
}

/*
 * One allocation's part of the fingerprint, a chain of its own: the fields of one object depend on
 * each other's mixes, those of different objects do not, so the processor overlaps the objects'
 * chains instead of running one chain of ~200 dependent multiplies per call (oracle_fingerprint
 * then mixes the parts in shadow order, so nothing is lost: each part is the chain the whole
 * fingerprint ran through before, started from the allocation's index instead of the running
 * hash).
 */
static uint64_t oracle_fingerprint_alloc(unsigned k)
{
	const struct world_alloc *a = &world.allocs[k];
	const struct object *obj = a->ptr;
	uint64_t h = k;

	h = oracle_mix(h, (uintptr_t)a->ptr);
	h = oracle_mix(h, a->size ^ ((uint64_t)a->serial << 32));
	if (!a->is_object) {
		return h;
	}
	h = oracle_mix(h, (uint64_t)obj->type | (uint64_t)obj->state << 8 |
	                      (uint64_t)obj->refcount << 32);
	h = oracle_mix(h, (uintptr_t)obj->caps ^ (uintptr_t)obj->partition << 1);
	switch (obj->type) {
	case OBJ_PARTITION: {
		const struct partition *p = (const struct partition *)obj;

		h = oracle_mix(h, p->heap.used ^ (uintptr_t)p->heap_mem << 1 ^ p->heap_size);
		h = oracle_mix(h, (uintptr_t)p->memdb ^ (uintptr_t)p->vmid_used << 1);
		/* The free list (oracle_check_heap's heap-structure walks it). */
		for (const struct heap_block *b = p->heap.free; b != NULL; b = b->next) {
			h = oracle_mix(h, (uintptr_t)b ^ b->size << 1);
		}
		break;
	}
	case OBJ_CSPACE: {
		const struct cspace *cs = (const struct cspace *)obj;

		h = oracle_mix(h, cs->max_caps | (uint64_t)cs->count << 32);
		h = oracle_mix(h, cs->id_mult ^ cs->id_base ^ (uintptr_t)cs->slots << 1);
		if (cs->slots != NULL) {
			h = oracle_mix(h, oracle_whole_alloc(cs->slots, (size_t)cs->max_caps *
			                                                    sizeof(struct cap))
			                      ? oracle_slots_hash_unchecked(cs)
			                      : oracle_slots_hash(cs));
		}
		break;
	}
	case OBJ_THREAD: {
		const struct thread *th = (const struct thread *)obj;

		h = oracle_mix(h, (uintptr_t)th->cspace ^ (uintptr_t)th->addrspace << 1);
		h = oracle_mix(h, (uintptr_t)th->vic ^ th->vic_index);
		h = oracle_mix_source(h, &th->vcpu.run_wakeup);
		break;
	}
	case OBJ_VIC: {
		const struct vic *vic = (const struct vic *)obj;

		h = oracle_mix(h, (uintptr_t)vic->irqs ^ vic->max_virqs ^
		                      (uint64_t)vic->is_configured << 32);
		if (vic->irqs != NULL) {
			h = oracle_mix_vic_sources(h, vic->irqs, vic->max_virqs);
		}
		break;
	}
	case OBJ_MSGQUEUE: {
		const struct msgqueue *mq = (const struct msgqueue *)obj;

		h = oracle_mix(h, mq->depth | (uint64_t)mq->max_msg_size << 16 |
		                      (uint64_t)mq->count << 32);
		h = oracle_mix(h, (uintptr_t)mq->buf ^ mq->head ^ mq->buf_size << 1);
		h = oracle_mix(h, mq->notfull_threshold | (uint64_t)mq->notempty_threshold << 32);
		h = oracle_mix_source(h, &mq->send_source);
		h = oracle_mix_source(h, &mq->receive_source);
		break;
	}
	case OBJ_DOORBELL: {
		const struct doorbell *db = (const struct doorbell *)obj;

		h = oracle_mix(h, db->flags ^ db->enable_mask ^ db->ack_mask);
		h = oracle_mix_source(h, &db->source);
		break;
	}
	case OBJ_MEMEXTENT: {
		const struct memextent *me = (const struct memextent *)obj;

		h = oracle_mix(h, me->base.bits ^ me->size ^ (uintptr_t)me->parent);
		h = oracle_mix(h, (uint64_t)me->is_configured | (uint64_t)me->type << 8 |
		                      (uint64_t)me->access << 16 | (uint64_t)me->memtype << 24);
		h = oracle_mix(h, (uintptr_t)me->memdb);
		for (unsigned m = 0; m < MEMEXTENT_MAX_MAPS; m++) {
			const struct memextent_mapping *mp = &me->maps[m];

			h = oracle_mix(h, (uintptr_t)mp->addrspace ^ mp->vbase.bits ^ mp->offset ^
			                      mp->size << 1 ^ mp->map_attrs);
		}
		break;
	}
	case OBJ_ADDRSPACE: {
		const struct addrspace *as = (const struct addrspace *)obj;

		h = oracle_mix(h, as->vmid | (uint64_t)as->is_configured << 16 |
		                      (uint64_t)as->table_count << 32);
		h = oracle_mix(h, (uintptr_t)as->vmid_used ^ as->ipa_bits);
		for (unsigned i = 0; i < as->table_count && i < ADDRSPACE_MAX_TABLES; i++) {
			h = oracle_mix(h, (uintptr_t)as->tables[i]);
		}
		break;
	}
	default:
		break;
	}
	return h;
}

uint64_t oracle_fingerprint(void)
{
	uint64_t h = world.n_allocs;

	for (unsigned k = 0; k < world.n_allocs; k++) {
		h = oracle_mix(h, oracle_fingerprint_alloc(k));
	}
	/* The memdb (once an extent exists: see oracle_check_memory), one mix per run of pages
	 * with one owner; what Stage-2 holds. */
	if (world.root.partition->memdb != NULL && world.memextents_made != 0U) {
		const struct memdb *db = world.root.partition->memdb;

		h = oracle_mix_owner_runs(h, (const struct object *const *)db->owner, db->pages);
	}
	h = oracle_mix(h, host_stage2_count(NULL) | (uint64_t)host_stage2_top() << 32);
	h = oracle_mix(h, oracle_stage2_hash());
	return h;
}
