/* vm_ram: the boot VM's RAM, carved from the DT's memory banks around what is not free. */
#include "vm_ram.h"

struct vm_ram_holes {
	const struct machine_range *reserved, *taken;
	uint32_t reserved_count, taken_count;
};

static const struct machine_range *vm_ram_hole(const struct vm_ram_holes *h, uint32_t i)
{
	return i < h->reserved_count ? &h->reserved[i] : &h->taken[i - h->reserved_count];
}

/* End (exclusive) of a range, saturated: a taken range need not have been validated. */
static uint64_t vm_ram_end(const struct machine_range *r)
{
	return r->base + r->size < r->base ? UINT64_MAX : r->base + r->size;
}

/* The free stretch of [start, limit) that starts at start: empty when a hole covers start. */
static uint64_t vm_ram_free_end(const struct vm_ram_holes *h, uint64_t start, uint64_t limit)
{
	uint32_t n = h->reserved_count + h->taken_count;

	for (uint32_t i = 0; i < n; i++) {
		const struct machine_range *r = vm_ram_hole(h, i);

		if (r->size == 0)
			continue;
		if (r->base <= start && start < vm_ram_end(r))
			return start;
		if (r->base > start && r->base < limit)
			limit = r->base;
	}
	return limit;
}

bool vm_ram_pick(const struct machine *m, const struct machine_range *taken, uint32_t taken_count,
                 uint64_t cap, struct machine_range *out)
{
	struct vm_ram_holes h = {m->reserved, taken, m->reserved_count, taken_count};
	uint32_t banks = m->bank_count < MACHINE_MAX_BANKS ? m->bank_count : MACHINE_MAX_BANKS;

	if (h.reserved_count > MACHINE_MAX_RESERVED)
		h.reserved_count = MACHINE_MAX_RESERVED;
	for (uint32_t b = 0; b < banks; b++) {
		const struct machine_range *bank = &m->bank[b];
		uint64_t bank_end = vm_ram_end(bank);
		struct machine_range best = {0, 0};

		/* A free stretch starts at the bank's base or where a hole ends. */
		for (uint32_t i = 0; i <= h.reserved_count + h.taken_count; i++) {
			uint64_t start = i == 0 ? bank->base : vm_ram_end(vm_ram_hole(&h, i - 1));

			if (start < bank->base || start >= bank_end)
				continue;
			uint64_t end = vm_ram_free_end(&h, start, bank_end);
			uint64_t first = ALIGN_UP(start, VM_RAM_ALIGN);

			if (first < start || first >= end)
				continue;
			uint64_t size = ALIGN_DOWN(end - first, VM_RAM_ALIGN);

			if (size > best.size ||
			    (size == best.size && size != 0 && first < best.base))
				best = (struct machine_range){first, size};
		}
		if (best.size != 0) {
			best.size = best.size < cap ? best.size : ALIGN_DOWN(cap, VM_RAM_ALIGN);
			if (best.size == 0)
				return false;
			*out = best;
			return true;
		}
	}
	return false;
}

bool vm_ram_is_free(const struct machine *m, const struct machine_range *taken,
                    uint32_t taken_count, struct machine_range want)
{
	struct vm_ram_holes h = {m->reserved, taken, m->reserved_count, taken_count};
	uint32_t banks = m->bank_count < MACHINE_MAX_BANKS ? m->bank_count : MACHINE_MAX_BANKS;
	bool in_bank = false;

	if (want.size == 0 || want.base + want.size < want.base)
		return false;
	if (h.reserved_count > MACHINE_MAX_RESERVED)
		h.reserved_count = MACHINE_MAX_RESERVED;
	for (uint32_t b = 0; b < banks; b++)
		in_bank =
		    in_bank || range_within(want.base, want.size, m->bank[b].base, m->bank[b].size);
	for (uint32_t i = 0; in_bank && i < h.reserved_count + h.taken_count; i++) {
		const struct machine_range *r = vm_ram_hole(&h, i);

		if (r->size != 0 && r->base < want.base + want.size && want.base < vm_ram_end(r))
			return false;
	}
	return in_bank;
}
