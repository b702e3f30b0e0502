/*
 * The page of guest RAM through which the host-side shim (fuzz/system/shim) and the fuzzing guest
 * (fuzz/system/guest) talk while QEMU runs: QEMU's RAM is a shared file, so both see the same
 * bytes. Compiled for both sides; only fixed-width fields, no pointers.
 */
#ifndef SYSFUZZ_MAILBOX_H
#define SYSFUZZ_MAILBOX_H

#include <stdint.h>

/* Guest-physical address of the mailbox (1:1 in the VM's RAM, 0x40000000 + 1 GiB), and where the
 * same byte lies in the RAM file (which starts at QEMU virt's RAM base, 0x40000000). */
#define SYSFUZZ_MAILBOX_IPA    0x7FF00000ull
#define SYSFUZZ_RAM_BASE       0x40000000ull
#define SYSFUZZ_MAILBOX_OFFSET (SYSFUZZ_MAILBOX_IPA - SYSFUZZ_RAM_BASE)
#define SYSFUZZ_MAILBOX_SIZE   0x10000u

#define SYSFUZZ_READY_MAGIC 0x5359535aU /* written by the guest once it waits for inputs */
#define SYSFUZZ_OP_SIZE     16u         /* one operation of an input (fuzz/system/README layout) */
#define SYSFUZZ_MAX_OPS     256u
#define SYSFUZZ_MAX_INPUT   (SYSFUZZ_OP_SIZE * SYSFUZZ_MAX_OPS)
#define SYSFUZZ_WHY_MAX     200u

enum sysfuzz_status {
	SYSFUZZ_OK = 0,        /* every operation ran and every check held */
	SYSFUZZ_INVARIANT = 1, /* a check failed: why[] says which, at operation `op` */
};

struct sysfuzz_mailbox {
	uint32_t magic;   /* guest: SYSFUZZ_READY_MAGIC when it waits for the first input */
	uint32_t request; /* host: bumped after input[] and len are written */
	uint32_t done;    /* guest: = request once that input has run */
	uint32_t status;  /* guest: enum sysfuzz_status of the last input */
	uint32_t len;     /* host: bytes of input[] */
	uint32_t op;      /* guest: index of the operation that failed a check */
	uint32_t ops_run; /* guest: operations run since boot (all inputs) */
	uint32_t pad;
	/* guest, in its counter's ticks (freq per second): how long it waited for the last input
	 * (from the previous answer to seeing this request) and how long the input ran */
	uint64_t freq, wait_ticks, run_ticks;
	char why[SYSFUZZ_WHY_MAX]; /* guest: NUL-terminated reason when status != OK */
	uint8_t input[SYSFUZZ_MAX_INPUT];
};

_Static_assert(sizeof(struct sysfuzz_mailbox) <= SYSFUZZ_MAILBOX_SIZE, "mailbox fits its window");

#endif
