/* hyp/rm/console_rpc.c: the paravirtualized console (VM_CONSOLE_OPEN/CLOSE/WRITE/FLUSH and the
 * VM_CONSOLE_CHARS notification). A VM's console has two sides: the VM's own (request target 0)
 * and its owner's (target = the VM's VMID, only from its owner), as upstream RM has them. What a
 * VM writes to its own console goes to the physical UART, each line prefixed "[vm N] ", and to
 * its owner as CHARS when the owner opened it; what an owner writes reaches the VM as CHARS. */
#include "rm_abi.h"
#include "rpc_handlers.h"
#include "vm_state.h"

#define CONSOLE_REQ_SIZE   4U /* u16 target vmid, u16 reserved (OPEN, CLOSE, FLUSH) */
#define CONSOLE_WRITE_HDR  4U /* u16 target vmid, u16 num_bytes, then the bytes */
#define CONSOLE_CHARS_HDR  4U /* u16 from vmid, u16 num_bytes, then the bytes */
#define CONSOLE_CHUNK      64U
#define CONSOLE_PREFIX_MAX 16U /* "[vm 65535] " */

/* The console a request names: target 0 is the caller's own. */
static struct rm_vm *console_of(const struct rm_rpc_call *call, uint16_t target)
{
	return rm_vm_lookup(call->rpc->vms, target == 0 ? call->caller_vmid : target);
}

/* OPEN and CLOSE: set one side's flag. */
static uint32_t console_set_open(struct rm_rpc_call *call, bool is_open)
{
	struct rm_vm *vm;
	uint16_t target;

	if (call->req_len != CONSOLE_REQ_SIZE) {
		return RM_ERROR_MSG_INVALID;
	}
	target = rm_rpc_get16(call->req);
	vm = console_of(call, target);
	if (vm == NULL) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	if (target == 0) {
		vm->is_console_self_open = is_open;
	} else if (vm->owner_vmid == call->caller_vmid) {
		vm->is_console_owner_open = is_open;
	} else {
		return RM_ERROR_DENIED;
	}
	return RM_OK;
}

uint32_t rm_handle_console_open(struct rm_rpc_call *call)
{
	return console_set_open(call, true);
}

uint32_t rm_handle_console_close(struct rm_rpc_call *call)
{
	return console_set_open(call, false);
}

/* The side of vm's console the caller writes or flushes through: DENIED unless the caller may
 * use it and has opened it. */
static uint32_t console_check_side(const struct rm_rpc_call *call, const struct rm_vm *vm,
                                   uint16_t target)
{
	if (target == 0) {
		return vm->is_console_self_open ? RM_OK : RM_ERROR_DENIED;
	}
	if (vm->owner_vmid != call->caller_vmid) {
		return RM_ERROR_DENIED;
	}
	return vm->is_console_owner_open ? RM_OK : RM_ERROR_DENIED;
}

static size_t console_format_prefix(char *out, uint16_t vmid)
{
	char digits[5];
	size_t n = 0, len = 0;

	do {
		digits[n++] = (char)('0' + vmid % 10);
		vmid /= 10;
	} while (vmid != 0);
	out[len++] = '[';
	out[len++] = 'v';
	out[len++] = 'm';
	out[len++] = ' ';
	while (n != 0) {
		out[len++] = digits[--n];
	}
	out[len++] = ']';
	out[len++] = ' ';
	return len;
}

/* What the UART may print of a VM's byte: printable ASCII, newline and tab as they are; a
 * carriage return dropped (it would let a VM overprint its own prefix); anything else '.'. */
static int console_filter(uint8_t c)
{
	if (c == '\r') {
		return -1;
	}
	if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F)) {
		return c;
	}
	return '.';
}

/* vm's bytes to the UART, a prefix at the start of each of its lines. Output of another VM cut
 * in mid-line is ended first, so every UART line comes from one VM. */
