/* host: the host stand-in for the arch layer (unit tests, fuzzers): malloc'd arena, panic() aborts.
 */
#include "host.h"

#include "abi.h"
#include "arch.h"

#include "guest_mem.h"
#include "hwirq.h"
#include "vic.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void log_vprintf(const char *fmt, va_list ap)
{
	vfprintf(stderr, fmt, ap);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

/* A panic is a hypervisor bug: abort so the sanitizers and fuzzers record where. */
_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	fputs("humpy: PANIC ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* A guest's SYSTEM_OFF reaching the host build is a test bug: stop loudly. */
_Noreturn void arch_system_off(void)
{
	panic("arch_system_off on the host");
}

/* No firmware unless a test says so: every workaround "not implemented". */
struct host_firmware host_firmware = {.answer = {-1, -1, -1}};

static int host_firmware_index(uint32_t fid)
{
	switch (fid) {
	case SMCCC_ARCH_WORKAROUND_1_FN:
		return 0;
	case SMCCC_ARCH_WORKAROUND_2_FN:
		return 1;
	case SMCCC_ARCH_WORKAROUND_3_FN:
		return 2;
	default:
		return -1;
	}
}

void arch_firmware_probe(void)
{
}

int32_t arch_firmware_arch_feature(uint32_t fid)
{
	int i = host_firmware_index(fid);

	return i < 0 ? -1 : host_firmware.answer[i];
}

void arch_firmware_arch_call(uint32_t fid, uint32_t arg)
{
	host_firmware.calls++;
	host_firmware.last_fid = fid;
	host_firmware.last_arg = arg;
}

void host_arena_init(struct host_arena *arena, size_t size, uint64_t seed)
{
	arena->mem = malloc(size);
	if (arena->mem == NULL) {
		panic("host_arena_init: malloc(%zu) failed", size);
	}
	arena->size = size;
	arena->root = root_create(arena->mem, size, seed);
}

void host_arena_fini(struct host_arena *arena)
{
	free(arena->mem);
	arena->mem = NULL;
}

/* No list registers on the host: the VIC's state is all there is (tests read it directly). */
void arch_vic_changed(struct vic *vic)
{
	(void)vic;
}

void arch_vic_released(struct vic *vic)
{
	(void)vic;
}

void arch_hwirq_bound(struct hwirq *hwirq, bool is_bound)
{
	(void)hwirq;
	(void)is_bound;
}

/* The arch stand-in's own state: what a test mapped (a real guest's page tables, on the host). */
static struct {
	uint64_t va;
	uint8_t *mem;
	size_t size;
	bool is_writable;
} host_windows[HOST_GUEST_WINDOWS];

void host_guest_map(uint64_t va, void *mem, size_t size, bool is_writable)
{
	for (unsigned i = 0; i < HOST_GUEST_WINDOWS; i++) {
		if (host_windows[i].mem == NULL) {
			host_windows[i].va = va;
			host_windows[i].mem = mem;
			host_windows[i].size = size;
			host_windows[i].is_writable = is_writable;
			return;
		}
	}
	panic("host_guest_map: more than %d windows", HOST_GUEST_WINDOWS);
}

void host_guest_unmap_all(void)
{
	memset(host_windows, 0, sizeof(host_windows));
}

/* Host memory behind guest VA @va, if the byte is mapped (and writable when asked). */
static uint8_t *host_guest_byte(uint64_t va, bool is_write)
{
	for (unsigned i = 0; i < HOST_GUEST_WINDOWS; i++) {
		if (host_windows[i].mem != NULL && va - host_windows[i].va < host_windows[i].size &&
		    va >= host_windows[i].va && (!is_write || host_windows[i].is_writable)) {
			return host_windows[i].mem + (va - host_windows[i].va);
		}
	}
	return NULL;
}

/* Validates every byte before moving one, like the EL2 version's page walk. */
static error_t host_guest_copy(uint64_t va, uint8_t *host, size_t size, bool to_guest)
{
	if (size > GUEST_MEM_MAX_COPY) {
		panic("guest copy of %zu bytes", size);
	}
	if (va + size < va) {
		return ERROR_ADDR_INVALID;
	}
	for (size_t i = 0; i < size; i++) {
		if (host_guest_byte(va + i, to_guest) == NULL) {
			return ERROR_ADDR_INVALID;
		}
	}
	for (size_t i = 0; i < size; i++) {
		uint8_t *g = host_guest_byte(va + i, to_guest);
		if (to_guest) {
			*g = host[i];
		} else {
			host[i] = *g;
		}
	}
	return OK;
}

error_t arch_copy_from_guest(struct vcpu *vcpu, void *dst, uint64_t va, size_t size)
{
	(void)vcpu;
	return host_guest_copy(va, dst, size, false);
}

error_t arch_copy_to_guest(struct vcpu *vcpu, uint64_t va, const void *src, size_t size)
{
	(void)vcpu;
	return host_guest_copy(va, (uint8_t *)(uintptr_t)src, size, true);
}
