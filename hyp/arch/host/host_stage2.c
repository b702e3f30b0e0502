/* host_stage2: the host stand-in for address spaces' Stage-2 (see host_stage2.h). */
#include "host_stage2.h"

#include <string.h>

static struct {
	struct {
		const uint64_t *root; /* NULL: free */
		uint64_t ipa;
		uint64_t pa;
		struct arch_s2_perm perm;
	} pages[HOST_STAGE2_PAGES];
	/* Slots at and past top are free, so lookups stop there instead of scanning every slot (a
	 * map of n pages was n full scans, which dominated fuzzing with address spaces). */
	unsigned top;
	unsigned used;
	uint64_t tlbi_pages[65536];
	uint64_t phys_ops[3]; /* pages zeroed, cleaned, flushed */
} host_s2;

void host_stage2_reset(void)
{
	memset(&host_s2, 0, sizeof(host_s2));
}

static int host_stage2_find(const uint64_t *root, uint64_t ipa)
{
	for (unsigned i = 0; i < host_s2.top; i++) {
		if (host_s2.pages[i].root == root && host_s2.pages[i].ipa == ipa) {
			return (int)i;
		}
	}
	return -1;
}

static int host_stage2_free_slot(void)
{
	for (unsigned i = 0; i < host_s2.top; i++) {
		if (host_s2.pages[i].root == NULL) {
			return (int)i;
		}
	}
	return host_s2.top < HOST_STAGE2_PAGES ? (int)host_s2.top : -1;
}

static void host_stage2_free(unsigned i)
{
	host_s2.pages[i].root = NULL;
	host_s2.used--;
	while (host_s2.top != 0U && host_s2.pages[host_s2.top - 1U].root == NULL) {
		host_s2.top--;
	}
}

uint32_t arch_stage2_vmid_limit(void)
{
	return 65536U;
}

void arch_phys_page_op(enum arch_phys_op op, mem_pa_t pa)
{
	(void)pa;
	host_s2.phys_ops[op]++;
}

uint64_t host_stage2_phys_ops(enum arch_phys_op op)
{
	return host_s2.phys_ops[op];
}

unsigned arch_stage2_ipa_bits(void)
{
	return 40U;
}

void arch_stage2_unmap(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                       uint64_t size)
{
	(void)ipa_bits;
	for (uint64_t off = 0; off < size; off += MEM_PAGE_SIZE) {
		int i = host_stage2_find(root, ipa.bits + off);

		if (i >= 0) {
			host_stage2_free((unsigned)i);
		}
		host_s2.tlbi_pages[vmid]++;
	}
}

error_t arch_stage2_map(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                        mem_pa_t pa, uint64_t size, struct arch_s2_perm perm,
                        arch_s2_alloc_fn alloc, void *ctx)
{
	uint64_t off;
	error_t err = OK;

	(void)alloc;
	(void)ctx;
	for (off = 0; off < size && err == OK; off += MEM_PAGE_SIZE) {
		int free_slot = host_stage2_free_slot();

		if (host_stage2_find(root, ipa.bits + off) >= 0) {
			err = ERROR_EXISTING_MAPPING;
		} else if (free_slot < 0) {
			err = ERROR_NOMEM;
		} else {
			host_s2.pages[free_slot].root = root;
			host_s2.pages[free_slot].ipa = ipa.bits + off;
			host_s2.pages[free_slot].pa = pa.bits + off;
			host_s2.pages[free_slot].perm = perm;
			host_s2.used++;
			if ((unsigned)free_slot == host_s2.top) {
				host_s2.top++;
			}
		}
	}
	if (err != OK) {
		arch_stage2_unmap(root, ipa_bits, vmid, ipa, off - MEM_PAGE_SIZE);
	}
	return err;
}

void arch_stage2_update(uint64_t *root, unsigned ipa_bits, uint16_t vmid, mem_ipa_t ipa,
                        uint64_t size, struct arch_s2_perm perm)
{
	(void)ipa_bits;
	for (uint64_t off = 0; off < size; off += MEM_PAGE_SIZE) {
		int i = host_stage2_find(root, ipa.bits + off);

		if (i >= 0) {
			host_s2.pages[i].perm = perm;
		}
		host_s2.tlbi_pages[vmid]++;
	}
}

bool host_stage2_translate(const uint64_t *root, uint64_t ipa, uint64_t *pa,
                           struct arch_s2_perm *perm)
{
	int i = root != NULL ? host_stage2_find(root, ipa) : -1;

	if (i < 0) {
		return false;
	}
	*pa = host_s2.pages[i].pa;
	*perm = host_s2.pages[i].perm;
	return true;
}

unsigned host_stage2_count(const uint64_t *root)
{
	unsigned n = 0;

	if (root == NULL) {
		return host_s2.used;
	}
	for (unsigned i = 0; i < host_s2.top; i++) {
		n += (host_s2.pages[i].root != NULL &&
		      (root == NULL || host_s2.pages[i].root == root))
		         ? 1U
		         : 0U;
	}
	return n;
}

uint64_t host_stage2_tlbi_pages(uint16_t vmid)
{
	return host_s2.tlbi_pages[vmid];
}

unsigned host_stage2_top(void)
{
	return host_s2.top;
}

bool host_stage2_slot(unsigned i, const uint64_t **root, uint64_t *ipa, uint64_t *pa,
                      struct arch_s2_perm *perm)
{
	if (i >= host_s2.top || host_s2.pages[i].root == NULL) {
		return false;
	}
	*root = host_s2.pages[i].root;
	*ipa = host_s2.pages[i].ipa;
	*pa = host_s2.pages[i].pa;
	*perm = host_s2.pages[i].perm;
	return true;
}
