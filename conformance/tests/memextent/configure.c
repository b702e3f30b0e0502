/* memextent_configure (0x31) and the activation of a configured extent: arguments, attrs, state,
 * page ownership (reference section 2 memextent_configure attrs, section 3, section 7;
 * ROOT_PROFILE.md root memory). */
#include <humpy/mem.h>
#include <humpy/plat.h>

#define ME_TEST(name, need_ram) MEM_TEST(memextent, name, need_ram)
/* Argument tests name a page-aligned base; the argument under test fails before ownership matters.
 */
#define ANY_PHYS 0x40000000ULL

/* x0 of memextent_configure on a new INIT extent from the root partition. */
static u64 me_configure_new(const struct root_caps *rc, u64 phys, u64 size, u64 attrs)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);

	if (me == GH_CAP_INVALID)
		return ~0ULL;
	return hc(GH_HVC_MEMEXTENT_CONFIGURE, me, phys, size, attrs, 0).x[0];
}

/* Proves a basic extent over two owned pages configures and activates with exact results (§2). */
ME_TEST(configure_ok, true)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("memextent_configure",
	              hc(GH_HVC_MEMEXTENT_CONFIGURE, me, ram->base, 2 * PAGE, ME_RWX_ANY, 0), 0, 0);
	ASSERT_RESULT("object_activate", hc(GH_HVC_OBJECT_ACTIVATE, me, 0, 0, 0, 0), 0, 0);
}

/* Proves the same configuration through SMCCC answers the same, with res0 ignored there (§1b, §2).
 */
ME_TEST(configure_smccc, true)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_EQ("memextent_configure via SMCCC, res0 = 1",
	          hs(GH_HVC_MEMEXTENT_CONFIGURE, me, ram->base, PAGE, ME_RWX_ANY, 1).x[0], 0);
	ASSERT_EQ("object_activate", hc_err(GH_HVC_OBJECT_ACTIVATE, me, 0, 0), 0);
}

/* Proves a non-zero res0 on the native path is ARGUMENT_INVALID (§2 res0). */
ME_TEST(configure_res0, false)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("memextent_configure res0 = 1",
	              hc(GH_HVC_MEMEXTENT_CONFIGURE, me, ANY_PHYS, PAGE, ME_RWX_ANY, 1),
	              E(ARGUMENT_INVALID), 0);
}

