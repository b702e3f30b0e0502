/* test_vm_ram: where the boot VM's RAM goes (vm_ram_pick) on the LAVA boards' RAM layouts and
 * around reserved and taken ranges; exact ranges, 2 MiB aligned, capped at 1 GiB. */
#include "test.h"
#include "vm_ram.h"

#define GIB 0x40000000ULL
#define MIB 0x100000ULL

static struct machine ram_of(const struct machine_range *banks, uint32_t n)
{
	struct machine m = {0};

	for (uint32_t i = 0; i < n; i++)
		m.bank[i] = banks[i];
	m.bank_count = n;
	return m;
}

/* ZCU102 (DRAM from 0, 2 GiB below 4 GiB, more above 32 GiB), Juno r2 (from 2 GiB), i.MX8MM EVK
 * (from 1 GiB): the VM takes the first bank's start, 1 GiB of it. */
TEST(vm_ram_on_the_boards_first_banks)
{
	static const struct machine_range zcu[] = {{0x0, 0x7ff00000}, {0x800000000, 0x80000000}};
	static const struct machine_range juno[] = {{0x80000000, 0x7f000000},
	                                            {0x880000000, 0x180000000}};
	static const struct machine_range imx[] = {{0x40000000, 0x80000000}};
	struct machine m;
	struct machine_range r;
	(void)arena;

	m = ram_of(zcu, 2);
	CHECK(vm_ram_pick(&m, NULL, 0, GIB, &r));
	CHECK_EQ(0x0, r.base);
	CHECK_EQ(GIB, r.size);
	m = ram_of(juno, 2);
	CHECK(vm_ram_pick(&m, NULL, 0, GIB, &r));
	CHECK_EQ(0x80000000, r.base);
	CHECK_EQ(GIB, r.size);
	m = ram_of(imx, 1);
	CHECK(vm_ram_pick(&m, NULL, 0, GIB, &r));
	CHECK_EQ(0x40000000, r.base);
	CHECK_EQ(GIB, r.size);
}

/* QEMU virt -m 2G as humpy lays it out today: the hypervisor at 2 GiB, the root memory at
 * 0xA0000000: the VM keeps 0x40000000 + 1 GiB (the piece below the hypervisor is the largest). */
TEST(vm_ram_on_qemu_virt_is_todays_place)
{
	static const struct machine_range virt[] = {{0x40000000, 0x80000000}};
	static const struct machine_range taken[] = {{0x80000000, 0x600000},
	                                             {0xA0000000, 0x1A00000}};
	struct machine m = ram_of(virt, 1);
	struct machine_range r;
	(void)arena;

	CHECK(vm_ram_pick(&m, taken, 2, GIB, &r));
	CHECK_EQ(0x40000000, r.base);
	CHECK_EQ(GIB, r.size);
}

/* A reserved range inside the chosen piece moves the VM: above it, 2 MiB aligned, when that
 * piece is the largest; the lower piece when it is larger; equal pieces give the lower. */
