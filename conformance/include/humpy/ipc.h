/* ipc: what the msgq, doorbell and vic tests share: feature checks, the guest's own VIC, fixtures.
 */
#ifndef HUMPY_IPC_H
#define HUMPY_IPC_H

#include <humpy/irq.h>
#include <humpy/mmu.h>
#include <humpy/root.h>

#define UNUSED_ARG __attribute__((unused))

/*
 * The guest's own VIC and vCPU caps in the root cspace, from /chosen humpy,root-vic-cap and
 * humpy,root-vcpu-cap (ROOT_PROFILE.md); all ones or absent = none. VIRQs bound to that VIC are
 * the guest's own INTIDs.
 */
struct ipc_self {
	u64 vic;
	u64 vcpu;
};

#define IPC_NO_VIC_REASON "no own VIC cap (/chosen humpy,root-vic-cap absent or all ones)"
#define IPC_NO_IRQ_REASON "guest GIC not set up (see the time limit's message at boot)"

/* The reason to SKIP, or NULL: identify flags0 bit clear, no root caps, no own VIC (if needed). */
const char *ipc_missing(u64 flags0_bit, const char *feature, bool need_vic);
bool ipc_self_get(struct ipc_self *self);

/* Per-test state around the body: interrupts and the test window reset, bindings undone. */
void ipc_begin(void);
void ipc_end(const struct root_caps *rc);

/*
 * IPC_TEST(area, name, flag, feature, need_vic) { ... } defines test area.name with `rc` and
 * `self` (const struct ipc_self *, vic/vcpu GH_CAP_INVALID when absent): SKIP with the reason if
 * the feature, the root caps or (need_vic) the own VIC are missing; cleanup however it returns.
 */
#define IPC_TEST(area, name, flag, feature, need_vic)                                              \
	static void area##_body_##name(const struct root_caps *rc UNUSED_ARG,                      \
	                               const struct ipc_self *self UNUSED_ARG);                    \
	TEST(area, name)                                                                           \
	{                                                                                          \
		struct root_caps rc_;                                                              \
		struct ipc_self self_;                                                             \
		const char *why_ = ipc_missing((flag), (feature), (need_vic));                     \
		if (why_)                                                                          \
			SKIP("%s", why_);                                                          \
		root_caps_get(&rc_);                                                               \
		ipc_self_get(&self_);                                                              \
		ipc_begin(); /* before root_begin deletes the caps its unbinds name */             \
		if (!root_begin(&rc_))                                                             \
			return;                                                                    \
		area##_body_##name(&rc_, &self_);                                                  \
		ipc_end(&rc_);                                                                     \
		root_end(&rc_);                                                                    \
	}                                                                                          \
	static void area##_body_##name(const struct root_caps *rc UNUSED_ARG,                      \
	                               const struct ipc_self *self UNUSED_ARG)

/*
 * VIRQs the tests bind to the own VIC: shared (SPI) INTIDs, IPC_VIRQ(0..IPC_VIRQ_COUNT-1). An
 * INTID no VIC can have: 1020 (special), an SGI, all ones.
 */
#define IPC_VIRQ_BASE  64
#define IPC_VIRQ_COUNT 8
#define IPC_VIRQ(n)    ((u64)IPC_VIRQ_BASE + (n))
/* One past the own VIC's last shared VIRQ: 32 * (GICD_TYPER.ITLinesNumber + 1) (ROOT_PROFILE.md).
 */
u64 ipc_virq_end(void);
/* How long an interrupt that should come may take, and how long to watch for one that should not.
 */
#define IPC_IRQ_WAIT_MS  50
#define IPC_IRQ_QUIET_MS 5

/* Remembers a bind so ipc_end undoes it (call = the unbind call, cap its object). */
void ipc_bound(u32 unbind_call, u64 cap);

/*
 * Enables `virq` in the guest's GIC (irq_enable), FAILs the test when it cannot. Then checks what
 * the handler took: exactly `times` of `virq` and nothing else (waiting at most IPC_IRQ_WAIT_MS
 * for them, then IPC_IRQ_QUIET_MS for any extra).
 */
