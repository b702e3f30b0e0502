/* fdt: the hypervisor's device-tree readers on untrusted bytes: fdt_read_machine (boot) and
 * root_dt_publish (fills the root VM's /chosen cap slots in place). */
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "oracle.h"
#include "root_dt.h"

static void fdt_check_range(const char *what, const struct machine_range *r)
{
	if (r->size != 0U && r->base + r->size < r->base) {
		oracle_fail("fdt-range", "%s 0x%llx+0x%llx wraps", what,
		            (unsigned long long)r->base, (unsigned long long)r->size);
	}
}

static void fdt_check_intid(const char *what, uint32_t intid)
{
	if (intid != 0U && (intid < 16U || intid > 31U)) {
		oracle_fail("fdt-intid", "%s INTID %u is not a PPI", what, intid);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct root_objects caps = {.partition_cap = 0x1122334455667788ULL,
	                                         .cspace_cap = 0x99aabbccddeeff00ULL};
	struct machine m1, m2;
	struct fdt_result r1, r2;
	uint8_t *blob, *again;
	unsigned filled, filled2;
	size_t changed = 0;

	blob = malloc(size != 0 ? size : 1);
	again = malloc(size != 0 ? size : 1);
	if (blob == NULL || again == NULL) {
		abort();
	}
	memcpy(blob, data, size);
	r1 = fdt_read_machine(blob, size, &m1);
	if (r1.error == 0) {
		fdt_check_range("memory", &m1.mem);
		fdt_check_range("GICD", &m1.gicd);
		fdt_check_range("GICR", &m1.gicr);
		fdt_check_range("UART", &m1.uart);
		fdt_check_intid("virtual timer", m1.timer_virt_intid);
		fdt_check_intid("hyp timer", m1.timer_hyp_intid);
	} else if (r1.why == NULL) {
		oracle_fail("fdt-error", "error without a reason");
	}

	/* Publishing writes at most two 8-byte values, leaves the header alone, and is idempotent.
	 */
	filled = root_dt_publish(blob, size, &caps);
	for (size_t i = 0; i < size; i++) {
		changed += blob[i] != data[i];
	}
	if (changed > 8U * filled || (size >= 40 && memcmp(blob, data, 40) != 0)) {
		oracle_fail("dt-publish", "filled %u slots but changed %zu bytes", filled, changed);
	}
	memcpy(again, blob, size);
	filled2 = root_dt_publish(again, size, &caps);
	if (filled2 != filled || memcmp(again, blob, size) != 0) {
		oracle_fail("dt-publish", "a second publish filled %u (first %u) or changed bytes",
		            filled2, filled);
	}
	/* What the hypervisor reads of the machine does not depend on the /chosen values. */
	r2 = fdt_read_machine(blob, size, &m2);
	if (r2.error != r1.error || memcmp(&m1, &m2, sizeof(m1)) != 0) {
		oracle_fail("dt-publish", "publishing changed what fdt_read_machine reads");
	}
	free(again);
	free(blob);
	return 0;
}
