/* hvc: every hypercall the RM makes goes through the SMCCC path (hvc #0, ID in x0, inputs from
 * x1): one entry (hvc_entry.S) for all calls, so no per-call stub is needed. */
#include "gic.h"
#include "hvc.h"

#define HVC_SMCCC_HYPERCALL_BASE 0xC6008000U

/* hvc_entry.S. */
void hvc_entry(uint64_t regs[8]);

struct hvc_ret hvc_call(uint32_t num, const uint64_t *a, unsigned n)
{
	struct hvc_ret r = {.x = {HVC_SMCCC_HYPERCALL_BASE + num}};

	for (unsigned i = 0; i < n && i < 7U; i++) {
		r.x[i + 1] = a[i];
	}
	hvc_entry(r.x);
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

int hvc_msgqueue_send_waiting(uint64_t queue, uint32_t room_virq, unsigned max_waits,
                              const void *msg, size_t len)
{
	for (unsigned i = 0; i < max_waits; i++) {
		const uint64_t a[4] = {queue, len, (uint64_t)(uintptr_t)msg, HVC_MSGQUEUE_PUSH};
		uint64_t err = hvc_call(HVC_MSGQUEUE_SEND, a, 4).x[0];

		if (err != HVC_ERROR_MSGQUEUE_FULL) {
			return err == HVC_OK ? 0 : -1;
		}
		gic_enable_spi(room_virq);
		__asm__ volatile("wfi" ::: "memory");
		gic_disable_spi(room_virq);
		(void)gic_ack();
	}
	return -1;
}
