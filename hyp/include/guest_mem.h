/* guest_mem: copies between hypervisor memory and a vCPU's virtual addresses, through its stage 1
 * and Stage 2 (the arch layer; the host stand-in has windows a test maps). */
#ifndef GUEST_MEM_H
#define GUEST_MEM_H

#include "error.h"
#include "util.h"

struct vcpu;

/* The most a single copy moves (a message is at most 1023 bytes; the EL2 copy moves at most
 * 1024 bytes in one run, guest_copy.S). */
#define GUEST_MEM_MAX_COPY 1024U

/*
 * All or nothing: every byte of [va, va + size) must translate, at stage 1 and Stage 2, to the VM's
 * RAM (readable; for copy_to, writable) or the result is ADDR_INVALID and nothing was copied. A
 * range that wraps is ADDR_INVALID. size <= GUEST_MEM_MAX_COPY (the caller's invariant).
 */
error_t arch_copy_from_guest(struct vcpu *vcpu, void *dst, uint64_t va, size_t size);
error_t arch_copy_to_guest(struct vcpu *vcpu, uint64_t va, const void *src, size_t size);

#endif
