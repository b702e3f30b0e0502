/* payload: validates and unpacks the images humpy.bin carries for the primary VM, and the RM's. */
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

int payload_load_rm(const void *image, uint64_t image_size, const void *dtb, uint64_t dtb_size,
                    const struct vm *rm)
{
	const struct payload_rm_header *h = image;
	uint64_t dt_off = rm->dtb - rm->ram_ipa;

	if (image_size < sizeof(*h) || h->magic != PAYLOAD_RM_MAGIC ||
	    h->link_base != rm->ram_ipa || h->mem_size < image_size || dt_off >= rm->ram_size ||
	    h->mem_size > dt_off || dtb_size > rm->ram_size - dt_off)
		return -1;
	memmove((void *)(uintptr_t)rm->ram_pa, image, image_size);
	arch_dcache_clean(rm->ram_pa, image_size);
	memmove((void *)(uintptr_t)(rm->ram_pa + dt_off), dtb, dtb_size);
	arch_dcache_clean(rm->ram_pa + dt_off, dtb_size);
	log_printf("humpy: RM image %lu bytes (%lu in RAM) to IPA 0x%lx, boot DT at 0x%lx\n",
	           image_size, h->mem_size, rm->ram_ipa, rm->dtb);
	return 0;
}
