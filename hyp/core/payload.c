/* payload: validates and unpacks the images humpy.bin carries for the primary VM. */
#include "arch.h"
#include "log.h"
#include "payload.h"
#include "vm.h"

int payload_load(const void *blob, uint64_t avail, const struct vm *vm)
{
	const struct payload_header *h = blob;

	if (avail < sizeof(*h) || h->magic != PAYLOAD_MAGIC)
		return 0;
	if (h->count > PAYLOAD_MAX_ENTRIES || h->total_size > PAYLOAD_MAX_SIZE ||
	    h->total_size > avail ||
	    h->total_size < sizeof(*h) + h->count * sizeof(struct payload_entry))
		return -1;
	for (uint32_t i = 0; i < h->count; i++) {
		const struct payload_entry *e = &h->entry[i];
		if (e->size == 0 || !range_within(e->offset, e->size, 0, h->total_size) ||
		    !range_within(e->dest, e->size, vm->ram_ipa, vm->ram_size))
			return -1;
	}
	for (uint32_t i = 0; i < h->count; i++) {
		const struct payload_entry *e = &h->entry[i];
		paddr_t pa = e->dest - vm->ram_ipa + vm->ram_pa;
		memmove((void *)(uintptr_t)pa, (const uint8_t *)blob + e->offset, e->size);
		arch_dcache_clean(pa, e->size);
		log_printf("humpy: payload %u: %u bytes to IPA 0x%lx\n", i, e->size, e->dest);
	}
	return (int)h->count;
}
