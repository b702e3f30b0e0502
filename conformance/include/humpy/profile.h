/* Which profile the guest runs as: root (root caps in /chosen, ROOT_PROFILE.md) or hlos, and why.
 */
#ifndef HUMPY_PROFILE_H
#define HUMPY_PROFILE_H

#include <humpy/types.h>

#define PROFILE_REASON_MAX 120

struct profile {
	bool root;
	u64 partition; /* GH_CAP_INVALID unless root */
	u64 cspace;
	char reason[PROFILE_REASON_MAX]; /* the PROFILE line's reason */
};

/* Read from the device tree on first use; the same answer for the whole boot. */
const struct profile *profile_get(void);
/* "root" or "hlos", as BEGIN's profile= and the PROFILE line print it. */
const char *profile_name(const struct profile *p);
/* /chosen humpy,<name> as a 64-bit cap ID (ROOT_PROFILE.md); GH_CAP_INVALID when absent or not
 * 8 bytes (all ones, the spec's "none", passes through as it is). */
u64 profile_chosen_cap(const char *name);

#endif
