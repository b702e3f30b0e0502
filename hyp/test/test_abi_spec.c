/*
 * test_abi_spec: hyp's hand-written ABI (abi.h, error.h, rights.h, the native dispatch table)
 * agrees with conformance/spec/ number by number; a change on either side alone fails here.
 */
#include <ctype.h>
#include <string.h>

#include <gunyah_spec.h>
#include <spec_calls.h>

#include "abi.h"
#include "addrspace.h"
#include "cspace.h"
#include "error.h"
#include "msgqueue.h"
#include "partition.h"
#include "hypercall.h"
#include "rights.h"
#include "test.h"

static const struct spec_call *spec_by_name(const char *upper)
{
	for (unsigned i = 0; i < SPEC_NUM_CALLS; i++) {
		const char *a = spec_calls[i].name, *b = upper;

		while (*a != '\0' && *b != '\0' && *a == tolower((unsigned char)*b)) {
			a++;
			b++;
		}
		if (*a == '\0' && *b == '\0') {
			return &spec_calls[i];
		}
	}
	return NULL;
}

static const struct spec_call *spec_by_num(unsigned num)
{
	for (unsigned i = 0; i < SPEC_NUM_CALLS; i++) {
		if (spec_calls[i].num == num) {
			return &spec_calls[i];
		}
	}
	return NULL;
}

