/* Set-up failures of the guest itself (device tree, MMU, console, timer, vGIC): SETUP_ERROR lines.
 */
#ifndef HUMPY_SETUP_H
#define HUMPY_SETUP_H

#include <humpy/types.h>

/*
 * Records that a set-up step failed. component is one of "fdt", "mmu", "console", "timer", "vgic"
 * (PROTOCOL.md). Before BEGIN the line is kept and printed right after BEGIN (and PROFILE); after
 * it, it is printed at once. The guest carries on with what still works; the harness fails the run.
 */
void setup_error(const char *component, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Called by the runner right after BEGIN and PROFILE: prints what was kept, then prints directly.
 */
void setup_report_pending(void);

/* How many set-up steps failed so far. */
unsigned setup_error_count(void);

#endif
