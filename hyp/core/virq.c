/* virq: binding virtual IRQ sources to a VIC's shared VIRQs, and raising them. */
#include "virq.h"

#include "vic.h"

error_t virq_bind(struct virq_source *src, struct vic *vic, uint64_t virq)
{
	struct vic_irq *irq;

	if (src->vic != NULL) {
		return ERROR_VIRQ_BOUND;
	}
	irq = virq > UINT32_MAX ? NULL : vic_irq_of(vic, (uint32_t)virq);
	if (irq == NULL) {
		return ERROR_ARGUMENT_INVALID;
	}
	if (irq->source != NULL) {
		return ERROR_BUSY;
	}
	object_get(&vic->hdr);
	irq->source = src;
	src->vic = vic;
	src->virq = (uint32_t)virq;
	return OK;
}

/* Detach without dropping the reference; returns the VIC the caller must put (or NULL). */
static struct vic *virq_detach(struct virq_source *src)
{
	struct vic *vic = src->vic;
	struct vic_irq *irq;

	if (vic == NULL) {
		return NULL;
	}
	irq = vic_irq_of(vic, src->virq);
	irq->source = NULL;
	irq->is_line_high = false;
	irq->is_latched = false;
	src->vic = NULL;
	arch_vic_changed(vic);
	return vic;
}

void virq_unbind(struct virq_source *src)
{
	struct vic *vic = virq_detach(src);

	if (vic != NULL) {
		object_put(&vic->hdr);
	}
}

void virq_unbind_deferred(struct virq_source *src, struct object **dead)
{
	struct vic *vic = virq_detach(src);

	if (vic != NULL) {
		object_put_deferred(&vic->hdr, dead);
	}
}

void virq_assert(struct virq_source *src, bool edge_only)
{
	struct vic_irq *irq;

	if (src->vic == NULL) {
		return;
	}
	irq = vic_irq_of(src->vic, src->virq);
	if (irq->is_edge) {
		irq->is_latched = true;
	} else if (!edge_only) {
		irq->is_line_high = true;
		irq->is_redelivery = false;
	} else {
		return;
	}
	vic_irq_hint(src->vic, irq);
	arch_vic_changed(src->vic);
}

void virq_clear(struct virq_source *src)
{
	struct vic_irq *irq;

	if (src->vic == NULL) {
		return;
	}
	irq = vic_irq_of(src->vic, src->virq);
	if (irq->is_line_high || irq->is_latched) {
		irq->is_line_high = false;
		irq->is_latched = false;
		arch_vic_changed(src->vic);
	}
}