bool ipc_irq_on(u64 virq);
bool ipc_irq_edge(u64 virq);
void ipc_expect_taken(const char *what, u64 virq, u32 times);
#define ASSERT_TAKEN(what, virq, times)                                                            \
	do {                                                                                       \
		ipc_expect_taken((what), (virq), (times));                                         \
		RETURN_IF_FAILED();                                                                \
	} while (0)

/* An activated message queue of `depth` x `size` (msgqueue_configure create_info), tracked. */
u64 mq_make(const struct root_caps *rc, u64 depth, u64 size);
static inline u64 mq_info(u64 depth, u64 size)
{
	return (depth & 0xffff) | ((size & 0xffff) << 16);
}
static inline struct gh_ret mq_send(u64 q, u64 size, const void *data, u64 flags)
{
	return hc(GH_HVC_MSGQUEUE_SEND, q, size, (u64)(uintptr_t)data, flags, 0);
}
static inline struct gh_ret mq_recv(u64 q, void *buf, u64 size)
{
	return hc(GH_HVC_MSGQUEUE_RECEIVE, q, (u64)(uintptr_t)buf, size, 0, 0);
}
#define MQ_PUSH 1ULL /* send_flags bit 0 (reference §4) */

/* Native results: x0 exact, x1 and x2 exact, x3..x7 zero (unused results are zeroed, §1a). */
#define ASSERT_RESULT2(what, ret, e0, e1, e2)                                                      \
	do {                                                                                       \
		struct gh_ret r2_ = (ret);                                                         \
		unsigned j_;                                                                       \
		ASSERT_EQ(what " (x0)", r2_.x[0], (e0));                                           \
		ASSERT_EQ(what " (x1)", r2_.x[1], (e1));                                           \
		ASSERT_EQ(what " (x2)", r2_.x[2], (e2));                                           \
		for (j_ = 3; j_ < 8; j_++)                                                         \
			ASSERT_EQ(what " (x3..x7)", r2_.x[j_], 0);                                 \
	} while (0)

/* A message pattern that differs per seed and per byte; the check FAILs at the first wrong byte. */
void ipc_pattern(u8 *buf, u64 size, u32 seed);
bool ipc_pattern_ok(const char *what, const u8 *buf, u64 size, u32 seed);
/* Every byte of buf[0..size) is `fill`; FAILs at the first that is not. */
bool ipc_bytes_are(const char *what, const u8 *buf, u64 size, u8 fill);
#define IPC_POISON 0xee

/*
 * Receives one message into a poisoned buffer of buf_size and checks it: OK, size, not_empty,
 * the bytes of pattern seed, and the byte after the message untouched. False (FAIL recorded) if
 * not.
 */
bool mq_expect_msg(const char *what, u64 q, u64 size, u32 seed, u64 not_empty);

/* An activated doorbell, tracked. */
u64 db_make(const struct root_caps *rc);
/* An activated VIC from the root partition configured (max_vcpus, max_virqs), tracked. */
u64 vic_make(const struct root_caps *rc, u64 max_vcpus, u64 max_virqs, bool activate);

/*
 * Every cap-lookup error of input `idx` of `call` (args[idx] a valid cap, the other inputs valid):
 * undecodable and all ones ARGUMENT_INVALID, a revoked copy CSPACE_CAP_REVOKED, `wrong` (another
 * type) CSPACE_WRONG_OBJECT_TYPE, a copy without `right` (if not 0) CSPACE_INSUFFICIENT_RIGHTS,
 * `inactive` (if not GH_CAP_INVALID; same type, wrong state) OBJECT_STATE, an empty slot
 * CSPACE_CAP_NULL (§2 cap lookup, §7). FAILs at the first mismatch.
 */
void ipc_cap_errors(const struct root_caps *rc, u32 call, const u64 args[5], unsigned idx,
                    u64 wrong, u64 right, u64 inactive);

/* create `call` into a full 1-slot cspace is CSPACE_FULL, from an exhausted child NOMEM (§2). */
void ipc_create_full_nomem(const struct root_caps *rc, u32 call);

/* Binds source `cap` with `bind_call` to the own VIC at `virq` and enables the INTID; FAILs if not.
 */
void ipc_bind(const struct ipc_self *self, u32 bind_call, u32 unbind_call, u64 cap, u64 virq);

#endif
