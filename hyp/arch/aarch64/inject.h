/* inject: delivering synchronous exceptions and SErrors into a guest's EL1. */
#ifndef INJECT_H
#define INJECT_H

#include "frame.h"

/* Synchronous external abort (FSC 0x10) for a stage-2 fault the hypervisor does not handle; @far
 * is FAR_EL2 as the trap found it. */
void inject_abort(struct guest_frame *f, uint64_t esr_el2, uint64_t far, bool is_data);

/* Unknown-reason exception (EC 0) for a trap nobody handles. */
void inject_undef(struct guest_frame *f, uint64_t esr_el2);

void inject_serror(void);

#endif