static void console_to_uart(struct rm_rpc *rpc, struct rm_vm *vm, const uint8_t *bytes, size_t len)
{
	void (*write)(void *, const char *, size_t) = rpc->ops->console_write;
	struct rm_vms *vms = rpc->vms;
	char out[CONSOLE_CHUNK + CONSOLE_PREFIX_MAX];
	size_t n = 0;

	if (write == NULL || len == 0) {
		return;
	}
	if (vms->console_last_vmid != vm->vmid) {
		struct rm_vm *last = rm_vm_lookup(vms, vms->console_last_vmid);

		if (last != NULL && last->is_console_mid_line) {
			out[n++] = '\n';
			last->is_console_mid_line = false;
		}
		vms->console_last_vmid = vm->vmid;
	}
	for (size_t i = 0; i < len; i++) {
		int c = console_filter(bytes[i]);

		if (c < 0) {
			continue;
		}
		if (!vm->is_console_mid_line) {
			n += console_format_prefix(out + n, vm->vmid);
			vm->is_console_mid_line = true;
		}
		out[n++] = (char)c;
		if (c == '\n') {
			vm->is_console_mid_line = false;
		}
		if (n >= CONSOLE_CHUNK) {
			write(rpc->ctx, out, n);
			n = 0;
		}
	}
	if (n != 0) {
		write(rpc->ctx, out, n);
	}
}

/* VM_CONSOLE_CHARS {from, num_bytes, bytes} to `to`, when it has a channel. */
static void console_chars(struct rm_vm *to, uint16_t from, const uint8_t *bytes, uint16_t len)
{
	uint8_t hdr[CONSOLE_CHARS_HDR];

	if (to->rpc == NULL) {
		return;
	}
	rm_rpc_put16(hdr, from);
	rm_rpc_put16(hdr + 2, len);
	(void)rm_rpc_notify2(to->rpc, RM_NOTIFY_VM_CONSOLE_CHARS, hdr, sizeof(hdr), bytes, len);
}

/* Request {u16 target, u16 num_bytes, bytes}: exactly 4 + num_bytes long. */
uint32_t rm_handle_console_write(struct rm_rpc_call *call)
{
	const uint8_t *bytes = call->req + CONSOLE_WRITE_HDR;
	struct rm_vm *vm, *owner;
	uint16_t target, n;
	uint32_t err;

	if (call->req_len < CONSOLE_WRITE_HDR) {
		return RM_ERROR_MSG_INVALID;
	}
	target = rm_rpc_get16(call->req);
	n = rm_rpc_get16(call->req + 2);
	if (call->req_len != CONSOLE_WRITE_HDR + (size_t)n) {
		return RM_ERROR_MSG_INVALID;
	}
	vm = console_of(call, target);
	if (vm == NULL) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	err = console_check_side(call, vm, target);
	if (err != RM_OK) {
		return err;
	}
	if (target != 0) {
		/* The owner types into the VM's console. */
		if (vm->is_console_self_open) {
			console_chars(vm, call->caller_vmid, bytes, n);
		}
		return RM_OK;
	}
	console_to_uart(call->rpc, vm, bytes, n);
	owner = rm_vm_lookup(call->rpc->vms, vm->owner_vmid);
	if (vm->is_console_owner_open && owner != NULL && owner != vm) {
		console_chars(owner, vm->vmid, bytes, n);
	}
	return RM_OK;
}

/* Writes reach the UART before their reply: a flush has nothing left to wait for, but it checks
 * the side like a write. */
uint32_t rm_handle_console_flush(struct rm_rpc_call *call)
{
	struct rm_vm *vm;
	uint16_t target;

	if (call->req_len != CONSOLE_REQ_SIZE) {
		return RM_ERROR_MSG_INVALID;
	}
	target = rm_rpc_get16(call->req);
	vm = console_of(call, target);
	if (vm == NULL) {
		return RM_ERROR_ARGUMENT_INVALID;
	}
	return console_check_side(call, vm, target);
}
