/* mem lib: feature check, the RAM extents are built over, 7-input calls, fixtures and per-test
 * undoing of mappings and donations (humpy/mem.h). */
#include <humpy/fdt.h>
#include <humpy/mem.h>
#include <humpy/regrules.h>
#include <humpy/spec.h>

#define MEM_MAX_MAPS    16
#define MEM_MAX_DONATED 16

static struct mem_mapping {
	u64 as, me, vbase, flags, offset, size;
} mem_maps[MEM_MAX_MAPS];
static unsigned mem_n_maps;

static struct mem_donation {
	u64 child, parent, offset, size;
} mem_dons[MEM_MAX_DONATED];
static unsigned mem_n_dons;

/* /chosen humpy,root-memory = <base_hi base_lo size_hi size_lo> (ROOT_PROFILE.md); all ones = none.
 */
#define MEM_NO_RAM_REASON                                                                          \
	"no physical memory to build extents over (/chosen humpy,root-memory absent or all ones)"
#define MEM_RAM_PROP_BYTES 16U

bool mem_ram_get(struct mem_ram *ram)
{
	int chosen = fdt_present() ? fdt_path_offset("/chosen") : -1;
	const u8 *p;
	u32 len = 0;

	ram->base = 0;
	ram->size = 0;
	if (chosen < 0)
		return false;
	p = fdt_prop(chosen, "humpy,root-memory", &len);
	if (!p || len != MEM_RAM_PROP_BYTES)
		return false;
	ram->base = ((u64)fdt_be32(p) << 32) | fdt_be32(p + 4);
	ram->size = ((u64)fdt_be32(p + 8) << 32) | fdt_be32(p + 12);
	if (ram->base == ~0ULL || ram->size == ~0ULL) {
		ram->base = 0;
		ram->size = 0;
		return false;
	}
	return true;
}

const char *mem_missing(bool need_ram)
{
	u64 flags0 = gh_native(GH_HVC_HYPERVISOR_IDENTIFY, NULL).x[1];
	struct root_caps rc;
	struct mem_ram ram;

	/* Root caps first: a primary VM without them SKIPs for that whatever its flags say. */
	if (!root_caps_get(&rc))
		return ROOT_SKIP_REASON;
	if (!(flags0 & GH_API_FLAG0_MEMEXTENT))
		return "identify flags0 bit 6 (memextent) clear";
	if (need_ram && !mem_ram_get(&ram))
		return MEM_NO_RAM_REASON;
	if (need_ram && ram.size < MEM_RAM_PAGES * PAGE)
		return "the root partition's free memory is smaller than the tests' 16 pages";
	return NULL;
}

struct gh_ret hc7(u32 call, const u64 a[7])
{
	u64 args[8] = {a[0], a[1], a[2], a[3], a[4], a[5], a[6], 0};
	const struct spec_call *c = spec_call_find(call);
	struct gh_capture cap;
	struct gh_ret r = gh_native_capture(call, args, &cap);
	char why[160];

	if (c &&
	    !gh_regs_ok(GH_PATH_NATIVE, cap.in, &cap.out, cap.stub, c->n_outputs, why, sizeof(why)))
		test_fail("native %s (0x%x): %s", c->name, call, why);
	return r;
}

u64 hc7_err(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6)
{
	const u64 a[7] = {a0, a1, a2, a3, a4, a5, a6};

	return hc7(call, a).x[0];
}

void mem_begin(void)
{
	mem_n_maps = 0;
	mem_n_dons = 0;
}

/* Mappings first (newest first), then donations back to their parents; the caps go after. */
void mem_end(void)
{
	while (mem_n_maps > 0) {
		struct mem_mapping *m = &mem_maps[--mem_n_maps];

		hc7_err(GH_HVC_ADDRSPACE_UNMAP, m->as, m->me, m->vbase, m->flags, m->offset,
		        m->size, 0);
	}
	while (mem_n_dons > 0) {
		struct mem_donation *d = &mem_dons[--mem_n_dons];

		me_donate(GH_MEM_DONATE_TYPE_TO_PARENT, d->child, d->parent, d->offset, d->size);
	}
}

struct gh_ret mem_map_r(u64 as, u64 me, u64 vbase, u64 attrs, u64 flags, u64 offset, u64 size)
{
	const u64 a[7] = {as, me, vbase, attrs, flags, offset, size};
	struct gh_ret r = hc7(GH_HVC_ADDRSPACE_MAP, a);

	if (r.x[0] == 0) {
		if (mem_n_maps == MEM_MAX_MAPS) {
			test_error("mem: more than %u mappings", MEM_MAX_MAPS);
			return r;
		}
		mem_maps[mem_n_maps++] = (struct mem_mapping){
		    as, me, vbase, flags & GH_MEM_MAP_FLAGS_PARTIAL, offset, size};
	}
	return r;
}

u64 mem_map(u64 as, u64 me, u64 vbase, u64 attrs, u64 flags, u64 offset, u64 size)
{
	return mem_map_r(as, me, vbase, attrs, flags, offset, size).x[0];
}

u64 mem_unmap(u64 as, u64 me, u64 vbase, u64 flags, u64 offset, u64 size)
{
	u64 err = hc7_err(GH_HVC_ADDRSPACE_UNMAP, as, me, vbase, flags, offset, size, 0);
	unsigned i;

	if (err != 0)
		return err;
	for (i = mem_n_maps; i > 0; i--) {
		if (mem_maps[i - 1].as == as && mem_maps[i - 1].me == me &&
		    mem_maps[i - 1].vbase == vbase) {
			mem_maps[i - 1] = mem_maps[--mem_n_maps];
			break;
		}
	}
	return err;
}

