/* child_run: the root guest's side of the child VM: build it from hypercalls, run it once, keep
 * what it reported for every child.* test (README.md). */
#ifndef CHILD_RUN_H
#define CHILD_RUN_H

#include <humpy/child.h>
#include <humpy/test.h>

/* Where the root guest maps the child's RAM into its own address space to copy the image in. */
#define CHILD_PARENT_LOAD_IPA 0xE0000000ULL

/* CHILD_MODE_VGIC: the SPI of the child's own VIC that the root VM's doorbell is bound to. */
#define CHILD_VGIC_VIRQ 40
/* How long the root VM waits for its own expired virtual timer's PPI after the child's run. */
#define CHILD_ROOT_VT_WAIT_MS 50

/* What one run of the child VM left: its shared page and the root guest's side of the exchange. */
struct child_result {
	struct child_shared sh;
	u64 c2p_x0, c2p_size, c2p_not_empty, c2p_bad_byte; /* the root guest's receive */
	u32 db_taken;                                      /* the doorbell VIRQ, counted */
	u64 db_virq;
	u64 db_recv_x0, db_recv_flags;   /* doorbell_receive(all ones) after it */
	u64 alias_x0;                    /* activation of an extent over the other VM's page */
	u64 vgic_send_x0, vgic_send_old; /* CHILD_MODE_VGIC: the root VM's doorbell_send */
	/* CHILD_MODE_VGIC, after the child powered off with its timer's PPI injected: the root
	 * VM's own virtual timer, expired with IRQs masked, as ICC_IAR1_EL1 acknowledged it (1023:
	 * nothing pending) within CHILD_ROOT_VT_WAIT_MS; 0 when not checked. */
	u64 root_vt_iar;
	/* A load from the root VM's copy window after its unmap. */
	u64 unmapped_taken, unmapped_esr, unmapped_far;
};

/*
 * Runs the child VM in `mode` (CHILD_MODE_*) on the first call of a boot (later calls return that
 * run). NULL with `why` set when a test must SKIP (the build lacks what the child needs) or stop
 * (the build failed: a FAIL or ERROR is recorded in the test that ran it, `why` says so for the
 * others).
 */
const struct child_result *child_get(u64 mode, const char **why, bool *skip);

/*
 * CHILD_TEST(name) { ... } defines test child.name with `res` (const struct child_result *) of the
 * CHILD_MODE_ISOLATION run (CHILD_MODE_TEST: of `mode`'s): SKIP or ERROR as child_get says, the
 * body otherwise.
 */
#define CHILD_TEST(name) CHILD_MODE_TEST(name, CHILD_MODE_ISOLATION)
#define CHILD_MODE_TEST(name, mode)                                                                \
	static void child_body_##name(const struct child_result *res);                             \
	TEST(child, name)                                                                          \
	{                                                                                          \
		const char *why_ = NULL;                                                           \
		bool skip_ = false;                                                                \
		const struct child_result *res_ = child_get((mode), &why_, &skip_);                \
		if (res_ == NULL) {                                                                \
			if (skip_)                                                                 \
				SKIP("%s", why_);                                                  \
			if (!test_has_failed())                                                    \
				test_error("%s", why_);                                            \
			return;                                                                    \
		}                                                                                  \
		child_body_##name(res_);                                                           \
	}                                                                                          \
	static void child_body_##name(const struct child_result *res)

#endif
