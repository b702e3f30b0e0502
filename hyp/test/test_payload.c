/* test_payload: humpy.bin's payload (hyp/tools/pack-image.py's HUMPYPK1 table) unpacked into a VM's
 * RAM: up to 4 entries copied to their IPAs, a 5th refused, a blob shorter than the header is no
 * payload. Only a booti boot (LAVA boards) reaches payload.c, so the QEMU suite never did: make
 * mutation showed its entry bound and its size check changed without any test failing. */
#include <string.h>

#include "payload.h"
#include "test.h"
#include "vm.h"

#define P_RAM_IPA  0x40000000ULL
#define P_RAM_SIZE 0x4000U

static uint8_t p_ram[P_RAM_SIZE];
static unsigned p_cleaned;

/* The host has no caches to clean: count the calls (one per entry copied). */
void arch_dcache_clean(paddr_t base, uint64_t size)
{
	(void)base;
	(void)size;
	p_cleaned++;
}

static uint64_t p_blob[128]; /* 1 KiB, 8-byte aligned like the packed image's page */

/* A payload of @count entries, entry i: 16 bytes of value 0xA0 + i to IPA P_RAM_IPA + 0x100 * i. */
static uint32_t p_build(uint32_t count)
{
	struct payload_header *h = (struct payload_header *)p_blob;
	uint32_t data = (uint32_t)(sizeof(*h) + count * sizeof(struct payload_entry));

	memset(p_blob, 0, sizeof(p_blob));
	h->magic = PAYLOAD_MAGIC;
	h->count = count;
	for (uint32_t i = 0; i < count; i++) {
		h->entry[i] = (struct payload_entry){
		    .dest = P_RAM_IPA + 0x100U * i, .offset = data + 16U * i, .size = 16U};
		memset((uint8_t *)p_blob + data + 16U * i, (int)(0xA0U + i), 16);
	}
	h->total_size = data + 16U * count;
	return h->total_size;
}

static struct vm p_vm(void)
{
	memset(p_ram, 0, sizeof(p_ram));
	p_cleaned = 0;
	return (struct vm){
	    .ram_ipa = P_RAM_IPA, .ram_pa = (paddr_t)(uintptr_t)p_ram, .ram_size = P_RAM_SIZE};
}

TEST(payload_of_4_entries_is_copied_to_their_ipas)
{
	struct vm vm = p_vm();
	uint32_t total = p_build(PAYLOAD_MAX_ENTRIES);

	(void)arena;
	CHECK_EQ(4, payload_load(p_blob, total, &vm));
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(0xA0U + i, p_ram[0x100U * i]);
		CHECK_EQ(0xA0U + i, p_ram[0x100U * i + 15]);
		CHECK_EQ(0, p_ram[0x100U * i + 16]);
	}
	CHECK_EQ(4, p_cleaned);
}

TEST(payload_of_5_entries_is_refused_and_nothing_copied)
{
	struct vm vm = p_vm();
	uint32_t total = p_build(PAYLOAD_MAX_ENTRIES + 1);

	(void)arena;
	CHECK_EQ(-1, payload_load(p_blob, total, &vm));
	CHECK_EQ(0, p_ram[0]);
	CHECK_EQ(0, p_cleaned);
}

/* The header must fit in what the caller can read: 15 bytes of a valid payload are no payload. */
TEST(payload_shorter_than_its_header_is_none)
{
	struct vm vm = p_vm();

	(void)arena;
	p_build(1);
	CHECK_EQ(0, payload_load(p_blob, sizeof(struct payload_header) - 1, &vm));
	CHECK_EQ(1, payload_load(p_blob, p_build(1), &vm));
	CHECK_EQ(0xA0, p_ram[0]);
}

/* The size limit is inclusive: a payload claiming exactly 64 MiB (its header, one entry and its
 * bytes at the front; nothing past them is read) is unpacked; one byte more is refused. */
TEST(payload_of_exactly_the_size_limit_is_accepted)
{
	struct vm vm = p_vm();
	struct payload_header *h = (struct payload_header *)p_blob;

	(void)arena;
	p_build(1);
	h->total_size = PAYLOAD_MAX_SIZE;
	CHECK_EQ(1, payload_load(p_blob, PAYLOAD_MAX_SIZE, &vm));
	CHECK_EQ(0xA0, p_ram[0]);
	h->total_size = PAYLOAD_MAX_SIZE + 1;
	CHECK_EQ(-1, payload_load(p_blob, PAYLOAD_MAX_SIZE + 1, &vm));
}

/* The table may fill the payload exactly: a header with no entries (total_size = the header's size)
 * loads nothing and is no error; one byte less than its own table is refused. make mutation found
 * 'total_size < header + table' moved to '<=' passing. */
TEST(payload_of_no_entries_is_empty_not_refused)
{
	struct vm vm = p_vm();
	struct payload_header *h = (struct payload_header *)p_blob;

	(void)arena;
	CHECK_EQ(sizeof(*h), p_build(0));
	CHECK_EQ(0, payload_load(p_blob, sizeof(*h), &vm));
	CHECK_EQ(0, p_cleaned);
	p_build(1);
	h->total_size = (uint32_t)(sizeof(*h) + sizeof(struct payload_entry)) - 1;
	CHECK_EQ(-1, payload_load(p_blob, sizeof(p_blob), &vm));
}
