/* ich_lr: the list-register encoder of hyp/arch/aarch64/ich_lr.h: round trips both ways and no
 * reserved bit set. Input: a raw 64-bit register value, then a struct's fields (state/flags byte,
 * priority, pINTID 2 bytes, vINTID 4 bytes), little-endian; short inputs read as zero. */
#include "fuzz_input.h"
#include "ich_lr.h"
#include "oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {.data = data, .size = size, .pos = 0};
	uint64_t raw = fuzz_u64(&in);
	uint8_t flags = fuzz_u8(&in);
	struct ich_lr lr = {.state = (enum ich_lr_state)(flags & 3),
	                    .hw = (flags & 4) != 0,
	                    .group1 = (flags & 8) != 0,
	                    .eoi = (flags & 16) != 0,
	                    .priority = fuzz_u8(&in),
	                    .pintid = (uint16_t)(fuzz_u8(&in) | fuzz_u8(&in) << 8),
	                    .vintid = (uint32_t)(fuzz_u64(&in) & 0xFFFFFFFFu)};
	uint64_t v = ich_lr_encode(&lr);
	struct ich_lr d = ich_lr_decode(v);

	if ((v & ~ICH_LR_DEFINED & ~ICH_LR_EOI) != 0)
		oracle_fail("ich-lr-reserved", "0x%llx sets a reserved bit", (unsigned long long)v);
	if (!lr.hw && (v >> ICH_LR_PINTID_SHIFT & ICH_LR_PINTID_MASK & ~(1u << 9)) != 0)
		oracle_fail("ich-lr-reserved", "0x%llx: pINTID bits without HW",
		            (unsigned long long)v);
	if (d.state != lr.state || d.hw != lr.hw || d.group1 != lr.group1 ||
	    d.priority != lr.priority || d.vintid != lr.vintid ||
	    d.pintid != (lr.hw ? (lr.pintid & ICH_LR_PINTID_MASK) : 0) ||
	    d.eoi != (!lr.hw && lr.eoi))
		oracle_fail("ich-lr-roundtrip", "decode(encode(x)) != x (0x%llx)",
		            (unsigned long long)v);
	/* A register value that encode can produce decodes and encodes back to itself. */
	if ((raw & ~ICH_LR_DEFINED & ~ICH_LR_EOI) == 0 &&
	    ((raw & ICH_LR_HW) != 0 ||
	     (raw & ICH_LR_DEFINED & ~ICH_LR_EOI &
	      (uint64_t)ICH_LR_PINTID_MASK << ICH_LR_PINTID_SHIFT) == 0)) {
		struct ich_lr r = ich_lr_decode(raw);
		uint64_t back = ich_lr_encode(&r);

		if (back != raw)
			oracle_fail("ich-lr-roundtrip", "encode(decode(0x%llx)) = 0x%llx",
			            (unsigned long long)raw, (unsigned long long)back);
	}
	return 0;
}
