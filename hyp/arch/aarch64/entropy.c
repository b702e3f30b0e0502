/* entropy: a boot-time seed for hyp/core's cap ID obfuscation (RNDR when the CPU has it, else the
 * counter). */
#include "arch.h"

uint64_t arch_boot_entropy(void)
{
	uint64_t isar0, count, rnd = 0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(count));
	/* ID_AA64ISAR0_EL1.RNDR (bits 63:60) != 0: RNDR (s3_3_c2_c4_0) exists; NZCV.Z set on
	 * failure. */
	if ((isar0 >> 60) != 0) {
		uint64_t ok;

		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
		                 : "=r"(rnd), "=r"(ok)
		                 :
		                 : "cc");
		if (!ok) {
			rnd = 0;
		}
	}
	return rnd ^ (count * 0x9e3779b97f4a7c15ULL);
}
