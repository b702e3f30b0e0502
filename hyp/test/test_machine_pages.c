/* test_machine_pages: the pages a device's registers lie in (machine.h), which the console UART's
 * Stage-2 mapping and the root partition's ownership of it use. */
#include "machine.h"
#include "test.h"

TEST(machine_pages_of_a_uart_off_a_page_boundary)
{
	/* The RPi 4's mini UART (bcm2835-aux-uart): 0x40 bytes at 0xfe215040. */
	struct machine_range rpi = machine_pages((struct machine_range){0xfe215040, 0x40});
	/* QEMU virt's PL011: a whole page already. */
	struct machine_range virt = machine_pages((struct machine_range){0x09000000, 0x1000});
	/* Registers across a page boundary: both pages. */
	struct machine_range across = machine_pages((struct machine_range){0x10000ff8, 0x10});

	(void)arena;
	CHECK_EQ(0xfe215000, rpi.base);
	CHECK_EQ(0x1000, rpi.size);
	CHECK_EQ(0x09000000, virt.base);
	CHECK_EQ(0x1000, virt.size);
	CHECK_EQ(0x10000000, across.base);
	CHECK_EQ(0x2000, across.size);
}
