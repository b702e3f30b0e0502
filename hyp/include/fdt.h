/* fdt: a bounds-checked reader of flattened device trees (only what the hypervisor needs). */
#ifndef FDT_H
#define FDT_H

#include "machine.h"

#define FDT_MAGIC 0xd00dfeedu

struct fdt_result {
	int error;       /* 0 on success */
	const char *why; /* what was wrong, for the boot log */
};

/* True when blob starts with the FDT magic (blob must have 4 readable bytes). */
bool fdt_has_magic(const void *blob);

/*
 * Reads memory, GICv3, console UART and timer nodes from the tree at blob, which the caller can
 * read for max_size bytes. Every offset and length in the tree is checked against that size. The
 * console is the UART /chosen/stdout-path names (by path or by /aliases), else the first one.
 */
struct fdt_result fdt_read_machine(const void *blob, size_t max_size, struct machine *out);

/* True when the root node of m's tree lists compatible (m: fdt_read_machine's, tree in place). */
bool fdt_machine_is(const struct machine *m, const char *compatible);

/*
 * The UART /aliases names alias (a board's choice, hyp/platform) becomes out's console, as
 * stdout-path's would, when it is one humpy drives; otherwise out is left as it was and the answer
 * is false. blob and max_size: the tree out was read from.
 */
bool fdt_take_console_alias(const void *blob, size_t max_size, const char *alias,
                            struct machine *out);

#endif
