/* test_vgic_v2: a GICv2 guest's GICD_ITARGETSR (hyp/arch/aarch64/vgic_v2.c) on VICs of several
 * vCPUs, and where a GIC-400's CPU interface pages are in 64 KiB-aliased and contiguous regions
 * (gicv2_frame.h), against exact values. */
#include "../arch/aarch64/gicv2_frame.h"
#include "../arch/aarch64/vgic_v2.h"
#include "test_util.h"
#include "vic.h"

#define ITARGETSR0 0x800u  /* INTIDs 0-3 */
#define ITARGETSR7 0x81Cu  /* INTIDs 28-31 */
#define ITARGETSR8 0x820u  /* INTIDs 32-35 */
#define ITARGETSR9 0x824u  /* INTIDs 36-39 */
#define NOWHERE    0xFF00u /* the IROUTER value vgic_v2.c gives an SPI that targets no vCPU */

/* An active VIC of @vcpus vCPUs and 8 shared VIRQs (INTIDs 32-39). */
static struct vic *make_vic(const struct host_arena *arena, uint64_t vcpus)
{
	struct core_ctx ctx = root_ctx(arena);
	cap_id_t v = make_obj(arena, OBJ_VIC);

	CHECK_EQ(OK, core_vic_configure(&ctx, v, vcpus, 8, 0, 0));
	CHECK_EQ(OK, core_object_activate(&ctx, v));
	return (struct vic *)obj_of(arena, v);
}

TEST(vgic_v2_itargetsr_reads_what_was_written_of_the_vics_vcpus)
{
	struct vic *vic = make_vic(arena, 4);

	/* Reset: every SPI targets vCPU 0 (vic.c), routed to Aff0 0. */
	CHECK_EQ(0x01010101u, vgic_v2_own_read(vic, 0, ITARGETSR8, 4));
	CHECK_EQ(0, vic_irq_of(vic, 33)->route);
	/* Per byte: none, vCPU 1 (+ 4 absent), vCPU 2 (+ 4, 5, 6, 7 absent), vCPUs 2 and 3 (+ 7).
	 */
	CHECK(vgic_v2_targets_write(vic, ITARGETSR8, 4, 0x8CF41200u));
	CHECK_EQ(0x0C040200u, vgic_v2_own_read(vic, 0, ITARGETSR8, 4));
	CHECK_EQ(0x0C040200u, vgic_v2_own_read(vic, 3, ITARGETSR8, 4)); /* any reader */
	CHECK_EQ(0x0Cu, vic_irq_of(vic, 35)->targets);
	/* Routed to the lowest target, or nowhere. */
	CHECK_EQ(NOWHERE, vic_irq_of(vic, 32)->route);
	CHECK_EQ(1, vic_irq_of(vic, 33)->route);
	CHECK_EQ(2, vic_irq_of(vic, 34)->route);
	CHECK_EQ(2, vic_irq_of(vic, 35)->route);
	/* A byte write changes that INTID alone; byte and halfword reads. */
	CHECK(vgic_v2_targets_write(vic, ITARGETSR8 + 2, 1, 0x08));
	CHECK_EQ(0x0C080200u, vgic_v2_own_read(vic, 0, ITARGETSR8, 4));
	CHECK_EQ(3, vic_irq_of(vic, 34)->route);
	CHECK_EQ(0x08u, vgic_v2_own_read(vic, 0, ITARGETSR8 + 2, 1));
	CHECK_EQ(0x0C08u, vgic_v2_own_read(vic, 0, ITARGETSR8 + 2, 2));
	/* The other SPIs kept their reset targets. */
	CHECK_EQ(0x01010101u, vgic_v2_own_read(vic, 0, ITARGETSR9, 4));
	/* Past the VIC's 8 shared VIRQs: nothing there. */
	CHECK(vgic_v2_targets_write(vic, ITARGETSR9 + 4, 4, 0x01010101u));
	CHECK_EQ(0, vgic_v2_own_read(vic, 0, ITARGETSR9 + 4, 4));
}

TEST(vgic_v2_itargetsr_sgis_and_ppis_read_the_readers_own_bit)
{
	struct vic *vic = make_vic(arena, 4);

	CHECK_EQ(0x01010101u, vgic_v2_own_read(vic, 0, ITARGETSR0, 4));
	CHECK_EQ(0x04040404u, vgic_v2_own_read(vic, 2, ITARGETSR0, 4));
	CHECK_EQ(0x08080808u, vgic_v2_own_read(vic, 3, ITARGETSR7, 4));
	/* Read-only: a write changes neither them nor the SPIs. */
	CHECK(vgic_v2_targets_write(vic, ITARGETSR7, 4, 0x0F0F0F0Fu));
	CHECK_EQ(0x04040404u, vgic_v2_own_read(vic, 2, ITARGETSR7, 4));
	CHECK_EQ(0x01010101u, vgic_v2_own_read(vic, 2, ITARGETSR8, 4));
}

