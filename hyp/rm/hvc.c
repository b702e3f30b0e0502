/* hvc: every hypercall the RM makes goes through the SMCCC path (hvc #0, ID in x0, inputs from
 * x1): one instruction for all calls, so no per-call stub is needed. */
#include "hvc.h"

#define HVC_SMCCC_HYPERCALL_BASE 0xC6008000U

struct hvc_ret hvc_call(uint32_t num, const uint64_t *a, unsigned n)
{
	uint64_t in[7] = {0};
	struct hvc_ret r;

	for (unsigned i = 0; i < n && i < 7U; i++) {
		in[i] = a[i];
	}
	register uint64_t x0 __asm__("x0") = HVC_SMCCC_HYPERCALL_BASE + num;
	register uint64_t x1 __asm__("x1") = in[0];
	register uint64_t x2 __asm__("x2") = in[1];
	register uint64_t x3 __asm__("x3") = in[2];
	register uint64_t x4 __asm__("x4") = in[3];
	register uint64_t x5 __asm__("x5") = in[4];
	register uint64_t x6 __asm__("x6") = in[5];
	register uint64_t x7 __asm__("x7") = in[6];
	/* x8..x17 are the hypervisor's to clobber (§1a); the rest survive. */
	__asm__ volatile(
	    "hvc #0"
	    : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
	    :
	    : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[4] = x4;
	r.x[5] = x5;
	r.x[6] = x6;
	r.x[7] = x7;
	return r;
}

uint64_t hvc_err(uint32_t num, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const uint64_t a[3] = {a0, a1, a2};

	return hvc_call(num, a, 3).x[0];
}

uint64_t hvc_create(uint32_t create_call, uint64_t partition, uint64_t cspace, uint64_t *err)
{
	const uint64_t a[2] = {partition, cspace};
	struct hvc_ret r = hvc_call(create_call, a, 2);

	*err = r.x[0];
	return r.x[0] == HVC_OK ? r.x[1] : ~0ULL;
}
