/*
 * Bench row of the address spaces (issue 10 point 10): addrspace_map + addrspace_unmap of one 4 KiB
 * page (a 1-page extent over the root memory into a new address space), per round, minus the same
 * two calls through a nop. Needs flags0 bit 6, the root caps and /chosen humpy,root-memory
 * (ROOT_PROFILE.md); the row says n/a and why if not.
 */
#include <gunyah_spec.h>
#include <humpy/bench.h>
#include <humpy/console.h>
#include <humpy/hvc.h>
#include <humpy/mem.h>

#define BENCH_MEM_N    200
#define BENCH_MEM_NAME "addrspace.map_unmap_4k"

static u64 bench_mem_hc(u32 call, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	const u64 args[8] = {a0, a1, a2, a3, a4};
	u64 in[30];
	struct gh_raw_out out;

	gh_fill_in(in, args);
	gh_call_raw(in, &out, gh_stub_for_imm(GH_HVC_NATIVE_BASE + call));
	return out.x[0] == 0 ? out.x[1] : GH_CAP_INVALID;
}

/* x0 of a native call through the raw path (not counted by cover/trace). */
static u64 bench_mem_err(u32 call, u64 a0, u64 a1, u64 a2, u64 a3)
{
	const u64 args[8] = {a0, a1, a2, a3};
	u64 in[30];
	struct gh_raw_out out;

	gh_fill_in(in, args);
	gh_call_raw(in, &out, gh_stub_for_imm(GH_HVC_NATIVE_BASE + call));
	return out.x[0];
}

/* Times the rounds once the objects exist; false (n/a printed) if a call fails. */
static bool bench_mem_rounds(u64 as, u64 me)
{
	const u64 map_args[8] = {as, me, MEM_IPA, MAP_RW_WB, 0, 0, 0};
	const u64 unmap_args[8] = {as, me, MEM_IPA, 0, 0, 0};
	const void *map = gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_ADDRSPACE_MAP);
	const void *unmap = gh_stub_for_imm(GH_HVC_NATIVE_BASE + GH_HVC_ADDRSPACE_UNMAP);
	u64 map_in[30], unmap_in[30], t0, t1, base;
	struct gh_raw_out m_out = {0}, u_out = {0};
	unsigned i;

	gh_fill_in(map_in, map_args);
	gh_fill_in(unmap_in, unmap_args);
	t0 = bench_now();
	for (i = 0; i < BENCH_MEM_N; i++) {
		gh_call_raw(map_in, &m_out, map);
		gh_call_raw(unmap_in, &u_out, unmap);
	}
	t1 = bench_now();
	if (m_out.x[0] != 0 || u_out.x[0] != 0) {
		proto_line("BENCH " BENCH_MEM_NAME " n/a map x0 0x%lx, unmap x0 0x%lx", m_out.x[0],
		           u_out.x[0]);
		return false;
	}
	base = bench_now();
	for (i = 0; i < BENCH_MEM_N; i++) {
		gh_call_raw(map_in, &m_out, gh_stub_nop);
		gh_call_raw(unmap_in, &u_out, gh_stub_nop);
	}
	base = bench_now() - base;
	bench_report(BENCH_MEM_NAME, t1 - t0 > base ? t1 - t0 - base : 0, BENCH_MEM_N);
	return true;
}

void bench_mem_run(void)
{
	const char *why = mem_missing(true);
	struct root_caps rc;
	struct mem_ram ram;
	u64 as, me;

	if (why) {
		proto_line("BENCH " BENCH_MEM_NAME " n/a %s", why);
		return;
	}
	root_caps_get(&rc);
	mem_ram_get(&ram);
	as = bench_mem_hc(GH_HVC_PARTITION_CREATE_ADDRSPACE, rc.partition, rc.cspace, 0, 0, 0);
	me = bench_mem_hc(GH_HVC_PARTITION_CREATE_MEMEXTENT, rc.partition, rc.cspace, 0, 0, 0);
	if (as == GH_CAP_INVALID || me == GH_CAP_INVALID ||
	    bench_mem_err(GH_HVC_ADDRSPACE_CONFIGURE, as, MEM_VMID_A, 0, 0) != 0 ||
	    bench_mem_err(GH_HVC_OBJECT_ACTIVATE, as, 0, 0, 0) != 0 ||
	    bench_mem_err(GH_HVC_MEMEXTENT_CONFIGURE, me, ram.base, PAGE, ME_RWX_ANY) != 0 ||
	    bench_mem_err(GH_HVC_OBJECT_ACTIVATE, me, 0, 0, 0) != 0)
		proto_line("BENCH " BENCH_MEM_NAME " n/a cannot make the address space and extent");
	else
		bench_mem_rounds(as, me);
	if (me != GH_CAP_INVALID)
		bench_mem_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc.cspace, me, 0, 0);
	if (as != GH_CAP_INVALID)
		bench_mem_err(GH_HVC_CSPACE_DELETE_CAP_FROM, rc.cspace, as, 0, 0);
}
