/* hyp/rm/memparcel.h: memory parcels (gunyah-abi.md §6 MEM_*): the requests' wire layouts, the
 * parcel table and its state machine. Pure freestanding C: what must happen in the hypervisor
 * (Stage-2 maps and unmaps, extents, donation) goes through struct rm_mem_ops, which the RM image
 * implements with hypercalls and the host tests with a model of every VM's mappings. */
#ifndef RM_MEMPARCEL_H
#define RM_MEMPARCEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RM_MP_MAX_PARCELS 16U
#define RM_MP_MAX_ACL     8U  /* VMs of one parcel */
#define RM_MP_MAX_SGL     16U /* ranges of one parcel, MEM_APPEND's included */
#define RM_MP_MAX_ATTRS   8U
#define RM_MP_PAGE_SIZE   4096U

/* mem_type */
#define RM_MEM_TYPE_NORMAL 0U
#define RM_MEM_TYPE_IO     1U
/* trans_type (MEM_ACCEPT's field, and what each create message makes) */
#define RM_TRANS_DONATE 0U
#define RM_TRANS_LEND   1U
#define RM_TRANS_SHARE  2U
/* ACL rights */
#define RM_MEM_RIGHT_X   0x1U
#define RM_MEM_RIGHT_W   0x2U
#define RM_MEM_RIGHT_R   0x4U
#define RM_MEM_RIGHT_RWX 0x7U
/* attribute entries' attr */
#define RM_MEM_ATTR_NORMAL   0U
#define RM_MEM_ATTR_DEVICE   1U
#define RM_MEM_ATTR_UNCACHED 2U
#define RM_MEM_ATTR_CACHED   3U
/* MEM_SHARE/LEND/DONATE flags */
#define RM_MEM_CREATE_SANITIZE      0x1U
#define RM_MEM_CREATE_APPEND_FOLLOW 0x2U
/* MEM_ACCEPT flags */
#define RM_MEM_ACCEPT_VALIDATE_SANITIZED 0x01U
#define RM_MEM_ACCEPT_VALIDATE_ACL_ATTR  0x02U
#define RM_MEM_ACCEPT_VALIDATE_LABEL     0x04U
#define RM_MEM_ACCEPT_MAP_OTHER          0x08U
#define RM_MEM_ACCEPT_MAP_CONTIGUOUS     0x10U
#define RM_MEM_ACCEPT_SANITIZE           0x20U
#define RM_MEM_ACCEPT_DONE               0x80U
/* MEM_RELEASE / MEM_RECLAIM flags */
#define RM_MEM_RELEASE_SANITIZE 0x1U
/* MEM_APPEND flags */
#define RM_MEM_APPEND_LAST 0x1U
/* MEM_NOTIFY flags (exactly one) */
#define RM_MEM_NOTIFY_SHARED   0x1U
#define RM_MEM_NOTIFY_RELEASED 0x2U
#define RM_MEM_NOTIFY_ACCEPTED 0x4U

#define RM_MP_HANDLE_INVALID 0xFFFFFFFFU

/* One range of a parcel as the hypervisor side sees it: the owner's IPAs, and which parcel and
 * which of its ranges (index) it is, so the implementation can keep per-range state (caps). */
struct rm_mem_range {
	uint32_t handle;
	uint16_t index;
	uint16_t owner;
	uint8_t mem_type;
	uint8_t trans_type;
	uint64_t owner_ipa;
	uint64_t size;
};

/* Where a borrower maps a range. */
struct rm_mem_borrow {
	uint16_t vmid;
	uint64_t ipa;
	uint8_t rights; /* RM_MEM_RIGHT_* */
	uint8_t attr;   /* RM_MEM_ATTR_* */
};

/* The hypervisor side. Each returns an RM error code (RM_OK or the code to answer with); a
 * failing call has changed nothing. */
