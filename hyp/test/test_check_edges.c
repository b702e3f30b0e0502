/* test_check_edges: argument checks at their edges, and checks that must come first. Each test
 * here was missing until make mutation showed a change to the check (a bound moved by one, the
 * check dropped) that every other test let through. */
#include "abi.h"
#include "hypercall.h"
#include "root_memory.h"
#include "test_util.h"
#include "vic.h"

/* A call for a type this build lacks is UNIMPLEMENTED whatever its caps: the type is checked
 * before them, as a hypercall that does not exist answers before looking at its arguments. */
TEST(create_of_unbuilt_type_is_unimplemented_before_its_caps_are_looked_at)
{
	struct core_ctx ctx = root_ctx(arena);

	CHECK_EQ(ERROR_UNIMPLEMENTED, core_partition_create(&ctx, OBJ_VPM_GROUP, 0, 0).error);
	CHECK_EQ(ERROR_UNIMPLEMENTED,
	         core_partition_create(&ctx, OBJ_VPM_GROUP, 12345, arena->root.cspace_cap).error);
	CHECK_EQ(
	    ERROR_UNIMPLEMENTED,
	    core_partition_create(&ctx, OBJ_VPM_GROUP, arena->root.partition_cap, 12345).error);
}

/* An affinity shift selects a bit of the 64-bit MPIDR: 63 is the last there is. */
TEST(vgic_mpidr_mapping_shift_63_is_the_last_accepted)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t vic = make_obj(arena, OBJ_VIC);
	const uint64_t ok[4] = {0, 8, 16, 63};

	CHECK_EQ(OK, core_vgic_set_mpidr_mapping(&ctx, vic, 0xFFU, ok, 0));
	for (unsigned i = 0; i < 4; i++) {
		uint64_t shifts[4] = {0, 8, 16, 32};

		shifts[i] = 64;
		CHECK_EQ(ERROR_ARGUMENT_INVALID,
		         core_vgic_set_mpidr_mapping(&ctx, vic, 0xFFU, shifts, 0));
	}
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vgic_set_mpidr_mapping(&ctx, vic, 0xFFU, ok, 2));
	CHECK_EQ(ERROR_ARGUMENT_INVALID, core_vgic_set_mpidr_mapping(&ctx, vic, 0, ok, 1));
}

/* The root's memory is given in pages: a base or size off a page boundary is refused and nothing
 * is allocated for it. */
TEST(root_memory_off_a_page_boundary_is_alignment_and_allocates_nothing)
{
	size_t used = root_used(arena);

	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         root_memory_init(arena->root.partition, mem_pa(0xA0000800ULL), 0x10000, 1U));
	CHECK_EQ(ERROR_ARGUMENT_ALIGNMENT,
	         root_memory_init(arena->root.partition, mem_pa(0xA0000000ULL), 0x10800, 1U));
	CHECK_EQ(used, root_used(arena));
	CHECK(arena->root.partition->memdb == NULL);
}

/* A VIC deleted before it was activated has no VIRQ table: deleting it gives back exactly what
 * creating it took. */
TEST(vic_deleted_unactivated_gives_back_exactly_its_object)
{
	struct core_ctx ctx = root_ctx(arena);
	size_t used = root_used(arena);
	cap_id_t vic = make_obj(arena, OBJ_VIC);

	CHECK_EQ(OK, core_vic_configure(&ctx, vic, 1, 64, 0, 0));
	CHECK_EQ(NULL, ((struct vic *)obj_of(arena, vic))->irqs);
	CHECK_EQ(OK, core_cspace_delete_cap_from(&ctx, arena->root.cspace_cap, vic));
	CHECK_EQ(used, root_used(arena));
}

/* A vCPU without a cspace (a thread created without one) names no caps: every call that takes a
 * cap answers ARGUMENT_INVALID before its handler runs (make test's fuzzer found the handler's NULL
 * cspace dereference; make mutation then found the dispatcher's check dropped passing every test:
 * only the fuzzer's regression input, which make mutation does not replay, reached it). */
TEST(cap_taking_calls_of_a_vcpu_without_a_cspace_are_argument_invalid)
{
	struct vcpu no_cspace = {0};
	/* object_activate (0x0c), cspace_delete_cap_from (0x22), vic_configure (0x28): each row
	 * takes a cap in x0. */
	const uint16_t calls[] = {0x0c, 0x22, 0x28};
	(void)arena;

	for (unsigned i = 0; i < 3; i++) {
		struct hypercall_regs in = {.x = {0x1234, 1, 64, 0, 0, 0, 0, 0}};
		struct hypercall_result res =
		    hypercall_trap(&no_cspace, true, HYP_HVC_IMM_BASE + calls[i], &in);

		CHECK_EQ((uint64_t)ERROR_ARGUMENT_INVALID, res.x[0]);
		/* The same call through SMCCC (hvc #0, its function ID in x0, arguments from x1):
		 * that path has its own check. */
		in = (struct hypercall_regs){.x = {SMCCC_HYPERCALL_BASE + calls[i], 0x1234, 1, 64}};
		res = hypercall_trap(&no_cspace, true, 0, &in);
		CHECK_EQ((uint64_t)ERROR_ARGUMENT_INVALID, res.x[0]);
	}
}
