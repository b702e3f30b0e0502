/* mem: what the memextent and addrspace tests share: feature check, the RAM extents are built over,
 * 7-input call wrappers, fixtures, mappings undone per test. */
#ifndef HUMPY_MEM_H
#define HUMPY_MEM_H

#include <humpy/root.h>

#define MEM_UNUSED __attribute__((unused))
#define PAGE       ((u64)GH_MEM_PAGE_SIZE)

/* Physical memory the root partition owns and nothing uses, to build extents over. */
struct mem_ram {
	u64 base;
	u64 size;
};

/* Pages the tests need from that memory (each test gives back what it took). */
#define MEM_RAM_PAGES 16

/*
 * The reason to SKIP, or NULL: no root caps, identify flags0 bit 6 (memextent) clear, or (need_ram)
 * no owned memory to build extents over (ROOT_PROFILE.md) or less than MEM_RAM_PAGES of it.
 */
const char *mem_missing(bool need_ram);
bool mem_ram_get(struct mem_ram *ram);

/* Per-test state: mappings made through mem_map are undone by mem_end, before the caps go. */
void mem_begin(void);
void mem_end(void);

/*
 * MEM_TEST(area, name, need_ram) { ... } defines test area.name with `rc` and `ram` (base 0 and
 * size 0 unless need_ram): SKIP with the reason when something is missing, cleanup however the
 * body returns.
 */
#define MEM_TEST(area, name, need_ram)                                                             \
	static void area##_body_##name(const struct root_caps *rc MEM_UNUSED,                      \
	                               const struct mem_ram *ram MEM_UNUSED);                      \
	TEST(area, name)                                                                           \
	{                                                                                          \
		struct root_caps rc_;                                                              \
		struct mem_ram ram_ = {0, 0};                                                      \
		const char *why_ = mem_missing(need_ram);                                          \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		root_caps_get(&rc_);                                                               \
		if (need_ram)                                                                      \
			mem_ram_get(&ram_);                                                        \
		if (!root_begin(&rc_))                                                             \
			return;                                                                    \
		mem_begin();                                                                       \
		area##_body_##name(&rc_, &ram_);                                                   \
		mem_end();                                                                         \
		root_end(&rc_);                                                                    \
	}                                                                                          \
	static void area##_body_##name(const struct root_caps *rc MEM_UNUSED,                      \
	                               const struct mem_ram *ram MEM_UNUSED)

/* Native call with up to 7 inputs; every register past the results checked by the spec's rules. */
struct gh_ret hc7(u32 call, const u64 a[7]);
/* x0 of hc7. */
u64 hc7_err(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6);

/* Attribute words (reference section 2). */
static inline u64 me_attrs(u64 access, u64 memtype, u64 type)
{
	return (access & GH_MEM_EXTENT_ATTRS_ACCESS_MASK) |
	       ((memtype & GH_MEM_EXTENT_ATTRS_MEMTYPE_MASK) << GH_MEM_EXTENT_ATTRS_MEMTYPE_SHIFT) |
	       ((type & GH_MEM_EXTENT_ATTRS_TYPE_MASK) << GH_MEM_EXTENT_ATTRS_TYPE_SHIFT);
}
static inline u64 map_attrs(u64 user, u64 kernel, u64 memtype)
{
	return (user << GH_MEM_MAP_ATTRS_USER_SHIFT) | (kernel << GH_MEM_MAP_ATTRS_KERNEL_SHIFT) |
	       (memtype << GH_MEM_MAP_ATTRS_MEMTYPE_SHIFT);
}
static inline u64 access_attrs(u64 user, u64 kernel)
{
	return (user << GH_MEM_MAP_ATTRS_USER_SHIFT) | (kernel << GH_MEM_MAP_ATTRS_KERNEL_SHIFT);
}
#define ME_RWX_ANY me_attrs(GH_MEM_ACCESS_RWX, GH_MEM_EXTENT_MEMTYPE_ANY, GH_MEM_EXTENT_TYPE_BASIC)
#define ME_RWX_ANY_SPARSE                                                                          \
	me_attrs(GH_MEM_ACCESS_RWX, GH_MEM_EXTENT_MEMTYPE_ANY, GH_MEM_EXTENT_TYPE_SPARSE)
