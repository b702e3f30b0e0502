/* doorbell: the doorbell object's state; its lifecycle here, send/receive/mask with the doorbell
 * module. */
#ifndef DOORBELL_H
#define DOORBELL_H

#include "object.h"

struct doorbell {
	struct object hdr;
	uint64_t flags;
	uint64_t enable_mask;
	uint64_t ack_mask;
};

extern const struct obj_ops doorbell_ops;

#endif
