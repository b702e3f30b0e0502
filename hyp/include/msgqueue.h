/* msgqueue: the message queue object's configuration and buffer; send/receive come with the
 * msgqueue module. */
#ifndef MSGQUEUE_H
#define MSGQUEUE_H

#include "object.h"

/* Spec limits msgqueue_max_depth / msgqueue_max_msg_size (inclusive). */
#define MSGQUEUE_MAX_DEPTH    255U
#define MSGQUEUE_MAX_MSG_SIZE 1023U

struct msgqueue {
	struct object hdr;
	uint16_t depth;        /* 0 until configured */
	uint16_t max_msg_size; /* 0 until configured */
	/* depth slots of (size word + max_msg_size bytes), allocated on activation. */
	uint8_t *buf;
	size_t buf_size;
	uint32_t count;
	uint32_t head;
	uint32_t notfull_threshold;
	uint32_t notempty_threshold;
};

/*
 * create_info: bits 15:0 queue depth, 31:16 max message size, the rest must be 0. While INIT only
 * (the caller checks the state). ARGUMENT_INVALID unless 1 <= depth <= 255 and 1 <= size <= 1023.
 */
error_t msgqueue_configure(struct msgqueue *msgqueue, uint64_t create_info);

extern const struct obj_ops msgqueue_ops;

#endif