u64 me_donate(u64 options, u64 from, u64 to, u64 offset, u64 size)
{
	return hc7_err(GH_HVC_MEMEXTENT_DONATE, options, from, to, offset, size, 0, 0);
}

void mem_donated(u64 child, u64 parent, u64 offset, u64 size)
{
	if (mem_n_dons == MEM_MAX_DONATED) {
		test_error("mem: more than %u donations", MEM_MAX_DONATED);
		return;
	}
	mem_dons[mem_n_dons++] = (struct mem_donation){child, parent, offset, size};
}

void mem_returned(u64 child, u64 offset)
{
	unsigned i;

	for (i = mem_n_dons; i > 0; i--) {
		if (mem_dons[i - 1].child == child && mem_dons[i - 1].offset == offset) {
			mem_dons[i - 1] = mem_dons[--mem_n_dons];
			return;
		}
	}
}

static u64 mem_activate(u64 cap, const char *what)
{
	u64 err = hc_err(GH_HVC_OBJECT_ACTIVATE, cap, 0, 0);

	if (err != 0) {
		test_fail("fixture: object_activate(%s): x0 expected 0x0 got 0x%lx", what, err);
		return GH_CAP_INVALID;
	}
	return cap;
}

u64 me_make(const struct root_caps *rc, u64 phys, u64 size, u64 attrs, bool activate)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	u64 err;

	if (me == GH_CAP_INVALID)
		return me;
	err = hc(GH_HVC_MEMEXTENT_CONFIGURE, me, phys, size, attrs, 0).x[0];
	if (err != 0) {
		test_fail("fixture: memextent_configure(0x%lx, 0x%lx, 0x%lx): x0 expected 0x0 got "
		          "0x%lx",
		          phys, size, attrs, err);
		return GH_CAP_INVALID;
	}
	return activate ? mem_activate(me, "memextent") : me;
}

u64 me_derive(const struct root_caps *rc, u64 parent, u64 offset, u64 size, u64 attrs,
              bool activate)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);
	u64 err;

	if (me == GH_CAP_INVALID)
		return me;
	err = hc7_err(GH_HVC_MEMEXTENT_CONFIGURE_DERIVE, me, parent, offset, size, attrs, 0, 0);
	if (err != 0) {
		test_fail("fixture: memextent_configure_derive(0x%lx, 0x%lx, 0x%lx): x0 expected "
		          "0x0 got 0x%lx",
		          offset, size, attrs, err);
		return GH_CAP_INVALID;
	}
	return activate ? mem_activate(me, "derived memextent") : me;
}

u64 as_make(const struct root_caps *rc, u64 vmid, bool activate)
{
	u64 as = root_create(rc, GH_HVC_PARTITION_CREATE_ADDRSPACE, rc->partition);
	u64 err;

	if (as == GH_CAP_INVALID)
		return as;
	err = hc_err(GH_HVC_ADDRSPACE_CONFIGURE, as, vmid, 0);
	if (err != 0) {
		test_fail("fixture: addrspace_configure(vmid 0x%lx): x0 expected 0x0 got 0x%lx",
		          vmid, err);
		return GH_CAP_INVALID;
	}
	return activate ? mem_activate(as, "addrspace") : as;
}

static void mem_cap_expect(const char *what, u32 call, const u64 args[7], unsigned idx, u64 cap,
                           u64 err)
{
	u64 a[7];
	struct gh_ret r;

	memcpy(a, args, sizeof(a));
	a[idx] = cap;
	r = hc7(call, a);
	if (r.x[0] != err)
		test_fail("input %u, %s (x0): expected 0x%lx got 0x%lx", idx, what, err, r.x[0]);
}

void mem_cap_errors(const struct root_caps *rc, u32 call, const u64 args[7], unsigned idx,
                    u64 wrong, u64 right, u64 inactive)
{
	u64 cap = args[idx], c;

	mem_cap_expect("undecodable cap", call, args, idx, root_undecodable(cap),
	               E(ARGUMENT_INVALID));
	mem_cap_expect("cap all ones", call, args, idx, GH_CAP_INVALID, E(ARGUMENT_INVALID));
	c = root_revoked(rc, cap);
	RETURN_IF_FAILED();
	mem_cap_expect("revoked cap", call, args, idx, c, E(CSPACE_CAP_REVOKED));
	if (wrong != GH_CAP_INVALID)
		mem_cap_expect("cap of another type", call, args, idx, wrong,
		               E(CSPACE_WRONG_OBJECT_TYPE));
	if (right) {
		c = root_copy(rc, cap, ~(u64)right);
		RETURN_IF_FAILED();
		mem_cap_expect("cap without the right", call, args, idx, c,
		               E(CSPACE_INSUFFICIENT_RIGHTS));
	}
	if (inactive != GH_CAP_INVALID)
		mem_cap_expect("object in the wrong state", call, args, idx, inactive,
		               E(OBJECT_STATE));
	RETURN_IF_FAILED();
	c = root_null(rc);
	RETURN_IF_FAILED();
	mem_cap_expect("empty slot", call, args, idx, c, E(CSPACE_CAP_NULL));
}
