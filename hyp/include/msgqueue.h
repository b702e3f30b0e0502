/* msgqueue: the message queue object: a ring of depth slots of up to max_msg_size bytes, a send
 * side and a receive side each raising its own VIRQ by threshold (reference §4). */
#ifndef MSGQUEUE_H
#define MSGQUEUE_H

#include "object.h"
#include "virq.h"

struct vcpu;

/* Spec limits msgqueue_max_depth / msgqueue_max_msg_size (inclusive). */
#define MSGQUEUE_MAX_DEPTH    255U
#define MSGQUEUE_MAX_MSG_SIZE 1023U

/* send_flags bit 0: raise the receive VIRQ whatever the threshold. */
#define MSGQUEUE_SEND_PUSH BIT(0)
/* Threshold values of configure_send/receive that are not counts; the only delay accepted. */
#define MSGQUEUE_THRESHOLD_UNCHANGED ((uint64_t)-1)
#define MSGQUEUE_THRESHOLD_MAXIMUM   ((uint64_t)-2) /* receive: the queue's depth */
#define MSGQUEUE_DELAY_UNCHANGED     ((uint64_t)-1)

struct msgqueue {
	struct object hdr;
	uint16_t depth;        /* 0 until configured */
	uint16_t max_msg_size; /* 0 until configured */
	/* depth slots of (size word + max_msg_size bytes), allocated on activation. */
	uint8_t *buf;
	size_t buf_size;
	size_t slot_size; /* buf_size / depth: the size word and max_msg_size rounded up to 8 */
	uint32_t count;   /* messages queued */
	uint32_t head;    /* slot of the oldest */
	uint32_t notfull_threshold;  /* send VIRQ while count <= it */
	uint32_t notempty_threshold; /* receive VIRQ while count >= it */
	struct virq_source send_source;
	struct virq_source receive_source;
};

/*
 * create_info: bits 15:0 queue depth, 31:16 max message size, the rest must be 0. While INIT only
 * (the caller checks the state). ARGUMENT_INVALID unless 1 <= depth <= 255 and 1 <= size <= 1023.
 */
error_t msgqueue_configure(struct msgqueue *msgqueue, uint64_t create_info);

/* What send and receive give back besides the error. */
struct msgqueue_result {
	error_t error;
	uint32_t size; /* receive: bytes of the message */
	bool more;     /* send: not_full; receive: not_empty */
};

/*
 * The message bytes move through the caller's translation (guest_mem.h: all or nothing,
 * ADDR_INVALID when any byte cannot be reached). ARGUMENT_SIZE (0 or > max_msg_size),
 * MSGQUEUE_FULL, ADDR_INVALID; else queued. Nothing changes on error.
 */
struct msgqueue_result msgqueue_send(struct msgqueue *mq, uint64_t size, uint64_t data,
                                     uint64_t flags, struct vcpu *from);
/* MSGQUEUE_EMPTY, ADDR_OVERFLOW (head message larger than buf_size), ADDR_INVALID; else dequeued.
 * Nothing changes on error. */
struct msgqueue_result msgqueue_receive(struct msgqueue *mq, uint64_t buffer, uint64_t buf_size,
                                        struct vcpu *to);
void msgqueue_flush(struct msgqueue *mq);
/* ARGUMENT_INVALID for a threshold out of range, then UNIMPLEMENTED for any delay but -1. */
error_t msgqueue_configure_send(struct msgqueue *mq, uint64_t threshold, uint64_t delay);
error_t msgqueue_configure_receive(struct msgqueue *mq, uint64_t threshold, uint64_t delay);

/* On activation: the sides' level conditions (count <= notfull / count >= notempty threshold). */
void msgqueue_init_sources(struct msgqueue *mq);
struct virq_source *msgqueue_send_source(struct object *obj);
struct virq_source *msgqueue_receive_source(struct object *obj);

extern const struct obj_ops msgqueue_ops;

#endif
