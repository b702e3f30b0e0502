/* oracle: the invariants a core fuzzer checks after every call; a broken one aborts naming it. */
#ifndef FUZZ_ORACLE_H
#define FUZZ_ORACLE_H

#include <stdbool.h>
#include <stdint.h>

/* Print "humpy-fuzz: INVARIANT <name> broken: <detail>" and abort (the fuzzer records a crash). */
_Noreturn void oracle_fail(const char *invariant, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The whole world: heap structure of every partition, object types and states, type limits,
 * every cap slot, every object's cap list, exact reference counts, and memory accounting (each
 * partition's bytes in use equal what its live objects and their buffers hold; nothing leaked).
 */
void oracle_check_world(void);

/* One partition's heap: free runs sorted, inside it, aligned, merged; free + used = size. */
struct partition;
void oracle_check_heap(const struct partition *p);

/* Slots s .. s+ORACLE_ZERO_RUN-1 of @slots (s a multiple of it, all inside max_caps) are all zero
 * bytes: empty and cleared (CAP_STATE_NULL is 0). Read without AddressSanitizer's checks (oracle.c
 * says why). */
#define ORACLE_ZERO_RUN 64U
struct cap;
bool oracle_zero_run(const struct cap *slots, uint32_t s, uint32_t max_caps);

/* After world_delete_everything: only the root objects are left and the root partition's memory
 * is back to where it started. */
void oracle_check_empty(void);

/*
 * A hash of everything a call could change; equal before and after a call that failed. It covers
 * every field oracle_check_world reads, with two exceptions it leaves to the next world check: cap
 * slots past each cspace's count-th occupied one (a filled slot there is cspace-count) and the
 * VMID bitmap's bits (addrspace-vmid; 8 KB, which cost more to hash after every call than the
 * world check they would save). Hence a call whose fingerprint is unchanged leaves a world the last
 * check passed, but for those two, and hypercall_seq skips the world check after it unless it
 * answered OK once the input has made an address space (the bitmap could have changed unseen):
 * the check runs after every call that changed the fingerprint since the last check, after every
 * call that answered OK once an address space exists, and at the end of an input whose last calls
 * went unchecked.
 */
uint64_t oracle_fingerprint(void);

#endif
