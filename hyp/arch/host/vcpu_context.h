/* vcpu_context: the host stand-in has no EL1 state to save; a vCPU's context is its registers
 * (vcpu.h) and this record of what the arch was asked to do, which unit tests read. */
#ifndef VCPU_CONTEXT_H
#define VCPU_CONTEXT_H

#include <stdint.h>

struct vcpu_context {
	uint64_t sp_el[2];
	unsigned resets;
	unsigned stops; /* arch_vcpu_stopped */
};

#endif
