/* Every cap-lookup error of every doorbell call's cap inputs (§2 cap lookup, §7), and the creation
 * errors of partition_create_doorbell (0x06). */
#include <humpy/ipc.h>

#define DB_TEST(name)     IPC_TEST(doorbell, name, GH_API_FLAG0_DOORBELL, "doorbell", false)
#define DB_VIC_TEST(name) IPC_TEST(doorbell, name, GH_API_FLAG0_DOORBELL, "doorbell", true)

#define DC_TEST(name, CALL, RIGHT, A1, A2)                                                         \
	/* Proves every cap-lookup error of the doorbell input of this call (§2, §7). */         \
	DB_TEST(name##_cap_errors)                                                                 \
	{                                                                                          \
		u64 db = db_make(rc);                                                              \
		u64 idle = root_create(rc, GH_HVC_PARTITION_CREATE_DOORBELL, rc->partition);       \
		RETURN_IF_FAILED();                                                                \
		{                                                                                  \
			const u64 args[5] = {db, (A1), (A2), 0, 0};                                \
			ipc_cap_errors(rc, (CALL), args, 0, rc->cspace, (RIGHT), idle);            \
		}                                                                                  \
	}

DC_TEST(send, GH_HVC_DOORBELL_SEND, GH_RIGHT_DOORBELL_SEND, 1, 0)
DC_TEST(receive, GH_HVC_DOORBELL_RECEIVE, GH_RIGHT_DOORBELL_RECEIVE, ~0ULL, 0)
DC_TEST(reset, GH_HVC_DOORBELL_RESET, GH_RIGHT_DOORBELL_RECEIVE, 0, 0)
DC_TEST(mask, GH_HVC_DOORBELL_MASK, GH_RIGHT_DOORBELL_RECEIVE, ~0ULL, 0)
DC_TEST(unbind, GH_HVC_DOORBELL_UNBIND_VIRQ, GH_RIGHT_DOORBELL_BIND, 0, 0)

/* Proves every cap-lookup error of doorbell_bind_virq's doorbell and VIC inputs (§2, §7). */
DB_VIC_TEST(bind_cap_errors)
{
	u64 db = db_make(rc);
	u64 idle = root_create(rc, GH_HVC_PARTITION_CREATE_DOORBELL, rc->partition);
	u64 idle_vic = vic_make(rc, 1, 8, false);
	const u64 args[5] = {db, self->vic, IPC_VIRQ(3), 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_DOORBELL_BIND_VIRQ, args, 0, rc->cspace, GH_RIGHT_DOORBELL_BIND,
	               idle);
	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_DOORBELL_BIND_VIRQ, args, 1, rc->cspace, GH_RIGHT_VIC_BIND_SOURCE,
	               idle_vic);
}

/* Proves every cap-lookup error of partition_create_doorbell's partition and cspace inputs (§2). */
DB_TEST(create_cap_errors)
{
	u64 idle_part = root_partition(rc, 0, false);
	u64 idle_cs = root_cspace(rc, 4, false);
	const u64 args[5] = {rc->partition, rc->cspace, 0, 0, 0};

	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_PARTITION_CREATE_DOORBELL, args, 0, rc->cspace,
	               GH_RIGHT_PARTITION_OBJECT_CREATE, idle_part);
	RETURN_IF_FAILED();
	ipc_cap_errors(rc, GH_HVC_PARTITION_CREATE_DOORBELL, args, 1, rc->partition,
	               GH_RIGHT_CSPACE_CAP_CREATE, idle_cs);
}

/* Proves partition_create_doorbell into a full cspace is CSPACE_FULL, and from an exhausted child
 * partition NOMEM (§2 creates). */
DB_TEST(create_full_nomem)
{
	ipc_create_full_nomem(rc, GH_HVC_PARTITION_CREATE_DOORBELL);
}
