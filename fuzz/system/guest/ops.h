/* ops: one fuzz input run as operations at EL1 (layout in fuzz/README.md, "System-mode fuzzing").
 */
#ifndef SYSFUZZ_OPS_H
#define SYSFUZZ_OPS_H

#include <humpy/types.h>

#include "mailbox.h"

/* Root caps, boot-time GIC CPU-interface state: what every input starts from. */
void sysfuzz_ops_init(u64 partition, u64 cspace);

/* Runs input[0..len) (whole operations only); on a failed check fills why[] and op. */
enum sysfuzz_status sysfuzz_run(const u8 *input, u32 len, u32 *op, char *why, u32 why_len,
                                u32 *ops_run);

/* Where the guest waits for the host between inputs (probe.S; see wait_request in main.c). */
void sysfuzz_host_wait(void);

#endif