/* Proves a phys_base not 4 KiB aligned is ARGUMENT_ALIGNMENT (§2, §3). */
ME_TEST(configure_base_misaligned, false)
{
	ASSERT_EQ("phys_base + 0x800", me_configure_new(rc, ANY_PHYS + 0x800, PAGE, ME_RWX_ANY),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("phys_base + 1", me_configure_new(rc, ANY_PHYS + 1, PAGE, ME_RWX_ANY),
	          E(ARGUMENT_ALIGNMENT));
}

/* Proves a size not a multiple of 4 KiB is ARGUMENT_ALIGNMENT (§2, §3). */
ME_TEST(configure_size_misaligned, false)
{
	ASSERT_EQ("size 0x1800", me_configure_new(rc, ANY_PHYS, 0x1800, ME_RWX_ANY),
	          E(ARGUMENT_ALIGNMENT));
	ASSERT_EQ("size 0xfff", me_configure_new(rc, ANY_PHYS, 0xfff, ME_RWX_ANY),
	          E(ARGUMENT_ALIGNMENT));
}

/* Proves size 0 is ARGUMENT_SIZE (§2, §3). */
ME_TEST(configure_size_zero, false)
{
	ASSERT_EQ("size 0", me_configure_new(rc, ANY_PHYS, 0, ME_RWX_ANY), E(ARGUMENT_SIZE));
}

/* Proves a range that wraps past 2^64 is ARGUMENT_SIZE (§2: configure's size errors). */
ME_TEST(configure_overflow, false)
{
	ASSERT_EQ("phys_base 2^64 - 4 KiB, size 8 KiB",
	          me_configure_new(rc, 0ULL - PAGE, 2 * PAGE, ME_RWX_ANY), E(ARGUMENT_SIZE));
	ASSERT_EQ("phys_base 4 KiB, size 2^64 - 4 KiB",
	          me_configure_new(rc, PAGE, 0ULL - PAGE, ME_RWX_ANY), E(ARGUMENT_SIZE));
}

/* Proves every access value of the enumeration is accepted and 3 (W+X) is ARGUMENT_INVALID (§2). */
ME_TEST(configure_access_each, true)
{
	u64 a;

	for (a = 0; a <= GH_MEM_EXTENT_ATTRS_ACCESS_MASK; a++) {
		u64 want = a == 3 ? E(ARGUMENT_INVALID) : 0;
		u64 got = me_configure_new(
		    rc, ram->base, PAGE,
		    me_attrs(a, GH_MEM_EXTENT_MEMTYPE_ANY, GH_MEM_EXTENT_TYPE_BASIC));

		RETURN_IF_FAILED();
		if (got != want) {
			test_fail("access %lu: x0 expected 0x%lx got 0x%lx", a, want, got);
			return;
		}
	}
}

/* Proves each memtype ANY, DEVICE, UNCACHED, CACHED is accepted (§2 memextent attrs 9:8). */
ME_TEST(configure_memtype_each, true)
{
	u64 m;

	for (m = 0; m <= GH_MEM_EXTENT_ATTRS_MEMTYPE_MASK; m++) {
		u64 got = me_configure_new(rc, ram->base, PAGE,
		                           me_attrs(GH_MEM_ACCESS_RW, m, GH_MEM_EXTENT_TYPE_BASIC));

		RETURN_IF_FAILED();
		if (got != 0) {
			test_fail("memtype %lu: x0 expected 0x0 got 0x%lx", m, got);
			return;
		}
	}
}

/* Proves types BASIC and SPARSE are accepted, 2 and 3 ARGUMENT_INVALID (§2 memextent attrs 17:16).
 */
ME_TEST(configure_type_each, true)
{
	u64 t;

	for (t = 0; t <= GH_MEM_EXTENT_ATTRS_TYPE_MASK; t++) {
		u64 want = t <= GH_MEM_EXTENT_TYPE_SPARSE ? 0 : E(ARGUMENT_INVALID);
		u64 got = me_configure_new(
		    rc, ram->base, PAGE, me_attrs(GH_MEM_ACCESS_RW, GH_MEM_EXTENT_MEMTYPE_ANY, t));

		RETURN_IF_FAILED();
		if (got != want) {
			test_fail("type %lu: x0 expected 0x%lx got 0x%lx", t, want, got);
			return;
		}
	}
}

/* Proves every reserved attrs bit (all but 2:0, 9:8, 17:16, 31) is ARGUMENT_INVALID (§2 "others
 * res0"). */
ME_TEST(configure_attrs_reserved, false)
{
	unsigned bit;

	for (bit = 0; bit < 64; bit++) {
		u64 got;

		if ((1ULL << bit) & GH_MEM_EXTENT_ATTRS_VALID)
			continue;
		got = me_configure_new(rc, ANY_PHYS, PAGE, ME_RWX_ANY | (1ULL << bit));
		RETURN_IF_FAILED();
		if (got != E(ARGUMENT_INVALID)) {
			test_fail("attrs bit %u: x0 expected 0x1 got 0x%lx", bit, got);
			return;
		}
	}
}

/* Proves configure after activation is OBJECT_STATE (§7: configure only in INIT). */
ME_TEST(configure_after_activate, true)
{
	u64 me = me_make(rc, ram->base, PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_RESULT("memextent_configure of an active extent",
	              hc(GH_HVC_MEMEXTENT_CONFIGURE, me, ram->base + PAGE, PAGE, ME_RWX_ANY, 0),
	              E(OBJECT_STATE), 0);
	ASSERT_EQ("activate again", hc_err(GH_HVC_OBJECT_ACTIVATE, me, 0, 0), E(OBJECT_STATE));
}

/*
 * Proves a second configure in INIT replaces the first: the extent activated owns only the second
 * range, so an extent over the first range's other page still activates (§7 configure in INIT).
 */
ME_TEST(configure_twice, true)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition), other;

	RETURN_IF_FAILED();
	ASSERT_EQ("first configure (2 pages)",
	          hc(GH_HVC_MEMEXTENT_CONFIGURE, me, ram->base, 2 * PAGE, ME_RWX_ANY, 0).x[0], 0);
	ASSERT_EQ("second configure (1 page)",
	          hc(GH_HVC_MEMEXTENT_CONFIGURE, me, ram->base, PAGE, ME_RWX_ANY, 0).x[0], 0);
	ASSERT_EQ("activate", hc_err(GH_HVC_OBJECT_ACTIVATE, me, 0, 0), 0);
	other = me_make(rc, ram->base + PAGE, PAGE, ME_RWX_ANY, false);
	RETURN_IF_FAILED();
	ASSERT_EQ("an extent over the page the first configure named",
	          hc_err(GH_HVC_OBJECT_ACTIVATE, other, 0, 0), 0);
}

