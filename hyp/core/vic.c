/* vic: the virtual interrupt controller object and the state of its shared VIRQs. */
#include "vic.h"

#include "partition.h"
#include "thread.h"

error_t vic_configure(struct vic *vic, uint64_t max_vcpus, uint64_t max_virqs, uint64_t options,
                      uint64_t max_msis)
{
	uint64_t known = VIC_OPTION_MAX_MSIS_VALID | VIC_OPTION_DISABLE_DEFAULT_ADDR;

	if (max_vcpus == 0U || max_vcpus > VIC_MAX_VCPUS || max_virqs > VIC_MAX_VIRQS ||
	    (options & ~known) != 0U ||
	    ((options & VIC_OPTION_MAX_MSIS_VALID) != 0U && max_msis != 0U)) {
		return ERROR_ARGUMENT_INVALID;
	}
	vic->max_vcpus = (uint32_t)max_vcpus;
	vic->max_virqs = (uint32_t)max_virqs;
	vic->options = options;
	vic->is_configured = true;
	return OK;
}

error_t vic_attach_vcpu(struct vic *vic, struct thread *thread, uint64_t index)
{
	if (index >= vic->max_vcpus) {
		return ERROR_ARGUMENT_INVALID;
	}
	object_get(&vic->hdr);
	if (thread->vic != NULL) {
		object_put(&thread->vic->hdr);
	}
	thread->vic = vic;
	thread->vic_index = (uint32_t)index;
	return OK;
}

struct vic_irq *vic_irq_of(struct vic *vic, uint32_t intid)
{
	if (vic->irqs == NULL || intid < VIC_SPI_BASE || intid - VIC_SPI_BASE >= vic->max_virqs) {
		return NULL;
	}
	return &vic->irqs[intid - VIC_SPI_BASE];
}

bool vic_irq_is_pending(const struct vic_irq *irq)
{
	return irq->is_latched || (!irq->is_edge && irq->is_line_high);
}

bool vic_irq_is_deliverable(const struct vic *vic, const struct vic_irq *irq)
{
	uint32_t group_enable = irq->is_group1 ? 2U : 1U;

	return irq->is_enabled && (vic->ctlr & group_enable) != 0U && vic_irq_is_pending(irq);
}

void vic_irq_recheck(struct vic_irq *irq)
{
	const struct virq_source *src = irq->source;

	if (irq->is_line_high && irq->is_redelivery && src != NULL && src->condition != NULL &&
	    !src->condition(src)) {
		irq->is_line_high = false;
	}
}

/* Defaults a guest finds at reset: disabled, group 1 (what IGROUPR reads before it writes),
 * level, priority 0, routed to affinity 0 (GICv2: ITARGETSR names vCPU 0). */
static error_t vic_activate(struct object *obj)
{
	struct vic *vic = (struct vic *)obj;
	struct partition_alloc_result mem;

	if (!vic->is_configured) {
		return ERROR_OBJECT_CONFIG;
	}
	if (vic->max_virqs != 0U) {
		mem = partition_alloc(obj->partition, vic->max_virqs * sizeof(struct vic_irq));
		if (mem.error != OK) {
			return mem.error;
		}
		vic->irqs = mem.ptr;
		memset(vic->hint, 0, sizeof(vic->hint));
		for (uint32_t i = 0; i < vic->max_virqs; i++) {
			vic->irqs[i].is_group1 = true;
			vic->irqs[i].targets = 1U;
		}
	}
	return OK;
}

/* Sources keep the VIC referenced while bound, so none is bound any more here. */
static void vic_cleanup(struct object *obj, struct object **dead)
{
	struct vic *vic = (struct vic *)obj;

	(void)dead;
	arch_vic_released(vic);
	if (vic->irqs != NULL) {
		partition_free(obj->partition, vic->irqs, vic->max_virqs * sizeof(struct vic_irq));
		vic->irqs = NULL;
	}
}

const struct obj_ops vic_ops = {
    .size = sizeof(struct vic),
    .all_rights = RIGHT_OBJECT_ACTIVATE | RIGHT_VIC_BIND_SOURCE | RIGHT_VIC_ATTACH_VCPU |
                  RIGHT_VIC_ATTACH_VDEVICE,
    .activate = vic_activate,
    .cleanup = vic_cleanup,
};