struct rm_mem_ops {
	/* Does the VM exist (any VM the RM knows, the RM itself excluded)? */
	bool (*vm_exists)(void *ctx, uint16_t vmid);
	/* A parcel takes the range: check it is the owner's memory and not in another parcel's
	 * hands, and set up what the other calls need (an extent over it). */
	uint32_t (*prepare)(void *ctx, const struct rm_mem_range *r);
	/* The parcel is gone (reclaimed, or donated and accepted): drop what prepare made. */
	void (*forget)(void *ctx, const struct rm_mem_range *r);
	/* LEND and DONATE: the range leaves the owner's Stage-2; owner_map puts it back. */
	uint32_t (*owner_unmap)(void *ctx, const struct rm_mem_range *r);
	uint32_t (*owner_map)(void *ctx, const struct rm_mem_range *r);
	/* MEM_ACCEPT maps the range into the borrower; MEM_RELEASE unmaps it. */
	uint32_t (*borrower_map)(void *ctx, const struct rm_mem_range *r,
	                         const struct rm_mem_borrow *b);
	uint32_t (*borrower_unmap)(void *ctx, const struct rm_mem_range *r,
	                           const struct rm_mem_borrow *b);
	/* MEM_ACCEPT of a donation, after borrower_map: the memory is the borrower's now. */
	uint32_t (*donate)(void *ctx, const struct rm_mem_range *r, uint16_t to_vmid);
	/* Zeroes the range (the sanitize flags). */
	uint32_t (*sanitize)(void *ctx, const struct rm_mem_range *r);
	/* An IPA range of `size` free in the VM, for a MEM_ACCEPT without an SGL. */
	uint32_t (*alloc_ipa)(void *ctx, uint16_t vmid, uint64_t size, uint64_t *ipa);
	/* Sends a notification to the VM (nothing when it has no channel). */
	void (*notify)(void *ctx, uint16_t vmid, uint32_t msg_id, const uint8_t *payload,
	               size_t len);
};

struct rm_mp_acl {
	uint16_t vmid;
	uint8_t rights;
	uint8_t attr;
	bool is_accepted;
	uint64_t ipa[RM_MP_MAX_SGL]; /* where this VM mapped each range while accepted */
};

struct rm_mp_attr {
	uint16_t attr;
	uint16_t vmid;
};

struct rm_memparcel {
	bool is_used;
	bool is_appending; /* created with APPEND_FOLLOW, the last MEM_APPEND not yet seen */
	bool is_sanitized; /* sanitized at create (MEM_ACCEPT's VALIDATE_SANITIZED checks it) */
	bool is_sanitize_on_reclaim;
	bool has_tag; /* mem_info_tag was set by the first MEM_NOTIFY(SHARED) */
	uint32_t handle;
	uint16_t owner;
	uint8_t trans_type;
	uint8_t mem_type;
	uint32_t label;
	uint32_t mem_info_tag;
	uint32_t n_accepted;
	uint32_t n_acl;
	uint32_t n_sgl;
	uint32_t n_attrs;
	struct rm_mp_acl acl[RM_MP_MAX_ACL];
	uint64_t sgl_ipa[RM_MP_MAX_SGL]; /* the owner's ranges */
	uint64_t sgl_size[RM_MP_MAX_SGL];
	struct rm_mp_attr attrs[RM_MP_MAX_ATTRS];
};

struct rm_mem {
	const struct rm_mem_ops *ops;
	void *ctx;
	uint32_t next_handle;
	struct rm_memparcel parcels[RM_MP_MAX_PARCELS];
};

void rm_mem_init(struct rm_mem *mem, const struct rm_mem_ops *ops, void *ctx);

/* The requests. caller is the VM the request came from; req/len the untrusted payload. Each
 * returns the RM error code; on RM_OK the reply data (after the error word) is in reply,
 * *reply_len bytes (reply_cap >= 4 + 16 * RM_MP_MAX_SGL is always enough). */
uint32_t rm_mem_create(struct rm_mem *mem, uint8_t trans_type, uint16_t caller, const uint8_t *req,
                       size_t len, uint8_t *reply, size_t reply_cap, size_t *reply_len);
uint32_t rm_mem_append(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len);
uint32_t rm_mem_accept(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len,
                       uint8_t *reply, size_t reply_cap, size_t *reply_len);
uint32_t rm_mem_release(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len);
uint32_t rm_mem_reclaim(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len);
uint32_t rm_mem_notify(struct rm_mem *mem, uint16_t caller, const uint8_t *req, size_t len);

/* A VM goes away (VM_RESET): every parcel it accepted is released as its MEM_RELEASE (flags 0)
 * would, so the owners can reclaim them. Returns how many were released. */
uint32_t rm_mem_release_all(struct rm_mem *mem, uint16_t vmid);

/* memparcel_rpc.c: the table the MEM_* RPC handlers use (set once at boot). */
void rm_mem_rpc_attach(struct rm_mem *mem);

/* The live parcel with this handle, or NULL. */
const struct rm_memparcel *rm_mem_lookup(const struct rm_mem *mem, uint32_t handle);

#endif