/* Proves activating an extent never configured is OBJECT_CONFIG (§2 object_activate). */
ME_TEST(activate_unconfigured, false)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition);

	RETURN_IF_FAILED();
	ASSERT_RESULT("object_activate", hc(GH_HVC_OBJECT_ACTIVATE, me, 0, 0, 0, 0),
	              E(OBJECT_CONFIG), 0);
}

/*
 * x0 of configuring then activating an extent over [phys, phys+size): the first error, which for
 * memory the caller does not own must be MEMDB_NOT_OWNER at either step (§3, ROOT_PROFILE.md).
 */
static u64 me_claim(const struct root_caps *rc, u64 phys, u64 size)
{
	u64 me = root_create(rc, GH_HVC_PARTITION_CREATE_MEMEXTENT, rc->partition), err;

	if (me == GH_CAP_INVALID)
		return ~0ULL;
	err = hc(GH_HVC_MEMEXTENT_CONFIGURE, me, phys, size, ME_RWX_ANY, 0).x[0];
	if (err != 0)
		return err;
	return hc_err(GH_HVC_OBJECT_ACTIVATE, me, 0, 0);
}

/* Proves one page is never owned by two extents: a second extent over it is MEMDB_NOT_OWNER (§3).
 */
ME_TEST(owner_twice, true)
{
	me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);
	RETURN_IF_FAILED();
	ASSERT_EQ("the same two pages", me_claim(rc, ram->base, 2 * PAGE), E(MEMDB_NOT_OWNER));
	ASSERT_EQ("the second page and the next", me_claim(rc, ram->base + PAGE, 2 * PAGE),
	          E(MEMDB_NOT_OWNER));
	ASSERT_EQ("the page after (free)", me_claim(rc, ram->base + 2 * PAGE, PAGE), 0);
}

/* Proves deleting an active extent gives its pages back: a new extent over them activates (§7). */
ME_TEST(owner_returned, true)
{
	u64 me = me_make(rc, ram->base, 2 * PAGE, ME_RWX_ANY, true);

	RETURN_IF_FAILED();
	ASSERT_EQ("delete the extent", root_del(rc, me), 0);
	ASSERT_EQ("an extent over the same pages", me_claim(rc, ram->base, 2 * PAGE), 0);
}

/*
 * Proves memory the root partition does not own cannot be claimed: the guest's own RAM, the page
 * past the root memory, a range across its end are MEMDB_NOT_OWNER (§3, ROOT_PROFILE.md).
 */
ME_TEST(owner_not_owned, true)
{
	ASSERT_TRUE("the device tree names the guest's RAM", plat.n_ram > 0);
	ASSERT_EQ("the guest's own RAM", me_claim(rc, plat.ram_base[0] & ~(PAGE - 1), PAGE),
	          E(MEMDB_NOT_OWNER));
	ASSERT_EQ("the page past the root memory", me_claim(rc, ram->base + ram->size, PAGE),
	          E(MEMDB_NOT_OWNER));
	ASSERT_EQ("the last root page and the one past it",
	          me_claim(rc, ram->base + ram->size - PAGE, 2 * PAGE), E(MEMDB_NOT_OWNER));
}
