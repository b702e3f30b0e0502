/* hyp.ld: the hypervisor's memory image, a static PIE linked at HYP_LINK_ADDR (hyp.mk: where an ELF
 * loader puts hyp.elf): boot.S applies the R_AARCH64_RELATIVE entries between __rela_start and
 * __rela_end for wherever it really runs. */
#include "platform.h"
#include "frame.h"

OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = HYP_LINK_ADDR;
	__hyp_start = .;
	.text : {
		KEEP(*(.text.head))
		QUAD(__hyp_end - __hyp_start)	/* the Image header's image_size (boot.S) */
		KEEP(*(.text.head.flags))
		*(.text .text.*)
	}
	. = ALIGN(4096);
	__text_end = .;
	.rodata : { *(.rodata .rodata.*) }
	/* Pointer tables the relocation fixes up (before the MMU is on): read-only afterwards. */
	.data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }
	.rela.dyn : {
		__rela_start = .;
		*(.rela.dyn .rela.*)
		__rela_end = .;
	}
	.dynamic : { *(.dynamic) }
	.dynsym : { *(.dynsym) }
	.dynstr : { *(.dynstr) }
	.hash : { *(.hash) }
	.gnu.hash : { *(.gnu.hash) }
	. = ALIGN(4096);
	__rodata_end = .;
	.data : { *(.data .data.*) }
	.got : { *(.got .got.plt) }
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
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.interp) }
}
