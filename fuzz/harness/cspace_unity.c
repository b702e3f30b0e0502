/* cspace_unity: hyp/core/cspace.c built inside this file, so the fuzzers can reset its ID generator
 * between inputs and decode IDs exactly as the core does (without changing the core). */
#include "cspace.c"

#include "world.h"

static uint64_t cspace_unity_initial_state;

/* Runs before any cspace exists: remember the generator's start so every input sees the same IDs.
 */
__attribute__((constructor)) static void cspace_unity_save_state(void)
{
	cspace_unity_initial_state = cspace_prng_state;
}

void world_cspace_reset_ids(void)
{
	cspace_prng_state = cspace_unity_initial_state;
}

cap_id_t world_cspace_id_of(const struct cspace *cs, uint32_t index)
{
	return cspace_encode(cs, index);
}

struct cap *world_cspace_slot(const struct cspace *cs, cap_id_t id)
{
	return cspace_decode(cs, id);
}
