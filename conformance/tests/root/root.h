/* root: what the root-profile tests share: the root caps from the DT, and short hypercall wrappers.
 */
#ifndef ROOT_TESTS_H
#define ROOT_TESTS_H

#include <humpy/fdt.h>
#include <humpy/test.h>

struct root_caps {
	u64 partition;
	u64 cspace;
};

/* /chosen humpy,root-partition-cap and humpy,root-cspace-cap (ROOT_PROFILE.md); all ones = none. */
static inline bool root_caps_get(struct root_caps *rc)
{
	int chosen = fdt_present() ? fdt_path_offset("/chosen") : -1;
	const u8 *p, *c;
	u32 lp = 0, lc = 0;

	if (chosen < 0)
		return false;
	p = fdt_prop(chosen, "humpy,root-partition-cap", &lp);
	c = fdt_prop(chosen, "humpy,root-cspace-cap", &lc);
	if (!p || !c || lp != 8 || lc != 8)
		return false;
	rc->partition = ((u64)fdt_be32(p) << 32) | fdt_be32(p + 4);
	rc->cspace = ((u64)fdt_be32(c) << 32) | fdt_be32(c + 4);
	return rc->partition != GH_CAP_INVALID && rc->cspace != GH_CAP_INVALID;
}

/* Every root test starts with this: SKIP when the hypervisor gave no root caps. */
#define ROOT_CAPS(rc)                                                                              \
	struct root_caps rc;                                                                       \
	if (!root_caps_get(&rc))                                                                   \
	SKIP("no root caps (/chosen humpy,root-*-cap absent or all ones)")

/* Native hypercall with up to 5 inputs; the rest zero. */
static inline struct gh_ret hc(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	u64 args[8] = {a0, a1, a2, a3, a4, 0, 0, 0};

	return gh_native(call, args);
}

/* x0 of a call that returns only an error. */
static inline u64 hc_err(u32 call, u64 a0, u64 a1, u64 a2)
{
	return hc(call, a0, a1, a2, 0, 0).x[0];
}

#endif
