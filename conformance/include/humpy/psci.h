/* PSCI from the guest, through the conduit the device tree names. */
#ifndef HUMPY_PSCI_H
#define HUMPY_PSCI_H

#include <humpy/hvc.h>

struct gh_ret psci_call(u64 fid, u64 a1, u64 a2, u64 a3);
/* SYSTEM_OFF through the DT conduit, then the other one; never returns. */
NORETURN void psci_system_off(void);

#endif
