/* mem: distinct types for physical (PA), guest-physical (IPA) and virtual (VA) addresses, so the
 * memory-extent and address-space APIs cannot be handed one where the other is meant. */
#ifndef MEM_H
#define MEM_H

#include "util.h"

/* One-member structs: mixing them is a compile error, and the wrappers cost nothing. */
typedef struct {
	uint64_t bits;
} mem_pa_t;
typedef struct {
	uint64_t bits;
} mem_ipa_t;
typedef struct {
	uint64_t bits;
} mem_va_t;

_Static_assert(!__builtin_types_compatible_p(mem_pa_t, mem_ipa_t), "PA and IPA must differ");
_Static_assert(!__builtin_types_compatible_p(mem_pa_t, mem_va_t), "PA and VA must differ");

#define MEM_PAGE_SIZE  4096ULL
#define MEM_PAGE_SHIFT 12U

static inline mem_pa_t mem_pa(uint64_t bits)
{
	return (mem_pa_t){bits};
}

static inline mem_ipa_t mem_ipa(uint64_t bits)
{
	return (mem_ipa_t){bits};
}

static inline bool mem_is_page_aligned(uint64_t v)
{
	return IS_ALIGNED(v, MEM_PAGE_SIZE);
}

#endif