TEST(abi_h_names_every_spec_call_with_its_number)
{
	unsigned named = 0;

	(void)arena;
#define ABI_CHECK(name)                                                                            \
	do {                                                                                       \
		const struct spec_call *c = spec_by_name(#name);                                   \
		named++;                                                                           \
		if (c == NULL) {                                                                   \
			printf("  abi.h HYP_CALL_" #name ": no such call in the spec\n");          \
			CHECK(0);                                                                  \
		} else {                                                                           \
			CHECK_EQ(c->num, HYP_CALL_##name);                                         \
		}                                                                                  \
	} while (0);
	HYP_CALL_NAMES(ABI_CHECK)
	CHECK_EQ(SPEC_NUM_CALLS, named);
}

TEST(dispatch_table_rows_match_the_spec)
{
	unsigned handled = 0;

	(void)arena;
	CHECK_EQ(SPEC_HVC_MAX + 1, hypercall_table_size());
	CHECK(hypercall_desc_of(SPEC_HVC_MAX + 1) == NULL);
	for (unsigned num = 0; num < hypercall_table_size(); num++) {
		const struct hypercall_desc *d = hypercall_desc_of(num);
		const struct spec_call *c = spec_by_num(num);

		if (d->handler == NULL) {
			continue;
		}
		handled++;
		if (c == NULL) {
			printf("  table row 0x%x has a handler but the spec has no call there\n",
			       num);
			CHECK(0);
			continue;
		}
		/* A row looks caps up only where the spec has them (not every spec cap: those named
		 * in another cspace, or never looked up, are the handler's values). */
		if (d->inputs != c->n_inputs || d->res0_mask != c->res0_mask ||
		    d->res1_mask != c->res1_mask || (d->cap_mask & ~c->cap_mask) != 0 ||
		    ((c->cap_mask & 1U) != 0 && c->cap_rights[0] != 0 && (d->cap_mask & 1U) == 0)) {
			printf("  row 0x%x (%s): inputs %u res0 0x%x res1 0x%x caps 0x%x, spec %u "
			       "0x%x "
			       "0x%x 0x%x\n",
			       num, c->name, d->inputs, d->res0_mask, d->res1_mask, d->cap_mask,
			       c->n_inputs, c->res0_mask, c->res1_mask, c->cap_mask);
			CHECK(0);
		}
	}
	/* identify, the object/cspace calls (13), VIC (7), doorbell (7), msgqueue (11), memextent
	 * (5), addrspace (11) and vCPU/scheduler (13, with vcpu_run and vcpu_run_check) calls. */
	CHECK_EQ(68, handled);
}

TEST(error_codes_match_the_spec)
{
	(void)arena;
#define ERR(name) CHECK_EQ(GH_ERROR_##name, ERROR_##name)
	ERR(UNIMPLEMENTED);
	ERR(RETRY);
	ERR(ARGUMENT_INVALID);
	ERR(ARGUMENT_SIZE);
	ERR(ARGUMENT_ALIGNMENT);
	ERR(NOMEM);
	ERR(NORESOURCES);
	ERR(ADDR_OVERFLOW);
	ERR(ADDR_UNDERFLOW);
	ERR(ADDR_INVALID);
	ERR(DENIED);
	ERR(BUSY);
	ERR(IDLE);
	ERR(OBJECT_STATE);
	ERR(OBJECT_CONFIG);
	ERR(OBJECT_CONFIGURED);
	ERR(FAILURE);
	ERR(VIRQ_BOUND);
	ERR(VIRQ_NOT_BOUND);
	ERR(CSPACE_CAP_NULL);
	ERR(CSPACE_CAP_REVOKED);
	ERR(CSPACE_WRONG_OBJECT_TYPE);
	ERR(CSPACE_INSUFFICIENT_RIGHTS);
	ERR(CSPACE_FULL);
	ERR(MSGQUEUE_EMPTY);
	ERR(MSGQUEUE_FULL);
	ERR(ALLOCATOR_RANGE_OVERLAPPING);
	ERR(ALLOCATOR_MEM_INUSE);
	ERR(MEMDB_EMPTY);
	ERR(MEMDB_NOT_OWNER);
	ERR(MEMEXTENT_MAPPINGS_FULL);
	ERR(MEMEXTENT_TYPE);
	ERR(EXISTING_MAPPING);
	CHECK_EQ(GH_ERROR_OK, OK);
	CHECK_EQ(GH_ERROR_UNIMPLEMENTED, HYP_ERROR_UNIMPLEMENTED);
	CHECK_EQ(GH_ERROR_ARGUMENT_INVALID, HYP_ERROR_ARGUMENT_INVALID);
#undef ERR
}

TEST(rights_match_the_spec)
{
	(void)arena;
#define RIGHT(name) CHECK_EQ(GH_RIGHT_##name, RIGHT_##name)
	RIGHT(OBJECT_ACTIVATE);
	RIGHT(PARTITION_OBJECT_CREATE);
	RIGHT(PARTITION_DONATE);
	RIGHT(CSPACE_CAP_CREATE);
	RIGHT(CSPACE_CAP_DELETE);
	RIGHT(CSPACE_CAP_COPY);
	RIGHT(CSPACE_ATTACH);
	RIGHT(CSPACE_CAP_REVOKE);
	RIGHT(ADDRSPACE_ATTACH);
	RIGHT(ADDRSPACE_MAP);
	RIGHT(ADDRSPACE_LOOKUP);
	RIGHT(ADDRSPACE_ADD_VMMIO_RANGE);
	RIGHT(MEMEXTENT_MAP);
	RIGHT(MEMEXTENT_DERIVE);
	RIGHT(MEMEXTENT_ATTACH);
	RIGHT(MEMEXTENT_LOOKUP);
	RIGHT(MEMEXTENT_DONATE);
	RIGHT(THREAD_POWER);
	RIGHT(THREAD_AFFINITY);
	RIGHT(THREAD_PRIORITY);
	RIGHT(THREAD_TIMESLICE);
	RIGHT(THREAD_YIELD_TO);
	RIGHT(THREAD_BIND_VIRQ);
	RIGHT(THREAD_STATE);
	RIGHT(THREAD_LIFECYCLE);
	RIGHT(THREAD_WRITE_CONTEXT);
	RIGHT(THREAD_DISABLE);
	RIGHT(DOORBELL_SEND);
	RIGHT(DOORBELL_RECEIVE);
	RIGHT(DOORBELL_BIND);
	RIGHT(MSGQUEUE_SEND);
	RIGHT(MSGQUEUE_RECEIVE);
	RIGHT(MSGQUEUE_BIND_SEND);
	RIGHT(MSGQUEUE_BIND_RECEIVE);
	RIGHT(VIC_BIND_SOURCE);
	RIGHT(VIC_ATTACH_VCPU);
	RIGHT(VIC_ATTACH_VDEVICE);
	RIGHT(HWIRQ_BIND_VIC);
	RIGHT(VPM_GROUP_ATTACH_VCPU);
	RIGHT(VPM_GROUP_BIND_VIRQ);
	RIGHT(VPM_GROUP_QUERY);
#undef RIGHT
}

TEST(identify_smccc_and_limits_match_the_spec)
{
	(void)arena;
	CHECK_EQ(GH_API_INFO_EXPECTED, HYP_API_INFO);
	CHECK_EQ(GH_API_FLAG0_PARTITION_CSPACE, HYP_API_FLAG0_PARTITION_CSPACE);
	CHECK_EQ(GH_API_FLAG0_DOORBELL, HYP_API_FLAG0_DOORBELL);
	CHECK_EQ(GH_API_FLAG0_MSGQUEUE, HYP_API_FLAG0_MSGQUEUE);
	CHECK_EQ(GH_API_FLAG0_VIC, HYP_API_FLAG0_VIC);
	CHECK_EQ(GH_API_FLAG0_MEMEXTENT, HYP_API_FLAG0_MEMEXTENT);
	CHECK_EQ(0, HYP_API_FLAGS0 & GH_API_FLAG0_RESERVED_MASK);
	CHECK_EQ(GH_HVC_NATIVE_BASE, HYP_HVC_IMM_BASE);
	CHECK_EQ(GH_HVC_NATIVE_LAST, HYP_HVC_IMM_LIMIT);
	CHECK_EQ(GH_SMCCC_HVC_BASE, SMCCC_HYPERCALL_BASE);
	CHECK_EQ(GH_SMCCC_VERSION_EXPECTED, SMCCC_VERSION_1_3);
	CHECK_EQ(GH_UID_W0, GUNYAH_UID0);
	CHECK_EQ(GH_UID_W1, GUNYAH_UID1);
	CHECK_EQ(GH_UID_W2, GUNYAH_UID2);
	CHECK_EQ(GH_UID_W3, GUNYAH_UID3);
	CHECK_EQ(GH_PSCI_VERSION_EXPECTED, PSCI_VERSION_1_1);
	CHECK_EQ(GH_LIMIT_CSPACE_MAX_CAPS, CSPACE_MAX_CAPS);
	CHECK_EQ(GH_LIMIT_MSGQUEUE_MAX_DEPTH, MSGQUEUE_MAX_DEPTH);
	CHECK_EQ(GH_LIMIT_MSGQUEUE_MAX_MSG_SIZE, MSGQUEUE_MAX_MSG_SIZE);
	CHECK_EQ(GH_LIMIT_CHILD_PARTITION_HEAP, PARTITION_CHILD_HEAP_SIZE);
	CHECK_EQ(GH_LIMIT_ADDRSPACE_MAX_VMMIO_RANGES, ADDRSPACE_MAX_VMMIO_RANGES);
	CHECK_EQ(1ULL << GH_LIMIT_ADDRSPACE_VMMIO_END_BITS, ADDRSPACE_VMMIO_END);
	CHECK_EQ(GH_CAP_INVALID, CAP_ID_INVALID);
}
