/* The guest's profile: root when /chosen carries both root caps (ROOT_PROFILE.md), else hlos. */
#include <gunyah_spec.h>
#include <humpy/fdt.h>
#include <humpy/libc.h>
#include <humpy/profile.h>

#define PROFILE_CAP_BYTES 8U /* two big-endian cells */

static struct profile profile;
static bool profile_known;

/* One cap property: true and *cap when it is 8 bytes and not GH_CAP_INVALID, else why not. */
static bool profile_cap(int chosen, const char *prop, u64 *cap)
{
	u32 len = 0;
	const u8 *p = fdt_prop(chosen, prop, &len);

	*cap = GH_CAP_INVALID;
	if (!p) {
		snprintf(profile.reason, sizeof(profile.reason), "/chosen has no %s", prop);
		return false;
	}
	if (len != PROFILE_CAP_BYTES) {
		snprintf(profile.reason, sizeof(profile.reason),
		         "%s is %u bytes, not %u (two cells)", prop, len, PROFILE_CAP_BYTES);
		return false;
	}
	*cap = ((u64)fdt_be32(p) << 32) | fdt_be32(p + 4);
	if (*cap == GH_CAP_INVALID) {
		snprintf(profile.reason, sizeof(profile.reason), "%s is all ones (GH_CAP_INVALID)",
		         prop);
		return false;
	}
	return true;
}

static void profile_detect(void)
{
	int chosen = fdt_present() ? fdt_path_offset("/chosen") : -1;
	u64 part, cspace;

	profile = (struct profile){.partition = GH_CAP_INVALID, .cspace = GH_CAP_INVALID};
	if (!fdt_present()) {
		snprintf(profile.reason, sizeof(profile.reason), "no device tree");
		return;
	}
	if (chosen < 0) {
		snprintf(profile.reason, sizeof(profile.reason), "the device tree has no /chosen");
		return;
	}
	if (!profile_cap(chosen, "humpy,root-partition-cap", &part) ||
	    !profile_cap(chosen, "humpy,root-cspace-cap", &cspace))
		return;
	profile.root = true;
	profile.partition = part;
	profile.cspace = cspace;
	snprintf(profile.reason, sizeof(profile.reason),
	         "root caps in /chosen: partition=0x%lx cspace=0x%lx", part, cspace);
}

const struct profile *profile_get(void)
{
	if (!profile_known) {
		profile_detect();
		profile_known = true;
	}
	return &profile;
}

const char *profile_name(const struct profile *p)
{
	return p->root ? "root" : "hlos";
}

u64 profile_chosen_cap(const char *name)
{
	int chosen = fdt_present() ? fdt_path_offset("/chosen") : -1;
	const u8 *p;
	u32 len = 0;

	if (chosen < 0)
		return GH_CAP_INVALID;
	p = fdt_prop(chosen, name, &len);
	if (!p || len != 8)
		return GH_CAP_INVALID;
	return ((u64)fdt_be32(p) << 32) | fdt_be32(p + 4);
}
