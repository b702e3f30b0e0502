/* Spec coverage: which hypercall returned which x0 on which path, printed as COVER lines. */
#ifndef HUMPY_COVER_H
#define HUMPY_COVER_H

#include <humpy/types.h>

/* Called by the one call path (hvc.c) after each call: cheap, no allocation. */
void cover_native(u32 imm, u64 x0);
void cover_smccc(u64 fid, u64 x0);

/* Prints the table as `[humpy] COVER ...` lines (PROTOCOL.md); the runner calls it before END
 * when the bootargs ask for it (humpy.cover). */
void cover_print(void);

#endif
