/* root: the objects the hypervisor makes at boot for the root VM (partition, cspace) and the caps
 * it gets. */
#ifndef ROOT_H
#define ROOT_H

#include <stddef.h>
#include <stdint.h>

#include "cspace.h"
#include "partition.h"

struct root_objects {
	struct partition *partition;
	struct cspace *cspace;  /* the root VM's cspace (one reference is the boot vCPU's) */
	cap_id_t partition_cap; /* master caps, all rights, both in cspace */
	cap_id_t cspace_cap;
};

/*
 * Make the root partition over [base, base+size) and the root cspace (CSPACE_MAX_CAPS slots)
 * holding the master caps of both; @seed starts the root partition's generator (cap ID keys; the
 * same seed gives the same IDs). Boot-time: failure is the hypervisor's own bug and panics.
 */
struct root_objects root_create(void *base, size_t size, uint64_t seed);

#endif
