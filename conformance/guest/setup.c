/* Set-up failures: kept until the run has begun (BEGIN), then printed as SETUP_ERROR lines. */
#include <humpy/console.h>
#include <humpy/libc.h>
#include <humpy/setup.h>

#define SETUP_KEPT_MAX   8
#define SETUP_REASON_MAX 160

static struct {
	bool reporting; /* BEGIN has been printed: lines go out at once */
	unsigned count;
	unsigned kept;
	struct {
		const char *component;
		char reason[SETUP_REASON_MAX];
	} line[SETUP_KEPT_MAX];
} setup;

static void setup_print(const char *component, const char *reason, unsigned not_kept)
{
	if (not_kept)
		proto_line("SETUP_ERROR %s %s (and %u more set-up error(s) not kept)", component,
		           reason, not_kept);
	else
		proto_line("SETUP_ERROR %s %s", component, reason);
}

void setup_error(const char *component, const char *fmt, ...)
{
	char reason[SETUP_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	setup.count++;
	/* No free text here: before console_init the UART may not be the one the DT names. */
	if (setup.reporting) {
		setup_print(component, reason, 0);
		return;
	}
	if (setup.kept == SETUP_KEPT_MAX)
		return; /* counted: the last kept line says how many more there were */
	setup.line[setup.kept].component = component;
	snprintf(setup.line[setup.kept].reason, SETUP_REASON_MAX, "%s", reason);
	setup.kept++;
}

void setup_report_pending(void)
{
	unsigned i;

	for (i = 0; i < setup.kept; i++)
		setup_print(setup.line[i].component, setup.line[i].reason,
		            i + 1 == setup.kept ? setup.count - setup.kept : 0);
	setup.reporting = true;
}

unsigned setup_error_count(void)
{
	return setup.count;
}
