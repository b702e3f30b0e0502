/* hyp/rm/test/test_boot_info.c: the RM's boot DT as both sides use it. The tree is rm-boot.dts as
 * dtc builds it (argv[1]); the hypervisor's root_dt_publish (hyp/core/root_dt.c) fills its slots
 * and the RM's rm_boot_info_read (hyp/rm/boot_info.c) reads them back: a slot one side names
 * otherwise than the other, or a value that lands elsewhere, fails here. The board shapes are QEMU
 * virt's (GICv3, PL011, a PL061) and the ZCU102's (GIC-400, Cadence UART, no PL061). */
#include <stdlib.h>
#include <string.h>

#include "boot_info.h"
#include "machine.h"
#include "rmmem_check.h"
#include "root_dt.h"

static uint8_t *dtb_file;
static size_t dtb_size;

/* A fresh copy of the unfilled tree, in a heap buffer of exactly its size (ASan sees any access
 * past it). */
static uint8_t *fresh_dtb(void)
{
	uint8_t *b = malloc(dtb_size);

	memcpy(b, dtb_file, dtb_size);
	return b;
}

/* What hyp/core/main.c gives the RM on a board, each value distinct. */
static struct root_objects board_root(bool zcu102)
{
	struct root_objects r = {
	    .partition_cap = 0x1000000000000001ULL,
	    .cspace_cap = 0x1000000000000002ULL,
	    .vic_cap = 0x1000000000000003ULL,
	    .vcpu_cap = 0x1000000000000004ULL,
	    .hwirq_cap = zcu102 ? CAP_ID_INVALID : 0x1000000000000005ULL,
	    .addrspace_cap = 0x1000000000000006ULL,
	    .memory_base = zcu102 ? 0x8a00000ULL : 0xa1a00000ULL,
	    .memory_size = 0x1000000ULL,
	    .hlos_memory_base = 0x40000000ULL,
	    .hlos_memory_size = 0x40000000ULL,
	    .hlos_entry = 0x41000000ULL,
	    .hlos_dtb = 0x40f00000ULL,
	    .uart_base = zcu102 ? 0xff000000ULL : 0x9000000ULL,
	    .uart_size = 0x1000ULL,
	    .uart_kind = zcu102 ? MACHINE_UART_CADENCE : MACHINE_UART_PL011,
	    .gicd_base = zcu102 ? 0xf9010000ULL : 0x8000000ULL,
	    .gicr_base = zcu102 ? 0 : 0x80a0000ULL,
	    .gicc_base = zcu102 ? 0xf9020000ULL : 0,
	    .gpio_base = zcu102 ? 0 : 0x9030000ULL,
	    .gpio_intid = zcu102 ? 0 : 39,
	};
	return r;
}

/* Every value the RM needs arrives, and the console is named for the RM's driver. */
static void test_virt_and_zcu102_round_trip(void)
{
	for (int zcu102 = 0; zcu102 <= 1; zcu102++) {
		struct root_objects r = board_root(zcu102);
		struct rm_boot_info b;
		uint8_t *dtb = fresh_dtb();

		/* 6 caps (the ZCU102's hwirq cap written as the invalid one it is), root and hlos
		 * memory, hlos boot, UART memory and compatible, one GIC slot, the PL061 on virt.
		 */
		CHECK_EQ(root_dt_publish(dtb, dtb_size, &r), zcu102 ? 12U : 13U);
		CHECK(rm_boot_info_read(dtb, &b) == NULL);
		CHECK_EQ(b.partition, r.partition_cap);
		CHECK_EQ(b.cspace, r.cspace_cap);
		CHECK_EQ(b.vic, r.vic_cap);
		CHECK_EQ(b.vcpu, r.vcpu_cap);
		CHECK_EQ(b.addrspace, r.addrspace_cap);
		CHECK_EQ(b.root_memory.base, r.memory_base);
		CHECK_EQ(b.root_memory.size, r.memory_size);
		CHECK_EQ(b.hlos_memory.base, r.hlos_memory_base);
		CHECK_EQ(b.hlos_memory.size, r.hlos_memory_size);
		CHECK_EQ(b.hlos_entry, r.hlos_entry);
		CHECK_EQ(b.hlos_dtb, r.hlos_dtb);
		CHECK_EQ(b.uart.base, r.uart_base);
		CHECK_EQ(b.uart.size, r.uart_size);
		CHECK(b.uart_compatible != NULL &&
		      strcmp(b.uart_compatible, zcu102 ? "cdns,uart-r1p12" : "arm,pl011") == 0);
		CHECK_EQ(b.gic_version, zcu102 ? 2U : 3U);
		CHECK_EQ(b.gicd, r.gicd_base);
		CHECK_EQ(b.gicr, zcu102 ? RM_BOOT_NONE : r.gicr_base);
		CHECK_EQ(b.gicc, zcu102 ? r.gicc_base : RM_BOOT_NONE);
		CHECK_EQ(b.hwirq, zcu102 ? RM_BOOT_NONE : r.hwirq_cap);
		CHECK_EQ(b.gpio_base, zcu102 ? RM_BOOT_NONE : r.gpio_base);
		CHECK_EQ(b.gpio_intid, zcu102 ? RM_BOOT_NONE : r.gpio_intid);
		free(dtb);
	}
}

/* A UART the RM has no driver for (a 16550, an i.MX UART): its page still arrives, its compatible
 * slot stays all ones and reads as none, and the boot goes on. */
static void test_uart_without_rm_driver(void)
{
	const uint32_t kinds[] = {MACHINE_UART_8250, MACHINE_UART_IMX};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct root_objects r = board_root(false);
		struct rm_boot_info b;
		uint8_t *dtb = fresh_dtb();

		r.uart_kind = kinds[i];
		CHECK_EQ(root_dt_publish(dtb, dtb_size, &r), 12U);
		CHECK(rm_boot_info_read(dtb, &b) == NULL);
		CHECK_EQ(b.uart.base, r.uart_base);
		CHECK(b.uart_compatible == NULL);
		free(dtb);
	}
}

/* The tree as dtc built it, nothing filled: the RM names the first cap missing, yet has read the
 * UART slots first (both unfilled: no console, nothing printed). */
static void test_unfilled_tree(void)
{
	struct rm_boot_info b;
	uint8_t *dtb = fresh_dtb();
	const char *missing = rm_boot_info_read(dtb, &b);

	CHECK(missing != NULL && strcmp(missing, "humpy,root-partition-cap") == 0);
	CHECK_EQ(b.uart.base, RM_BOOT_NONE);
	CHECK(b.uart_compatible == NULL);
	free(dtb);
}

int main(int argc, char **argv)
{
	FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;

	if (f == NULL) {
		fprintf(stderr, "usage: %s rm-boot.dtb\n", argv[0]);
		return 2;
	}
	dtb_file = malloc(64 * 1024);
	dtb_size = fread(dtb_file, 1, 64 * 1024, f);
	fclose(f);
	if (dtb_size < 40) {
		fprintf(stderr, "%s: not a device tree\n", argv[1]);
		return 2;
	}
	RUN(test_virt_and_zcu102_round_trip);
	RUN(test_uart_without_rm_driver);
	RUN(test_unfilled_tree);
	printf("test_boot_info: %u checks, %u failed\n", rmmem_checks, rmmem_failures);
	free(dtb_file);
	return rmmem_failures != 0;
}
