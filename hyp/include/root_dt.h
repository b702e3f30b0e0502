/* root_dt: tells the root VM its cap IDs by filling the /chosen slots of its device tree in place.
 */
#ifndef ROOT_DT_H
#define ROOT_DT_H

#include <stddef.h>

#include "root.h"

/*
 * If /chosen has 8-byte properties humpy,root-partition-cap, humpy,root-cspace-cap,
 * humpy,root-vic-cap, humpy,root-vcpu-cap, humpy,root-hwirq-cap, overwrite them (big-endian) with
 * the root caps, and the 16-byte humpy,root-memory with the base and size of the root partition's
 * physical memory when it has some; the tree's size and layout do not change. Returns how many
 * slots were filled (0 when the tree has none or is malformed: the guest then runs without caps).
 */
unsigned root_dt_publish(void *dtb, size_t max_size, const struct root_objects *root);

#endif