#define MAP_RW_WB map_attrs(GH_MEM_ACCESS_RW, GH_MEM_ACCESS_RW, GH_MEM_VM_MEMTYPE_NORMAL_WB)

/* VMIDs the tests give their address spaces (not 255, the root VM's, reference section 2). */
#define MEM_VMID_A 0x21
#define MEM_VMID_B 0x22
/* An IPA the tests map at: 1 GiB-aligned, inside a 32-bit IPA space, away from the guest's RAM. */
#define MEM_IPA 0x80000000ULL

/*
 * Fixtures (tracked in the root cspace; FAIL recorded and GH_CAP_INVALID returned when the
 * hypervisor does not do what the fixture needs).
 */
/* A memextent from the root partition over [phys, phys+size) with attrs, activated if asked. */
u64 me_make(const struct root_caps *rc, u64 phys, u64 size, u64 attrs, bool activate);
/* A memextent derived from parent at [offset, offset+size) with attrs, activated if asked. */
u64 me_derive(const struct root_caps *rc, u64 parent, u64 offset, u64 size, u64 attrs,
              bool activate);
/* An address space from the root partition with vmid, activated if asked. */
u64 as_make(const struct root_caps *rc, u64 vmid, bool activate);

/* addrspace_map; on OK the mapping is remembered and mem_end unmaps it. Returns x0. */
u64 mem_map(u64 as, u64 me, u64 vbase, u64 attrs, u64 flags, u64 offset, u64 size);
struct gh_ret mem_map_r(u64 as, u64 me, u64 vbase, u64 attrs, u64 flags, u64 offset, u64 size);
/* addrspace_unmap; on OK the remembered mapping is forgotten. Returns x0. */
u64 mem_unmap(u64 as, u64 me, u64 vbase, u64 flags, u64 offset, u64 size);
/* Remember / forget a donation so mem_end gives the page back (donate TO_PARENT, from, to). */
void mem_donated(u64 child, u64 parent, u64 offset, u64 size);
void mem_returned(u64 child, u64 offset);
/* memextent_donate(options, from, to, offset, size); x0. */
u64 me_donate(u64 options, u64 from, u64 to, u64 offset, u64 size);

/*
 * Every cap-lookup error of input `idx` of `call` (args[idx] a valid cap, the other inputs valid):
 * undecodable and all ones ARGUMENT_INVALID, a revoked copy CSPACE_CAP_REVOKED, `wrong` (if not
 * GH_CAP_INVALID; another type) CSPACE_WRONG_OBJECT_TYPE, a copy without `right` (if not 0)
 * CSPACE_INSUFFICIENT_RIGHTS, `inactive` (if not GH_CAP_INVALID) OBJECT_STATE, an empty slot
 * CSPACE_CAP_NULL (section 2 cap lookup, section 7). Records a FAIL per mismatch.
 */
void mem_cap_errors(const struct root_caps *rc, u32 call, const u64 args[7], unsigned idx,
                    u64 wrong, u64 right, u64 inactive);

/* Native result: x0..x3 exact, x4..x7 zero (addrspace_lookup's offset, size, attrs). */
#define ASSERT_RESULT3(what, ret, e0, e1, e2, e3)                                                  \
	do {                                                                                       \
		struct gh_ret r3_ = (ret);                                                         \
		unsigned k_;                                                                       \
		ASSERT_EQ(what " (x0)", r3_.x[0], (e0));                                           \
		ASSERT_EQ(what " (x1)", r3_.x[1], (e1));                                           \
		ASSERT_EQ(what " (x2)", r3_.x[2], (e2));                                           \
		ASSERT_EQ(what " (x3)", r3_.x[3], (e3));                                           \
		for (k_ = 4; k_ < 8; k_++)                                                         \
			ASSERT_EQ(what " (x4..x7)", r3_.x[k_], 0);                                 \
	} while (0)

/* addrspace_lookup(as, me, vbase, size). */
static inline struct gh_ret as_lookup(u64 as, u64 me, u64 vbase, u64 size)
{
	const u64 a[7] = {as, me, vbase, size, 0, 0, 0};

	return hc7(GH_HVC_ADDRSPACE_LOOKUP, a);
}

#endif