TEST(vgic_v2_itargetsr_on_one_and_eight_vcpus)
{
	struct vic *one = make_vic(arena, 1), *eight = make_vic(arena, VIC_MAX_VCPUS);

	/* One vCPU: an absent vCPU's bit is dropped, and then the SPI goes nowhere. */
	CHECK(vgic_v2_targets_write(one, ITARGETSR8, 4, 0x03020100u));
	CHECK_EQ(0x01000100u, vgic_v2_own_read(one, 0, ITARGETSR8, 4));
	CHECK_EQ(NOWHERE, vic_irq_of(one, 32)->route);
	CHECK_EQ(0, vic_irq_of(one, 33)->route);
	CHECK_EQ(NOWHERE, vic_irq_of(one, 34)->route);
	/* Eight: every bit is a vCPU. */
	CHECK(vgic_v2_targets_write(eight, ITARGETSR8, 4, 0xFF80C040u));
	CHECK_EQ(0xFF80C040u, vgic_v2_own_read(eight, 0, ITARGETSR8, 4));
	CHECK_EQ(6, vic_irq_of(eight, 32)->route);
	CHECK_EQ(6, vic_irq_of(eight, 33)->route);
	CHECK_EQ(7, vic_irq_of(eight, 34)->route);
	CHECK_EQ(0, vic_irq_of(eight, 35)->route);
	CHECK_EQ(0x80808080u, vgic_v2_own_read(eight, 7, ITARGETSR0, 4));
	/* Not ITARGETSR: refused, nothing read. */
	CHECK(!vgic_v2_targets_write(eight, 0xC00, 4, 0));
	CHECK(!vgic_v2_targets_write(eight, 0x7FC, 4, 0));
	CHECK_EQ(0, vgic_v2_own_read(eight, 0, 0xF20, 4));
}

/* The VM's page at @off of a @vm-byte region, backed by the GICV page at the offset returned
 * (~0: none). */
static uint64_t backing(uint64_t vm, uint64_t gicv, uint64_t off)
{
	uint64_t g = 0x5A5A;

	return gicv2_frame_backing(vm, gicv, off, &g) ? g : ~0ull;
}

TEST(gicv2_frames_contiguous_and_64k_aliased)
{
	(void)arena;
	/* Where the hypervisor's own GICC_DIR (page 1) is: QEMU virt's 64 KiB region, ZCU102's
	 * 128 KiB one. */
	CHECK_EQ(0x1000, gicv2_frame_page_offset(0x10000, 1));
	CHECK_EQ(0x10000, gicv2_frame_page_offset(0x20000, 1));
	CHECK_EQ(0, gicv2_frame_page_offset(0x20000, 0));
	/* QEMU virt: both contiguous, page 0 and page 1 only. */
	CHECK_EQ(0, backing(0x10000, 0x10000, 0));
	CHECK_EQ(0x1000, backing(0x10000, 0x10000, 0x1000));
	CHECK_EQ(~0ull, backing(0x10000, 0x10000, 0x2000));
	CHECK_EQ(~0ull, backing(0x10000, 0x10000, 0x10000));
	/* ZCU102: both aliased; every 4 KiB of the first 64 KiB is page 0, of the second page 1. */
	CHECK_EQ(0, backing(0x20000, 0x20000, 0));
	CHECK_EQ(0, backing(0x20000, 0x20000, 0xF000));
	CHECK_EQ(0x10000, backing(0x20000, 0x20000, 0x10000));
	CHECK_EQ(0x10000, backing(0x20000, 0x20000, 0x1F000));
	CHECK_EQ(~0ull, backing(0x20000, 0x20000, 0x20000));
	/* A VM told of an aliased region on contiguous hardware, and the other way round. */
	CHECK_EQ(0, backing(0x20000, 0x2000, 0x8000));
	CHECK_EQ(0x1000, backing(0x20000, 0x2000, 0x10000));
	CHECK_EQ(0x1000, backing(0x20000, 0x2000, 0x1F000));
	CHECK_EQ(0, backing(0x2000, 0x20000, 0));
	CHECK_EQ(0x10000, backing(0x2000, 0x20000, 0x1000));
	CHECK_EQ(~0ull, backing(0x2000, 0x20000, 0x2000));
	/* A GICV region too small for page 1 backs page 0 alone. */
	CHECK_EQ(0, backing(0x2000, 0x1000, 0));
	CHECK_EQ(~0ull, backing(0x2000, 0x1000, 0x1000));
}
