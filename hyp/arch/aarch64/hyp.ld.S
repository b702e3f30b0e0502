/* hyp.ld: the hypervisor's memory image at the platform's link address. */
#include "platform.h"
#include "frame.h"

OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = PLAT_HYP_BASE;
	__hyp_start = .;
	.text : {
		KEEP(*(.text.head))
		*(.text .text.*)
	}
	. = ALIGN(4096);
	__text_end = .;
	.rodata : { *(.rodata .rodata.*) }
	. = ALIGN(4096);
	__rodata_end = .;
	.data : { *(.data .data.*) }
	. = ALIGN(16);
	__bss_start = .;
	.bss (NOLOAD) : { *(.bss .bss.* COMMON) }
	. = ALIGN(16);
	__bss_end = .;
	. = ALIGN(4096);
	__stacks_start = .;
	.stacks (NOLOAD) : { . += PLAT_MAX_CPUS * STACK_SLOT + STACK_SLOT; }
	__stacks_end = .;
	. = ALIGN(4096);
	__hyp_end = .;
	__hyp_image_size = __hyp_end - __hyp_start;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
