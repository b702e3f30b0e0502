/* test_vmmio: addrspace_configure_vmmio's range table (addrspace.c) and the VMMIO exit of a vCPU in
 * a proxy run (vcpu_vmmio_exit in vcpu_calls.c, with sched.c's proxy run). */
#include "addrspace.h"
#include "cpu_local.h"
#include "error.h"
#include "test.h"
#include "thread.h"
#include "vcpu.h"

#define VMMIO_ADD    ADDRSPACE_VMMIO_OP_ADD
#define VMMIO_REMOVE ADDRSPACE_VMMIO_OP_REMOVE
#define RUN_READ     4U
#define RUN_WRITE    5U

static struct addrspace vmmio_as;

TEST(vmmio_ranges_follow_upstreams_errors_and_limit)
{
	struct addrspace *as = &vmmio_as;

	(void)arena;
	*as = (struct addrspace){0};
	CHECK_EQ(ERROR_UNIMPLEMENTED, addrspace_configure_vmmio(as, 0x1000, 0x1000, 2));
	CHECK_EQ(ERROR_ARGUMENT_SIZE, addrspace_configure_vmmio(as, 0x1000, 0, VMMIO_ADD));
	CHECK_EQ(ERROR_ADDR_OVERFLOW, addrspace_configure_vmmio(as, ~0xFFFULL, 0x1000, VMMIO_ADD));
	CHECK_EQ(ERROR_ARGUMENT_SIZE,
	         addrspace_configure_vmmio(as, ADDRSPACE_VMMIO_END - 8, 9, VMMIO_ADD));
	CHECK_EQ(OK, addrspace_configure_vmmio(as, ADDRSPACE_VMMIO_END - 8, 8, VMMIO_ADD));
	/* Bytes, no alignment: [0x1003, 0x1008) */
	CHECK_EQ(OK, addrspace_configure_vmmio(as, 0x1003, 5, VMMIO_ADD));
	CHECK_EQ(ERROR_BUSY, addrspace_configure_vmmio(as, 0x1007, 1, VMMIO_ADD));
	CHECK_EQ(OK, addrspace_configure_vmmio(as, 0x1008, 1, VMMIO_ADD));
	CHECK(addrspace_vmmio_covers(as, 0x1004, 4));
	CHECK(!addrspace_vmmio_covers(as, 0x1004, 8)); /* across two ranges */
	CHECK(!addrspace_vmmio_covers(as, 0x1000, 4));
	CHECK_EQ(ERROR_BUSY, addrspace_configure_vmmio(as, 0x1003, 4, VMMIO_REMOVE));
	CHECK_EQ(OK, addrspace_configure_vmmio(as, 0x1003, 5, VMMIO_REMOVE));
	CHECK_EQ(ERROR_BUSY, addrspace_configure_vmmio(as, 0x1003, 5, VMMIO_REMOVE));
	CHECK(!addrspace_vmmio_covers(as, 0x1004, 4));
	CHECK(addrspace_vmmio_covers(as, 0x1008, 1)); /* moved into the freed slot */
	while (as->vmmio_count < ADDRSPACE_MAX_VMMIO_RANGES) {
		CHECK_EQ(OK, addrspace_configure_vmmio(as, 0x100000 + 0x1000ULL * as->vmmio_count,
		                                       0x1000, VMMIO_ADD));
	}
	CHECK_EQ(ERROR_NORESOURCES, addrspace_configure_vmmio(as, 0x10000000, 0x1000, VMMIO_ADD));
	CHECK_EQ(OK, addrspace_configure_vmmio(as, 0x1008, 1, VMMIO_REMOVE));
	CHECK_EQ(OK, addrspace_configure_vmmio(as, 0x10000000, 0x1000, VMMIO_ADD));
}

static void vmmio_fake(struct vcpu *v, struct cpu_local *cpu, struct thread *th)
{
	*v = (struct vcpu){.power = VCPU_POWER_ON, .cpu = cpu, .thread = th};
	sched_node_init(&v->sched);
}

TEST(vmmio_access_in_a_proxy_run_ends_it_with_state_4_or_5)
{
	struct cpu_local cpu = {0};
	struct thread th = {.addrspace = &vmmio_as};
	struct vcpu c, t;

	(void)arena;
	vmmio_as = (struct addrspace){0};
	CHECK_EQ(OK, addrspace_configure_vmmio(&vmmio_as, 0x9000000, 0x1000, VMMIO_ADD));
	sched_init(&cpu.sched);
	vmmio_fake(&c, &cpu, NULL);
	vmmio_fake(&t, &cpu, &th);
	sched_wake(&cpu.sched, &c);
	CHECK(sched_pick(&cpu.sched) == &c);
	/* Not in a proxy run (not even proxied): the abort is injected. */
	CHECK(!vcpu_vmmio_exit(&c, 0x9000000, 4, false, 0, 0));
	sched_set_proxied(&cpu.sched, &t);
	sched_wake(&cpu.sched, &t);
	sched_run_proxied(&cpu.sched, &t);
	CHECK(sched_pick(&cpu.sched) == &t);
	/* Past the range's end: not covered, the run goes on. */
	CHECK(!vcpu_vmmio_exit(&t, 0x9000FFC, 8, false, 0, 0));
	CHECK_EQ(SCHED_NONE, cpu.sched.pending);
	CHECK(vcpu_vmmio_exit(&t, 0x9000010, 2, true, 0xBEEF, 7));
	CHECK(sched_pick(&cpu.sched) == &c);
	CHECK_EQ(0, c.regs.x[0]);
	CHECK_EQ(RUN_WRITE, c.regs.x[1]);
	CHECK_EQ(0x9000010, c.regs.x[2]);
	CHECK_EQ(2, c.regs.x[3]);
	CHECK_EQ(0xBEEF, c.regs.x[4]);
	CHECK(t.sched.is_held && t.sched.runs_for == NULL);
	/* A read's value word is 0 until the proxy gives one. */
	t.vmmio.state = 0;
	sched_run_proxied(&cpu.sched, &t);
	CHECK(sched_pick(&cpu.sched) == &t);
	CHECK(vcpu_vmmio_exit(&t, 0x9000ff8, 8, false, 0x1234, 7));
	CHECK(sched_pick(&cpu.sched) == &c);
	CHECK_EQ(RUN_READ, c.regs.x[1]);
	CHECK_EQ(0x9000ff8, c.regs.x[2]);
	CHECK_EQ(8, c.regs.x[3]);
	CHECK_EQ(0, c.regs.x[4]);
	CHECK_EQ(7, t.vmmio.syndrome);
}