TEST(vm_ram_moves_around_reserved_and_taken_ranges)
{
	static const struct machine_range bank[] = {{0x0, 0x80000000}};
	struct machine m = ram_of(bank, 1);
	struct machine_range r;
	(void)arena;

	/* PMU firmware-like carve-out at 0x10000000 + 0x40000: above it (from 0x10200000) is
	 * larger. */
	m.reserved[0] = (struct machine_range){0x10000000, 0x40000};
	m.reserved_count = 1;
	CHECK(vm_ram_pick(&m, NULL, 0, 4 * GIB, &r));
	CHECK_EQ(0x10200000, r.base);
	CHECK_EQ(0x80000000 - 0x10200000, r.size);
	/* With the cap the piece is cut from its start. */
	CHECK(vm_ram_pick(&m, NULL, 0, GIB, &r));
	CHECK_EQ(0x10200000, r.base);
	CHECK_EQ(GIB, r.size);
	/* Near the top: the lower piece is the largest. */
	m.reserved[0] = (struct machine_range){0x70000000, 0x1000};
	CHECK(vm_ram_pick(&m, NULL, 0, 4 * GIB, &r));
	CHECK_EQ(0x0, r.base);
	CHECK_EQ(0x70000000, r.size);
	/* A taken range splitting the bank in halves: the lower half. */
	static const struct machine_range half[] = {{0x3FF00000, 0x200000}};

	m.reserved_count = 0;
	CHECK(vm_ram_pick(&m, half, 1, 4 * GIB, &r));
	CHECK_EQ(0x0, r.base);
	CHECK_EQ(0x3FE00000, r.size);
	/* Equal pieces, the higher found first (its hole is listed first): still the lower. */
	static const struct machine_range desc[] = {{0x40000000, 0x200000}, {0x0, 0x200000}};

	CHECK(vm_ram_pick(&m, desc, 2, 4 * GIB, &r));
	CHECK_EQ(0x200000, r.base);
	CHECK_EQ(0x3FE00000, r.size);
	/* Overlapping holes count as one. */
	static const struct machine_range two[] = {{0x0, 0x30000000}, {0x20000000, 0x20000000}};

	CHECK(vm_ram_pick(&m, two, 2, 4 * GIB, &r));
	CHECK_EQ(0x40000000, r.base);
	CHECK_EQ(0x40000000, r.size);
}

/* A first bank with no free 2 MiB-aligned piece gives way to the next; none at all: false. */
TEST(vm_ram_takes_the_next_bank_or_refuses)
{
	static const struct machine_range banks[] = {{0x0, 0x300000}, {0x800000000, 0x80000000}};
	struct machine m = ram_of(banks, 2);
	struct machine_range r = {0x1234, 0x5678};
	(void)arena;

	m.reserved[0] = (struct machine_range){0x100000, 0x100000}; /* 0..1M, 2M..3M free only */
	m.reserved_count = 1;
	CHECK(vm_ram_pick(&m, NULL, 0, GIB, &r));
	CHECK_EQ(0x800000000, r.base);
	CHECK_EQ(GIB, r.size);
	m.reserved[1] = (struct machine_range){0x800000000, 0x80000000};
	m.reserved_count = 2;
	r = (struct machine_range){0x1234, 0x5678};
	CHECK(!vm_ram_pick(&m, NULL, 0, GIB, &r));
	CHECK_EQ(0x1234, r.base); /* untouched */
	CHECK_EQ(0x5678, r.size);
	/* A cap under 2 MiB places nothing. */
	m.reserved_count = 0;
	CHECK(!vm_ram_pick(&m, NULL, 0, MIB, &r));
}

/* The VM's own window (IPA = PA) stays where it is only when one bank holds it whole and no
 * reserved or taken range touches it: QEMU virt and the ZCU102 model with the hypervisor low. */
TEST(vm_ram_window_free_only_when_clear)
{
	static const struct machine_range zcu[] = {{0x0, 0x80000000}, {0x800000000, 0x80000000}};
	static const struct machine_range low_hyp[] = {{0x200000, 0x4200000}};
	static const struct machine_range hyp_inside[] = {{0x7fe00000, 0x200000}};
	const struct machine_range window = {0x40000000, GIB};
	struct machine m = ram_of(zcu, 2);
	(void)arena;

	CHECK(vm_ram_is_free(&m, low_hyp, 1, window));
	CHECK(!vm_ram_is_free(&m, hyp_inside, 1, window));
	/* Across the end of bank 0: not whole in a bank. */
	CHECK(!vm_ram_is_free(&m, NULL, 0, (struct machine_range){0x60000000, GIB}));
	CHECK(vm_ram_is_free(&m, NULL, 0, (struct machine_range){0x800000000, GIB}));
	/* A reserved page at the window's last byte. */
	m.reserved[0] = (struct machine_range){0x7ffff000, 0x1000};
	m.reserved_count = 1;
	CHECK(!vm_ram_is_free(&m, low_hyp, 1, window));
	/* Touching, not overlapping: free. */
	m.reserved[0] = (struct machine_range){0x80000000, 0x1000};
	CHECK(vm_ram_is_free(&m, low_hyp, 1, window));
	CHECK(!vm_ram_is_free(&m, NULL, 0, (struct machine_range){0x40000000, 0}));
}
